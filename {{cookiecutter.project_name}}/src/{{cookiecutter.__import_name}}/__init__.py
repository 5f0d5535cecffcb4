"""{{ cookiecutter.project_name }}: fast functions from a compiled extension module."""

from importlib.metadata import version

from ._core import add, fib

# importlib.metadata finds the distribution by its name or, as here, by the
# import name it normalises to (PEP 503).
__version__ = version(__name__)

__all__ = ["__version__", "add", "fib"]
