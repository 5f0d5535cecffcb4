"""What the template's build sessions check (template_checks/sequences.py), run on a
rendered project with a runner that stands in for the build tools (git and bash run
for real), each shown to fail on a planted defect."""

from __future__ import annotations

import shutil
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import PAIRINGS, ROOT, Ran, Recorder, make_sdist, really

from template_checks import sequences, steps
from template_checks.steps import Workspace

STUB = "def add(i: int, j: int) -> int: ...\n"
MISSING_PAGE = "'myst' cross-reference target not found: 'missing.md'"
PYTHONS = ["3.11", "3.12", "3.13", "3.14"]


@dataclass
class Tools:
    """Answers for the build tools, as they would come for a project that builds:
    `uv build` writes the distributions of `versions` in turn (the wheel tagged for
    the Python it builds with), auditwheel repairs, the package reports the version of
    the last wheel, mypy and the stub test find a planted wrong stub, sphinx-build a
    planted broken link; `answers` override them by program. Other commands succeed
    silently; git runs for real."""

    site_packages: Path
    versions: list[str] = field(default_factory=lambda: ["1.2.3"])
    answers: dict[str, Callable[[Ran], tuple[int, str]]] = field(default_factory=dict)
    last_wheel: str = ""

    def __call__(self, ran: Ran) -> tuple[int, str]:
        program = Path(ran.args[0]).name
        if program in self.answers:
            return self.answers[program](ran)
        if program == "git":
            return really(ran)
        if ran.args[:2] == ["uv", "build"]:
            self.build(ran.args)
        elif program == "auditwheel":
            wheelhouse = Path(ran.args[ran.args.index("--wheel-dir") + 1])
            wheelhouse.mkdir(parents=True)
            shutil.copy(ran.args[-1], wheelhouse / self.last_wheel.replace("linux", "manylinux"))
        elif ran.args[1:2] == ["-c"] and "__version__" in ran.args[2]:
            return 0, self.last_wheel.split("-")[1] + "\n"
        elif ran.args[1:2] == ["-c"]:
            return 0, f"{self.site_packages}\n"
        elif program == "sphinx-build":
            if "(missing.md)" in (ran.cwd / "docs" / "index.md").read_text():
                return 1, f"docs/index.md:9: WARNING: {MISSING_PAGE} [myst.xref_missing]"
        elif "str" in (self.site_packages / "_core.pyi").read_text():
            if program == "mypy":
                return 1, "tests/test_types.py:3: error: Argument 1 [arg-type]"
            if ran.args[-1] == "tests/test_stub.py":
                return 1, "the stub is not what the generator writes"
        return 0, ""

    def build(self, args: list[str]) -> None:
        version = self.versions.pop(0) if len(self.versions) > 1 else self.versions[0]
        out = Path(args[args.index("--out-dir") + 1])
        out.mkdir(parents=True)
        if "--wheel" not in args:
            pkg_info = f"Metadata-Version: 2.4\nName: my-package\nVersion: {version}\n"
            files = {"PKG-INFO": pkg_info, "LICENSE": "MIT", "pyproject.toml": ""}
            make_sdist(out / f"my_package-{version}.tar.gz", files)
        if "--sdist" not in args:
            python = args[args.index("--python") + 1]
            tag = f"cp{python.replace('.', '')}" if python[0].isdigit() else "cp313"
            abi = "abi3" if python[0].isdigit() else tag
            self.last_wheel = f"my_package-{version}-{tag}-{abi}-linux_x86_64.whl"
            with zipfile.ZipFile(out / self.last_wheel, "w") as wheel:
                wheel.writestr("my_package/__init__.py", "")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pairing rendered and committed, as the sessions render it."""
    tmp = tmp_path_factory.mktemp("render")
    return steps.render(workspace(Recorder(really), tmp), ROOT, PAIRINGS[0])


@pytest.fixture
def project(rendered: Path, tmp_path: Path) -> Path:
    """A copy of the rendered project, with its git repository, for one test to change."""
    return Path(shutil.copytree(rendered, tmp_path / rendered.name, symlinks=True))


@pytest.fixture
def tools(tmp_path: Path) -> Tools:
    site_packages = tmp_path / "site-packages" / "my_package"
    site_packages.mkdir(parents=True)
    (site_packages / "_core.pyi").write_text(STUB)
    return Tools(site_packages)


def workspace(runner: Recorder, tmp_path: Path) -> Workspace:
    return Workspace(runner, sys.executable, "3.13", tmp_path / "scratch")


def test_one_build_serves_every_check_of_the_build_session(
    tmp_path: Path, project: Path, tools: Tools
) -> None:
    runner = Recorder(tools)
    sequences.build(workspace(runner, tmp_path), project, "a-pairing", plant_defects=False)
    built = tmp_path / "scratch" / "dist"
    sdist, wheel = built / "my_package-1.2.3.tar.gz", built / tools.last_wheel
    twine = next(ran for ran in runner.ran if ran.args[0] == "twine")
    assert twine.args[-2:] == [str(sdist), str(wheel)]
    repaired = tmp_path / "scratch" / "wheelhouse" / tools.last_wheel.replace("linux", "manylinux")
    installs = [ran.args for ran in runner.ran if ran.args[:3] == ["uv", "pip", "install"]]
    assert [args[6] for args in installs] == [str(repaired)]
    assert runner.installed[0] == str(repaired)
    assert runner.programs().count("mypy") == 1
    assert runner.programs()[-1] == "sphinx-build"
    assert any("repaired wheel" in line for line in runner.logged)


def test_the_build_session_fails_when_the_package_reports_another_version(
    tmp_path: Path, project: Path, tools: Tools
) -> None:
    tools.answers["python"] = lambda ran: (0, "0.0.0\n" if "__version__" in ran.args[2] else "")
    with pytest.raises(AssertionError, match=r"0\.0\.0"):
        sequences.build(workspace(Recorder(tools), tmp_path), project, "a", plant_defects=False)


def test_the_build_session_plants_a_wrong_stub_and_a_broken_link_when_asked(
    tmp_path: Path, project: Path, tools: Tools
) -> None:
    index = (project / "docs" / "index.md").read_text()
    runner = Recorder(tools)
    sequences.build(workspace(runner, tmp_path), project, "a-pairing", plant_defects=True)
    assert runner.programs().count("mypy") == 2
    assert runner.programs().count("sphinx-build") == 2
    assert (tools.site_packages / "_core.pyi").read_text() == STUB
    assert (project / "docs" / "index.md").read_text() == index


def test_vcs_versions_follow_the_tag_through_sdist_wheel_and_archive(
    tmp_path: Path, project: Path, tools: Tools
) -> None:
    tools.versions = ["1.2.3", "1.2.3", "1.2.4.dev1"]
    runner = Recorder(tools)
    sequences.option_versioning(workspace(runner, tmp_path), project)
    archived = tmp_path / "scratch" / "archive"
    assert (archived / "pyproject.toml").is_file()
    assert not (archived / ".git").exists()
    builds = [ran.args[-1] for ran in runner.ran if ran.args[:2] == ["uv", "build"]]
    assert builds == [str(project), str(archived), str(project)]


@pytest.mark.parametrize(
    ("versions", "message"),
    [
        (["1.2.2", "1.2.3", "1.2.4.dev1"], "1.2.2"),
        (["1.2.3", "1.2.3", "1.2.4"], "1.2.4"),
        (["1.2.3", "1.2.3", "1.2.2.dev1"], "1.2.2.dev1"),
    ],
    ids=["tag-not-in-sdist", "later-commit-not-dev", "dev-version-below-tag"],
)
def test_a_version_that_misses_the_tag_fails_the_versioning_session(
    tmp_path: Path, project: Path, tools: Tools, versions: list[str], message: str
) -> None:
    tools.versions = versions
    with pytest.raises(AssertionError, match=message):
        sequences.option_versioning(workspace(Recorder(tools), tmp_path), project)


ABI3_ENTRY = {"abi3_minimum": "3.12", "pypy": True}
PLATFORM_PLAN = "cp311-manylinux_x86_64 cp312-manylinux_x86_64 pp311-manylinux_x86_64"
AUDIT = '{{"specs": {{"{wheel}": {{"wheel": [{{"name": "_core", "result": {result}}}]}}}}}}'
CLEAN_AUDIT = '{"is_abi3": true, "non_abi3_symbols": []}'


def stable_abi_tools(tools: Tools, audit: str, unskipped: str) -> Tools:
    def abi3audit(ran: Ran) -> tuple[int, str]:
        return 0, AUDIT.format(wheel=ran.args[-1], result=audit)

    def cibuildwheel(ran: Ran) -> tuple[int, str]:
        return 0, unskipped if ran.env.get("CIBW_SKIP") == "" else PLATFORM_PLAN

    tools.answers.update(abi3audit=abi3audit, cibuildwheel=cibuildwheel)
    return tools


def test_an_abi3_wheel_is_built_on_its_minimum_and_planned_once_per_platform(
    tmp_path: Path, project: Path, tools: Tools
) -> None:
    runner = Recorder(stable_abi_tools(tools, CLEAN_AUDIT, f"{PLATFORM_PLAN} cp314t-x"))
    work = workspace(runner, tmp_path)
    sequences.option_stable_abi(work, project, "a-pairing", ABI3_ENTRY, PYTHONS)
    build = next(ran for ran in runner.ran if ran.args[:2] == ["uv", "build"])
    assert build.args[build.args.index("--python") + 1] == "3.12"
    plans = [ran.args[3] for ran in runner.ran if ran.args[0] == "cibuildwheel"]
    assert plans == ["linux", "macos", "windows", "linux"]


@pytest.mark.parametrize(
    ("audit", "unskipped", "message"),
    [
        ('{"is_abi3": true, "non_abi3_symbols": ["PyList_GET_ITEM"]}', "cp314t-x", "PyList"),
        ('{"is_abi3": false, "non_abi3_symbols": []}', "cp314t-x", "is_abi3"),
        (CLEAN_AUDIT, PLATFORM_PLAN, "cp311-manylinux"),
    ],
    ids=["non-abi3-symbol", "not-abi3", "free-threaded-builds-not-left-to-skip"],
)
def test_a_wrong_abi3_wheel_or_plan_fails_the_stable_abi_session(
    tmp_path: Path, project: Path, tools: Tools, audit: str, unskipped: str, message: str
) -> None:
    runner = Recorder(stable_abi_tools(tools, audit, unskipped))
    with pytest.raises(AssertionError, match=message):
        sequences.option_stable_abi(
            workspace(runner, tmp_path), project, "a-pairing", ABI3_ENTRY, PYTHONS
        )


def test_a_plan_without_the_pypy_a_binding_supports_fails(tmp_path: Path) -> None:
    runner = Recorder(lambda ran: (0, "cp311-manylinux_x86_64 cp312-manylinux_x86_64"))
    with pytest.raises(AssertionError, match="PyPy builds missing"):
        sequences.cibuildwheel_plan(
            workspace(runner, tmp_path), tmp_path, "a-pairing", {"pypy": True}, {"cp311", "cp312"}
        )


def test_a_gil_slot_other_than_the_bindings_fails_the_free_threading_session(
    tmp_path: Path, project: Path, tools: Tools
) -> None:
    (project / "tests" / "test_threads.py").touch()
    tools.answers["python"] = lambda ran: (0, "absent\n")
    entry = {"compiled_module": "_core", "gil_slot_on_gil_builds": "not used"}
    with pytest.raises(AssertionError, match="absent"):
        sequences.option_free_threading(
            workspace(Recorder(tools), tmp_path), project, "a-pairing", entry
        )


def test_a_bench_without_both_timings_fails_the_options_on_session(tmp_path: Path) -> None:
    runner = Recorder(lambda ran: (0, "compiled: 10 usec per loop\n"))
    entry = {"abi3_minimum": "3.12", "pypy": False}
    with pytest.raises(AssertionError, match="compiled"):
        sequences.options_on(workspace(runner, tmp_path), tmp_path, "a-pairing", entry, PYTHONS)


def test_a_failing_readme_command_fails_the_readme_session(tmp_path: Path) -> None:
    project = tmp_path / "my-package"
    project.mkdir()
    (project / "README.md").write_text(
        "## Development\n\nFor an editable install:\n\n```console\nfalse\npytest\n```\n"
    )
    with pytest.raises(AssertionError, match="exit code 1"):
        sequences.readme_develop(workspace(Recorder(), tmp_path), project, Path(sys.executable))
