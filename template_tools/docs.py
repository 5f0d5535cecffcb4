"""The generated parts of the template's documentation site (docs/).

Pages that would go stale if written by hand are written from their single
sources when the site is built (docs/conf.py calls `write`): the pairings side
by side from the registry, every question from cookiecutter.json and the
registry, and the files of a generated project from the skeleton's file names
as cookiecutter renders them. Each lands in docs/_generated/, which the pages
include. A rendered file without a description in docs/tour.toml, or a
description of a file no project gets, stops the build.
"""

from __future__ import annotations

import functools
import json
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from template_tools import registry
from template_tools.answers import OPTIONS

ROOT = Path(__file__).resolve().parent.parent
SKELETON = ROOT / "{{cookiecutter.project_name}}"
GENERATED = "_generated"
# What `add` computes in, as the registry's `int_model` names it.
INT_MODELS = {
    "int64": "64-bit; a sum beyond raises `OverflowError`",
    "python-int": "Python's `int`, unbounded",
}
# The tools that make projects, and what each adds to cookiecutter's render context
# (template_tools.following reads it).
TOOLS: dict[str, dict[str, Any]] = {
    "cruft": {"cookiecutter": {"_commit": "0" * 40}},
    "copier": {"_copier_conf": {"answers_file": ".copier-answers.yml"}},
}


def cell(text: str) -> str:
    """Text that stays in one cell of a Markdown table."""
    return text.replace("|", "\\|").replace("\n", " ")


def table(header: list[str], rows: Iterable[list[str]]) -> str:
    lines = [header, ["---"] * len(header), *rows]
    return "".join("| " + " | ".join(map(cell, line)) + " |\n" for line in lines)


