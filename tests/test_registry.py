"""The registry states each fact once, and what is generated from it is current."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from conftest import PAIRINGS, REGISTRY, ROOT
from jinja2 import Environment, FileSystemLoader

from template_tools import jinja, registry, skeleton
from template_tools.questions import COOKIECUTTER_JSON, cookiecutter_json

SKELETON = ROOT / "{{cookiecutter.project_name}}"
# The template's files that serve every pairing, its checks and tests included:
# they must ask the registry, never name a pairing, binding or backend.
SHARED_CODE = [
    *(path for path in SKELETON.rglob("*") if path.is_file()),
    *(ROOT / "template_tools").glob("*.py"),
    *(ROOT / "template_checks").glob("*.py"),
    *(ROOT / "hooks").glob("*"),
    *(ROOT / "tests").glob("*.py"),
    ROOT / "noxfile.py",
    ROOT / "docs" / "conf.py",
]


def read_from(templates: Path) -> registry.Registry:
    return registry.load(lambda name: (templates / name).read_text(encoding="utf-8"))


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    """A copy of templates/ to plant defects in."""
    return Path(shutil.copytree(ROOT / "templates", tmp_path / "templates"))


def test_cookiecutter_json_choice_lists_come_from_their_sources() -> None:
    assert COOKIECUTTER_JSON.read_text(encoding="utf-8") == cookiecutter_json()
    assert json.loads(cookiecutter_json())["pairing"] == PAIRINGS


def test_skeleton_has_one_current_entry_for_each_piece_file() -> None:
    assert skeleton.committed_entries() == skeleton.expected_entries()


def test_a_new_piece_file_makes_the_skeleton_stale(templates: Path) -> None:
    binding = REGISTRY.pairings[PAIRINGS[0]]["binding_id"]
    new_file = templates / "bindings" / binding / "files" / "rust-toolchain.toml"
    new_file.write_text('[toolchain]\nchannel = "stable"\n', encoding="utf-8")
    assert skeleton.committed_entries() != skeleton.expected_entries(templates)
    assert "{{ project_file('rust-toolchain.toml') }}" in skeleton.expected_entries(templates)


def test_a_binding_fact_stated_by_a_backend_is_refused(templates: Path) -> None:
    backend_toml = templates / "backends" / REGISTRY.pairings[PAIRINGS[0]]["backend_id"]
    backend_toml /= "backend.toml"
    backend_toml.write_text(backend_toml.read_text() + "pypy = true\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"unknown keys \['pypy'\]"):
        read_from(templates)


def test_an_option_refused_at_two_levels_is_refused(templates: Path) -> None:
    name = next(name for name, entry in REGISTRY.pairings.items() if entry["refuses"])
    option, reason = next(iter(REGISTRY.pairings[name]["refuses"].items()))
    pairing_toml = templates / "pairings" / name / "pairing.toml"
    text = pairing_toml.read_text() + f"\n[refuses]\n{option} = {json.dumps(reason)}\n"
    pairing_toml.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=f"refuses {option} again"):
        read_from(templates)


def test_a_missing_fact_is_refused(templates: Path) -> None:
    binding_toml = templates / "bindings" / REGISTRY.pairings[PAIRINGS[0]]["binding_id"]
    binding_toml /= "binding.toml"
    text = re.sub(r"^languages = .*\n", "", binding_toml.read_text(), flags=re.MULTILINE)
    binding_toml.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"missing \['languages'\]"):
        read_from(templates)


def test_requirements_add_up_across_the_levels() -> None:
    templates = ROOT / "templates"
    for name, entry in REGISTRY.pairings.items():
        levels = [
            f"bindings/{entry['binding_id']}/binding.toml",
            # A backend that extends another comes after it.
            *(f"backends/{backend}/backend.toml" for backend in reversed(entry["backend_ids"])),
            f"pairings/{name}/pairing.toml",
        ]
        stated = [
            requirement
            for level in levels
            for requirement in tomllib.loads((templates / level).read_text()).get(
                "build_requires", []
            )
        ]
        assert entry["build_requires"] == stated, name


def test_a_backend_extending_another_has_its_facts_and_pieces_under_its_own(
    templates: Path,
) -> None:
    base = REGISTRY.pairings[PAIRINGS[0]]["backend_id"]
    plugin = templates / "backends" / "plugin"
    plugin.mkdir()
    (plugin / "backend.toml").write_text(
        f'name = "plugin"\nprompt = "plugin"\nextends = "{base}"\nbuild_requires = ["plugin>=1"]\n',
        encoding="utf-8",
    )
    pairing_toml = templates / "pairings" / PAIRINGS[0] / "pairing.toml"
    pairing_toml.write_text(pairing_toml.read_text().replace(base, "plugin"), encoding="utf-8")
    entry = read_from(templates).pairings[PAIRINGS[0]]
    original = REGISTRY.pairings[PAIRINGS[0]]
    assert entry["build_requires"][-1] == "plugin>=1"
    assert set(entry["build_requires"]) - set(original["build_requires"]) == {"plugin>=1"}
    assert entry["build_backend"] == original["build_backend"]
    assert entry["refuses"] == original["refuses"]
    candidates = registry.piece_candidates(entry, "x.toml")
    assert candidates[1:3] == ["backends/plugin/x.toml", f"backends/{base}/x.toml"]


def test_a_piece_is_looked_up_in_the_pairing_then_backend_binding_and_shared() -> None:
    entry = REGISTRY.pairings[PAIRINGS[0]]
    assert registry.piece_candidates(entry, "x.toml") == [
        f"pairings/{entry['name']}/x.toml",
        f"backends/{entry['backend_id']}/x.toml",
        f"bindings/{entry['binding_id']}/x.toml",
        "shared/x.toml",
    ]


def names_in(paths: list[Path]) -> list[str]:
    """Where these files name a pairing, binding or backend."""
    names = set(PAIRINGS)
    for entry in REGISTRY.pairings.values():
        names |= {entry["binding_id"], entry["backend_id"], entry["binding"], entry["backend"]}
    # Languages are registry facts too ("cython" is one, and also a binding's name).
    languages = {
        language for entry in REGISTRY.pairings.values() for language in entry["languages"]
    }
    names -= {name for name in names if name.lower() in languages}
    alternatives = "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
    pattern = re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")
    return [
        f"{path.name}:{number}: {match.group()}"
        for path in paths
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for match in pattern.finditer(line)
    ]


def test_no_shared_file_names_a_pairing_binding_or_backend() -> None:
    assert names_in(SHARED_CODE) == []


def test_a_shared_file_naming_a_binding_is_caught(tmp_path: Path) -> None:
    binding = REGISTRY.pairings[PAIRINGS[0]]["binding"]
    planted = tmp_path / "README.md"
    planted.write_text(f"Built with {binding}, and setuptools-scm is fine.\n", encoding="utf-8")
    assert names_in([planted]) == [f"README.md:1: {binding}"]


def test_each_jinja_environment_reads_the_registry_of_its_own_checkout(tmp_path: Path) -> None:
    # copier and cruft updates render two checkouts of the template in one process.
    checkouts = [tmp_path / "old", tmp_path / "new"]
    for checkout in checkouts:
        shutil.copytree(ROOT / "templates", checkout / "templates")
    registry_file = checkouts[1] / "templates" / "registry.toml"
    text = registry_file.read_text(encoding="utf-8")
    registry_file.write_text(text.replace('name = "Pyodide (WebAssembly)"', 'name = "Renamed"'))
    old, new = (Environment(loader=FileSystemLoader(checkout)) for checkout in checkouts)
    assert jinja.template_registry(old).platforms["pyodide"]["name"] == "Pyodide (WebAssembly)"
    assert jinja.template_registry(new).platforms["pyodide"]["name"] == "Renamed"
    # Read once per environment: a render asks for it hundreds of times.
    assert jinja.template_registry(old) is jinja.template_registry(old)
