"""Compile the typed Python module with mypyc; everything else is in pyproject.toml."""

from mypyc.build import mypycify
from setuptools import setup

setup(
    ext_modules=mypycify(
        [
            "src/{{ cookiecutter.__import_name }}/_core.py",
        ],
        # No debug info in the compiled module (mypyc's default, 1, keeps line
        # tables, which make the wheel twice as large).
        debug_level="0",
    ),
)
