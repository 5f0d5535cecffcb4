"""Compile the typed Python module with mypyc; everything else is in pyproject.toml."""

from mypyc.build import mypycify
from setuptools import setup

setup(
    ext_modules=mypycify(
        [
            "src/{{ cookiecutter.__import_name }}/_core.py",
        ],
    ),
)
