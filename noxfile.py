# /// script
# dependencies = ["nox[uv]>=2025.10.16"]
# ///
"""The template's own checks.

`nox` runs them all: lint, the fast render tests, then the `matrix` of build
sessions: every pairing rendered, built and tested on each Python of PYTHONS,
hostile answers and build options proved, and each project's own checks.
"""

from __future__ import annotations

import concurrent.futures
import email
import email.utils
import json
import os
import shlex
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import nox
from packaging.utils import parse_wheel_filename
from packaging.version import Version

nox.needs_version = ">=2025.10.16"
nox.options.default_venv_backend = "uv"
nox.options.download_python = "never"
nox.options.error_on_missing_interpreters = True

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
REGISTRY = tomllib.loads((ROOT / "templates" / "pairings.toml").read_text())
PAIRINGS = list(REGISTRY)
ACTIONLINT_VERSION = "v1.7.12"
# The oldest and newest CPython the default run builds every pairing on.
PYTHONS = ["3.11", "3.13"]
# The project checks build once more, on the CPython between them.
MIDDLE_PYTHON = "3.12"
PLATFORMS = ["linux", "macos", "windows"]
# The tag of the sessions that build projects; the `matrix` session runs them.
MATRIX = "matrix"
# One pairing for each backend that can take its version from git tags.
VERSIONING_PAIRINGS = ["pybind11-setuptools", "pybind11-scikit-build-core"]
# git with an identity, for commits in rendered projects.
GIT = ["git", "-c", "user.name=Template Tests", "-c", "user.email=tests@example.org"]
HOSTILE_ANSWERS = tomllib.loads((ROOT / "tests" / "hostile-answers.toml").read_text())


def group(name: str) -> list[str]:
    """The requirements of a dependency group of the repository's pyproject.toml."""
    return list(nox.project.dependency_groups(PYPROJECT, name))


def render(session: nox.Session, pairing: str, **answers: str) -> Path:
    """Generate a project with cookiecutter into a fresh folder; return its path."""
    output = Path(session.create_tmp()).resolve() / "rendered"
    shutil.rmtree(output, ignore_errors=True)
    extra = [f"{key}={value}" for key, value in {"pairing": pairing, **answers}.items()]
    session.run("cookiecutter", "--no-input", "--output-dir", str(output), str(ROOT), *extra)
    (project,) = output.iterdir()
    # As a user would before building: some backends (meson-python) make sdists from git.
    with session.chdir(project):
        session.run(*GIT, "init", "--quiet", external=True)
        session.run(*GIT, "add", "--all", external=True)
        session.run(*GIT, "commit", "--quiet", "--message=Generated project", external=True)
    return project


def venv_python(venv: Path) -> Path:
    scripts = "Scripts" if sys.platform == "win32" else "bin"
    return venv / scripts / "python"


def session_python(session: nox.Session) -> str:
    """The Python of the session's own virtualenv."""
    return str(venv_python(Path(session.virtualenv.location)))


def import_name_of(project: Path) -> str:
    """A rendered project's import name (its folder is the distribution name)."""
    return project.name.replace("-", "_")


