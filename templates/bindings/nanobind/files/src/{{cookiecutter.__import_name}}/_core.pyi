"""The compiled core of the package, written in C++ with nanobind."""

def add(a: int, b: int) -> int:
    """Return the sum of a and b."""

def fib(n: int) -> int:
    """
    Return the n-th Fibonacci number, by naive recursion.

    Raises ValueError if n is negative.
    """
