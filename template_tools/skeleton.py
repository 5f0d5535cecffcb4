"""The skeleton's entries for the files that pieces provide.

cookiecutter and copier make one project file for each file of the skeleton
folder. A binding, backend or pairing places its own files under its `files/`
folder at their project paths (`files/src/_core.cpp`); the shared defaults that
a piece may replace sit in `templates/shared/files/`. For each such path the
skeleton holds one generated entry: its name renders to the file's name when a
piece of the rendered pairing provides it (else to "", which both tools skip),
and its body includes the first piece found, pairing first.

`python -m template_tools.skeleton` rewrites those entries; a fast test fails
when the committed skeleton differs from what this writes.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
SKELETON = ROOT / "{{cookiecutter.project_name}}"
# The call every generated entry's name starts with, and nothing else's.
ENTRY_CALL = "{{ project_file("


def piece_paths(templates: Path = TEMPLATES) -> list[tuple[str, ...]]:
    """Every project path that some piece provides, as its parts."""
    roots = [*templates.glob("*/*/files"), templates / "shared" / "files"]
    return sorted(
        {
            path.relative_to(root).parts
            for root in roots
            for path in root.rglob("*")
            if path.is_file()
        }
    )


def entry(parts: tuple[str, ...]) -> tuple[str, str]:
    """The skeleton entry of one project path: its path in the skeleton, its text."""
    arguments = ", ".join(repr(part) for part in parts)
    name = f"{ENTRY_CALL}{arguments}) }}}}"
    body = f"{{% include piece({'files/' + '/'.join(parts)!r}) %}}"
    return "/".join([*parts[:-1], name]), body


def expected_entries(templates: Path = TEMPLATES) -> dict[str, str]:
    return dict(entry(parts) for parts in piece_paths(templates))


def committed_entries(skeleton: Path = SKELETON) -> dict[str, str]:
    return {
        path.relative_to(skeleton).as_posix(): path.read_text(encoding="utf-8")
        for path in skeleton.rglob("*")
        if path.is_file() and path.name.startswith(ENTRY_CALL)
    }


def write(skeleton: Path = SKELETON, templates: Path = TEMPLATES) -> None:
    expected = expected_entries(templates)
    for stale in set(committed_entries(skeleton)) - set(expected):
        (skeleton / stale).unlink()
    for name, body in expected.items():
        path = skeleton / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")


if __name__ == "__main__":
    write()
