"""Which pairings the build sessions prove each claim on."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import HOSTILE_ANSWERS, REGISTRY

from template_checks import selection

PAIRINGS = REGISTRY.pairings


def fabricated(*entries: tuple[str, str, str, list[str], dict[str, str]]) -> dict[str, Any]:
    """Pairings of (name, binding, backend, languages, refuses)."""
    return {
        name: {
            "binding_id": binding,
            "backend_id": backend,
            "languages": languages,
            "refuses": refuses,
        }
        for name, binding, backend, languages, refuses in entries
    }


@pytest.mark.parametrize("option", ["versioning", "stable_abi"])
def test_each_backend_that_can_take_an_option_is_proved_once_on_a_pairing_that_takes_it(
    option: str,
) -> None:
    chosen = selection.one_per_backend(PAIRINGS, option)
    assert all(option not in PAIRINGS[name]["refuses"] for name in chosen)
    backends = [PAIRINGS[name]["backend_id"] for name in chosen]
    assert len(backends) == len(set(backends))
    able = {entry["backend_id"] for entry in PAIRINGS.values() if option not in entry["refuses"]}
    assert set(backends) == able


def test_a_backend_whose_every_pairing_refuses_the_option_is_left_out() -> None:
    pairings = fabricated(
        ("a-x", "a", "x", ["c"], {"stable_abi": "no"}),
        ("b-x", "b", "x", ["c"], {"stable_abi": "no"}),
        ("a-y", "a", "y", ["c"], {}),
    )
    assert selection.one_per_backend(pairings, "stable_abi") == ["a-y"]


def test_a_binding_whose_every_pairing_refuses_the_option_is_left_out() -> None:
    pairings = fabricated(
        ("a-x", "a", "x", ["c"], {"free_threading": "no"}),
        ("b-x", "b", "x", ["c"], {}),
        ("b-y", "b", "y", ["c"], {}),
    )
    assert selection.one_per_binding_taking(pairings, "free_threading") == ["b-x"]


def test_a_fact_is_proved_once_per_binding_that_states_it() -> None:
    chosen = selection.one_per_binding(PAIRINGS, "gil_slot_on_gil_builds")
    bindings = [PAIRINGS[name]["binding_id"] for name in chosen]
    assert len(bindings) == len(set(bindings))
    stating = {e["binding_id"] for e in PAIRINGS.values() if e["gil_slot_on_gil_builds"]}
    assert set(bindings) == stating


def test_the_readme_pairings_take_every_backend_once() -> None:
    chosen = selection.one_per_backend_preferring_new_languages(PAIRINGS)
    backends = [PAIRINGS[name]["backend_id"] for name in chosen]
    assert sorted(backends) == sorted({entry["backend_id"] for entry in PAIRINGS.values()})


def test_a_backend_prefers_a_pairing_whose_language_is_not_yet_covered() -> None:
    pairings = fabricated(
        ("a-x", "a", "x", ["cpp"], {}),
        ("a-y", "a", "y", ["cpp"], {}),
        ("b-y", "b", "y", ["rust"], {}),
    )
    assert selection.one_per_backend_preferring_new_languages(pairings) == ["a-x", "b-y"]


def test_the_options_on_project_is_the_first_pairing_refusing_nothing() -> None:
    pairings = fabricated(
        ("a-x", "a", "x", ["c"], {"stable_abi": "no"}),
        ("b-x", "b", "x", ["c"], {}),
        ("c-x", "c", "x", ["c"], {}),
    )
    assert selection.refusing_nothing(pairings) == "b-x"


def test_abi3_builds_stop_at_the_minimum_comparing_versions_not_text() -> None:
    assert selection.abi3_tags(["3.9", "3.10", "3.11"], "3.10") == {"cp39", "cp310"}
    assert selection.abi3_tags(["3.11", "3.12", "3.13"], "3.11") == {"cp311"}


def writing(*entries: tuple[str, str, list[str]]) -> dict[str, Any]:
    """Pairings of (name, build backend, refused options)."""
    return {
        name: {"build_backend": writer, "refuses": dict.fromkeys(refuses, "no")}
        for name, writer, refuses in entries
    }


def test_every_metadata_writer_builds_a_hostile_answer_set_it_takes() -> None:
    sets = [answers.get("options", {}) for answers in HOSTILE_ANSWERS.values()]
    chosen = selection.one_per_metadata_writer(PAIRINGS, sets)
    writers = {PAIRINGS[name]["build_backend"] for name in chosen}
    assert writers == {entry["build_backend"] for entry in PAIRINGS.values()}
    for name, options in zip(chosen, sets, strict=True):
        assert not set(options) & set(PAIRINGS[name]["refuses"]), (name, options)


def test_a_backends_plugin_shares_its_metadata_writer() -> None:
    pairings = writing(("a-x", "x", []), ("a-x-plugin", "x", []), ("a-y", "y", []))
    assert selection.one_per_metadata_writer(pairings, [{}, {}, {}]) == ["a-x", "a-y", "a-x"]


def test_answers_with_options_go_to_a_pairing_taking_them() -> None:
    pairings = writing(("a-x", "x", ["stable_abi"]), ("b-x", "x", []), ("a-y", "y", []))
    assert selection.one_per_metadata_writer(pairings, [{"stable_abi": "yes"}]) == ["b-x"]
    pairings = writing(("a-x", "x", ["stable_abi"]), ("a-y", "y", []))
    assert selection.one_per_metadata_writer(pairings, [{"stable_abi": "yes"}]) == ["a-y"]
