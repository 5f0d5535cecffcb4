"""The steps the template's nox sessions are made of, run through a `Runner`.

A nox session is a `Runner`; tests/test_steps.py hands these steps a runner that
records the commands and answers for them, or one that really runs them.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, overload

import nox.project

from template_checks import cibuildwheel, dist, stubs
from template_tools.answers import import_name

# git with an identity, for commits in rendered projects.
GIT = ["git", "-c", "user.name=Template Tests", "-c", "user.email=tests@example.org"]
# pytest as the sessions run it in a project's folder.
PYTEST = ["pytest", "-q", "-p", "no:cacheprovider"]
ZIZMOR = ["zizmor", "--offline", "--min-severity=low"]
# A project's docs build, warnings as errors, as its `nox -s docs` runs it.
SPHINX_BUILD = ["sphinx-build", "--fail-on-warning", "--keep-going", "-q", "docs"]


class Runner(Protocol):
    """What the steps need of a nox session (`nox.Session` has it all): `run` raises
    when a command exits with a code outside `success_codes` ([0] unless given)."""

    @overload
    def run(
        self,
        *args: str | os.PathLike[str],
        env: Mapping[str, str | None] | None = None,
        silent: Literal[False] = False,
        success_codes: Iterable[int] | None = None,
        external: Literal["error"] | bool | None = None,
    ) -> bool | None: ...

    @overload
    def run(
        self,
        *args: str | os.PathLike[str],
        env: Mapping[str, str | None] | None = None,
        silent: Literal[True],
        success_codes: Iterable[int] | None = None,
        external: Literal["error"] | bool | None = None,
    ) -> str | None: ...

    def install(self, *args: str) -> None: ...

    def log(self, *args: Any) -> None: ...

    def chdir(self, dir: str | os.PathLike[str]) -> AbstractContextManager[Any]: ...


@dataclass(frozen=True)
class Workspace:
    """A runner, the Python of its environment (its path and version), and a scratch
    folder of its own."""

    runner: Runner
    python: str
    python_version: str
    tmp: Path

    def fresh(self, name: str) -> Path:
        """A path in the scratch folder, with nothing at it."""
        path = self.tmp / name
        shutil.rmtree(path, ignore_errors=True)
        return path


def venv_python(venv: Path) -> str:
    return str(venv / ("Scripts" if sys.platform == "win32" else "bin") / "python")


def group(project: Path, *names: str) -> list[str]:
    """The requirements of dependency groups of a project's pyproject.toml."""
    pyproject = nox.project.load_toml(project / "pyproject.toml")
    return list(nox.project.dependency_groups(pyproject, *names))


def render(work: Workspace, template: Path, pairing: str, **answers: str) -> Path:
    """Generate a project with cookiecutter into a fresh folder, committed to a new
    git repository as a user would before building (some backends make sdists
    from git); return its path."""
    output = work.fresh("rendered")
    extra = [f"{key}={value}" for key, value in {"pairing": pairing, **answers}.items()]
    work.runner.run(
        "cookiecutter", "--no-input", "--output-dir", str(output), str(template), *extra
    )
    (project,) = output.iterdir()
    with work.runner.chdir(project):
        work.runner.run(*GIT, "init", "--quiet", external=True)
        work.runner.run(*GIT, "add", "--all", external=True)
        work.runner.run(*GIT, "commit", "--quiet", "--message=Generated project", external=True)
    return project


def build_dist(
    work: Workspace, project: Path, out: Path, *kinds: str, python: str = ""
) -> list[Path]:
    """`uv build` into a fresh folder: the sdist, then the wheel from the unpacked
    sdist alone (or only `--sdist` or `--wheel`); return the sdist, then the wheel."""
    shutil.rmtree(out, ignore_errors=True)
    python = python or work.python
    work.runner.run("uv", "build", *kinds, "--python", python, "--out-dir", str(out), str(project))
    return [*out.glob("*.tar.gz"), *out.glob("*.whl")]


