"""Build the C++ extension; everything else is in pyproject.toml."""

from pybind11.setup_helpers import (
    ParallelCompile,
    Pybind11Extension,
    build_ext,
    naive_recompile,
)
from setuptools import setup

# Compile the sources in parallel, and in a kept build folder (build_ext
# --inplace) only those newer than their object: editing fib's source then
# leaves the binding's object, the slow one to compile, as it was.
ParallelCompile("NPY_NUM_BUILD_JOBS", needs_recompile=naive_recompile).install()

setup(
    ext_modules=[
        Pybind11Extension(
            "{{ cookiecutter.__import_name }}._core",
            ["src/_core.cpp", "src/functions.cpp"],
            # A change to the header rebuilds the module (and the sdist ships it).
            depends=["src/functions.hpp"],
            cxx_std=17,
        ),
    ],
    cmdclass={"build_ext": build_ext},
)
