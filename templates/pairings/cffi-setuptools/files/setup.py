"""Build the CFFI extension that cffi_build.py describes; the rest is in pyproject.toml."""
{%- if cookiecutter.stable_abi == "yes" %}
{%- set minimum = pairing_info(cookiecutter.pairing).abi3_minimum %}

import platform
import sysconfig
{%- endif %}

from setuptools import setup
{% include piece("limited-api.py") %}
setup(
    # cffi's own setup() keyword: "build script:FFI object" for each compiled module.
    cffi_modules=["cffi_build.py:ffibuilder"],
{%- if cookiecutter.stable_abi == "yes" %}
    options={"bdist_wheel": {"py_limited_api": "cp{{ minimum.replace(".", "") }}"}} if LIMITED_API else {},
{%- endif %}
)
