# /// script
# dependencies = ["nox[uv]>=2025.10.16"]
# ///
"""The template's own checks.

`nox` runs lint, the fast render tests, then the `matrix` of build sessions:
every pairing rendered, built and tested on the newest Python, each project's
own checks, each backend's README commands on the oldest Python, and the docs site.
`nox -s extended` runs the slower rest side by side: every pairing built on
the oldest Python, each build option and the hostile answers proved per
backend. The template's CI runs both, one job per session. Each session
renders a project and runs checks of template_checks/ on it (sequences.py, made
of steps.py), tested by tests/test_checks.py, test_steps.py and test_sequences.py.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tomllib
from pathlib import Path

import nox

# nox runs this file as a script (`pipx run nox`), without its folder on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from template_checks import (
    compare,
    coverage_report,
    docs_site,
    free_threaded,
    matrix,
    readme_commands,
    sanitize,
    selection,
    sequences,
    steps,
)
from template_checks.steps import Workspace
from template_tools import registry

nox.needs_version = ">=2025.10.16"
nox.options.default_venv_backend = "uv"
nox.options.download_python = "never"
nox.options.error_on_missing_interpreters = True

ROOT = Path(__file__).parent
NOXFILE = ROOT / "noxfile.py"
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
TEMPLATE = registry.load()
REGISTRY = TEMPLATE.pairings
PAIRINGS = list(REGISTRY)
# The CPython tags (cp311, ...) generated projects build wheels for.
SUPPORTED_TAGS = {f"cp{python.replace('.', '')}" for python in TEMPLATE.pythons}
# The oldest supported CPython and the newest the template's CI installs: every
# pairing is built on both; the project checks build once more, between them.
PYTHONS = [TEMPLATE.oldest_python, "3.13"]
MIDDLE_PYTHON = "3.12"
# The tags of the sessions that build projects: the `matrix` session runs the
# first (by default, within the 30 minutes the template's own CI allows), the
# `extended` session the second.
MATRIX = "matrix"
EXTENDED = "extended"
ACTIONLINT_VERSION = "v1.7.12"
ACTIONS = tomllib.loads((ROOT / "templates" / "actions.toml").read_text())
# The twine that the pinned pypa/gh-action-pypi-publish uploads with: the built
# distributions are checked with it, as a release would meet them.
PUBLISH_TWINE = f"twine=={ACTIONS['pypa/gh-action-pypi-publish']['twine']}"
# Stand-in hook repositories and pre-commit's hook environments, shared by the
# sessions of a run (see template_checks/precommit_emulation.py).
PRE_COMMIT_EMULATION_HOME = ROOT / ".nox" / "_pre-commit-emulation"


# One project with every build option on: the first pairing that can take them all.
OPTIONS_ON = {"stable_abi": "yes", "free_threading": "yes", "versioning": "vcs"}
OPTIONS_ON_PAIRING = selection.refusing_nothing(REGISTRY)
# Every pairing on both Pythons: the newest by default, the oldest in `extended`.
BUILDS = [
    nox.param(python, pairing, id=f"{pairing}, {python}", tags=[tag])
    for pairing in PAIRINGS
    for python, tag in zip(PYTHONS, [EXTENDED, MATRIX], strict=True)
]
HOSTILE_ANSWERS = tomllib.loads((ROOT / "tests" / "hostile-answers.toml").read_text())
# Each hostile answer set is built by a pairing of its own build backend, so that
# every backend's metadata writer meets one.
HOSTILE_PAIRINGS = dict(
    zip(
        HOSTILE_ANSWERS,
        selection.one_per_metadata_writer(
            REGISTRY, [answers.get("options", {}) for answers in HOSTILE_ANSWERS.values()]
        ),
        strict=True,
    )
)
# Each option is proved on one pairing of each backend (or binding) it depends on.
VERSIONING_PAIRINGS = selection.one_per_backend(REGISTRY, "versioning")
STABLE_ABI_PAIRINGS = selection.one_per_backend(REGISTRY, "stable_abi")
GIL_SLOT_PAIRINGS = selection.one_per_binding(REGISTRY, "gil_slot_on_gil_builds")
# Each binding's free-threaded tests run on one of its pairings.
FREE_THREADED_PAIRINGS = selection.one_per_binding_taking(REGISTRY, "free_threading")
# The free-threaded CPythons those runs build from source, kept between runs.
FREE_THREADED_CPYTHON = TEMPLATE.free_threaded_cpython
FREE_THREADED_HOME = ROOT / ".nox" / f"_free-threaded-cpython-{FREE_THREADED_CPYTHON}"
THREAD_SANITIZER_HOME = ROOT / ".nox" / f"_free-threaded-cpython-{FREE_THREADED_CPYTHON}-tsan"
# The pairings whose `nox -s coverage` reports native lines.
COVERAGE_PAIRINGS = [
    pairing for pairing in PAIRINGS if not REGISTRY[pairing]["coverage"]["refused"]
]
# The README's development commands come from a pairing's backend pieces and its
# binding's language: one pairing per backend, preferring new languages.
README_PAIRINGS = selection.one_per_backend_preferring_new_languages(REGISTRY)
# The pairings whose projects have a `sanitize` session.
SANITIZE_PAIRINGS = [name for name, entry in REGISTRY.items() if not entry["sanitize_refused"]]


@nox.session
def lint(session: nox.Session) -> None:
    """Lint and type-check the template's own code and workflows."""
    session.install(*group("lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    work = workspace(session)
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    actionlint = steps.install_actionlint(work, ACTIONLINT_VERSION)
    sequences.lint_workflows(work, ROOT, workflows, actionlint)


@nox.session
def tests(session: nox.Session) -> None:
    """The fast tests: render every pairing and check the files, without compiling."""
    session.install(*group("test"))
    session.run("pytest", *session.posargs)


@nox.session(python=False, name="matrix")
def run_matrix(session: nox.Session) -> None:
    """Run the build sessions tagged "matrix", as many side by side as there are cores.

    Each one compiles a single small extension, mostly on one core, so running
    them side by side roughly divides the wall time by the number of cores.
    A session's output is printed whole when it ends; `nox -t matrix` runs the
    same sessions one after the other. Arguments after `--` pick sessions by name.
    """
    run_tagged_side_by_side(session, MATRIX)


@nox.session(python=False, default=False)
def extended(session: nox.Session) -> None:
    """Run the slower build sessions, tagged "extended", as `matrix` runs its own."""
    run_tagged_side_by_side(session, EXTENDED)


def run_tagged_side_by_side(session: nox.Session, tag: str) -> None:
    """Run the sessions tagged `tag` (those named after `--`, if any) side by side."""
    names = [
        name
        for name in matrix.tagged_sessions(NOXFILE, tag)
        if not session.posargs or any(argument in name for argument in session.posargs)
    ]
    base = [sys.executable, "-m", "nox", "-f", str(NOXFILE), "--non-interactive", "-s"]
    jobs = int(os.environ.get("NOX_MATRIX_JOBS", os.cpu_count() or 1))

    def report(outcome: matrix.Outcome) -> None:
        print(outcome.log, flush=True)
        result = "passed" if outcome.returncode == 0 else "FAILED"
        session.log(f"{outcome.name} {result} in {outcome.seconds:.0f} s")

    logs = Path(session.create_tmp()).resolve() / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    outcomes = matrix.run_side_by_side({name: [*base, name] for name in names}, jobs, logs, report)
    if failed := [outcome.name for outcome in outcomes if outcome.returncode]:
        session.error(f"{len(failed)} of {len(names)} sessions failed: {', '.join(failed)}")
    session.log(f"all {len(names)} {tag} sessions passed, {jobs} at a time")


@nox.session(python=False, default=False)
def ci_matrix(session: nox.Session) -> None:
    """Append `sessions=<the build sessions as JSON>` to the file given after `--`
    (the template CI's $GITHUB_OUTPUT), for its job matrix: those of `matrix`,
    then those of `extended`."""
    (output,) = session.posargs
    names = [name for tag in (MATRIX, EXTENDED) for name in matrix.tagged_sessions(NOXFILE, tag)]
    with Path(output).open("a", encoding="utf-8") as file:
        file.write(f"sessions={json.dumps(names)}\n")


@nox.session(python=PYTHONS[-1], default=False, tags=[MATRIX])
def docs(session: nox.Session) -> None:
    """Build the template's documentation site with warnings as errors, then a copy
    with a broken link planted, which must fail the same way."""
    session.install(*group("docs"))
    tmp = Path(session.create_tmp()).resolve()
    sphinx = ["sphinx-build", "--fail-on-warning", "--keep-going", "-q", "--fresh-env"]
    session.run(*sphinx, str(ROOT / "docs"), str(tmp / "html"))
    session.log(f"the site: {tmp / 'html' / 'index.html'}")
    planted = docs_site.with_broken_link(ROOT, tmp / "planted")
    # The copy is built with the site's own conf.py (-c), which finds template_tools.
    output = session.run(
        *sphinx,
        "-c",
        str(ROOT / "docs"),
        str(planted),
        str(tmp / "planted-html"),
        success_codes=[1],
        silent=True,
    )
    assert docs_site.MISSING_PAGE in str(output), output
    session.log("the docs build fails on a planted broken link")


@nox.session(default=False)
def hypothesis_long(session: nox.Session) -> None:
    """The property-based answer tests with 1000 examples each (a few minutes)."""
    session.install(*group("test"))
    session.run(
        "pytest", "tests/test_answers.py", "-k", "any_accepted", env={"HYPOTHESIS_PROFILE": "long"}
    )


@nox.session(default=False)
@nox.parametrize(("python", "pairing"), BUILDS)
def build(session: nox.Session, pairing: str) -> None:
    """Render a pairing, build it once, and test that build every way a user would
    (see sequences.build; `project_checks` installs the project as its own
    commands do: `pip install .` and the editable install)."""
    session.install(*group("render"), *group("wheel-checks"), PUBLISH_TWINE)
    work = workspace(session)
    project = steps.render(work, ROOT, pairing)
    # Once per pairing: its stub and its docs are the same on every Python.
    sequences.build(work, project, pairing, plant_defects=session.python == PYTHONS[-1])


@nox.session(python=PYTHONS[-1], default=False, tags=[EXTENDED])
@nox.parametrize("answers", list(HOSTILE_ANSWERS), ids=list(HOSTILE_ANSWERS))
def hostile_answers(session: nox.Session, answers: str) -> None:
    """Build a project from hostile answers (with the pairing HOSTILE_PAIRINGS picks);
    its wheel's METADATA holds them exactly and its tests pass."""
    session.install(*group("render"), *group("wheel-checks"), PUBLISH_TWINE)
    given = dict(HOSTILE_ANSWERS[answers])
    options = given.pop("options", {})
    # Answers given on cookiecutter's command line are rendered as Jinja; typed ones are not.
    typed = {key: "{% raw %}" + value + "{% endraw %}" for key, value in given.items()}
    work = workspace(session)
    project = steps.render(work, ROOT, HOSTILE_PAIRINGS[answers], **typed, **options)
    sequences.hostile_answers(work, project, given)


@nox.session(python=PYTHONS[-1], default=False, tags=[EXTENDED])
@nox.parametrize("pairing", VERSIONING_PAIRINGS, ids=VERSIONING_PAIRINGS)
def option_versioning(session: nox.Session, pairing: str) -> None:
    """versioning=vcs: the version comes from git tags (see sequences.option_versioning)."""
    session.install(*group("render"))
    work = workspace(session)
    project = steps.render(work, ROOT, pairing, versioning="vcs")
    sequences.option_versioning(work, project)


@nox.session(python=PYTHONS[-1], default=False, tags=[EXTENDED])
@nox.parametrize("pairing", STABLE_ABI_PAIRINGS, ids=STABLE_ABI_PAIRINGS)
def option_stable_abi(session: nox.Session, pairing: str) -> None:
    """stable_abi=yes: one abi3 wheel per platform, audited and tested on a newer
    CPython (see sequences.option_stable_abi)."""
    session.install(*group("render"), *group("stable-abi"))
    work = workspace(session)
    project = steps.render(work, ROOT, pairing, stable_abi="yes")
    sequences.option_stable_abi(work, project, pairing, REGISTRY[pairing], TEMPLATE.pythons)


@nox.session(python=PYTHONS[-1], default=False, tags=[EXTENDED])
@nox.parametrize("pairing", GIL_SLOT_PAIRINGS, ids=GIL_SLOT_PAIRINGS)
def option_free_threading(session: nox.Session, pairing: str) -> None:
    """free_threading=yes: the wheel's tests and its GIL slot, and free-threaded
    wheels planned on every platform (see sequences.option_free_threading)."""
    session.install(*group("render"), *group("wheel-checks"), *group("project-checks"))
    work = workspace(session)
    project = steps.render(work, ROOT, pairing, free_threading="yes")
    sequences.option_free_threading(work, project, pairing, REGISTRY[pairing])


@nox.session(python=PYTHONS[-1], default=False)
def free_threaded_runs(session: nox.Session) -> None:
    """free_threading=yes on a free-threaded CPython built from source (see
    template_checks/free_threaded.py; the first run builds it, ~10 minutes, so this
    session is in no tag): each binding's project, or the pairings given after --,
    runs its own `nox -s tests`, whose GIL and many-threads tests must pass; the
    same check must fail on this session's CPython, which has the GIL."""
    session.install(*group("render"), *group("project-checks"))
    python = free_threaded.build(FREE_THREADED_HOME, FREE_THREADED_CPYTHON)
    work = workspace(session)
    problems = {}
    for pairing in session.posargs or FREE_THREADED_PAIRINGS:
        project = steps.render(work, ROOT, pairing, free_threading="yes")
        problems[pairing] = free_threaded.run_tests(work, project, python)
        session.log(f"{pairing} on {python.name}: {'; '.join(problems[pairing]) or 'passed'}")
    assert not any(problems.values()), problems
    # The check fails where the GIL is on: the last project, on this session's CPython.
    on_gil = free_threaded.run_tests(work, project, Path(work.python))
    assert on_gil == free_threaded.ON_GIL_BUILDS, on_gil
    session.log(f"{pairing} on CPython {session.python} with the GIL: {'; '.join(on_gil)}")


@nox.session(python=PYTHONS[-1], default=False, tags=[EXTENDED])
@nox.parametrize("pairing", COVERAGE_PAIRINGS, ids=COVERAGE_PAIRINGS)
def coverage(session: nox.Session, pairing: str) -> None:
    """A generated project's `nox -s coverage`: its reports show the lines of add
    and fib in the native source run by the tests (template_checks/coverage_report.py)."""
    session.install(*group("render"), *group("project-checks"))
    # Moved out of the session's virtualenv: coverage.py takes what lies within
    # one for third-party code, and would not measure the project's sources.
    home = ROOT / ".nox" / "_coverage" / pairing
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    work = workspace(session)
    project = Path(shutil.move(steps.render(work, ROOT, pairing), home))
    with session.chdir(project):
        session.run("nox", "--non-interactive", "-s", "coverage", "--force-python", work.python)
    missing = coverage_report.problems(project, REGISTRY[pairing]["coverage"])
    assert not missing, missing
    session.log(f"{pairing}: the reports show add and fib run")


@nox.session(python=PYTHONS[-1], default=False)
def thread_sanitizer_runs(session: nox.Session) -> None:
    """free_threading=yes: a C, a C++ and a Cython project's own `nox -s tsan` (or
    those of the pairings after --) on a free-threaded CPython built with
    ThreadSanitizer (built on the first run, ~30 minutes, so this session is in no
    tag): it passes, refuses a CPython built without ThreadSanitizer, and fails on
    a planted data race."""
    pairings = session.posargs or sanitize.race_pairings(REGISTRY)
    unknown = sorted(set(pairings) - set(SANITIZE_PAIRINGS))
    if unknown:
        session.error(f"no tsan session in {unknown}; it is in {', '.join(SANITIZE_PAIRINGS)}")
    session.install(*group("render"), *group("project-checks"))
    python = free_threaded.build(
        THREAD_SANITIZER_HOME, FREE_THREADED_CPYTHON, "--with-thread-sanitizer"
    )
    work = workspace(session)
    for pairing in pairings:
        project = steps.render(work, ROOT, pairing, free_threading="yes")
        sanitize.check_thread_sanitizer(work, project, REGISTRY[pairing], python)


@nox.session(python=MIDDLE_PYTHON, default=False, tags=[MATRIX])
@nox.parametrize("pairing", PAIRINGS, ids=PAIRINGS)
def project_checks(session: nox.Session, pairing: str) -> None:
    """A generated project's own `nox -s tests` (so `pip install .`), its pre-commit
    hooks as pre-commit and pre-commit.ci run them, an editable install's tests,
    the linters of its workflows, repo-review and cibuildwheel's plan.

    The project's `nox -s lint` is `pre-commit run --all-files`, and pre-commit
    cannot clone the hook repositories from GitHub here: the pre-commit emulation
    runs the same hooks in its place (see sequences.run_pre_commit_emulation).
    """
    work, project = check_project(session, pairing)
    sequences.cibuildwheel_plan(work, project, pairing, REGISTRY[pairing], SUPPORTED_TAGS)


@nox.session(python=MIDDLE_PYTHON, default=False, tags=[EXTENDED])
def project_checks_options_on(session: nox.Session) -> None:
    """project_checks on a project with every build option on, its `nox -s bench`
    and cibuildwheel's plan for it."""
    work, project = check_project(session, OPTIONS_ON_PAIRING, **OPTIONS_ON)
    entry = REGISTRY[OPTIONS_ON_PAIRING]
    sequences.options_on(work, project, OPTIONS_ON_PAIRING, entry, TEMPLATE.pythons)


@nox.session(name="sanitize", python=PYTHONS[-1], default=False, tags=[EXTENDED])
@nox.parametrize("pairing", SANITIZE_PAIRINGS, ids=SANITIZE_PAIRINGS)
def run_sanitize(session: nox.Session, pairing: str) -> None:
    """A project's own `nox -s sanitize` passes, and fails with the sanitizer's report
    on each defect planted in its compiled source (see template_checks/sanitize.py)."""
    session.install(*group("render"), *group("project-checks"))
    work = workspace(session)
    project = steps.render(work, ROOT, pairing)
    sanitize.check_planted_defects(work, project, REGISTRY[pairing])


@nox.session(python=PYTHONS[-1], default=False, name="compare")
def compare_pairings(session: nox.Session) -> None:
    """Measure every pairing (or those given after --) side by side: cold build,
    rebuild after a one-line edit, edit -> tests passed by the README's route,
    wheel size, import time, fib(27) against pure Python and its floor, and where
    the binding gives its bare compile, a fresh tree's `nox -s tests` against it
    (template_checks/compare.py); write docs/measurements/.
    Not in `extended`: three builds of each pairing take about an hour on 2 cores.
    Set COMPARE_RUNS for another number of builds per pairing."""
    session.install(*group("render"), *group("compare"))
    work = workspace(session)
    uv = nox.virtualenv.UV
    runs = int(os.environ.get("COMPARE_RUNS", "3"))
    results: dict[str, object] = {"machine": compare.machine(work.python)}
    rows = {}
    for pairing in session.posargs or PAIRINGS:
        session.log(f"measuring {pairing}")
        facts = REGISTRY[pairing]
        project = steps.render(work, ROOT, pairing)
        rows[pairing] = compare.measure_pairing(project, facts, work.python, uv, runs)
        # The README's edit loop, in a tree of its own: its setup makes a venv there.
        project = steps.render(work, ROOT, pairing)
        rows[pairing]["edit_loop_s"] = compare.edit_loop(
            project,
            facts["compiled_module"],
            compare.compiled_source(project, facts),
            facts["retest_after_edit"],
            readme_commands.base_python(Path(session.virtualenv.location)),
            work.fresh("edit-loop"),
            runs,
        )
        # Written after each pairing, so a long run stopped halfway keeps what it measured.
        results["pairings"] = rows
        compare.write(results, ROOT / "docs" / "measurements")
        with session.chdir(ROOT):
            session.run("python", "-m", "template_checks.compare", "docs/measurements")


def check_project(session: nox.Session, pairing: str, **answers: str) -> tuple[Workspace, Path]:
    """Render a project and run project_checks' checks but cibuildwheel's plan;
    return the workspace and the project's folder."""
    session.install(*group("render"), *group("project-checks"))
    work = workspace(session)
    actionlint = steps.install_actionlint(work, ACTIONLINT_VERSION)
    project = steps.render(work, ROOT, pairing, **answers)
    sequences.project_checks(
        work,
        project,
        pairing,
        REGISTRY[pairing],
        actionlint=actionlint,
        pre_commit_home=PRE_COMMIT_EMULATION_HOME,
    )
    return work, project


@nox.session(python=PYTHONS[0], default=False, tags=[MATRIX])
@nox.parametrize("pairing", README_PAIRINGS, ids=README_PAIRINGS)
def readme_develop(session: nox.Session, pairing: str) -> None:
    """The generated README's commands for an editable install, verbatim, on the
    oldest supported CPython with the pip its venv brings, without this machine's
    build tools (see sequences.readme_develop)."""
    session.install(*group("render"))
    work = workspace(session)
    project = steps.render(work, ROOT, pairing)
    python = readme_commands.base_python(Path(session.virtualenv.location))
    sequences.readme_develop(work, project, python)


def group(name: str) -> list[str]:
    """The requirements of a dependency group of the repository's pyproject.toml."""
    return list(nox.project.dependency_groups(PYPROJECT, name))


def workspace(session: nox.Session) -> Workspace:
    """The session as the steps of template_checks run it, with its scratch folder."""
    python = steps.venv_python(Path(session.virtualenv.location))
    return Workspace(session, python, str(session.python), Path(session.create_tmp()).resolve())


if __name__ == "__main__":
    nox.main()
