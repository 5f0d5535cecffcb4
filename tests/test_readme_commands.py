"""The README's development commands are found, and running them as a user would
fails on the defects the build sessions guard against (those sessions compile;
these tests stop before anything is compiled)."""

from __future__ import annotations

import ensurepip
import shutil
from pathlib import Path

import pytest
from conftest import PAIRINGS, Rendered, render

from template_checks.readme_commands import (
    ACTIVATE,
    build_tools,
    development_blocks,
    programs_except,
    run_blocks,
    scripts,
    this_python,
)
from template_tools import registry

REGISTRY = registry.load()

# The oldest pip that knows `pip install --group`.
PIP_WITH_GROUPS = (25, 1)


def test_every_readme_has_a_development_block_ending_with_the_tests(rendered: Rendered) -> None:
    blocks = development_blocks((rendered.path / "README.md").read_text(encoding="utf-8"))
    assert blocks
    first = blocks[0].splitlines()
    assert first[0] == "python -m venv .venv && source .venv/bin/activate"
    assert first[-1] == "pytest"


def test_build_tools_are_left_off_the_path(tmp_path: Path) -> None:
    if not any(shutil.which(tool) for tool in build_tools()):
        pytest.skip("none of the build tools is installed here, so none can be left off")
    programs = programs_except(build_tools(), tmp_path)
    assert shutil.which("git", path=str(programs))
    assert not any(shutil.which(tool, path=str(programs)) for tool in build_tools())


@pytest.fixture
def python() -> Path:
    """The CPython the tests run on, outside their virtualenv."""
    return this_python()


def test_installing_a_group_fails_with_the_pip_a_new_venv_brings(
    tmp_path: Path, python: Path
) -> None:
    if tuple(map(int, ensurepip.version().split(".")[:2])) >= PIP_WITH_GROUPS:
        pytest.skip(f"this CPython's venvs bring pip {ensurepip.version()}, which has --group")
    project = render(tmp_path / "project")
    block = "python -m venv .venv && source .venv/bin/activate\npip install -e . --group dev\n"
    result = run_blocks(project, [block], python, tmp_path / "scratch", capture=True)
    assert result.returncode != 0
    assert "no such option: --group" in result.stderr


def test_a_rebuild_recipe_without_cmake_fails_when_cmake_is_not_installed(
    tmp_path: Path, python: Path
) -> None:
    for pairing in PAIRINGS:
        project = render(tmp_path / pairing, pairing=pairing)
        blocks = development_blocks((project / "README.md").read_text(encoding="utf-8"))
        recipe = next((block for block in blocks[1:] if " cmake ninja\n" in block), None)
        if recipe:
            break
    else:
        pytest.skip("no README has a rebuild recipe that installs cmake")
    # The recipe as it stood, without cmake and ninja; the upgrade keeps pip current.
    first = "python -m venv .venv && source .venv/bin/activate\npython -m pip install -q -U pip\n"
    planted = recipe.replace(" cmake ninja\n", "\n")
    result = run_blocks(project, [first, planted], python, tmp_path / "scratch", capture=True)
    assert result.returncode != 0
    assert "Could not find CMake" in result.stdout + result.stderr


def test_every_readme_ends_its_development_blocks_with_the_registry_retest(
    rendered: Rendered,
) -> None:
    # The compare session times this block: README and measurement are one fact.
    blocks = development_blocks((rendered.path / "README.md").read_text(encoding="utf-8"))
    retest = REGISTRY.pairings[rendered.pairing]["retest_after_edit"]
    assert blocks[-1] == f"{retest}\n"


def test_a_later_block_gets_the_tests_only_where_it_lacks_them() -> None:
    first, install, retest = "python -m venv .venv\n", "pip install -e .\n", "make && pytest\n"
    assert scripts([first, install, retest]) == [
        first,
        f"{ACTIVATE}\n{install}pytest\n",
        f"{ACTIVATE}\n{retest}",
    ]
