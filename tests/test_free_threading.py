"""free_threading: each binding's own declaration that the module needs no GIL,
the thread test and free-threaded wheels, all only when the answer is yes."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
import trove_classifiers
import yaml
from conftest import PAIRINGS, REGISTRY, Rendered, render

from template_tools import registry

SKIP_FREE_THREADED = ["cp3??t-*"]
RUN_PARALLEL = "pytest-run-parallel"
# The trove classifier of a package whose modules run without the GIL, its
# documentation of thread safety perhaps incomplete.
FREE_THREADING_CLASSIFIER = "Programming Language :: Python :: Free Threading :: 2 - Beta"


def cibuildwheel(project: Path) -> dict[str, Any]:
    table: dict[str, Any] = tomllib.loads((project / "pyproject.toml").read_text())["tool"][
        "cibuildwheel"
    ]
    return table


def pyproject(project: Path) -> dict[str, Any]:
    return tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))


def names_in_the_test_group(project: Path) -> list[str]:
    return [
        registry.requirement_name(requirement)
        for requirement in pyproject(project)["dependency-groups"]["test"]
    ]


def classifiers(project: Path) -> list[str]:
    found: list[str] = pyproject(project)["project"]["classifiers"]
    return found


def free_threaded_ci_jobs(project: Path) -> set[str]:
    """The runners of the CI test jobs on a free-threaded CPython."""
    workflow = yaml.safe_load((project / ".github/workflows/ci.yml").read_text(encoding="utf-8"))
    matrix = workflow["jobs"]["tests"]["strategy"]["matrix"]
    jobs = [
        *(
            {"python-version": python, "runs-on": runner}
            for python in matrix["python-version"]
            for runner in matrix["runs-on"]
        ),
        *matrix.get("include", []),
    ]
    return {job["runs-on"] for job in jobs if str(job["python-version"]).endswith("t")}


def declaration(pairing: str) -> dict[str, str]:
    """Where the binding's sources declare the module GIL-free (the registry's fact)."""
    found: dict[str, str] = REGISTRY.pairings[pairing]["gil_free_declaration"]
    return {**found, "file": found["file"].replace("{{cookiecutter.__import_name}}", "my_package")}


def test_a_binding_without_a_declaration_states_no_gil_slot() -> None:
    # Some bindings declare GIL-free support in every module they make (they state
    # no declaration), and then no Py_mod_gil slot of a GIL build either.
    for entry in REGISTRY.pairings.values():
        if not entry["gil_free_declaration"]:
            assert not entry["gil_slot_on_gil_builds"], entry["name"]


@pytest.mark.parametrize("pairing", PAIRINGS)
def test_yes_declares_builds_and_tests_free_threading(pairing: str, tmp_path: Path) -> None:
    project = render(tmp_path, pairing=pairing, free_threading="yes")
    if REGISTRY.pairings[pairing]["gil_free_declaration"]:
        found = declaration(pairing)
        text = (project / found["file"]).read_text()
        assert found["yes"] in text
        if found["yes"].startswith("# "):
            # A directive comment counts only before any code.
            assert text.startswith(found["yes"])
    # Only the platforms the pairing cannot build for, if any, are skipped.
    assert all(not pattern.startswith("cp") for pattern in cibuildwheel(project).get("skip", []))
    assert "tests/test_threads.py" in (project / "pyproject.toml").read_text()
    threads = (project / "tests" / "test_threads.py").read_text()
    assert "@pytest.mark.force_parallel_threads(THREADS)" in threads
    assert "from my_package import add, fib" in threads
    assert "sys._is_gil_enabled()" in threads
    assert RUN_PARALLEL in names_in_the_test_group(project)
    assert FREE_THREADING_CLASSIFIER in classifiers(project)
    assert set(classifiers(project)) <= trove_classifiers.classifiers
    assert free_threaded_ci_jobs(project) == {"ubuntu-latest", "macos-latest", "windows-latest"}


def test_no_declares_nothing_and_skips_free_threaded_wheels(rendered: Rendered) -> None:
    project = rendered.path
    if REGISTRY.pairings[rendered.pairing]["gil_free_declaration"]:
        found = declaration(rendered.pairing)
        text = (project / found["file"]).read_text()
        assert found["yes"] not in text
        assert found.get("no", "") in text
    # The free-threaded builds, then those of platforms the pairing cannot build for.
    assert cibuildwheel(project)["skip"][: len(SKIP_FREE_THREADED)] == SKIP_FREE_THREADED
    assert not (project / "tests" / "test_threads.py").exists()
    assert RUN_PARALLEL not in names_in_the_test_group(project)
    assert not any("Free Threading" in classifier for classifier in classifiers(project))
    assert free_threaded_ci_jobs(project) == set()
