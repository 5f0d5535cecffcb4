"""The template-update workflow of projects made by copier and cruft: its own update
step, taken from the rendered workflow and run here as the runner would run it,
commits the template's changes with the user's edits kept (and clashes committed
for the pull request to show), hands the pull request step what it needs, and
does nothing when the project is already current."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import test_render
import yaml
from conftest import PAIRINGS, Rendered, assert_every_data_file_parses
from test_copier_cruft import (
    GIT_IDENTITY,
    TemplateRepository,
    assert_updated_and_edits_kept,
    commit_all,
    conflicting_edit,
    copier_copy,
    cruft_create,
    make_template_repository,
    make_user_edits,
    run,
)

WORKFLOW = ".github/workflows/template-update.yml"
PAIRING = PAIRINGS[0]
# `if: steps.<id>.outputs.<name> == '<value>'`, the one condition form the pull
# request step may take here (anything else fails the tests, to be taught here).
STEP_OUTPUT_CONDITION = re.compile(
    r"steps\.(?P<step>[\w-]+)\.outputs\.(?P<output>[\w-]+) == '(?P<value>[^']*)'"
)
# `uvx`, which downloads the tool it runs, in place: runs the tool installed here.
UVX_STAND_IN = """\
import importlib.metadata
import os
import sys

arguments = sys.argv[1:]
while arguments[0].startswith("-"):
    option = arguments.pop(0)
    if option not in ("--with", "--from"):
        sys.exit(f"uvx stand-in: unknown option {option}")
    # The package must be installed here, as uvx would install it there.
    importlib.metadata.distribution(arguments.pop(0))
tool = arguments.pop(0)
importlib.metadata.distribution(tool)
os.execv(sys.executable, [sys.executable, "-m", tool, *arguments])
"""


@dataclass(frozen=True)
class StepRun:
    outputs: dict[str, str]
    runner_temp: Path
    log: str


@pytest.fixture(scope="module")
def moving_template(tmp_path_factory: pytest.TempPathFactory) -> TemplateRepository:
    """The template as the workflow meets it: tags v1.0.0 and v2.0.0, its default
    branch at v2.0.0 (cruft follows the branch, copier the newest tag)."""
    template = make_template_repository(tmp_path_factory.mktemp("moving"))
    run("git", "switch", "--quiet", "--force-create", "main", "v2.0.0", cwd=template.path)
    return template


@pytest.fixture(scope="module")
def uvx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a `uvx` that runs the tool from this test environment (uvx
    would download it from PyPI), after checking every package it names is here."""
    folder = tmp_path_factory.mktemp("uvx")
    stand_in = folder / "uvx"
    stand_in.write_text(f"#!{sys.executable}\n{UVX_STAND_IN}")
    stand_in.chmod(0o755)
    return folder


def made_by(tool: str, template: TemplateRepository, where: Path, version: str) -> Path:
    """A project made by `tool` from the template at `version`."""
    if tool == "copier":
        return copier_copy(template, where / "project", PAIRING, version)
    return cruft_create(template, where / "output", PAIRING, version)


def steps_of(project: Path) -> list[dict[str, Any]]:
    document = yaml.safe_load((project / WORKFLOW).read_text(encoding="utf-8"))
    (job,) = document["jobs"].values()
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def update_step(project: Path) -> dict[str, Any]:
    (step,) = (step for step in steps_of(project) if "run" in step)
    return step


def pull_request_step(project: Path) -> dict[str, Any]:
    (step,) = (
        step
        for step in steps_of(project)
        if step.get("uses", "").startswith("peter-evans/create-pull-request@")
    )
    return step


