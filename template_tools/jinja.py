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
from template_tools.following import follows_template

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
REGISTRY = TEMPLATES / "pairings.toml"
LICENSES = ("BSD-3-Clause", "MIT", "Apache-2.0")
# Registry keys a pairing may leave out, with the value it then has.
OPTIONAL_KEYS: dict[str, Any] = {
    "compiled_module": "_core",
    "runtime_dependencies": [],
    "test_requires": [],
    "dynamic_metadata": [],
    "metadata_file": "",
    "editable_requires": [],
    "refuses": {},
    "abi3_minimum": "3.11",
}


def _candidates(name: str) -> list[str]:
    # cookiecutter searches the skeleton and ../templates; copier the template root.
    return [name, f"templates/{name}"]


def _exists(environment: Environment, name: str) -> bool:
    try:
        _read(environment, name)
    except TemplateNotFound:
        return False
    return True


def _read(environment: Environment, name: str) -> str:
    """A file of the template being rendered, found as templates are.

    Reading through the loader, not from this module's folder, matters for
    `copier update` and `cruft update`: they render two checkouts of the template
    in one process, and this module is imported only once.
    """
    if environment.loader is None:  # cookiecutter renders its hooks without a loader
        return (TEMPLATES / name).read_text(encoding="utf-8")
    for candidate in _candidates(name):
        try:
            source, _, _ = environment.loader.get_source(environment, candidate)
        except TemplateNotFound:
            continue
        return source
    raise TemplateNotFound(name)


def parse_registry(text: str) -> dict[str, dict[str, Any]]:
    """Every pairing's registry entry, by name, in the order of the registry,
    with the defaults of the optional keys it leaves out."""
    entries = tomllib.loads(text)
    return {name: {**OPTIONAL_KEYS, **entry} for name, entry in entries.items()}


def registry() -> dict[str, dict[str, Any]]:
    """The registry of this checkout (for the repository's own tests and nox)."""
    return parse_registry(REGISTRY.read_text(encoding="utf-8"))


@pass_environment
def template_registry(environment: Environment) -> dict[str, dict[str, Any]]:
    """The registry of the template being rendered."""
    return parse_registry(_read(environment, "pairings.toml"))


@pass_environment
def pairing_info(environment: Environment, pairing: str) -> dict[str, Any]:
    """The registry entry of one pairing."""
    return template_registry(environment)[pairing]


@pass_environment
def action(environment: Environment, name: str) -> str:
    """A GitHub Action pinned to its release commit, as `uses:` wants it."""
    pin = tomllib.loads(_read(environment, "actions.toml"))[name]
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


@pass_environment
def for_languages(environment: Environment, name: str, pairing: str, *languages: str) -> str:
    """`name` if the pairing uses any of `languages`, else "" (a file-name condition
    without `|` or `"`, which Windows file names cannot hold)."""
    used = pairing_info(environment, pairing)["languages"]
    return name if set(languages) & set(used) else ""


@pass_environment
def answers_problem(environment: Environment, given: dict[str, str]) -> str:
    """The first problem with the user's answers, or ""."""
    return answers.answers_problem(given, template_registry(environment), list(LICENSES))


@pass_environment
def answer_problem(environment: Environment, question: str, value: str, pairing: str = "") -> str:
    """Why one answer is unusable, or "" (copier's validators)."""
    registry = template_registry(environment)
    return answers.answer_problem(question, value, registry, list(LICENSES), pairing)


@pass_environment
def supports(environment: Environment, pairing: str, option: str) -> bool:
    """Whether a pairing can take an option's non-default value."""
    return option not in pairing_info(environment, pairing).get("refuses", {})


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
            registry=template_registry,
            pairing_info=pairing_info,
            action=action,
            piece=piece,
            shared=shared,
            own_file=own_file,
            answers_problem=answers_problem,
            answer_problem=answer_problem,
            supports=supports,
            for_languages=for_languages,
            follows_template=follows_template,
        )


__all__ = ["BinaryExtensionTemplate"]
