"""The docs are built and hosted as `nox -s docs` builds them: a Read the Docs
configuration that RTD's schema accepts and pre-commit checks, and a docs job in
CI. The README, which is the PyPI page, leaves template matters to the docs."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import yaml
from conftest import EVERY_OPTION, OPTIONS_ON, PAIRINGS, REGISTRY, Rendered, render

CHECK_JSONSCHEMA_REPO = "https://github.com/python-jsonschema/check-jsonschema"
# The `files` of check-jsonschema's check-readthedocs hook (its .pre-commit-hooks.yaml).
READTHEDOCS_HOOK_FILES = re.compile(r"^\.readthedocs.(yml|yaml)$")
# The hooks fetch the schemas from their vendors, failing over to the copies
# check-jsonschema ships; GitHub is out of reach here, so the copies decide.
SCHEMAS = {
    ".readthedocs.yaml": "vendor.readthedocs",
    ".github/dependabot.yml": "vendor.dependabot",
    ".github/workflows/ci.yml": "vendor.github-workflows",
    ".github/workflows/wheels.yml": "vendor.github-workflows",
}
TEMPLATE_MATTERS = {"Build options", "Keeping up with the template"}


def pre_commit_repo(project: Path, repository: str) -> dict[str, Any]:
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = (repo for repo in config["repos"] if repo["repo"] == repository)
    return dict(repo)


def schema_problems(tools: Path, *projects: Path) -> dict[str, str]:
    """What check-jsonschema, at the version pre-commit pins, says of the schemas
    that some file of the projects fails (one run per schema: each run costs a second)."""
    problems = {}
    for schema in sorted(set(SCHEMAS.values())):
        files = [
            project / name for project in projects for name, of in SCHEMAS.items() if of == schema
        ]
        result = subprocess.run(
            [str(tools / "check-jsonschema"), "--builtin-schema", schema, *map(str, files)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            problems[schema] = result.stdout + result.stderr
    return problems


# A pairing that takes its version from git tags.
VCS_PAIRING = next(
    name for name, entry in REGISTRY.pairings.items() if "versioning" not in entry["refuses"]
)


def readthedocs_config(project: Path) -> dict[str, Any]:
    return dict(yaml.safe_load((project / ".readthedocs.yaml").read_text(encoding="utf-8")))


def test_readthedocs_and_github_files_pass_their_schemas(hook_tools: Path, tmp_path: Path) -> None:
    projects = [render(tmp_path / pairing, pairing=pairing) for pairing in PAIRINGS]
    projects.append(render(tmp_path / "options-on", pairing=EVERY_OPTION, **OPTIONS_ON))
    assert schema_problems(hook_tools, *projects) == {}


def test_a_readthedocs_config_read_the_docs_would_refuse_fails_its_schema(
    hook_tools: Path, tmp_path: Path
) -> None:
    project = render(tmp_path)
    config = readthedocs_config(project)
    config["build"]["os"] = "ubuntu-18.04"
    config["sphinx"]["fail_on_warning"] = "yes"
    (project / ".readthedocs.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    problems = schema_problems(hook_tools, project)
    assert set(problems) == {"vendor.readthedocs"}
    assert ".readthedocs.yaml" in problems["vendor.readthedocs"]


def test_pre_commit_checks_the_readthedocs_config(rendered: Rendered) -> None:
    hooks = pre_commit_repo(rendered.path, CHECK_JSONSCHEMA_REPO)["hooks"]
    assert "check-readthedocs" in {hook["id"] for hook in hooks}
    assert READTHEDOCS_HOOK_FILES.search(".readthedocs.yaml")


def test_read_the_docs_builds_the_docs_as_nox_does(rendered: Rendered) -> None:
    config = readthedocs_config(rendered.path)
    pyproject = tomllib.loads((rendered.path / "pyproject.toml").read_text(encoding="utf-8"))
    pairing = REGISTRY.pairings[rendered.pairing]

    assert (rendered.path / config["sphinx"]["configuration"]).is_file()
    assert config["sphinx"]["fail_on_warning"] is True
    (install,) = config["build"]["jobs"]["install"]
    assert "--group docs" in install
    assert "--no-editable" in install
    assert "docs" in pyproject["dependency-groups"]
    python = config["build"]["tools"]["python"]
    assert f"Programming Language :: Python :: {python}" in pyproject["project"]["classifiers"]
    assert ("rust" in config["build"]["tools"]) == ("rust" in pairing["languages"])


def test_read_the_docs_fetches_the_tags_a_git_version_needs(tmp_path: Path) -> None:
    config = readthedocs_config(render(tmp_path, pairing=VCS_PAIRING, versioning="vcs"))
    assert config["build"]["jobs"]["post_checkout"] == ["git fetch --unshallow || true"]


def test_ci_builds_the_docs_and_passes_only_if_they_build(rendered: Rendered) -> None:
    ci = yaml.safe_load((rendered.path / ".github/workflows/ci.yml").read_text(encoding="utf-8"))
    runs = [step.get("run", "") for step in ci["jobs"]["docs"]["steps"]]
    assert "uvx nox --session docs" in runs
    assert "docs" in ci["jobs"]["pass"]["needs"]


def headings(markdown: str) -> set[str]:
    return set(re.findall(r"^#+ (.+)$", markdown, re.MULTILINE))


def test_the_readme_leaves_template_matters_to_the_development_notes(rendered: Rendered) -> None:
    readme = (rendered.path / "README.md").read_text(encoding="utf-8")
    notes = (rendered.path / "docs" / "development.md").read_text(encoding="utf-8")
    index = (rendered.path / "docs" / "index.md").read_text(encoding="utf-8")
    assert not headings(readme) & TEMPLATE_MATTERS
    assert headings(notes) >= TEMPLATE_MATTERS
    assert "docs/development.md" in readme
    assert "development" in index.split("```{toctree}")[1].split()
    # A project made by cookiecutter (no answers file) learns how to follow the template.
    assert "cruft link" in notes
    assert f"pairing={rendered.pairing}" in notes
