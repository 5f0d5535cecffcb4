"""Every GitHub Action is pinned once, in templates/actions.toml, and the
release of pypa/gh-action-pypi-publish pinned there accepts what the projects build."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT, Rendered, render

ACTIONS = tomllib.loads((ROOT / "templates" / "actions.toml").read_text(encoding="utf-8"))
SKELETON_WORKFLOWS = ROOT / "{{cookiecutter.project_name}}" / ".github" / "workflows"
TEMPLATE_WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
USES = re.compile(r"^[ \t-]*uses:[ \t]*(?P<action>[^@\s]+)@(?P<rest>.*)$", re.MULTILINE)
PUBLISH = "pypa/gh-action-pypi-publish"
# What pypa/gh-action-pypi-publish v1.8.14, this template's pin until 2026-11, ran:
# requirements/runtime.txt at that tag.
OLD_PUBLISH_TWINE = ["twine==5.0.0", "pkginfo==1.10.0"]


def pinned(action: str) -> str:
    """How `uses:` names an action of actions.toml."""
    pin = ACTIONS[action]
    return f"{action}@{pin['commit']} # {pin['version']}"


def pin_problems(workflow: str) -> list[str]:
    """Each `uses:` of a workflow that is not an action of actions.toml at its pin."""
    problems = []
    for match in USES.finditer(workflow):
        uses = f"{match['action']}@{match['rest'].strip()}"
        if match["action"] not in ACTIONS:
            problems.append(f"{uses}: not in templates/actions.toml")
        elif uses != pinned(match["action"]):
            problems.append(f"{uses}: templates/actions.toml pins {pinned(match['action'])}")
    return problems


def test_every_pin_is_a_commit_with_its_release_and_where_it_was_verified() -> None:
    for action, pin in ACTIONS.items():
        assert re.fullmatch(r"[0-9a-f]{40}", pin["commit"]), action
        assert pin["version"], action
        assert len(pin["verified"]) > 20, f"{action}: say where the pin was verified"


@pytest.mark.parametrize("workflow", TEMPLATE_WORKFLOWS, ids=lambda path: path.name)
def test_the_template_ci_uses_the_pins_of_actions_toml(workflow: Path) -> None:
    assert pin_problems(workflow.read_text(encoding="utf-8")) == []


def test_generated_workflows_use_the_pins_of_actions_toml(rendered: Rendered) -> None:
    workflows = sorted((rendered.path / ".github" / "workflows").glob("*.yml"))
    assert workflows
    for workflow in workflows:
        assert pin_problems(workflow.read_text(encoding="utf-8")) == [], workflow.name


def test_an_unpinned_stale_or_unknown_action_is_reported() -> None:
    checkout = ACTIONS["actions/checkout"]
    workflow = "\n".join(
        [
            "steps:",
            "  - uses: actions/checkout@v7",
            f"  - uses: actions/checkout@{'0' * 40} # {checkout['version']}",
            f"  - uses: actions/checkout@{checkout['commit']} # v1.0.0",
            "  - uses: someone/else@v1",
            f"  - uses: {pinned('actions/checkout')}",
        ]
    )
    assert len(pin_problems(workflow)) == 4


def test_every_pinned_action_is_used() -> None:
    called = {
        name
        for path in SKELETON_WORKFLOWS.iterdir()
        for name in re.findall(r"""action\(["']([^"']+)["']\)""", path.read_text())
    }
    used_by_template = {
        match["action"] for path in TEMPLATE_WORKFLOWS for match in USES.finditer(path.read_text())
    }
    assert called | used_by_template == set(ACTIONS)


def twine_check(requirements: list[str], *distributions: Path) -> subprocess.CompletedProcess[str]:
    """`twine check --strict` with exactly these requirements, in a throwaway environment."""
    first, *others = requirements
    command = [sys.executable, "-m", "uv", "tool", "run", "--quiet", "--from", first]
    for requirement in others:
        command += ["--with", requirement]
    return subprocess.run(
        [*command, "twine", "check", "--strict", *map(str, distributions)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_pinned_publish_action_accepts_the_metadata_its_old_pin_rejected(
    tmp_path: Path,
) -> None:
    # A generated sdist (no compiling): its License-Expression makes it Metadata-Version 2.4.
    project = render(tmp_path / "rendered")
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "uv", "build", "--quiet", "--sdist", "--out-dir", str(dist)],
        cwd=project,
        check=True,
    )
    (sdist,) = dist.glob("*.tar.gz")

    old = twine_check(OLD_PUBLISH_TWINE, sdist)
    assert old.returncode != 0
    report = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", old.stdout + old.stderr).split())
    assert "Metadata is missing required fields: Name, Version" in report, report
    new = twine_check([f"twine=={ACTIONS[PUBLISH]['twine']}"], sdist)
    assert new.returncode == 0, new.stdout + new.stderr
