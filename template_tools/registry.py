"""The registry: what the template supports, read from templates/.

Three levels state facts, each in its own folder:

- a binding (`templates/bindings/<id>/binding.toml`): the tool that exposes the
  compiled code to Python, and what that tool can and cannot do;
- a backend (`templates/backends/<id>/backend.toml`): the build backend that
  compiles it;
- a pairing (`templates/pairings/<binding>-<backend>/pairing.toml`): which
  binding and backend it joins, and only what is truly its own.

`templates/registry.toml` lists the pairings and the supported Pythons.
`load` merges the levels into one view per pairing, which the Jinja extension,
the answer rules, the noxfile and the tests all read. A key may be stated at one
level only, so every fact lives once; only requirement lists add up.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
LEVELS = ("binding", "backend", "pairing")

# Every key a level may state, with the value a pairing has when no level does.
# None marks a key that some level must state.
KEYS: dict[str, dict[str, Any]] = {
    "binding": {
        "name": None,  # as shown to users
        "prompt": None,  # the binding's half of the `pairing` question's answer
        "languages": None,  # source languages besides Python: "c", "cpp", "cython", "rust"
        "pypy": None,  # PyPy wheels can be built
        "python_source": False,  # `_core` is typed Python, its own stub (no _core.pyi)
        "inspect_signature": True,  # compiled functions carry __text_signature__
        "runtime_docstrings": True,  # compiled functions keep their docstrings
        "module_all": False,  # the compiled module defines __all__ (so must its stub)
        "compiled_module": "_core",  # the extension module inside the package
        "runtime_dependencies": [],  # PEP 508 requirements at run time
        "test_requires": [],  # what the tests need besides pytest
        "abi3_minimum": "",  # oldest CPython of its stable_abi=yes wheel (default: oldest)
        "wheel_exclude": [],  # package files the wheel leaves out (their sources)
        # What the module's Py_mod_gil slot says when built for a GIL CPython with
        # free_threading=yes: "not used" where the binding always writes it,
        # "absent" where it writes it only for free-threaded builds ("": unknown).
        "gil_slot_on_gil_builds": "",
        # Where its sources say, with free_threading=yes, that the module needs no
        # GIL: {file = project path, yes = that text, no = the text of `no` if any};
        # empty where every module the binding makes says so by itself.
        "gil_free_declaration": {},
    },
    "backend": {
        "name": None,
        "prompt": None,
        # A backend that builds on another (a plugin of it) names it: it then has
        # that backend's facts and pieces, under its own.
        "extends": "",
        "build_backend": None,  # [build-system] build-backend
        "versioning_requires": [],  # extra build requirements for versioning=vcs
        "dynamic_metadata": [],  # [project] fields the backend reads from metadata_file
        "metadata_file": "",  # that file (where a release sets the version)
        # Set when the editable install rebuilds on import: what it needs besides
        # the build requirements, installed with them and no build isolation.
        "editable_rebuild_requires": [],
    },
    "pairing": {
        "binding": None,  # the binding's folder name
        "backend": None,  # the backend's folder name
    },
}
# Keys every level may state, whose values add up: each level its own part.
ADDITIVE: dict[str, Any] = {"build_requires": [], "refuses": {}}


@dataclass(frozen=True)
class Registry:
    pythons: list[str]  # supported CPythons, oldest first
    pairings: dict[str, dict[str, Any]]  # each pairing's merged view, in question order

    @property
    def oldest_python(self) -> str:
        return self.pythons[0]


def load(read: Callable[[str], str] | None = None) -> Registry:
    """The registry, each file read by `read` (a path under templates/; default:
    this checkout's files)."""
    read = read or _read_checkout
    top = tomllib.loads(read("registry.toml"))
    pythons = list(top["pythons"])
    pairings = {}
    for name in top["pairings"]:
        pairing = _facts(read, f"pairings/{name}/pairing.toml", "pairing")
        binding = _facts(read, f"bindings/{pairing['binding']}/binding.toml", "binding")
        backend = _backend(read, pairing["backend"])
        pairings[name] = _merge(name, binding, backend, pairing, pythons[0])
    return Registry(pythons, pairings)


def licenses(read: Callable[[str], str] | None = None) -> list[str]:
    """The `license` question's choices, the default first."""
    return list(tomllib.loads((read or _read_checkout)("registry.toml"))["licenses"])


def _read_checkout(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def _backend(read: Callable[[str], str], backend_id: str) -> dict[str, Any]:
    """A backend's facts, over those of the backend it extends: its own replace
    the base's, requirement lists and refusals add up."""
    path = f"backends/{backend_id}/backend.toml"
    extends = tomllib.loads(read(path)).get("extends", "")
    base = _backend(read, extends) if extends else {"backends": []}
    own = _facts(read, path, "backend", inherited=set(base))
    merged = {**base, **own, "backends": [backend_id, *base["backends"]]}
    for key in ("build_requires", "versioning_requires"):
        merged[key] = [*base.get(key, []), *own.get(key, [])]
    merged["refuses"] = {**base.get("refuses", {}), **own.get("refuses", {})}
    return merged


def _facts(
    read: Callable[[str], str], path: str, level: str, inherited: Collection[str] = ()
) -> dict[str, Any]:
    facts = tomllib.loads(read(path))
    unknown = set(facts) - set(KEYS[level]) - set(ADDITIVE)
    if unknown:
        allowed = ", ".join(sorted({*KEYS[level], *ADDITIVE}))
        raise ValueError(f"{path}: unknown keys {sorted(unknown)}; a {level} may state {allowed}")
    missing = [
        key
        for key, default in KEYS[level].items()
        if default is None and key not in facts and key not in inherited
    ]
    if missing:
        raise ValueError(f"{path}: missing {missing}")
    return facts


def _merge(
    name: str,
    binding: dict[str, Any],
    backend: dict[str, Any],
    pairing: dict[str, Any],
    oldest_python: str,
) -> dict[str, Any]:
    levels = {"binding": binding, "backend": backend, "pairing": pairing}
    refuses: dict[str, str] = {}
    for level, facts in levels.items():
        for option, reason in facts.get("refuses", {}).items():
            if option in refuses:
                raise ValueError(f"{name}: the {level} refuses {option} again")
            refuses[option] = reason
    build_requires = [r for facts in levels.values() for r in facts.get("build_requires", [])]
    view: dict[str, Any] = {
        **{key: default for keys in KEYS.values() for key, default in keys.items()},
        **{key: value for key, value in binding.items() if key in KEYS["binding"]},
        "binding_id": pairing["binding"],
        "backend_id": pairing["backend"],
        "name": name,
        "binding": binding["name"],
        "backend": backend["name"],
        "prompt": f"{binding['prompt']} built by {backend['prompt']}",
        "build_backend": backend["build_backend"],
        "backend_ids": backend["backends"],
        "versioning_requires": backend.get("versioning_requires", []),
        "dynamic_metadata": backend.get("dynamic_metadata", []),
        "metadata_file": backend.get("metadata_file", ""),
        "build_requires": build_requires,
        "refuses": refuses,
    }
    view["abi3_minimum"] = binding.get("abi3_minimum") or oldest_python
    rebuild = backend.get("editable_rebuild_requires", [])
    names = [requirement_name(r) for r in build_requires] + rebuild
    view["editable_requires"] = sorted(set(names)) if rebuild else []
    del view["editable_rebuild_requires"]
    return view


def requirement_name(requirement: str) -> str:
    """The distribution name a PEP 508 requirement starts with."""
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    if not match:
        raise ValueError(f"not a requirement: {requirement!r}")
    return match.group()


def piece_candidates(pairing: dict[str, Any], name: str) -> list[str]:
    """Where a piece is looked for, first found wins: the pairing's own folder,
    then its backend's (and the backend's that it extends), its binding's, and
    the shared one."""
    return [
        f"pairings/{pairing['name']}/{name}",
        *(f"backends/{backend}/{name}" for backend in pairing["backend_ids"]),
        f"bindings/{pairing['binding_id']}/{name}",
        f"shared/{name}",
    ]
