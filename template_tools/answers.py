"""Rules for the answers a user gives, shared by every way of creating a project.

Each rule returns the problem as one line (what was wrong, what is allowed and,
where one exists, a suggestion that the rules themselves accept), or an empty
string when the answer is usable.
"""

from __future__ import annotations

import itertools
import keyword
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from email.headerregistry import Address
from typing import Any
from urllib.parse import urlsplit

from template_tools.escaping import markdown_inline

# The pairing registry: each pairing's entry, by name.
Registry = dict[str, dict[str, Any]]

# PEP 508 names: ASCII letters and digits, with ".", "-" and "_" inside. Without
# re.ASCII, IGNORECASE lets `[A-Z]` match the dotless i, the long s and the Kelvin sign.
_DISTRIBUTION_NAME = re.compile(r"[A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9]", re.IGNORECASE | re.ASCII)

# Names Windows reserves for devices, whatever their case or extension: a
# folder so named cannot be checked out there, and wheels are built there.
_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{device}{n}" for device in ("com", "lpt") for n in range(10)]
)

# Longer names push generated lines (a C module name, an import) past the widths
# of clang-format and ruff, which cannot split them.
MAX_PROJECT_NAME = 50

# `sys.stdlib_module_names` leaves out CPython's own test suite package, `test`.
_STANDARD_LIBRARY = frozenset(sys.stdlib_module_names) | {"test"}


def import_name(project_name: str) -> str:
    """The import name derived from a distribution name: lower case, "-" and "." as "_"."""
    return re.sub(r"[-.]", "_", project_name.lower())


def normalized_name(name: str) -> str:
    """A distribution name as package indexes compare them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    """The normalized project name a PEP 508 requirement starts with."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return normalized_name(match.group(1)) if match else ""


def _name_problem(project_name: str, dependencies: frozenset[str]) -> str:
    """Why `project_name` cannot name a package, without a suggestion, or ""."""
    if not _DISTRIBUTION_NAME.fullmatch(project_name):
        return (
            f"project_name {project_name!r} is not a valid distribution name: use ASCII "
            "letters, digits, '-', '_' and '.', starting and ending with a letter or digit"
        )
    if len(project_name) > MAX_PROJECT_NAME:
        return (
            f"project_name {project_name!r} is {len(project_name)} characters long: keep it to "
            f"{MAX_PROJECT_NAME} or fewer, so that every generated line fits its formatter's width"
        )
    module = import_name(project_name)
    if not module.isidentifier():
        return (
            f"project_name {project_name!r} gives the import name {module!r}, which is not a "
            "Python identifier: it must not start with a digit"
        )
    if keyword.iskeyword(module):
        return (
            f"project_name {project_name!r} gives the import name {module!r}, which is a "
            "Python keyword"
        )
    if module in _STANDARD_LIBRARY:
        return (
            f"project_name {project_name!r} gives the import name {module!r}, which would "
            "shadow the standard library module of that name"
        )
    for name in (project_name.split(".")[0], module):
        if name.lower() in _WINDOWS_RESERVED:
            return (
                f"project_name {project_name!r} gives the file name {name!r}, which Windows "
                "reserves for a device: the project could not be checked out there"
            )
    if normalized_name(project_name) in dependencies:
        return (
            f"project_name {project_name!r} is the name of a package the generated projects "
            "build or test with: installing one would replace the other"
        )
    return ""


def _name_suggestions(project_name: str) -> Iterator[str]:
    """Usable names close to what was typed, best first."""
    ascii_only = unicodedata.normalize("NFKD", project_name).encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_only)
    name = name.strip("._-")[:MAX_PROJECT_NAME].rstrip("._-")
    leading_digits = re.match(r"[0-9._-]+", name)
    if leading_digits:
        name = name[leading_digits.end() :] + leading_digits.group().strip("._-")
    if name:
        yield name
        yield f"py{name}"
        yield f"{name}-py"


def project_name_problem(project_name: str, dependencies: frozenset[str] = frozenset()) -> str:
    """Why `project_name` cannot name a package, with a name that can, or "".

    `dependencies` are the normalized names of the packages generated projects
    depend on, to build, run, test or develop.
    """
    problem = _name_problem(project_name, dependencies)
    if not problem:
        return ""
    usable = (
        name
        for name in _name_suggestions(project_name)
        if name != project_name and not _name_problem(name, dependencies)
    )
    suggestion = next(usable, "")
    return f"{problem} (try {suggestion!r})" if suggestion else problem


# Unicode categories no answer may hold: control characters (Cc, the line breaks
# \n and \r among them), surrogates (Cs) and the line and paragraph separators.
_LINE_BREAK_OR_CONTROL = frozenset({"Cc", "Cs", "Zl", "Zp"})
# Format characters (Cf) that reorder text: ruff refuses them in Python source
# (PLE2502) and they can make text read differently from what it holds.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def _describe(char: str) -> str:
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'unnamed character')})"


