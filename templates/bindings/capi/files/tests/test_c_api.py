"""What the C API leaves to the C code: range checks and reference counts.

A missing Py_DECREF, or a Py_INCREF too many, leaks one object per call:
calling each function many times makes that leak show in the reference count
of its arguments, or in the memory tracemalloc sees still allocated.
"""

from __future__ import annotations

import gc
import platform
import sys
import tracemalloc
from collections.abc import Callable

import pytest

from {{ cookiecutter.__import_name }} import (
    add,
    fib,
)

pytestmark = pytest.mark.skipif(
    platform.python_implementation() != "CPython",
    reason="reference counts and tracemalloc are CPython's",
)

CALLS = 10_000
# Large enough not to be one of CPython's cached small ints.
A, B = 2**40, -(2**41)


# Every error path of the argument parsing and of the functions themselves.
FAILING: list[Callable[[], int]] = [
    lambda: fib(-1),
    lambda: add(2**63 - 1, 1),
    lambda: add(A, 2**64),
    lambda: add(A, 1.5),  # type: ignore[arg-type]
    lambda: add(A),  # type: ignore[call-arg]
    lambda: add(A, B, c=1),  # type: ignore[call-arg]
    lambda: add(A, a=B),  # type: ignore[call-arg, misc]
]


def call_everything() -> int:
    """Each function once along every path; return how many calls raised."""
    add(A, B)
    add(a=A, b=B)
    fib(15)
    fib(n=15)
    raised = 0
    for call in FAILING:
        try:
            call()
        except (OverflowError, TypeError, ValueError):
            raised += 1
    return raised


@pytest.mark.parametrize(("a", "b"), [(2**63 - 1, 1), (-(2**63), -1), (2**63, 0)])
def test_add_out_of_the_64_bit_range_raises_overflow_error(a: int, b: int) -> None:
    with pytest.raises(OverflowError):
        add(a, b)


def test_functions_take_keywords() -> None:
    assert add(a=A, b=B) == A + B
    assert fib(n=10) == fib(10)


def test_arguments_get_back_their_references() -> None:
    before = sys.getrefcount(A), sys.getrefcount(B)
    raised = sum(call_everything() for _ in range(CALLS))
    assert raised == CALLS * len(FAILING)
    assert (sys.getrefcount(A), sys.getrefcount(B)) == before


def test_results_and_errors_are_freed() -> None:
    call_everything()  # warm up caches before measuring
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        raised = sum(call_everything() for _ in range(CALLS))
        gc.collect()
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert raised == CALLS * len(FAILING)
    # One leaked int per call would be at least 28 bytes each time.
    assert after - before < CALLS
