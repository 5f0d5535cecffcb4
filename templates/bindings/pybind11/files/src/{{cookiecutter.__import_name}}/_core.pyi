"""
The compiled core of the package, written in C++ with pybind11.
"""

import typing

__all__: list[str] = ["add", "fib"]

def add(
    a: typing.SupportsInt | typing.SupportsIndex,
    b: typing.SupportsInt | typing.SupportsIndex,
) -> int:
    """
    Return the sum of a and b.
    """

def fib(n: typing.SupportsInt | typing.SupportsIndex) -> int:
    """
    Return the n-th Fibonacci number, by naive recursion.

    Raises ValueError if n is negative.
    """