def text_problem(question: str, value: str) -> str:
    """Why a free-text answer cannot be used, or "": it must be one line that
    Markdown, TOML and the package metadata all keep exactly.

    Any script, emoji sequence (zero-width joiners), non-breaking or ideographic
    space is fine; line breaks and control characters are not, nor spaces at
    either end (Markdown and metadata readers drop them) or two spaces in a row
    (Markdown and the metadata's author field read them as one).
    """
    for char in value:
        if unicodedata.category(char) in _LINE_BREAK_OR_CONTROL:
            return (
                f"{question} {value!r} contains a line break or control character, "
                f"{_describe(char)}: type one line of text"
            )
        if char in _BIDI_CONTROLS:
            return (
                f"{question} {value!r} contains the text-direction control {_describe(char)}: "
                "type the text without it"
            )
    if not any(unicodedata.category(char)[0] in "LNPS" for char in value):
        return f"{question} is empty: type one line of text"
    tidy = re.sub(" {2,}", " ", value.strip())
    if value != value.strip():
        return f"{question} {value!r} starts or ends with a space (try {tidy!r})"
    if value != tidy:
        return f"{question} {value!r} has two spaces in a row, which read as one (try {tidy!r})"
    return ""


def markdown_problem(question: str, value: str) -> str:
    """Why a text shown in Markdown would not show literally, or "".

    GitHub and MyST link a web or e-mail address in the text, and show its
    characters as typed, so one that Markdown would escape cannot show literally.
    Only ASCII whitespace ends such a link (GFM's rule): a no-break space does not.
    """
    for word in re.split(r"[ \t\n\v\f\r]+", value):
        if re.search(r"://|www\.|@", word) and markdown_inline(word) != word:
            return (
                f"{question} {value!r} holds {word!r}, which Markdown would show as a link "
                "with backslashes in it: leave out its Markdown characters or put spaces around it"
            )
    return ""


# Build backends validate `project.authors` e-mails with this pattern (the
# "idn-email" format of validate-pyproject): a dot after the "@" is required.
_PYPROJECT_EMAIL = re.compile(r"[^@]+@[^@]+\.[^@]+")


def _email_reason(email: str) -> str:
    # A plain space is left to the parser: only a quoted local part may hold one.
    invisible = next(
        (char for char in email if char != " " and unicodedata.category(char)[0] in "CZ"), ""
    )
    if invisible:
        return f"contains a control, invisible or unusual space character, {_describe(invisible)}"
    local_part, at, _ = email.rpartition("@")
    if not at:
        return "has no '@'"
    if not local_part.isascii():
        return "has non-ASCII characters before the '@', which not every build backend can write"
    try:
        # The parser build backends write `Author-email` with; it raises several
        # kinds of error (one of them an AttributeError) on what it cannot read.
        address = Address(addr_spec=email)
    except Exception:  # noqa: BLE001
        return (
            "is not one plain address: Python's e-mail parser (which build backends write "
            "the metadata with) cannot read it"
        )
    if address.addr_spec != email:
        if "(" in email:
            return (
                "holds a comment in parentheses, which build backends drop or move into "
                "the author's name"
            )
        return f"is written into the metadata as {address.addr_spec!r}"
    if not _PYPROJECT_EMAIL.fullmatch(email):
        return "has no '.' after the '@', which build backends require"
    return ""


def email_problem(email: str) -> str:
    """Why `email` is not an address every build backend writes unchanged into the
    package metadata (`Author-email`), or "".

    An address is usable when Python's e-mail parser reads it back as it is (the
    strictest backend writes the metadata with it) and pyproject validation takes
    it; the other backends then write it unchanged too. Invisible characters are refused although
    the backends keep them: they make an address that looks like another.
    """
    reason = _email_reason(email)
    if not reason:
        return ""
    return f"email {email!r} {reason}: use one plain address such as name@example.org"


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


def accepted_options(pairing: str, registry: Registry) -> list[dict[str, str]]:
    """Every combination of option values the pairing takes, all defaults first."""
    refused = registry[pairing].get("refuses", {})
    choices = [
        [(option, value) for value in values if value == values[0] or option not in refused]
        for option, values in OPTIONS.items()
    ]
    return [dict(combination) for combination in itertools.product(*choices)]


def answer_problem(
    question: str,
    value: str,
    registry: Registry,
    licenses: list[str],
    pairing: str = "",
    dependencies: Iterable[str] = (),
) -> str:
    """Why the answer to one question is unusable, or ""."""
    if question == "project_name":
        return project_name_problem(value, frozenset(dependencies))
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
    if question == "project_short_description":
        return text_problem(question, value) or markdown_problem(question, value)
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


def answers_problem(
    answers: dict[str, str],
    registry: Registry,
    licenses: list[str],
    dependencies: Iterable[str] = (),
) -> str:
    """The first problem with a full set of answers, or "" when all are usable.

    An option left out (answers recorded before it existed) takes its default.
    """
    given = {option: choices[0] for option, choices in OPTIONS.items()} | dict(answers)
    names = frozenset(dependencies)
    problems = (
        answer_problem(question, given[question], registry, licenses, given["pairing"], names)
        for question in QUESTIONS
    )
    return next((problem for problem in problems if problem), "")
