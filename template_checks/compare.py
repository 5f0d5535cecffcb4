"""Every pairing measured side by side: build times, wheel size, import time, fib speed.

For each pairing `measure` renders a fresh project and times, with `uv build --wheel`
(the build sessions' command) after one warm-up build so downloads are excluded:
the cold build (a fresh copy of the rendered tree), the rebuild after a one-line edit
of the compiled source (a plain rebuild in the same tree, reusing whatever build
folders the backend keeps), the wheel's size, the import time in fresh interpreters,
and fib(27) compiled, in pure Python, and as the floor: the same recursion compiled
by the compiler alone, optimised, called through ctypes in turn with the compiled
fib, in one process. Each figure is the median of several runs with its min and max.
`edit_loop` times the README's route from an edit of the compiled source to tests
passed; `fresh_against_bare` a fresh tree's `nox -s tests` against the binding's bare
compile. `write` saves JSON, a Markdown table and a plot.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from template_checks import readme_commands
from template_tools.answers import import_name

N = 27
# The floors: the same recursion, no binding. A binding compiling typed Python
# keeps Python ints as tagged words (the value shifted left; a set low bit marks
# a boxed int), so its floor, "tagged", does the same operations on them: the tag
# and overflow checks of every comparison, difference and sum, with the slow path
# (a boxed int, never met here) out of line, and the error check after every call.
TAGGED_FLOOR = """typedef long long tagged;
#define ERROR ((tagged)1)
static tagged boxed(tagged a, tagged b) { (void)b; return a | 1; }
static tagged (*volatile slow_path)(tagged, tagged) = boxed;
static tagged subtract(tagged a, tagged b) {
  tagged r;
  if ((a & 1) || __builtin_sub_overflow(a, b, &r)) return slow_path(a, b);
  return r;
}
static tagged add(tagged a, tagged b) {
  tagged r;
  if (((a | b) & 1) || __builtin_add_overflow(a, b, &r)) return slow_path(a, b);
  return r;
}
static tagged fib_tagged(tagged n) {
  if ((n & 1) ? slow_path(n, 2) != 0 : n <= 2) return n;
  tagged a = fib_tagged(subtract(n, 2));
  if (a == ERROR) return ERROR;
  tagged b = fib_tagged(subtract(n, 4));
  if (b == ERROR) return ERROR;
  return add(a, b);
}
long long fib(long long n) { return fib_tagged(n * 2) / 2; }
"""
FLOOR_SOURCES = {
    "c": "long long fib(long long n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\n",
    "tagged": TAGGED_FLOOR,
    "rust": (
        '#[no_mangle]\npub extern "C" fn fib(n: i64) -> i64 {\n'
        "    if n < 2 { n } else { fib(n - 1) + fib(n - 2) }\n}\n"
    ),
}
# The one-line edit: the recursion's base case, written the other way round.
EDITS = [("n < 2", "n <= 1"), ("n <= 1", "n < 2")]
FIGURES = [
    "cold_build_s",
    "rebuild_s",
    "edit_loop_s",
    "import_ms",
    "fib_ms",
    "pure_ms",
    "floor_ms",
]


def spread(samples: Sequence[float]) -> dict[str, float]:
    """The median of the samples, with their min and max."""
    if not samples:
        raise ValueError("no samples")
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples)}


def edit_one_line(text: str) -> str:
    """The source with the first line holding fib's base case rewritten."""
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        for old, new in EDITS:
            if old in line:
                lines[index] = line.replace(old, new, 1)
                return "".join(lines)
    raise ValueError("no line with fib's base case")


def parse_importtime(stderr: str, module: str) -> float:
    """The cumulative import time of `module`, in ms, from `python -X importtime`."""
    for line in reversed(stderr.splitlines()):
        parts = [part.strip() for part in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2] == module:
            return int(parts[1]) / 1000
    raise ValueError(f"{module} not in the import times")


