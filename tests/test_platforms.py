"""Wheels beyond the desktop: Pyodide (WebAssembly), iOS and Android.

Every pairing whose binding and backend can build for a platform ships its
wheels: cibuildwheel plans them, the wheels workflow builds them on the runner
the registry names and publishes them with the others, and the README lists
them. Where a binding or backend cannot, its registry entry says why, the
project skips the platform's builds with that reason beside the `skip`, and the
README gives it. The builds themselves need toolchains this machine cannot
download; these tests check what cibuildwheel plans, in-process, at the release
the wheels workflow runs.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from cibuildwheel.__main__ import main as cibuildwheel_main
from conftest import PAIRINGS, REGISTRY, ROOT, Rendered, render

from template_tools import registry

ACTIONS = tomllib.loads((ROOT / "templates" / "actions.toml").read_text(encoding="utf-8"))
TEMPLATE_PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

# What cibuildwheel plans for a project that ships a platform's wheels.
PLANNED = {
    "pyodide": ["cp313-pyodide_wasm32", "cp314-pyodide_wasm32", "cp315-pyodide_wasm32"],
    "ios": [
        "cp313-ios_arm64_iphoneos",
        "cp313-ios_arm64_iphonesimulator",
        "cp314-ios_arm64_iphoneos",
        "cp314-ios_arm64_iphonesimulator",
        "cp315-ios_arm64_iphoneos",
        "cp315-ios_arm64_iphonesimulator",
    ],
    "android": [
        "cp313-android_arm64_v8a",
        "cp313-android_x86_64",
        "cp314-android_arm64_v8a",
        "cp314-android_x86_64",
        "cp315-android_arm64_v8a",
        "cp315-android_x86_64",
    ],
}


def refused_platforms(answers: dict[str, str]) -> dict[str, set[str]]:
    """The platforms each pairing's registry entry says it cannot ship, with these
    answers (pairings that ship them all left out)."""
    refused = {
        pairing: {
            platform["id"]
            for platform in registry.platforms_of(REGISTRY, pairing, answers)
            if platform["refused"]
        }
        for pairing in PAIRINGS
    }
    return {pairing: platforms for pairing, platforms in refused.items() if platforms}


# The platforms each pairing cannot ship, with default answers and with
# stable_abi=yes; every other pairing ships them all.
REFUSED = refused_platforms({})
REFUSED_WITH_STABLE_ABI = refused_platforms({"stable_abi": "yes"})
STABLE_ABI_PAIRINGS = [p for p in PAIRINGS if "stable_abi" not in REGISTRY.pairings[p]["refuses"]]


def planned_identifiers(project: Path, platform: str, *options: str) -> list[str]:
    """The identifiers `cibuildwheel --print-build-identifiers --platform <platform>`
    prints for the project, run in-process with no CIBW_* variable set."""
    output = io.StringIO()
    arguments = ["cibuildwheel", "--print-build-identifiers", "--platform", platform, *options]
    with pytest.MonkeyPatch.context() as patch:
        for variable in [name for name in os.environ if name.startswith("CIBW_")]:
            patch.delenv(variable)
        patch.chdir(project)
        patch.setattr(sys, "argv", [*arguments, "."])
        with contextlib.redirect_stdout(output), pytest.raises(SystemExit) as exit_info:
            cibuildwheel_main()
    assert exit_info.value.code == 0, output.getvalue()
    return [line for line in output.getvalue().split() if re.fullmatch(r"cp3\d+t?-\w+", line)]


def platform_problems(project: Path, refused: set[str]) -> list[str]:
    """How cibuildwheel's plan for the project differs from shipping PLANNED on every
    platform but the refused ones, and nothing of those on any architecture."""
    problems = []
    for platform, planned in PLANNED.items():
        if platform in refused:
            found = planned_identifiers(project, platform, "--archs", "all")
            expected = []
        else:
            found, expected = planned_identifiers(project, platform), planned
        if found != expected:
            problems.append(f"{platform}: cibuildwheel plans {found}, expected {expected}")
    return problems


def pyproject(project: Path) -> dict[str, Any]:
    return tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))


def workflow(project: Path) -> dict[str, Any]:
    text = (project / ".github" / "workflows" / "wheels.yml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def test_each_pairing_refuses_only_the_platforms_its_toolchain_cannot_build() -> None:
    for pairing in PAIRINGS:
        for answers, expected in [({}, REFUSED), ({"stable_abi": "yes"}, REFUSED_WITH_STABLE_ABI)]:
            found = registry.platforms_of(REGISTRY, pairing, answers)
            refused = {
                platform["id"]: platform["refused"] for platform in found if platform["refused"]
            }
            assert set(refused) == expected.get(pairing, set()), (pairing, answers)
            assert all(reason and not reason.endswith(".") for reason in refused.values())


def test_cibuildwheel_plans_each_shipped_platform_and_nothing_of_a_refused_one(
    rendered: Rendered,
) -> None:
    assert platform_problems(rendered.path, REFUSED.get(rendered.pairing, set())) == []


@pytest.mark.parametrize("pairing", STABLE_ABI_PAIRINGS)
def test_stable_abi_plans_every_build_of_the_shipped_platforms(
    pairing: str, tmp_path: Path
) -> None:
    # `build` keeps the oldest CPythons for the abi3 wheel; the platforms beyond
    # the desktop start later, so they are selected whole.
    project = render(tmp_path, pairing=pairing, stable_abi="yes")
    refused = REFUSED_WITH_STABLE_ABI.get(pairing, set())
    assert platform_problems(project, refused) == []


def test_a_refused_platform_left_out_of_skip_is_caught(tmp_path: Path) -> None:
    pairing = next(name for name, refused in REFUSED.items() if len(refused) == 1)
    project = render(tmp_path, pairing=pairing)
    path = project / "pyproject.toml"
    (platform,) = REFUSED[pairing]
    path.write_text(path.read_text().replace(f'"*-{platform}_*"', '"cp3??t-*"'))
    (problem,) = platform_problems(project, REFUSED[pairing])
    assert problem.startswith(f"{platform}: cibuildwheel plans ['cp313-{platform}_"), problem


def test_a_project_without_its_ios_architectures_is_caught(tmp_path: Path) -> None:
    # On this Linux machine cibuildwheel has no iOS architecture of its own: the
    # project's `archs` alone makes the plan, the same on the macOS runner.
    project = render(tmp_path)
    path = project / "pyproject.toml"
    text = re.sub(r"^archs = \[\"arm64_iphoneos.*\n", "", path.read_text(), flags=re.MULTILINE)
    path.write_text(text)
    assert platform_problems(project, set()) == [
        f"ios: cibuildwheel plans [], expected {PLANNED['ios']}"
    ]


def test_each_platforms_oldest_cpython_is_the_oldest_planned() -> None:
    # The README promises wheels from this CPython on.
    for platform, facts in REGISTRY.platforms.items():
        oldest = min(identifier.split("-")[0] for identifier in PLANNED[platform])
        assert oldest == f"cp{facts['oldest_python'].replace('.', '')}", platform


def pinned_cibuildwheel_problem(groups: dict[str, list[Any]], actions: dict[str, Any]) -> str:
    """Why the tests' cibuildwheel is not the release the wheels workflow runs, or ""."""
    version = actions["pypa/cibuildwheel"]["version"].removeprefix("v")
    pins = [r for r in groups["test"] if isinstance(r, str) and r.startswith("cibuildwheel")]
    if pins != [f"cibuildwheel=={version}"]:
        return f"the test group pins {pins}, the wheels workflow runs cibuildwheel {version}"
    return ""


