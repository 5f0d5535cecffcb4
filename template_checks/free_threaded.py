"""A free-threaded CPython built from source, and what proves a test run used it.

No free-threaded interpreter installs from the registries the template's
machines reach (PyPI, crates.io, npm, Debian's binary packages have none), and
python.org and GitHub are out of reach. The Go module proxy serves any public
repository's tagged tree, CPython's among them, and `go mod download` checks
what it receives against Go's checksum database; the hash is pinned here too.
`./configure --disable-gil` builds the free-threaded interpreter (`python3.14t`)
of registry.toml's release: a 3.14, because not every binding, nor every build
tool, builds for free-threaded 3.13.

A run counts only if the tests that need free-threading ran and passed: on a
CPython with the GIL, the GIL test skips itself and the thread test passes
anyway, single-threaded in effect.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from template_checks.steps import Workspace

# Each release's hash in Go's checksum database (sum.golang.org), as go.sum writes
# it; the release built is registry.toml's `free_threaded_cpython`.
SUMS = {"3.14.7": "h1:VAY+1Ox2/E68BOZZvT06dMumxgyvcJLzKZgCkEEZamY="}
# The tests of tests/test_threads.py a free-threaded run must pass, each with the
# outcome `pytest -rA` reports: pytest-run-parallel marks a test it ran in many
# threads at once "PARALLEL PASSED".
REQUIRED_OUTCOMES = {
    "test_importing_the_package_leaves_the_gil_disabled": "PASSED",
    "test_many_threads_get_correct_results": "PARALLEL PASSED",
}
# What the check reports of a run on a CPython with the GIL: the GIL test skips.
ON_GIL_BUILDS = ["test_importing_the_package_leaves_the_gil_disabled: not PASSED"]


def module(version: str) -> str:
    """CPython's release `version` as the Go module proxy serves it."""
    return f"github.com/python/cpython@v{version}+incompatible"


def executable(version: str) -> str:
    """The name a free-threaded build of CPython `version` installs its interpreter as."""
    major, minor = version.split(".")[:2]
    return f"python{major}.{minor}t"


def checked_download(download: dict[str, str], version: str, sums: dict[str, str] = SUMS) -> Path:
    """The source folder of a `go mod download -json` report of CPython `version`,
    refused unless its hash is the one pinned for that release."""
    if "Error" in download:
        raise RuntimeError(f"go mod download {module(version)}: {download['Error']}")
    if version not in sums:
        raise ValueError(f"no hash pinned for CPython {version}: add its go.sum line to SUMS")
    if download["Sum"] != sums[version]:
        raise ValueError(f"{module(version)}: hash {download['Sum']}, expected {sums[version]}")
    return Path(download["Dir"])


def build(home: Path, version: str, *configure_options: str) -> Path:
    """Free-threaded CPython `version` installed in `home`, built there on first
    use with the extra `./configure` options given (about 10 minutes on two cores;
    the build's output goes to home/build.log); return its interpreter."""
    python = home / "bin" / executable(version)
    if python.is_file():
        return python
    home.mkdir(parents=True, exist_ok=True)
    download = subprocess.run(
        ["go", "mod", "download", "-json", module(version)],
        env={**os.environ, "GOPATH": str(home / "go"), "GOFLAGS": "-modcacherw"},
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(download.stdout or "{}") or {"Error": download.stderr}
    source = checked_download(report, version)
    tree = home / "src"
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(source, tree)
    writable_with_scripts_executable(tree)
    configure = ["./configure", "--disable-gil", f"--prefix={home}", "--with-ensurepip"]
    configure += configure_options
    with (home / "build.log").open("w") as log:
        for command in [configure, ["make", f"-j{os.cpu_count() or 1}"], ["make", "install"]]:
            finished = subprocess.run(command, cwd=tree, stdout=log, stderr=log, check=False)
            if finished.returncode:
                raise RuntimeError(f"{' '.join(command)} failed: see {home / 'build.log'}")
    shutil.rmtree(tree)
    shutil.rmtree(home / "go")
    return python


def writable_with_scripts_executable(tree: Path) -> None:
    """Module zips keep no file modes, and Go's module cache is read-only: make
    the copied tree writable, and its scripts (a `#!` first line) executable."""
    for path in tree.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as file:
                script = file.read(2) == b"#!"
            path.chmod(0o755 if script else 0o644)
        elif path.is_dir():
            path.chmod(0o755)


def free_threading_problems(pytest_report: str) -> list[str]:
    """What a `pytest -rA` report shows of a run that did not prove free-threading:
    a failed test, or a required test without its outcome (skipped, run in one
    thread, missing)."""
    failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", pytest_report, flags=re.MULTILINE)
    outcomes = {
        test: outcome
        for outcome, test in re.findall(
            r"^((?:PARALLEL )?PASSED) \S+::(\w+)", pytest_report, flags=re.MULTILINE
        )
    }
    return [f"{test} failed" for test in failed] + [
        f"{test}: not {outcome}"
        for test, outcome in REQUIRED_OUTCOMES.items()
        if outcomes.get(test) != outcome
    ]


def run_tests(work: Workspace, project: Path, python: Path) -> list[str]:
    """The project's own `nox -s tests` on the free-threaded CPython; return what
    its report shows of a run that did not prove free-threading (a build that
    failed there included), after logging the report's end."""
    tests = ["nox", "--non-interactive", "--sessions", "tests", "--force-python", str(python)]
    with work.runner.chdir(project):
        report = str(work.runner.run(*tests, "--", "-rA", silent=True, success_codes=[0, 1]))
    problems = free_threading_problems(report)
    if problems:
        work.runner.log(report[-3000:])
    return problems
