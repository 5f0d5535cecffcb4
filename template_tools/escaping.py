"""Escaping for each file format an answer can land in.

Every answer that reaches a generated file goes through one of these filters, so
quotes, backslashes, braces, `#`, `%` and any script or emoji arrive intact.
"""

from __future__ import annotations

import html.entities
import json
import re
import unicodedata


def quoted_string(value: str) -> str:
    """A double-quoted string literal valid in TOML, YAML and JSON alike.

    JSON's escapes (\\", \\\\, \\n, \\uXXXX) mean the same in all three formats, and
    answers are checked to hold no control character, so no other escape is needed.
    """
    return json.dumps(value, ensure_ascii=False)


def python_string(value: str) -> str:
    """A double-quoted Python string literal of ASCII characters only.

    Every other character is written as its \\u or \\U escape: ruff, which the
    generated project runs, refuses many of them unescaped in source (no-break and
    other spaces as ambiguous, zero-width and direction controls as hidden).
    """

    def escape(char: str) -> str:
        if char in '"\\':
            return "\\" + char
        if char.isascii() and char.isprintable():
            return char
        code = ord(char)
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"

    return '"' + "".join(map(escape, value)) + '"'


def meson_string(value: str) -> str:
    """A single-quoted Meson string literal (meson.build).

    Meson strings take backslash escapes; answers are checked to hold no control
    character, so only the backslash and the quote need one.
    """
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


# markdown_text writes what mdformat (with mdformat-myst and the plugins it brings,
# as the generated pre-commit config runs it) writes for a paragraph holding the
# text: any other escaping is rewritten by `mdformat --check` and fails the
# project's lint. These are its rules for one line of text, in its order.

# CommonMark's Unicode whitespace and punctuation (punctuation and symbols).
_WHITESPACE = frozenset("\t\n\f\r \xa0\u1680\u202f\u205f\u3000") | {
    chr(code) for code in range(0x2000, 0x200B)
}


def _is_punctuation(char: str | None) -> bool:
    return char is not None and unicodedata.category(char)[0] in "PS"


def _escape_asterisks(text: str) -> str:
    """Every `*` that is not between two whitespace characters."""
    out = []
    for i, char in enumerate(text):
        before = text[i - 1] if i else None
        after = text[i + 1] if i + 1 < len(text) else None
        if char == "*" and not (before in _WHITESPACE and after in _WHITESPACE):
            out.append("\\")
        out.append(char)
    return "".join(out)


def _escape_underscores(text: str) -> str:
    """Every `_` that touches the line's ends, whitespace or punctuation, unless
    it stands between two whitespace characters."""
    out = []
    for i, char in enumerate(text):
        before = text[i - 1] if i else None
        after = text[i + 1] if i + 1 < len(text) else None
        if char == "_":
            between_spaces = before in _WHITESPACE and after in _WHITESPACE
            in_word = all(
                neighbour is not None
                and neighbour not in _WHITESPACE
                and not _is_punctuation(neighbour)
                for neighbour in (before, after)
            )
            if not (between_spaces or in_word):
                out.append("\\")
        out.append(char)
    return "".join(out)


def _escape_square_brackets(text: str) -> str:
    """Every `[` and `]` except those of a pair enclosing no bracket and followed by
    neither `:` nor `(` (which could make a link)."""
    escape_at: list[int] = []
    opened: int | None = None
    for match in re.finditer(r"[\[\]]", text):
        position = match.start()
        if match.group() == "[":
            if opened is not None:
                escape_at.append(opened)
            opened = position
        elif opened is None:
            escape_at.append(position)
        else:
            if text[position + 1 : position + 2] in {":", "("}:
                escape_at += [opened, position]
            opened = None
    if opened is not None:
        escape_at.append(opened)
    for position in sorted(escape_at, reverse=True):
        text = text[:position] + "\\" + text[position:]
    return text


_CHARACTER_REFERENCE = re.compile(
    "&(?:#[0-9]{1,7}|#[Xx][0-9A-Fa-f]{1,6}|"
    + "|".join(sorted({name.rstrip(";") for name in html.entities.html5}, key=len, reverse=True))
    + ");"
)
# A MyST role name such as {math}, which a following `code` span would make a role.
_MYST_ROLE_NAME = re.compile(r"({[a-zA-Z0-9_\-+:]+})")
_MYST_TARGET = re.compile(r"^\s*\(.+\)=\s*$")


def markdown_inline(value: str) -> str:
    """The text with mdformat's escapes for markup inside a line."""
    text = value.replace("\\", "\\\\")
    text = _escape_asterisks(text)
    text = _escape_underscores(text)
    text = _escape_square_brackets(text)
    text = re.sub(r"<(?:[^ ]|$)", r"\\\g<0>", text)  # HTML and autolinks
    text = text.replace("`", "\\`")  # code spans
    text = _CHARACTER_REFERENCE.sub(r"\\\g<0>", text)
    text = text.replace("~~", "\\~~")  # GitHub's strikethrough
    text = _MYST_ROLE_NAME.sub(r"\\\1", text)
    return text.replace("$", "\\$")  # MyST's dollar math


def _escape_line_start(line: str) -> str:
    """Escapes for what a line's start would make a block of (mdformat's order)."""
    if re.match(r"#{1,6}( |\t|$)", line) or line.startswith(">"):
        line = "\\" + line  # a heading, a block quote
    if re.match(r"[-*+]( |\t|$)", line):
        line = "\\" + line  # a list item
    if re.match(r"[0-9]+\)( |\t|$)", line):
        line = line.replace(")", "\\)", 1)  # an ordered list item
    if re.match(r"[0-9]+\.( |\t|$)", line):
        line = line.replace(".", "\\.", 1)
    marks = line.replace(" ", "").replace("\t", "")
    if len(marks) >= 3 and set(marks) in ({"*"}, {"-"}, {"_"}):
        line = line.replace(marks[0], "\\" + marks[0], 1)  # a thematic break
    if set(line.strip(" \t")) <= {"-"}:
        line = line.replace("-", "\\-", 1)  # a setext heading's underline
    elif set(line.strip(" \t")) <= {"="}:
        line = line.replace("=", "\\=", 1)
    if set(line) <= set("|-: "):
        line = line.replace("-", "\\-", 1)  # a table's delimiter row
    line = re.sub(r"^\[([ xX])]", r"\[\g<1>\]", line)  # a GitHub task list item
    if line.replace(" ", "").startswith("+++"):
        line = line.replace("+", "\\+", 1)  # a MyST block break
    if line.startswith("%"):
        line = "\\" + line  # a MyST comment
    if _MYST_TARGET.search(line):
        line = line.replace("(", "\\(", 1)  # a MyST target
    return line


def markdown_text(value: str) -> str:
    """One line of text, shown literally in Markdown (MyST included), written as
    mdformat writes it.

    The answer rules make it one line without spaces at its ends or runs of
    spaces, which Markdown would drop or merge.
    """
    return _escape_line_start(markdown_inline(value))
