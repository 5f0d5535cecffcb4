"""The `sanitize` session of generated projects, and the defects the template's
`sanitize` sessions plant to show that it fails on them (template_checks/sanitize.py)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import PAIRINGS, REGISTRY, Ran, Recorder, Rendered, render

from template_checks import sanitize
from template_checks.steps import Workspace

SANITIZED = [name for name in PAIRINGS if not REGISTRY.pairings[name]["sanitize_refused"]]
# fib's recursion, as the C and C++ sources write it, and the program a test compiles.
RECURSION = "return n < 2 ? n : fib(n - 1) + fib(n - 2);"
PROGRAM = f"""\
long long fib(long long n) {{
  {RECURSION}
}}

int main(void) {{ return fib(10) == 55 ? 0 : 1; }}
"""
# As the generated session builds and runs them.
FLAGS = ["-fsanitize=address,undefined", "-fno-sanitize-recover=undefined", "-g"]
COMPILERS = {"c": ["cc", "-x", "c"], "cpp": ["c++", "-x", "c++"]}
# The projects' C and C++ builds turn every warning into an error.
WARNINGS = ["-O2", "-Wall", "-Wextra", "-Werror"]


def test_every_sanitized_pairing_gets_defects_planted() -> None:
    # The planted defects are what shows that the sanitizer flags reach each
    # backend's compiler: a clean run alone would pass without them.
    for name in SANITIZED:
        assert sanitize.defects(REGISTRY.pairings[name]), name


def test_a_refused_pairing_has_no_sanitize_session_and_says_why(rendered: Rendered) -> None:
    project = rendered.path
    reason = REGISTRY.pairings[rendered.pairing]["sanitize_refused"]
    noxfile = (project / "noxfile.py").read_text(encoding="utf-8")
    readme = (project / "README.md").read_text(encoding="utf-8")
    ci = yaml.safe_load((project / ".github/workflows/ci.yml").read_text(encoding="utf-8"))
    assert ("def sanitize(" in noxfile) == (not reason)
    assert ("nox -s sanitize    #" in readme) == (not reason)
    refusal = f"There is no `nox -s sanitize` (AddressSanitizer and UndefinedBehaviorSanitizer): {reason}."
    assert (refusal in readme) == bool(reason)
    assert ("sanitize" in ci["jobs"]) == (not reason)
    assert ("sanitize" in ci["jobs"]["pass"]["needs"]) == (not reason)
    if not reason:
        assert ci["jobs"]["sanitize"]["runs-on"] == "ubuntu-latest"
        assert ci["jobs"]["sanitize"]["steps"][-1]["run"] == "uvx nox --session sanitize"


def test_the_plant_line_is_once_in_the_rendered_source(rendered: Rendered) -> None:
    plant = REGISTRY.pairings[rendered.pairing]["sanitize_plant"]
    if not plant:
        pytest.skip("no defects are planted in this pairing")
    path = sanitize.plant_file(rendered.path, "my_package", plant)
    source = path.read_text(encoding="utf-8")
    for defect in sanitize.defects(REGISTRY.pairings[rendered.pairing]).values():
        planted = sanitize.with_defect(source, plant["line"], defect)
        assert planted.count(defect.statements[0]) == 1


def test_a_defect_goes_before_the_line_at_its_indentation_with_its_header_first() -> None:
    defect = sanitize.Defect(["x = 1;", "  y;"], "report", header="#include <h>")
    source = "top\nf() {\n    go;\n}\n"
    assert sanitize.with_defect(source, "go;", defect) == (
        "#include <h>\ntop\nf() {\n    x = 1;\n      y;\n    go;\n}\n"
    )


def test_a_header_goes_after_the_comments_that_open_the_file() -> None:
    defect = sanitize.Defect(["x = 1"], "report", header="cdef int h")
    source = '# cython: a=1\n# note\n# cython: b=2\n"""Doc."""\ndef f():\n    go\n'
    assert sanitize.with_defect(source, "go", defect) == (
        '# cython: a=1\n# note\n# cython: b=2\ncdef int h\n"""Doc."""\n'
        "def f():\n    x = 1\n    go\n"
    )


def test_the_cython_race_leaves_the_directive_comments_first(tmp_path: Path) -> None:
    # Below code, Cython ignores them: without freethreading_compatible the module
    # takes the GIL back, which orders the threads and hides the race.
    (pairing,) = [
        name
        for name in sanitize.race_pairings(REGISTRY.pairings)
        if REGISTRY.pairings[name]["languages"] == ["cython"]
    ]
    project = render(tmp_path, pairing=pairing, free_threading="yes")
    plant = REGISTRY.pairings[pairing]["sanitize_plant"]
    source = sanitize.plant_file(project, "my_package", plant).read_text(encoding="utf-8")
    planted = sanitize.with_defect(source, plant["line"], sanitize.RACES["cython"])
    opening = planted.split(sanitize.RACES["cython"].header)[0].splitlines()
    assert "# cython: freethreading_compatible=True" in opening
    assert all(line.startswith("#") for line in opening)


@pytest.mark.parametrize("source", ["f() {\n  other;\n}\n", "go;\ngo;\n"])
def test_a_line_missing_or_repeated_is_refused(source: str) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        sanitize.with_defect(source, "go;", sanitize.Defect(["x;"], "report"))


def test_a_planted_file_is_restored_even_when_the_check_fails(tmp_path: Path) -> None:
    path = tmp_path / "core.c"
    path.write_text("int f(void) {\n  return 0;\n}\n", encoding="utf-8")

    def check_failing_on_the_planted_file() -> None:
        with sanitize.planted(path, "return 0;", sanitize.Defect(["planted();"], "report")):
            raise RuntimeError(path.read_text(encoding="utf-8"))

    with pytest.raises(RuntimeError, match=r"  planted\(\);\n  return 0;"):
        check_failing_on_the_planted_file()
    assert path.read_text(encoding="utf-8") == "int f(void) {\n  return 0;\n}\n"


def compile_and_run(tmp_path: Path, language: str, source: str) -> subprocess.CompletedProcess[str]:
    """Build `source` as the sanitize session builds, and run it."""
    program = tmp_path / "program"
    compiler = [*COMPILERS[language], "-", "-o", str(program), *FLAGS, *WARNINGS]
    subprocess.run(compiler, input=source, text=True, check=True, capture_output=True)
    options = {"ASAN_OPTIONS": "detect_leaks=0", "UBSAN_OPTIONS": "halt_on_error=1"}
    return subprocess.run([str(program)], capture_output=True, text=True, env=options, check=False)


@pytest.mark.skipif(shutil.which("c++") is None, reason="needs gcc's C and C++ compilers")
@pytest.mark.parametrize("language", list(COMPILERS))
def test_each_defect_compiles_without_warnings_and_the_sanitizers_report_it(
    tmp_path: Path, language: str
) -> None:
    assert compile_and_run(tmp_path, language, PROGRAM).returncode == 0
    for defect in sanitize.DEFECTS[language].values():
        result = compile_and_run(
            tmp_path, language, sanitize.with_defect(PROGRAM, RECURSION, defect)
        )
        assert result.returncode != 0, result
        assert defect.report in result.stderr, result.stderr


def test_a_planted_defect_the_sanitizer_does_not_report_fails_the_check(tmp_path: Path) -> None:
    # As when the flags never reach the compiler: the planted build fails, but
    # not with the sanitizer's report.
    entry = REGISTRY.pairings[SANITIZED[0]]
    project, source = project_with_plant_line(tmp_path, entry)

    def planted_build_fails_plainly(ran: Ran) -> tuple[int, str]:
        planted = entry["sanitize_plant"]["line"] != source.read_text(encoding="utf-8").strip()
        return (1, "1 failed") if planted else (0, "")

    runner = Recorder(planted_build_fails_plainly)
    with pytest.raises(AssertionError, match="was not reported"):
        sanitize.check_planted_defects(
            Workspace(runner, "python", "3.13", tmp_path), project, entry
        )
    assert [ran.cwd for ran in runner.ran] == [project, project]
    assert source.read_text(encoding="utf-8") == f"  {entry['sanitize_plant']['line']}\n"


def test_a_data_race_is_planted_in_one_pairing_of_each_language_it_is_written_for() -> None:
    chosen = sanitize.race_pairings(REGISTRY.pairings)
    languages = [REGISTRY.pairings[name]["languages"][0] for name in chosen]
    assert sorted(languages) == sorted(sanitize.RACES)
    assert all(REGISTRY.pairings[name]["sanitize_plant"] for name in chosen)


def project_with_plant_line(tmp_path: Path, entry: dict[str, Any]) -> tuple[Path, Path]:
    """A project folder holding only the file a defect is planted in; return both."""
    project = tmp_path / "my-package"
    source = sanitize.plant_file(project, "my_package", entry["sanitize_plant"])
    source.parent.mkdir(parents=True)
    source.write_text(f"  {entry['sanitize_plant']['line']}\n", encoding="utf-8")
    return project, source


@pytest.mark.parametrize(
    ("other_python_output", "race_output", "problem"),
    [
        ("error: the build failed", sanitize.DATA_RACE, "without ThreadSanitizer passed"),
        ("error: python is not built --with-thread-sanitizer", "1 failed", "was not reported"),
    ],
    ids=["a CPython without ThreadSanitizer not refused", "a planted race not reported"],
)
def test_the_thread_sanitizer_check_fails_on_what_it_exists_to_catch(
    tmp_path: Path, other_python_output: str, race_output: str, problem: str
) -> None:
    entry = REGISTRY.pairings[sanitize.race_pairings(REGISTRY.pairings)[0]]
    project, source = project_with_plant_line(tmp_path, entry)
    tsan_python = tmp_path / "tsan" / "bin" / "python3.14t"

    def answer(ran: Ran) -> tuple[int, str]:
        if ran.args[-1] != str(tsan_python):
            return 1, other_python_output
        planted = source.read_text(encoding="utf-8").strip() != entry["sanitize_plant"]["line"]
        return (1, race_output) if planted else (0, "")

    work = Workspace(Recorder(answer), "python", "3.13", tmp_path)
    with pytest.raises(AssertionError, match=problem):
        sanitize.check_thread_sanitizer(work, project, entry, tsan_python)
    assert source.read_text(encoding="utf-8") == f"  {entry['sanitize_plant']['line']}\n"


@pytest.mark.parametrize("pairing", PAIRINGS)
def test_the_tsan_ci_job_is_there_exactly_where_the_tsan_session_is(
    tmp_path: Path, pairing: str
) -> None:
    # A job rendered for a pairing without the session would fail on every push.
    project = render(tmp_path, pairing=pairing, free_threading="yes")
    noxfile = (project / "noxfile.py").read_text(encoding="utf-8")
    ci = yaml.safe_load((project / ".github/workflows/ci.yml").read_text(encoding="utf-8"))
    session = "def tsan(" in noxfile
    assert session == (not REGISTRY.pairings[pairing]["sanitize_refused"])
    assert ("tsan" in ci["jobs"]) == session
    assert ("tsan" in ci["jobs"]["pass"]["needs"]) == session
    if session:
        steps = ci["jobs"]["tsan"]["steps"]
        cached = next(step for step in steps if step.get("id") == "cpython")["with"]["path"]
        assert steps[-1]["env"]["PYTHON"] == f"{cached}/bin/python3"
        assert steps[-1]["run"] == 'uvx nox --session tsan --force-python "$PYTHON"'


def test_without_free_threading_there_is_no_tsan_job(rendered: Rendered) -> None:
    ci = yaml.safe_load((rendered.path / ".github/workflows/ci.yml").read_text(encoding="utf-8"))
    assert "tsan" not in ci["jobs"]
    assert "tsan" not in ci["jobs"]["pass"]["needs"]
