"""The check of a project's `nox -s coverage` reports (template_checks/coverage_report.py):
it passes on a report where add and fib ran, and fails where fib's lines did not
run or the native source is missing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Rendered

from template_checks import coverage_report
from template_tools import registry

REGISTRY = registry.load()
# A pairing whose binding reports native lines with gcovr, for the planted facts.
GCOVR = next(
    name
    for name, entry in REGISTRY.pairings.items()
    if entry["coverage"]["tool"] == "gcovr" and not entry["coverage"]["refused"]
)
GCOVR_BINDING = f"bindings/{REGISTRY.pairings[GCOVR]['binding_id']}/binding.toml"


def write_report(project: Path, name: str, filename: str, hits: dict[int, int]) -> None:
    """A Cobertura report, as gcovr and coverage.py write it, of one file."""
    lines = "".join(f'<line number="{n}" hits="{h}"/>' for n, h in sorted(hits.items()))
    (project / name).write_text(
        f"<coverage><sources><source>{project}</source></sources><packages><package>"
        f'<classes><class filename="{filename}"><lines>{lines}</lines></class></classes>'
        "</package></packages></coverage>",
        encoding="utf-8",
    )


def native_source(rendered: Rendered) -> tuple[dict[str, str], str]:
    coverage = REGISTRY.pairings[rendered.pairing]["coverage"]
    if coverage["refused"]:
        pytest.skip(f"{rendered.pairing} reports no native lines: {coverage['refused']}")
    return coverage, coverage["source"].replace("{{cookiecutter.__import_name}}", "my_package")


def functions(rendered: Rendered, coverage: dict[str, str], source: str) -> dict[str, list[int]]:
    text = (rendered.path / source).read_text(encoding="utf-8")
    return {name: coverage_report.definition_lines(text, coverage[name]) for name in ("add", "fib")}


def test_add_and_fib_are_found_where_the_binding_says(rendered: Rendered) -> None:
    coverage, source = native_source(rendered)
    found = functions(rendered, coverage, source)
    assert found["add"], found
    assert found["fib"], found
    # Each definition ends before the next begins.
    assert set(found["add"]).isdisjoint(found["fib"]), found


def test_a_report_where_add_and_fib_ran_passes(rendered: Rendered) -> None:
    coverage, source = native_source(rendered)
    found = functions(rendered, coverage, source)
    write_report(
        rendered.path, "coverage-native.xml", source, {found["add"][0]: 3, found["fib"][1]: 9}
    )
    try:
        assert coverage_report.problems(rendered.path, coverage) == []
    finally:
        (rendered.path / "coverage-native.xml").unlink()


def test_a_report_where_fib_did_not_run_fails(rendered: Rendered) -> None:
    coverage, source = native_source(rendered)
    found = functions(rendered, coverage, source)
    hits = {found["add"][0]: 3, **dict.fromkeys(found["fib"], 0)}
    write_report(rendered.path, "coverage-native.xml", source, hits)
    try:
        (problem,) = coverage_report.problems(rendered.path, coverage)
    finally:
        (rendered.path / "coverage-native.xml").unlink()
    assert problem.startswith(f"no line of fib ({source}:{found['fib'][0]}-"), problem


def test_a_report_without_the_native_source_fails(rendered: Rendered) -> None:
    coverage, source = native_source(rendered)
    write_report(rendered.path, "coverage-python.xml", "src/my_package/__init__.py", {1: 1})
    try:
        problems = coverage_report.problems(rendered.path, coverage)
    finally:
        (rendered.path / "coverage-python.xml").unlink()
    assert problems == [f"{source} is in no report (coverage-python.xml)"]


def test_a_definition_runs_to_the_next_line_indented_no_deeper() -> None:
    text = "def add(a, b):\n    x = 1\n\n    return a + b\ndef fib(n):\n    return n\n"
    assert coverage_report.definition_lines(text, "def add(") == [1, 2, 3, 4]
    assert coverage_report.definition_lines(text, "def fib(") == [5, 6]
    braces = "  fn add() {\n    1\n  }\n  fn fib() {\n"
    assert coverage_report.definition_lines(braces, "fn add(") == [1, 2, 3]
    assert coverage_report.definition_lines(text, "def sub(") == []


def read_with(path: str, edit: Callable[[str], str]) -> Callable[[str], str]:
    """The checkout's templates/ files, with the one at `path` edited."""
    templates = Path(registry.TEMPLATES)

    def read(name: str) -> str:
        text = (templates / name).read_text(encoding="utf-8")
        return edit(text) if name == path else text

    return read


def test_an_unknown_coverage_tool_is_refused() -> None:
    read = read_with(GCOVR_BINDING, lambda text: text + 'tool = "gcov"\n')
    with pytest.raises(ValueError, match="coverage tool is 'gcov'"):
        registry.load(read)


def test_coverage_without_fib_and_no_refusal_is_refused() -> None:
    read = read_with(GCOVR_BINDING, lambda text: text.replace("\nfib = ", "\n# "))
    with pytest.raises(ValueError, match="names no source, add and fib"):
        registry.load(read)


def test_a_pairing_refusal_leaves_only_the_python_report() -> None:
    reason = 'coverage_refused = "planted"\n'
    read = read_with(f"pairings/{GCOVR}/pairing.toml", lambda text: text + reason)
    coverage = registry.load(read).pairings[GCOVR]["coverage"]
    assert coverage["refused"] == "planted"
    assert coverage["reports"] == ["coverage-python.xml"]
    assert REGISTRY.pairings[GCOVR]["coverage"]["reports"] == [
        "coverage-python.xml",
        "coverage-native.xml",
    ]


def test_a_generated_c_for_a_binding_not_traced_by_coverage_py_is_refused() -> None:
    planted = 'coverage_generated_c = "build/*.c"\n'
    read = read_with(f"pairings/{GCOVR}/pairing.toml", lambda text: text + planted)
    with pytest.raises(ValueError, match="coverage_generated_c is for a binding traced"):
        registry.load(read)
