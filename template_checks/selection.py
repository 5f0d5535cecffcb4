"""Which pairings each build session proves a claim on, chosen from the registry.

A claim that depends on the backend (or the binding) is proved once per backend
(or binding) it can be made of: the first pairing, in question order, that can.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from packaging.version import Version

Pairings = dict[str, dict[str, Any]]


def one_per_backend(pairings: Pairings, option: str) -> list[str]:
    """The first pairing of each backend that can take the option's non-default value."""
    return first_taking(pairings, "backend_id", option)


def one_per_binding_taking(pairings: Pairings, option: str) -> list[str]:
    """The first pairing of each binding that can take the option's non-default value."""
    return first_taking(pairings, "binding_id", option)


def first_taking(pairings: Pairings, level: str, option: str) -> list[str]:
    """The first pairing of each binding or backend (`level`: its id's key) that
    can take the option's non-default value."""
    chosen: dict[str, str] = {}
    for name, entry in pairings.items():
        if option not in entry["refuses"]:
            chosen.setdefault(entry[level], name)
    return list(chosen.values())


def one_per_binding(pairings: Pairings, fact: str) -> list[str]:
    """The first pairing of each binding that states `fact`."""
    chosen: dict[str, str] = {}
    for name, entry in pairings.items():
        if entry[fact]:
            chosen.setdefault(entry["binding_id"], name)
    return list(chosen.values())


def one_per_backend_preferring_new_languages(pairings: Pairings) -> list[str]:
    """One pairing of each backend: the first whose binding brings a language no
    earlier choice has, else the backend's first."""
    chosen: list[str] = []
    covered: set[str] = set()
    for backend in dict.fromkeys(entry["backend_id"] for entry in pairings.values()):
        candidates = [name for name, entry in pairings.items() if entry["backend_id"] == backend]
        new = [name for name in candidates if set(pairings[name]["languages"]) - covered]
        chosen.append((new or candidates)[0])
        covered |= set(pairings[chosen[-1]]["languages"])
    return chosen


def one_per_metadata_writer(
    pairings: Pairings, option_sets: Sequence[Collection[str]]
) -> list[str]:
    """A pairing for each set of options, spreading the sets over the build
    backends that write the metadata (a backend's plugin shares its base's
    `build_backend`): the next such backend in question order, cycling, that has a
    pairing taking the set's options; its first that does."""
    writers = list(dict.fromkeys(entry["build_backend"] for entry in pairings.values()))
    chosen: list[str] = []
    for index, options in enumerate(option_sets):
        turn = writers[index % len(writers) :] + writers[: index % len(writers)]
        chosen.append(
            next(
                name
                for writer in turn
                for name, entry in pairings.items()
                if entry["build_backend"] == writer and not set(options) & set(entry["refuses"])
            )
        )
    return chosen


def refusing_nothing(pairings: Pairings) -> str:
    """The first pairing that takes every build option."""
    return next(name for name, entry in pairings.items() if not entry["refuses"])


def abi3_tags(pythons: list[str], abi3_minimum: str) -> set[str]:
    """The CPython tags cibuildwheel builds with stable_abi=yes: each supported
    CPython up to the abi3 minimum, whose wheel serves all later ones."""
    minimum = Version(abi3_minimum)
    return {f"cp{python.replace('.', '')}" for python in pythons if Version(python) <= minimum}
