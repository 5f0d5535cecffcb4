"""Every pairing renders into a complete, parseable project, and nothing else leaks in."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import DEFAULTS, PAIRINGS, ROOT, Rendered, assert_every_data_file_parses, render

from template_tools.answers import MAX_PROJECT_NAME, OPTIONS
from template_tools.jinja import LICENSES, registry

SHARED_FILES = {
    ".gitignore",
    "LICENSE",
    "README.md",
    "noxfile.py",
    "pyproject.toml",
    "docs/api.md",
    "docs/conf.py",
    "docs/index.md",
    "src/my_package/__init__.py",
    "src/my_package/py.typed",
    "tests/test_core.py",
}
JINJA_MARKER = re.compile(r"(?<!\$)\{\{|\{%|\{#")


def files_of(project: Path) -> set[str]:
    return {path.relative_to(project).as_posix() for path in project.rglob("*") if path.is_file()}


def own_files(pairing: str) -> set[str]:
    return {path.name for path in (ROOT / "templates/pairings" / pairing / "files").iterdir()}


def test_questions_offer_exactly_the_registered_pairings_licenses_and_options() -> None:
    assert DEFAULTS["pairing"] == PAIRINGS == list(registry())
    assert DEFAULTS["license"] == list(LICENSES)
    for option, choices in OPTIONS.items():
        assert DEFAULTS[option] == list(choices)
    assert {path.stem for path in (ROOT / "templates/licenses").iterdir()} == set(LICENSES)


def test_project_has_the_shared_files_and_exactly_its_pairings_own_files(
    rendered: Rendered,
) -> None:
    pairing = rendered.pairing
    names = files_of(rendered.path)
    assert names >= SHARED_FILES
    shipped = {Path(name).name for name in names}
    assert own_files(pairing) <= shipped
    others = set().union(*(own_files(other) for other in PAIRINGS)) - own_files(pairing)
    assert not (others & shipped), f"{pairing} got another pairing's files"


def test_every_data_file_parses(rendered: Rendered) -> None:
    assert_every_data_file_parses(rendered.path)


def test_no_template_markers_blank_line_runs_or_trailing_spaces(rendered: Rendered) -> None:
    for path in rendered.path.rglob("*"):
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        if not text:
            continue
        name = path.relative_to(rendered.path)
        assert not JINJA_MARKER.search(text), f"template marker left in {name}"
        assert not re.search(r"[ \t]+$", text, re.MULTILINE), f"trailing space in {name}"
        assert text.endswith("\n"), f"no final newline in {name}"
        assert not text.startswith("\n"), f"blank line at the start of {name}"
        assert not text.endswith("\n\n"), f"blank lines at the end of {name}"
        # Python allows two blank lines between top-level definitions; nothing allows more.
        most_blank_lines = 2 if path.suffix in {".py", ".pyi", ".pyx"} else 1
        assert "\n" * (most_blank_lines + 2) not in text, f"blank-line run in {name}"


def test_rendering_is_deterministic(tmp_path: Path) -> None:
    for pairing in PAIRINGS:
        first = render(tmp_path / "first" / pairing, pairing=pairing)
        second = render(tmp_path / "second" / pairing, pairing=pairing)
        assert files_of(first) == files_of(second)
        for name in files_of(first):
            assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_template_ci_builds_every_registered_pairing() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())
    assert workflow["jobs"]["pairings"]["strategy"]["matrix"]["pairing"] == PAIRINGS


# The longest project_name the answer rules allow (template_tools.answers).
LONGEST_NAME = "a-distribution-name-that-is-just-fifty-characters1"


@pytest.mark.parametrize("pairing", PAIRINGS)
def test_the_longest_allowed_name_still_gives_formatted_sources(
    tmp_path: Path, pairing: str
) -> None:
    assert len(LONGEST_NAME) == MAX_PROJECT_NAME
    # free_threading adds a test file that imports the package by name.
    options = (
        {} if "free_threading" in registry()[pairing]["refuses"] else {"free_threading": "yes"}
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
