"""The pre-commit emulation stands in for every hook a project renders, and its
checks fail on the defects they are for."""

from __future__ import annotations

import re
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import PAIRINGS, REGISTRY, Rendered, render
from pre_commit.clientlib import load_manifest
from uv import find_uv_bin

from template_checks.precommit_emulation import (
    GIT,
    Emulation,
    EmulationError,
    HookRepository,
    build_stand_in,
    ci_skip_problems,
    config_problems,
    hook_repositories,
    read_config,
    redirect_env,
)

REPOSITORIES = hook_repositories()


def committed(project: Path) -> Path:
    """The project as a git repository with everything committed, as pre-commit needs."""
    for command in (["init", "--quiet"], ["add", "--all"], ["commit", "--quiet", "-m", "New"]):
        subprocess.run([*GIT, *command], cwd=project, check=True)
    return project


def first_pairing_writing(language: str | None) -> str:
    """The first pairing whose languages include `language` (None: the first of all)."""
    return next(
        name
        for name in PAIRINGS
        if language is None or language in REGISTRY.pairings[name]["languages"]
    )


@pytest.fixture(scope="session")
def emulation_home(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """One store of stand-ins and hook environments, kept in pytest's cache between
    runs (the emulation keys it by hook_repositories.toml; workers may share it)."""
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    if cache is None:
        return tmp_path_factory.mktemp("pre-commit-emulation")
    return Path(cache.mkdir("pre-commit-emulation"))


def test_every_rendered_repository_and_hook_is_recorded(rendered: Rendered) -> None:
    assert config_problems(read_config(rendered.path), REPOSITORIES) == []


def test_every_pairing_skips_on_pre_commit_ci_what_it_cannot_run(rendered: Rendered) -> None:
    assert ci_skip_problems(read_config(rendered.path), REPOSITORIES) == []


def test_an_unskipped_system_hook_fails_the_pre_commit_ci_check(tmp_path: Path) -> None:
    project = render(tmp_path, pairing=first_pairing_writing("rust"))
    config = read_config(project)
    assert "cargo-clippy" in config["ci"]["skip"]
    unskipped = {**config, "ci": {**config["ci"], "skip": []}}
    (problem,) = ci_skip_problems(unskipped, REPOSITORIES)
    assert "'cargo-clippy' (language: unsupported" in problem


def test_a_new_system_hook_in_any_project_fails_the_pre_commit_ci_check(tmp_path: Path) -> None:
    project = render(tmp_path)
    config = read_config(project)
    local = {
        "repo": "local",
        "hooks": [{"id": "make-check", "name": "make", "entry": "make", "language": "script"}],
    }
    (problem,) = ci_skip_problems({**config, "repos": [*config["repos"], local]}, REPOSITORIES)
    assert "'make-check' (language: unsupported_script" in problem


def test_a_skip_entry_that_names_no_hook_is_reported(tmp_path: Path) -> None:
    project = render(tmp_path)
    config = read_config(project)
    stale = {**config, "ci": {**config["ci"], "skip": ["cargo-clippy"]}}
    assert ci_skip_problems(stale, REPOSITORIES) == [
        "`ci: skip` names 'cargo-clippy', which no hook has"
    ]


def test_an_unrecorded_repository_hook_or_rev_is_refused(tmp_path: Path) -> None:
    project = render(tmp_path)
    config = read_config(project)
    ruff = next(repo for repo in config["repos"] if "ruff" in repo["repo"])
    unknown_repo = {"repo": "https://github.com/example/hooks", "rev": "v1", "hooks": [{"id": "x"}]}
    unknown_hook = {**ruff, "hooks": [{"id": "ruff-lsp"}]}
    branch = {**ruff, "rev": "main"}
    for repo, expected in [
        (unknown_repo, "hook repository https://github.com/example/hooks is not in"),
        (unknown_hook, "hook 'ruff-lsp' of https://github.com/astral-sh/ruff-pre-commit is not in"),
        (branch, "rev 'main' of https://github.com/astral-sh/ruff-pre-commit is not a release tag"),
    ]:
        (problem,) = config_problems({**config, "repos": [repo]}, REPOSITORIES)
        assert problem.startswith(expected), problem
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [unknown_repo]}))
    with pytest.raises(EmulationError, match="example/hooks is not in"):
        Emulation(committed(project), tmp_path / "home")


