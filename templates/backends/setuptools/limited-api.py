{% if cookiecutter.stable_abi == "yes" %}
# The Limited API of CPython {{ pairing_info(cookiecutter.pairing).abi3_minimum }}: one abi3 wheel serves it and every later
# CPython. Free-threaded CPython has no stable ABI, nor PyPy: they build for
# their own version.
LIMITED_API = (
    platform.python_implementation() == "CPython"
    and not sysconfig.get_config_var("Py_GIL_DISABLED")
)
{% endif -%}
