"""A generated project's .github/ passes zizmor as its pre-commit hook runs it,
at the pinned version, and zizmor fails the defects it exists to catch."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import Rendered, render

# The zizmor hook of zizmorcore/zizmor-pre-commit (.pre-commit-hooks.yaml): yaml
# files matching `files`, passed to `zizmor` after `args`.
ZIZMOR_HOOK_FILES = re.compile(r"(\.github/(workflows/.*|dependabot.ya?ml))|(action\.ya?ml)$")
ZIZMOR_HOOK_ARGS = ["--no-progress"]
ZIZMOR_HOOK_REPO = "https://github.com/zizmorcore/zizmor-pre-commit"
# GitHub is out of reach here: the audits that ask its API are left out.
OFFLINE = ["--offline"]
OPTIONS_ON = {"stable_abi": "yes", "free_threading": "yes", "versioning": "vcs"}


def pinned_rev(project: Path, repository: str) -> str:
    """The `rev` of a hook repository in the project's .pre-commit-config.yaml."""
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (rev,) = (repo["rev"] for repo in config["repos"] if repo["repo"] == repository)
    return str(rev)


def zizmor(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """zizmor at the version the project's pre-commit hook pins."""
    version = pinned_rev(project, ZIZMOR_HOOK_REPO).removeprefix("v")
    run = [sys.executable, "-m", "uv", "tool", "run", "--quiet", "--from", f"zizmor=={version}"]
    return subprocess.run(
        [*run, "zizmor", *arguments],
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


def zizmor_hook(project: Path) -> subprocess.CompletedProcess[str]:
    """zizmor as `pre-commit run zizmor --all-files` runs it, but offline."""
    return zizmor(project, *ZIZMOR_HOOK_ARGS, *OFFLINE, *hook_files(project))


def test_zizmor_as_the_hook_runs_it_passes(rendered: Rendered) -> None:
    assert ".github/dependabot.yml" in hook_files(rendered.path)
    result = zizmor_hook(rendered.path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_as_the_hook_runs_it_passes_with_every_option_on(tmp_path: Path) -> None:
    project = render(tmp_path, pairing="capi-setuptools", **OPTIONS_ON)
    result = zizmor_hook(project)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_over_the_github_folder_audits_the_files_the_hook_selects(tmp_path: Path) -> None:
    project = render(tmp_path, pairing="pyo3-maturin")
    result = zizmor(project, *OFFLINE, ".github")
    assert result.returncode == 0, result.stdout + result.stderr
    audited = sorted(re.findall(r"completed (\S+)", result.stderr))
    assert audited == hook_files(project)


def test_zizmor_fails_a_dependabot_update_without_cooldown(tmp_path: Path) -> None:
    project = render(tmp_path)
    dependabot = project / ".github" / "dependabot.yml"
    config = yaml.safe_load(dependabot.read_text(encoding="utf-8"))
    for update in config["updates"]:
        del update["cooldown"]
    dependabot.write_text(yaml.safe_dump(config), encoding="utf-8")
    result = zizmor_hook(project)
    assert result.returncode != 0
    assert "dependabot-cooldown" in result.stdout


def test_zizmor_fails_an_action_pinned_by_tag(tmp_path: Path) -> None:
    project = render(tmp_path)
    ci = project / ".github" / "workflows" / "ci.yml"
    text = ci.read_text(encoding="utf-8")
    unpinned = re.sub(r"actions/checkout@\S+ # \S+", "actions/checkout@v7", text, count=1)
    assert unpinned != text
    ci.write_text(unpinned, encoding="utf-8")
    result = zizmor_hook(project)
    assert result.returncode != 0
    assert "unpinned-uses" in result.stdout
