"""Rendering helpers shared by the template's fast tests."""

from __future__ import annotations

import ast
import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mdformat
import pytest
import yaml
from cookiecutter.main import cookiecutter
from hypothesis import settings
from markdown_it import MarkdownIt
from mdformat.plugins import PARSER_EXTENSIONS

ROOT = Path(__file__).resolve().parent.parent
PAIRINGS = list(tomllib.loads((ROOT / "templates" / "pairings.toml").read_text()))
DEFAULTS: dict[str, Any] = json.loads((ROOT / "cookiecutter.json").read_text())
HOSTILE_ANSWERS: dict[str, dict[str, Any]] = tomllib.loads(
    (ROOT / "tests" / "hostile-answers.toml").read_text(encoding="utf-8")
)

# `nox -s hypothesis_long` runs the property tests with the "long" profile.
settings.register_profile("default", max_examples=25, deadline=None)
settings.register_profile("long", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def render(output_dir: Path, **answers: str) -> Path:
    """Generate a project without prompting; return its folder."""
    return Path(
        cookiecutter(str(ROOT), no_input=True, output_dir=str(output_dir), extra_context=answers)
    )


@dataclass(frozen=True)
class Rendered:
    pairing: str
    path: Path


@pytest.fixture(scope="session", params=PAIRINGS)
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """Each pairing rendered once with the default answers."""
    pairing: str = request.param
    return Rendered(pairing, render(tmp_path_factory.mktemp(pairing), pairing=pairing))


def assert_every_data_file_parses(project: Path) -> None:
    """Every TOML, YAML, JSON and Python file of a rendered project parses."""
    for path in project.rglob("*"):
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        if path.suffix == ".toml" or path.name == "Cargo.lock":
            tomllib.loads(text)
        elif path.suffix in {".yml", ".yaml"}:
            yaml.safe_load(text)
        elif path.suffix == ".json":
            json.loads(text)
        elif path.suffix in {".py", ".pyi"}:
            ast.parse(text, filename=str(path))


# The plugins mdformat runs with in the generated project: mdformat-myst and those it
# installs (the pre-commit hook and `nox -s lint` install mdformat-myst alone).
MDFORMAT_PLUGINS = set(PARSER_EXTENSIONS)


def markdown_parser() -> MarkdownIt:
    """The Markdown parser mdformat formats with, its plugins' syntax included."""
    parser = MarkdownIt("commonmark")
    # The options mdformat's plugins read when they set up the parser.
    parser.options["mdformat"] = {}
    parser.options["parser_extension"] = []
    for name in sorted(MDFORMAT_PLUGINS):
        PARSER_EXTENSIONS[name].update_mdit(parser)
    return parser


def shown_text(markdown: str) -> list[str]:
    """The text each heading and paragraph of a Markdown document shows, or a marker
    of the markup (emphasis, math, a role, HTML) it shows instead."""
    shown = []
    tokens = markdown_parser().parse(markdown)
    for token in tokens:
        if token.type != "inline":
            continue
        parts = []
        for child in token.children or []:
            if child.type in {"text", "text_special", "code_inline"}:
                parts.append(child.content if child.type != "code_inline" else f"`{child.content}`")
            elif child.type == "softbreak":
                parts.append("\n")
            elif not child.type.endswith(("link_open", "link_close")):
                parts.append(f"<{child.type}>")
        shown.append("".join(parts))
    return shown


def assert_markdown_formatted_and_literal(project: Path, project_name: str, text: str) -> None:
    """README.md and docs/index.md are as mdformat writes them, and show the project
    name as their title and the description as a paragraph, literally."""
    for name in ("README.md", "docs/index.md"):
        markdown = (project / name).read_text(encoding="utf-8")
        assert mdformat.text(markdown, extensions=MDFORMAT_PLUGINS) == markdown, name
        shown = shown_text(markdown)
        assert shown[0] == project_name, (name, shown[0])
        assert text in shown, (name, text, shown[:4])
