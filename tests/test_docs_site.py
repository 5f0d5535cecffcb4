"""The docs site's generated pages follow their sources, and its build check can fail.

`nox -s docs` builds the site with warnings as errors; these tests check what it
writes from the registry, cookiecutter.json and the skeleton, without Sphinx.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from conftest import PAIRINGS, REGISTRY, ROOT, contents_of, render

from template_checks import docs_site
from template_tools import docs, registry
from template_tools.answers import OPTIONS

DOCS = ROOT / "docs"


def test_the_pairings_page_shows_every_pairing_and_every_refusal_with_its_reason() -> None:
    page = docs.pairings_page(REGISTRY)
    for name, entry in REGISTRY.pairings.items():
        # Its first row: what it can take and build.
        row = next(line for line in page.splitlines() if line.startswith(f"| `{name}`"))
        assert entry["prompt"] in row
        reasons = [
            *entry["refuses"].values(),
            *(refusal["reason"] for refusal in entry["platforms_refused"].values()),
        ]
        for reason in reasons:
            (note,) = re.findall(rf"^\[\^(refusal-\d+)\]: {re.escape(reason)}$", page, re.MULTILINE)
            assert f"[^{note}]" in row, (name, reason)


def test_a_pairing_added_to_the_registry_shows_on_the_pairings_page() -> None:
    # A new pairing of a binding and a backend that already serve others.
    binding = REGISTRY.pairings[PAIRINGS[0]]["binding_id"]
    backend = next(
        entry["backend_id"]
        for entry in REGISTRY.pairings.values()
        if entry["backend_id"] != REGISTRY.pairings[PAIRINGS[0]]["backend_id"]
    )
    planted = f"{binding}-planted"

    def read(name: str) -> str:
        if name == f"pairings/{planted}/pairing.toml":
            return f'binding = "{binding}"\nbackend = "{backend}"\n'
        text = (ROOT / "templates" / name).read_text(encoding="utf-8")
        if name == "registry.toml":
            # The last of the pairings' list.
            return re.sub(r'(pairings = \[\n(?:  "[^"]+",\n)*)', rf'\1  "{planted}",\n', text)
        return text

    page = docs.pairings_page(registry.load(read))
    assert f"| `{planted}` | {binding_name(binding)}" in page
    assert sum(line.startswith(f"| `{planted}` |") for line in page.splitlines()) == 2


def binding_name(binding: str) -> str:
    """How a binding's part of the pairing question's answer starts."""
    entry = next(entry for entry in REGISTRY.pairings.values() if entry["binding_id"] == binding)
    return str(entry["prompt"]).split(" built by ")[0]


def test_the_questions_page_shows_every_question_choice_and_refusal() -> None:
    cookiecutter = json.loads((ROOT / "cookiecutter.json").read_text(encoding="utf-8"))
    page = docs.questions_page(cookiecutter, docs.cookiecutter_context_of_defaults(), REGISTRY)
    questions = [name for name in cookiecutter if not name.startswith("_")]
    assert re.findall(r"^## `(\w+)`$", page, re.MULTILINE) == questions
    for question in questions:
        if isinstance(cookiecutter[question], list):
            for choice in cookiecutter[question]:
                assert f"- `{choice}`: " in page, (question, choice)
    assert "Default: `https://github.com/jane-doe/my-package`." in page
    for name, entry in REGISTRY.pairings.items():
        for reason in entry["refuses"].values():
            assert f"- `{name}`: {reason}" in page
    for option in OPTIONS:
        assert f"`{option}={OPTIONS[option][1]}`" in page


def test_a_question_added_to_cookiecutter_json_shows_on_the_questions_page() -> None:
    cookiecutter = json.loads((ROOT / "cookiecutter.json").read_text(encoding="utf-8"))
    cookiecutter["planted"] = "value"
    cookiecutter["__prompts__"]["planted"] = "A planted question"
    defaults = {**docs.cookiecutter_context_of_defaults(), "planted": "value"}
    page = docs.questions_page(cookiecutter, defaults, REGISTRY)
    assert "## `planted`\n\nA planted question. Default: `value`." in page


def test_the_tour_describes_every_file_a_project_can_have() -> None:
    where = docs.where_rendered(REGISTRY)
    descriptions = tomllib.loads((DOCS / "tour.toml").read_text(encoding="utf-8"))
    assert set(where) == set(descriptions)
    assert where["pyproject.toml"] == "every project"
    assert where[".gitattributes"] == "projects with `versioning=vcs`"
    assert where[".github/workflows/template-update.yml"] == "projects made by copier or cruft"


def test_the_rendered_names_are_the_files_cookiecutter_writes(tmp_path: Path) -> None:
    project = render(tmp_path)
    assert docs.rendered_names({}) == set(contents_of(project))
    pairing = PAIRINGS[-1]
    project = render(tmp_path / pairing, pairing=pairing, versioning="static")
    assert docs.rendered_names({"pairing": pairing}) == set(contents_of(project))


def test_the_tour_refuses_a_file_without_a_description_and_a_description_of_none() -> None:
    where = {"pyproject.toml": "every project", "planted.txt": "every project"}
    with pytest.raises(ValueError, match=r"describe planted\.txt"):
        docs.tour_page(where, {"pyproject.toml": "metadata"})
    with pytest.raises(ValueError, match=r"no project has gone\.txt"):
        docs.tour_page(where, {"pyproject.toml": "metadata", "planted.txt": "x", "gone.txt": "y"})


def test_the_measurements_show_where_compare_wrote_them(tmp_path: Path) -> None:
    assert "`nox -s compare`" in docs.measurements_page(tmp_path)
    measured = tmp_path / "measurements"
    measured.mkdir()
    (measured / "compare.md").write_text("| pairing |\n|---|\n", encoding="utf-8")
    page = docs.measurements_page(tmp_path)
    assert "```{include} /measurements/compare.md" in page
    assert "compare.png" not in page
    (measured / "compare.png").write_bytes(b"")
    assert "```{image} /measurements/compare.png" in docs.measurements_page(tmp_path)


def test_the_planted_copy_links_to_a_missing_page_and_leaves_the_site_alone(
    tmp_path: Path,
) -> None:
    before = (DOCS / "index.md").read_text(encoding="utf-8")
    planted = docs_site.with_broken_link(ROOT, tmp_path / "planted")
    assert (planted.parent / "README.md").read_text(encoding="utf-8") == (
        ROOT / "README.md"
    ).read_text(encoding="utf-8")
    index = (planted / "index.md").read_text(encoding="utf-8")
    assert index.startswith(before)
    assert f"]({docs_site.MISSING_PAGE})" in index
    assert not (DOCS / docs_site.MISSING_PAGE).exists()
    assert (DOCS / "index.md").read_text(encoding="utf-8") == before


def test_the_readme_has_the_sections_the_pages_include() -> None:
    assert docs_site.missing_markers(DOCS, (ROOT / "README.md").read_text(encoding="utf-8")) == []


def test_a_readme_without_an_included_heading_is_reported() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    renamed = readme.replace("\n## Three ways to create", "\n## Ways to create", 1)
    assert renamed != readme
    missing = docs_site.missing_markers(DOCS, renamed)
    assert missing
    assert all("## Three ways to create" in problem for problem in missing), missing