def run_update_step(
    project: Path, uvx: Path, tmp_path: Path, plant: Callable[[str], str] = str
) -> StepRun:
    """Run the update step's script as GitHub's runner would (`bash -e`, the step's
    env, GITHUB_OUTPUT, RUNNER_TEMP); `plant` may change the script first."""
    step = update_step(project)
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    github_output = tmp_path / "github-output"
    github_output.touch()
    env = {
        **os.environ,
        "PATH": f"{uvx}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_OUTPUT": str(github_output),
        "RUNNER_TEMP": str(runner_temp),
        **step.get("env", {}),
    }
    # The runner's git has no identity but the one the step sets.
    for name in GIT_IDENTITY:
        if name not in step.get("env", {}):
            env.pop(name, None)
    env |= {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    result = subprocess.run(
        ["bash", "-e", "-c", plant(step["run"])],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"the update step failed:\n{log}"
    outputs = dict(
        line.split("=", 1) for line in github_output.read_text().splitlines() if "=" in line
    )
    return StepRun(outputs, runner_temp, log)


def pull_request_step_runs(project: Path, step_run: StepRun) -> bool:
    """The pull request step's `if:`, evaluated against the update step's outputs."""
    condition = STEP_OUTPUT_CONDITION.fullmatch(pull_request_step(project)["if"])
    assert condition, "the pull request step's condition is not of the form tested here"
    assert condition["step"] == update_step(project)["id"]
    return step_run.outputs.get(condition["output"]) == condition["value"]


def pull_request_inputs(project: Path, step_run: StepRun) -> dict[str, str]:
    """The pull request step's inputs, with `${{ runner.temp }}` as the runner has it."""
    inputs: dict[str, str] = pull_request_step(project)["with"]
    return {
        name: value.replace("${{ runner.temp }}", str(step_run.runner_temp))
        for name, value in inputs.items()
    }


def head(project: Path) -> str:
    return run("git", "rev-parse", "HEAD", cwd=project).stdout.strip()


def assert_pull_request_of_one_commit(project: Path, before: str, step_run: StepRun) -> str:
    """The step committed everything it changed, as one commit on top of `before`,
    and the pull request step runs with a fixed branch, a title and the body written;
    return that body."""
    assert step_run.outputs.get("changed") == "true", f"no change reported:\n{step_run.log}"
    assert pull_request_step_runs(project, step_run)
    parent = run("git", "rev-parse", "HEAD~1", cwd=project).stdout.strip()
    assert parent == before, "not one commit on top of the project"
    assert run("git", "status", "--porcelain", cwd=project).stdout == "", "changes left uncommitted"
    inputs = pull_request_inputs(project, step_run)
    assert "${{" not in inputs["branch"], "the branch must be the same on every run"
    run("git", "check-ref-format", "--branch", inputs["branch"], cwd=project)
    assert inputs["title"].strip()
    return Path(inputs["body-path"]).read_text()


def test_a_project_that_follows_its_template_is_rendered_as_cleanly(
    tmp_path: Path, moving_template: TemplateRepository
) -> None:
    """The workflow and README paragraph only copier and cruft render pass the checks
    tests/test_render.py makes on cookiecutter's projects (copier's project is cruft's,
    tests/test_copier_cruft.py checks that)."""
    project = made_by("copier", moving_template, tmp_path, "v2.0.0")
    assert (project / WORKFLOW).is_file()
    assert_every_data_file_parses(project)
    test_render.test_no_template_markers_blank_line_runs_or_trailing_spaces(
        Rendered(PAIRING, project)
    )


@pytest.mark.parametrize("tool", ["copier", "cruft"])
def test_update_step_commits_the_template_changes_and_keeps_user_edits(
    tmp_path: Path, moving_template: TemplateRepository, uvx: Path, tool: str
) -> None:
    project = made_by(tool, moving_template, tmp_path, "v1.0.0")
    own_file = make_user_edits(project, PAIRING)
    before = head(project)
    step_run = run_update_step(project, uvx, tmp_path)
    body = assert_pull_request_of_one_commit(project, before, step_run)
    assert_updated_and_edits_kept(project, own_file)
    assert f"`{tool} update`" in body
    assert "clash" not in body, "a clean update reported conflicts"


@pytest.mark.parametrize("tool", ["copier", "cruft"])
def test_update_step_does_nothing_when_the_project_is_current(
    tmp_path: Path, moving_template: TemplateRepository, uvx: Path, tool: str
) -> None:
    project = made_by(tool, moving_template, tmp_path, "v2.0.0")
    run("git", "init", "--quiet", cwd=project)
    commit_all(project, "Generated project")
    before = head(project)
    step_run = run_update_step(project, uvx, tmp_path)
    assert step_run.outputs == {"changed": "false"}
    assert not pull_request_step_runs(project, step_run)
    assert head(project) == before
    assert run("git", "status", "--porcelain", cwd=project).stdout == ""


@pytest.mark.parametrize("tool", ["copier", "cruft"])
def test_update_step_commits_conflict_markers_for_the_pull_request_to_show(
    tmp_path: Path, moving_template: TemplateRepository, uvx: Path, tool: str
) -> None:
    project = made_by(tool, moving_template, tmp_path, "v1.0.0")
    conflicting_edit(project)
    before = head(project)
    body = assert_pull_request_of_one_commit(
        project, before, run_update_step(project, uvx, tmp_path)
    )
    readme = run("git", "show", "HEAD:README.md", cwd=project).stdout
    assert "<<<<<<< " in readme, "the conflict was not committed"
    assert "## How to install" in readme, "the user's edit was lost"
    assert "## Installation" in readme, "the template's change was lost"
    assert "- `README.md`\n" in body, "the pull request does not name the conflict"


def test_update_step_commits_a_rejected_hunk_for_the_pull_request_to_show(
    tmp_path: Path, moving_template: TemplateRepository, uvx: Path
) -> None:
    """cruft leaves a .rej file when git cannot merge three-way: here the template's
    README never was in the project's history, as it was edited before the first commit."""
    project = made_by("cruft", moving_template, tmp_path, "v1.0.0")
    readme = project / "README.md"
    readme.write_text(readme.read_text().replace("## Install\n", "## How to install\n"))
    run("git", "init", "--quiet", cwd=project)
    commit_all(project, "Generated project, edited before its first commit")
    before = head(project)
    body = assert_pull_request_of_one_commit(
        project, before, run_update_step(project, uvx, tmp_path)
    )
    rejected = run("git", "show", "HEAD:README.md.rej", cwd=project).stdout
    assert "+## Installation" in rejected, "the template's change was lost"
    assert "## How to install" in readme.read_text(), "the user's edit was lost"
    assert "- `README.md.rej`\n" in body, "the pull request does not name the rejected hunk"


def skip_the_tool(script: str) -> str:
    lines = script.splitlines(keepends=True)
    assert any(line.lstrip().startswith("uvx ") for line in lines)
    return "".join(line for line in lines if not line.lstrip().startswith("uvx "))


def skip_the_commit(script: str) -> str:
    lines = script.splitlines(keepends=True)
    assert any(line.startswith("git commit ") for line in lines)
    return "".join(line for line in lines if not line.startswith("git commit "))


@pytest.mark.parametrize(
    ("plant", "caught_as"),
    [(skip_the_tool, "no change reported"), (skip_the_commit, "not one commit")],
)
def test_the_checks_fail_when_the_update_step_loses_the_change(
    tmp_path: Path,
    moving_template: TemplateRepository,
    uvx: Path,
    plant: Callable[[str], str],
    caught_as: str,
) -> None:
    project = made_by("cruft", moving_template, tmp_path, "v1.0.0")
    own_file = make_user_edits(project, PAIRING)
    before = head(project)
    step_run = run_update_step(project, uvx, tmp_path, plant=plant)
    with pytest.raises(AssertionError, match=caught_as):
        assert_pull_request_of_one_commit(project, before, step_run)
    if plant is skip_the_tool:
        with pytest.raises(AssertionError, match="did not arrive"):
            assert_updated_and_edits_kept(project, own_file)
