"""The first command of the template's README, as printed, generates the default
project in a clone of the repository."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import DEFAULTS, ROOT, contents_of, render

README = (ROOT / "README.md").read_text(encoding="utf-8")


def first_console_block(markdown: str) -> list[str]:
    """The lines of the first ```console block."""
    match = re.search(r"^```console\n(.*?)^```", markdown, re.MULTILINE | re.DOTALL)
    assert match, "no console block"
    return match[1].splitlines()


def clone(destination: Path) -> Path:
    """The files a clone of the repository holds (the working tree's, uncommitted
    ones too, so the README's command is tried on what is being changed)."""
    listing = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    for name in filter(None, listing.stdout.split("\0")):
        if (ROOT / name).is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, destination / name)
    return destination


def test_the_readmes_first_command_generates_the_default_project_in_a_clone(
    tmp_path: Path,
) -> None:
    command = shlex.split(first_console_block(README)[0], comments=True)
    assert command[:3] == ["pipx", "run", "cookiecutter"], command
    checkout = clone(tmp_path / "clone")
    # pipx may be missing: the same arguments go to the cookiecutter installed here.
    subprocess.run([sys.executable, "-m", "cookiecutter", *command[3:]], cwd=checkout, check=True)

    generated = checkout / DEFAULTS["project_name"]
    expected = render(tmp_path / "expected")
    assert contents_of(generated) == contents_of(expected)


def test_the_readme_shows_the_published_form_of_the_first_command() -> None:
    command = shlex.split(first_console_block(README)[0], comments=True)
    published = shlex.join([*command[:-1], "gh:ORG/cookiecutter-binary-extension"])
    assert f"`{published}`" in README
