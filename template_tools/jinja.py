"""The Jinja extension every template file is rendered with.

It gives templates three things, so that no template does them by hand:
- escaping filters, one per file format (see `escaping`);
- the pairing registry (`templates/pairings.toml`) and each pairing's pieces;
- the answer rules (see `answers`), for the pre-generation hook.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import BaseLoader, Environment, TemplateNotFound, pass_context, pass_environment
from jinja2.ext import Extension
from jinja2.runtime import Context

from template_tools import answers, escaping

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
# The folder of the files every pairing shares, as cookiecutter names it.
SKELETON = "{{cookiecutter.project_name}}"
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
        for path in (TEMPLATES / name, ROOT / name):
            if path.is_file():
                return path.read_text(encoding="utf-8")
        raise TemplateNotFound(name)
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


class _TemplateFiles(BaseLoader):
    """Finds the template's files as `_read` does, for rendering some of them
    while checking answers (cookiecutter renders its hooks without a loader)."""

    def __init__(self, environment: Environment) -> None:
        self.environment = environment

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool]]:
        return _read(self.environment, template), None, lambda: True


# The answers a file is rendered with when only its requirements are read.
_PLACEHOLDER_ANSWERS = {
    "project_name": "placeholder",
    "__import_name": "placeholder",
    "project_short_description": "Placeholder.",
    "full_name": "Placeholder",
    "email": "placeholder@example.org",
    "url": "https://example.org/placeholder",
    "license": LICENSES[0],
}
# A PEP 723 inline script metadata block (the generated noxfile declares nox in one).
_SCRIPT_METADATA = re.compile(r"(?m)^# /// script$\s(?P<content>(^#(| .*)$\s)+)^# ///$")
# By the text of the files they are read from: each check of answers renders
# in a new environment, and one process may render two versions of the template.
_dependencies_of: dict[str, frozenset[str]] = {}


def _requirements(pyproject: str, noxfile: str) -> list[str]:
    """The requirements a rendered pyproject.toml and noxfile.py declare."""
    data = tomllib.loads(pyproject)
    groups = data.get("dependency-groups", {}).values()
    found = [
        *data.get("build-system", {}).get("requires", []),
        *data.get("project", {}).get("dependencies", []),
        *(item for group in groups for item in group if isinstance(item, str)),
    ]
    script = _SCRIPT_METADATA.search(noxfile)
    if script:
        lines = script.group("content").splitlines()
        found += tomllib.loads("\n".join(line[2:] for line in lines)).get("dependencies", [])
    return found


@pass_environment
def project_dependencies(environment: Environment) -> frozenset[str]:
    """The normalized names of every package a generated project builds, runs,
    tests or develops with, for every pairing and option it can take.

    They are read from the rendered pyproject.toml and noxfile.py and the
    registry, so a dependency added there is refused as a project name at once.
    Every pairing counts, not only the one chosen: copier asks the name first,
    and an update may change the pairing.
    """
    registry = template_registry(environment)
    sources = [
        _read(environment, f"{SKELETON}/{name}") for name in ("pyproject.toml", "noxfile.py")
    ]
    sources += [_read(environment, "pairings.toml")]
    sources += [_read(environment, piece(pairing, "build-system.toml")[0]) for pairing in registry]
    key = "\0".join(sources)
    if key in _dependencies_of:
        return _dependencies_of[key]
    files = environment.overlay(loader=_TemplateFiles(environment))
    pyproject, noxfile = (files.from_string(source) for source in sources[:2])
    requirements: list[str] = []
    for pairing, entry in registry.items():
        requirements += entry["runtime_dependencies"] + entry["editable_requires"]
        for options in answers.accepted_options(pairing, registry):
            given = {**_PLACEHOLDER_ANSWERS, "pairing": pairing, **options}
            requirements += _requirements(
                pyproject.render(cookiecutter=given), noxfile.render(cookiecutter=given)
            )
    names = frozenset(filter(None, map(answers.requirement_name, requirements)))
    _dependencies_of[key] = names
    return names


@pass_environment
def answers_problem(environment: Environment, given: dict[str, str]) -> str:
    """The first problem with the user's answers, or ""."""
    return answers.answers_problem(
        given, template_registry(environment), list(LICENSES), project_dependencies(environment)
    )


@pass_environment
def answer_problem(environment: Environment, question: str, value: str, pairing: str = "") -> str:
    """Why one answer is unusable, or "" (copier's validators)."""
    registry = template_registry(environment)
    dependencies = project_dependencies(environment) if question == "project_name" else ()
    return answers.answer_problem(question, value, registry, list(LICENSES), pairing, dependencies)


@pass_context
def asks(context: Context, option: str) -> bool:
    """Whether copier asks an option: only where the pairing can take its other value.

    Where it cannot, a value chosen already (with --data, or in the answers of a
    project that `copier update` moves to that pairing) is refused with the
    message cruft gives, rather than quietly replaced by the default.
    """
    registry = template_registry(context.environment)
    pairing = context.get("pairing")
    if option not in registry.get(pairing, {}).get("refuses", {}):
        return True
    chosen = context.get(option)
    problem = answers.option_problem(option, chosen, pairing, registry) if chosen else ""
    if problem:
        raise ValueError(problem)
    return False


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
            py_string=escaping.python_string,
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
            asks=asks,
            for_languages=for_languages,
        )


__all__ = ["BinaryExtensionTemplate"]
