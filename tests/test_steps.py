"""The steps of the template's nox sessions (template_checks/steps.py), run with a
runner that records the commands and answers for them, or runs the cheap ones."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import (
    PAIRINGS,
    ROOT,
    CommandFailed,
    Ran,
    Recorder,
    make_sdist,
    really,
)

from template_checks import steps
from template_checks.steps import Workspace

CLEAN_SDIST = {"PKG-INFO": "Name: my-package\n", "LICENSE": "MIT", "pyproject.toml": ""}
# A stub of the demo module, as a binding's stub generator writes it.
STUB = '''def add(i: int, j: int) -> int:
    """Add two numbers."""

def fib(n: int) -> int: ...
'''


def workspace(runner: Recorder, tmp_path: Path) -> Workspace:
    return Workspace(runner, sys.executable, "3.13", tmp_path / "scratch")


def test_a_rendered_project_is_committed_to_a_new_repository(tmp_path: Path) -> None:
    runner = Recorder(really)
    project = steps.render(workspace(runner, tmp_path), ROOT, PAIRINGS[0], project_name="a-b")
    assert project == tmp_path / "scratch" / "rendered" / "a-b"
    git = ["git", "status", "--porcelain", "--ignored"]
    assert subprocess.run(git, cwd=project, capture_output=True, check=True).stdout == b""
    log = ["git", "log", "--format=%s"]
    commits = subprocess.run(log, cwd=project, capture_output=True, text=True, check=True)
    assert commits.stdout == "Generated project\n"


def fake_uv_build(ran: Ran) -> tuple[int, str]:
    """`uv build` that writes an empty sdist and wheel to its --out-dir."""
    if ran.args[:2] == ["uv", "build"]:
        out = Path(ran.args[ran.args.index("--out-dir") + 1])
        out.mkdir(parents=True)
        make_sdist(out / "my_package-1.2.3.tar.gz", CLEAN_SDIST)
        (out / "my_package-1.2.3-cp313-cp313-linux_x86_64.whl").touch()
    return 0, ""


def test_a_build_starts_from_an_empty_folder_and_returns_the_sdist_first(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    (out / "my_package-0.9-cp313-cp313-linux_x86_64.whl").touch()
    runner = Recorder(fake_uv_build)
    built = steps.build_dist(workspace(runner, tmp_path), tmp_path / "project", out)
    assert [path.name for path in built] == [
        "my_package-1.2.3.tar.gz",
        "my_package-1.2.3-cp313-cp313-linux_x86_64.whl",
    ]
    (ran,) = runner.ran
    assert ran.args[ran.args.index("--python") + 1] == sys.executable


def test_the_dist_checks_check_both_the_sdist_and_the_wheel(tmp_path: Path) -> None:
    sdist = make_sdist(tmp_path / "my_package-1.2.3.tar.gz", CLEAN_SDIST)
    wheel = tmp_path / "my_package-1.2.3-py3-none-any.whl"
    runner = Recorder()
    steps.check_dist(workspace(runner, tmp_path), sdist, wheel)
    assert [ran.args for ran in runner.ran] == [
        ["twine", "check", "--strict", str(sdist), str(wheel)],
        ["check-wheel-contents", str(wheel)],
    ]


def test_a_stray_file_in_the_sdist_fails_the_dist_checks(tmp_path: Path) -> None:
    files = {**CLEAN_SDIST, "build/_core.o": ""}
    sdist = make_sdist(tmp_path / "my_package-1.2.3.tar.gz", files)
    wheel = tmp_path / "my_package-1.2.3-py3-none-any.whl"
    with pytest.raises(AssertionError, match=r"holds build/_core\.o"):
        steps.check_dist(workspace(Recorder(), tmp_path), sdist, wheel)


def test_a_dist_that_twine_rejects_fails_the_dist_checks(tmp_path: Path) -> None:
    sdist = make_sdist(tmp_path / "my_package-1.2.3.tar.gz", CLEAN_SDIST)
    runner = Recorder(lambda ran: (1, "") if ran.args[0] == "twine" else (0, ""))
    with pytest.raises(CommandFailed):
        steps.check_dist(workspace(runner, tmp_path), sdist, tmp_path / "wheel.whl")


def check_a_linux_wheel_against(tmp_path: Path, readelf: str) -> Recorder:
    """Run the dist checks on a Linux wheel whose module `readelf` describes as given."""
    sdist = make_sdist(tmp_path / "my_package-1.2.3.tar.gz", CLEAN_SDIST)
    wheel = tmp_path / "my_package-1.2.3-cp313-cp313-linux_x86_64.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("my_package/_core.cpython-313-x86_64-linux-gnu.so", "")
    runner = Recorder(lambda ran: (0, readelf if ran.args[0] == "readelf" else ""))
    steps.check_dist(workspace(runner, tmp_path), sdist, wheel)
    return runner


def test_a_linux_wheel_of_a_release_build_passes_the_dist_checks(tmp_path: Path) -> None:
    readelf = (
        "  [12] .text             PROGBITS        0000000000001040 001040 000119 00  AX  0   0 16\n"
        "     5: 0000000000000000     0 FUNC    GLOBAL DEFAULT  UND PyLong_FromLongLong\n"
    )
    assert check_a_linux_wheel_against(tmp_path, readelf).programs()[-1] == "readelf"


def test_debug_info_in_a_linux_wheel_fails_the_dist_checks(tmp_path: Path) -> None:
    readelf = (
        "  [27] .debug_info       PROGBITS        0000000000000000 003040 000079 00      0   0  1\n"
    )
    with pytest.raises(
        AssertionError,
        match=r"_core\.cpython-313-x86_64-linux-gnu\.so carries debug info \['\.debug_info'\]",
    ):
        check_a_linux_wheel_against(tmp_path, readelf)


def test_line_tracing_in_a_linux_wheel_fails_the_dist_checks(tmp_path: Path) -> None:
    readelf = "     7: 0000000000000000     0 FUNC    GLOBAL DEFAULT  UND PyMonitoring_EnterScope\n"
    with pytest.raises(
        AssertionError,
        match=r"_core\.cpython-313-x86_64-linux-gnu\.so calls line-tracing hooks "
        r"\['PyMonitoring_EnterScope'\]",
    ):
        check_a_linux_wheel_against(tmp_path, readelf)


def cibuildwheel_project(folder: Path) -> Path:
    (folder / "tests").mkdir(parents=True)
    (folder / "tests" / "test_core.py").touch()
    (folder / "pyproject.toml").write_text(
        '[dependency-groups]\ntest = ["pytest>=8"]\n\n[tool.cibuildwheel]\n'
        'test-groups = ["test"]\ntest-sources = ["tests"]\ntest-command = "pytest tests -x"\n'
    )
    return folder


def test_the_wheel_is_tested_as_cibuildwheel_would(tmp_path: Path) -> None:
    project = cibuildwheel_project(tmp_path / "my-package")
    wheel = tmp_path / "my_package-1.2.3-cp313-cp313-linux_x86_64.whl"
    runner = Recorder()
    test = tmp_path / "cibuildwheel-test"
    python = steps.run_cibuildwheel_test(workspace(runner, tmp_path), project, wheel, test)
    venv_bin = Path(python).parent
    assert venv_bin.parent == test / "venv"
    install, pytest_run = runner.ran[-2:]
    assert install.args[-2:] == [str(wheel), "pytest>=8"]
    # In a copy of the test sources, with the fresh venv first on PATH.
    assert pytest_run.args[1:] == ["tests", "-x"]
    assert pytest_run.cwd == test / "sources"
    assert (test / "sources" / "tests" / "test_core.py").is_file()
    assert str(pytest_run.env["PATH"]).startswith(f"{venv_bin}{':'}")
    assert pytest_run.env["VIRTUAL_ENV"] == str(test / "venv")


@pytest.mark.parametrize(
    ("build_tools", "installs"),
    [
        # A backend that rebuilds on import: its build tools first, then no isolation.
        (
            ["a-build-backend", "ninja"],
            [["a-build-backend", "ninja"], ["--no-build-isolation", "-e"]],
        ),
        ([], [["-e"]]),
    ],
)
def test_an_editable_install_brings_the_build_tools_its_backend_rebuilds_with(
    tmp_path: Path, build_tools: list[str], installs: list[list[str]]
) -> None:
    project = cibuildwheel_project(tmp_path / "my-package")
    runner = Recorder()
    steps.run_editable_tests(workspace(runner, tmp_path), project, build_tools, tmp_path / "venv")
    pip_installs = [ran.args[6:] for ran in runner.ran if ran.args[:3] == ["uv", "pip", "install"]]
    starts = [
        arguments[: len(start)] for arguments, start in zip(pip_installs, installs, strict=True)
    ]
    assert starts == installs
    assert pip_installs[-1][-2:] == [str(project), "pytest>=8"]
    tests = runner.ran[-1]
    assert tests.args[1:] == ["-m", "pytest", "-q", "-p", "no:cacheprovider"]
    assert tests.cwd == project


def stub_project(tmp_path: Path, *, stub_test: bool) -> tuple[Path, Path]:
    """A project and its installed package, which ships STUB."""
    project = tmp_path / "my-package"
    (project / "src" / "my_package").mkdir(parents=True)
    (project / "tests").mkdir()
    if stub_test:
        (project / "tests" / "test_stub.py").touch()
    installed = tmp_path / "site-packages" / "my_package"
    installed.mkdir(parents=True)
    (installed / "_core.pyi").write_text(STUB)
    return project, installed


def type_checks(
    installed: Path, *, mypy: tuple[int, str], stub_test: tuple[int, str] = (1, "")
) -> Recorder:
    """A runner whose mypy and stub test answer as given while a wrong stub is planted."""

    def answer(ran: Ran) -> tuple[int, str]:
        if ran.args[:2] == ["python", "-c"]:
            return 0, f"{installed}\n"
        planted = "def add(i: str, j: str) -> str" in (installed / "_core.pyi").read_text()
        assert planted, "a type check ran without the wrong stub"
        return mypy if ran.args[0] == "mypy" else stub_test

    return Recorder(answer)


MYPY_FINDS = (1, 'tests/test_types.py:3: error: Argument 1 to "add" [arg-type]')


def test_a_planted_wrong_stub_that_the_type_checks_catch_passes(tmp_path: Path) -> None:
    project, installed = stub_project(tmp_path, stub_test=True)
    runner = type_checks(installed, mypy=MYPY_FINDS, stub_test=(1, "the stub is not what"))
    steps.check_a_wrong_stub_fails(workspace(runner, tmp_path), project)
    assert runner.programs() == ["python", "mypy", "pytest"]
    assert {ran.cwd for ran in runner.ran} == {project}
    # Put back: the shipped stub, and no stub left in the sources.
    assert (installed / "_core.pyi").read_text() == STUB
    assert not (project / "src" / "my_package" / "_core.pyi").exists()


@pytest.mark.parametrize(
    ("mypy", "stub_test", "failure"),
    [
        ((0, "Success: no issues found"), (1, "is not what"), CommandFailed),
        ((1, "tests/test_types.py: error: [import-not-found]"), (1, "is not what"), AssertionError),
        (MYPY_FINDS, (0, "1 passed"), CommandFailed),
    ],
    ids=["mypy-accepts-it", "mypy-fails-otherwise", "stub-test-accepts-it"],
)
def test_a_planted_wrong_stub_that_a_type_check_misses_fails_the_check(
    tmp_path: Path, mypy: tuple[int, str], stub_test: tuple[int, str], failure: type[Exception]
) -> None:
    project, installed = stub_project(tmp_path, stub_test=True)
    runner = type_checks(installed, mypy=mypy, stub_test=stub_test)
    with pytest.raises(failure):
        steps.check_a_wrong_stub_fails(workspace(runner, tmp_path), project)
    assert (installed / "_core.pyi").read_text() == STUB


def docs_project(tmp_path: Path) -> Path:
    """A project folder with docs/index.md."""
    (tmp_path / "project" / "docs").mkdir(parents=True)
    (tmp_path / "project" / "docs" / "index.md").write_text("# my-package\n")
    return tmp_path / "project"


SPHINX_FINDS = (
    1,
    "docs/index.md:3: WARNING: 'myst' cross-reference target not found: 'missing.md'",
)


def sphinx_build(answer: tuple[int, str]) -> Recorder:
    """A runner whose sphinx-build answers as given while the broken link is planted."""

    def run(ran: Ran) -> tuple[int, str]:
        assert "(missing.md)" in (ran.cwd / "docs" / "index.md").read_text(), "nothing planted"
        return answer

    return Recorder(run)


def test_a_planted_broken_link_that_the_docs_build_catches_passes(tmp_path: Path) -> None:
    project = docs_project(tmp_path)
    runner = sphinx_build(SPHINX_FINDS)
    steps.check_a_broken_docs_link_fails(workspace(runner, tmp_path), project, tmp_path / "html")
    assert [ran.args[:2] for ran in runner.ran] == [["sphinx-build", "--fail-on-warning"]]
    assert (project / "docs" / "index.md").read_text() == "# my-package\n"


@pytest.mark.parametrize(
    ("answer", "failure"),
    [
        ((0, "build succeeded, 1 warning."), CommandFailed),
        ((1, "Extension error: Could not import extension myst_parser"), AssertionError),
    ],
    ids=["warnings-pass", "fails-otherwise"],
)
def test_a_planted_broken_link_that_the_docs_build_misses_fails_the_check(
    tmp_path: Path, answer: tuple[int, str], failure: type[Exception]
) -> None:
    project = docs_project(tmp_path)
    with pytest.raises(failure):
        steps.check_a_broken_docs_link_fails(
            workspace(sphinx_build(answer), tmp_path), project, tmp_path / "html"
        )
    assert (project / "docs" / "index.md").read_text() == "# my-package\n"


def test_the_stub_checks_run_the_stub_test_only_where_the_binding_has_one(tmp_path: Path) -> None:
    project, _ = stub_project(tmp_path, stub_test=False)
    (project / "stubtest-allowlist.txt").touch()
    runner = Recorder()
    steps.run_stub_checks(workspace(runner, tmp_path), project)
    assert [ran.args[:4] for ran in runner.ran] == [
        ["python", "-m", "mypy.stubtest", "my_package._core"],
        ["mypy", "tests/test_types.py"],
        ["pytest", "-q", "-p", "no:cacheprovider"],
    ]
    assert runner.ran[0].args[-2:] == ["--allowlist", str(project / "stubtest-allowlist.txt")]
    assert runner.ran[-1].args[-1] == "tests/test_types.py"


def update_workflow(tmp_path: Path) -> Path:
    workflow = tmp_path / "template-update.yml"
    workflow.write_text("steps:\n  - name: Update\n        run: |\n          copier update\n")
    return workflow


@pytest.mark.parametrize(
    ("report", "passes"),
    [("error[template-injection]: code injection via template expansion", True), ("", False)],
)
def test_zizmor_must_flag_the_injection_planted_in_the_update_workflow(
    tmp_path: Path, report: str, passes: bool
) -> None:
    runner = Recorder(lambda ran: (14 if report else 0, report))
    work = workspace(runner, tmp_path)
    work.tmp.mkdir()
    if passes:
        steps.check_zizmor_flags_a_planted_injection(work, update_workflow(tmp_path))
    else:
        with pytest.raises(AssertionError, match="missed the planted injection"):
            steps.check_zizmor_flags_a_planted_injection(work, update_workflow(tmp_path))
    (ran,) = runner.ran
    planted = Path(ran.args[-1]).read_text()
    assert 'run: |\n          echo "${{ github.event.head_commit.message }}"\n' in planted


def test_an_update_workflow_without_one_script_cannot_be_planted_in(tmp_path: Path) -> None:
    workflow = tmp_path / "template-update.yml"
    workflow.write_text("steps:\n  - uses: actions/checkout@v5\n")
    with pytest.raises(AssertionError, match="no single script"):
        steps.check_zizmor_flags_a_planted_injection(workspace(Recorder(), tmp_path), workflow)
