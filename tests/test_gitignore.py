"""A generated project's .gitignore ignores build output, and nothing of the user's."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import REGISTRY, Rendered

# Files the project's own tools write: never to be committed.
BUILD_OUTPUT = ["wheelhouse/my_package-0.1.0-cp313-cp313-win_amd64.whl", "dist/x.tar.gz"]
# Cython's annotated report of the compiled module, beside its .pyx.
CYTHON_REPORT = "src/my_package/{module}.html"
# Files a user may well write: never to be ignored.
USER_FILES = ["docs/_static/custom.html", "docs/foo.html", "src/my_package/help.html"]


def ignored(project: Path, names: list[str], git_dir: Path) -> set[str]:
    """Which of the names git would ignore in the project (its repository kept
    outside it, in git_dir, so that the project's files stay as rendered)."""
    git = ["git", f"--git-dir={git_dir}", f"--work-tree={project}"]
    subprocess.run([*git, "init", "--quiet"], check=True)
    result = subprocess.run(
        [*git, "check-ignore", "--no-index", *names],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in {0, 1}, result.stderr
    return set(result.stdout.split())


def test_build_output_is_ignored_and_the_users_files_are_not(
    rendered: Rendered, tmp_path: Path
) -> None:
    pairing = REGISTRY.pairings[rendered.pairing]
    report = CYTHON_REPORT.format(module=pairing["compiled_module"])
    names = [*BUILD_OUTPUT, *USER_FILES, report]
    expected = {*BUILD_OUTPUT, *([report] if "cython" in pairing["languages"] else [])}
    assert ignored(rendered.path, names, tmp_path / "git") == expected
