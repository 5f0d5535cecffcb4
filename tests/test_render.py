"""Every pairing renders into a complete, parseable project, and nothing else leaks in."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import trove_classifiers
from conftest import (
    DEFAULTS,
    PAIRINGS,
    REGISTRY,
    ROOT,
    Rendered,
    assert_clean_text,
    assert_every_data_file_parses,
    contents_of,
    own_files,
    piece_files,
    render,
)

from template_tools import registry
from template_tools.answers import MAX_PROJECT_NAME, OPTIONS

SHARED_FILES = {
    ".gitignore",
    ".readthedocs.yaml",
    "LICENSE",
    "README.md",
    "noxfile.py",
    "pyproject.toml",
    "docs/api.md",
    "docs/conf.py",
    "docs/development.md",
    "docs/index.md",
    "src/my_package/__init__.py",
    "src/my_package/py.typed",
    "tests/test_core.py",
}


def test_questions_offer_exactly_the_registered_pairings_licenses_and_options() -> None:
    assert DEFAULTS["pairing"] == PAIRINGS
    assert DEFAULTS["license"] == registry.licenses()
    for option, choices in OPTIONS.items():
        assert DEFAULTS[option] == list(choices)
    licenses = ROOT / "templates/shared/licenses"
    assert {path.stem for path in licenses.iterdir()} == set(registry.licenses())


def test_project_has_the_shared_files_and_exactly_its_pairings_own_files(
    rendered: Rendered,
) -> None:
    pairing = rendered.pairing
    names = set(contents_of(rendered.path))
    assert names >= SHARED_FILES
    assert own_files(pairing) <= names
    # A shared default that a piece replaces (templates/shared/) ships with either.
    others = set().union(*map(own_files, PAIRINGS)) - own_files(pairing) - piece_files("shared")
    assert not (others & names), f"{pairing} got another pairing's files"


def test_every_data_file_parses(rendered: Rendered) -> None:
    assert_every_data_file_parses(rendered.path)


def test_every_classifier_is_one_pypi_accepts(rendered: Rendered) -> None:
    pyproject = tomllib.loads((rendered.path / "pyproject.toml").read_text(encoding="utf-8"))
    unknown = set(pyproject["project"]["classifiers"]) - trove_classifiers.classifiers
    assert not unknown, f"PyPI refuses uploads with unknown classifiers: {unknown}"


def test_no_template_markers_blank_line_runs_or_trailing_spaces(rendered: Rendered) -> None:
    assert_clean_text(rendered.path)


def test_rendering_is_deterministic(tmp_path: Path) -> None:
    for pairing in PAIRINGS:
        first = render(tmp_path / "first" / pairing, pairing=pairing)
        second = render(tmp_path / "second" / pairing, pairing=pairing)
        assert contents_of(first) == contents_of(second), pairing


# The longest project_name the answer rules allow (template_tools.answers).
LONGEST_NAME = "a-distribution-name-that-is-just-fifty-characters1"


@pytest.mark.parametrize("pairing", PAIRINGS)
def test_the_longest_allowed_name_still_gives_formatted_sources(
    tmp_path: Path, pairing: str
) -> None:
    assert len(LONGEST_NAME) == MAX_PROJECT_NAME
    # free_threading adds a test file that imports the package by name.
    options = (
        {}
        if "free_threading" in REGISTRY.pairings[pairing]["refuses"]
        else {"free_threading": "yes"}
    )
    project = render(tmp_path, pairing=pairing, project_name=LONGEST_NAME, **options)
    for check in (["format", "--check"], ["check"]):
        subprocess.run([sys.executable, "-m", "ruff", *check, "."], cwd=project, check=True)
    sources = sorted(map(str, project.glob("src/*.[ch]*")))
    if sources:
        subprocess.run(["clang-format", "--dry-run", "--Werror", *sources], cwd=project, check=True)


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/jane-doe/my-package",
        "https://github.com/jane-doe/my-package/",
        "https://github.com/jane-doe/my-package.git",
        "https://github.com/jane-doe/my-package?tab=readme-ov-file",
        "https://github.com/jane-doe/my-package#readme",
    ],
)
def test_a_github_url_gives_its_repositorys_issues_and_ci_badge(tmp_path: Path, url: str) -> None:
    project = render(tmp_path, url=url)
    urls = tomllib.loads((project / "pyproject.toml").read_text())["project"]["urls"]
    assert urls == {"Homepage": url, "Issues": "https://github.com/jane-doe/my-package/issues"}
    badge = "https://github.com/jane-doe/my-package/actions/workflows/ci.yml/badge.svg"
    assert badge in (project / "README.md").read_text()
