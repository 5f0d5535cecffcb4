"""The defects the `sanitize` sessions plant in a project's compiled source, which
its `nox -s sanitize` must report.

A binding states in the registry (`sanitize_plant`) the file of its compiled
source and a line of fib's recursion, where `n` is a 64-bit integer >= 0: each
defect of the binding's language goes just before that line, so the tests reach
it on their first call of fib. Each reads memory it must not, or overflows a
signed integer, in a way the compiler cannot see (the builds turn warnings into
errors), and uses the value it gets, so that no optimiser drops it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from template_checks.steps import Workspace
from template_tools.answers import import_name


@dataclass(frozen=True)
class Defect:
    statements: list[str]  # planted before the line, indented as it is
    report: str  # what the sanitizer's report of it says
    header: str = ""  # a line the file needs first (an include), if any


# One value of n past the end of an array of n + 1; and n + (2**63 - 1), beyond
# 64 bits for any n > 0.
HEAP_BUFFER_OVERFLOW = "AddressSanitizer: heap-buffer-overflow"
SIGNED_OVERFLOW = "runtime error: signed integer overflow"
C_OVERFLOW = [
    "long long planted = n + 0x7fffffffffffffffLL;",
    "if (planted == 42) {",
    "  return 0;",
    "}",
]
DEFECTS: dict[str, dict[str, Defect]] = {
    "c": {
        "out-of-bounds read": Defect(
            [
                "long long *planted = calloc((size_t)n + 1, sizeof *planted);",
                "long long past_the_end = planted[n + 1];",
                "free(planted);",
                "if (past_the_end == 42) {",
                "  return 0;",
                "}",
            ],
            HEAP_BUFFER_OVERFLOW,
            header="#include <stdlib.h>",
        ),
        "signed overflow": Defect(C_OVERFLOW, SIGNED_OVERFLOW),
    },
    "cpp": {
        "out-of-bounds read": Defect(
            [
                "auto *planted = new long long[n + 1]();",
                "long long past_the_end = planted[n + 1];",
                "delete[] planted;",
                "if (past_the_end == 42) {",
                "  return 0;",
                "}",
            ],
            HEAP_BUFFER_OVERFLOW,
        ),
        "signed overflow": Defect(C_OVERFLOW, SIGNED_OVERFLOW),
    },
    "cython": {
        "out-of-bounds read": Defect(
            [
                "cdef long long *planted = <long long *>calloc(n + 1, sizeof(long long))",
                "cdef long long past_the_end = planted[n + 1]",
                "free(planted)",
                "if past_the_end == 42:",
                "    return 0",
            ],
            HEAP_BUFFER_OVERFLOW,
            header="from libc.stdlib cimport calloc, free",
        ),
        "signed overflow": Defect(
            [
                "cdef long long planted = n + 0x7fffffffffffffffLL",
                "if planted == 42:",
                "    return 0",
            ],
            SIGNED_OVERFLOW,
        ),
    },
}

# A counter that every call of fib, in every thread, adds to without a lock; read
# back, so that no optimiser drops it.
DATA_RACE = "WARNING: ThreadSanitizer: data race"
RACES = {
    language: Defect(
        [
            "static long long planted_calls = 0;",
            "planted_calls += n;",
            "if (planted_calls == -1) {",
            "  return 0;",
            "}",
        ],
        DATA_RACE,
    )
    for language in ["c", "cpp"]
} | {
    # A module-level C variable: fib_unchecked holds no GIL, so nothing orders
    # the threads' additions.
    "cython": Defect(
        [
            "global planted_calls",
            "planted_calls += n",
            "if planted_calls == -1:",
            "    return 0",
        ],
        DATA_RACE,
        header="cdef long long planted_calls = 0",
    )
}


def defects(pairing: dict[str, Any]) -> dict[str, Defect]:
    """The defects planted in a pairing's projects, by name: its language's, where
    its binding states where to plant them (none otherwise)."""
    if not pairing["sanitize_plant"]:
        return {}
    (language,) = pairing["languages"]
    return DEFECTS[language]


def plant_file(project: Path, import_name: str, plant: dict[str, str]) -> Path:
    """The file of a rendered project that `plant` names."""
    return project / plant["file"].replace("{{cookiecutter.__import_name}}", import_name)


def with_defect(source: str, line: str, defect: Defect) -> str:
    """`source` with the defect planted before its only line `line` (its stripped
    text), and the defect's header, if any, after the lines starting with # that
    open it (Cython reads its directive comments only there; C's includes)."""
    lines = source.splitlines(keepends=True)
    found = [number for number, text in enumerate(lines) if text.strip() == line]
    if len(found) != 1:
        raise ValueError(f"{len(found)} lines read {line!r}; the defect needs exactly one")
    (number,) = found
    target = lines[number]
    indent = target[: len(target) - len(target.lstrip())]
    planted = [f"{indent}{statement}\n" for statement in defect.statements]
    lines[number:number] = planted
    if defect.header:
        opening = next(
            (index for index, text in enumerate(lines) if not text.startswith("#")), len(lines)
        )
        lines.insert(opening, f"{defect.header}\n")
    return "".join(lines)


@contextmanager
def planted(path: Path, line: str, defect: Defect) -> Iterator[None]:
    """The file at `path` with the defect planted, restored afterwards."""
    original = path.read_text(encoding="utf-8")
    path.write_text(with_defect(original, line, defect), encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(original, encoding="utf-8")


def check_planted_defects(work: Workspace, project: Path, pairing: dict[str, Any]) -> None:
    """The project's own `nox -s sanitize` passes, then fails with the sanitizer's
    report on each defect of its binding's language planted in turn."""
    command = ["nox", "--non-interactive", "--sessions", "sanitize"]
    plant = pairing["sanitize_plant"]
    with work.runner.chdir(project):
        work.runner.run(*command)
        for name, defect in defects(pairing).items():
            path = plant_file(project, import_name(project.name), plant)
            with planted(path, plant["line"], defect):
                output = str(work.runner.run(*command, success_codes=[1], silent=True))
            assert defect.report in output, f"a planted {name} was not reported:\n{output}"
            work.runner.log(f"a planted {name} fails `nox -s sanitize`: {defect.report}")


def race_pairings(pairings: dict[str, dict[str, Any]]) -> list[str]:
    """The first pairing of each language a data race is planted in, of those
    whose binding states where to plant."""
    chosen: dict[str, str] = {}
    for name, entry in pairings.items():
        if entry["sanitize_plant"] and entry["languages"][0] in RACES:
            chosen.setdefault(entry["languages"][0], name)
    return list(chosen.values())


def check_thread_sanitizer(
    work: Workspace, project: Path, pairing: dict[str, Any], python: Path
) -> None:
    """The project's own `nox -s tsan` passes on a CPython built with
    ThreadSanitizer, refuses one built without it, and fails with the report of
    a data race planted in its compiled source."""
    command = ["nox", "--non-interactive", "--sessions", "tsan", "--force-python"]
    plant = pairing["sanitize_plant"]
    with work.runner.chdir(project):
        work.runner.run(*command, str(python))
        refused = work.runner.run(*command, work.python, success_codes=[1], silent=True)
        refusal = "is not built --with-thread-sanitizer"
        assert refusal in str(refused), f"a CPython without ThreadSanitizer passed:\n{refused}"
        path = plant_file(project, import_name(project.name), plant)
        with planted(path, plant["line"], RACES[pairing["languages"][0]]):
            output = str(work.runner.run(*command, str(python), success_codes=[1], silent=True))
        assert DATA_RACE in output, f"a planted data race was not reported:\n{output}"
        work.runner.log(f"a planted data race fails `nox -s tsan`: {DATA_RACE}")
