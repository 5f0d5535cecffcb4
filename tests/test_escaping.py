"""The escaping filters give literals that their file format reads back intact."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mesonbuild import mparser

from template_tools.escaping import meson_string

printable_line = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "M", "N", "P", "S", "Zs"]),
    max_size=40,
).filter(str.isprintable)


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        ("my-package", "'my-package'"),
        ("it's", r"'it\'s'"),
        ("a\\b", r"'a\\b'"),
        ("\\'", r"'\\\''"),
        ('"@0@" {x} 🐍', "'\"@0@\" {x} 🐍'"),
    ],
)
def test_meson_string_escapes_the_backslash_and_the_quote(value: str, literal: str) -> None:
    assert meson_string(value) == literal


@given(printable_line)
def test_meson_reads_a_meson_string_back_intact(value: str) -> None:
    tree = mparser.Parser(f"x = {meson_string(value)}\n", "meson.build").parse()
    assert tree.lines[0].value.value == value
