"""The escaping filters give literals that their file format reads back intact."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import mdformat
import pytest
import yaml
from conftest import MDFORMAT_PLUGINS, render, shown_text
from hypothesis import given, settings
from hypothesis import strategies as st
from mesonbuild import mparser

from template_tools.answers import markdown_problem, text_problem
from template_tools.escaping import markdown_text, meson_string, python_string

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


# Texts of the classes that failed the generated project's lint or did not show
# literally: parentheses, a dash, "2.0", doubled underscores, block starts.
MARKDOWN_SAMPLES = [
    "Bindings for libfoo (C++17) - fast!",
    "2.0 rewrite",
    "my__pkg",
    "# not a heading",
    "1. not a list",
    "2) nor this",
    "- nor this",
    "> nor a quote",
    "---",
    "=",
    "-|-",
    "[ ] not a task",
    "% not a comment",
    "+++",
    "(not-a-target)=",
    "$x$ is not math",
    "{role}`is not a role`",
    "*not emphasis* and _not either_",
    "a * b _ c",
    "<b>not HTML</b> & &amp; a < b",
    "[not](a link) [x]: y ![no](image)",
    "~~not struck~~",
    "`not code`",
    "\\o/ C:\\new\\table",
    "山田\u3000太郎 👩\u200d💻 Jane\u00a0Doe",
    "see www.example.org or https://example.org/a_b",
]
markdown_line = st.lists(
    st.one_of(
        st.sampled_from(list("#*_-+=>[]()!`~$%&<{}:;.|\\/@1aZ é\u00a0\u3000\u200d")),
        st.sampled_from(["1. ", "www.", "https://", "amp;", "{a}", "+++", "(x)=", " "]),
    ),
    min_size=1,
    max_size=16,
).map(lambda parts: re.sub(" {2,}", " ", "".join(parts).strip()))


def assert_mdformat_keeps_and_shows(value: str) -> None:
    document = f"# Title\n\n{markdown_text(value)}\n"
    assert mdformat.text(document, extensions=MDFORMAT_PLUGINS) == document
    assert shown_text(document) == ["Title", value]


@pytest.mark.parametrize("value", MARKDOWN_SAMPLES)
def test_markdown_text_is_as_mdformat_writes_it_and_shows_the_text(value: str) -> None:
    assert_mdformat_keeps_and_shows(value)


@settings(max_examples=500)
@given(markdown_line.filter(lambda value: value and not markdown_problem("text", value)))
def test_any_line_of_markdown_specials_is_kept_by_mdformat_and_shown(value: str) -> None:
    assert_mdformat_keeps_and_shows(value)


@settings(max_examples=200)
@given(markdown_line.filter(bool))
def test_mdformat_keeps_markdown_text_even_around_web_addresses(value: str) -> None:
    # GitHub and MyST link a web address in the text; mdformat keeps it as written.
    document = f"{markdown_text(value)}\n"
    assert mdformat.text(document, extensions=MDFORMAT_PLUGINS) == document


def mdformat_pins_apart_from_the_tests(config: dict[str, Any]) -> list[str]:
    """The mdformat hook's pins (its rev, its plugins) that differ from the versions
    the escaping tests run with; also an unpinned plugin, or no mdformat-myst."""
    (hook,) = [repo for repo in config["repos"] if repo["repo"].endswith("/mdformat")]
    apart = [] if hook["rev"] == mdformat.__version__ else [f"mdformat {hook['rev']}"]
    plugins = hook["hooks"][0].get("additional_dependencies", [])
    if not any(plugin.startswith("mdformat-myst==") for plugin in plugins):
        apart.append("no pinned mdformat-myst")
    for plugin in plugins:
        name, _, version = plugin.partition("==")
        if not version or importlib.metadata.version(name) != version:
            apart.append(plugin)
    return apart


def test_the_tests_format_markdown_with_the_mdformat_the_project_pins(tmp_path: Path) -> None:
    project = render(tmp_path)
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    assert mdformat_pins_apart_from_the_tests(config) == []


def test_a_plugin_pinned_apart_from_the_tests_or_unpinned_is_caught(tmp_path: Path) -> None:
    project = render(tmp_path)
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    (hook,) = [repo for repo in config["repos"] if repo["repo"].endswith("/mdformat")]
    hook["hooks"][0]["additional_dependencies"] = ["mdformat-myst", "mdformat-gfm==0.0.1"]
    assert mdformat_pins_apart_from_the_tests(config) == [
        "no pinned mdformat-myst",
        "mdformat-myst",
        "mdformat-gfm==0.0.1",
    ]


@given(printable_line.filter(lambda value: not text_problem("text", value) or not value))
def test_python_string_is_ascii_and_reads_back_intact(value: str) -> None:
    literal = python_string(value)
    assert literal.isascii()
    assert ast.literal_eval(literal) == value


def test_ruff_passes_python_strings_of_legitimate_text(tmp_path: Path) -> None:
    texts = [
        "Jane\u00a0Doe",
        "山田\u3000太郎",
        "👩\u200d💻",
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
    ]
    source = "".join(f"X{n} = {python_string(text)}\n" for n, text in enumerate(texts))
    (tmp_path / "strings.py").write_text(source, encoding="utf-8")
    for check in (["check", "--select=ALL", "--ignore=D100,CPY001"], ["format", "--check"]):
        subprocess.run(
            [sys.executable, "-m", "ruff", *check, "strings.py"], cwd=tmp_path, check=True
        )