def check_dist(work: Workspace, sdist: Path, wheel: Path) -> None:
    """What PyPI's upload and installers will accept, nothing stray in the sdist, and
    neither debug info nor line-tracing hooks in the wheel."""
    work.runner.run("twine", "check", "--strict", str(sdist), str(wheel))
    work.runner.run("check-wheel-contents", str(wheel))
    problems = dist.sdist_problems(sdist)
    for module in dist.linux_modules(wheel, work.fresh("wheel-modules")):
        command = ["readelf", "--section-headers", "--dyn-syms", "--wide", str(module)]
        readelf = str(work.runner.run(*command, silent=True, external=True))
        if sections := dist.debug_sections(readelf):
            problems.append(f"{wheel.name}: {module.name} carries debug info {sections}")
        if hooks := dist.tracing_hooks(readelf):
            problems.append(f"{wheel.name}: {module.name} calls line-tracing hooks {hooks}")
    assert not problems, problems


def fresh_venv(work: Workspace, venv: Path, *requirements: str) -> str:
    """A new venv of the workspace's Python with `requirements`; return its Python."""
    work.runner.run("uv", "venv", "--quiet", "--clear", "--python", work.python, str(venv))
    python = venv_python(venv)
    work.runner.run("uv", "pip", "install", "--quiet", "--python", python, *requirements)
    return python


def version(work: Workspace, python: str, project: Path) -> str:
    """The package's `__version__`, imported by `python`."""
    code = f"import {import_name(project.name)} as m; print(m.__version__)"
    return str(work.runner.run(python, "-c", code, silent=True, external=True)).strip()


def installed_version(work: Workspace, project: Path, wheel: Path, venv: Path) -> str:
    """The package's `__version__` once the wheel is installed in a fresh venv."""
    return version(work, fresh_venv(work, venv, str(wheel)), project)


def run_cibuildwheel_test(work: Workspace, project: Path, wheel: Path, tmp: Path) -> str:
    """Install a wheel into a fresh venv and run the configured test-command in a
    copy of the configured test-sources, as cibuildwheel does; return the venv's Python."""
    plan = cibuildwheel.test_plan(project)
    shutil.rmtree(tmp, ignore_errors=True)
    venv, sources = tmp / "venv", tmp / "sources"
    python = fresh_venv(work, venv, str(wheel), *plan.requirements)
    cibuildwheel.copy_test_sources(project, plan.sources, sources)
    # The test-command runs with the fresh venv first on PATH, as in cibuildwheel.
    path = os.pathsep.join([str(Path(python).parent), os.environ.get("PATH", "")])
    program, *arguments = plan.command
    with work.runner.chdir(sources):
        work.runner.run(
            shutil.which(program, path=path) or program,
            *arguments,
            env={"PATH": path, "VIRTUAL_ENV": str(venv)},
            external=True,
        )
    return python


def run_editable_tests(
    work: Workspace, project: Path, build_tools: Iterable[str], venv: Path
) -> None:
    """`pip install -e .` into a fresh venv, then the project's tests against it.

    A backend that rebuilds on import keeps needing its build tools (the
    registry's `editable_requires`): they are installed first, and the install
    then goes without build isolation, as the generated README tells users.
    """
    editable = ["-e", str(project), *group(project, "test")]
    if build_tools := list(build_tools):
        python = fresh_venv(work, venv, *build_tools)
        install = ["uv", "pip", "install", "--quiet", "--python", python, "--no-build-isolation"]
        work.runner.run(*install, *editable)
    else:
        python = fresh_venv(work, venv, *editable)
    with work.runner.chdir(project):
        work.runner.run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider")


def run_stub_checks(work: Workspace, project: Path) -> None:
    """The generated project's `nox -s stubtest`, on the package installed in the
    runner's environment (run in the project): stubtest, mypy and pytest on
    tests/test_types.py, and tests/test_stub.py where the binding has a stub generator."""
    # A pairing whose binding stubtest misreads ships the allowlist its project uses.
    allowlist = project / "stubtest-allowlist.txt"
    options = ["--allowlist", str(allowlist)] if allowlist.exists() else []
    with work.runner.chdir(project):
        work.runner.run(
            "python", "-m", "mypy.stubtest", f"{import_name(project.name)}._core", *options
        )
        work.runner.run("mypy", "tests/test_types.py")
        work.runner.run(*PYTEST, "tests/test_types.py")
        if (project / "tests" / "test_stub.py").exists():
            work.runner.run(*PYTEST, "tests/test_stub.py")


