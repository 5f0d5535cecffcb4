"""The Jinja extension every template file is rendered with.

It gives templates three things, so that no template does them by hand:
- escaping filters, one per file format (see `escaping`);
- the registry (see `registry`) and the pieces of the pairing being rendered;
- the answer rules (see `answers`), for the pre-generation hook.
"""

from __future__ import annotations

import json
import re
import tomllib
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import BaseLoader, Environment, TemplateNotFound, pass_context, pass_environment
from jinja2.ext import Extension
from jinja2.runtime import Context

from template_tools import answers, escaping, registry
from template_tools.following import follows_template

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
# The folder of the files every pairing shares, as cookiecutter names it.
SKELETON = "{{cookiecutter.project_name}}"


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
    """A file of templates/ of the template being rendered, found as templates are.

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


# Loaded once per environment: a render asks for the registry hundreds of times,
# and an environment renders one checkout of the template.
_registries: weakref.WeakKeyDictionary[Environment, registry.Registry] = weakref.WeakKeyDictionary()


def template_registry(environment: Environment) -> registry.Registry:
    """The registry of the template being rendered."""
    if environment not in _registries:
        _registries[environment] = registry.load(lambda name: _read(environment, name))
    return _registries[environment]


def _pairing_of(context: Context) -> dict[str, Any]:
    return template_registry(context.environment).pairings[context["cookiecutter"]["pairing"]]


@pass_environment
def pairing_info(environment: Environment, pairing: str) -> dict[str, Any]:
    """The merged registry view of one pairing."""
    return template_registry(environment).pairings[pairing]


@pass_environment
def supported_pythons(environment: Environment) -> list[str]:
    """The CPython versions generated projects support, oldest first."""
    return template_registry(environment).pythons


@pass_environment
def free_threaded_cpython(environment: Environment) -> str:
    """The CPython release a project's ThreadSanitizer job builds."""
    return template_registry(environment).free_threaded_cpython


@pass_context
def platforms(context: Context) -> list[dict[str, str]]:
    """The platforms beyond the desktop, in order, for the project being rendered:
    each with its registry facts, `id`, and `refused` (why its wheels cannot be
    built, or "")."""
    answers = context["cookiecutter"]
    return registry.platforms_of(
        template_registry(context.environment), answers["pairing"], answers
    )


@pass_environment
def action(environment: Environment, name: str) -> str:
    """A GitHub Action pinned to its release commit, as `uses:` wants it."""
    pin = tomllib.loads(_read(environment, "actions.toml"))[name]
    return f"{name}@{pin['commit']} # {pin['version']}"


@pass_context
def piece(context: Context, name: str) -> list[str]:
    """Where `{% include piece(name) %}` finds the piece of the pairing being
    rendered: its own folder, then its backend's, its binding's, shared/."""
    return [
        path
        for candidate in registry.piece_candidates(_pairing_of(context), name)
        for path in _candidates(candidate)
    ]


@pass_context
def project_file(context: Context, *path: str) -> str:
    """The file name of project path `path` (given as its parts) if a piece of
    the pairing provides it under files/, else "" (cookiecutter and copier skip
    a file whose name renders empty)."""
    pairing = _pairing_of(context)

    def provided(parts: tuple[str, ...]) -> bool:
        relative = "/".join(("files", *parts))
        candidates = registry.piece_candidates(pairing, relative)
        return any(_exists(context.environment, candidate) for candidate in candidates)

    # A stub beside the module's own Python source would hide it from type
    # checkers: where a piece provides `_core.py`, no `_core.pyi` is shipped.
    name = path[-1]
    if name.endswith(".pyi") and provided((*path[:-1], name.removesuffix("i"))):
        return ""
    return name if provided(path) else ""


@pass_context
def for_languages(context: Context, name: str, *languages: str) -> str:
    """`name` if the pairing uses any of `languages`, else "" (a file-name condition
    without `|` or `"`, which Windows file names cannot hold)."""
    return name if set(languages) & set(_pairing_of(context)["languages"]) else ""


def _licenses(environment: Environment) -> list[str]:
    return registry.licenses(lambda name: _read(environment, name))


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
    pairings = template_registry(environment).pairings
    sources = [
        _read(environment, f"{SKELETON}/{name}") for name in ("pyproject.toml", "noxfile.py")
    ]
    key = "\0".join([*sources, json.dumps(pairings, sort_keys=True)])
    if key in _dependencies_of:
        return _dependencies_of[key]
    files = environment.overlay(loader=_TemplateFiles(environment))
    pyproject, noxfile = (files.from_string(source) for source in sources[:2])
    requirements: list[str] = []
    for pairing, entry in pairings.items():
        requirements += entry["runtime_dependencies"] + entry["editable_requires"]
        for options in answers.accepted_options(pairing, pairings):
            given = {**_PLACEHOLDER_ANSWERS, "license": _licenses(environment)[0]}
            given |= {"pairing": pairing, **options}
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
        given,
        template_registry(environment).pairings,
        _licenses(environment),
        project_dependencies(environment),
    )


@pass_environment
def answer_problem(environment: Environment, question: str, value: str, pairing: str = "") -> str:
    """Why one answer is unusable, or "" (copier's validators)."""
    pairings = template_registry(environment).pairings
    dependencies = project_dependencies(environment) if question == "project_name" else ()
    return answers.answer_problem(
        question, value, pairings, _licenses(environment), pairing, dependencies
    )


@pass_context
def asks(context: Context, option: str) -> bool:
    """Whether copier asks an option: only where the pairing can take its other value.

    Where it cannot, a value chosen already (with --data, or in the answers of a
    project that `copier update` moves to that pairing) is refused with the
    message cruft gives, rather than quietly replaced by the default.
    """
    pairings = template_registry(context.environment).pairings
    pairing = context.get("pairing")
    if option not in pairings.get(pairing, {}).get("refuses", {}):
        return True
    chosen = context.get(option)
    problem = answers.option_problem(option, chosen, pairing, pairings) if chosen else ""
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
            meson_string=escaping.meson_string,
            markdown_text=escaping.markdown_text,
            github_repository=github_repository,
            requirement_name=registry.requirement_name,
        )
        environment.globals.update(
            pairing_info=pairing_info,
            supported_pythons=supported_pythons,
            free_threaded_cpython=free_threaded_cpython,
            platforms=platforms,
            action=action,
            piece=piece,
            project_file=project_file,
            answers_problem=answers_problem,
            answer_problem=answer_problem,
            asks=asks,
            for_languages=for_languages,
            follows_template=follows_template,
        )


__all__ = ["BinaryExtensionTemplate"]
