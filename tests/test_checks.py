"""The checks the template's nox sessions run (template_checks/), each shown to
pass on what is right and fail on a planted defect."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import PAIRINGS, ROOT, make_sdist, render

from template_checks import cibuildwheel, dist, matrix

NOXFILE = ROOT / "noxfile.py"
PKG_INFO = "Metadata-Version: 2.4\nName: my-package\nVersion: 1.2.3\n"


CLEAN_SDIST = {"PKG-INFO": PKG_INFO, "LICENSE": "MIT", "pyproject.toml": "", "src/_core.c": ""}


def test_a_clean_sdist_has_no_problems(tmp_path: Path) -> None:
    sdist = make_sdist(tmp_path / "my_package-1.2.3.tar.gz", CLEAN_SDIST)
    assert dist.sdist_problems(sdist) == []
    assert dist.sdist_metadata(sdist)["Version"] == "1.2.3"


@pytest.mark.parametrize(
    ("planted", "problem"),
    [
        ({"build/temp/_core.o": ""}, "holds build/temp/_core.o"),
        ({"src/my_package/_core.so": ""}, "holds src/my_package/_core.so"),
        ({".git/HEAD": ""}, "holds .git/HEAD"),
    ],
)
def test_stray_files_in_an_sdist_are_reported(
    tmp_path: Path, planted: dict[str, str], problem: str
) -> None:
    sdist = make_sdist(tmp_path / "my_package-1.2.3.tar.gz", {**CLEAN_SDIST, **planted})
    assert dist.sdist_problems(sdist) == [f"my_package-1.2.3.tar.gz {problem}"]


def test_an_sdist_without_its_license_is_reported(tmp_path: Path) -> None:
    files = {name: text for name, text in CLEAN_SDIST.items() if name != "LICENSE"}
    sdist = make_sdist(tmp_path / "my_package-1.2.3.tar.gz", files)
    assert dist.sdist_problems(sdist) == ["my_package-1.2.3.tar.gz lacks LICENSE"]


ANSWER = "int answer(void) { return 42; }\n"
# What a module Cython compiled with `linetrace` calls on every function entry.
TRACED_ANSWER = (
    "extern int PyMonitoring_EnterScope(void *, void *, int, int);\n"
    "int answer(void) { return PyMonitoring_EnterScope(0, 0, 0, 0); }\n"
)


def readelf_of_a_module(tmp_path: Path, source: str, debug_flag: str = "-g0") -> str:
    """`readelf --section-headers --dyn-syms --wide` of `source` compiled into a
    shared library with `debug_flag` (its undefined symbols left to the loader)."""
    (tmp_path / "core.c").write_text(source)
    library = tmp_path / "_core.so"
    command = ["cc", "-shared", "-fPIC", "-O2", debug_flag, "-o", str(library), "core.c"]
    subprocess.run(command, check=True, cwd=tmp_path)
    readelf = ["readelf", "--section-headers", "--dyn-syms", "--wide", str(library)]
    return subprocess.run(readelf, check=True, capture_output=True, text=True).stdout


needs_binutils = pytest.mark.skipif(
    not (shutil.which("cc") and shutil.which("readelf")), reason="needs cc and readelf"
)


@needs_binutils
def test_a_module_without_debug_info_has_no_debug_sections(tmp_path: Path) -> None:
    assert dist.debug_sections(readelf_of_a_module(tmp_path, ANSWER, "-g0")) == []


@needs_binutils
def test_the_debug_sections_of_a_module_are_found(tmp_path: Path) -> None:
    sections = dist.debug_sections(readelf_of_a_module(tmp_path, ANSWER, "-g"))
    assert {".debug_info", ".debug_line"} <= set(sections)


@needs_binutils
def test_a_module_without_tracing_calls_no_tracing_hooks(tmp_path: Path) -> None:
    assert dist.tracing_hooks(readelf_of_a_module(tmp_path, ANSWER)) == []


@needs_binutils
def test_the_tracing_hooks_a_module_calls_are_found(tmp_path: Path) -> None:
    hooks = dist.tracing_hooks(readelf_of_a_module(tmp_path, TRACED_ANSWER))
    assert hooks == ["PyMonitoring_EnterScope"]


def test_only_a_linux_wheel_has_modules_to_read(tmp_path: Path) -> None:
    for tag in ("cp313-cp313-linux_x86_64", "cp313-cp313-win_amd64"):
        wheel = tmp_path / f"my_package-1.2.3-{tag}.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr("my_package/_core.so", "")
            archive.writestr("my_package/__init__.py", "")
    linux = dist.linux_modules(
        tmp_path / "my_package-1.2.3-cp313-cp313-linux_x86_64.whl", tmp_path / "a"
    )
    assert linux == [tmp_path / "a" / "my_package" / "_core.so"]
    assert linux[0].exists()
    assert (
        dist.linux_modules(tmp_path / "my_package-1.2.3-cp313-cp313-win_amd64.whl", tmp_path / "b")
        == []
    )


def test_wheel_metadata_and_tags_are_read_from_the_wheel(tmp_path: Path) -> None:
    wheel = tmp_path / "my_package-1.2.3-cp311-abi3-manylinux_2_28_x86_64.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("my_package-1.2.3.dist-info/METADATA", PKG_INFO + "Summary: Ünïcode\n")
    assert dist.wheel_metadata(wheel)["Summary"] == "Ünïcode"
    assert dist.wheel_tags(wheel) == ("cp311", "abi3", "manylinux_2_28_x86_64")


SUPPORTED = {"cp311", "cp312"}
RIGHT_PLAN = ["cp311-manylinux_x86_64", "cp312-manylinux_x86_64", "pp311-manylinux_x86_64"]


def test_a_right_build_plan_has_no_problems() -> None:
    assert cibuildwheel.plan_problems(RIGHT_PLAN, SUPPORTED, pypy=True, free_threaded=False) == []


@pytest.mark.parametrize(
    ("plan", "problem"),
    [
        (RIGHT_PLAN[1:], "no builds for ['cp311']"),
        (RIGHT_PLAN[:2], "PyPy builds missing"),
        ([*RIGHT_PLAN, "cp314t-manylinux_x86_64"], "free-threaded builds unexpected"),
        ([*RIGHT_PLAN, "cp311-win32"], "32-bit builds: ['cp311-win32']"),
    ],
)
def test_a_wrong_build_plan_is_reported(plan: list[str], problem: str) -> None:
    assert cibuildwheel.plan_problems(plan, SUPPORTED, pypy=True, free_threaded=False) == [problem]


def test_the_wheel_test_plan_is_read_from_the_project(tmp_path: Path) -> None:
    project = render(tmp_path, pairing=PAIRINGS[0])
    plan = cibuildwheel.test_plan(project)
    configured = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["cibuildwheel"]
    assert plan.command == shlex.split(configured["test-command"])
    assert "pytest" in plan.command
    assert any(requirement.startswith("pytest") for requirement in plan.requirements)
    copied = tmp_path / "copied"
    cibuildwheel.copy_test_sources(project, plan.sources, copied)
    assert (copied / "tests" / "test_core.py").is_file()
    assert (copied / "pyproject.toml").is_file()


def test_sessions_run_side_by_side_and_failures_are_reported(tmp_path: Path) -> None:
    commands = {
        "passes": [sys.executable, "-c", "print('fine')"],
        "fails": [sys.executable, "-c", "import sys; print('broken'); sys.exit(3)"],
    }
    ended: list[str] = []
    outcomes = matrix.run_side_by_side(
        commands, 2, tmp_path / "logs", lambda outcome: ended.append(outcome.name)
    )
    assert sorted(ended) == sorted(commands)
    assert [(outcome.name, outcome.returncode) for outcome in outcomes] == [
        ("passes", 0),
        ("fails", 3),
    ]
    assert outcomes[1].log == "broken\n"


def test_the_gil_slot_probe_reads_a_modules_declaration() -> None:
    # The standard library's `_json` says it needs no GIL from CPython 3.13 on.
    probe = ROOT / "template_checks" / "gil_slot_probe.py"
    found = subprocess.run(
        [sys.executable, str(probe), "_json"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == ("not used" if sys.version_info >= (3, 13) else "absent")


def test_the_template_ci_runs_a_job_for_every_build_session(tmp_path: Path) -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())
    (listing,) = (step for step in workflow["jobs"]["sessions"]["steps"] if "run" in step)
    # The step's own command, as a runner would run it, with this checkout's nox for uvx's.
    command = listing["run"].replace("uvx nox", f"{sys.executable} -m nox -f {NOXFILE}", 1)
    output = tmp_path / "github-output"
    env = {**os.environ, "GITHUB_OUTPUT": str(output)}
    subprocess.run(["bash", "-c", command], check=True, capture_output=True, env=env)
    key, _, value = output.read_text().strip().partition("=")
    assert key == workflow["jobs"]["sessions"]["outputs"]["sessions"].split(".")[-1].strip(" }")
    sessions = json.loads(value)
    assert sessions == [
        *matrix.tagged_sessions(NOXFILE, "matrix"),
        *matrix.tagged_sessions(NOXFILE, "extended"),
    ]
    # The docs site is built in its own job, with warnings as errors.
    assert "docs" in sessions
    for pairing in PAIRINGS:
        assert f"project_checks({pairing})" in sessions
        assert sum(name.startswith(f"build({pairing}, ") for name in sessions) == 2
    jobs = workflow["jobs"]["build"]["strategy"]["matrix"]["session"]
    assert jobs == "${{ fromJSON(needs.sessions.outputs.sessions) }}"


def test_the_noxfile_loads_where_only_nox_is_installed(tmp_path: Path) -> None:
    # `pipx run nox` runs the noxfile with nox and its script dependencies alone:
    # a module it imports must not need the test requirements at import time.
    uv = shutil.which("uv")
    assert uv, "uv is a test requirement (nox[uv])"
    venv = tmp_path / "nox-alone"
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    python = venv / "bin" / "python"
    # The noxfile's own script dependencies (its `# /// script` block).
    (requirements,) = re.findall(r"^# dependencies = (\[.*\])$", NOXFILE.read_text(), re.MULTILINE)
    install = [uv, "pip", "install", "--quiet", "--python", str(python)]
    subprocess.run([*install, *json.loads(requirements)], check=True)
    listed = subprocess.run(
        [str(python), "-m", "nox", "--list", "-f", str(NOXFILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
