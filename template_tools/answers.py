"""Rules for the answers a user gives, shared by every way of creating a project.

Each rule returns the problem as one line (what was wrong, what is allowed and,
where one exists, a suggestion), or an empty string when the answer is usable.
"""

from __future__ import annotations

import keyword
import re
import sys
from typing import Any
from urllib.parse import urlsplit

# The pairing registry: each pairing's entry, by name.
Registry = dict[str, dict[str, Any]]

# PEP 508 names: ASCII letters and digits, with ".", "-" and "_" inside.
_DISTRIBUTION_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s<>\",;]+@[^@\s<>\",;]+\.[^@\s<>\",;.]+$")


def import_name(project_name: str) -> str:
    """The import name derived from a distribution name: lower case, "-" and "." as "_"."""
    return re.sub(r"[-.]", "_", project_name.lower())


def _suggest_project_name(project_name: str) -> str:
    """A usable name close to what was typed, or "" if nothing sensible remains."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", project_name).strip("._-")
    leading_digits = re.match(r"^[0-9._-]+", name)
    if leading_digits:
        name = name[leading_digits.end() :] + leading_digits.group().strip("._-")
    if name and (_shadows(import_name(name)) or keyword.iskeyword(import_name(name))):
        name = f"py{name}"
    return name if _DISTRIBUTION_NAME.match(name) else ""


# `sys.stdlib_module_names` leaves out CPython's own test suite package, `test`.
_STANDARD_LIBRARY = frozenset(sys.stdlib_module_names) | {"test"}


def _shadows(module: str) -> bool:
    return module in _STANDARD_LIBRARY


# Longer names push generated lines (a C module name, an import) past the widths
# of clang-format and ruff, which cannot split them.
MAX_PROJECT_NAME = 50


def project_name_problem(project_name: str) -> str:
    """Why `project_name` cannot name a package, or ""."""
    suggestion = _suggest_project_name(project_name)
    hint = f" (try {suggestion!r})" if suggestion else ""
    if not _DISTRIBUTION_NAME.match(project_name):
        return (
            f"project_name {project_name!r} is not a valid distribution name: use ASCII "
            f"letters, digits, '-', '_' and '.', starting and ending with a letter or digit{hint}"
        )
    if len(project_name) > MAX_PROJECT_NAME:
        shorter = project_name[:MAX_PROJECT_NAME].rstrip("._-")
        return (
            f"project_name {project_name!r} is {len(project_name)} characters long: keep it to "
            f"{MAX_PROJECT_NAME} or fewer, so that every generated line fits its formatter's "
            f"width (try {shorter!r})"
        )
    module = import_name(project_name)
    if not module.isidentifier():
        return (
            f"project_name {project_name!r} gives the import name {module!r}, which is not a "
            f"Python identifier: it must not start with a digit{hint}"
        )
    if keyword.iskeyword(module):
        return (
            f"project_name {project_name!r} gives the import name {module!r}, which is a "
            f"Python keyword{hint}"
        )
    if _shadows(module):
        return (
            f"project_name {project_name!r} gives the import name {module!r}, which would "
            f"shadow the standard library module of that name{hint}"
        )
    return ""


def text_problem(question: str, value: str) -> str:
    """Why a free-text answer cannot be used, or "": it must be one printable line."""
    if not value.strip():
        return f"{question} is empty: type one line of text"
    if not value.isprintable():
        return (
            f"{question} {value!r} contains a line break or control character: "
            "type one line of printable text"
        )
    return ""


def email_problem(email: str) -> str:
    """Why `email` does not look like an e-mail address, or ""."""
    if _EMAIL.match(email):
        return ""
    return f"email {email!r} does not look like an e-mail address: use the form name@example.org"


def url_problem(url: str) -> str:
    """Why `url` does not look like an http(s) URL, or ""."""
    problem = f"url {url!r} is not an http(s) URL: use the form https://host/path, without spaces"
    if not url.isprintable() or any(char.isspace() for char in url):
        return problem
    try:
        parts = urlsplit(url)
    except ValueError:
        return problem
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return problem
    return ""


def choice_problem(question: str, value: str, choices: list[str]) -> str:
    """Why `value` is not one of `choices`, or ""."""
    if value in choices:
        return ""
    return f"{question} {value!r} is not one of the choices: {', '.join(choices)}"


# The cross-cutting options: their choices (the default first) and the value a
# pairing may refuse, with its reason, in its `refuses` table of the registry.
OPTIONS: dict[str, tuple[str, ...]] = {
    "stable_abi": ("no", "yes"),
    "free_threading": ("no", "yes"),
    "versioning": ("static", "vcs"),
}


def option_problem(option: str, value: str, pairing: str, registry: Registry) -> str:
    """Why a pairing cannot take this option value, or ""."""
    choices = OPTIONS[option]
    if value not in choices:
        return choice_problem(option, value, list(choices))
    reason = registry.get(pairing, {}).get("refuses", {}).get(option, "")
    if value == choices[0] or not reason:
        return ""
    able = [name for name, entry in registry.items() if option not in entry.get("refuses", {})]
    return (
        f"{option}={value} is not available with pairing {pairing!r}: {reason}; "
        f"keep {option}={choices[0]} or choose one of: {', '.join(able)}"
    )


def answer_problem(
    question: str, value: str, registry: Registry, licenses: list[str], pairing: str = ""
) -> str:
    """Why the answer to one question is unusable, or ""."""
    if question == "project_name":
        return project_name_problem(value)
    if question == "pairing":
        return choice_problem(question, value, list(registry))
    if question == "license":
        return choice_problem(question, value, licenses)
    if question == "email":
        return email_problem(value)
    if question == "url":
        return url_problem(value)
    if question in OPTIONS:
        return option_problem(question, value, pairing, registry)
    return text_problem(question, value)


# The questions checked, in the order their problems are reported.
QUESTIONS = (
    "project_name",
    "pairing",
    "license",
    "project_short_description",
    "full_name",
    "email",
    "url",
    *OPTIONS,
)


def answers_problem(answers: dict[str, str], registry: Registry, licenses: list[str]) -> str:
    """The first problem with a full set of answers, or "" when all are usable.

    An option left out (answers recorded before it existed) takes its default.
    """
    given = {option: choices[0] for option, choices in OPTIONS.items()} | dict(answers)
    problems = (
        answer_problem(question, given[question], registry, licenses, given["pairing"])
        for question in QUESTIONS
    )
    return next((problem for problem in problems if problem), "")
