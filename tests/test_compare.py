"""template_checks/compare.py: its statistics, parsing, floors, speed script and writers."""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from template_checks import compare
from template_tools import registry

IMPORTTIME = """\
import time: self [us] | cumulative | imported package
import time:       120 |        120 |   _io
import time:       900 |       4200 |   example._core
import time:      1500 |       5700 | example
"""


def row(median: float) -> dict[str, float]:
    return {"median": median, "min": median / 2, "max": median * 2}


def results() -> dict[str, Any]:
    figures = {key: row(1.0) for key in compare.FIGURES}
    return {
        "machine": {
            "date": "2026-11-26 22:00 UTC",
            "cpu": "Test CPU",
            "cores": 2,
            "os": "Linux",
            "python": "Python 3.13.0",
        },
        "pairings": {"a-b": {**figures, "floor_ms": row(0.5), "wheel_kib": 20.4, "floor": "c"}},
    }


def test_spread_is_median_min_max() -> None:
    assert compare.spread([3.0, 1.0, 10.0]) == {"median": 3.0, "min": 1.0, "max": 10.0}
    assert compare.spread([1.0, 2.0])["median"] == 1.5


def test_spread_refuses_no_samples() -> None:
    with pytest.raises(ValueError, match="no samples"):
        compare.spread([])


def test_edit_changes_one_line_only() -> None:
    text = "a\n  return n < 2 ? n : fib(n - 1);\nn < 2\n"
    edited = compare.edit_one_line(text)
    assert edited == "a\n  return n <= 1 ? n : fib(n - 1);\nn < 2\n"
    # Editing again flips the same line back: every rebuild sees a change.
    assert compare.edit_one_line(edited) == "a\n  return n < 2 ? n : fib(n - 1);\nn < 2\n"


def test_edit_refuses_a_source_without_the_base_case() -> None:
    with pytest.raises(ValueError, match="base case"):
        compare.edit_one_line("int main() { return 0; }\n")


@pytest.mark.parametrize("pairing", registry.load().pairings)
def test_every_compiled_source_has_the_line_to_edit(pairing: str) -> None:
    facts = registry.load().pairings[pairing]
    assert facts["floor"] in compare.FLOOR_SOURCES
    assert compare.edit_one_line(_source_text(facts["compiled_source"], facts["binding_id"]))


def _source_text(path: str, binding: str) -> str:
    """The binding's source, or the shared C++ functions it includes."""
    folder = Path(registry.TEMPLATES) / "bindings" / binding / "files"
    text = (folder / path).read_text()
    if "cpp-functions.cpp" in text:
        text += (Path(registry.TEMPLATES) / "shared" / "cpp-functions.cpp").read_text()
    return text


def test_parse_importtime_takes_the_package_cumulative_time() -> None:
    assert compare.parse_importtime(IMPORTTIME, "example") == 5.7


def test_parse_importtime_refuses_a_missing_module() -> None:
    with pytest.raises(ValueError, match="other"):
        compare.parse_importtime(IMPORTTIME, "other")


def test_cpu_model() -> None:
    assert compare.cpu_model("processor\t: 0\nmodel name\t: AMD EPYC\n") == "AMD EPYC"


def test_figure_shows_median_and_spread() -> None:
    assert compare.figure({"median": 1.234, "min": 1.0, "max": 2.5}, 2) == "1.23 (1.00 to 2.50)"


def test_table_has_the_machine_and_one_row_per_pairing() -> None:
    lines = compare.table(results()).splitlines()
    assert lines[0].startswith("Measured 2026-11-26 22:00 UTC on Test CPU (2 cores)")
    assert lines[2].count("|") == lines[3].count("|") == lines[4].count("|")
    assert lines[4].startswith("| a-b | 1.0 (0.5 to 2.0) |")
    assert lines[4].endswith("| 0.500 (0.250 to 1.000) (c) | 2.00 | - | - | - |")


def test_table_shows_fresh_tree_against_bare_compile_where_measured() -> None:
    measured = results()
    measured["pairings"]["a-b"] |= {"fresh_to_tested_s": row(12.0), "bare_compile_s": row(10.0)}
    (line,) = (line for line in compare.table(measured).splitlines() if line.startswith("| a-b"))
    assert line.endswith("| 12.0 (6.0 to 24.0) | 10.0 (5.0 to 20.0) | 1.20 |")


def a_project(folder: Path) -> Path:
    project = folder / "project"
    project.mkdir()
    (project / "marker").write_text("")
    return project


@pytest.mark.skipif(shutil.which("uv") is None, reason="needs uv")
def test_fresh_tree_and_bare_compile_are_timed_in_fresh_copies(tmp_path: Path) -> None:
    # Each command passes only in an untouched copy: it fails where the other ran.
    nox = [sys.executable, "-c", "import os; os.mkdir('done'); os.remove('marker')"]
    bare = "test -f marker && test ! -e done && rm marker && mkdir done"
    uv = str(shutil.which("uv"))
    figures = compare.fresh_against_bare(a_project(tmp_path), sys.executable, uv, nox, bare, [], 2)
    assert set(figures) == {"fresh_to_tested_s", "bare_compile_s"}
    assert all(value["min"] > 0 for value in figures.values())


