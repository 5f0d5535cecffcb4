"""stable_abi=yes renders, for each pairing that takes it, a project that asks its
build for the Limited API and cibuildwheel for one abi3 build per platform.

`nox -s option_stable_abi` builds such wheels and tests them; these tests check
the rendering of every pairing, without compiling.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import PAIRINGS, REGISTRY, assert_every_data_file_parses, render

from template_tools import registry

SUPPORTING = [name for name in PAIRINGS if "stable_abi" not in REGISTRY.pairings[name]["refuses"]]
# What each way of asking a build for the Limited API writes into the build files.
LIMITED_API_REQUESTS = re.compile(
    r"py_limited_api|abi3-py3\d+|wheel\.py-api|limited-api = true|limited_api:"
)


def cibuildwheel_table(project: Path) -> dict[str, object]:
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    table: dict[str, object] = pyproject["tool"]["cibuildwheel"]
    return table


def abi3audit_steps(project: Path) -> list[dict[str, str]]:
    workflow = yaml.safe_load((project / ".github/workflows/wheels.yml").read_text())
    steps: list[dict[str, str]] = workflow["jobs"]["wheels"]["steps"]
    return [step for step in steps if "abi3audit" in step.get("run", "")]


def build_files_text(project: Path) -> str:
    names = ["setup.py", "Cargo.toml", "CMakeLists.txt", "meson.build", "pyproject.toml"]
    return "\n".join(
        (project / name).read_text(encoding="utf-8") for name in names if (project / name).exists()
    )


def test_the_registry_names_a_limited_api_cpython_the_template_supports() -> None:
    for name, entry in REGISTRY.pairings.items():
        assert re.fullmatch(r"3\.(1[1-9])", entry["abi3_minimum"]), name
    assert SUPPORTING, "no pairing supports stable_abi"


@pytest.mark.parametrize("pairing", SUPPORTING)
def test_stable_abi_builds_one_abi3_wheel_per_platform_and_audits_it(
    pairing: str, tmp_path: Path
) -> None:
    project = render(tmp_path, pairing=pairing, stable_abi="yes")
    assert_every_data_file_parses(project)
    for path in project.rglob("*"):
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        assert not re.search(r"[ \t]+$", text, re.MULTILINE), path
        assert "\n\n\n\n" not in text, path
        if path.suffix not in {".py", ".pyi", ".pyx"}:
            assert "\n\n\n" not in text, path

    entry = REGISTRY.pairings[pairing]
    minimum = int(entry["abi3_minimum"].split(".")[1])
    # The abi3 wheel's CPython and any older one; free-threaded builds are left
    # to `skip` alone, PyPy builds to `enable`.
    expected = [f"cp3{minor}-*" for minor in range(11, minimum + 1)] + ["cp3??t-*"]
    if entry["pypy"]:
        expected.append("pp*")
    # Every build of the platforms beyond the desktop, whose CPythons start later.
    for platform in registry.platforms_of(REGISTRY, pairing, {"stable_abi": "yes"}):
        if not platform["refused"]:
            expected.append(f"*-{platform['id']}_*")
    assert cibuildwheel_table(project)["build"] == expected
    (step,) = abi3audit_steps(project)
    assert "--strict" in step["run"].split()
    assert LIMITED_API_REQUESTS.search(build_files_text(project)), "no Limited API request"


@pytest.mark.parametrize("pairing", PAIRINGS)
def test_by_default_every_cpython_builds_its_own_wheel(pairing: str, tmp_path: Path) -> None:
    project = render(tmp_path, pairing=pairing)
    assert "build" not in cibuildwheel_table(project)
    assert not abi3audit_steps(project)
    assert not LIMITED_API_REQUESTS.search(build_files_text(project))
