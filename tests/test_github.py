"""A generated project's .github/: zizmor passes it as the pre-commit hook runs
it, at the pinned version, and fails the defects it exists to catch; wheels are
built on every change a build reads and published only from a release."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import yaml
from conftest import (
    EVERY_OPTION,
    HOOK_REPOSITORIES,
    OPTIONS_ON,
    PAIRINGS,
    Rendered,
    own_files,
    render,
)

# The zizmor hook of zizmorcore/zizmor-pre-commit, as the pre-commit emulation
# records its .pre-commit-hooks.yaml entry: yaml files matching `files`, passed
# to `zizmor` after `args`.
ZIZMOR = HOOK_REPOSITORIES["https://github.com/zizmorcore/zizmor-pre-commit"].hooks["zizmor"]
ZIZMOR_HOOK_FILES = re.compile(ZIZMOR["files"])
ZIZMOR_HOOK_ARGS = list(ZIZMOR["args"])
# GitHub is out of reach here: the audits that ask its API are left out.
OFFLINE = ["--offline"]


def zizmor(tools: Path, project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """zizmor at the version the project's pre-commit hook pins."""
    return subprocess.run(
        [str(tools / "zizmor"), *arguments],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


def hook_files(project: Path) -> list[str]:
    """The files of the project the zizmor hook runs on."""
    files = (path.relative_to(project).as_posix() for path in project.rglob("*"))
    return sorted(
        name
        for name in files
        if name.endswith((".yml", ".yaml")) and ZIZMOR_HOOK_FILES.search(name)
    )


def zizmor_hook(tools: Path, project: Path) -> subprocess.CompletedProcess[str]:
    """zizmor as `pre-commit run zizmor --all-files` runs it, but offline."""
    return zizmor(tools, project, *ZIZMOR_HOOK_ARGS, *OFFLINE, *hook_files(project))


def test_zizmor_as_the_hook_runs_it_passes(hook_tools: Path, rendered: Rendered) -> None:
    assert ".github/dependabot.yml" in hook_files(rendered.path)
    result = zizmor_hook(hook_tools, rendered.path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_as_the_hook_runs_it_passes_with_every_option_on(
    hook_tools: Path, tmp_path: Path
) -> None:
    project = render(tmp_path, pairing=EVERY_OPTION, **OPTIONS_ON)
    result = zizmor_hook(hook_tools, project)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_over_the_github_folder_audits_the_files_the_hook_selects(
    hook_tools: Path, tmp_path: Path
) -> None:
    project = render(tmp_path, pairing=PAIRINGS[0])
    result = zizmor(hook_tools, project, *OFFLINE, ".github")
    assert result.returncode == 0, result.stdout + result.stderr
    audited = sorted(re.findall(r"completed (\S+)", result.stderr))
    assert audited == hook_files(project)


def test_zizmor_fails_a_dependabot_update_without_cooldown(
    hook_tools: Path, tmp_path: Path
) -> None:
    project = render(tmp_path)
    dependabot = project / ".github" / "dependabot.yml"
    config = yaml.safe_load(dependabot.read_text(encoding="utf-8"))
    for update in config["updates"]:
        del update["cooldown"]
    dependabot.write_text(yaml.safe_dump(config), encoding="utf-8")
    result = zizmor_hook(hook_tools, project)
    assert result.returncode != 0
    assert "dependabot-cooldown" in result.stdout


def test_zizmor_fails_an_action_pinned_by_tag(hook_tools: Path, tmp_path: Path) -> None:
    project = render(tmp_path)
    ci = project / ".github" / "workflows" / "ci.yml"
    text = ci.read_text(encoding="utf-8")
    unpinned = re.sub(r"actions/checkout@\S+ # \S+", "actions/checkout@v7", text, count=1)
    assert unpinned != text
    ci.write_text(unpinned, encoding="utf-8")
    result = zizmor_hook(hook_tools, project)
    assert result.returncode != 0
    assert "unpinned-uses" in result.stdout


# Files that no wheel build reads: a change to them alone builds no wheels.
NOT_READ_BY_BUILDS = [
    "README.md",
    "docs/index.md",
    "docs/conf.py",
    ".github/workflows/ci.yml",
    ".github/dependabot.yml",
    ".pre-commit-config.yaml",
    "noxfile.py",
]


def github_glob(pattern: str) -> re.Pattern[str]:
    """A `paths` pattern of a workflow trigger: `**` matches across folders, `*` within one."""
    assert not set("?[") & set(pattern), f"{pattern}: not handled here"
    parts = re.split(r"(\*\*|\*)", pattern)
    return re.compile(
        "".join({"**": ".*", "*": "[^/]*"}.get(part, re.escape(part)) for part in parts)
    )


def selected_by(patterns: list[str], path: str) -> bool:
    """Whether a `paths` filter selects a file: the last pattern that matches it decides."""
    selected = False
    for pattern in patterns:
        if github_glob(pattern.removeprefix("!")).fullmatch(path):
            selected = not pattern.startswith("!")
    return selected


def read_by_builds(project: Path, pairing: str) -> list[str]:
    """The files a wheel build reads: sources, tests (cibuildwheel runs them on each
    wheel), the build configuration, the pairing's own build files, the workflow."""
    own = own_files(pairing)
    files = [path.relative_to(project).as_posix() for path in project.rglob("*") if path.is_file()]
    return [
        name
        for name in files
        if name.startswith(("src/", "tests/"))
        or name in own
        or name in {"pyproject.toml", "LICENSE", ".github/workflows/wheels.yml"}
    ]


def unbuilt_changes(patterns: list[str], project: Path, pairing: str) -> list[str]:
    """Files a build reads whose change would not build the wheels."""
    return [name for name in read_by_builds(project, pairing) if not selected_by(patterns, name)]


def wheels_triggers(project: Path) -> dict[str, Any]:
    workflow = yaml.safe_load(
        (project / ".github/workflows/wheels.yml").read_text(encoding="utf-8")
    )
    # YAML 1.1 reads the key `on` as true.
    return dict(workflow[True])


def test_wheels_build_on_every_change_to_what_a_build_reads(rendered: Rendered) -> None:
    triggers = wheels_triggers(rendered.path)
    assert triggers["push"]["branches"] == ["main"]
    assert triggers["push"]["paths"] == triggers["pull_request"]["paths"]
    assert {"workflow_dispatch", "release"} <= set(triggers)
    patterns = triggers["pull_request"]["paths"]
    assert unbuilt_changes(patterns, rendered.path, rendered.pairing) == []
    assert not [name for name in NOT_READ_BY_BUILDS if selected_by(patterns, name)]


def test_a_filter_of_named_files_misses_changes_that_break_wheels(tmp_path: Path) -> None:
    # The filter wheels.yml had: the workflow and pyproject.toml alone.
    for pairing in PAIRINGS:
        project = render(tmp_path / pairing, pairing=pairing)
        missed = unbuilt_changes(
            [".github/workflows/wheels.yml", "pyproject.toml"], project, pairing
        )
        assert {*own_files(pairing), "tests/test_core.py"} <= set(missed), pairing


def test_wheels_are_published_only_from_a_published_release(rendered: Rendered) -> None:
    assert wheels_triggers(rendered.path)["release"] == {"types": ["published"]}
    workflow = yaml.safe_load(
        (rendered.path / ".github/workflows/wheels.yml").read_text(encoding="utf-8")
    )
    publish = workflow["jobs"]["publish"]
    assert publish["if"] == "github.event_name == 'release' && github.event.action == 'published'"


def test_ci_tests_on_every_macos_that_wheels_are_built_on(rendered: Rendered) -> None:
    workflows = rendered.path / ".github" / "workflows"
    wheels = yaml.safe_load((workflows / "wheels.yml").read_text(encoding="utf-8"))
    ci = yaml.safe_load((workflows / "ci.yml").read_text(encoding="utf-8"))
    built_on = set(wheels["jobs"]["wheels"]["strategy"]["matrix"]["runs-on"])
    tested_on = set(ci["jobs"]["tests"]["strategy"]["matrix"]["runs-on"])
    assert {"macos-15-intel", "macos-latest"} <= built_on & tested_on