def timed(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Run a command; return its wall time in seconds."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def build_floor(kind: str, folder: Path) -> Path:
    """Compile the floor into a shared library; return its path."""
    source = folder / ("floor.rs" if kind == "rust" else "floor.c")
    source.write_text(FLOOR_SOURCES[kind])
    library = folder / "libfloor.so"
    if kind == "rust":
        command = ["rustc", "-O", "--crate-type", "cdylib", "-o", str(library), str(source)]
    else:
        command = ["cc", "-O3", "-shared", "-fPIC", "-o", str(library), str(source)]
    subprocess.run(command, check=True, capture_output=True)
    return library


# Run in the pairing's venv: times its compiled fib and the floor (through ctypes)
# in turn, call after call, so both meet the same load; then pure Python. As JSON.
SPEED_SCRIPT = """
import ctypes, json, time
from {module} import fib
floor = ctypes.CDLL({library!r}).fib
floor.argtypes, floor.restype = [ctypes.c_longlong], ctypes.c_longlong
def pure(n):
    return n if n < 2 else pure(n - 1) + pure(n - 2)
def once(f):
    t = time.perf_counter(); f({n}); return (time.perf_counter() - t) * 1000
assert fib({n}) == floor({n}) == pure({n}), "another fib"
pairs = [(once(fib), once(floor)) for _ in range({repeat})]
print(json.dumps({{
    "fib_ms": [a for a, _ in pairs],
    "floor_ms": [b for _, b in pairs],
    "pure_ms": [once(pure) for _ in range({pure_repeat})],
}}))
"""


def speed(python: str, module: str, library: Path, repeat: int = 30) -> dict[str, list[float]]:
    """fib(N) compiled, its floor and pure Python, timed by `python` (ms per call)."""
    script = SPEED_SCRIPT.format(
        module=module, library=str(library), n=N, repeat=repeat, pure_repeat=5
    )
    output = subprocess.run([python, "-c", script], check=True, capture_output=True)
    samples: dict[str, list[float]] = json.loads(output.stdout)
    return samples


def measure(
    project: Path, module: str, source: str, floor: str, python: str, uv: str, runs: int = 3
) -> dict[str, Any]:
    """Every figure of one rendered project (left untouched), `runs` times each,
    built by `python` with the uv at `uv`."""
    work = Path(tempfile.mkdtemp(prefix="compare-"))
    try:
        build = [uv, "build", "--wheel", "--python", python, "--out-dir", "dist", "."]
        tree = work / "warm-up"
        shutil.copytree(project, tree)
        timed(build, tree)
        cold = []
        for run in range(runs):
            tree = work / f"cold-{run}"
            shutil.copytree(project, tree)
            cold.append(timed(build, tree))
        rebuild = []
        for _ in range(runs):
            path = tree / source
            path.write_text(edit_one_line(path.read_text()))
            rebuild.append(timed(build, tree))
        (wheel,) = (tree / "dist").glob("*.whl")
        venv = work / "venv"
        subprocess.run([uv, "venv", "-q", "--python", python, str(venv)], check=True)
        venv_python = str(venv / "bin" / "python")
        install = [uv, "pip", "install", "-q", "--python", venv_python, str(wheel)]
        subprocess.run(install, check=True)
        imports = []
        for _ in range(max(5, runs)):
            command = [venv_python, "-X", "importtime", "-c", f"import {module}"]
            result = subprocess.run(command, check=True, capture_output=True, text=True)
            imports.append(parse_importtime(result.stderr, module))
        timings = speed(venv_python, module, build_floor(floor, work))
        return {
            "cold_build_s": spread(cold),
            "rebuild_s": spread(rebuild),
            "wheel_kib": wheel.stat().st_size / 1024,
            "import_ms": spread(imports),
            "fib_ms": spread(timings["fib_ms"]),
            "pure_ms": spread(timings["pure_ms"]),
            "floor_ms": spread(timings["floor_ms"]),
            "floor": floor,
            "runs": runs,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def fresh_against_bare(
    project: Path,
    python: str,
    uv: str,
    nox: Sequence[str],
    bare_compile: str,
    build_requires: Sequence[str],
    runs: int = 3,
) -> dict[str, Any]:
    """Fresh tree to tested, `nox -s tests` in a fresh copy of the project with the
    package cache warm, against the binding's bare compile of the same sources (a
    shell command run in a copy, with the build requirements on PATH), timed in turn."""
    work = Path(tempfile.mkdtemp(prefix="compare-fresh-"))
    try:
        venv = work / "build-requirements"
        subprocess.run([uv, "venv", "-q", "--python", python, str(venv)], check=True)
        if build_requires:
            install = [uv, "pip", "install", "-q", "--python", str(venv / "bin" / "python")]
            subprocess.run([*install, *build_requires], check=True)
        env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
        tests = [*nox, "-s", "tests", "--force-python", python]
        warm_up = work / "warm-up"
        shutil.copytree(project, warm_up)
        timed(tests, warm_up)
        fresh: list[float] = []
        bare: list[float] = []
        for run in range(runs):
            shutil.copytree(project, work / f"bare-{run}")
            bare.append(timed(["bash", "-c", bare_compile], work / f"bare-{run}", env))
            shutil.copytree(project, work / f"fresh-{run}")
            fresh.append(timed(tests, work / f"fresh-{run}"))
        return {"fresh_to_tested_s": spread(fresh), "bare_compile_s": spread(bare)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def compiled_source(project: Path, facts: dict[str, Any]) -> str:
    """The project path of the source holding fib, in a rendered project."""
    return str(facts["compiled_source"]).replace(
        "{{cookiecutter.__import_name}}", import_name(project.name)
    )


def measure_pairing(
    project: Path, facts: dict[str, Any], python: str, uv: str, runs: int = 3
) -> dict[str, Any]:
    """Every figure of one rendered pairing (`facts`: its registry view), with the
    fresh-tree figures where its binding gives its bare compile."""
    source = compiled_source(project, facts)
    row = measure(project, import_name(project.name), source, facts["floor"], python, uv, runs)
    if facts["bare_compile"]:
        nox_command = [python, "-m", "nox"]
        requirements = facts["build_requires"]
        bare = facts["bare_compile"]
        row |= fresh_against_bare(project, python, uv, nox_command, bare, requirements, runs)
    return row


def version_line(command: Sequence[str]) -> str:
    """The first line a tool prints about its version ("" when it is missing)."""
    try:
        result = subprocess.run(command, check=True, capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError):
        return ""
    return result.stdout.splitlines()[0] if result.stdout else ""


def cpu_model(cpuinfo: str) -> str:
    """The CPU model from /proc/cpuinfo's text."""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name":
            return value.strip()
    return platform.processor()


def machine(python: str) -> dict[str, Any]:
    """What the numbers were measured on."""
    cpuinfo = Path("/proc/cpuinfo")
    return {
        "cpu": cpu_model(cpuinfo.read_text() if cpuinfo.exists() else ""),
        "cores": os.cpu_count(),
        "os": platform.platform(),
        "python": version_line([python, "--version"]),
        "cc": version_line(["cc", "--version"]),
        "c++": version_line(["c++", "--version"]),
        "rustc": version_line(["rustc", "--version"]),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def figure(value: dict[str, float], digits: int) -> str:
    """A median with its spread, e.g. `1.23 (1.20 to 1.30)`."""
    return f"{value['median']:.{digits}f} ({value['min']:.{digits}f} to {value['max']:.{digits}f})"


def fresh_against_bare_cells(row: dict[str, Any]) -> str:
    """The fresh-tree, bare-compile and ratio cells (dashes where not measured)."""
    if "fresh_to_tested_s" not in row:
        return "- | - | -"
    ratio = row["fresh_to_tested_s"]["median"] / row["bare_compile_s"]["median"]
    fresh, bare = figure(row["fresh_to_tested_s"], 1), figure(row["bare_compile_s"], 1)
    return f"{fresh} | {bare} | {ratio:.2f}"


def table(results: dict[str, Any]) -> str:
    """The Markdown page: the machine and date, then one row per pairing."""
    info = results["machine"]
    lines = [
        (
            f"Measured {info['date']} on {info['cpu']} ({info['cores']} cores), {info['os']}, "
            f"{info['python']}; medians with (min to max)."
        ),
        "",
        (
            "| pairing | cold build (s) | rebuild after a one-line edit (s) "
            "| edit -> tests passed, README route (s) | wheel (KiB) "
            "| import (ms) | fib(27) (ms) | pure Python (ms) | floor (ms) | fib / floor "
            "| fresh tree to tested (s) | bare compile (s) | fresh / bare |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for pairing, row in results["pairings"].items():
        ratio = row["fib_ms"]["median"] / row["floor_ms"]["median"]
        lines.append(
            f"| {pairing} | {figure(row['cold_build_s'], 1)} | {figure(row['rebuild_s'], 1)} "
            f"| {figure(row['edit_loop_s'], 1)} "
            f"| {row['wheel_kib']:.0f} | {figure(row['import_ms'], 2)} "
            f"| {figure(row['fib_ms'], 3)} | {figure(row['pure_ms'], 1)} "
            f"| {figure(row['floor_ms'], 3)} ({row['floor']}) | {ratio:.2f} "
            f"| {fresh_against_bare_cells(row)} |"
        )
    return "\n".join(lines) + "\n"


def plot(results: dict[str, Any], path: Path) -> None:
    """Bars per pairing, the spread as error bars: build times and fib against its floor."""
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    names = list(results["pairings"])
    rows = list(results["pairings"].values())
    panels = [("cold_build_s", "cold build (s)"), ("rebuild_s", "rebuild after an edit (s)")]
    panels += [("edit_loop_s", "edit -> tests passed (s)")]
    panels += [("fib_ms", "fib(27) compiled (ms)"), ("floor_ms", "fib(27) floor (ms)")]
    figure_, axes = plt.subplots(len(panels), 1, figsize=(9, 3 * len(panels)), sharex=True)
    for axis, (key, label) in zip(axes, panels, strict=True):
        medians = [row[key]["median"] for row in rows]
        low = [row[key]["median"] - row[key]["min"] for row in rows]
        high = [row[key]["max"] - row[key]["median"] for row in rows]
        axis.bar(names, medians, yerr=[low, high], capsize=3)
        axis.set_ylabel(label)
    axes[-1].tick_params(axis="x", labelrotation=60)
    figure_.suptitle(f"Measured {results['machine']['date']}, {results['machine']['cpu']}")
    figure_.tight_layout()
    figure_.savefig(path, dpi=80)
    plt.close(figure_)


def write(results: dict[str, Any], folder: Path) -> list[Path]:
    """compare.json and compare.md in `folder`; return their paths. (The plot is
    drawn by `python -m template_checks.compare FOLDER`, where matplotlib is.)"""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"compare.{kind}" for kind in ("json", "md")]
    paths[0].write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    paths[1].write_text(table(results))
    return paths


# The edit loop: the README's route from an edit of the compiled source to tests passed.


def compiled_files(project: Path) -> dict[Path, int]:
    """Every compiled library under `project` but its .venv (the extension module,
    and any library it loads, such as a binding's shared runtime), with its modification
    time in ns: where the editable install runs them from, in the tree or a build
    folder."""
    return {
        path: path.stat().st_mtime_ns
        for path in project.rglob("*")
        if path.suffix in {".so", ".pyd", ".dylib"}
        and path.is_file()
        and ".venv" not in path.relative_to(project).parts
    }


def time_retest(project: Path, module: str, source: str, script: str, env: dict[str, str]) -> float:
    """Edit one line of `source`, run `script` (bash, in `project`) and return its
    wall time in seconds. It fails unless the script succeeds and rewrites a compiled
    library (of `module`, named in errors): a route that skips the rebuild and tests
    the old code fails."""
    path = project / source
    before = compiled_files(project)
    if not before:
        raise RuntimeError(f"no built file of {module} under {project}: set up the route first")
    path.write_text(edit_one_line(path.read_text()))
    start = time.perf_counter()
    subprocess.run(
        ["bash", "-e", "-c", script], cwd=project, env=env, check=True, capture_output=True
    )
    elapsed = time.perf_counter() - start
    if compiled_files(project) == before:
        raise RuntimeError(f"`{script.strip()}` left every built file of {module} as it was")
    return elapsed


def edit_loop(
    project: Path, module: str, source: str, retest: str, python: Path, scratch: Path, runs: int
) -> dict[str, float]:
    """Edit -> tests passed, following the README of `project` (changed in place):
    its editable-install blocks once, in a new .venv, then per run one edit of
    `source` and its last block, which must be the registry's `retest`."""
    blocks = readme_commands.development_blocks((project / "README.md").read_text("utf-8"))
    if not blocks or blocks[-1].strip() != retest:
        raise ValueError(f"the README's last development block is not `{retest}`")
    result = readme_commands.run_blocks(project, blocks[:-1], python, scratch, capture=True)
    if result.returncode:
        raise RuntimeError(f"the README's setup failed:\n{result.stdout}{result.stderr}")
    env = readme_commands.user_environment(python, scratch)
    script = f"{readme_commands.ACTIVATE}\n{retest}\n"
    # One run first: the first rebuild may build what the install left for later.
    time_retest(project, module, source, script, env)
    return spread([time_retest(project, module, source, script, env) for _ in range(runs)])


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    plot(json.loads((folder / "compare.json").read_text()), folder / "compare.png")
