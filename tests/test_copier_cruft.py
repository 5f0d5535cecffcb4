"""copier and cruft make the same projects as cookiecutter, and their updates
bring the template's changes while keeping the user's edits."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import PAIRINGS, REGISTRY, ROOT, render

from template_tools.questions import COPIER_YML, copier_yml

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Template Tests",
    "GIT_AUTHOR_EMAIL": "tests@example.org",
    "GIT_COMMITTER_NAME": "Template Tests",
    "GIT_COMMITTER_EMAIL": "tests@example.org",
}
ANSWERS_FILES = {".copier-answers.yml", ".cruft.json"}
COMMENT = {
    ".py": "#",
    ".pyx": "#",
    ".toml": "#",
    ".txt": "#",
    ".cpp": "//",
    ".c": "//",
    ".rs": "//",
}
SKELETON = "{{cookiecutter.project_name}}"
V2_OWN_FILE_LINE = "Changed in template v2"
USER_OWN_FILE_LINE = "Our team's change"


def run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command with a git identity; fail the test with its output if it fails."""
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env={**os.environ, **GIT_IDENTITY},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


def tool(name: str) -> list[str]:
    return [sys.executable, "-m", name]


def commit_all(repository: Path, message: str) -> None:
    run("git", "add", "--all", cwd=repository)
    run("git", "commit", "--quiet", "--no-verify", f"--message={message}", cwd=repository)


def files_of(project: Path) -> dict[str, bytes]:
    return {
        path.relative_to(project).as_posix(): path.read_bytes()
        for path in project.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(project).parts
    }


def edited_own_file(pairing: str) -> Path:
    """The pairing's longest own piece file (its own, its backend's or its
    binding's) that takes a line comment, relative to templates/."""
    entry = REGISTRY.pairings[pairing]
    folders = [f"pairings/{pairing}", f"backends/{entry['backend_id']}"]
    folders.append(f"bindings/{entry['binding_id']}")
    templates = ROOT / "templates"
    files = [
        path.relative_to(templates)
        for folder in folders
        for path in (templates / folder / "files").rglob("*")
        if path.suffix in COMMENT
    ]
    return max(files, key=lambda path: (len((templates / path).read_text().splitlines()), path))


def find(project: Path, name: str) -> Path:
    (path,) = (path for path in project.rglob(name) if ".git" not in path.parts)
    return path


@dataclass(frozen=True)
class TemplateRepository:
    path: Path


