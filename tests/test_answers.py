"""Bad answers are refused before anything is written; any text answer lands intact."""

from __future__ import annotations

import ast
import re
import string
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
    assert_markdown_formatted_and_literal,
    render,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import Environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from template_tools import registry
from template_tools.answers import (
    OPTIONS,
    accepted_options,
    email_problem,
    import_name,
    markdown_problem,
    project_name_problem,
    text_problem,
    url_problem,
)
from template_tools.jinja import BinaryExtensionTemplate, project_dependencies

DEPENDENCIES = project_dependencies(Environment(extensions=[BinaryExtensionTemplate]))


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
        (("project_name=123",), "it must not start with a digit (try 'py123')"),
        (("project_name=json",), "shadow the standard library module of that name (try 'pyjson')"),
        (("project_name=test",), "shadow the standard library module of that name (try 'test-py')"),
        (("project_name=class",), "which is a Python keyword (try 'pyclass')"),
        (("project_name=my package!",), "not a valid distribution name"),
        (("project_name=-pkg",), "not a valid distribution name"),
        (("project_name=pkg\n",), "not a valid distribution name: use ASCII letters"),
        (("project_name=\u017fys",), "not a valid distribution name: use ASCII letters"),
        (("project_name=aux",), "which Windows reserves for a device"),
        (("project_name=pytest",), "the name of a package the generated projects build or test"),
        (
            ("project_name=" + "a" * 51,),
            "is 51 characters long: keep it to 50 or fewer",
        ),
        (("email=not-an-address",), "email 'not-an-address' has no '@'"),
        (("email=jane(work)@example.org",), "holds a comment in parentheses"),
        (("url=ftp://example.org",), "is not an http(s) URL"),
        (("url=https://exa mple.org",), "is not an http(s) URL"),
        (("full_name=two\nlines",), "contains a line break or control character"),
        (("full_name= Jane",), "starts or ends with a space (try 'Jane')"),
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


# Texts from the classes users type: any script, emoji sequences joined by U+200D,
# no-break, ideographic and Persian zero-width non-joining spaces, Markdown's
# specials, and what would start a Markdown block (a heading, a list item).
LEGITIMATE_INVISIBLES = [
    "\u00a0",
    "\u3000",
    "\u200d",
    "\u200c",
    "👩\u200d💻",
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
]
LINE_STARTS = ["# ", "1. ", "2) ", "- ", "+ ", "* ", "> ", "% ", "+++ ", "(x)=", "[ ] ", "---", "="]
free_text = st.builds(
    lambda start, body: re.sub(" {2,}", " ", (start + body).strip()),
    st.sampled_from(["", *LINE_STARTS]),
    st.lists(
        st.one_of(
            st.characters(codec="utf-8", categories=["L", "M", "N", "P", "S", "Zs"]),
            st.sampled_from([*LEGITIMATE_INVISIBLES, "www.example.org", "$x$", "{role}`x`"]),
        ),
        min_size=1,
        max_size=30,
    ).map("".join),
).filter(lambda text: not text_problem("text", text) and not markdown_problem("text", text))
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
# RFC 5322 dot-atoms: the characters an unquoted local part may hold.
ATEXT = string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~-"
dot_atom = st.lists(st.text(ATEXT, min_size=1, max_size=8), min_size=1, max_size=3).map(".".join)
domain_label = st.one_of(
    st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True),
    st.text(st.characters(categories=["Ll", "Lo"]), min_size=1, max_size=6),
)
generated_emails = st.builds(
    lambda local, labels: f"{local}@{'.'.join(labels)}",
    dot_atom,
    st.lists(domain_label, min_size=2, max_size=3),
).filter(lambda email: not email_problem(email))
emails = st.one_of(st.sampled_from([answers["email"] for answers in hostile]), generated_emails)
names = st.from_regex(r"[A-Za-z]([A-Za-z0-9._-]{0,20}[A-Za-z0-9])?", fullmatch=True).filter(
    lambda name: not project_name_problem(name, DEPENDENCIES)
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    pairing=st.sampled_from(PAIRINGS),
    project_name=st.one_of(st.just("my__pkg"), names),
    description=st.one_of(st.sampled_from(hostile_texts), free_text),
    full_name=st.one_of(st.sampled_from(hostile_texts), free_text),
    email=emails,
    url=urls,
)
def test_any_accepted_answer_lands_exactly_and_formatted(
    tmp_path_factory: pytest.TempPathFactory,
    pairing: str,
    project_name: str,
    description: str,
    full_name: str,
    email: str,
    url: str,
) -> None:
    project = render(
        tmp_path_factory.mktemp("hostile"),
        pairing=pairing,
        project_name=project_name,
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
    docs_conf = ast.parse((project / "docs" / "conf.py").read_text(encoding="utf-8"))
    assigned = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in docs_conf.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id in {"project", "author"}
    }
    assert (assigned["project"], assigned["author"]) == (project_name, full_name)
    assert_markdown_formatted_and_literal(project, project_name, description)


