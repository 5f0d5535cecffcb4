{% if cookiecutter.stable_abi == "yes" -%}
# scikit-build-core names the Limited API's component when it builds an abi3
# wheel (wheel.py-api), and nothing for a free-threaded CPython, which has none.
find_package(
  Python {{ supported_pythons()[0] }} REQUIRED
  COMPONENTS Interpreter Development.Module ${SKBUILD_SABI_COMPONENT})
{% else -%}
find_package(Python {{ supported_pythons()[0] }} REQUIRED COMPONENTS Interpreter Development.Module)
{% endif -%}
