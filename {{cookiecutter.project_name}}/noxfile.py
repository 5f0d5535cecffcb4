{%- set pairing = pairing_info(cookiecutter.pairing) -%}
#!/usr/bin/env -S uv run --script
# /// script
# dependencies = ["nox>=2025.2.9"]
# ///
"""Development tasks. `nox` runs lint and tests; `nox -s NAME` runs one session."""

from __future__ import annotations

{% if pairing.coverage.cargo_install -%}
import shlex
{% endif -%}
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
def coverage(session: nox.Session) -> None:
    """Build with coverage, run the tests, and write the Python and native lines
    covered as Cobertura XML: {{ pairing.coverage.reports | join(" and ") }}."""
    session.install(*group("coverage"))
    {%- if pairing.coverage.tool == "cargo-llvm-cov" and not pairing.coverage.refused %}
    session.run("rustup", "component", "add", "llvm-tools-preview", external=True)
    cargo_llvm_cov = "{{ pairing.coverage.cargo_install }}"
    session.run("cargo", "install", "--locked", cargo_llvm_cov, external=True)
    # cargo-llvm-cov's environment makes cargo instrument the build, and says
    # where the profiles go; cleared of an earlier run's first.
    session.run("cargo", "llvm-cov", "clean", "--workspace", external=True)
    shown = session.run(
        "cargo", "llvm-cov", "show-env", "--sh", silent=True, external=True
    )
    env: dict[str, str] = {}
    for line in str(shown).splitlines():
        if line.startswith("export "):
            key, _, value = shlex.split(line)[1].partition("=")
            env[key] = value
    {%- else %}
    # A fresh build: no object file of an uninstrumented one is reused.
    shutil.rmtree(ROOT / "{{ pairing.coverage_build_dir }}", ignore_errors=True)
    flags = "{{ "" if pairing.coverage.refused else pairing.coverage.flags }}"
    env = {"CFLAGS": flags, "CXXFLAGS": flags, "LDFLAGS": flags}
    {%- endif %}
    # uv would reuse a wheel it built before; pip caches none of a local folder.
    env["UV_NO_CACHE"] = "1"
    session.install(
        {%- for setting in pairing.coverage_config_settings %}
        "--config-settings={{ setting }}",
        {%- endfor %}
        ".",
        env=env,
    )
    {%- if pairing.coverage_generated_c %}
    # Cython, run in the build folder, names the .pyx by its module path
    # ("{{ cookiecutter.__import_name }}/{{ pairing.compiled_module }}.pyx"): coverage.py looks that name up along
    # sys.path, so src/ goes last on it; and its Cython plugin reads the
    # generated C beside the .pyx.
    code = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site = Path(str(session.run("python", "-c", code, silent=True)).strip())
    (site / "_coverage_sources.pth").write_text(f"{ROOT / 'src'}\n")
    (generated,) = ROOT.glob("{{ pairing.coverage_generated_c }}")
    package = ROOT / "src" / "{{ cookiecutter.__import_name }}"
    shutil.copyfile(generated, package / "{{ pairing.compiled_module }}.c")
    {%- endif %}
    session.run("coverage", "run", "-m", "pytest", *session.posargs, env=env)
    session.run("coverage", "combine")
    session.run("coverage", "xml", "-o", "coverage-python.xml")
    {%- if pairing.coverage.refused %}
    # {{ ("No native lines: " ~ pairing.coverage.refused ~ ".") | wordwrap(74, wrapstring="\n    # ") }}
    {%- elif pairing.coverage.tool == "gcovr" %}
    # Only src/: the headers of the build's isolated environment are gone by now.
    session.run(
        "gcovr",
        "--gcov-ignore-errors=source_not_found",
        {%- if pairing.gcov_object_directory %}
        "--gcov-object-directory",
        "{{ pairing.gcov_object_directory }}",
        {%- endif %}
        "--filter",
        "src/",
        "--cobertura",
        "coverage-native.xml",
        "{{ pairing.coverage_build_dir }}",
    )
    {%- elif pairing.coverage.tool == "cargo-llvm-cov" %}
    # The build backend built the release profile.
    session.run(
        "cargo",
        "llvm-cov",
        "report",
        "--release",
        "--cobertura",
        "--output-path",
        "coverage-native.xml",
        env=env,
        external=True,
    )
    {%- endif %}


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
    install_sanitized(session, "address,undefined", "-fno-sanitize-recover=undefined")
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
{%- if cookiecutter.free_threading == "yes" %}


@nox.session(default=False)
def tsan(session: nox.Session) -> None:
    """Build with ThreadSanitizer (Linux, gcc) and run the thread tests on a
    free-threaded CPython built with it: `nox -s tsan --force-python PYTHON`, PYTHON
    made by CPython's `./configure --disable-gil --with-thread-sanitizer`."""
    code = "import sysconfig; print(sysconfig.get_config_var('CONFIG_ARGS'))"
    configured = session.run("python", "-c", code, silent=True)
    if "--with-thread-sanitizer" not in str(configured):
        session.error(f"{session.python} is not built --with-thread-sanitizer")
    install_sanitized(session, "thread")
    session.run(
        "pytest",
        "--capture=sys",
        "tests/test_threads.py",
        *session.posargs,
        env={"TSAN_OPTIONS": "halt_on_error=1"},
    )
{%- endif %}


def install_sanitized(session: nox.Session, sanitizers: str, *flags: str) -> None:
    """Install the test requirements and the package compiled with the sanitizers
    (gcc's -fsanitize=SANITIZERS) and the other flags given."""
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
    sanitize = f"-fsanitize={sanitizers}"
    compile_flags = " ".join([sanitize, *flags, "-fno-omit-frame-pointer", "-g"])
    # No cache: no wheel built without the sanitizers is reused.
    session.install(
        package,
        env={
            "CFLAGS": compile_flags,
            "CXXFLAGS": compile_flags,
            "LDFLAGS": sanitize,
            "UV_NO_CACHE": "1",
            "PIP_NO_CACHE_DIR": "1",
        },
    )
{%- endif %}


if __name__ == "__main__":
    nox.main()