@pytest.mark.skipif(shutil.which("uv") is None, reason="needs uv")
def test_a_failing_bare_compile_is_not_timed(tmp_path: Path) -> None:
    nox = [sys.executable, "-c", "pass"]
    uv = str(shutil.which("uv"))
    with pytest.raises(subprocess.CalledProcessError):
        compare.fresh_against_bare(a_project(tmp_path), sys.executable, uv, nox, "exit 3", [], 1)


def test_write_saves_json_and_table(tmp_path: Path) -> None:
    json_path, table_path = compare.write(results(), tmp_path / "out")
    assert json.loads(json_path.read_text()) == results()
    assert table_path.read_text() == compare.table(results())


def test_plot_draws_a_png(tmp_path: Path) -> None:
    path = tmp_path / "compare.png"
    compare.plot(results(), path)
    assert path.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("kind", sorted(compare.FLOOR_SOURCES))
def test_every_floor_computes_fib(tmp_path: Path, kind: str) -> None:
    fib = ctypes.CDLL(str(compare.build_floor(kind, tmp_path))).fib
    fib.argtypes, fib.restype = [ctypes.c_longlong], ctypes.c_longlong
    assert [fib(n) for n in (0, 1, 2, 10, compare.N)] == [0, 1, 1, 55, 196418]


def a_module_with_fib(folder: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A pure-Python module `slowfib` the speed script can import."""
    (folder / "slowfib.py").write_text(
        "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(folder))
    return "slowfib"


def test_speed_times_fib_and_its_floor_call_after_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = a_module_with_fib(tmp_path, monkeypatch)
    timings = compare.speed(sys.executable, module, compare.build_floor("c", tmp_path), 3)
    assert [len(timings[key]) for key in ("fib_ms", "floor_ms", "pure_ms")] == [3, 3, 5]
    # The floor is the compiled recursion, far faster than Python's.
    assert max(timings["floor_ms"]) < min(timings["fib_ms"])


def test_a_floor_computing_another_fib_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = a_module_with_fib(tmp_path, monkeypatch)
    wrong = compare.FLOOR_SOURCES["c"].replace("n < 2", "n < 3")
    monkeypatch.setitem(compare.FLOOR_SOURCES, "c", wrong)
    with pytest.raises(subprocess.CalledProcessError) as failure:
        compare.speed(sys.executable, module, compare.build_floor("c", tmp_path), 1)
    assert b"another fib" in failure.value.stderr


def fake_built_project(tmp_path: Path) -> Path:
    """A project with fib's source and a built module file, no build system."""
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "src" / "_core.c").write_text("return n < 2 ? n : fib(n - 1) + fib(n - 2);\n")
    (tmp_path / "src" / "pkg" / "_core.cpython-313-x86_64-linux-gnu.so").write_bytes(b"old")
    return tmp_path


def test_retest_is_timed_when_it_rebuilds_the_module(tmp_path: Path) -> None:
    project = fake_built_project(tmp_path)
    rebuild = "sleep 0.01; echo new > src/pkg/_core.cpython-313-x86_64-linux-gnu.so\n"
    assert compare.time_retest(project, "_core", "src/_core.c", rebuild, dict(os.environ)) > 0
    assert "n <= 1" in (project / "src" / "_core.c").read_text()


def test_retest_that_skips_the_rebuild_fails(tmp_path: Path) -> None:
    # The defect: tests pass on the old module, nothing was rebuilt.
    project = fake_built_project(tmp_path)
    with pytest.raises(RuntimeError, match="left every built file of _core as it was"):
        compare.time_retest(project, "_core", "src/_core.c", "true\n", dict(os.environ))


def test_retest_that_fails_fails(tmp_path: Path) -> None:
    project = fake_built_project(tmp_path)
    with pytest.raises(subprocess.CalledProcessError):
        compare.time_retest(project, "_core", "src/_core.c", "exit 1\n", dict(os.environ))


def test_retest_needs_a_built_module_first(tmp_path: Path) -> None:
    project = fake_built_project(tmp_path)
    (project / "src" / "pkg" / "_core.cpython-313-x86_64-linux-gnu.so").unlink()
    with pytest.raises(RuntimeError, match="set up the route first"):
        compare.time_retest(project, "_core", "src/_core.c", "true\n", dict(os.environ))


def test_edit_loop_refuses_a_readme_whose_last_block_is_another_route(tmp_path: Path) -> None:
    project = fake_built_project(tmp_path)
    (project / "README.md").write_text(
        "For an editable install:\n\n```console\npip install -e .\npytest\n```\n\n"
        "After editing:\n\n```console\npip install -e . && pytest\n```\n"
    )
    with pytest.raises(ValueError, match="last development block is not `pytest`"):
        compare.edit_loop(project, "_core", "src/_core.c", "pytest", Path("python"), tmp_path, 1)


def test_retest_that_only_touches_the_venv_fails(tmp_path: Path) -> None:
    # An installed copy rewritten while the tree's module stays old is no rebuild.
    project = fake_built_project(tmp_path)
    (project / ".venv").mkdir()
    (project / ".venv" / "other.so").write_bytes(b"old")
    with pytest.raises(RuntimeError, match="as it was"):
        compare.time_retest(project, "_core", "src/_core.c", "echo new > .venv/other.so\n", {})
