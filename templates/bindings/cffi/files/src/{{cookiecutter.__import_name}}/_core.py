"""Compiled core of {{ cookiecutter.__import_name }}: C functions called through CFFI.

The C code (src/_core.c) works on 64-bit integers and trusts its arguments;
this module checks them before calling it, and raises Python's exceptions.
"""

from . import _core_cffi


def add(a: int, b: int) -> int:
    """Return the sum of a and b.

    Raises OverflowError if a, b or their sum does not fit in a 64-bit signed integer.
    """
    total = _core_cffi.ffi.new("long long *")
    # cffi itself raises OverflowError for arguments out of range, TypeError for non-ints.
    if _core_cffi.lib.core_add(a, b, total) < 0:
        msg = f"{a} + {b} does not fit in a 64-bit signed integer"
        raise OverflowError(msg)
    return total[0]


def fib(n: int) -> int:
    """Return the n-th Fibonacci number, by naive recursion.

    Raises ValueError if n is negative.
    """
    if n < 0:
        msg = f"n must be >= 0, got {n}"
        raise ValueError(msg)
    return _core_cffi.lib.core_fib(n)