def test_the_tests_plan_with_the_cibuildwheel_the_wheels_workflow_runs() -> None:
    groups = TEMPLATE_PYPROJECT["dependency-groups"]
    assert pinned_cibuildwheel_problem(groups, ACTIONS) == ""
    import cibuildwheel

    assert f"v{cibuildwheel.__version__}" == ACTIONS["pypa/cibuildwheel"]["version"]


def test_a_cibuildwheel_pin_apart_from_the_action_is_caught() -> None:
    groups = {"test": ["pytest>=9", "cibuildwheel==3.0.0"]}
    assert "cibuildwheel 4" in pinned_cibuildwheel_problem(groups, ACTIONS)


def test_the_wheels_workflow_builds_each_shipped_platform_on_its_runner(
    rendered: Rendered,
) -> None:
    jobs = workflow(rendered.path)["jobs"]
    shipped = [p for p in REGISTRY.platforms if p not in REFUSED.get(rendered.pairing, set())]
    include = jobs["platform-wheels"]["strategy"]["matrix"]["include"]
    assert [entry["platform"] for entry in include] == shipped
    for entry in include:
        assert entry["runs-on"] == REGISTRY.platforms[entry["platform"]]["runner"]
    (build,) = [s for s in jobs["platform-wheels"]["steps"] if "cibuildwheel" in s.get("uses", "")]
    assert build["env"] == {"CIBW_PLATFORM": "${{ matrix.platform }}"}
    assert "platform-wheels" in jobs["publish"]["needs"]
    (upload,) = [s for s in jobs["platform-wheels"]["steps"] if "upload" in s.get("uses", "")]
    # The publish job downloads every cibw-* artifact; each platform has its own.
    assert upload["with"]["name"] == "cibw-wheels-${{ matrix.platform }}"