@pytest.mark.parametrize("url", list(REPOSITORIES))
def test_recorded_hooks_form_a_manifest_pre_commit_accepts(url: str, tmp_path: Path) -> None:
    repository = REPOSITORIES[url]
    rev = f"{repository.tag_prefix}1.2.3"
    stand_in = build_stand_in(repository, rev, tmp_path)
    hooks = load_manifest(str(stand_in / ".pre-commit-hooks.yaml"))
    assert [hook["id"] for hook in hooks] == list(repository.hooks)
    project = tomllib.loads((stand_in / "pyproject.toml").read_text())["project"]
    assert project["dependencies"] == [f"{repository.distribution}==1.2.3"]
    tags = subprocess.run(
        ["git", "tag"], cwd=stand_in, capture_output=True, text=True, check=True
    ).stdout
    assert tags.split() == [rev]


def test_a_manifest_default_of_the_repository_itself_asks_for_the_distribution(
    tmp_path: Path,
) -> None:
    repository = HookRepository(
        url="https://github.com/example/tool",
        distribution="tool",
        tag_prefix="v",
        source="a test",
        hooks={
            "tool": {"entry": "tool", "language": "python", "additional_dependencies": [".[all]"]}
        },
    )
    stand_in = build_stand_in(repository, "v2.0", tmp_path)
    extras = tomllib.loads((stand_in / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert extras == {"all": ["tool[all]==2.0"]}


def test_git_fetches_a_repository_url_from_its_stand_in(tmp_path: Path) -> None:
    url = "https://github.com/astral-sh/ruff-pre-commit"
    stand_in = build_stand_in(REPOSITORIES[url], "v0.17.6", tmp_path)
    listed = subprocess.run(
        ["git", "ls-remote", "--tags", url],
        env=redirect_env({url: stand_in}),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert listed.split()[1:] == ["refs/tags/v0.17.6"]


# The planted defects: each hook passes on a fresh project and fails once the
# defect is in. These install the hooks from PyPI at the pinned versions.


def test_ruff_format_fails_on_a_misformatted_python_file(
    tmp_path: Path, emulation_home: Path
) -> None:
    project = committed(render(tmp_path))
    emulation = Emulation(project, emulation_home)
    assert emulation.run_hook("ruff-format").returncode == 0
    (project / "src" / "my_package" / "extra.py").write_text("x = [1,\n  2]\n")
    subprocess.run(["git", "add", "--all"], cwd=project, check=True)
    result = emulation.run_hook("ruff-format")
    assert result.returncode == 1
    assert "files were modified by this hook" in result.stdout


def test_clang_format_fails_on_a_misformatted_cpp_file(
    tmp_path: Path, emulation_home: Path
) -> None:
    project = committed(render(tmp_path, pairing=first_pairing_writing("cpp")))
    emulation = Emulation(project, emulation_home)
    assert emulation.run_hook("clang-format").returncode == 0
    source = project / "src" / "_core.cpp"
    source.write_text(source.read_text() + "int   spaced ( int x ) { return x; }\n")
    result = emulation.run_hook("clang-format")
    assert result.returncode == 1
    assert "files were modified by this hook" in result.stdout


def test_mypy_fails_on_a_stub_that_disagrees_with_the_tests(
    tmp_path: Path, emulation_home: Path
) -> None:
    stubbed = next(name for name in PAIRINGS if not REGISTRY.pairings[name]["python_source"])
    project = committed(render(tmp_path, pairing=stubbed))
    emulation = Emulation(project, emulation_home)
    assert emulation.run_hook("mypy").returncode == 0
    stub = project / "src" / "my_package" / "_core.pyi"
    text = stub.read_text()
    # The stub says fib returns str, which the tests compare with an int.
    wrong = re.sub(r"(def fib\(.*?\)) -> int:", r"\1 -> str:", text, count=1, flags=re.DOTALL)
    assert wrong != text, "no `def fib(...) -> int:` in the stub to plant the defect in"
    stub.write_text(wrong)
    result = emulation.run_hook("mypy")
    assert result.returncode == 1
    assert "[comparison-overlap]" in result.stdout


def append(path: Path, text: str) -> None:
    """Add `text` at the end of a file of the project."""
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


Plant = Callable[[Path], None]


def new_file(name: str, content: str | bytes) -> Plant:
    """A plant that adds the file `name` to the project."""

    def plant(project: Path) -> None:
        if isinstance(content, bytes):
            (project / name).write_bytes(content)
        else:
            (project / name).write_text(content, encoding="utf-8")

    return plant


def appended(name: str, text: str) -> Plant:
    """A plant that adds `text` at the end of the project's file `name`."""
    return lambda project: append(project / name, text)


def replaced(name: str, old: str, new: str) -> Plant:
    """A plant that replaces the first `old` in the project's file `name`."""

    def plant(project: Path) -> None:
        path = project / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{path.name} holds no {old!r} to plant the defect in"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return plant


def stage_a_merge_that_kept_a_conflict(project: Path) -> None:
    """Merge a branch whose README edit conflicts, then stage the README with the
    markers still in it, as an unfinished conflict resolution would."""
    git = [*GIT, "-C", str(project)]
    subprocess.run([*git, "checkout", "--quiet", "-b", "other"], check=True)
    append(project / "README.md", "\nOne ending.\n")
    subprocess.run([*git, "commit", "--quiet", "--all", "-m", "One ending"], check=True)
    subprocess.run([*git, "checkout", "--quiet", "-"], check=True)
    append(project / "README.md", "\nAnother ending.\n")
    subprocess.run([*git, "commit", "--quiet", "--all", "-m", "Another ending"], check=True)
    merge = subprocess.run([*git, "merge", "--quiet", "other"], capture_output=True, check=False)
    assert merge.returncode == 1, "the branches merged without a conflict"


# The defect each remaining hook is for, planted in a project of a pairing whose
# languages include the hook's (None: any), and what the hook says of it.
PLANTED: dict[str, tuple[str | None, Plant, str]] = {
    "check-added-large-files": (
        None,
        new_file("data.bin", bytes(600 * 1024)),
        "data.bin (600 KB) exceeds 500 KB",
    ),
    "check-merge-conflict": (None, stage_a_merge_that_kept_a_conflict, "Merge conflict string"),
    "check-toml": (None, new_file("broken.toml", "key = \n"), "broken.toml: "),
    "check-yaml": (None, new_file("broken.yaml", "key: [\n"), "broken.yaml"),
    "end-of-file-fixer": (None, new_file("notes.txt", "no newline"), "Fixing notes.txt"),
    "mixed-line-ending": (
        None,
        new_file("notes.txt", "one\r\ntwo\n"),
        "notes.txt: fixed mixed line endings",
    ),
    "trailing-whitespace": (None, new_file("notes.txt", "spaces after \n"), "Fixing notes.txt"),
    "ruff-check": (
        None,
        new_file("src/my_package/extra.py", "def f() -> int:\n    return undefined\n"),
        "F821",
    ),
    "codespell": (None, appended("README.md", "\nTeh end.\n"), "Teh ==> The"),
    "mdformat": (
        None,
        appended("docs/index.md", "\n* a starred item\n"),
        "files were modified by this hook",
    ),
    "validate-pyproject": (
        None,
        replaced("pyproject.toml", "\n[project]\n", "\n[project]\ncolour = 1\n"),
        "must not contain {'colour'}",
    ),
    "check-github-workflows": (
        None,
        appended(".github/workflows/ci.yml", "colour: 1\n"),
        "Schema validation errors",
    ),
    "check-dependabot": (
        None,
        replaced(".github/dependabot.yml", "version: 2", "version: 3"),
        "Schema validation errors",
    ),
    "check-readthedocs": (
        None,
        replaced(".readthedocs.yaml", "version: 2", "version: 3"),
        "Schema validation errors",
    ),
    "cython-lint": (
        "cython",
        replaced("src/my_package/_core.pyx", "\ndef ", "\nimport os\n\n\ndef "),
        "'os' imported but unused",
    ),
    "cargo-fmt": (
        "rust",
        appended("src/lib.rs", "fn  spaced ( ) { }\n"),
        "files were modified by this hook",
    ),
    # A lint of clippy's own, which rustc does not warn of.
    "cargo-clippy": (
        "rust",
        appended(
            "src/lib.rs", "\npub fn planted(values: &Vec<i64>) -> usize {\n    values.len()\n}\n"
        ),
        "`-D clippy::ptr-arg` implied by `-D warnings`",
    ),
}


@pytest.mark.parametrize("hook", PLANTED)
def test_each_hook_fails_on_the_defect_planted_for_it(
    hook: str, tmp_path: Path, emulation_home: Path
) -> None:
    language, plant, message = PLANTED[hook]
    project = committed(render(tmp_path, pairing=first_pairing_writing(language)))
    emulation = Emulation(project, emulation_home)
    assert emulation.run_hook(hook).returncode == 0
    plant(project)
    subprocess.run([*GIT, "add", "--all"], cwd=project, check=True)
    result = emulation.run_hook(hook)
    assert result.returncode == 1, result.stdout
    assert message in result.stdout


# Hooks whose planted defects are elsewhere: the tests above, and tests/test_github.py
# for zizmor.
PLANTED_ELSEWHERE = {"ruff-format", "clang-format", "mypy", "zizmor"}


def test_every_hook_a_project_renders_has_a_planted_defect(rendered: Rendered) -> None:
    config = read_config(rendered.path)
    hooks = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert hooks - set(PLANTED) - PLANTED_ELSEWHERE == set()


# The build output [tool.codespell] skips, by the language that makes it (None: every
# pairing). Run by hand, codespell walks the project and would read all of it.
BUILD_OUTPUT = {
    None: ["build/notes.txt", "dist/notes.txt", "docs/_build/html/index.html"],
    "rust": ["target/notes.txt"],
    "cython": ["src/my_package/_core.c", "src/my_package/_core.html"],
}


@pytest.mark.parametrize("language", BUILD_OUTPUT)
def test_codespell_run_by_hand_reports_the_sources_but_not_the_build_output(
    language: str | None, hook_tools: Path, tmp_path: Path
) -> None:
    project = render(tmp_path, pairing=first_pairing_writing(language))
    for output in BUILD_OUTPUT[None] + (BUILD_OUTPUT[language] if language else []):
        (project / output).parent.mkdir(parents=True, exist_ok=True)
        (project / output).write_text("Teh output.\n")
    append(project / "README.md", "\nTeh end.\n")
    append(project / "docs" / "index.md", "\nTeh end.\n")
    for where in ([], ["src", "docs"]):
        result = subprocess.run(
            [hook_tools / "codespell", *where],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        reported = {line.split(":")[0].removeprefix("./") for line in result.stdout.splitlines()}
        expected = {"docs/index.md"} | ({"README.md"} if not where else set())
        assert reported == expected, result.stdout


def test_a_hook_environment_without_its_pinned_tool_is_reported(tmp_path: Path) -> None:
    project = render(tmp_path / "project")
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    ruff = next(repo for repo in config["repos"] if repo["repo"].endswith("/ruff-pre-commit"))
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [ruff]}))
    emulation = Emulation(committed(project), tmp_path / "home")
    emulation.install_hooks()
    assert emulation.installed_version_problems() == []
    (python,) = (tmp_path / "home").glob("*/store/*/py_env-*/bin/python")
    subprocess.run([find_uv_bin(), "pip", "uninstall", "--python", python, "ruff"], check=True)
    expected = f"runs ruff none, not {REPOSITORIES[ruff['repo']].version(ruff['rev'])}"
    assert emulation.installed_version_problems() == [
        f"hook 'ruff-check' {expected}",
    ]
