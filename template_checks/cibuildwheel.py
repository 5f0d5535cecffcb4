"""Stand-ins for what cibuildwheel does with a project's configuration."""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import nox.project


@dataclass(frozen=True)
class WheelTestPlan:
    """How cibuildwheel tests each wheel: what it installs beside the wheel, the
    files it copies to a fresh folder, and the command it runs there."""

    requirements: list[str]
    sources: list[str]
    command: list[str]


def test_plan(project: Path) -> WheelTestPlan:
    """The test settings of the project's [tool.cibuildwheel] table."""
    pyproject = nox.project.load_toml(project / "pyproject.toml")
    config = pyproject["tool"]["cibuildwheel"]
    groups = [
        requirement
        for name in config.get("test-groups", [])
        for requirement in nox.project.dependency_groups(pyproject, name)
    ]
    return WheelTestPlan(
        requirements=[*config.get("test-requires", []), *groups],
        sources=list(config["test-sources"]),
        command=shlex.split(config["test-command"]),
    )


def copy_test_sources(project: Path, sources: Iterable[str], destination: Path) -> None:
    """Copy the configured test-sources, as cibuildwheel does before testing."""
    for source in sources:
        target = destination / source
        if (project / source).is_dir():
            shutil.copytree(project / source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(project / source, target)


def python_tags(identifiers: Iterable[str]) -> set[str]:
    """The Python tags (cp311, cp314t, pp311) of build identifiers."""
    return {identifier.split("-")[0] for identifier in identifiers}


def plan_problems(
    identifiers: list[str], supported: set[str], pypy: bool, free_threaded: bool
) -> list[str]:
    """What is wrong with cibuildwheel's plan for a project ([] when right): every
    supported CPython, PyPy exactly where the binding supports it, free-threaded
    builds exactly when asked for, no 32-bit Windows."""
    pythons = python_tags(identifiers)
    problems = []
    if missing := supported - pythons:
        problems.append(f"no builds for {sorted(missing)}")
    if any(python.startswith("pp") for python in pythons) != pypy:
        problems.append(f"PyPy builds {'missing' if pypy else 'unexpected'}")
    if any(python.endswith("t") for python in pythons) != free_threaded:
        problems.append(f"free-threaded builds {'missing' if free_threaded else 'unexpected'}")
    if win32 := [identifier for identifier in identifiers if identifier.endswith("win32")]:
        problems.append(f"32-bit builds: {win32}")
    return problems
