"""Build the CFFI extension that cffi_build.py describes; the rest is in pyproject.toml."""
{%- if cookiecutter.stable_abi == "yes" %}
{%- set minimum = pairing_info(cookiecutter.pairing).abi3_minimum %}
{%- endif %}

import os
{%- if cookiecutter.stable_abi == "yes" %}
import platform
import sysconfig
{%- endif %}

from setuptools import setup
from setuptools.command.build_ext import build_ext


{% include piece("no-debug-info.py") %}
{% include piece("limited-api.py") %}
setup(
    # cffi's own setup() keyword: "build script:FFI object" for each compiled module.
    cffi_modules=["cffi_build.py:ffibuilder"],
    cmdclass={"build_ext": BuildExtWithoutDebugInfo},
{%- if cookiecutter.stable_abi == "yes" %}
    options={"bdist_wheel": {"py_limited_api": "cp{{ minimum.replace(".", "") }}"}} if LIMITED_API else {},
{%- endif %}
)
