# /// script
# dependencies = ["nox[uv]>=2025.10.16"]
# ///
"""The template's own checks.

`nox` runs lint, the fast render tests, then the `matrix` of build sessions:
every pairing rendered, built and tested on the newest Python, each project's
own checks, and each backend's README commands on the oldest Python.
`nox -s extended` runs the slower rest side by side: every pairing built on
the oldest Python, each build option and the hostile answers proved per
backend. The template's CI runs both, one job per session. The checks they
run live in template_checks/, tested by tests/test_checks.py.
"""

from __future__ import annotations

import email.utils
import json
import os
import shutil
import sys
import tarfile
import time
import tomllib
from pathlib import Path

import nox
from packaging.utils import parse_wheel_filename
from packaging.version import Version

# nox runs this file as a script (`pipx run nox`), without its folder on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from template_checks import cibuildwheel, compare, dist, matrix, readme_commands, selection, stubs
from template_tools import registry
from template_tools.answers import import_name

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
PLATFORMS = ["linux", "macos", "windows"]
# pytest as the sessions run it in a project's folder.
PYTEST = ["pytest", "-q", "-p", "no:cacheprovider"]
# The tags of the sessions that build projects: the `matrix` session runs the
# first (by default, within the 30 minutes the template's own CI allows), the
# `extended` session the second.
MATRIX = "matrix"
EXTENDED = "extended"
ACTIONLINT_VERSION = "v1.7.12"
# git with an identity, for commits in rendered projects.
GIT = ["git", "-c", "user.name=Template Tests", "-c", "user.email=tests@example.org"]
HOSTILE_ANSWERS = tomllib.loads((ROOT / "tests" / "hostile-answers.toml").read_text())
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
# Each option is proved on one pairing of each backend (or binding) it depends on.
VERSIONING_PAIRINGS = selection.one_per_backend(REGISTRY, "versioning")
STABLE_ABI_PAIRINGS = selection.one_per_backend(REGISTRY, "stable_abi")
GIL_SLOT_PAIRINGS = selection.one_per_binding(REGISTRY, "gil_slot_on_gil_builds")
# The README's development commands come from a pairing's backend pieces and its
# binding's language: one pairing per backend, preferring new languages.
README_PAIRINGS = selection.one_per_backend_preferring_new_languages(REGISTRY)


