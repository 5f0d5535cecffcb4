"""Escaping for each file format an answer can land in.

Every answer that reaches a generated file goes through one of these filters, so
quotes, backslashes, braces, `#`, `%` and any script or emoji arrive intact.
"""

from __future__ import annotations

import json
import re


def quoted_string(value: str) -> str:
    """A double-quoted string literal valid in TOML, Python, YAML and JSON alike.

    JSON's escapes (\\", \\\\, \\n, \\uXXXX) mean the same in all four formats, and
    answers are checked to be printable, so no other escape is ever needed.
    """
    return json.dumps(value, ensure_ascii=False)


def meson_string(value: str) -> str:
    """A single-quoted Meson string literal (meson.build).

    Meson strings take backslash escapes; answers are checked to be printable,
    so only the backslash and the quote need one.
    """
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


# CommonMark lets a backslash escape any ASCII punctuation character. These
# start markup anywhere in a line (GitHub's and MyST's extensions included)...
_MARKDOWN_INLINE = re.compile(r"([\\`*_{}\[\]<>()!|~$&])")
# ...and these only at its start: headings, lists, MyST comments, "1." lists.
_MARKDOWN_LINE_START = re.compile(r"^([#+\-=%])")
_MARKDOWN_ORDERED_LIST = re.compile(r"^(\d+)\.")


def markdown_text(value: str) -> str:
    """One line of text shown literally in Markdown, MyST included."""
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", value)
    escaped = _MARKDOWN_LINE_START.sub(r"\\\1", escaped)
    return _MARKDOWN_ORDERED_LIST.sub(r"\1\\.", escaped)