class Reasons:
    """Footnotes for refusals: one per distinct reason, numbered as first cited."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def cite(self, reason: str) -> str:
        number = self.numbers.setdefault(reason, len(self.numbers) + 1)
        return f"[^refusal-{number}]"

    def notes(self) -> str:
        return "".join(
            f"[^refusal-{number}]: {reason}\n\n" for reason, number in self.numbers.items()
        )


def pairings_page(template: registry.Registry) -> str:
    """The pairings side by side: what each can take and build, each refusal
    with its reason, then the facts of each build."""
    reasons = Reasons()
    default = next(iter(template.pairings))
    option_columns = [f"`{option}={values[1]}`" for option, values in OPTIONS.items()]
    platform_columns = [facts["name"] for facts in template.platforms.values()]
    capabilities = []
    for name, entry in template.pairings.items():
        row = [f"`{name}`" + (" (default)" if name == default else ""), entry["prompt"]]
        row.append("yes" if entry["pypy"] else "no")
        for option in OPTIONS:
            if option in entry["refuses"]:
                row.append("no " + reasons.cite(entry["refuses"][option]))
            elif option == "stable_abi" and entry["abi3_minimum"] != template.oldest_python:
                row.append(f"yes, for CPython {entry['abi3_minimum']} on")
            else:
                row.append("yes")
        for platform in registry.platforms_of(template, name, {}):
            refusal = entry["platforms_refused"].get(platform["id"])
            if not refusal:
                row.append("yes")
            elif refusal["when"]:
                value = OPTIONS[refusal["when"]][1]
                row.append(
                    f"not with `{refusal['when']}={value}` " + reasons.cite(refusal["reason"])
                )
            else:
                row.append("no " + reasons.cite(refusal["reason"]))
        capabilities.append(row)
    header = ["pairing", "what it is", "PyPy", *option_columns, *platform_columns]
    facts = []
    for name, entry in template.pairings.items():
        generator = entry["stub_generator"].get("name", "")
        rebuild = entry["editable_requires"]
        facts.append(
            [
                f"`{name}`",
                f"`{entry['build_backend']}`",
                ", ".join(f"`{requirement}`" for requirement in entry["build_requires"]),
                INT_MODELS.get(entry["int_model"], entry["int_model"]),
                f"checked against {generator}" if generator else "written by hand",
                ", ".join(rebuild) if rebuild else "nothing more",
                f"`{entry['retest_after_edit']}`",
            ]
        )
    facts_header = [
        "pairing",
        "build-backend",
        "build requirements",
        "`add` computes in",
        "`.pyi` stub",
        "an editable install needs first",
        "retest after editing compiled code",
    ]
    pythons = ", ".join(template.pythons)
    return (
        f"Every pairing builds wheels for CPython {pythons} on Linux, macOS and Windows. "
        "Beyond those, and for each build option (its non-default value), a pairing "
        "either can or refuses, for the reason in the note.\n\n"
        + table(header, capabilities)
        + "\n"
        + reasons.notes()
        + "What each pairing's build needs and gives:\n\n"
        + table(facts_header, facts)
    )


def sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else f"{text}."


def questions_page(
    cookiecutter: Mapping[str, Any], defaults: Mapping[str, Any], template: registry.Registry
) -> str:
    """Every question, in the order asked: its prompt, default (as rendered) and
    choices with what each does, and for a build option the pairings that refuse
    its other value."""
    prompts = cookiecutter["__prompts__"]
    sections = []
    for question, value in cookiecutter.items():
        if question.startswith("_"):
            continue
        prompt = prompts[question]
        lines = [f"## `{question}`\n"]
        if isinstance(value, list):
            lines.append(f"{sentence(prompt['__prompt__'])} Default: `{value[0]}`.\n")
            lines.extend(
                f"- `{choice}`: {prompt[choice].removeprefix(f'{choice}: ')}" for choice in value
            )
            lines.append("")
        else:
            lines.append(f"{sentence(prompt)} Default: `{defaults[question]}`.\n")
        if question in OPTIONS:
            lines.append(option_refusals(question, template))
        sections.append("\n".join(lines))
    return "\n".join(sections)


def option_refusals(option: str, template: registry.Registry) -> str:
    """Which pairings refuse a build option's other value, and why."""
    other = OPTIONS[option][1]
    refusing = {
        name: entry["refuses"][option]
        for name, entry in template.pairings.items()
        if option in entry["refuses"]
    }
    if not refusing:
        return f"Every pairing takes `{option}={other}`.\n"
    lines = [
        f"These pairings refuse `{option}={other}` (copier does not ask it with them):\n",
        *(f"- `{name}`: {reason}" for name, reason in refusing.items()),
    ]
    return "\n".join(lines) + "\n"


@functools.cache
def cookiecutter_context_of_defaults() -> dict[str, Any]:
    """The answers cookiecutter renders with when given none."""
    from cookiecutter.generate import generate_context
    from cookiecutter.prompt import prompt_for_config

    context = generate_context(str(ROOT / "cookiecutter.json"))
    answers: dict[str, Any] = prompt_for_config(context, no_input=True)
    answers["_extensions"] = context["cookiecutter"]["_extensions"]
    return answers


@functools.cache
def environment() -> Any:
    """The Jinja environment cookiecutter renders the skeleton with."""
    from cookiecutter.environment import StrictEnvironment
    from jinja2 import FileSystemLoader

    context = {"cookiecutter": cookiecutter_context_of_defaults()}
    rendering = StrictEnvironment(context=context, keep_trailing_newline=True)
    rendering.loader = FileSystemLoader([str(SKELETON), str(ROOT / "templates")])
    return rendering


@functools.cache
def compiled(name: str) -> Any:
    """A skeleton file or folder name, as a Jinja template."""
    return environment().from_string(name)


def rendered_names(answers: Mapping[str, str], tool: str = "cookiecutter") -> set[str]:
    """The project paths a render with these answers writes: the skeleton's file
    names rendered as cookiecutter renders them, a name rendering empty skipped."""
    extra = TOOLS.get(tool, {})
    # Only the given answers differ from the defaults: none is derived from them.
    context = {**cookiecutter_context_of_defaults(), **answers, **extra.get("cookiecutter", {})}
    variables = {"cookiecutter": context}
    variables.update({key: value for key, value in extra.items() if key != "cookiecutter"})
    names = set()
    for path in SKELETON.rglob("*"):
        if not path.is_file():
            continue
        parts = [compiled(part).render(**variables) for part in path.relative_to(SKELETON).parts]
        if all(parts):
            names.add("/".join(parts))
    return names


