"""versioning=vcs: what a project that takes its version from git tags is made of,
and that versioning=static has none of it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import (
    PAIRINGS,
    REGISTRY,
    Rendered,
    assert_clean_text,
    assert_every_data_file_parses,
    render,
)
from cookiecutter.exceptions import FailedHookException

VCS_PAIRINGS = [name for name in PAIRINGS if "versioning" not in REGISTRY.pairings[name]["refuses"]]
# Jobs that build the package, so need the tags; the lint job does not.
BUILDING_JOBS = {"ci.yml": ["tests"], "wheels.yml": ["sdist", "wheels"]}
ARCHIVAL = (
    "node: $Format:%H$\n"
    "node-date: $Format:%cI$\n"
    "describe-name: $Format:%(describe:tags=true,match=*[0-9]*)$\n"
)


def checkouts(project: Path, workflow: str, job: str) -> list[dict[str, object]]:
    document = yaml.safe_load((project / ".github/workflows" / workflow).read_text())
    steps = document["jobs"][job]["steps"]
    return [step.get("with", {}) for step in steps if "actions/checkout@" in step.get("uses", "")]


@pytest.fixture(scope="module", params=VCS_PAIRINGS)
def vcs_project(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Rendered:
    pairing: str = request.param
    output = tmp_path_factory.mktemp(f"vcs-{pairing}")
    return Rendered(pairing, render(output, pairing=pairing, versioning="vcs"))


def test_a_pairing_refuses_versioning_exactly_when_its_backend_has_no_git_version_source() -> None:
    for entry in REGISTRY.pairings.values():
        assert ("versioning" in entry["refuses"]) == (not entry["versioning_requires"])
    assert VCS_PAIRINGS
    assert set(VCS_PAIRINGS) != set(PAIRINGS)


def test_vcs_project_is_clean_and_parses(vcs_project: Rendered) -> None:
    assert_every_data_file_parses(vcs_project.path)
    assert_clean_text(vcs_project.path)


def test_vcs_version_is_dynamic_and_found_by_setuptools_scm(vcs_project: Rendered) -> None:
    pyproject = tomllib.loads((vcs_project.path / "pyproject.toml").read_text())
    assert "version" not in pyproject["project"]
    assert "version" in pyproject["project"]["dynamic"]
    requires = pyproject["build-system"]["requires"]
    assert any(requirement.startswith("setuptools-scm>=") for requirement in requires), requires
    assert "setuptools_scm" in pyproject["tool"]
    # That the backend then takes its version from the tag, the option_versioning
    # build sessions show.


def test_vcs_source_archives_carry_the_version(vcs_project: Rendered) -> None:
    assert (vcs_project.path / ".git_archival.txt").read_text() == ARCHIVAL
    attributes = (vcs_project.path / ".gitattributes").read_text().splitlines()
    assert ".git_archival.txt export-subst" in attributes


def test_vcs_building_jobs_fetch_the_tags(vcs_project: Rendered) -> None:
    for workflow, jobs in BUILDING_JOBS.items():
        for job in jobs:
            assert checkouts(vcs_project.path, workflow, job)
            for options in checkouts(vcs_project.path, workflow, job):
                assert options.get("fetch-depth") == 0, (workflow, job)
    for options in checkouts(vcs_project.path, "ci.yml", "lint"):
        assert "fetch-depth" not in options


def test_vcs_release_instructions_say_the_tag_is_the_version(vcs_project: Rendered) -> None:
    readme = (vcs_project.path / "README.md").read_text()
    assert "the version comes\n   from the git tag" in readme
    assert "Set the new version" not in readme


def test_static_versioning_has_none_of_it(rendered: Rendered) -> None:
    project = rendered.path
    assert not (project / ".git_archival.txt").exists()
    assert not (project / ".gitattributes").exists()
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert "setuptools_scm" not in pyproject["tool"]
    assert not any("setuptools-scm" in item for item in pyproject["build-system"]["requires"])
    if "version" in REGISTRY.pairings[rendered.pairing]["dynamic_metadata"]:
        assert "version" in pyproject["project"]["dynamic"]
    else:
        assert pyproject["project"]["version"] == "0.1.0"
    for workflow, jobs in BUILDING_JOBS.items():
        for job in jobs:
            for options in checkouts(project, workflow, job):
                assert "fetch-depth" not in options
    assert "Set the new version in" in (project / "README.md").read_text()


@pytest.mark.parametrize("pairing", [name for name in PAIRINGS if name not in VCS_PAIRINGS])
def test_a_refusing_pairing_refuses_vcs_and_writes_nothing(tmp_path: Path, pairing: str) -> None:
    with pytest.raises(FailedHookException):
        render(tmp_path, pairing=pairing, versioning="vcs")
    assert not any(tmp_path.iterdir())
