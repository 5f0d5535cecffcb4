"""{{ cookiecutter.project_name }}: fast functions from a compiled extension module."""

from importlib.metadata import version

from ._core import add, fib

__version__ = version({{ cookiecutter.project_name | py_string }})

__all__ = ["__version__", "add", "fib"]
