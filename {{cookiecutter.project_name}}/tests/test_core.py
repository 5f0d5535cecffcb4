{% set pairing = pairing_info(cookiecutter.pairing) -%}
{% set compiled = pairing.compiled_module -%}
"""The compiled functions agree with plain Python and report errors as Python does."""

from __future__ import annotations

{% if not pairing.runtime_docstrings %}import ast
{% endif %}import importlib.machinery
import inspect
from collections.abc import Callable
{% if not pairing.runtime_docstrings %}from pathlib import Path
{% endif %}
import pytest

from {{ cookiecutter.__import_name }} import (
{%- if compiled == "_core" or not pairing.runtime_docstrings %}
    _core,
{%- endif %}
{%- if compiled != "_core" %}
    {{ compiled }},
{%- endif %}
    add,
    fib,
)


def python_fib(n: int) -> int:
    """The Fibonacci numbers, computed iteratively as a reference."""
    previous, current = 0, 1
    for _ in range(n):
        previous, current = current, previous + current
    return previous


def test_{{ compiled | trim("_") }}_is_a_compiled_extension() -> None:
    # Its file has an extension module's suffix; on iOS, where the app keeps the
    # module among its frameworks, that suffix with .fwork for .so.
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    on_ios = [suffix.replace(".so", ".fwork") for suffix in suffixes]
    assert {{ compiled }}.__file__ is not None
    assert {{ compiled }}.__file__.endswith((*suffixes, *on_ios))


@pytest.mark.parametrize(
    ("a", "b"), [(0, 0), (1, 2), (-7, 3), (2**40, -(2**41)), (2**62, 2**62 - 1)]
)
def test_add_matches_python(a: int, b: int) -> None:
    assert add(a, b) == a + b


@pytest.mark.parametrize(
    ("a", "b"),
    [(2**62, 2**62), (2**63 - 1, 1), (-(2**63), -1), (-(2**62), -(2**62) - 1)],
)
{%- if pairing.int_model == "int64" %}
def test_add_beyond_64_bits_raises_overflow_error(a: int, b: int) -> None:
    # The arguments fit in 64 bits, their sum does not: a wrapped sum would be wrong.
    with pytest.raises(OverflowError, match=r"does not fit in a 64-bit"):
        add(a, b)
{%- else %}
def test_add_beyond_64_bits_is_exact(a: int, b: int) -> None:
    # {{ pairing.binding }} computes with Python's unbounded ints.
    assert add(a, b) == a + b
{%- endif %}


@pytest.mark.parametrize("n", range(25))
def test_fib_matches_python(n: int) -> None:
    assert fib(n) == python_fib(n)


def test_fib_of_negative_n_raises_value_error() -> None:
    with pytest.raises(ValueError, match=r"n must be >= 0, got -1"):
        fib(-1)


{% if pairing.runtime_docstrings -%}
@pytest.mark.parametrize("function", [add, fib])
def test_compiled_functions_have_docstrings(function: Callable[..., int]) -> None:
    assert inspect.getdoc(function)
{%- else -%}
def test_docstrings_ship_in_the_typed_source() -> None:
    # {{ pairing.binding }} drops docstrings from compiled functions; they stay
    # in the typed source, which the wheel ships beside the compiled module.
    assert _core.__file__ is not None
    source = Path(_core.__file__).with_name("_core.py").read_text(encoding="utf-8")
    functions = {
        node.name: ast.get_docstring(node)
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef)
    }
    assert functions["add"]
    assert functions["fib"]
{%- endif %}


{% if pairing.inspect_signature -%}
@pytest.mark.parametrize(("function", "parameters"), [(add, ["a", "b"]), (fib, ["n"])])
def test_compiled_functions_have_signatures(
    function: Callable[..., int], parameters: list[str]
) -> None:
    assert list(inspect.signature(function).parameters) == parameters
{%- else -%}
@pytest.mark.parametrize(
    ("function", "signature"),
    [(add, "add(a: "), (fib, "fib(n: ")],
)
def test_docstrings_start_with_the_signature(
    function: Callable[..., int], signature: str
) -> None:
    # {{ pairing.binding }} gives compiled functions no __text_signature__, so
    # inspect.signature cannot see their parameters; it writes the signature
    # into the docstring.
    assert function.__doc__ is not None
    assert function.__doc__.startswith(signature)
{%- endif %}
