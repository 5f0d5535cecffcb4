"""What each of the template's build sessions checks on a rendered project, in order.

The noxfile renders a project and hands it here with a `steps.Workspace`;
tests/test_sequences.py runs these sequences with a runner that records the
commands and answers for them.
"""

from __future__ import annotations

import email.utils
import json
import tarfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nox.project
from packaging.utils import parse_wheel_filename
from packaging.version import Version

from template_checks import cibuildwheel, dist, readme_commands, selection, steps
from template_checks.steps import GIT, ZIZMOR, Workspace
from template_tools.answers import import_name

PLATFORMS = ["linux", "macos", "windows"]
ROOT = Path(__file__).resolve().parent.parent
GIL_SLOT_PROBE = ROOT / "template_checks" / "gil_slot_probe.py"
FIB_SPEEDUP = ROOT / "benchmarks" / "fib_speedup.py"


def build(work: Workspace, project: Path, pairing: str, *, plant_defects: bool) -> None:
    """Build the project once, and test that build every way a user would.

    One sdist, and one wheel built from it, serve every check: the repaired wheel
    is tested in a fresh environment as cibuildwheel would, the project's stub
    checks run against it, and its docs are built from it. With `plant_defects`, the
    stub checks fail on a planted wrong stub and the docs build on a broken link.
    """
    run = work.runner.run
    started = time.perf_counter()
    sdist, built = steps.build_dist(work, project, work.tmp / "dist")
    build_seconds = time.perf_counter() - started
    steps.check_dist(work, sdist, built)

    wheelhouse = work.fresh("wheelhouse")
    run("auditwheel", "repair", "--wheel-dir", str(wheelhouse), str(built))
    (wheel,) = wheelhouse.glob("*.whl")
    test_python = steps.run_cibuildwheel_test(work, project, wheel, work.tmp / "cibuildwheel-test")
    # The package reads __version__ from its installed metadata: it must be the
    # version the build backend put in the wheel's name.
    reported = steps.version(work, test_python, project)
    assert reported == str(parse_wheel_filename(wheel.name)[1]), reported
    speedup = run(
        test_python, str(FIB_SPEEDUP), import_name(project.name), silent=True, external=True
    )
    work.runner.log(
        f"benchmark {pairing} on Python {work.python_version}: sdist and wheel built from "
        f"scratch in {build_seconds:.0f} s, repaired wheel {wheel.stat().st_size / 1024:.0f} KiB; "
        f"{str(speedup).strip()}"
    )

    # The stub and the docs, against the same repaired wheel.
    work.runner.install(str(wheel), *steps.group(project, "typing", "docs"))
    steps.run_stub_checks(work, project)
    if plant_defects:
        steps.check_a_wrong_stub_fails(work, project)
    with work.runner.chdir(project):
        run(*steps.SPHINX_BUILD, str(work.tmp / "html"))
    if plant_defects:
        steps.check_a_broken_docs_link_fails(work, project, work.tmp / "html-with-a-broken-link")


def hostile_answers(work: Workspace, project: Path, given: Mapping[str, str]) -> None:
    """The wheel's METADATA holds the answers exactly, and its tests pass."""
    sdist, wheel = steps.build_dist(work, project, work.tmp / "dist")
    work.runner.run("twine", "check", "--strict", str(sdist), str(wheel))
    metadata = dist.wheel_metadata(wheel)
    assert str(metadata["Summary"]) == given["project_short_description"], metadata["Summary"]
    authors = email.utils.getaddresses([str(metadata["Author-email"])])
    assert authors == [(given["full_name"], given["email"])], authors
    urls = metadata.get_all("Project-URL", [])
    assert f"Homepage, {given['url']}" in urls, urls
    steps.run_cibuildwheel_test(work, project, wheel, work.tmp / "cibuildwheel-test")


def option_versioning(work: Workspace, project: Path) -> None:
    """versioning=vcs: the version is the git tag's, in the sdist, in a wheel built
    from the sdist alone, in a GitHub-style source archive, and as `__version__`;
    a commit after the tag builds a .dev version above it."""
    run, tmp = work.runner.run, work.tmp
    with work.runner.chdir(project):
        run(*GIT, "tag", "v1.2.3", external=True)

    # At the tag: the sdist, then a wheel built from the unpacked sdist alone.
    sdist, wheel = steps.build_dist(work, project, tmp / "dist")
    assert dist.sdist_metadata(sdist)["Version"] == "1.2.3", sdist
    assert str(parse_wheel_filename(wheel.name)[1]) == "1.2.3", wheel.name
    assert steps.installed_version(work, project, wheel, tmp / "tagged") == "1.2.3"

    # At the tag, without git: `git archive` (what GitHub serves as a release's
    # source archive) fills in .git_archival.txt, from which the sdist learns the tag.
    archive = work.fresh("archive")
    archive.mkdir()
    with work.runner.chdir(project):
        run("git", "archive", "--output", str(tmp / "archive.tar"), "v1.2.3", external=True)
    with tarfile.open(tmp / "archive.tar") as tar:
        tar.extractall(archive, filter="data")
    (sdist,) = steps.build_dist(work, archive, tmp / "from-archive", "--sdist")
    assert dist.sdist_metadata(sdist)["Version"] == "1.2.3", sdist

    # One commit later: a wheel built from the checkout is a development version
    # after the tag.
    with work.runner.chdir(project):
        (project / "CHANGELOG.md").write_text("# Changes\n\n- After 1.2.3.\n")
        run(*GIT, "add", "CHANGELOG.md", external=True)
        run(*GIT, "commit", "--quiet", "--message=After the tag", external=True)
    (wheel,) = steps.build_dist(work, project, tmp / "later", "--wheel")
    version = parse_wheel_filename(wheel.name)[1]
    assert version.is_devrelease, version
    assert version > Version("1.2.3"), version
    assert steps.installed_version(work, project, wheel, tmp / "later-venv") == str(version)


