"""Rendering helpers shared by the template's fast tests."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cookiecutter.main import cookiecutter

ROOT = Path(__file__).resolve().parent.parent
PAIRINGS = list(tomllib.loads((ROOT / "templates" / "pairings.toml").read_text()))
DEFAULTS: dict[str, Any] = json.loads((ROOT / "cookiecutter.json").read_text())


def render(output_dir: Path, **answers: str) -> Path:
    """Generate a project without prompting; return its folder."""
    return Path(
        cookiecutter(str(ROOT), no_input=True, output_dir=str(output_dir), extra_context=answers)
    )


@dataclass(frozen=True)
class Rendered:
    pairing: str
    path: Path


@pytest.fixture(scope="session", params=PAIRINGS)
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """Each pairing rendered once with the default answers."""
    pairing: str = request.param
    return Rendered(pairing, render(tmp_path_factory.mktemp(pairing), pairing=pairing))
