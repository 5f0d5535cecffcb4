"""Sphinx configuration of the template's own documentation: MyST Markdown pages,
some of them written from the template's sources when the site is built."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from template_tools import docs

project = "cookiecutter-binary-extension"
extensions = ["myst_parser"]
source_suffix = [".md"]
# The generated parts and the measurements are included into pages, not pages.
exclude_patterns = ["_build", docs.GENERATED, "measurements"]
# Links to a page's headings ([text](page.md#heading)), as GitHub makes them.
myst_heading_anchors = 3
nitpicky = True
html_theme = "furo"
html_title = project


def setup(app):
    # Written before Sphinx reads the pages, into the folder it reads them from.
    app.connect("builder-inited", lambda app: docs.write(Path(app.srcdir)))