def test_ios_builds_see_the_backends_tools_reinstalled_where_it_says(rendered: Rendered) -> None:
    entry = REGISTRY.pairings[rendered.pairing]
    tables = pyproject(rendered.path)["tool"]["cibuildwheel"]
    steps = workflow(rendered.path)["jobs"]["platform-wheels"]["steps"]
    reinstalls = [step for step in steps if "brew reinstall" in step.get("run", "")]
    if "ios" in REFUSED.get(rendered.pairing, set()):
        assert "ios" not in tables
        assert reinstalls == []
        return
    # uv cannot build for iOS; the cross-build PATH holds only the tools named.
    assert tables["ios"]["build-frontend"] == "build"
    assert tables["ios"]["xbuild-tools"] == entry["xbuild_tools"]
    if entry["xbuild_tools_reinstalled"]:
        (step,) = reinstalls
        assert step["if"] == "matrix.platform == 'ios'"
        assert step["run"].split()[2:] == entry["xbuild_tools_reinstalled"]
    else:
        assert reinstalls == []


def test_tests_run_as_a_module_as_pyodide_ios_and_android_need(rendered: Rendered) -> None:
    # iOS and Android run only `python -m ...`; Pyodide's venv, no console scripts.
    command = pyproject(rendered.path)["tool"]["cibuildwheel"]["test-command"]
    assert command.split()[:3] == ["python", "-m", "pytest"]


def test_the_readme_lists_each_platform_and_why_one_is_not_shipped(rendered: Rendered) -> None:
    readme = (rendered.path / "README.md").read_text(encoding="utf-8")
    for platform in registry.platforms_of(REGISTRY, rendered.pairing, {}):
        if platform["refused"]:
            assert f"- {platform['name']}: none, as {platform['refused']}" in readme
        else:
            line = f"- {platform['name']}: CPython {platform['oldest_python']} and later"
            assert line in readme


def test_a_refusal_applies_with_its_option_only() -> None:
    pairing = next(iter(set(REFUSED_WITH_STABLE_ABI) - set(REFUSED)))
    for answers, refused in [
        ({}, False),
        ({"stable_abi": "no"}, False),
        ({"stable_abi": "yes"}, True),
    ]:
        (pyodide,) = [
            p for p in registry.platforms_of(REGISTRY, pairing, answers) if p["id"] == "pyodide"
        ]
        assert bool(pyodide["refused"]) is refused, answers


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    """A copy of templates/ to plant defects in."""
    return Path(shutil.copytree(ROOT / "templates", tmp_path / "templates"))


def read_from(templates: Path) -> registry.Registry:
    return registry.load(lambda name: (templates / name).read_text(encoding="utf-8"))


def add_to_binding(templates: Path, pairing: str, text: str) -> None:
    path = templates / "bindings" / REGISTRY.pairings[pairing]["binding_id"] / "binding.toml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.mark.parametrize(
    ("refusal", "error"),
    [
        ('\n[platforms_refused]\nwatchos = "no"\n', r"refuses platform 'watchos', which registry"),
        ('\n[platforms_refused]\nios = { colour = "no" }\n', r"with an option of: stable_abi"),
        ("\n[platforms_refused]\nios = 1\n", r"give the reason"),
    ],
)
def test_a_platform_refusal_that_names_nothing_known_is_refused(
    templates: Path, refusal: str, error: str
) -> None:
    add_to_binding(templates, PAIRINGS[0], refusal)
    with pytest.raises(ValueError, match=error):
        read_from(templates)


def test_a_platform_refused_at_two_levels_is_refused(templates: Path) -> None:
    # A backend refuses it; the binding says so again.
    pairing = next(name for name, refused in REFUSED.items() if len(refused) == 1)
    (platform,) = REFUSED[pairing]
    add_to_binding(templates, pairing, f'\n[platforms_refused]\n{platform} = "again"\n')
    with pytest.raises(ValueError, match=f"refuses platform {platform} again"):
        read_from(templates)