def option_stable_abi(
    work: Workspace, project: Path, pairing: str, entry: Mapping[str, Any], pythons: list[str]
) -> None:
    """stable_abi=yes: one abi3 wheel, built on the oldest CPython the pairing's
    Limited API allows (`entry` is its registry entry), that abi3audit passes and
    whose tests pass on the workspace's later CPython; cibuildwheel builds it once
    per platform, for the supported `pythons`."""
    minimum = entry["abi3_minimum"]
    assert minimum != work.python_version, "the abi3 wheel must be tested on a later CPython"
    tmp = work.tmp
    (built,) = steps.build_dist(work, project, tmp / "dist", "--wheel", python=minimum)
    assert dist.wheel_tags(built)[:2] == (f"cp{minimum.replace('.', '')}", "abi3"), built.name
    audit = work.runner.run("abi3audit", "--strict", "--report", str(built), silent=True)
    for result in json.loads(str(audit))["specs"][str(built)]["wheel"]:
        work.runner.log(f"abi3audit {result['name']}: {result['result']}")
        assert result["result"]["is_abi3"], result
        assert not result["result"]["non_abi3_symbols"], result
    # The wheel of CPython {minimum}, tested on this later CPython (the `build`
    # sessions check what auditwheel makes of each pairing's wheels).
    steps.run_cibuildwheel_test(work, project, built, tmp / "cibuildwheel-test")

    # cibuildwheel builds the abi3 wheel once (older CPythons and PyPy their own),
    # and keeps the free-threaded builds for the `skip` line alone to decide.
    abi3_tags = selection.abi3_tags(pythons, minimum)
    for platform in PLATFORMS:
        identifiers = steps.cibuildwheel_identifiers(work.runner, project, platform)
        work.runner.log(f"{pairing} stable_abi=yes on {platform}: {' '.join(identifiers)}")
        tags = cibuildwheel.python_tags(identifiers)
        assert {tag for tag in tags if tag.startswith("cp")} == abi3_tags, identifiers
        assert any(tag.startswith("pp") for tag in tags) == entry["pypy"], identifiers
    unskipped = steps.cibuildwheel_identifiers(work.runner, project, "linux", {"CIBW_SKIP": ""})
    work.runner.log(f"{pairing} stable_abi=yes on linux without `skip`: {' '.join(unskipped)}")
    assert any(identifier.startswith("cp314t-") for identifier in unskipped), unskipped


def option_free_threading(
    work: Workspace, project: Path, pairing: str, entry: Mapping[str, Any]
) -> None:
    """free_threading=yes: the wheel passes its tests, the many-threads test among
    them, its module says what its binding declares about the GIL (`entry` is the
    pairing's registry entry), and cibuildwheel plans free-threaded wheels on
    every platform."""
    assert (project / "tests" / "test_threads.py").is_file(), "no thread test"
    (wheel,) = steps.build_dist(work, project, work.tmp / "dist", "--wheel")
    python = steps.run_cibuildwheel_test(work, project, wheel, work.tmp / "cibuildwheel-test")
    module = f"{import_name(project.name)}.{entry['compiled_module']}"
    slot = work.runner.run(python, str(GIL_SLOT_PROBE), module, silent=True, external=True)
    slot = str(slot).strip()
    work.runner.log(
        f"{pairing}: Py_mod_gil slot of {module} on CPython {work.python_version}: {slot}"
    )
    assert slot == entry["gil_slot_on_gil_builds"], slot
    for platform in PLATFORMS:
        identifiers = steps.cibuildwheel_identifiers(work.runner, project, platform)
        work.runner.log(f"{pairing} free_threading=yes on {platform}: {' '.join(identifiers)}")
        assert "cp314t" in cibuildwheel.python_tags(identifiers), platform


