"""What a generated project's `nox -s coverage` must report: the lines of `add`
and `fib` in its native source, run by its tests.

The project's Cobertura reports (coverage-*.xml) are read together: the native
lines are in coverage-native.xml, or in coverage-python.xml where the binding
traces them through coverage.py. The binding's `coverage` facts name the source
and how the definitions of add and fib start there.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

from template_tools.answers import import_name

REPORTS = "coverage-*.xml"


def definition_lines(text: str, start: str) -> list[int]:
    """The numbers of the lines of the definition whose first line starts with
    `start` (after its indentation): that line and the lines after it that are
    indented deeper, and its closing brace if it has one."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.lstrip().startswith(start):
            indent = len(line) - len(line.lstrip())
            end = index + 1
            while end < len(lines) and (
                not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent
            ):
                end += 1
            closed = end < len(lines) and lines[end].strip().startswith("}")
            return list(range(index + 1, end + 1 + closed))
    return []


def line_hits(reports: list[Path], source: Path) -> dict[int, int] | None:
    """Line number to hits of `source` over the Cobertura reports (hits add up);
    None where no report lists it."""
    found: dict[int, int] | None = None
    for report in reports:
        root = ET.parse(report).getroot()
        roots = [Path(element.text or "") for element in root.iter("source")] or [report.parent]
        for element in root.iter("class"):
            filename = element.get("filename", "")
            if not any((base / filename).resolve() == source.resolve() for base in roots):
                continue
            found = found if found is not None else {}
            # The class's own lines (gcovr also lists them under each method).
            for line in element.findall("./lines/line"):
                number = int(line.get("number", "0"))
                found[number] = found.get(number, 0) + int(line.get("hits", "0"))
    return found


def problems(project: Path, coverage: Mapping[str, str]) -> list[str]:
    """What the project's reports miss of the binding's `coverage` facts."""
    source = coverage["source"].replace("{{cookiecutter.__import_name}}", import_name(project.name))
    reports = sorted(project.glob(REPORTS))
    names = ", ".join(report.name for report in reports) or f"no {REPORTS}"
    hits = line_hits(reports, project / source)
    if hits is None:
        return [f"{source} is in no report ({names})"]
    found = []
    text = (project / source).read_text(encoding="utf-8")
    for function in ("add", "fib"):
        lines = definition_lines(text, coverage[function])
        if not lines:
            found.append(f"{source} has no line starting {coverage[function]!r}")
        elif not any(hits.get(number, 0) for number in lines):
            listed = {number: hits[number] for number in lines if number in hits}
            found.append(
                f"no line of {function} ({source}:{lines[0]}-{lines[-1]}) was run; "
                f"the reports ({names}) list {listed or 'none of them'}"
            )
    return found
