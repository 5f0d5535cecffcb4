"""Build the C extension; everything else is in pyproject.toml."""
{%- if cookiecutter.stable_abi == "yes" %}
{%- set minimum = pairing_info(cookiecutter.pairing).abi3_minimum.split(".") %}
{%- endif %}

import os
{%- if cookiecutter.stable_abi == "yes" %}
import platform
import sysconfig
{%- endif %}

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

# Every warning is an error, in each compiler's own words.
MSVC_WARNINGS = ["/W4", "/WX"]
GCC_WARNINGS = ["-Wall", "-Wextra", "-Werror"]  # gcc and clang alike


{% include piece("no-debug-info.py") %}

class StrictBuildExt(BuildExtWithoutDebugInfo):
    """build_ext with the strict warning flags of whichever compiler it uses."""

    def build_extensions(self) -> None:
        msvc = self.compiler.compiler_type == "msvc"
        flags = MSVC_WARNINGS if msvc else GCC_WARNINGS
        for extension in self.extensions:
            extension.extra_compile_args = [*extension.extra_compile_args, *flags]
        super().build_extensions()

{% include piece("limited-api.py") %}
setup(
    ext_modules=[
        Extension(
            "{{ cookiecutter.__import_name }}._core",
            sources=["src/_core.c"],
{%- if cookiecutter.stable_abi == "yes" %}
            define_macros=[("Py_LIMITED_API", "{{ "0x%02X%02X0000" | format(minimum[0] | int, minimum[1] | int) }}")] if LIMITED_API else [],
            py_limited_api=LIMITED_API,
{%- endif %}
        ),
    ],
    cmdclass={"build_ext": StrictBuildExt},
{%- if cookiecutter.stable_abi == "yes" %}
    # The wheel's tag: abi3, for CPython {{ minimum | join(".") }} and later.
    options={"bdist_wheel": {"py_limited_api": "cp{{ minimum | join("") }}"}} if LIMITED_API else {},
{%- endif %}
)