def project_checks(
    work: Workspace,
    project: Path,
    pairing: str,
    entry: Mapping[str, Any],
    *,
    actionlint: str,
    pre_commit_home: Path,
) -> None:
    """The project's own `nox -s tests`, its pre-commit hooks (see
    `run_pre_commit_emulation`), repo-review, actionlint (at path `actionlint`) and
    zizmor on its workflows, and an editable install's tests (`entry` is the
    pairing's registry entry)."""
    run = work.runner.run
    with work.runner.chdir(project):
        run("nox", "--non-interactive", "--sessions", "tests")
    run_pre_commit_emulation(work, project, pre_commit_home)
    with work.runner.chdir(project):
        # Scientific Python's repo-review: exits non-zero on any failed check.
        report = json.loads(str(run("sp-repo-review", "--format=json", ".", silent=True)))
        checks = report["checks"].values()
        skipped = [check for check in checks if check["result"] is None]
        ignored = nox.project.load_toml(project / "pyproject.toml")["tool"]["repo-review"]["ignore"]
        work.runner.log(
            f"repo-review {pairing}: {sum(check['result'] is True for check in checks)} passed, "
            f"{len(skipped)} skipped, ignored in pyproject.toml: {', '.join(ignored)}"
        )
        for check in skipped:
            work.runner.log(f"  skipped: {check['description']}: {check['skip_reason']}")
        workflows = sorted(map(str, Path(".github/workflows").glob("*.yml")))
        run(actionlint, *workflows, external=True)
        run(*ZIZMOR, *workflows)
    steps.run_editable_tests(work, project, entry["editable_requires"], work.tmp / "editable")


def run_pre_commit_emulation(work: Workspace, project: Path, home: Path) -> None:
    """The project's pre-commit hooks at their pinned versions, with stand-ins for
    the hook repositories (built once under `home`): on every file (what the
    project's `nox -s lint` runs), on a commit that touches only tests/, and as
    pre-commit.ci runs them."""
    with work.runner.chdir(ROOT):
        work.runner.run(
            "python",
            "-m",
            "template_checks.precommit_emulation",
            str(project),
            "--home",
            str(home),
            "all-files",
            "tests-only-commit",
            "pre-commit-ci",
        )


def cibuildwheel_plan(
    work: Workspace, project: Path, pairing: str, entry: Mapping[str, Any], supported: set[str]
) -> None:
    """cibuildwheel plans a wheel for each `supported` CPython tag on every
    platform, and PyPy's where the pairing's registry `entry` says."""
    for platform in PLATFORMS:
        identifiers = steps.cibuildwheel_identifiers(work.runner, project, platform)
        work.runner.log(f"{pairing} on {platform}: {' '.join(identifiers)}")
        problems = cibuildwheel.plan_problems(identifiers, supported, entry["pypy"], False)
        assert not problems, f"{pairing} on {platform}: {problems}"


def options_on(
    work: Workspace,
    project: Path,
    pairing: str,
    entry: Mapping[str, Any],
    pythons: list[str],
) -> None:
    """A project with every build option on: its `nox -s bench` times the compiled
    and the pure-Python fib, and cibuildwheel plans one abi3 build (and older
    CPythons' own), and free-threaded CPythons' own."""
    with work.runner.chdir(project):
        run = work.runner.run
        bench = str(run("nox", "--non-interactive", "-s", "bench", "--", "20", silent=True))
    timings = [line for line in bench.splitlines() if line.endswith(" per loop")]
    work.runner.log("bench: " + "; ".join(timings))
    assert len(timings) == 2, bench
    abi3_tags = selection.abi3_tags(pythons, entry["abi3_minimum"])
    for platform in PLATFORMS:
        identifiers = steps.cibuildwheel_identifiers(work.runner, project, platform)
        work.runner.log(f"{pairing} with every option on {platform}: {identifiers}")
        tags = cibuildwheel.python_tags(identifiers)
        gil_cpythons = {tag for tag in tags if tag.startswith("cp") and not tag.endswith("t")}
        assert gil_cpythons == abi3_tags, tags
        assert {"cp314t", "cp315t"} <= tags, tags
        assert any(tag.startswith("pp") for tag in tags) == entry["pypy"], tags


def readme_develop(work: Workspace, project: Path, python: Path) -> None:
    """The README's commands for an editable install, verbatim, with `python` (a
    CPython outside any virtualenv) and without this machine's build tools (see
    readme_commands): the first block ends with the tests passing, and they pass
    again after a rebuild recipe where the README has one."""
    blocks = readme_commands.development_blocks((project / "README.md").read_text("utf-8"))
    assert blocks, "no console block after 'For an editable install'"
    assert blocks[0].splitlines()[-1] == "pytest", blocks[0]
    result = readme_commands.run_blocks(project, blocks, python, work.fresh("readme"))
    assert not result.returncode, f"a README command failed (exit code {result.returncode})"


def lint_workflows(work: Workspace, template: Path, workflows: list[Path], actionlint: str) -> None:
    """actionlint (at path `actionlint`), zizmor and the workflow schema on the
    template's `workflows` and the update workflow copier renders; zizmor must
    flag an injection planted in the latter."""
    update_workflow = steps.rendered_update_workflow(work, template)
    paths = [*map(str, workflows), str(update_workflow)]
    work.runner.run(actionlint, *paths, external=True)
    work.runner.run(*ZIZMOR, *paths)
    work.runner.run("check-jsonschema", "--builtin-schema", "vendor.github-workflows", *paths)
    steps.check_zizmor_flags_a_planted_injection(work, update_workflow)