@pytest.mark.parametrize("answers", list(HOSTILE_ANSWERS))
@pytest.mark.parametrize("pairing", PAIRINGS)
def test_every_pairing_renders_each_hostile_answer_set_intact(
    tmp_path: Path, pairing: str, answers: str
) -> None:
    given = {key: value for key, value in HOSTILE_ANSWERS[answers].items() if key != "options"}
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


# Addresses that every build backend writes unchanged into Author-email
# (`nox -s answer_metadata` builds the metadata of each backend to show it).
KEPT_EMAILS = [
    "jane.doe@example.org",
    "zoe.o'brien+tag@example.org",
    "a!#$%&'*+/=?^_`{|}~-b@example.org",
    '"quoted local"@example.org',
    "li@例子.example",
    "JANE@EXAMPLE.ORG",
    "x@[192.0.2.1]",
]
# One address of each class the issue found, with the start of its reason.
REFUSED_EMAILS = {
    "jane(work)@example.org": "holds a comment in parentheses",
    "jane@example.org(work)": "holds a comment in parentheses",
    "a:b@example.org": "is not one plain address",
    "jané@example.org": "has non-ASCII characters before the '@'",
    "a..b@example.org": "is not one plain address",
    "a@example.org]": "is not one plain address",
    "a\x7f@example.org": "contains a control, invisible or unusual space character, U+007F",
    "a\u200b@example.org": "contains a control, invisible or unusual space character, U+200B",
    "a@x\u200b.org": "contains a control, invisible or unusual space character, U+200B",
    "a@example.org\n": "contains a control, invisible or unusual space character, U+000A",
    '"ab"@example.org': "is written into the metadata as 'ab@example.org'",
    "a@localhost": "has no '.' after the '@'",
    "a@b.org, c@d.org": "is not one plain address",
    "a @example.org": "is written into the metadata as 'a@example.org'",
    "not-an-address": "has no '@'",
}


@pytest.mark.parametrize("email", KEPT_EMAILS)
def test_an_address_every_backend_keeps_is_accepted(email: str) -> None:
    assert email_problem(email) == ""


@pytest.mark.parametrize(("email", "reason"), REFUSED_EMAILS.items())
def test_an_address_a_backend_changes_is_refused_with_its_reason(email: str, reason: str) -> None:
    problem = email_problem(email)
    assert problem.startswith(f"email {email!r} {reason}"), problem
    assert "\n" not in problem


@pytest.mark.parametrize(
    "text",
    [
        "Bindings for libfoo (C++17) - fast!",
        "2.0 rewrite",
        "# not a heading",
        "1. not a list",
        "山田\u3000太郎",
        "Jane\u00a0Doe",
        "👩\u200d💻 Dev",
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
    ],
)
def test_legitimate_text_is_accepted(text: str) -> None:
    assert text_problem("full_name", text) == ""


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a\x7fb", "contains a line break or control character, U+007F"),
        ("a\u2028b", "contains a line break or control character, U+2028"),
        ("a\u2029b", "contains a line break or control character, U+2029"),
        ("Jane\n", "contains a line break or control character, U+000A"),
        ("a\u202eb", "contains the text-direction control U+202E"),
        ("    indented", "starts or ends with a space (try 'indented')"),
        ("trailing ", "starts or ends with a space (try 'trailing')"),
        ("\u3000leading", "starts or ends with a space (try 'leading')"),
        ("two  spaces", "has two spaces in a row, which read as one (try 'two spaces')"),
        ("\u200d", "is empty"),
    ],
)
def test_text_markdown_or_metadata_would_change_is_refused(text: str, reason: str) -> None:
    problem = text_problem("full_name", text)
    assert reason in problem, problem
    assert "\n" not in problem


