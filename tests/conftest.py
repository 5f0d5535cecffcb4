"""Rendering helpers shared by the template's fast tests."""

from __future__ import annotations

import ast
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mdformat
import pytest
import yaml
from cookiecutter.main import cookiecutter
from hypothesis import settings
from markdown_it import MarkdownIt
from mdformat.plugins import PARSER_EXTENSIONS

from template_checks.precommit_emulation import hook_repositories
from template_tools import registry

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = registry.load()
PAIRINGS = list(REGISTRY.pairings)
# Every build option on, and the first pairing that takes them all.
OPTIONS_ON = {"stable_abi": "yes", "free_threading": "yes", "versioning": "vcs"}
EVERY_OPTION = next(name for name, entry in REGISTRY.pairings.items() if not entry["refuses"])
DEFAULTS: dict[str, Any] = json.loads((ROOT / "cookiecutter.json").read_text())
HOSTILE_ANSWERS: dict[str, dict[str, Any]] = tomllib.loads(
    (ROOT / "tests" / "hostile-answers.toml").read_text(encoding="utf-8")
)
# Hook repositories of the generated .pre-commit-config.yaml whose tools the fast
# tests run, with the PyPI distribution each hook installs (as the pre-commit
# emulation records them).
HOOK_REPOSITORIES = hook_repositories()
HOOK_TOOLS = {
    url: HOOK_REPOSITORIES[url].distribution
    for url in (
        "https://github.com/zizmorcore/zizmor-pre-commit",
        "https://github.com/python-jsonschema/check-jsonschema",
        "https://github.com/codespell-project/codespell",
    )
}

