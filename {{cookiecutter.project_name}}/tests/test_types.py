{% set declared = "its typed source" if pairing_info(cookiecutter.pairing).python_source else "its stub" -%}
"""The declared types are the ones the compiled functions take and return.

mypy checks these calls against the types the package declares ({{ declared }}),
pytest runs them against the compiled module: a declared type that the module
does not keep fails one or the other. mypy reports an unused `type: ignore`,
so the refused calls are checked both ways too.
"""

from __future__ import annotations

from typing import assert_type

import pytest

from {{ cookiecutter.__import_name }} import add, fib


def test_add_takes_ints_by_name_and_returns_an_int() -> None:
    total = add(a=2, b=3)
    assert_type(total, int)
    assert type(total) is int


def test_fib_takes_an_int_by_name_and_returns_an_int() -> None:
    result = fib(n=10)
    assert_type(result, int)
    assert type(result) is int


def test_add_refuses_a_str() -> None:
    with pytest.raises(TypeError):
        add("2", 3)  # type: ignore[arg-type]


def test_fib_refuses_a_str() -> None:
    with pytest.raises(TypeError):
        fib("10")  # type: ignore[arg-type]
