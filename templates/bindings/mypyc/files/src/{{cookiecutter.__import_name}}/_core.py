"""Compiled core of {{ cookiecutter.__import_name }}: typed Python that mypyc compiles to C."""


def add(a: int, b: int) -> int:
    """Return the sum of a and b."""
    return a + b


def fib(n: int) -> int:
    """Return the n-th Fibonacci number, by naive recursion.

    Raises ValueError if n is negative.
    """
    if n < 0:
        msg = f"n must be >= 0, got {n}"
        raise ValueError(msg)
    return _fib_unchecked(n)


def _fib_unchecked(n: int) -> int:
    return n if n <= 1 else _fib_unchecked(n - 1) + _fib_unchecked(n - 2)
