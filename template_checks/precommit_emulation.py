"""pre-commit and pre-commit.ci for a generated project, without GitHub.

pre-commit clones each hook repository of `.pre-commit-config.yaml` from GitHub,
which cannot be reached here. This module builds a local stand-in for each one
from `hook_repositories.toml`: a git repository tagged with the pinned `rev`,
holding the hook entries of the real `.pre-commit-hooks.yaml` and a package that
installs the same PyPI distribution at that release. git is told to fetch each
repository URL from its stand-in, and pre-commit itself does the rest: it
installs every hook with its `additional_dependencies`, picks each hook's files
(`files`, `exclude`, `types`, `types_or`, `exclude_types`, `pass_filenames`,
`always_run`, with the manifest's defaults) and runs its `entry` and `args`.
Local hooks (`repo: local`) run with the tools on this machine, as they would.
With pre-commit-uv installed beside pre-commit (the template's test groups do),
uv installs the hook environments: the same packages, in seconds.

pre-commit.ci is emulated by its two rules that a project can break: hooks whose
tools the framework does not install (`language: system`, `script`, docker) must
be in `ci: skip`, and no hook may use the network while it runs. The second is
checked by running the hooks in a network namespace without a network, where
`unshare` allows it.

Unverifiable here: that each repository's tag installs what its stand-in does
(a mirror's setup.py pins exactly the distribution; the other repositories are
its source at that tag), and pre-commit.ci's own image and runner.

Run `python -m template_checks.precommit_emulation --help` for the command line.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pre_commit.clientlib import LOCAL, META, InvalidConfigError, load_config
from pre_commit.store import Store

HOOK_REPOSITORIES = Path(__file__).with_name("hook_repositories.toml")
CONFIG = ".pre-commit-config.yaml"
# The hook languages pre-commit.ci cannot run, and why, by pre-commit's current
# names: it reads `system` as `unsupported` and `script` as `unsupported_script`.
CI_UNRUNNABLE_LANGUAGES = {
    "unsupported": "`system`: it runs whatever is installed, and pre-commit.ci installs "
    "only the hooks' own environments",
    "unsupported_script": "`script`: its script calls tools pre-commit.ci does not install",
    "docker": "pre-commit.ci has no docker",
    "docker_image": "pre-commit.ci has no docker",
}
RENAMED_LANGUAGES = {"system": "unsupported", "script": "unsupported_script"}
# Variables that point uv or pip at another environment (nox sets the first two
# in its sessions): with them, hooks would be installed there, not in their own.
OTHER_ENVIRONMENT = ("UV_PYTHON", "UV_PROJECT_ENVIRONMENT", "UV_SYSTEM_PYTHON", "VIRTUAL_ENV")
# Prints the version of the distribution named by its argument.
PRINT_VERSION = "import importlib.metadata, sys; print(importlib.metadata.version(sys.argv[1]))"
# git with an identity, for the commits this module makes.
GIT = ["git", "-c", "user.name=pre-commit emulation", "-c", "user.email=emulation@example.org"]


class EmulationError(Exception):
    """A configuration the emulation cannot stand in for, or a failed check."""


@dataclass(frozen=True)
class HookRepository:
    """One hook repository of hook_repositories.toml."""

    url: str
    distribution: str
    tag_prefix: str
    source: str
    hooks: Mapping[str, Mapping[str, Any]]

    def version(self, rev: str) -> str:
        """The distribution's version that the tag `rev` installs."""
        if not rev.startswith(self.tag_prefix) or rev == self.tag_prefix:
            raise EmulationError(
                f"rev {rev!r} of {self.url} is not a release tag "
                f"({self.tag_prefix or 'no prefix'} + a {self.distribution} version)"
            )
        return rev.removeprefix(self.tag_prefix)


def hook_repositories(path: Path = HOOK_REPOSITORIES) -> dict[str, HookRepository]:
    """The hook repositories the emulation can stand in for, by URL."""
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        url: HookRepository(
            url=url,
            distribution=entry["distribution"],
            tag_prefix=entry["tag_prefix"],
            source=entry["source"],
            hooks=entry["hooks"],
        )
        for url, entry in table.items()
    }


def read_config(project: Path) -> dict[str, Any]:
    """A project's .pre-commit-config.yaml, checked and completed by pre-commit."""
    try:
        config: dict[str, Any] = load_config(str(project / CONFIG))
    except InvalidConfigError as error:
        raise EmulationError(f"{project / CONFIG}: {error}") from error
    return config