@nox.session
def lint(session: nox.Session) -> None:
    """Lint and type-check the template's own code and workflows."""
    session.install(*group("lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    update_workflow = rendered_update_workflow(session)
    workflows = [*sorted(map(str, (ROOT / ".github" / "workflows").glob("*.yml"))), update_workflow]
    session.run(install_actionlint(session), *workflows, external=True)
    session.run("zizmor", "--offline", "--min-severity=low", *workflows)
    session.run("check-jsonschema", "--builtin-schema", "vendor.github-workflows", *workflows)
    check_zizmor_flags_a_planted_injection(session, Path(update_workflow))


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
    """Render a pairing, build it once, and test that build every way a user would.

    One sdist, and one wheel built from it, serve every check: the repaired wheel
    is tested in a fresh environment as cibuildwheel would, the project's stub
    checks run against it (and, on the newest Python, fail on a planted wrong
    stub), and its docs are built from it. (`project_checks` installs the project
    as its own commands do: `pip install .` and the editable install.)
    """
    session.install(*group("render"), *group("wheel-checks"), PUBLISH_TWINE)
    project = render(session, pairing)
    tmp = Path(session.create_tmp()).resolve()
    started = time.perf_counter()
    sdist, built = build_dist(session, project, tmp / "dist")
    build_seconds = time.perf_counter() - started
    check_dist(session, sdist, built)

    wheelhouse = tmp / "wheelhouse"
    shutil.rmtree(wheelhouse, ignore_errors=True)
    session.run("auditwheel", "repair", "--wheel-dir", str(wheelhouse), str(built))
    (wheel,) = wheelhouse.glob("*.whl")
    test_python = run_cibuildwheel_test(session, project, wheel, tmp / "cibuildwheel-test")
    # The package reads __version__ from its installed metadata: it must be the
    # version the build backend put in the wheel's name.
    code = f"import {import_name(project.name)} as m; print(m.__version__)"
    reported = session.run(test_python, "-c", code, silent=True, external=True)
    assert str(reported).strip() == str(parse_wheel_filename(wheel.name)[1]), reported
    speedup = session.run(
        test_python,
        str(ROOT / "benchmarks" / "fib_speedup.py"),
        import_name(project.name),
        silent=True,
        external=True,
    )
    session.log(
        f"benchmark {pairing} on Python {session.python}: sdist and wheel built from "
        f"scratch in {build_seconds:.0f} s, repaired wheel {wheel.stat().st_size / 1024:.0f} KiB; "
        f"{str(speedup).strip()}"
    )

    # The stub and the docs, against the same repaired wheel.
    session.install(str(wheel), *project_group(project, "typing"), *project_group(project, "docs"))
    with session.chdir(project):
        run_stub_checks(session, project)
        # Once per pairing: its stub is the same on every Python.
        if session.python == PYTHONS[-1]:
            check_a_wrong_stub_fails(session, project)
        session.run(
            "sphinx-build", "--fail-on-warning", "--keep-going", "-q", "docs", str(tmp / "html")
        )


def run_stub_checks(session: nox.Session, project: Path) -> None:
    """The generated project's `nox -s stubtest`, on the wheel installed in the session
    (run in the project): stubtest, mypy and pytest on tests/test_types.py, and
    tests/test_stub.py where the binding has a stub generator."""
    # A pairing whose binding stubtest misreads ships the allowlist its project uses.
    allowlist = project / "stubtest-allowlist.txt"
    options = ["--allowlist", str(allowlist)] if allowlist.exists() else []
    session.run("python", "-m", "mypy.stubtest", f"{import_name(project.name)}._core", *options)
    session.run("mypy", "tests/test_types.py")
    session.run(*PYTEST, "tests/test_types.py")
    if (project / "tests" / "test_stub.py").exists():
        session.run(*PYTEST, "tests/test_stub.py")


def check_a_wrong_stub_fails(session: nox.Session, project: Path) -> None:
    """Plant a stub that declares `add` on str, in the installed package and in the
    project's sources, and expect the checks of the types to fail: mypy on
    tests/test_types.py, and tests/test_stub.py where the binding has a stub generator.
    (stubtest reads no types, and the module behaves as before.)"""
    name = import_name(project.name)
    code = f"import pathlib, {name}; print(pathlib.Path({name}.__file__).parent)"
    installed = Path(str(session.run("python", "-c", code, silent=True)).strip())
    planted = [installed / "_core.pyi", project / "src" / name / "_core.pyi"]
    # The declared types: the shipped stub, or where there is none the typed source.
    declared = planted[0] if planted[0].exists() else installed / "_core.py"
    with stubs.planted(planted, stubs.wrong_stub(declared.read_text(encoding="utf-8"))):
        mypy = str(session.run("mypy", "tests/test_types.py", success_codes=[1], silent=True))
        assert "tests/test_types.py" in mypy, mypy
        assert "[arg-type]" in mypy, mypy
        if (project / "tests" / "test_stub.py").exists():
            stub_test = session.run(*PYTEST, "tests/test_stub.py", success_codes=[1], silent=True)
            assert "is not what" in str(stub_test), stub_test
    session.log(f"a stub declaring add() on str fails the stub checks of {project.name}")


@nox.session(python=PYTHONS[-1], default=False, tags=[EXTENDED])
@nox.parametrize("answers", list(HOSTILE_ANSWERS), ids=list(HOSTILE_ANSWERS))
def hostile_answers(session: nox.Session, answers: str) -> None:
    """Build a project from hostile answers; its wheel's METADATA holds them exactly
    and its tests pass."""
    session.install(*group("render"), *group("wheel-checks"), PUBLISH_TWINE)
    given = dict(HOSTILE_ANSWERS[answers])
    pairing, options = given.pop("pairing"), given.pop("options", {})
    # Answers given on cookiecutter's command line are rendered as Jinja; typed ones are not.
    typed = {key: "{% raw %}" + value + "{% endraw %}" for key, value in given.items()}
    project = render(session, pairing, **typed, **options)
    tmp = Path(session.create_tmp()).resolve()
    sdist, wheel = build_dist(session, project, tmp / "dist")
    session.run("twine", "check", "--strict", str(sdist), str(wheel))
    metadata = dist.wheel_metadata(wheel)
    assert str(metadata["Summary"]) == given["project_short_description"], metadata["Summary"]
    authors = email.utils.getaddresses([str(metadata["Author-email"])])
    assert authors == [(given["full_name"], given["email"])], authors
    urls = metadata.get_all("Project-URL", [])
    assert f"Homepage, {given['url']}" in urls, urls
    run_cibuildwheel_test(session, project, wheel, tmp / "cibuildwheel-test")


@nox.session(python=PYTHONS[-1], default=False, tags=[EXTENDED])
@nox.parametrize("pairing", VERSIONING_PAIRINGS, ids=VERSIONING_PAIRINGS)
def option_versioning(session: nox.Session, pairing: str) -> None:
    """versioning=vcs: the version is the git tag's, in the sdist, in a wheel built
    from the sdist alone, in a GitHub-style source archive, and as `__version__`;
    a commit after the tag builds a .dev version above it."""
    session.install(*group("render"))
    project = render(session, pairing, versioning="vcs")
    tmp = Path(session.create_tmp()).resolve()
    with session.chdir(project):
        session.run(*GIT, "tag", "v1.2.3", external=True)

    # At the tag: the sdist, then a wheel built from the unpacked sdist alone.
    sdist, wheel = build_dist(session, project, tmp / "dist")
    assert dist.sdist_metadata(sdist)["Version"] == "1.2.3", sdist
    assert str(parse_wheel_filename(wheel.name)[1]) == "1.2.3", wheel.name
    assert installed_version(session, project, wheel, tmp / "tagged") == "1.2.3"

    # At the tag, without git: `git archive` (what GitHub serves as a release's
    # source archive) fills in .git_archival.txt, from which the sdist learns the tag.
    archive = tmp / "archive"
    shutil.rmtree(archive, ignore_errors=True)
    archive.mkdir()
    with session.chdir(project):
        session.run("git", "archive", "--output", str(tmp / "archive.tar"), "v1.2.3", external=True)
    with tarfile.open(tmp / "archive.tar") as tar:
        tar.extractall(archive, filter="data")
    (sdist,) = build_dist(session, archive, tmp / "from-archive", "--sdist")
    assert dist.sdist_metadata(sdist)["Version"] == "1.2.3", sdist

    # One commit later: a wheel built from the checkout is a development version
    # after the tag.
    with session.chdir(project):
        (project / "CHANGELOG.md").write_text("# Changes\n\n- After 1.2.3.\n")
        session.run(*GIT, "add", "CHANGELOG.md", external=True)
        session.run(*GIT, "commit", "--quiet", "--message=After the tag", external=True)
    (wheel,) = build_dist(session, project, tmp / "later", "--wheel")
    version = parse_wheel_filename(wheel.name)[1]
    assert version.is_devrelease, version
    assert version > Version("1.2.3"), version
    assert installed_version(session, project, wheel, tmp / "later-venv") == str(version)


@nox.session(python=PYTHONS[-1], default=False, tags=[EXTENDED])
@nox.parametrize("pairing", STABLE_ABI_PAIRINGS, ids=STABLE_ABI_PAIRINGS)
def option_stable_abi(session: nox.Session, pairing: str) -> None:
    """stable_abi=yes: one abi3 wheel, built on the oldest CPython the pairing's
    Limited API allows, that abi3audit passes and whose tests pass on a newer
    CPython; cibuildwheel builds it once per platform."""
    session.install(*group("render"), *group("stable-abi"))
    minimum = REGISTRY[pairing]["abi3_minimum"]
    assert minimum != session.python, "the abi3 wheel must be tested on a later CPython"
    project = render(session, pairing, stable_abi="yes")
    tmp = Path(session.create_tmp()).resolve()
    (built,) = build_dist(session, project, tmp / "dist", "--wheel", python=minimum)
    assert dist.wheel_tags(built)[:2] == (f"cp{minimum.replace('.', '')}", "abi3"), built.name
    report = json.loads(
        str(session.run("abi3audit", "--strict", "--report", str(built), silent=True))
    )
    for result in report["specs"][str(built)]["wheel"]:
        session.log(f"abi3audit {result['name']}: {result['result']}")
        assert result["result"]["is_abi3"], result
        assert not result["result"]["non_abi3_symbols"], result
    # The wheel of CPython {minimum}, tested on this session's later CPython (the
    # `build` sessions check what auditwheel makes of each pairing's wheels).
    run_cibuildwheel_test(session, project, built, tmp / "cibuildwheel-test")

    # cibuildwheel builds the abi3 wheel once (older CPythons and PyPy their own),
    # and keeps the free-threaded builds for the `skip` line alone to decide.
    with session.chdir(project):
        for platform in PLATFORMS:
            identifiers = cibuildwheel_identifiers(session, platform)
            session.log(f"{pairing} stable_abi=yes on {platform}: {' '.join(identifiers)}")
            pythons = cibuildwheel.python_tags(identifiers)
            assert {python for python in pythons if python.startswith("cp")} == abi3_tags(pairing)
            assert any(python.startswith("pp") for python in pythons) == REGISTRY[pairing]["pypy"]
        unskipped = cibuildwheel_identifiers(session, "linux", {"CIBW_SKIP": ""})
        session.log(f"{pairing} stable_abi=yes on linux without `skip`: {' '.join(unskipped)}")
        assert any(identifier.startswith("cp314t-") for identifier in unskipped), unskipped


@nox.session(python=PYTHONS[-1], default=False, tags=[EXTENDED])
@nox.parametrize("pairing", GIL_SLOT_PAIRINGS, ids=GIL_SLOT_PAIRINGS)
def option_free_threading(session: nox.Session, pairing: str) -> None:
    """free_threading=yes: the wheel passes its tests, the many-threads test among
    them, its module says what its binding declares about the GIL, and
    cibuildwheel plans free-threaded wheels on every platform."""
    session.install(*group("render"), *group("wheel-checks"), *group("project-checks"))
    project = render(session, pairing, free_threading="yes")
    assert (project / "tests" / "test_threads.py").is_file(), "no thread test"
    tmp = Path(session.create_tmp()).resolve()
    (wheel,) = build_dist(session, project, tmp / "dist", "--wheel")
    test_python = run_cibuildwheel_test(session, project, wheel, tmp / "cibuildwheel-test")
    module = f"{import_name(project.name)}.{REGISTRY[pairing]['compiled_module']}"
    probe = ROOT / "template_checks" / "gil_slot_probe.py"
    slot = str(session.run(test_python, str(probe), module, silent=True, external=True)).strip()
    session.log(f"{pairing}: Py_mod_gil slot of {module} on CPython {session.python}: {slot}")
    assert slot == REGISTRY[pairing]["gil_slot_on_gil_builds"], slot
    with session.chdir(project):
        for platform in PLATFORMS:
            identifiers = cibuildwheel_identifiers(session, platform)
            session.log(f"{pairing} free_threading=yes on {platform}: {' '.join(identifiers)}")
            assert "cp314t" in cibuildwheel.python_tags(identifiers), platform


@nox.session(python=MIDDLE_PYTHON, default=False, tags=[MATRIX])
@nox.parametrize("pairing", PAIRINGS, ids=PAIRINGS)
def project_checks(session: nox.Session, pairing: str) -> None:
    """A generated project's own `nox -s tests` (so `pip install .`), its pre-commit
    hooks as pre-commit and pre-commit.ci run them, an editable install's tests,
    the linters of its workflows, repo-review and cibuildwheel's plan.

    The project's `nox -s lint` is `pre-commit run --all-files`, and pre-commit
    cannot clone the hook repositories from GitHub here: the pre-commit emulation
    runs the same hooks in its place (see `run_pre_commit_emulation`).
    """
    project = check_project(session, pairing)
    with session.chdir(project):
        for platform in PLATFORMS:
            identifiers = cibuildwheel_identifiers(session, platform)
            session.log(f"{pairing} on {platform}: {' '.join(identifiers)}")
            pypy = REGISTRY[pairing]["pypy"]
            problems = cibuildwheel.plan_problems(identifiers, SUPPORTED_TAGS, pypy, False)
            assert not problems, f"{pairing} on {platform}: {problems}"


@nox.session(python=MIDDLE_PYTHON, default=False, tags=[EXTENDED])
def project_checks_options_on(session: nox.Session) -> None:
    """project_checks on a project with every build option on, and its `nox -s bench`
    (which times the compiled and the pure-Python fib)."""
    project = check_project(session, OPTIONS_ON_PAIRING, **OPTIONS_ON)
    with session.chdir(project):
        bench = str(session.run("nox", "--non-interactive", "-s", "bench", "--", "20", silent=True))
        timings = [line for line in bench.splitlines() if line.endswith(" per loop")]
        session.log("bench: " + "; ".join(timings))
        assert len(timings) == 2, bench
        for platform in PLATFORMS:
            identifiers = cibuildwheel_identifiers(session, platform)
            session.log(f"{OPTIONS_ON_PAIRING} with {OPTIONS_ON} on {platform}: {identifiers}")
            pythons = cibuildwheel.python_tags(identifiers)
            # One abi3 build (and older CPythons' own), and free-threaded CPythons' own.
            assert {
                python for python in pythons if python.startswith("cp") and not python.endswith("t")
            } == abi3_tags(OPTIONS_ON_PAIRING), pythons
            assert {"cp314t", "cp315t"} <= pythons, pythons
            pypy = any(python.startswith("pp") for python in pythons)
            assert pypy == REGISTRY[OPTIONS_ON_PAIRING]["pypy"], pythons


@nox.session(python=PYTHONS[-1], default=False, name="compare")
def compare_pairings(session: nox.Session) -> None:
    """Measure every pairing (or those given after --) side by side: cold build,
    rebuild after a one-line edit, wheel size, import time, fib(27) against pure
    Python and its floor (template_checks/compare.py); write docs/measurements/.
    Not in `extended`: three builds of each pairing take about an hour on 2 cores.
    Set COMPARE_RUNS for another number of builds per pairing."""
    session.install(*group("render"), *group("compare"))
    runs = int(os.environ.get("COMPARE_RUNS", "3"))
    results: dict[str, object] = {"machine": compare.machine(session_python(session))}
    rows = {}
    for pairing in session.posargs or PAIRINGS:
        session.log(f"measuring {pairing}")
        project = render(session, pairing)
        (package,) = (path for path in (project / "src").iterdir() if path.is_dir())
        source = REGISTRY[pairing]["compiled_source"].replace(
            "{{cookiecutter.__import_name}}", package.name
        )
        floor = REGISTRY[pairing]["floor"]
        python = session_python(session)
        rows[pairing] = compare.measure(
            project, package.name, source, floor, python, nox.virtualenv.UV, runs
        )
        # Written after each pairing, so a long run stopped halfway keeps what it measured.
        results["pairings"] = rows
        compare.write(results, ROOT / "docs" / "measurements")
        with session.chdir(ROOT):
            session.run("python", "-m", "template_checks.compare", "docs/measurements")


def group(name: str) -> list[str]:
    """The requirements of a dependency group of the repository's pyproject.toml."""
    return list(nox.project.dependency_groups(PYPROJECT, name))


def project_group(project: Path, name: str) -> list[str]:
    """The requirements of a dependency group of a rendered project."""
    return list(
        nox.project.dependency_groups(nox.project.load_toml(project / "pyproject.toml"), name)
    )


def abi3_tags(pairing: str) -> set[str]:
    """The CPython tags of the wheels cibuildwheel builds with stable_abi=yes."""
    return selection.abi3_tags(TEMPLATE.pythons, REGISTRY[pairing]["abi3_minimum"])


def render(session: nox.Session, pairing: str, **answers: str) -> Path:
    """Generate a project with cookiecutter into a fresh folder; return its path."""
    output = Path(session.create_tmp()).resolve() / "rendered"
    shutil.rmtree(output, ignore_errors=True)
    extra = [f"{key}={value}" for key, value in {"pairing": pairing, **answers}.items()]
    session.run("cookiecutter", "--no-input", "--output-dir", str(output), str(ROOT), *extra)
    (project,) = output.iterdir()
    # As a user would before building: some backends make sdists from git.
    with session.chdir(project):
        session.run(*GIT, "init", "--quiet", external=True)
        session.run(*GIT, "add", "--all", external=True)
        session.run(*GIT, "commit", "--quiet", "--message=Generated project", external=True)
    return project


def session_python(session: nox.Session) -> str:
    """The Python of the session's own virtualenv."""
    return str(venv_python(Path(session.virtualenv.location)))


def venv_python(venv: Path) -> str:
    return str(venv / ("Scripts" if sys.platform == "win32" else "bin") / "python")


def build_dist(
    session: nox.Session, project: Path, out: Path, *kinds: str, python: str = ""
) -> list[Path]:
    """`uv build` into a fresh folder: the sdist, then the wheel from the unpacked
    sdist alone (or only `--sdist` or `--wheel`); return the sdist, then the wheel."""
    shutil.rmtree(out, ignore_errors=True)
    python = python or session_python(session)
    session.run("uv", "build", *kinds, "--python", python, "--out-dir", str(out), str(project))
    return [*out.glob("*.tar.gz"), *out.glob("*.whl")]


def check_dist(session: nox.Session, sdist: Path, wheel: Path) -> None:
    """What PyPI's upload and installers will accept, and nothing stray in the sdist."""
    session.run("twine", "check", "--strict", str(sdist), str(wheel))
    session.run("check-wheel-contents", str(wheel))
    problems = dist.sdist_problems(sdist)
    assert not problems, problems


def installed_version(session: nox.Session, project: Path, wheel: Path, venv: Path) -> str:
    """The package's `__version__` once the wheel is installed in a fresh venv."""
    session.run("uv", "venv", "--quiet", "--clear", "--python", session_python(session), str(venv))
    session.run("uv", "pip", "install", "--quiet", "--python", venv_python(venv), str(wheel))
    code = f"import {import_name(project.name)} as m; print(m.__version__)"
    return str(session.run(venv_python(venv), "-c", code, silent=True, external=True)).strip()


def run_cibuildwheel_test(session: nox.Session, project: Path, wheel: Path, tmp: Path) -> str:
    """Install a wheel into a fresh venv and run the configured test-command in a
    copy of the configured test-sources, as cibuildwheel does; return the venv's Python."""
    plan = cibuildwheel.test_plan(project)
    shutil.rmtree(tmp, ignore_errors=True)
    venv, sources = tmp / "venv", tmp / "sources"
    session.run("uv", "venv", "--quiet", "--python", session_python(session), str(venv))
    install = ["uv", "pip", "install", "--quiet", "--python", venv_python(venv)]
    session.run(*install, str(wheel), *plan.requirements)
    cibuildwheel.copy_test_sources(project, plan.sources, sources)
    # The test-command runs with the fresh venv first on PATH, as in cibuildwheel.
    path = os.pathsep.join([str(Path(venv_python(venv)).parent), os.environ.get("PATH", "")])
    program, *arguments = plan.command
    with session.chdir(sources):
        session.run(
            shutil.which(program, path=path) or program,
            *arguments,
            env={"PATH": path, "VIRTUAL_ENV": str(venv)},
            external=True,
        )
    return venv_python(venv)


def run_editable_tests(session: nox.Session, project: Path, pairing: str, venv: Path) -> None:
    """`pip install -e .` into a fresh venv, then the project's tests against it.

    A backend that rebuilds on import keeps needing its build tools: the
    registry's `editable_requires` lists them, installed first, and the install
    then goes without build isolation, as the generated README tells users.
    """
    session.run("uv", "venv", "--quiet", "--clear", "--python", session_python(session), str(venv))
    install = ["uv", "pip", "install", "--quiet", "--python", venv_python(venv)]
    if build_tools := REGISTRY[pairing]["editable_requires"]:
        session.run(*install, *build_tools)
        install.append("--no-build-isolation")
    session.run(*install, "-e", str(project), *project_group(project, "test"))
    with session.chdir(project):
        session.run(venv_python(venv), "-m", "pytest", "-q", "-p", "no:cacheprovider")


def check_project(session: nox.Session, pairing: str, **answers: str) -> Path:
    """Render a project, then run its own tests, its pre-commit hooks, an editable
    install's tests, repo-review, and actionlint and zizmor on its workflows;
    return its folder."""
    session.install(*group("render"), *group("project-checks"))
    actionlint = install_actionlint(session)
    project = render(session, pairing, **answers)
    with session.chdir(project):
        session.run("nox", "--non-interactive", "--sessions", "tests")
    run_pre_commit_emulation(session, project)
    with session.chdir(project):
        # Scientific Python's repo-review: exits non-zero on any failed check.
        report = json.loads(str(session.run("sp-repo-review", "--format=json", ".", silent=True)))
        checks = report["checks"].values()
        skipped = [check for check in checks if check["result"] is None]
        ignored = nox.project.load_toml("pyproject.toml")["tool"]["repo-review"]["ignore"]
        session.log(
            f"repo-review {pairing}: {sum(check['result'] is True for check in checks)} passed, "
            f"{len(skipped)} skipped, ignored in pyproject.toml: {', '.join(ignored)}"
        )
        for check in skipped:
            session.log(f"  skipped: {check['description']}: {check['skip_reason']}")
        workflows = sorted(map(str, Path(".github/workflows").glob("*.yml")))
        session.run(actionlint, *workflows, external=True)
        session.run("zizmor", "--offline", "--min-severity=low", *workflows)
    run_editable_tests(session, project, pairing, Path(session.create_tmp()).resolve() / "editable")
    return project


def run_pre_commit_emulation(session: nox.Session, project: Path) -> None:
    """The project's pre-commit hooks at their pinned versions, with stand-ins for
    the hook repositories: on every file (what the project's `nox -s lint` runs),
    on a commit that touches only tests/, and as pre-commit.ci runs them."""
    with session.chdir(ROOT):
        session.run(
            "python",
            "-m",
            "template_checks.precommit_emulation",
            str(project),
            "--home",
            str(PRE_COMMIT_EMULATION_HOME),
            "all-files",
            "tests-only-commit",
            "pre-commit-ci",
        )


@nox.session(python=PYTHONS[0], default=False, tags=[MATRIX])
@nox.parametrize("pairing", README_PAIRINGS, ids=README_PAIRINGS)
def readme_develop(session: nox.Session, pairing: str) -> None:
    """The generated README's commands for an editable install, verbatim, on the
    oldest supported CPython with the pip its venv brings, without this machine's
    build tools (see template_checks/readme_commands.py): the
    first block ends with the tests passing, and they pass again after a rebuild
    recipe where the README has one."""
    session.install(*group("render"))
    project = render(session, pairing)
    blocks = readme_commands.development_blocks((project / "README.md").read_text("utf-8"))
    assert blocks, "no console block after 'For an editable install'"
    assert blocks[0].splitlines()[-1] == "pytest", blocks[0]
    scratch = Path(session.create_tmp()).resolve() / "readme"
    shutil.rmtree(scratch, ignore_errors=True)
    python = readme_commands.base_python(Path(session.virtualenv.location))
    result = readme_commands.run_blocks(project, blocks, python, scratch)
    if result.returncode:
        session.error(f"a README command failed (exit code {result.returncode})")


def cibuildwheel_identifiers(
    session: nox.Session, platform: str, env: dict[str, str] | None = None
) -> list[str]:
    """The wheels cibuildwheel would build for the project in the current folder."""
    output = session.run(
        "cibuildwheel",
        "--print-build-identifiers",
        "--platform",
        platform,
        ".",
        silent=True,
        env=env or {},
    )
    return str(output).split()


def rendered_update_workflow(session: nox.Session) -> str:
    """The template-update workflow, as copier renders it (only projects that record their
    template get it, so the project checks' cookiecutter renders lack it; cruft's is the
    same file, tests/test_copier_cruft.py checks that)."""
    project = Path(session.create_tmp()).resolve() / "made-by-copier"
    shutil.rmtree(project, ignore_errors=True)
    session.run("copier", "copy", "--trust", "--defaults", "--quiet", str(ROOT), str(project))
    return str(project / ".github" / "workflows" / "template-update.yml")


def check_zizmor_flags_a_planted_injection(session: nox.Session, workflow: Path) -> None:
    """zizmor, run as above, must flag an expression planted in the update step's script,
    or its clean report proves nothing."""
    text = workflow.read_text(encoding="utf-8")
    script_start = "        run: |\n"
    assert text.count(script_start) == 1, "the update workflow has no single script to plant in"
    planted = Path(session.create_tmp()).resolve() / "planted-injection.yml"
    injection = '          echo "${{ github.event.head_commit.message }}"\n'
    planted.write_text(text.replace(script_start, script_start + injection), encoding="utf-8")
    report = session.run(
        "zizmor",
        "--offline",
        "--min-severity=low",
        str(planted),
        silent=True,
        success_codes=[0, *range(10, 15)],
    )
    assert "template-injection" in str(report), f"zizmor missed the planted injection:\n{report}"


def install_actionlint(session: nox.Session) -> str:
    """Build actionlint with Go into the session (its PyPI wheel downloads it from GitHub)."""
    bin_dir = Path(session.virtualenv.location).resolve() / "bin"
    session.run(
        "go",
        "install",
        f"github.com/rhysd/actionlint/cmd/actionlint@{ACTIONLINT_VERSION}",
        env={"GOBIN": str(bin_dir)},
        external=True,
    )
    return str(bin_dir / "actionlint")


if __name__ == "__main__":
    nox.main()
