"""Build the C extension; everything else is in pyproject.toml."""

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

# Every warning is an error, in each compiler's own words.
MSVC_WARNINGS = ["/W4", "/WX"]
GCC_WARNINGS = ["-Wall", "-Wextra", "-Werror"]  # gcc and clang alike


class StrictBuildExt(build_ext):
    """build_ext with the strict warning flags of whichever compiler it uses."""

    def build_extensions(self) -> None:
        msvc = self.compiler.compiler_type == "msvc"
        flags = MSVC_WARNINGS if msvc else GCC_WARNINGS
        for extension in self.extensions:
            extension.extra_compile_args = [*extension.extra_compile_args, *flags]
        super().build_extensions()


setup(
    ext_modules=[
        Extension(
            "{{ cookiecutter.__import_name }}._core",
            sources=["src/_core.c"],
        ),
    ],
    cmdclass={"build_ext": StrictBuildExt},
)
