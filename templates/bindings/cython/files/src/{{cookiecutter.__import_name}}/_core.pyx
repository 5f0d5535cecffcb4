{% if cookiecutter.free_threading == "yes" -%}
# cython: freethreading_compatible=True
{% endif -%}
"""Compiled core of {{ cookiecutter.__import_name }}, written in Cython."""

from libc.limits cimport LLONG_MAX, LLONG_MIN

cdef long long fib_unchecked(long long n) noexcept nogil:
    return n if n < 2 else fib_unchecked(n - 1) + fib_unchecked(n - 2)


def add(long long a, long long b) -> int:
    """Return the sum of a and b."""
    # C's signed overflow is undefined: check before adding.
    if (b > 0 and a > LLONG_MAX - b) or (b < 0 and a < LLONG_MIN - b):
        raise OverflowError("a + b does not fit in a 64-bit integer")
    return a + b


def fib(long long n) -> int:
    """Return the n-th Fibonacci number, by naive recursion.

    Raises ValueError if n is negative.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    return fib_unchecked(n)