@pytest.mark.parametrize("name", ["con", "AUX", "Nul", "prn", "com1", "LPT9", "con.tools"])
def test_a_windows_device_name_is_refused(name: str) -> None:
    assert "which Windows reserves for a device" in project_name_problem(name)


@pytest.mark.parametrize("name", ["\u0131o", "\u017fys", "\u212aelvin", "\u0130stanbul", "naïve"])
def test_a_name_with_non_ascii_letters_is_refused(name: str) -> None:
    assert "use ASCII letters" in project_name_problem(name)


def test_names_close_to_a_device_or_keyword_are_accepted() -> None:
    for name in ("console", "contest", "com10", "lpt", "auxiliary", "my__pkg", "classy"):
        assert project_name_problem(name, DEPENDENCIES) == "", name


# Every build, run and test requirement the registry states, and the tools of
# every generated project: none may be a project's name.
REQUIRED_BY_THE_REGISTRY = {
    canonicalize_name(registry.requirement_name(requirement))
    for entry in REGISTRY.pairings.values()
    for requirement in [
        *entry["build_requires"],
        *entry["versioning_requires"],
        *entry["runtime_dependencies"],
        *entry["test_requires"],
    ]
} | {"pytest", "nox", "mypy"}


def rendered_requirements(project: Path) -> set[str]:
    """The names a rendered project requires, read with packaging's parser."""
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = [
        *pyproject["build-system"]["requires"],
        *pyproject["project"]["dependencies"],
        *(
            r
            for group in pyproject["dependency-groups"].values()
            for r in group
            if isinstance(r, str)
        ),
    ]
    noxfile = (project / "noxfile.py").read_text(encoding="utf-8")
    script = re.search(r"# dependencies = (\[.*\])", noxfile)
    assert script, "the noxfile declares no dependencies"
    requirements += ast.literal_eval(script.group(1))
    return {canonicalize_name(Requirement(requirement).name) for requirement in requirements}


@pytest.mark.parametrize("pairing", PAIRINGS)
def test_every_package_a_project_requires_is_refused_as_its_name(
    tmp_path: Path, pairing: str
) -> None:
    required: set[str] = set()
    for number, options in enumerate(accepted_options(pairing, REGISTRY.pairings)):
        required |= rendered_requirements(
            render(tmp_path / str(number), pairing=pairing, **options)
        )
    editable = REGISTRY.pairings[pairing]["editable_requires"]
    required |= {canonicalize_name(registry.requirement_name(r)) for r in editable}
    assert required <= DEPENDENCIES
    for name in sorted(required):
        assert "build or test with" in project_name_problem(name, DEPENDENCIES), name


def test_the_refused_dependencies_include_the_tools_every_project_uses() -> None:
    assert REQUIRED_BY_THE_REGISTRY <= DEPENDENCIES
    # A dependency's other spellings are the same name to pip.
    build_backend = registry.requirement_name(REGISTRY.pairings[PAIRINGS[0]]["build_requires"][-1])
    assert project_name_problem(build_backend.title().replace("-", "_"), DEPENDENCIES)


SUGGESTION = re.compile(r"\(try '(.*)'\)$")


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=60), st.from_regex(r"[0-9._ -]*[a-zA-Z\u0131]*[0-9\n]*")))
def test_every_suggestion_offered_is_itself_accepted(typed: str) -> None:
    for question, problem_of in (
        ("project_name", lambda value: project_name_problem(value, DEPENDENCIES)),
        ("full_name", lambda value: text_problem("full_name", value)),
        ("email", email_problem),
        ("url", url_problem),
    ):
        suggestion = SUGGESTION.search(problem_of(typed))
        if suggestion:
            assert problem_of(suggestion.group(1)) == "", (question, typed, suggestion.group(1))


@pytest.mark.parametrize(
    "description",
    [
        "see https://example.org/*",
        "docs at www.example.org/$x$",
        "mail _jane@example.org",
        "docs at www.example.org\xa0$x$",
    ],
)
def test_a_description_whose_address_markdown_cannot_show_literally_is_refused(
    description: str,
) -> None:
    problem = markdown_problem("project_short_description", description)
    assert "which Markdown would show as a link with backslashes in it" in problem


def test_a_description_with_plain_addresses_is_accepted() -> None:
    description = "See https://example.org/a_b, www.example.org or jane@example.org."
    assert markdown_problem("project_short_description", description) == ""
