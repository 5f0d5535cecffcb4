"""Sphinx configuration: MyST Markdown pages, API pages from the compiled docstrings."""

import importlib.metadata

project = {{ cookiecutter.project_name | py_string }}
author = {{ cookiecutter.full_name | py_string }}
copyright = author
release = importlib.metadata.version(project)

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]
source_suffix = [".md"]
exclude_patterns = ["_build"]
# Read signatures and docstrings from the installed, compiled module.
autodoc_typehints = "description"
nitpicky = True
html_theme = "furo"