def remote_repos(config: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The config's repositories that pre-commit would clone."""
    return [repo for repo in config["repos"] if repo["repo"] not in (LOCAL, META)]


def config_problems(
    config: Mapping[str, Any], repositories: Mapping[str, HookRepository]
) -> list[str]:
    """Why the emulation cannot stand in for some repository or hook of `config`."""
    problems = []
    for repo in remote_repos(config):
        known = repositories.get(repo["repo"])
        if known is None:
            problems.append(
                f"hook repository {repo['repo']} is not in {HOOK_REPOSITORIES.name}: "
                "record its PyPI distribution and hooks there"
            )
            continue
        try:
            known.version(repo["rev"])
        except EmulationError as error:
            problems.append(str(error))
        problems.extend(
            f"hook {hook['id']!r} of {repo['repo']} is not in {HOOK_REPOSITORIES.name}: "
            "record its entry in the repository's .pre-commit-hooks.yaml there"
            for hook in repo["hooks"]
            if hook["id"] not in known.hooks
        )
    return problems


def hook_language(
    repo: Mapping[str, Any], hook: Mapping[str, Any], repositories: Mapping[str, HookRepository]
) -> str:
    """A hook's language (by pre-commit's current name): the config's, else its
    repository manifest's."""
    if "language" in hook:
        language = str(hook["language"])
    elif repo["repo"] == META:
        language = "python"
    else:
        language = str(repositories[repo["repo"]].hooks[hook["id"]]["language"])
    return RENAMED_LANGUAGES.get(language, language)


def ci_skip_problems(
    config: Mapping[str, Any], repositories: Mapping[str, HookRepository]
) -> list[str]:
    """What pre-commit.ci would fail on: hooks it cannot run that `ci: skip` leaves
    in, and skip entries that name no hook."""
    skipped = set(config.get("ci", {}).get("skip", []))
    problems, hook_ids = [], set()
    for repo in config["repos"]:
        for hook in repo["hooks"]:
            hook_ids.add(hook["id"])
            language = hook_language(repo, hook, repositories)
            if language in CI_UNRUNNABLE_LANGUAGES and hook["id"] not in skipped:
                problems.append(
                    f"pre-commit.ci cannot run hook {hook['id']!r} (language: {language}, "
                    f"{CI_UNRUNNABLE_LANGUAGES[language]}); add it to `ci: skip`"
                )
    problems.extend(
        f"`ci: skip` names {hook_id!r}, which no hook has" for hook_id in sorted(skipped - hook_ids)
    )
    return problems


def stand_in_manifest(repository: HookRepository) -> str:
    """The stand-in's .pre-commit-hooks.yaml: the recorded hook entries."""
    hooks = [{"id": hook_id, **entry} for hook_id, entry in repository.hooks.items()]
    return yaml.safe_dump(hooks, sort_keys=False)


def stand_in_pyproject(repository: HookRepository, version: str) -> str:
    """A package that installs the distribution at `version`, as the repository's
    checkout does; `.[extra]` in a hook's additional_dependencies asks for the
    distribution's own extra."""
    requirement = f"{repository.distribution}=={version}"
    extras = sorted(
        {
            dependency.removeprefix(".[").removesuffix("]")
            for entry in repository.hooks.values()
            for dependency in entry.get("additional_dependencies", [])
            if dependency.startswith(".[")
        }
    )
    lines = [
        "[build-system]",
        'requires = ["hatchling>=1.26"]',
        'build-backend = "hatchling.build"',
        "",
        "[project]",
        'name = "pre-commit-stand-in"',
        'version = "0"',
        f"dependencies = [{requirement!r}]",
        "",
        "[project.optional-dependencies]",
        *(f"{extra} = [{f'{repository.distribution}[{extra}]=={version}'!r}]" for extra in extras),
        "",
        # Nothing of its own to ship: it only brings the tool in.
        "[tool.hatch.build.targets.wheel]",
        "bypass-selection = true",
    ]
    return "\n".join(lines) + "\n"


def stand_in_path(where: Path, url: str, rev: str) -> Path:
    """Where the stand-in of `url` at `rev` is built."""
    return where / url.split("://", 1)[-1] / rev


def build_stand_in(repository: HookRepository, rev: str, where: Path) -> Path:
    """A git repository tagged `rev` that pre-commit can clone in place of the real
    one; built once, atomically, so that parallel runs can share it."""
    target = stand_in_path(where, repository.url, rev)
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        build = Path(scratch) / "repo"
        build.mkdir()
        (build / ".pre-commit-hooks.yaml").write_text(stand_in_manifest(repository))
        (build / "pyproject.toml").write_text(
            stand_in_pyproject(repository, repository.version(rev))
        )
        for command in (
            ["init", "--quiet"],
            ["add", "--all"],
            ["commit", "--quiet", f"--message=Stand-in for {repository.url} at {rev}"],
            ["tag", rev],
        ):
            subprocess.run([*GIT, *command], cwd=build, check=True)
        with contextlib.suppress(OSError):  # another run built it first
            build.rename(target)
    return target


def redirect_env(stand_ins: Mapping[str, Path]) -> dict[str, str]:
    """Environment variables that make git fetch each URL from its stand-in."""
    env = {"GIT_CONFIG_COUNT": str(len(stand_ins))}
    for index, (url, path) in enumerate(sorted(stand_ins.items())):
        env[f"GIT_CONFIG_KEY_{index}"] = f"url.{path.as_uri()}.insteadOf"
        env[f"GIT_CONFIG_VALUE_{index}"] = url
    return env


class Emulation:
    """pre-commit with stand-in hook repositories, for one project.

    `home` keeps the stand-ins and pre-commit's store (its hook environments)
    between runs, in a folder of its own for each version of
    hook_repositories.toml; runs in parallel may share it.
    """

    def __init__(self, project: Path, home: Path) -> None:
        self.project = project.resolve()
        self.repositories = hook_repositories()
        self.config = read_config(self.project)
        problems = config_problems(self.config, self.repositories)
        if problems:
            raise EmulationError("; ".join(problems))
        digest = hashlib.sha256(HOOK_REPOSITORIES.read_bytes()).hexdigest()[:12]
        self.home = home.resolve() / digest
        stand_ins = {
            repo["repo"]: build_stand_in(
                self.repositories[repo["repo"]], repo["rev"], self.home / "repositories"
            )
            for repo in remote_repos(self.config)
        }
        # This Python's folder first: pre-commit makes hook environments with the
        # `python3.X` it finds on PATH, and installed git hooks call this Python.
        path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
        self.env = {
            **{key: value for key, value in os.environ.items() if key not in OTHER_ENVIRONMENT},
            **redirect_env(stand_ins),
            "PRE_COMMIT_HOME": str(self.home / "store"),
            "PATH": path,
        }

    def run(self, command: Sequence[str], env: Mapping[str, str] | None = None) -> None:
        """Run a command in the project with the stand-ins in place; raise on failure."""
        print(f"$ {' '.join(command)}", flush=True)
        subprocess.run(command, cwd=self.project, env={**self.env, **(env or {})}, check=True)

    def pre_commit(self, *arguments: str, env: Mapping[str, str] | None = None) -> None:
        """Run pre-commit with this Python."""
        self.run([sys.executable, "-m", "pre_commit", *arguments], env)

    def run_all_files(self) -> None:
        """`pre-commit run --all-files`: every hook on every file git tracks."""
        self.install_hooks()
        self.pre_commit("run", "--all-files", "--show-diff-on-failure")

    def run_hook(self, hook_id: str) -> subprocess.CompletedProcess[str]:
        """`pre-commit run HOOK --all-files`, its output captured, whatever its outcome."""
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", hook_id, "--all-files"],
            cwd=self.project,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )

    def commit_touching_only_tests(self) -> None:
        """Change one file of tests/ and commit it with the git hook installed, as a
        contributor would: pre-commit gets only that staged file."""
        tests = sorted((self.project / "tests").glob("*.py"))
        if not tests:
            raise EmulationError(f"{self.project} has no tests/*.py to change")
        changed = tests[0]
        # A comment line first changes the file and leaves it formatted.
        text = changed.read_text(encoding="utf-8")
        changed.write_text(f"# A change that touches only tests/.\n{text}", encoding="utf-8")
        self.pre_commit("install")
        relative = changed.relative_to(self.project).as_posix()
        self.run([*GIT, "add", relative])
        self.run([*GIT, "commit", "--quiet", "--message=Change only tests/"])
        names = subprocess.run(
            ["git", "show", "--name-only", "--format=", "HEAD"],
            cwd=self.project,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        if names != [relative]:
            raise EmulationError(f"the commit touched {names}, not only {relative}")

    def install_hooks(self) -> None:
        """Install every hook's environment (later runs, even offline, reuse them)
        and check that each holds its distribution at the pinned version."""
        self.pre_commit("install-hooks")
        problems = self.installed_version_problems()
        if problems:
            raise EmulationError("; ".join(problems))

    def installed_version_problems(self) -> list[str]:
        """Hook environments whose distribution is not at its repository's rev."""
        store = Store(self.env["PRE_COMMIT_HOME"])
        # Each clone pre-commit made, by store name and rev: a hook of it, and its repository.
        environments: dict[tuple[str, str], tuple[str, HookRepository]] = {}
        for repo in remote_repos(self.config):
            known = self.repositories[repo["repo"]]
            for hook in repo["hooks"]:
                if hook_language(repo, hook, self.repositories) == "python":
                    default = known.hooks[hook["id"]].get("additional_dependencies", [])
                    dependencies = hook.get("additional_dependencies", default)
                    name = store.db_repo_name(repo["repo"], dependencies)
                    environments.setdefault((name, repo["rev"]), (hook["id"], known))
        problems = []
        for (name, rev), (hook_id, known) in environments.items():
            with store.connect() as db:
                row = db.execute(
                    "SELECT path FROM repos WHERE repo = ? AND ref = ?", (name, rev)
                ).fetchone()
            pythons = sorted(Path(row[0]).glob("py_env-*/bin/python")) if row else []
            if not pythons:
                problems.append(f"hook {hook_id!r} has no environment in the store")
            for python in pythons:
                found = subprocess.run(
                    [python, "-c", PRINT_VERSION, known.distribution],
                    capture_output=True,
                    text=True,
                    check=False,
                ).stdout.strip()
                if found != known.version(rev):
                    problems.append(
                        f"hook {hook_id!r} runs {known.distribution} {found or 'none'}, "
                        f"not {known.version(rev)}"
                    )
        return problems

    def run_as_pre_commit_ci(self) -> None:
        """pre-commit.ci: `ci: skip` covers what it cannot run, and the other hooks
        pass with their environments installed beforehand and no network."""
        problems = ci_skip_problems(self.config, self.repositories)
        if problems:
            raise EmulationError("; ".join(problems))
        self.install_hooks()
        skip = ",".join(self.config.get("ci", {}).get("skip", []))
        offline = without_network()
        if not offline:
            print("pre-commit.ci emulation: no network namespace here; the network stays on")
        command = [*offline, sys.executable, "-m", "pre_commit", "run", "--all-files"]
        self.run([*command, "--show-diff-on-failure"], env={"SKIP": skip})


def without_network() -> list[str]:
    """A command prefix that runs a command without a network, or [] if this
    machine allows none (unshare needs root or unprivileged user namespaces)."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    for prefix in ([unshare, "--net"], [unshare, "--net", "--map-root-user"]):
        probe = subprocess.run([*prefix, "true"], capture_output=True, check=False)
        if probe.returncode == 0:
            return prefix
    return []


@contextlib.contextmanager
def _reporting() -> Iterator[None]:
    try:
        yield
    except EmulationError as error:
        sys.exit(f"pre-commit emulation: {error}")
    except subprocess.CalledProcessError as error:
        sys.exit(f"pre-commit emulation: `{' '.join(map(str, error.cmd))}` failed")


CHECKS = {
    "install-hooks": "install every hook's environment",
    "all-files": "`pre-commit run --all-files`",
    "tests-only-commit": "commit a change to one file of tests/ with the git hook installed",
    "pre-commit-ci": "pre-commit.ci's skip rules, then its offline run",
}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m template_checks.precommit_emulation",
        description=__doc__.split("\n", 1)[0] if __doc__ else None,
        epilog="; ".join(f"{name}: {meaning}" for name, meaning in CHECKS.items()),
    )
    parser.add_argument("project", type=Path, help="a generated project, a git repository")
    parser.add_argument(
        "--home", type=Path, required=True, help="where stand-ins and hook environments are kept"
    )
    parser.add_argument("checks", nargs="+", choices=list(CHECKS), help="what to run, in order")
    arguments = parser.parse_args(argv)
    with _reporting():
        emulation = Emulation(arguments.project, arguments.home)
        for check in arguments.checks:
            {
                "install-hooks": emulation.install_hooks,
                "all-files": emulation.run_all_files,
                "tests-only-commit": emulation.commit_touching_only_tests,
                "pre-commit-ci": emulation.run_as_pre_commit_ci,
            }[check]()


if __name__ == "__main__":
    main()
