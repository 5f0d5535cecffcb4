"""What the rendered [tool.cibuildwheel] tables ask of the platforms wheels are built on."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

from conftest import REGISTRY, ROOT, Rendered
from packaging.version import Version

from template_tools import registry

# The oldest macOS each compiled language's runtime supports on Intel, where that
# is newer than cibuildwheel's default for older CPythons (10.9): Rust's standard
# library (rustc's platform support page, cibuildwheel's FAQ) and the C++17
# runtime library (cibuildwheel's "Modern C++ standards" page, the C++ binding
# tools' packaging docs). C and Cython's C need nothing newer.
MACOS_NEEDS = {"rust": "10.12", "cpp": "10.14"}


def test_macos_target_is_what_the_compiled_languages_need(rendered: Rendered) -> None:
    pyproject = tomllib.loads((rendered.path / "pyproject.toml").read_text(encoding="utf-8"))
    macos = pyproject["tool"]["cibuildwheel"].get("macos", {})
    target = macos.get("environment", {}).get("MACOSX_DEPLOYMENT_TARGET")
    languages = REGISTRY.pairings[rendered.pairing]["languages"]
    needs = [Version(MACOS_NEEDS[language]) for language in languages if language in MACOS_NEEDS]
    if needs:
        assert target is not None, "no MACOSX_DEPLOYMENT_TARGET"
        assert Version(target) >= max(needs), target
    else:
        # Nothing to raise: cibuildwheel's default serves the most macOS versions.
        assert target is None, target


def pairings_with_two_cibuildwheel_pieces(templates: Path) -> dict[str, list[str]]:
    """The pairings whose levels hold more than one `cibuildwheel.toml` piece: only
    the first found is rendered, so the others would be silently left out."""
    found = {
        name: [
            candidate
            for candidate in registry.piece_candidates(pairing, "cibuildwheel.toml")
            if (templates / candidate).is_file()
        ]
        for name, pairing in REGISTRY.pairings.items()
    }
    return {name: pieces for name, pieces in found.items() if len(pieces) > 1}


def test_cibuildwheel_settings_come_from_one_level_of_each_pairing() -> None:
    assert pairings_with_two_cibuildwheel_pieces(ROOT / "templates") == {}


def test_a_second_cibuildwheel_piece_is_found(tmp_path: Path) -> None:
    templates = Path(shutil.copytree(ROOT / "templates", tmp_path / "templates"))
    name, pairing = next(
        (name, pairing)
        for name, pairing in REGISTRY.pairings.items()
        if (templates / "backends" / pairing["backend_id"] / "cibuildwheel.toml").is_file()
    )
    planted = templates / "bindings" / pairing["binding_id"] / "cibuildwheel.toml"
    planted.write_text('[tool.cibuildwheel.linux]\nbefore-all = "true"\n', encoding="utf-8")
    assert name in pairings_with_two_cibuildwheel_pieces(templates)