@pytest.fixture(scope="session")
def template_repository(tmp_path_factory: pytest.TempPathFactory) -> TemplateRepository:
    """A git repository of this template, tagged v1.0.0, then changed and tagged v2.0.0:
    a shared file changed, every pairing's own file changed, and a new file."""
    repository = tmp_path_factory.mktemp("template") / "cookiecutter-binary-extension"
    listed = run("git", "ls-files", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in listed.stdout.splitlines():
        if (ROOT / name).is_file():
            (repository / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repository / name)
    run("git", "init", "--quiet", cwd=repository)
    commit_all(repository, "Template v1")
    run("git", "tag", "v1.0.0", cwd=repository)

    readme = repository / SKELETON / "README.md"
    readme.write_text(readme.read_text().replace("## Install\n", "## Installation\n"))
    for edited in sorted(set(map(edited_own_file, PAIRINGS))):
        own_file = repository / "templates" / edited
        comment = COMMENT[own_file.suffix]
        own_file.write_text(own_file.read_text() + f"{comment} {V2_OWN_FILE_LINE}\n")
    (repository / SKELETON / "CONTRIBUTING.md").write_text(
        "# Contributing\n\nRun `nox` before you open a pull request.\n"
    )
    commit_all(repository, "Template v2")
    run("git", "tag", "v2.0.0", cwd=repository)
    run("git", "checkout", "--quiet", "v1.0.0", cwd=repository)
    return TemplateRepository(repository)


def copier_copy(template: TemplateRepository, destination: Path, pairing: str) -> Path:
    run(
        *tool("copier"),
        "copy",
        "--trust",
        "--defaults",
        "--vcs-ref=v1.0.0",
        f"--data=pairing={pairing}",
        template.path,
        destination,
    )
    return destination


def cruft_create(template: TemplateRepository, output_dir: Path, pairing: str) -> Path:
    run(
        *tool("cruft"),
        "create",
        "--no-input",
        "--checkout=v1.0.0",
        f"--output-dir={output_dir}",
        f"--extra-context={json.dumps({'pairing': pairing})}",
        template.path,
    )
    (project,) = output_dir.iterdir()
    return project


def test_copier_yml_is_written_from_cookiecutter_json() -> None:
    assert COPIER_YML.read_text(encoding="utf-8") == copier_yml()
    questions = yaml.safe_load(copier_yml())
    assert list(questions["pairing"]["choices"].values()) == PAIRINGS


@pytest.mark.parametrize("pairing", PAIRINGS)
def test_cookiecutter_copier_and_cruft_make_the_same_project(
    tmp_path: Path, template_repository: TemplateRepository, pairing: str
) -> None:
    made_by_cookiecutter = files_of(render(tmp_path / "cookiecutter", pairing=pairing))
    made_by_copier = files_of(copier_copy(template_repository, tmp_path / "copier", pairing))
    made_by_cruft = files_of(cruft_create(template_repository, tmp_path / "cruft", pairing))
    assert made_by_copier.keys() - made_by_cookiecutter.keys() == {".copier-answers.yml"}
    assert made_by_cruft.keys() - made_by_cookiecutter.keys() == {".cruft.json"}
    for made in (made_by_copier, made_by_cruft):
        assert {name: data for name, data in made.items() if name not in ANSWERS_FILES} == (
            made_by_cookiecutter
        )


def make_user_edits(project: Path, pairing: str) -> Path:
    """Edit a shared file and the pairing's own file, as a user would, and commit."""
    run("git", "init", "--quiet", cwd=project)
    commit_all(project, "Generated project")
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\n## Our notes\n\nKept by us.\n")
    own_file = find(project, edited_own_file(pairing).name)
    comment = COMMENT[own_file.suffix]
    own_file.write_text(f"{comment} {USER_OWN_FILE_LINE}\n" + own_file.read_text())
    commit_all(project, "Our edits")
    return own_file


def assert_updated_and_edits_kept(project: Path, own_file: Path) -> None:
    readme = (project / "README.md").read_text()
    assert "## Installation\n" in readme, "the template's change did not arrive"
    assert "Kept by us." in readme, "the user's edit of a shared file was lost"
    own_text = own_file.read_text()
    assert V2_OWN_FILE_LINE in own_text, "the pairing's change did not arrive"
    assert USER_OWN_FILE_LINE in own_text, "the user's edit of the pairing's file was lost"
    assert (project / "CONTRIBUTING.md").is_file(), "the template's new file did not arrive"
    for name, data in files_of(project).items():
        assert not name.endswith((".rej", ".orig")), name
        assert b"<<<<<<<" not in data, f"conflict markers in {name}"
        assert b">>>>>>>" not in data, f"conflict markers in {name}"


@pytest.mark.parametrize("pairing", PAIRINGS)
def test_copier_update_brings_template_changes_and_keeps_user_edits(
    tmp_path: Path, template_repository: TemplateRepository, pairing: str
) -> None:
    project = copier_copy(template_repository, tmp_path / "project", pairing)
    own_file = make_user_edits(project, pairing)
    run(*tool("copier"), "update", "--trust", "--defaults", "--vcs-ref=v2.0.0", cwd=project)
    assert_updated_and_edits_kept(project, own_file)
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v2.0.0"


@pytest.mark.parametrize("pairing", PAIRINGS)
def test_cruft_update_brings_template_changes_and_keeps_user_edits(
    tmp_path: Path, template_repository: TemplateRepository, pairing: str
) -> None:
    project = cruft_create(template_repository, tmp_path / "output", pairing)
    own_file = make_user_edits(project, pairing)
    run(*tool("cruft"), "update", "--skip-apply-ask", "--checkout=v2.0.0", cwd=project)
    assert_updated_and_edits_kept(project, own_file)
    v2 = run("git", "rev-parse", "v2.0.0", cwd=template_repository.path).stdout.strip()
    assert json.loads((project / ".cruft.json").read_text())["commit"] == v2


def conflicting_edit(project: Path) -> None:
    """Change the very line the template changes between v1 and v2."""
    run("git", "init", "--quiet", cwd=project)
    commit_all(project, "Generated project")
    readme = project / "README.md"
    readme.write_text(readme.read_text().replace("## Install\n", "## How to install\n"))
    commit_all(project, "Our heading")


def test_copier_reports_a_conflicting_edit_with_markers(
    tmp_path: Path, template_repository: TemplateRepository
) -> None:
    project = copier_copy(template_repository, tmp_path / "project", PAIRINGS[0])
    conflicting_edit(project)
    run(*tool("copier"), "update", "--trust", "--defaults", "--vcs-ref=v2.0.0", cwd=project)
    readme = (project / "README.md").read_text()
    assert "<<<<<<<" in readme
    assert ">>>>>>>" in readme
    assert "## How to install" in readme
    assert "## Installation" in readme


def test_cruft_reports_a_conflicting_edit_without_losing_it(
    tmp_path: Path, template_repository: TemplateRepository
) -> None:
    project = cruft_create(template_repository, tmp_path / "output", PAIRINGS[0])
    conflicting_edit(project)
    run(*tool("cruft"), "update", "--skip-apply-ask", "--checkout=v2.0.0", cwd=project)
    readme = (project / "README.md").read_text()
    rejected = project / "README.md.rej"
    assert "## How to install" in readme
    assert "<<<<<<<" in readme or rejected.is_file(), "the conflict was not reported"
