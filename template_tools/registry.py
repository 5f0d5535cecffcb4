"""The registry: what the template supports, read from templates/.

Three levels state facts, each in its own folder:

- a binding (`templates/bindings/<id>/binding.toml`): the tool that exposes the
  compiled code to Python, and what that tool can and cannot do;
- a backend (`templates/backends/<id>/backend.toml`): the build backend that
  compiles it;
- a pairing (`templates/pairings/<binding>-<backend>/pairing.toml`): which
  binding and backend it joins, and only what is truly its own.

`templates/registry.toml` lists the pairings, the supported Pythons and the
platforms beyond the desktop. `load` merges the levels into one view per
pairing, which the Jinja extension, the answer rules, the noxfile and the tests
all read. A key may be stated at one level only, so every fact lives once; only
requirement lists and refusals add up.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from template_tools.answers import OPTIONS

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
LEVELS = ("binding", "backend", "pairing")

# Every key a level may state, with the value a pairing has when no level does.
# None marks a key that some level must state.
KEYS: dict[str, dict[str, Any]] = {
    "binding": {
        "name": None,  # as shown to users
        "prompt": None,  # the binding's half of the `pairing` question's answer
        "languages": None,  # source languages besides Python: "c", "cpp", "cython", "rust"
        # What `add` computes in: "int64" (a sum beyond 64 bits raises OverflowError)
        # or "python-int" (Python's unbounded ints: every sum is exact).
        "int_model": None,
        "pypy": None,  # PyPy wheels can be built
        "python_source": False,  # `_core` is typed Python, its own stub (no _core.pyi)
        "inspect_signature": True,  # compiled functions carry __text_signature__
        "runtime_docstrings": True,  # compiled functions keep their docstrings
        "module_all": False,  # the compiled module defines __all__ (so must its stub)
        # The binding's own stub generator, which tests/test_stub.py runs to check
        # the shipped stub: `name`; `requirement`, which the test group installs
        # (pinned: another release may write another stub); `command`, its module
        # and arguments as `python -m` takes them, with "{module}" and "{output_dir}"
        # to fill in (the test calls that module's main() with the arguments).
        "stub_generator": {},
        "compiled_module": "_core",  # the extension module inside the package
        # The project path of the source holding fib, which the compare session edits.
        "compiled_source": None,
        # The floor fib is compared with: the same recursion, compiled alone and
        # optimised ("c", "rust", or "tagged": on Python ints kept as tagged words).
        "floor": None,
        # The binding's own command-line build of its sources (as its docs give it),
        # a shell command run in the project; the compare session times it beside
        # a fresh tree's `nox -s tests` ("" where the binding documents none).
        "bare_compile": "",
        "runtime_dependencies": [],  # PEP 508 requirements at run time
        "test_requires": [],  # what the tests need besides pytest
        "abi3_minimum": "",  # oldest CPython of its stable_abi=yes wheel (default: oldest)
        "wheel_exclude": [],  # package files the wheel leaves out (their sources)
        # What the module's Py_mod_gil slot says when built for a GIL CPython with
        # free_threading=yes: "not used" where the binding always writes it,
        # "absent" where it writes it only for free-threaded builds ("": unknown).
        "gil_slot_on_gil_builds": "",
        # Where its sources say, with free_threading=yes, that the module needs no
        # GIL: {file = project path, yes = that text, no = the text of `no` if any};
        # empty where every module the binding makes says so by itself.
        "gil_free_declaration": {},
        # The oldest macOS its compiled module can target, where that is newer than
        # cibuildwheel's default for Intel wheels of older CPythons ("": no need).
        "macos_deployment_target": "",
        # Why its projects have no `sanitize` session, a build with AddressSanitizer
        # and UndefinedBehaviorSanitizer ("": they have one).
        "sanitize_refused": "",
        # Where the template's sanitize check plants its defects: {file = project
        # path, line = a line of fib's recursion, with `n` (a 64-bit integer >= 0)
        # in scope}; empty where it plants none.
        "sanitize_plant": {},
        # How the `coverage` session reports the native lines (COVERAGE_KEYS):
        # `tool`, "gcovr" (gcov of a build with `flags`), "coverage.py" (the
        # binding's own line tracing, by its coverage.py `plugin`, in the Python
        # report) or "cargo-llvm-cov" (`cargo_install`, the crate at its version);
        # `line_tracing`, the C flag turning on a binding's own line tracing, which
        # its build files test for (the session's `flags` start with it);
        # `requires`, what the coverage group adds;
        # `source`, the native source, and `add` and `fib`, how their definitions
        # start there (the template checks look for them in the report); or only
        # `refused`, why no native lines are reported.
        "coverage": {"tool": "gcovr", "flags": "--coverage", "requires": ["gcovr==8.8"]},
    },
    "backend": {
        "name": None,
        "prompt": None,
        # A backend that builds on another (a plugin of it) names it: it then has
        # that backend's facts and pieces, under its own.
        "extends": "",
        "build_backend": None,  # [build-system] build-backend
        "versioning_requires": [],  # extra build requirements for versioning=vcs
        "dynamic_metadata": [],  # [project] fields the backend reads from metadata_file
        "metadata_file": "",  # that file (where a release sets the version)
        # Set when the editable install rebuilds on import, or its retest_after_edit
        # runs the build in the environment: what it needs besides the build
        # requirements, installed with them and no build isolation.
        "editable_rebuild_requires": [],
        # The README's way to retest after editing the compiled sources, in the
        # environment its editable install made: one console line, ending with the
        # tests, that rebuilds only what changed. The compare session times it.
        "retest_after_edit": None,
        # The runner's programs the build runs, which an iOS build sees only when
        # named (cibuildwheel's `xbuild-tools`: its cross-build PATH is minimal).
        "xbuild_tools": [],
        # Of those, the ones the iOS job reinstalls with Homebrew before building.
        "xbuild_tools_reinstalled": [],
        # A build from the source tree (`pip install .`) compiles everything afresh,
        # and the sdist may leave out uncommitted edits: the `sanitize` session
        # builds from the tree, not from a fresh sdist.
        "fresh_build_from_tree": False,
        # Where the `coverage` session's build keeps its object files for gcovr
        # (cleared first, so nothing of an uninstrumented build is reused), and
        # the config settings that build there, unoptimized (none: it does anyway).
        "coverage_build_dir": "build",
        "coverage_config_settings": [],
        # Where its compiler runs, where gcovr cannot tell ("": it can): the
        # folder the relative source paths of its object files start from.
        "gcov_object_directory": "",
    },
    "pairing": {
        "binding": None,  # the binding's folder name
        "backend": None,  # the backend's folder name
        # Why this pairing's coverage session reports no native lines, where its
        # binding's way does not work with its backend ("": it does).
        "coverage_refused": "",
        # Where the coverage build leaves the C its binding generates, a glob
        # under the project ("": beside the source, where coverage.py's plugin
        # looks for it). The session copies it there.
        "coverage_generated_c": "",
    },
}
STUB_GENERATOR_KEYS = {"name", "requirement", "command"}
COVERAGE_KEYS = {
    *("tool", "flags", "line_tracing", "requires", "plugin", "cargo_install"),
    *("source", "add", "fib", "refused"),
}
COVERAGE_TOOLS = {"gcovr", "coverage.py", "cargo-llvm-cov"}
# Keys every level may state, whose values add up: each level its own part.
# `platforms_refused` names a platform of registry.toml's `platforms` the level
# cannot ship wheels for, with the reason; or, as `{ <option> = "reason" }`, the
# platform it cannot ship when that build option takes its non-default value.
ADDITIVE: dict[str, Any] = {"build_requires": [], "refuses": {}, "platforms_refused": {}}
# What registry.toml states of each platform beyond the desktop.
PLATFORM_KEYS = {
    "name",  # as shown to users
    "runner",  # the GitHub runner the wheels workflow builds its wheels on
    "oldest_python",  # the oldest CPython cibuildwheel builds wheels for there
}


@dataclass(frozen=True)
class Registry:
    pythons: list[str]  # supported CPythons, oldest first
    pairings: dict[str, dict[str, Any]]  # each pairing's merged view, in question order
    # The platforms beyond the desktop (cibuildwheel's `--platform` names), in
    # the order projects list them, with what registry.toml states of each.
    platforms: dict[str, dict[str, str]]
    free_threaded_cpython: str  # the release free-threaded runs build from source

    @property
    def oldest_python(self) -> str:
        return self.pythons[0]


def load(read: Callable[[str], str] | None = None) -> Registry:
    """The registry, each file read by `read` (a path under templates/; default:
    this checkout's files)."""
    read = read or _read_checkout
    top = tomllib.loads(read("registry.toml"))
    pythons = list(top["pythons"])
    platforms = {name: _platform(name, facts) for name, facts in top["platforms"].items()}
    pairings = {}
    for name in top["pairings"]:
        pairing = _facts(read, f"pairings/{name}/pairing.toml", "pairing")
        binding = _facts(read, f"bindings/{pairing['binding']}/binding.toml", "binding")
        backend = _backend(read, pairing["backend"])
        pairings[name] = _merge(name, binding, backend, pairing, pythons[0], list(platforms))
    return Registry(pythons, pairings, platforms, top["free_threaded_cpython"])


def _platform(name: str, facts: dict[str, str]) -> dict[str, str]:
    if set(facts) != PLATFORM_KEYS:
        raise ValueError(
            f"registry.toml: platform {name!r} states {sorted(facts)}; "
            f"each platform states {sorted(PLATFORM_KEYS)}"
        )
    return facts


def platforms_of(
    registry: Registry, pairing: str, answers: Mapping[str, str]
) -> list[dict[str, str]]:
    """The platforms beyond the desktop, in order, as a project with these answers
    sees them: each with its registry.toml facts, its `id`, the `selector` of its
    builds and, where the pairing cannot ship its wheels, the reason as `refused`
    ("" where it ships them)."""
    refusals = registry.pairings[pairing]["platforms_refused"]
    found = []
    for platform, facts in registry.platforms.items():
        refusal = refusals.get(platform, {"when": "", "reason": ""})
        option = refusal["when"]
        applies = not option or answers.get(option, OPTIONS[option][0]) != OPTIONS[option][0]
        found.append(
            {
                **facts,
                "id": platform,
                # The identifiers of its builds: cibuildwheel's end in -<platform>_<arch>.
                "selector": f"*-{platform}_*",
                "refused": refusal["reason"] if applies else "",
            }
        )
    return found


def licenses(read: Callable[[str], str] | None = None) -> list[str]:
    """The `license` question's choices, the default first."""
    return list(tomllib.loads((read or _read_checkout)("registry.toml"))["licenses"])


def _read_checkout(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def _backend(read: Callable[[str], str], backend_id: str) -> dict[str, Any]:
    """A backend's facts, over those of the backend it extends: its own replace
    the base's, requirement lists and refusals add up."""
    path = f"backends/{backend_id}/backend.toml"
    extends = tomllib.loads(read(path)).get("extends", "")
    base = _backend(read, extends) if extends else {"backends": []}
    own = _facts(read, path, "backend", inherited=set(base))
    merged = {**base, **own, "backends": [backend_id, *base["backends"]]}
    for key in ("build_requires", "versioning_requires"):
        merged[key] = [*base.get(key, []), *own.get(key, [])]
    for key in ("refuses", "platforms_refused"):
        merged[key] = {**base.get(key, {}), **own.get(key, {})}
    return merged


def _facts(
    read: Callable[[str], str], path: str, level: str, inherited: Collection[str] = ()
) -> dict[str, Any]:
    facts = tomllib.loads(read(path))
    unknown = set(facts) - set(KEYS[level]) - set(ADDITIVE)
    if unknown:
        allowed = ", ".join(sorted({*KEYS[level], *ADDITIVE}))
        raise ValueError(f"{path}: unknown keys {sorted(unknown)}; a {level} may state {allowed}")
    missing = [
        key
        for key, default in KEYS[level].items()
        if default is None and key not in facts and key not in inherited
    ]
    if missing:
        raise ValueError(f"{path}: missing {missing}")
    return facts


def _merge(
    name: str,
    binding: dict[str, Any],
    backend: dict[str, Any],
    pairing: dict[str, Any],
    oldest_python: str,
    platforms: list[str],
) -> dict[str, Any]:
    levels = {"binding": binding, "backend": backend, "pairing": pairing}
    refuses: dict[str, str] = {}
    for level, facts in levels.items():
        for option, reason in facts.get("refuses", {}).items():
            if option in refuses:
                raise ValueError(f"{name}: the {level} refuses {option} again")
            refuses[option] = reason
    platforms_refused: dict[str, dict[str, str]] = {}
    for level, facts in levels.items():
        for platform, refusal in facts.get("platforms_refused", {}).items():
            if platform not in platforms:
                raise ValueError(
                    f"{name}: the {level} refuses platform {platform!r}, which registry.toml "
                    f"does not list; its platforms: {', '.join(platforms)}"
                )
            if platform in platforms_refused:
                raise ValueError(f"{name}: the {level} refuses platform {platform} again")
            platforms_refused[platform] = _platform_refusal(name, level, platform, refusal)
    build_requires = [r for facts in levels.values() for r in facts.get("build_requires", [])]
    view: dict[str, Any] = {
        **{key: default for keys in KEYS.values() for key, default in keys.items()},
        **{key: value for key, value in binding.items() if key in KEYS["binding"]},
        "binding_id": pairing["binding"],
        "backend_id": pairing["backend"],
        "name": name,
        "binding": binding["name"],
        "backend": backend["name"],
        "prompt": f"{binding['prompt']} built by {backend['prompt']}",
        "build_backend": backend["build_backend"],
        "backend_ids": backend["backends"],
        "versioning_requires": backend.get("versioning_requires", []),
        "dynamic_metadata": backend.get("dynamic_metadata", []),
        "metadata_file": backend.get("metadata_file", ""),
        "build_requires": build_requires,
        "refuses": refuses,
        "platforms_refused": platforms_refused,
        "xbuild_tools": backend.get("xbuild_tools", []),
        "xbuild_tools_reinstalled": backend.get("xbuild_tools_reinstalled", []),
        "fresh_build_from_tree": backend.get("fresh_build_from_tree", False),
        "retest_after_edit": backend["retest_after_edit"],
        "coverage": _coverage(
            name, binding.get("coverage", {}), pairing.get("coverage_refused", "")
        ),
        "coverage_generated_c": pairing.get("coverage_generated_c", ""),
        **{
            key: backend[key]
            for key in ("coverage_build_dir", "coverage_config_settings", "gcov_object_directory")
            if key in backend
        },
    }
    if view["coverage_generated_c"] and view["coverage"]["tool"] != "coverage.py":
        raise ValueError(
            f"{name}: coverage_generated_c is for a binding traced by coverage.py's plugin; "
            f"its coverage tool is {view['coverage']['tool']!r}"
        )
    unknown_tools = set(view["xbuild_tools_reinstalled"]) - set(view["xbuild_tools"])
    if unknown_tools:
        raise ValueError(
            f"{name}: xbuild_tools_reinstalled names {sorted(unknown_tools)}, not xbuild_tools"
        )
    view["abi3_minimum"] = binding.get("abi3_minimum") or oldest_python
    generator = binding.get("stub_generator", {})
    if generator and set(generator) != STUB_GENERATOR_KEYS:
        keys = ", ".join(sorted(STUB_GENERATOR_KEYS))
        raise ValueError(f"{name}: the binding's stub_generator must state exactly {keys}")
    if generator:
        # tests/test_stub.py runs it: the test group installs it.
        view["test_requires"] = [*view["test_requires"], generator["requirement"]]
    # Whole requirements, not names: a venv may already hold an older release of
    # one (CPython 3.11's venvs come with a build backend too old for the project).
    rebuild = backend.get("editable_rebuild_requires", [])
    stated = {requirement_name(r) for r in build_requires}
    extra = [r for r in rebuild if requirement_name(r) not in stated]
    editable = sorted({*build_requires, *extra}, key=requirement_name)
    view["editable_requires"] = editable if rebuild else []
    del view["editable_rebuild_requires"]
    return view


def _coverage(name: str, stated: dict[str, Any], refused_here: str) -> dict[str, Any]:
    """The binding's `coverage` table over the defaults (refused where the pairing
    refuses it); refused, or naming its tool, source and functions."""
    if set(stated) - COVERAGE_KEYS:
        raise ValueError(
            f"{name}: the binding's coverage states {sorted(stated)}; keys: {', '.join(sorted(COVERAGE_KEYS))}"
        )
    # Every key, "" where neither the binding nor the default states it.
    coverage = {**dict.fromkeys(COVERAGE_KEYS, ""), **KEYS["binding"]["coverage"], **stated}
    if refused_here:
        coverage["refused"] = refused_here
    if coverage["line_tracing"]:
        coverage["flags"] = f"{coverage['line_tracing']} {coverage['flags']}".strip()
    if coverage["tool"] not in COVERAGE_TOOLS:
        raise ValueError(
            f"{name}: the binding's coverage tool is {coverage['tool']!r}; "
            f"tools: {', '.join(sorted(COVERAGE_TOOLS))}"
        )
    if not coverage["refused"] and not (coverage["source"] and coverage["add"] and coverage["fib"]):
        raise ValueError(f"{name}: the binding's coverage names no source, add and fib")
    # The session's Cobertura reports: the native lines in their own, unless
    # refused or traced by coverage.py.
    native = not coverage["refused"] and coverage["tool"] != "coverage.py"
    return {**coverage, "reports": ["coverage-python.xml", *["coverage-native.xml"] * native]}


def _platform_refusal(name: str, level: str, platform: str, refusal: Any) -> dict[str, str]:
    """A refusal as {"when": option or "", "reason": ...}."""
    if isinstance(refusal, str):
        return {"when": "", "reason": refusal}
    if isinstance(refusal, dict) and len(refusal) == 1:
        ((option, reason),) = refusal.items()
        if option in OPTIONS and isinstance(reason, str):
            return {"when": option, "reason": reason}
    raise ValueError(
        f"{name}: the {level} refuses platform {platform} with {refusal!r}; give the reason, "
        f'or {{ <option> = "reason" }} with an option of: {", ".join(OPTIONS)}'
    )


def requirement_name(requirement: str) -> str:
    """The distribution name a PEP 508 requirement starts with."""
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    if not match:
        raise ValueError(f"not a requirement: {requirement!r}")
    return match.group()


def build_programs(pairings: dict[str, dict[str, Any]]) -> frozenset[str]:
    """The programs some pairing's build runs or installs (its build requirements'
    commands, its runner tools): what a project's own commands must install."""
    return frozenset(
        name
        for entry in pairings.values()
        for name in [*entry["xbuild_tools"], *map(requirement_name, entry["build_requires"])]
    )


def piece_candidates(pairing: dict[str, Any], name: str) -> list[str]:
    """Where a piece is looked for, first found wins: the pairing's own folder,
    then its backend's (and the backend's that it extends), its binding's, and
    the shared one."""
    return [
        f"pairings/{pairing['name']}/{name}",
        *(f"backends/{backend}/{name}" for backend in pairing["backend_ids"]),
        f"bindings/{pairing['binding_id']}/{name}",
        f"shared/{name}",
    ]