def check_a_wrong_stub_fails(work: Workspace, project: Path) -> None:
    """Plant a stub that declares `add` on str, in the installed package and in the
    project's sources, and expect the checks of the types to fail: mypy on
    tests/test_types.py, and tests/test_stub.py where the binding has a stub generator.
    (stubtest reads no types, and the module behaves as before.)"""
    name = import_name(project.name)
    code = f"import pathlib, {name}; print(pathlib.Path({name}.__file__).parent)"
    run = work.runner.run
    with work.runner.chdir(project):
        installed = Path(str(run("python", "-c", code, silent=True)).strip())
        planted = [installed / "_core.pyi", project / "src" / name / "_core.pyi"]
        # The declared types: the shipped stub, or where there is none the typed source.
        declared = planted[0] if planted[0].exists() else installed / "_core.py"
        with stubs.planted(planted, stubs.wrong_stub(declared.read_text(encoding="utf-8"))):
            mypy = str(run("mypy", "tests/test_types.py", success_codes=[1], silent=True))
            assert "tests/test_types.py" in mypy, mypy
            assert "[arg-type]" in mypy, mypy
            if (project / "tests" / "test_stub.py").exists():
                stub_test = run(*PYTEST, "tests/test_stub.py", success_codes=[1], silent=True)
                assert "is not what" in str(stub_test), stub_test
    work.runner.log(f"a stub declaring add() on str fails the stub checks of {project.name}")


def check_a_broken_docs_link_fails(work: Workspace, project: Path, html: Path) -> None:
    """Plant a link to a page the docs do not have in docs/index.md, and expect the
    docs build, warnings as errors, to fail on it."""
    index = project / "docs" / "index.md"
    broken = f"{index.read_text(encoding='utf-8')}\nSee [a page it lacks](missing.md).\n"
    with stubs.planted([index], broken), work.runner.chdir(project):
        output = work.runner.run(*SPHINX_BUILD, str(html), success_codes=[1], silent=True)
    assert "target not found: 'missing.md'" in str(output), output
    work.runner.log(f"a link to a missing page fails the docs build of {project.name}")


def cibuildwheel_identifiers(
    runner: Runner, project: Path, platform: str, env: Mapping[str, str] | None = None
) -> list[str]:
    """The wheels cibuildwheel would build for the project."""
    with runner.chdir(project):
        output = runner.run(
            "cibuildwheel",
            "--print-build-identifiers",
            "--platform",
            platform,
            ".",
            silent=True,
            env=env or {},
        )
    return str(output).split()


def install_actionlint(work: Workspace, version: str) -> str:
    """Build actionlint with Go into the runner's environment (its PyPI wheel
    downloads it from GitHub); return its path."""
    bin_dir = Path(work.python).parent
    package = f"github.com/rhysd/actionlint/cmd/actionlint@{version}"
    work.runner.run("go", "install", package, env={"GOBIN": str(bin_dir)}, external=True)
    return str(bin_dir / "actionlint")


def rendered_update_workflow(work: Workspace, template: Path) -> Path:
    """The template-update workflow, as copier renders it (only projects that record their
    template get it, so the project checks' cookiecutter renders lack it; cruft's is the
    same file, tests/test_copier_cruft.py checks that)."""
    project = work.fresh("made-by-copier")
    work.runner.run(
        "copier", "copy", "--trust", "--defaults", "--quiet", str(template), str(project)
    )
    return project / ".github" / "workflows" / "template-update.yml"


def check_zizmor_flags_a_planted_injection(work: Workspace, workflow: Path) -> None:
    """zizmor, run as on the workflows, must flag an expression planted in the update
    step's script, or its clean report proves nothing."""
    text = workflow.read_text(encoding="utf-8")
    script_start = "        run: |\n"
    assert text.count(script_start) == 1, "the update workflow has no single script to plant in"
    planted = work.tmp / "planted-injection.yml"
    injection = '          echo "${{ github.event.head_commit.message }}"\n'
    planted.write_text(text.replace(script_start, script_start + injection), encoding="utf-8")
    # zizmor exits with 10-14 when it finds something, by its highest severity.
    report = work.runner.run(*ZIZMOR, str(planted), silent=True, success_codes=[0, *range(10, 15)])
    assert "template-injection" in str(report), f"zizmor missed the planted injection:\n{report}"
