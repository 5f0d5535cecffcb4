"""Checks of the template's documentation site.

`nox -s docs` builds the site with warnings as errors, then a copy with a broken
link planted, which must fail, so that a clean build shows the check works. The
pages include sections of the README by their first and next headings: the fast
tests check those are in the README, sooner than a build."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

# A page the site does not have.
MISSING_PAGE = "no-such-page.md"


def with_broken_link(root: Path, destination: Path) -> Path:
    """A copy of root's docs/ (and the README its pages include) whose index links
    to a page that does not exist; return the copy's docs folder."""
    shutil.rmtree(destination, ignore_errors=True)
    docs = destination / "docs"
    shutil.copytree(root / "docs", docs, ignore=shutil.ignore_patterns("_build", "_generated"))
    shutil.copy2(root / "README.md", destination / "README.md")
    index = docs / "index.md"
    text = index.read_text(encoding="utf-8")
    index.write_text(f"{text}\nSee [the missing page]({MISSING_PAGE}).\n", encoding="utf-8")
    return docs


def missing_markers(docs: Path, readme: str) -> list[str]:
    """The `start-after` and `end-before` texts of the pages' includes of the README
    that the README lacks (the docs build fails on them; this finds them sooner)."""
    # Imported here: the noxfile imports this module where only nox is installed.
    import yaml

    missing = []
    for page in sorted(docs.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for block in re.findall(
            r"^```\{include\} \.\./README\.md\n(.*?)^```", text, re.MULTILINE | re.DOTALL
        ):
            for option, value in re.findall(
                r"^:(start-after|end-before): (.*)$", block, re.MULTILINE
            ):
                marker = str(yaml.safe_load(value))
                if marker not in readme:
                    missing.append(f"{page.name}: {option} {marker!r}")
    return missing
