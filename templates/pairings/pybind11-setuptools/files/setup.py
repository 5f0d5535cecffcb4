"""Build the C++ extension; everything else is in pyproject.toml."""

from pybind11.setup_helpers import Pybind11Extension, build_ext
from setuptools import setup

setup(
    ext_modules=[
        Pybind11Extension(
            "{{ cookiecutter.__import_name }}._core",
            ["src/_core.cpp"],
            cxx_std=17,
        ),
    ],
    cmdclass={"build_ext": build_ext},
)
