"""The Jinja extension every template file is rendered with.

It gives templates three things, so that no template does them by hand:
- escaping filters, one per file format (see `escaping`);
- the pairing registry (`templates/pairings.toml`) and each pairing's pieces;
- the answer rules (see `answers`), for the pre-generation hook.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, TemplateNotFound, pass_environment
from jinja2.ext import Extension

from template_tools import answers, escaping

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
REGISTRY = TEMPLATES / "pairings.toml"
ACTIONS = TEMPLATES / "actions.toml"
LICENSES = ("BSD-3-Clause", "MIT", "Apache-2.0")


def _candidates(name: str) -> list[str]:
    # cookiecutter searches the skeleton and ../templates; copier the template root.
    return [name, f"templates/{name}"]


def _exists(environment: Environment, name: str) -> bool:
    assert environment.loader is not None
    for candidate in _candidates(name):
        try:
            environment.loader.get_source(environment, candidate)
        except TemplateNotFound:
            continue
        return True
    return False


def registry() -> dict[str, dict[str, Any]]:
    """Every pairing's registry entry, by name, in the order of the registry."""
    return tomllib.loads(REGISTRY.read_text(encoding="utf-8"))


# The registry's optional keys, and their value where a pairing leaves one out.
OPTIONAL_KEYS: dict[str, Any] = {
    "dynamic_metadata": [],
    "metadata_file": "",
    "editable_requires": [],
}


def pairing_info(pairing: str) -> dict[str, Any]:
    """The registry entry of one pairing, its optional keys filled in."""
    return {**OPTIONAL_KEYS, **registry()[pairing]}


def action(name: str) -> str:
    """A GitHub Action pinned to its release commit, as `uses:` wants it."""
    pin = tomllib.loads(ACTIONS.read_text(encoding="utf-8"))[name]
    return f"{name}@{pin['commit']} # {pin['version']}"


def piece(pairing: str, name: str) -> list[str]:
    """Where to find a pairing's piece, for `{% include piece(pairing, name) %}`."""
    return _candidates(f"pairings/{pairing}/{name}")


def shared(name: str) -> list[str]:
    """Where to find a piece shared by all pairings, for `{% include shared(name) %}`."""
    return _candidates(name)


@pass_environment
def own_file(environment: Environment, pairing: str, name: str) -> str:
    """`name` if the pairing ships a file of that name, else "" (cookiecutter and
    copier skip files whose name renders empty)."""
    return name if _exists(environment, f"pairings/{pairing}/files/{name}") else ""


def for_languages(name: str, pairing: str, *languages: str) -> str:
    """`name` if the pairing uses any of `languages`, else "" (a file-name condition
    without `|` or `"`, which Windows file names cannot hold)."""
    return name if set(languages) & set(pairing_info(pairing)["languages"]) else ""


def answers_problem(given: dict[str, str]) -> str:
    """The first problem with the user's answers, or ""."""
    return answers.answers_problem(given, list(registry()), list(LICENSES))


def github_repository(url: str) -> str:
    """ "owner/name" when `url` is a GitHub repository, else ""."""
    parts = urlsplit(url)
    path = parts.path.strip("/").removesuffix(".git").split("/")
    if parts.hostname != "github.com" or len(path) != 2:
        return ""
    if not all(re.fullmatch(r"[A-Za-z0-9_.-]+", part) for part in path):
        return ""
    return "/".join(path)


class BinaryExtensionTemplate(Extension):
    """Registers the filters and globals above."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(
            import_name=answers.import_name,
            toml_string=escaping.quoted_string,
            py_string=escaping.quoted_string,
            json_string=escaping.quoted_string,
            meson_string=escaping.meson_string,
            markdown_text=escaping.markdown_text,
            markup_url=escaping.url_for_markup,
            github_repository=github_repository,
        )
        environment.globals.update(
            registry=registry,
            pairing_info=pairing_info,
            action=action,
            piece=piece,
            shared=shared,
            own_file=own_file,
            answers_problem=answers_problem,
            for_languages=for_languages,
        )


__all__ = ["BinaryExtensionTemplate"]
