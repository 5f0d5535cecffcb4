{%- set pairing = pairing_info(cookiecutter.pairing) -%}
#!/usr/bin/env -S uv run --script
# /// script
# dependencies = ["nox>=2025.2.9"]
# ///
"""Development tasks. `nox` runs lint and tests; `nox -s NAME` runs one session."""

from __future__ import annotations

import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")


def group(name: str) -> list[str]:
    """The requirements of a dependency group of pyproject.toml."""
    return list(nox.project.dependency_groups(PYPROJECT, name))


@nox.session
def lint(session: nox.Session) -> None:
    """Run the hooks of .pre-commit-config.yaml on every file, at its pinned versions."""
    session.install("pre-commit")
    session.run("pre-commit", "run", "--all-files", "--show-diff-on-failure")


@nox.session
def tests(session: nox.Session) -> None:
    """Build and install the package, then run the tests (pytest arguments after --)."""
    session.install(".", *group("test"))
    session.run("pytest", *session.posargs)


@nox.session(default=False)
def stubtest(session: nox.Session) -> None:
    """Check the types the built package declares against its compiled module."""
    session.install(".", *group("typing"))
    # Names and parameters, where the module reports them.
    session.run(
        "python",
        "-m",
        "mypy.stubtest",
        "{{ cookiecutter.__import_name }}._core",
        {%- if project_file("stubtest-allowlist.txt") %}
        "--allowlist",
        "stubtest-allowlist.txt",
        {%- endif %}
    )
    # Types: mypy checks the calls of tests/test_types.py against the installed
    # package, and pytest runs them.
    session.run("mypy", "tests/test_types.py")
    session.run("pytest", "tests/test_types.py")
    {%- if pairing.stub_generator %}
    # The stub is the one {{ pairing.stub_generator.name }} writes.
    session.run("pytest", "tests/test_stub.py")
    {%- endif %}


@nox.session(default=False)
def docs(session: nox.Session) -> None:
    """Build the documentation into docs/_build/html, treating warnings as errors."""
    session.install(".", *group("docs"))
    session.run(
        "sphinx-build", "--fail-on-warning", "--keep-going", "docs", "docs/_build/html"
    )


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Time the compiled fib against the same recursion in pure Python
    (the argument after -- is n; default 25)."""
    session.install(".")
    n = session.posargs[0] if session.posargs else "25"
    compiled = "from {{ cookiecutter.__import_name }} import fib"
    pure = "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)"
    for name, setup in [("compiled", compiled), ("pure Python", pure)]:
        session.log(f"fib({n}), {name}:")
        session.run("python", "-m", "timeit", "--setup", setup, f"fib({n})")


@nox.session(default=False)
def build(session: nox.Session) -> None:
    """Build the sdist and a wheel into dist/ and check them."""
    shutil.rmtree(ROOT / "dist", ignore_errors=True)
    session.install("build[uv]", "check-wheel-contents", "twine")
    session.run("python", "-m", "build", "--installer=uv")
    session.run("twine", "check", "--strict", *map(str, ROOT.glob("dist/*")))
    session.run("check-wheel-contents", *map(str, ROOT.glob("dist/*.whl")))

{%- if not pairing.sanitize_refused %}


@nox.session(default=False)
def sanitize(session: nox.Session) -> None:
    """Build with AddressSanitizer and UndefinedBehaviorSanitizer (Linux, gcc), then
    run the tests with their runtime loaded (pytest arguments after --)."""
    session.install(*group("test"))
    {%- if pairing.fresh_build_from_tree %}
    # {{ pairing.backend }} builds this tree afresh, in a new temporary folder.
    package = "."
    {%- else %}
    # From a fresh sdist, so that the build folder {{ pairing.backend }} keeps in this
    # tree is not used: it holds code compiled without the sanitizers, and code
    # compiled with them would break the later builds that reuse it.
    sdist = Path(session.create_tmp()).resolve() / "sdist"
    shutil.rmtree(sdist, ignore_errors=True)
    session.install("build[uv]")
    session.run("python", "-m", "build", "--sdist", "--installer=uv", "-o", str(sdist))
    (package,) = map(str, sdist.glob("*.tar.gz"))
    {%- endif %}
    flags = "-fsanitize=address,undefined -fno-sanitize-recover=undefined"
    # No cache: no wheel built without the sanitizers is reused.
    session.install(
        package,
        env={
            "CFLAGS": f"{flags} -fno-omit-frame-pointer -g",
            "CXXFLAGS": f"{flags} -fno-omit-frame-pointer -g",
            "LDFLAGS": "-fsanitize=address,undefined",
            "UV_NO_CACHE": "1",
            "PIP_NO_CACHE_DIR": "1",
        },
    )
    # CPython is not built with the sanitizers: their runtime must load first
    {%- if "cpp" in pairing.languages %}
    # (and the C++ runtime, or it cannot intercept C++ exceptions)
    {%- endif %}.
    preload = [
        str(session.run("cc", f"-print-file-name={name}", silent=True, external=True))
        for name in ["libasan.so"{% if "cpp" in pairing.languages %}, "libstdc++.so"{% endif %}]
    ]
    # The sanitizers write their report to file descriptor 2, which pytest's
    # default capture would swallow when they end the run.
    session.run(
        "pytest",
        "--capture=sys",
        *session.posargs,
        env={
            "LD_PRELOAD": " ".join(path.strip() for path in preload),
            # CPython leaves objects allocated at exit by design.
            "ASAN_OPTIONS": "detect_leaks=0",
            "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
            # Python's objects from malloc, where AddressSanitizer watches them.
            "PYTHONMALLOC": "malloc",
        },
    )
{%- endif %}


if __name__ == "__main__":
    nox.main()