@nox.session
def lint(session: nox.Session) -> None:
    """Lint and type-check the template's own code and workflows."""
    session.install(*group("lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    workflows = sorted(map(str, (ROOT / ".github" / "workflows").glob("*.yml")))
    session.run(install_actionlint(session), *workflows, external=True)
    session.run("zizmor", "--offline", "--min-severity=low", *workflows)
    session.run("check-jsonschema", "--builtin-schema", "vendor.github-workflows", *workflows)


@nox.session
def tests(session: nox.Session) -> None:
    """The fast tests: render every pairing and check the files, without compiling."""
    session.install(*group("test"))
    session.run("pytest", *session.posargs)


@nox.session(python=False)
def matrix(session: nox.Session) -> None:
    """Run the build sessions (tagged "matrix"), as many side by side as there are cores.

    Each one compiles a single small extension, mostly on one core, so running
    them side by side roughly divides the wall time by the number of cores.
    A session's output is printed whole when it ends; `nox -t matrix` runs the
    same sessions one after the other. Arguments after `--` pick sessions by name.
    """
    noxfile = str(ROOT / "noxfile.py")
    listing = subprocess.run(
        [sys.executable, "-m", "nox", "-f", noxfile, "--list", "--json", "--tags", MATRIX],
        capture_output=True,
        text=True,
        check=True,
    )
    names = [entry["session"] for entry in json.loads(listing.stdout) if MATRIX in entry["tags"]]
    # `nox -s matrix -- cffi` runs only the sessions whose name holds "cffi".
    names = [
        name for name in names if not session.posargs or any(a in name for a in session.posargs)
    ]
    logs = Path(session.create_tmp()).resolve() / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir()

    def run(index: int, name: str) -> tuple[str, int, float]:
        started = time.perf_counter()
        with (logs / f"{index:03}.log").open("w") as log:
            command = [sys.executable, "-m", "nox", "-f", noxfile, "--non-interactive", "-s", name]
            finished = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, check=False)
        return name, finished.returncode, time.perf_counter() - started

    jobs = int(os.environ.get("NOX_MATRIX_JOBS", os.cpu_count() or 1))
    failed = []
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        futures = {pool.submit(run, index, name): index for index, name in enumerate(names)}
        for future in concurrent.futures.as_completed(futures):
            name, returncode, seconds = future.result()
            print((logs / f"{futures[future]:03}.log").read_text(), flush=True)
            outcome = "passed" if returncode == 0 else "FAILED"
            session.log(f"{name} {outcome} in {seconds:.0f} s")
            if returncode:
                failed.append(name)
    if failed:
        session.error(f"{len(failed)} of {len(names)} sessions failed: {', '.join(failed)}")
    session.log(f"all {len(names)} build sessions passed, {jobs} at a time")


@nox.session(default=False)
def hypothesis_long(session: nox.Session) -> None:
    """The property-based answer tests with 1000 examples each (a few minutes)."""
    session.install(*group("test"))
    session.run(
        "pytest", "tests/test_answers.py", "-k", "any_accepted", env={"HYPOTHESIS_PROFILE": "long"}
    )


@nox.session(python=PYTHONS, default=False, tags=[MATRIX])
@nox.parametrize("pairing", PAIRINGS)
def pairing(session: nox.Session, pairing: str) -> None:
    """Render a pairing, build it once, and test that build every way a user would.

    One sdist, and one wheel built from it, serve every check: the repaired wheel
    is tested in a fresh environment as cibuildwheel would, its stub is checked
    against it, and its docs are built from it; the editable install is the one
    other build.
    """
    session.install(*group("render"), *group("wheel-checks"))
    project = render(session, pairing)
    tmp = Path(session.create_tmp()).resolve()
    python = session_python(session)

    dist = tmp / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    # uv builds the sdist, then the wheel from the unpacked sdist alone.
    started = time.perf_counter()
    session.run("uv", "build", "--python", python, "--out-dir", str(dist), str(project))
    build_seconds = time.perf_counter() - started
    session.run(
        "twine", "check", "--strict", *map(str, [*dist.glob("*.tar.gz"), *dist.glob("*.whl")])
    )
    session.run("check-wheel-contents", *map(str, dist.glob("*.whl")))
    (sdist,) = dist.glob("*.tar.gz")
    check_sdist(sdist)

    wheelhouse = tmp / "wheelhouse"
    shutil.rmtree(wheelhouse, ignore_errors=True)
    session.run(
        "auditwheel", "repair", "--wheel-dir", str(wheelhouse), *map(str, dist.glob("*.whl"))
    )
    (wheel,) = wheelhouse.glob("*.whl")
    run_cibuildwheel_test(session, project, wheel, tmp / "cibuildwheel-test")
    speedup = session.run(
        str(venv_python(tmp / "cibuildwheel-test" / "venv")),
        str(ROOT / "benchmarks" / "fib_speedup.py"),
        import_name_of(project),
        silent=True,
        external=True,
    )
    session.log(
        f"benchmark {pairing} on Python {session.python}: sdist and wheel built from "
        f"scratch in {build_seconds:.0f} s, repaired wheel {wheel.stat().st_size / 1024:.0f} KiB; "
        f"{str(speedup).strip()}"
    )

    # The stub and the docs, against the same repaired wheel.
    project_toml = nox.project.load_toml(project / "pyproject.toml")
    typing_and_docs = [
        *nox.project.dependency_groups(project_toml, "typing"),
        *nox.project.dependency_groups(project_toml, "docs"),
    ]
    session.install(str(wheel), *typing_and_docs)
    with session.chdir(project):
        # A pairing whose binding stubtest misreads ships the allowlist its project uses.
        allowlist = project / "stubtest-allowlist.txt"
        options = ["--allowlist", str(allowlist)] if allowlist.exists() else []
        session.run("python", "-m", "mypy.stubtest", f"{import_name_of(project)}._core", *options)
        session.run(
            "sphinx-build", "--fail-on-warning", "--keep-going", "-q", "docs", str(tmp / "html")
        )

    run_editable_tests(session, project, pairing, tmp / "editable")


@nox.session(python=PYTHONS[-1], default=False, tags=[MATRIX])
@nox.parametrize("answers", list(HOSTILE_ANSWERS))
def hostile_answers(session: nox.Session, answers: str) -> None:
    """Build a project from hostile answers; its wheel's METADATA holds them exactly
    and its tests pass."""
    session.install(*group("render"), *group("wheel-checks"))
    given = dict(HOSTILE_ANSWERS[answers])
    pairing, options = given.pop("pairing"), given.pop("options", {})
    # Answers given on cookiecutter's command line are rendered as Jinja; typed ones are not.
    typed = {key: "{% raw %}" + value + "{% endraw %}" for key, value in given.items()}
    project = render(session, pairing, **typed, **options)
    tmp = Path(session.create_tmp()).resolve()
    dist = tmp / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    python = session_python(session)
    session.run("uv", "build", "--python", python, "--out-dir", str(dist), str(project))
    (sdist,) = dist.glob("*.tar.gz")
    (wheel,) = dist.glob("*.whl")
    session.run("twine", "check", "--strict", str(sdist), str(wheel))
    with zipfile.ZipFile(wheel) as archive:
        (name,) = (name for name in archive.namelist() if name.endswith(".dist-info/METADATA"))
        # Core metadata is UTF-8 text in the form of e-mail headers.
        metadata = email.message_from_string(archive.read(name).decode("utf-8"))
    summary = str(metadata["Summary"])
    assert summary == given["project_short_description"], summary
    authors = email.utils.getaddresses([str(metadata["Author-email"])])
    assert authors == [(given["full_name"], given["email"])], authors
    urls = metadata.get_all("Project-URL", [])
    assert f"Homepage, {given['url']}" in urls, urls
    run_cibuildwheel_test(session, project, wheel, tmp / "cibuildwheel-test")


@nox.session(python=PYTHONS[-1], default=False, tags=[MATRIX])
@nox.parametrize("pairing", VERSIONING_PAIRINGS)
def option_versioning(session: nox.Session, pairing: str) -> None:
    """versioning=vcs: the version is the git tag's, in the sdist, in a wheel built
    from the sdist alone, in a GitHub-style source archive, and as `__version__`;
    a commit after the tag builds a .dev version above it."""
    session.install(*group("render"))
    project = render(session, pairing, versioning="vcs")
    tmp = Path(session.create_tmp()).resolve()
    python = session_python(session)
    with session.chdir(project):
        session.run(*GIT, "tag", "v1.2.3", external=True)

    # At the tag: the sdist, then a wheel built from the unpacked sdist alone.
    dist = tmp / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    session.run("uv", "build", "--python", python, "--out-dir", str(dist), str(project))
    (sdist,) = dist.glob("*.tar.gz")
    assert sdist_version(sdist) == "1.2.3", sdist
    (wheel,) = dist.glob("*.whl")
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
    from_archive = tmp / "from-archive"
    shutil.rmtree(from_archive, ignore_errors=True)
    session.run(
        "uv", "build", "--sdist", "--python", python, "--out-dir", str(from_archive), str(archive)
    )
    (sdist,) = from_archive.glob("*.tar.gz")
    assert sdist_version(sdist) == "1.2.3", sdist

    # One commit later: a wheel built from the checkout is a development version
    # after the tag.
    with session.chdir(project):
        (project / "CHANGELOG.md").write_text("# Changes\n\n- After 1.2.3.\n")
        session.run(*GIT, "add", "CHANGELOG.md", external=True)
        session.run(*GIT, "commit", "--quiet", "--message=After the tag", external=True)
    later = tmp / "later"
    shutil.rmtree(later, ignore_errors=True)
    session.run("uv", "build", "--wheel", "--python", python, "--out-dir", str(later), str(project))
    (wheel,) = later.glob("*.whl")
    version = parse_wheel_filename(wheel.name)[1]
    assert version.is_devrelease, version
    assert version > Version("1.2.3"), version
    assert installed_version(session, project, wheel, tmp / "later-venv") == str(version)


def sdist_version(sdist: Path) -> str:
    """The Version field of an sdist's PKG-INFO."""
    with tarfile.open(sdist) as tar:
        (member,) = (
            member
            for member in tar.getmembers()
            if member.name.count("/") == 1 and member.name.endswith("/PKG-INFO")
        )
        file = tar.extractfile(member)
        assert file is not None, member.name
        metadata = email.message_from_bytes(file.read())
    return str(metadata["Version"])


def installed_version(session: nox.Session, project: Path, wheel: Path, venv: Path) -> str:
    """The package's `__version__` once the wheel is installed in a fresh venv."""
    python = session_python(session)
    session.run("uv", "venv", "--quiet", "--clear", "--python", python, str(venv))
    session.run("uv", "pip", "install", "--quiet", "--python", str(venv_python(venv)), str(wheel))
    code = f"import {import_name_of(project)} as m; print(m.__version__)"
    output = session.run(str(venv_python(venv)), "-c", code, silent=True, external=True)
    return str(output).strip()


# stable_abi=yes on one pairing of each backend that supports it: setuptools,
# maturin, and scikit-build-core (whose nanobind needs CPython 3.12's Limited API).
STABLE_ABI_PAIRINGS = ["capi-setuptools", "pyo3-maturin", "nanobind-scikit-build-core"]


@nox.session(python=PYTHONS[-1], default=False, tags=[MATRIX])
@nox.parametrize("pairing", STABLE_ABI_PAIRINGS)
def option_stable_abi(session: nox.Session, pairing: str) -> None:
    """stable_abi=yes: one abi3 wheel, built on the oldest CPython the pairing's
    Limited API allows, that abi3audit passes and whose tests pass on a newer
    CPython; cibuildwheel builds it once per platform."""
    session.install(*group("render"), *group("stable-abi"))
    minimum = REGISTRY[pairing].get("abi3_minimum", "3.11")
    assert minimum != session.python, "the abi3 wheel must be tested on a later CPython"
    project = render(session, pairing, stable_abi="yes")
    tmp = Path(session.create_tmp()).resolve()
    dist = tmp / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    session.run("uv", "build", "--wheel", "--python", minimum, "--out-dir", str(dist), str(project))
    (built,) = dist.glob("*.whl")
    # A wheel's file name ends in -{python tag}-{abi tag}-{platform tag}.whl.
    python_tag, abi_tag, _ = built.name.removesuffix(".whl").rsplit("-", 3)[-3:]
    assert (python_tag, abi_tag) == (f"cp{minimum.replace('.', '')}", "abi3"), built.name
    report = json.loads(
        str(session.run("abi3audit", "--strict", "--report", str(built), silent=True))
    )
    for result in report["specs"][str(built)]["wheel"]:
        session.log(f"abi3audit {result['name']}: {result['result']}")
        assert result["result"]["is_abi3"], result
        assert not result["result"]["non_abi3_symbols"], result
    # The wheel of CPython {minimum}, tested on this session's later CPython (the
    # `pairing` session checks what auditwheel makes of each pairing's wheels).
    run_cibuildwheel_test(session, project, built, tmp / "cibuildwheel-test")

    # cibuildwheel builds the abi3 wheel once (older CPythons and PyPy their own),
    # and keeps the free-threaded builds for the `skip` line alone to decide.
    oldest_minor, minimum_minor = 11, int(minimum.split(".")[1])
    expected = {f"cp3{minor}" for minor in range(oldest_minor, minimum_minor + 1)}
    with session.chdir(project):
        for platform in PLATFORMS:
            identifiers = cibuildwheel_identifiers(session, platform)
            session.log(f"{pairing} stable_abi=yes on {platform}: {' '.join(identifiers)}")
            pythons = {identifier.split("-")[0] for identifier in identifiers}
            assert {python for python in pythons if python.startswith("cp")} == expected, pythons
            has_pypy = any(python.startswith("pp") for python in pythons)
            assert has_pypy == REGISTRY[pairing]["pypy"], pythons
        unskipped = cibuildwheel_identifiers(session, "linux", {"CIBW_SKIP": ""})
        session.log(f"{pairing} stable_abi=yes on linux without `skip`: {' '.join(unskipped)}")
        assert any(identifier.startswith("cp314t-") for identifier in unskipped), unskipped


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


# What the built module's Py_mod_gil slot says on this (GIL) CPython 3.13: the C
# API and PyO3 always write the slot; Cython writes it only when compiling for
# free-threaded CPython (tests/test_free_threading.py checks its directive).
FREE_THREADING_SLOT = {
    "capi-setuptools": "not used",
    "pyo3-maturin": "not used",
    "cython-setuptools": "absent",
}
# Prints what the Py_mod_gil slot of a module's PyModuleDef says: "not used",
# "used", or "absent" (no such slot, or a module made without a PyModuleDef).
GIL_SLOT_PROBE = """
import ctypes, importlib, sys
module = importlib.import_module(sys.argv[1])
get_def = ctypes.pythonapi.PyModule_GetDef
get_def.restype, get_def.argtypes = ctypes.c_void_p, [ctypes.py_object]
address = get_def(module)
# PyModuleDef: a 5-word base (object head, m_init, m_index, m_copy), then
# m_name, m_doc, m_size, m_methods, m_slots.
slots = ctypes.cast(address, ctypes.POINTER(ctypes.c_void_p))[9] if address else None
class Slot(ctypes.Structure):
    _fields_ = [("slot", ctypes.c_int), ("value", ctypes.c_void_p)]
found = "absent"
for slot in ctypes.cast(slots, ctypes.POINTER(Slot)) if slots else []:
    if slot.slot == 0:
        break
    if slot.slot == 4:  # Py_mod_gil; its values: 0 Py_MOD_GIL_USED, 1 Py_MOD_GIL_NOT_USED
        found = "not used" if slot.value == 1 else "used"
print(found)
"""


@nox.session(python=PYTHONS[-1], default=False, tags=[MATRIX])
@nox.parametrize("pairing", list(FREE_THREADING_SLOT))
def option_free_threading(session: nox.Session, pairing: str) -> None:
    """free_threading=yes: the wheel passes its tests, the many-threads test among
    them, its module declares that it needs no GIL, and cibuildwheel plans
    free-threaded wheels on every platform."""
    session.install(*group("render"), *group("wheel-checks"), *group("project-checks"))
    project = render(session, pairing, free_threading="yes")
    assert (project / "tests" / "test_threads.py").is_file(), "no thread test"
    tmp = Path(session.create_tmp()).resolve()
    dist = tmp / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    python = session_python(session)
    session.run("uv", "build", "--wheel", "--python", python, "--out-dir", str(dist), str(project))
    (wheel,) = dist.glob("*.whl")
    run_cibuildwheel_test(session, project, wheel, tmp / "cibuildwheel-test")
    test_python = str(venv_python(tmp / "cibuildwheel-test" / "venv"))
    module = f"{project.name.replace('-', '_')}.{REGISTRY[pairing].get('compiled_module', '_core')}"
    probe = tmp / "gil_slot_probe.py"
    probe.write_text(GIL_SLOT_PROBE, encoding="utf-8")
    slot = session.run(test_python, str(probe), module, silent=True, external=True)
    session.log(f"{pairing}: Py_mod_gil slot of {module} on CPython {session.python}: {slot}")
    assert str(slot).strip() == FREE_THREADING_SLOT[pairing], slot
    with session.chdir(project):
        for platform in PLATFORMS:
            identifiers = cibuildwheel_identifiers(session, platform)
            print(f"{pairing} free_threading=yes on {platform}: {' '.join(identifiers)}")
            free_threaded = {i.split("-")[0] for i in identifiers if i.split("-")[0].endswith("t")}
            assert "cp314t" in free_threaded, f"no free-threaded wheels on {platform}"


# What an sdist must not carry: build output, caches, compiled files, VCS data.
STRAY_IN_SDIST = ("build", "dist", "target", ".nox", "__pycache__", ".git", ".pytest_cache")
COMPILED_SUFFIXES = (".so", ".pyd", ".o", ".obj", ".dylib", ".dll")


def check_sdist(sdist: Path) -> None:
    """The sdist holds the license and build configuration and nothing stray.

    That it holds every source is shown by the wheel uv builds from it alone.
    """
    with tarfile.open(sdist) as archive:
        names = [name.split("/", 1)[1] for name in archive.getnames() if "/" in name]
    for required in ("LICENSE", "pyproject.toml", "PKG-INFO"):
        assert required in names, f"{sdist.name} lacks {required}"
    for name in names:
        parts = name.split("/")
        assert not set(parts) & set(STRAY_IN_SDIST), f"{sdist.name} holds {name}"
        assert not name.endswith(COMPILED_SUFFIXES), f"{sdist.name} holds {name}"


def run_editable_tests(session: nox.Session, project: Path, pairing: str, venv: Path) -> None:
    """`pip install -e .` into a fresh venv, then the project's tests against it.

    A backend that rebuilds on import (meson-python) keeps needing its build tools:
    the registry's `editable_requires` lists them, installed first, and the install
    then goes without build isolation, as the generated README tells users.
    """
    python = session_python(session)
    session.run("uv", "venv", "--quiet", "--clear", "--python", python, str(venv))
    project_toml = nox.project.load_toml(project / "pyproject.toml")
    build_tools = REGISTRY[pairing].get("editable_requires", [])
    install = ["uv", "pip", "install", "--quiet", "--python", str(venv_python(venv))]
    if build_tools:
        session.run(*install, *build_tools)
        install.append("--no-build-isolation")
    session.run(*install, "-e", str(project), *nox.project.dependency_groups(project_toml, "test"))
    with session.chdir(project):
        session.run(str(venv_python(venv)), "-m", "pytest", "-q", "-p", "no:cacheprovider")


def run_cibuildwheel_test(session: nox.Session, project: Path, wheel: Path, tmp: Path) -> None:
    """Install a repaired wheel into a fresh venv and run the configured test-command
    in a copy of the configured test-sources, as cibuildwheel does."""
    project_toml = nox.project.load_toml(project / "pyproject.toml")
    config = project_toml["tool"]["cibuildwheel"]
    shutil.rmtree(tmp, ignore_errors=True)
    venv, sources = tmp / "venv", tmp / "sources"
    python = session_python(session)
    session.run("uv", "venv", "--quiet", "--python", python, str(venv))
    requirements = [
        requirement
        for name in config.get("test-groups", [])
        for requirement in nox.project.dependency_groups(project_toml, name)
    ]
    session.run(
        "uv",
        "pip",
        "install",
        "--quiet",
        "--python",
        str(venv_python(venv)),
        str(wheel),
        *config.get("test-requires", []),
        *requirements,
    )
    for source in config["test-sources"]:
        target = sources / source
        if (project / source).is_dir():
            shutil.copytree(project / source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(project / source, target)
    # The test-command runs with the fresh venv first on PATH, as in cibuildwheel.
    path = os.pathsep.join([str(venv_python(venv).parent), os.environ.get("PATH", "")])
    program, *arguments = shlex.split(config["test-command"])
    with session.chdir(sources):
        session.run(
            shutil.which(program, path=path) or program,
            *arguments,
            env={"PATH": path, "VIRTUAL_ENV": str(venv)},
            external=True,
        )


@nox.session(python=MIDDLE_PYTHON, default=False, tags=[MATRIX])
@nox.parametrize("pairing", PAIRINGS)
def project_checks(session: nox.Session, pairing: str) -> None:
    """A generated project's own `nox -s lint tests` (so `pip install .`), an editable
    install's tests, the linters of its workflows, repo-review and cibuildwheel's plan."""
    project = check_project(session, pairing)
    with session.chdir(project):
        for platform in PLATFORMS:
            check_identifiers(pairing, platform, cibuildwheel_identifiers(session, platform))


# One project with every build option on, through the same checks.
OPTIONS_ON = {"stable_abi": "yes", "free_threading": "yes", "versioning": "vcs"}
OPTIONS_ON_PAIRING = "capi-setuptools"


@nox.session(python=MIDDLE_PYTHON, default=False, tags=[MATRIX])
def project_checks_options_on(session: nox.Session) -> None:
    """project_checks on a project with every build option on."""
    project = check_project(session, OPTIONS_ON_PAIRING, **OPTIONS_ON)
    with session.chdir(project):
        for platform in PLATFORMS:
            identifiers = cibuildwheel_identifiers(session, platform)
            print(f"{OPTIONS_ON_PAIRING} with {OPTIONS_ON} on {platform}: {' '.join(identifiers)}")
            pythons = {identifier.split("-")[0] for identifier in identifiers}
            assert pythons == {"cp311", "cp314t", "cp315t"}, pythons


def check_project(session: nox.Session, pairing: str, **answers: str) -> Path:
    """Render a project, then run its own lint and tests, an editable install's tests,
    repo-review, and actionlint and zizmor on its workflows; return its folder."""
    session.install(*group("render"), *group("project-checks"))
    actionlint = install_actionlint(session)
    project = render(session, pairing, **answers)
    with session.chdir(project):
        session.run("nox", "--non-interactive", "--sessions", "lint", "tests")
        # Scientific Python's repo-review: exits non-zero on any failed check.
        report = session.run("sp-repo-review", "--format=json", ".", silent=True)
        ignored = nox.project.load_toml("pyproject.toml")["tool"]["repo-review"]["ignore"]
        print_repo_review(pairing, json.loads(str(report)), ignored)
        workflows = sorted(map(str, Path(".github/workflows").glob("*.yml")))
        session.run(actionlint, *workflows, external=True)
        session.run("zizmor", "--offline", "--min-severity=low", *workflows)
    run_editable_tests(session, project, pairing, Path(session.create_tmp()).resolve() / "editable")
    return project


def print_repo_review(pairing: str, report: dict[str, Any], ignored: list[str]) -> None:
    """One line of counts, then each skipped check with its reason."""
    checks = report["checks"].values()
    passed = sum(check["result"] is True for check in checks)
    skipped = [check for check in checks if check["result"] is None]
    print(
        f"repo-review {pairing}: {passed} passed, {len(skipped)} skipped, "
        f"ignored in pyproject.toml: {', '.join(ignored)}"
    )
    for check in skipped:
        print(f"  skipped: {check['description']}: {check['skip_reason']}")


def check_identifiers(pairing: str, platform: str, identifiers: list[str]) -> None:
    """Every non-EOL CPython, PyPy where the binding supports it, no free-threaded build."""
    print(f"{pairing} on {platform}: {' '.join(identifiers)}")
    pythons = {identifier.split("-")[0] for identifier in identifiers}
    expected = {"cp311", "cp312", "cp313", "cp314", "cp315"}
    assert expected <= pythons, f"{pairing} misses CPythons on {platform}: {pythons}"
    assert not any(python.endswith("t") for python in pythons), "free-threaded build"
    assert not any(identifier.endswith("win32") for identifier in identifiers), "32-bit build"
    has_pypy = any(python.startswith("pp") for python in pythons)
    assert has_pypy == REGISTRY[pairing]["pypy"], f"PyPy builds wrong for {pairing}"


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
