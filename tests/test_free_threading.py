"""free_threading: each binding's own declaration that the module needs no GIL,
the thread test and free-threaded wheels, all only when the answer is yes."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import PAIRINGS, Rendered, render

from template_tools import registry

# Where each binding declares that its module runs without the GIL, and how; cffi
# and mypyc (>= 2) declare it in every module they make, so their sources say nothing.
DECLARATIONS = {
    "pybind11": ("src/_core.cpp", "PYBIND11_MODULE(_core, m, py::mod_gil_not_used())"),
    "nanobind": ("CMakeLists.txt", "nanobind_add_module(_core FREE_THREADED src/_core.cpp)"),
    "Cython": ("src/my_package/_core.pyx", "# cython: freethreading_compatible=True\n"),
    "PyO3": ("src/lib.rs", "#[pymodule(gil_used = false)]"),
    "the CPython C API": ("src/_core.c", "{Py_mod_gil, Py_MOD_GIL_NOT_USED}"),
}
SKIP_FREE_THREADED = ["cp3??t-*"]


def cibuildwheel(project: Path) -> dict[str, Any]:
    table: dict[str, Any] = tomllib.loads((project / "pyproject.toml").read_text())["tool"][
        "cibuildwheel"
    ]
    return table


def declaration(pairing: str) -> tuple[str, str] | None:
    return DECLARATIONS.get(registry.load().pairings[pairing]["binding"])


def test_every_binding_is_known() -> None:
    bindings = {entry["binding"] for entry in registry.load().pairings.values()}
    assert bindings - set(DECLARATIONS) == {"CFFI", "mypyc"}


@pytest.mark.parametrize("pairing", PAIRINGS)
def test_yes_declares_builds_and_tests_free_threading(pairing: str, tmp_path: Path) -> None:
    project = render(tmp_path, pairing=pairing, free_threading="yes")
    found = declaration(pairing)
    if found is not None:
        path, text = found
        assert text in (project / path).read_text()
        if text.startswith("# cython:"):
            # A directive comment counts only before any code.
            assert (project / path).read_text().startswith(text)
    # Only the platforms the pairing cannot build for, if any, are skipped.
    assert all(not pattern.startswith("cp") for pattern in cibuildwheel(project).get("skip", []))
    assert "tests/test_threads.py" in (project / "pyproject.toml").read_text()
    threads = (project / "tests" / "test_threads.py").read_text()
    assert "ThreadPoolExecutor" in threads
    assert "from my_package import add, fib" in threads


def test_no_declares_nothing_and_skips_free_threaded_wheels(rendered: Rendered) -> None:
    project = rendered.path
    found = declaration(rendered.pairing)
    if found is not None:
        path, text = found
        assert text not in (project / path).read_text()
        assert "Py_MOD_GIL_NOT_USED" not in (project / path).read_text()
    if registry.load().pairings[rendered.pairing]["binding"] == "PyO3":
        # PyO3 0.30 declares GIL-free support unless told otherwise.
        assert "#[pymodule(gil_used = true)]" in (project / "src/lib.rs").read_text()
    # The free-threaded builds, then those of platforms the pairing cannot build for.
    assert cibuildwheel(project)["skip"][: len(SKIP_FREE_THREADED)] == SKIP_FREE_THREADED
    assert not (project / "tests" / "test_threads.py").exists()
