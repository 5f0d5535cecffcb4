"""Cythonize and build the extension; everything else is in pyproject.toml."""

from Cython.Build import cythonize
from setuptools import Extension, setup

setup(
    ext_modules=cythonize(
        [
            Extension(
                "{{ cookiecutter.__import_name }}._core",
                sources=[
                    "src/{{ cookiecutter.__import_name }}/_core.pyx",
                ],
            ),
        ],
        compiler_directives={
            "language_level": 3,
            # Real function objects, so inspect.signature works on them.
            "binding": True,
            "embedsignature": True,
            # No __test__ dict of docstrings for doctest: the stub would need it.
            "autotestdict": False,
        },
    ),
)
