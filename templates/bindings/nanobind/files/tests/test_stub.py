"""The shipped stub is the one nanobind's own stub generator writes."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import {{ cookiecutter.__import_name }} as package

MODULE = f"{package.__name__}._core"
SOURCE_STUB = f"src/{MODULE.replace('.', '/')}.pyi"


# The stub generator runs in a subprocess, which WebAssembly and mobile platforms lack.
@pytest.mark.skipif(
    sys.platform in {"emscripten", "ios", "android"}, reason="no subprocesses"
)
def test_shipped_stub_is_what_nanobind_stubgen_generates(tmp_path: Path) -> None:
    generated = tmp_path / "_core.pyi"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "nanobind.stubgen",
            "--quiet",
            "--module",
            MODULE,
            "--output-file",
            str(generated),
        ],
        check=True,
    )
    # The stub ships beside the package's __init__.py, also in an editable install.
    assert package.__file__ is not None
    shipped = Path(package.__file__).with_name("_core.pyi")
    # Compared as syntax trees, so that `ruff format` may change the blank lines.
    assert ast.dump(ast.parse(shipped.read_text(encoding="utf-8"))) == ast.dump(
        ast.parse(generated.read_text(encoding="utf-8"))
    ), (
        f"{SOURCE_STUB} is out of date: regenerate it with "
        f"`python -m nanobind.stubgen -m {MODULE} -o {SOURCE_STUB}`, then `ruff format` it"
    )
