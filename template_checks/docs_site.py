"""The template's documentation site, with a defect planted: `nox -s docs` builds
the site with warnings as errors, then builds this copy the same way and expects
it to fail on the planted link, so that a clean build shows the check works."""

from __future__ import annotations

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
