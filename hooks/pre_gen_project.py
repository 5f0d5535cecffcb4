"""Refuse answers that cannot give a working project, before any file is written.

The rules live in template_tools/answers.py, shared with copier's validators.
"""

import sys

PROBLEM = {{ answers_problem(cookiecutter) | py_string }}

if PROBLEM:
    sys.exit(f"error: {PROBLEM}")