def where_rendered(template: registry.Registry) -> dict[str, str]:
    """Each project path, with the projects that get it: every project, some
    pairings, or those with an option or made by a tool that adds it."""
    pairings = list(template.pairings)
    by_pairing = {pairing: rendered_names({"pairing": pairing}) for pairing in pairings}
    options: dict[str, set[str]] = {}
    tools: dict[str, set[str]] = {}
    for pairing in pairings:
        for option, values in OPTIONS.items():
            if option in template.pairings[pairing]["refuses"]:
                continue
            for path in rendered_names({"pairing": pairing, option: values[1]}):
                if path not in by_pairing[pairing]:
                    options.setdefault(path, set()).add(f"with `{option}={values[1]}`")
        for tool in TOOLS:
            for path in rendered_names({"pairing": pairing}, tool):
                if path not in by_pairing[pairing]:
                    tools.setdefault(path, set()).add(tool)
    found: dict[str, str] = {}
    for path in sorted({path for names in by_pairing.values() for path in names}):
        having = [pairing for pairing in pairings if path in by_pairing[pairing]]
        found[path] = (
            "every project"
            if having == pairings
            else ", ".join(f"`{pairing}`" for pairing in having)
        )
    for path in sorted({*options, *tools}):
        made_by = ["made by " + " or ".join(sorted(tools[path]))] if path in tools else []
        found.setdefault(
            path, "projects " + " or ".join([*sorted(options.get(path, ())), *made_by])
        )
    return found


def tour_page(where: Mapping[str, str], descriptions: Mapping[str, str]) -> str:
    """The files of a generated project, each with what it is for and which
    projects get it."""
    undescribed = sorted(set(where) - set(descriptions))
    unknown = sorted(set(descriptions) - set(where))
    if undescribed or unknown:
        raise ValueError(
            "docs/tour.toml is stale: "
            + "; ".join(
                part
                for part in (
                    f"describe {', '.join(undescribed)}" if undescribed else "",
                    f"no project has {', '.join(unknown)}" if unknown else "",
                )
                if part
            )
        )
    rows = ([f"`{path}`", descriptions[path], where[path]] for path in where)
    return table(["file", "what it is for", "who gets it"], rows)


def measurements_page(docs: Path) -> str:
    """The `compare` session's table and plot where it wrote them, else how to make them."""
    measured = docs / "measurements"
    if not (measured / "compare.md").is_file():
        return (
            "No measurements are in this checkout yet: `nox -s compare` measures every "
            "pairing and writes them to `docs/measurements/`.\n"
        )
    parts = ["```{include} /measurements/compare.md\n```\n"]
    if (measured / "compare.png").is_file():
        parts.append("```{image} /measurements/compare.png\n:alt: the measurements, plotted\n```\n")
    return "\n".join(parts)


def pages(docs: Path) -> dict[str, str]:
    """Each generated page's name and text."""
    template = registry.load()
    cookiecutter = json.loads((ROOT / "cookiecutter.json").read_text(encoding="utf-8"))
    descriptions = tomllib.loads((docs / "tour.toml").read_text(encoding="utf-8"))
    return {
        "pairings.md": pairings_page(template),
        "measurements.md": measurements_page(docs),
        "questions.md": questions_page(cookiecutter, cookiecutter_context_of_defaults(), template),
        "tour.md": tour_page(where_rendered(template), descriptions),
    }


def write(docs: Path) -> None:
    """Write the generated pages into docs/_generated/, leaving unchanged ones as they
    are (Sphinx rereads what changed)."""
    folder = docs / GENERATED
    folder.mkdir(exist_ok=True)
    for name, text in pages(docs).items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
