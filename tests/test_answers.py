"""Bad answers are refused before anything is written; any text answer lands intact."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import (
    HOSTILE_ANSWERS,
    PAIRINGS,
    REGISTRY,
    ROOT,
    assert_every_data_file_parses,
    render,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from template_tools import registry
from template_tools.answers import OPTIONS, import_name, project_name_problem


def cookiecutter_cli(output_dir: Path, *answers: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--no-input",
            "-o",
            str(output_dir),
            str(ROOT),
            *answers,
        ],
        capture_output=True,
        text=True,
        check=False,
    )


# A pairing that refuses stable_abi=yes, and those that take it.
REFUSING_ABI3 = next(name for name, e in REGISTRY.pairings.items() if "stable_abi" in e["refuses"])
TAKING_ABI3 = [name for name, e in REGISTRY.pairings.items() if "stable_abi" not in e["refuses"]]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (
            ("project_name=1pkg",),
            "not a Python identifier: it must not start with a digit (try 'pkg1')",
        ),
        (("project_name=json",), "shadow the standard library module of that name (try 'pyjson')"),
        (("project_name=test",), "shadow the standard library module of that name (try 'pytest')"),
        (("project_name=class",), "which is a Python keyword (try 'pyclass')"),
        (("project_name=my package!",), "not a valid distribution name"),
        (("project_name=-pkg",), "not a valid distribution name"),
        (
            ("project_name=" + "a" * 51,),
            "is 51 characters long: keep it to 50 or fewer",
        ),
        (("email=not-an-address",), "does not look like an e-mail address"),
        (("url=ftp://example.org",), "is not an http(s) URL"),
        (("url=https://exa mple.org",), "is not an http(s) URL"),
        (("full_name=two\nlines",), "contains a line break or control character"),
        (("project_short_description=",), "is empty"),
        (
            (f"pairing={REFUSING_ABI3}", "stable_abi=yes"),
            (
                f"stable_abi=yes is not available with pairing {REFUSING_ABI3!r}: "
                f"{REGISTRY.pairings[REFUSING_ABI3]['refuses']['stable_abi']}; keep "
                f"stable_abi=no or choose one of: {', '.join(TAKING_ABI3)}"
            ),
        ),
    ],
)
def test_bad_answer_is_refused_with_one_line_and_nothing_written(
    tmp_path: Path, answers: tuple[str, ...], message: str
) -> None:
    result = cookiecutter_cli(tmp_path, *answers)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert message in errors[0]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("answer", ["pairing=pybind12-cmake", "stable_abi=maybe"])
def test_a_value_outside_the_choices_is_refused_by_cookiecutter_and_nothing_written(
    tmp_path: Path, answer: str
) -> None:
    result = cookiecutter_cli(tmp_path, answer)
    assert result.returncode != 0
    question, _, value = answer.partition("=")
    assert f"{value} provided for choice variable {question}, but the choices are" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("project_name", "expected"),
    [("my-package", "my_package"), ("My.Fast_Lib", "my_fast_lib"), ("a--b", "a__b")],
)
def test_import_name_is_lower_case_with_underscores(project_name: str, expected: str) -> None:
    assert import_name(project_name) == expected
    assert project_name_problem(project_name) == ""


def literal(answer: str) -> str:
    """The answer as typed at the prompt: cookiecutter renders answers given on its
    command line (or as extra_context) as Jinja, but not those typed interactively."""
    return "{% raw %}" + answer + "{% endraw %}"


# One printable line: quotes, backslashes, braces, `#`, `%`, scripts and emoji.
free_text = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "M", "N", "P", "S", "Zs"]),
    min_size=1,
    max_size=40,
).filter(lambda text: text.strip() and text.isprintable())
hostile = list(HOSTILE_ANSWERS.values())
hostile_texts = [
    answers[key] for answers in hostile for key in ("project_short_description", "full_name")
]
# Addresses and URLs stay valid; their free parts get quotes, `$`, braces, scripts.
url_path = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S"]), max_size=20
).filter(lambda text: text.isprintable() and "#" not in text and "?" not in text)
urls = st.one_of(
    st.sampled_from([answers["url"] for answers in hostile]),
    url_path.map(lambda path: f"https://example.org/{path}"),
)
emails = st.sampled_from([answers["email"] for answers in hostile])


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pairing=st.sampled_from(PAIRINGS),
    description=st.one_of(st.sampled_from(hostile_texts), free_text),
    full_name=st.one_of(st.sampled_from(hostile_texts), free_text),
    email=emails,
    url=urls,
)
def test_any_free_text_answer_gives_parseable_files_holding_it_exactly(
    tmp_path_factory: pytest.TempPathFactory,
    pairing: str,
    description: str,
    full_name: str,
    email: str,
    url: str,
) -> None:
    project = render(
        tmp_path_factory.mktemp("hostile"),
        pairing=pairing,
        project_short_description=literal(description),
        full_name=literal(full_name),
        email=literal(email),
        url=literal(url),
    )
    assert_every_data_file_parses(project)
    metadata = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert metadata["description"] == description
    assert metadata["authors"] == [{"name": full_name, "email": email}]
    assert metadata["urls"]["Homepage"] == url


@pytest.mark.parametrize("answers", list(HOSTILE_ANSWERS))
@pytest.mark.parametrize("pairing", PAIRINGS)
def test_every_pairing_renders_each_hostile_answer_set_intact(
    tmp_path: Path, pairing: str, answers: str
) -> None:
    ignored = {"pairing", "options"}
    given = {key: value for key, value in HOSTILE_ANSWERS[answers].items() if key not in ignored}
    project = render(tmp_path, pairing=pairing, **{k: literal(v) for k, v in given.items()})
    assert_every_data_file_parses(project)
    metadata = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert metadata["description"] == given["project_short_description"]
    assert metadata["authors"] == [{"name": given["full_name"], "email": given["email"]}]


REFUSALS = [
    (pairing, option, reason)
    for pairing, entry in registry.load().pairings.items()
    for option, reason in entry["refuses"].items()
]


@pytest.mark.parametrize(("pairing", "option", "reason"), REFUSALS)
def test_every_refused_option_is_refused_with_its_reason_and_nothing_written(
    tmp_path: Path, pairing: str, option: str, reason: str
) -> None:
    value = OPTIONS[option][1]
    result = cookiecutter_cli(tmp_path, f"pairing={pairing}", f"{option}={value}")
    assert result.returncode != 0
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert f"{option}={value} is not available with pairing {pairing!r}: {reason};" in error
    assert list(tmp_path.iterdir()) == []
