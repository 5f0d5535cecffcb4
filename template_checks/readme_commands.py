"""A generated README's commands for an editable install, run as a user runs them.

Every `console` block after "For an editable install" runs in bash as it stands
(so `source .venv/bin/activate` is the real one), in the project's folder, with
a given CPython first on PATH as `python`, and with none of the build tools the
commands must install themselves (cmake, ninja, the backends' own commands; see
`registry.build_programs`) on PATH: a command that silently relies on this
machine's copy fails here. The first block ends with the tests; a later one (a
rebuild-on-import recipe) reinstalls in the same venv and the tests run again
after it.

Run `python -m template_checks.readme_commands --help` for the command line.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from template_tools import registry

ACTIVATE = "source .venv/bin/activate"


@functools.cache
def build_tools() -> frozenset[str]:
    """The build tools the README's commands must install themselves."""
    return registry.build_programs(registry.load().pairings)


def development_blocks(readme: str) -> list[str]:
    """The `console` blocks from "For an editable install" to the next section."""
    if "For an editable install" not in readme:
        return []
    section = readme.split("For an editable install", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```console\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)


def scripts(blocks: Sequence[str]) -> list[str]:
    """The bash script of each block: the first as it stands, a later one in the
    venv the first made and activated, followed by the tests where it does not
    end with them."""
    return [
        block
        if index == 0
        else f"{ACTIVATE}\n{block}" + ("" if ends_with_tests(block) else "pytest\n")
        for index, block in enumerate(blocks)
    ]


def ends_with_tests(block: str) -> bool:
    """Whether a block's last command runs the tests (`pytest`, maybe after `&&`)."""
    lines = block.strip().splitlines()
    return bool(lines) and lines[-1].split("&&")[-1].strip() == "pytest"


def base_python(venv: Path) -> Path:
    """The CPython a virtualenv was made from (its pyvenv.cfg `home`)."""
    for line in (venv / "pyvenv.cfg").read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "home":
            return Path(value.strip()) / "python"
    raise ValueError(f"{venv / 'pyvenv.cfg'} names no `home`")


def programs_except(hidden: frozenset[str], folder: Path) -> Path:
    """`folder`, filled with links to every program on PATH but those in `hidden`."""
    folder.mkdir(parents=True, exist_ok=True)
    for directory in map(Path, os.environ.get("PATH", "").split(os.pathsep)):
        for program in sorted(directory.iterdir()) if directory.is_dir() else []:
            link = folder / program.name
            usable = program.is_file() and os.access(program, os.X_OK)
            if usable and program.name not in hidden and not link.is_symlink():
                link.symlink_to(program)
    return folder


def user_environment(python: Path, scratch: Path) -> dict[str, str]:
    """The environment the blocks run in: `python` first on PATH, then this
    machine's programs but the build tools, and no active virtualenv."""
    programs = programs_except(build_tools(), scratch / "programs-on-path")
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    env["PATH"] = os.pathsep.join([str(python.parent), str(programs)])
    return env


def run_blocks(
    project: Path, blocks: Sequence[str], python: Path, scratch: Path, *, capture: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run the blocks' scripts in turn; the first that fails ends the run.

    Returns the last run (all its output when `capture`); its returncode tells.
    """
    env = user_environment(python, scratch)
    result = subprocess.CompletedProcess[str](args=[], returncode=0)
    for index, script in enumerate(scripts(blocks)):
        if not capture:
            print(f"README block {index + 1} of {len(blocks)}, in bash:\n{script}", flush=True)
        result = subprocess.run(
            ["bash", "-e", "-c", script],
            cwd=project,
            env=env,
            capture_output=capture,
            text=True,
            check=False,
        )
        if result.returncode:
            break
    return result


def this_python() -> Path:
    """The CPython running this, outside any virtualenv it runs in."""
    if sys.prefix != sys.base_prefix:
        return base_python(Path(sys.prefix))
    return Path(sys.executable)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m template_checks.readme_commands",
        description="Run a generated project's README commands for an editable install, "
        "with the CPython running this (outside its virtualenv) as `python`.",
    )
    parser.add_argument("project", type=Path, help="a generated project")
    parser.add_argument("--scratch", type=Path, required=True, help="a folder for this run")
    arguments = parser.parse_args(argv)
    readme = arguments.project / "README.md"
    blocks = development_blocks(readme.read_text(encoding="utf-8"))
    if not blocks or blocks[0].splitlines()[-1] != "pytest":
        sys.exit(f"{readme}: no console block after 'For an editable install' ending with pytest")
    result = run_blocks(arguments.project.resolve(), blocks, this_python(), arguments.scratch)
    if result.returncode:
        sys.exit(f"{readme}: a command failed (exit code {result.returncode})")


if __name__ == "__main__":
    main()
