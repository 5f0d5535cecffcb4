"""What makes a free-threaded run count: the pinned CPython source, and tests
that really ran without the GIL."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Ran, Recorder

from template_checks import free_threaded
from template_checks.steps import Workspace
from template_tools import registry

GIL_TEST, THREADS_TEST = free_threaded.REQUIRED_OUTCOMES
PASSED_BOTH = f"""\
PASSED tests/test_core.py::test_add
PASSED tests/test_threads.py::{GIL_TEST}
PARALLEL PASSED tests/test_threads.py::{THREADS_TEST}
============ 3 passed in 0.52s ============
"""


def test_a_download_whose_hash_is_not_the_pinned_one_is_refused(tmp_path: Path) -> None:
    download = {"Dir": str(tmp_path), "Sum": "h1:AAAA="}
    with pytest.raises(ValueError, match="hash h1:AAAA="):
        free_threaded.checked_download(download, "3.14.7")
    assert free_threaded.checked_download(download, "3.14.7", {"3.14.7": "h1:AAAA="}) == tmp_path


def test_a_release_without_a_pinned_hash_is_refused(tmp_path: Path) -> None:
    download = {"Dir": str(tmp_path), "Sum": "h1:AAAA="}
    with pytest.raises(ValueError, match=r"no hash pinned for CPython 3\.99\.0"):
        free_threaded.checked_download(download, "3.99.0")


def test_the_registry_names_a_release_whose_hash_is_pinned() -> None:
    assert registry.load().free_threaded_cpython in free_threaded.SUMS


def test_a_failed_download_says_what_go_reported() -> None:
    with pytest.raises(RuntimeError, match="unknown revision"):
        free_threaded.checked_download({"Error": "unknown revision v9"}, "3.14.7")


def test_a_free_threaded_build_installs_its_interpreter_with_a_t() -> None:
    assert free_threaded.executable("3.14.7") == "python3.14t"


def test_the_copied_tree_is_writable_and_only_its_scripts_executable(tmp_path: Path) -> None:
    (tmp_path / "Tools").mkdir()
    script, source = tmp_path / "Tools" / "install-sh", tmp_path / "main.c"
    script.write_text("#!/bin/sh\n")
    source.write_text("int main(void) { return 0; }\n")
    for path in [script, source, script.parent]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    free_threaded.writable_with_scripts_executable(tmp_path)
    assert oct(script.stat().st_mode & 0o777) == "0o755"
    assert oct(source.stat().st_mode & 0o777) == "0o644"
    assert oct(script.parent.stat().st_mode & 0o777) == "0o755"


def test_a_run_where_both_thread_tests_passed_proves_free_threading() -> None:
    assert free_threaded.free_threading_problems(PASSED_BOTH) == []


def test_a_run_on_a_cpython_with_the_gil_does_not_count() -> None:
    # There the GIL test skips itself and the thread test passes single-threaded.
    report = f"""\
PARALLEL PASSED tests/test_threads.py::{THREADS_TEST}
SKIPPED [1] tests/test_threads.py:33: a CPython built with the GIL has it on
============ 1 passed, 1 skipped in 0.41s ============
"""
    assert free_threaded.free_threading_problems(report) == [f"{GIL_TEST}: not PASSED"]


def test_a_thread_test_run_in_one_thread_does_not_count() -> None:
    # As without pytest-run-parallel, or with it told to use one thread.
    report = PASSED_BOTH.replace(
        f"PARALLEL PASSED tests/test_threads.py::{THREADS_TEST}",
        f"PASSED tests/test_threads.py::{THREADS_TEST}",
    )
    assert free_threaded.free_threading_problems(report) == [f"{THREADS_TEST}: not PARALLEL PASSED"]


def test_a_failed_test_does_not_count_even_when_the_thread_tests_pass() -> None:
    report = PASSED_BOTH + "FAILED tests/test_core.py::test_fib - AssertionError\n"
    assert free_threaded.free_threading_problems(report) == ["tests/test_core.py::test_fib failed"]


def test_a_run_that_never_reached_pytest_does_not_count() -> None:
    report = "error: failed to build the wheel\nnox > Session tests failed.\n"
    assert len(free_threaded.free_threading_problems(report)) == 2


def test_a_project_that_fails_to_build_there_is_reported_with_its_output(
    tmp_path: Path,
) -> None:
    python = tmp_path / "bin" / "python3.14t"

    def nox_fails(ran: Ran) -> tuple[int, str]:
        return 1, "error: no support for the free-threaded build\nSession tests failed."

    runner = Recorder(nox_fails)
    work = Workspace(runner, "python", "3.13", tmp_path)
    problems = free_threaded.run_tests(work, tmp_path / "project", python)
    assert len(problems) == len(free_threaded.REQUIRED_OUTCOMES)
    (ran,) = runner.ran
    assert ran.args[ran.args.index("--force-python") + 1] == str(python)
    assert ran.cwd == tmp_path / "project"
    assert "no support for the free-threaded build" in runner.logged[-1]