# `nox -s hypothesis_long` runs the property tests with the "long" profile.
settings.register_profile("default", max_examples=25, deadline=None)
settings.register_profile("long", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def render(output_dir: Path, **answers: str) -> Path:
    """Generate a project without prompting; return its folder."""
    return Path(
        cookiecutter(str(ROOT), no_input=True, output_dir=str(output_dir), extra_context=answers)
    )


def make_sdist(path: Path, files: dict[str, str]) -> Path:
    """An sdist of my-package 1.2.3 holding `files`."""
    with tarfile.open(path, "w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            member = tarfile.TarInfo(f"my_package-1.2.3/{name}")
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return path


@dataclass(frozen=True)
class Ran:
    """A command a runner was given, and the folder it ran in."""

    args: list[str]
    cwd: Path
    env: dict[str, str | None]


class CommandFailed(Exception):
    """What nox raises when a command exits with a code it was not told to accept."""


def answer_nothing(ran: Ran) -> tuple[int, str]:
    return 0, ""


def really(ran: Ran) -> tuple[int, str]:
    """Run the command in its folder; its exit code and output."""
    env = {**os.environ, **{key: value for key, value in ran.env.items() if value is not None}}
    done = subprocess.run(
        ran.args, cwd=ran.cwd, env=env, capture_output=True, text=True, check=False
    )
    return done.returncode, done.stdout + done.stderr


@dataclass
class Recorder:
    """A runner for template_checks.steps, as a nox session would be: it records each
    command with its folder, and `answer` gives its exit code and output."""

    answer: Callable[[Ran], tuple[int, str]] = answer_nothing
    cwd: Path = ROOT
    ran: list[Ran] = field(default_factory=list)
    installed: list[str] = field(default_factory=list)
    logged: list[str] = field(default_factory=list)

    def run(
        self,
        *args: str | os.PathLike[str],
        env: Mapping[str, str | None] | None = None,
        silent: bool = False,
        success_codes: Iterable[int] | None = None,
        external: Any = None,
    ) -> Any:
        ran = Ran([str(arg) for arg in args], self.cwd, dict(env or {}))
        self.ran.append(ran)
        code, output = self.answer(ran)
        if code not in (success_codes or [0]):
            raise CommandFailed(f"{ran.args} exited with {code}:\n{output}")
        return output if silent else True

    def install(self, *args: str) -> None:
        self.installed.extend(args)

    def log(self, *args: Any) -> None:
        self.logged.append(" ".join(map(str, args)))

    @contextmanager
    def chdir(self, folder: str | os.PathLike[str]) -> Iterator[None]:
        before, self.cwd = self.cwd, Path(folder)
        try:
            yield
        finally:
            self.cwd = before

    def programs(self) -> list[str]:
        """The commands' programs (their first word), in the order they ran."""
        return [Path(ran.args[0]).name for ran in self.ran]


@dataclass(frozen=True)
class Rendered:
    pairing: str
    path: Path


@pytest.fixture(scope="session", params=PAIRINGS)
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """Each pairing rendered once with the default answers."""
    pairing: str = request.param
    return Rendered(pairing, render(tmp_path_factory.mktemp(pairing), pairing=pairing))


@pytest.fixture(scope="session")
def hook_tools(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of the executables of HOOK_TOOLS, installed once at the revisions
    a generated .pre-commit-config.yaml pins."""
    project = render(tmp_path_factory.mktemp("pinned"))
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    pins = [
        f"{HOOK_TOOLS[repo['repo']]}=={HOOK_REPOSITORIES[repo['repo']].version(repo['rev'])}"
        for repo in config["repos"]
        if repo["repo"] in HOOK_TOOLS
    ]
    assert len(pins) == len(HOOK_TOOLS), pins
    venv = tmp_path_factory.mktemp("hook-tools")
    uv = [sys.executable, "-m", "uv"]
    subprocess.run([*uv, "venv", "--quiet", str(venv)], check=True)
    bin_dir = venv / ("Scripts" if sys.platform == "win32" else "bin")
    subprocess.run(
        [*uv, "pip", "install", "--quiet", "--python", str(bin_dir / "python"), *pins], check=True
    )
    return bin_dir


def assert_every_data_file_parses(project: Path) -> None:
    """Every TOML, YAML, JSON and Python file of a rendered project parses."""
    for path in project.rglob("*"):
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        if path.suffix == ".toml" or path.name == "Cargo.lock":
            tomllib.loads(text)
        elif path.suffix in {".yml", ".yaml"}:
            yaml.safe_load(text)
        elif path.suffix == ".json":
            json.loads(text)
        elif path.suffix in {".py", ".pyi"}:
            ast.parse(text, filename=str(path))


def piece_files(*folders: str) -> set[str]:
    """The project paths that the `files/` of these folders of templates/ provide."""
    return {
        path.relative_to(files).as_posix().replace("{{cookiecutter.__import_name}}", "my_package")
        for folder in folders
        if (files := ROOT / "templates" / folder / "files").is_dir()
        for path in files.rglob("*")
        if path.is_file()
    }


def own_files(pairing: str) -> set[str]:
    """The project paths the pairing's own, backend's and binding's pieces provide."""
    entry = REGISTRY.pairings[pairing]
    backends = [f"backends/{backend}" for backend in entry["backend_ids"]]
    return piece_files(f"pairings/{pairing}", *backends, f"bindings/{entry['binding_id']}")


JINJA_MARKER = re.compile(r"(?<!\$)\{\{|\{%|\{#")


def assert_clean_text(project: Path) -> None:
    """No template markers, trailing spaces or blank-line runs in any rendered file."""
    for path in project.rglob("*"):
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        if not text:
            continue
        name = path.relative_to(project)
        assert not JINJA_MARKER.search(text), f"template marker left in {name}"
        assert not re.search(r"[ \t]+$", text, re.MULTILINE), f"trailing space in {name}"
        assert text.endswith("\n"), f"no final newline in {name}"
        assert not text.startswith("\n"), f"blank line at the start of {name}"
        assert not text.endswith("\n\n"), f"blank lines at the end of {name}"
        # Python allows two blank lines between top-level definitions; nothing allows more.
        most_blank_lines = 2 if path.suffix in {".py", ".pyi", ".pyx"} else 1
        assert "\n" * (most_blank_lines + 2) not in text, f"blank-line run in {name}"


def contents_of(project: Path) -> dict[str, bytes]:
    """Each file of a project (outside .git), by its path in the project."""
    return {
        path.relative_to(project).as_posix(): path.read_bytes()
        for path in project.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(project).parts
    }


# The plugins mdformat runs with in the generated project: mdformat-myst and those it
# installs, at the versions the pre-commit hook pins.
MDFORMAT_PLUGINS = set(PARSER_EXTENSIONS)


def markdown_parser() -> MarkdownIt:
    """The Markdown parser mdformat formats with, its plugins' syntax included."""
    parser = MarkdownIt("commonmark")
    # The options mdformat's plugins read when they set up the parser.
    parser.options["mdformat"] = {}
    parser.options["parser_extension"] = []
    for name in sorted(MDFORMAT_PLUGINS):
        PARSER_EXTENSIONS[name].update_mdit(parser)
    return parser


def shown_text(markdown: str) -> list[str]:
    """The text each heading and paragraph of a Markdown document shows, or a marker
    of the markup (emphasis, math, a role, HTML) it shows instead."""
    shown = []
    tokens = markdown_parser().parse(markdown)
    for token in tokens:
        if token.type != "inline":
            continue
        parts = []
        for child in token.children or []:
            if child.type in {"text", "text_special", "code_inline"}:
                parts.append(child.content if child.type != "code_inline" else f"`{child.content}`")
            elif child.type == "softbreak":
                parts.append("\n")
            elif not child.type.endswith(("link_open", "link_close")):
                parts.append(f"<{child.type}>")
        shown.append("".join(parts))
    return shown


def assert_markdown_formatted_and_literal(project: Path, project_name: str, text: str) -> None:
    """README.md and docs/index.md are as mdformat writes them, and show the project
    name as their title and the description as a paragraph, literally."""
    for name in ("README.md", "docs/index.md"):
        markdown = (project / name).read_text(encoding="utf-8")
        assert mdformat.text(markdown, extensions=MDFORMAT_PLUGINS) == markdown, name
        shown = shown_text(markdown)
        assert shown[0] == project_name, (name, shown[0])
        assert text in shown, (name, text, shown[:4])
