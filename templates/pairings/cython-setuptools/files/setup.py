"""Cythonize and build the extension; everything else is in pyproject.toml."""
{%- if cookiecutter.stable_abi == "yes" %}
{%- set minimum = pairing_info(cookiecutter.pairing).abi3_minimum.split(".") %}
{%- endif %}

import os
{%- if cookiecutter.stable_abi == "yes" %}
import platform
import sysconfig
{%- endif %}

from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


{% include piece("no-debug-info.py") %}

# Line tracing, which the coverage session asks for through CFLAGS; it slows
# the compiled code even when unused, so only then.
LINE_TRACING = "{{ pairing_info(cookiecutter.pairing).coverage.line_tracing }}" in os.environ.get("CFLAGS", "").split()
{% include piece("limited-api.py") %}
setup(
    ext_modules=cythonize(
        [
            Extension(
                "{{ cookiecutter.__import_name }}._core",
                sources=[
                    "src/{{ cookiecutter.__import_name }}/_core.pyx",
                ],
{%- if cookiecutter.stable_abi == "yes" %}
                # Cython writes Limited API code where Py_LIMITED_API is defined.
                define_macros=[("Py_LIMITED_API", "{{ "0x%02X%02X0000" | format(minimum[0] | int, minimum[1] | int) }}")] if LIMITED_API else [],
                py_limited_api=LIMITED_API,
{%- endif %}
            ),
        ],
        compiler_directives={
            "language_level": 3,
            # Real function objects, so inspect.signature works on them.
            "binding": True,
            "embedsignature": True,
            # No __test__ dict of docstrings for doctest: the stub would need it.
            "autotestdict": False,
            "linetrace": LINE_TRACING,
        },
        # Cython decides by timestamps alone, which cannot see that the C it wrote
        # before was for the other LINE_TRACING: write it afresh every build.
        force=True,
    ),
    cmdclass={"build_ext": BuildExtWithoutDebugInfo},
{%- if cookiecutter.stable_abi == "yes" %}
    # The wheel's tag: abi3, for CPython {{ minimum | join(".") }} and later.
    options={"bdist_wheel": {"py_limited_api": "cp{{ minimum | join("") }}"}} if LIMITED_API else {},
{%- endif %}
)
