"""copier and cruft make the same projects as cookiecutter, and their updates
bring the template's changes while keeping the user's edits."""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cruft
import pytest
import yaml
from conftest import PAIRINGS, REGISTRY, ROOT, contents_of, render
from copier import run_copy

from template_tools.answers import accepted_options
from template_tools.questions import COPIER_YML, copier_yml

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Template Tests",
    "GIT_AUTHOR_EMAIL": "tests@example.org",
    "GIT_COMMITTER_NAME": "Template Tests",
    "GIT_COMMITTER_EMAIL": "tests@example.org",
}
ANSWERS_FILES = {".copier-answers.yml", ".cruft.json"}
# Only a project that records its template (copier, cruft) gets it.
UPDATE_WORKFLOW = ".github/workflows/template-update.yml"
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
    """The template tagged v1.0.0 and v2.0.0 (see make_template_repository), checked out
    at v1.0.0."""
    return make_template_repository(tmp_path_factory.mktemp("template"))


def make_template_repository(folder: Path) -> TemplateRepository:
    """A git repository of this template, tagged v1.0.0, then changed and tagged v2.0.0:
    a shared file changed, every pairing's own file changed, and a new file."""
    repository = folder / "cookiecutter-binary-extension"
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


def copier_copy(
    template: TemplateRepository, destination: Path, pairing: str, version: str = "v1.0.0"
) -> Path:
    run(
        *tool("copier"),
        "copy",
        "--trust",
        "--defaults",
        f"--vcs-ref={version}",
        f"--data=pairing={pairing}",
        template.path,
        destination,
    )
    return destination


def cruft_create(
    template: TemplateRepository, output_dir: Path, pairing: str, version: str = "v1.0.0"
) -> Path:
    run(
        *tool("cruft"),
        "create",
        "--no-input",
        f"--checkout={version}",
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


@contextlib.contextmanager
def this_checkouts_template_tools() -> Iterator[None]:
    """copier imports template_tools afresh from its clone of the template (see
    copier_extension.py) and deletes the clone after: put back this checkout's,
    which cookiecutter and cruft then find already imported."""

    def loaded() -> dict[str, Any]:
        return {
            name: module
            for name, module in sys.modules.items()
            if name.partition(".")[0] == "template_tools"
        }

    kept = loaded()
    try:
        yield
    finally:
        for name in loaded():
            del sys.modules[name]
        sys.modules.update(kept)


# Every pairing with every combination of build options it takes.
COMBINATIONS = [
    (pairing, options)
    for pairing in PAIRINGS
    for options in accepted_options(pairing, REGISTRY.pairings)
]


@pytest.mark.parametrize(
    ("pairing", "options"),
    COMBINATIONS,
    ids=["-".join([pairing, *options.values()]) for pairing, options in COMBINATIONS],
)
def test_cookiecutter_copier_and_cruft_make_the_same_project(
    tmp_path: Path, template_repository: TemplateRepository, pairing: str, options: dict[str, str]
) -> None:
    """copier and cruft make the same project; plain cookiecutter, which records no
    template, makes it without the update workflow and says so in one README paragraph.
    In-process, so that the many combinations stay fast; the update tests below run
    copier and cruft from their command lines."""
    answers = {"pairing": pairing, **options}
    made_by_cookiecutter = contents_of(render(tmp_path / "cookiecutter", **answers))
    with this_checkouts_template_tools():
        run_copy(
            str(template_repository.path),
            tmp_path / "copier",
            data=answers,
            vcs_ref="v1.0.0",
            defaults=True,
            unsafe=True,
            quiet=True,
        )
    made_by_copier = contents_of(tmp_path / "copier")
    made_by_cruft = contents_of(
        cruft.create(
            str(template_repository.path),
            output_dir=tmp_path / "cruft",
            checkout="v1.0.0",
            extra_context=answers,
            no_input=True,
        )
    )
    assert made_by_copier.keys() - made_by_cookiecutter.keys() == {
        ".copier-answers.yml",
        UPDATE_WORKFLOW,
    }
    assert made_by_cruft.keys() - made_by_cookiecutter.keys() == {".cruft.json", UPDATE_WORKFLOW}
    following = without(made_by_copier, ANSWERS_FILES)
    assert following == without(made_by_cruft, ANSWERS_FILES)
    assert without(following, {UPDATE_WORKFLOW, "README.md"}) == without(
        made_by_cookiecutter, {"README.md"}
    )
    (plain_paragraph,), (following_paragraph,) = differing_paragraphs(
        made_by_cookiecutter["README.md"], following["README.md"]
    )
    assert "cruft link" in plain_paragraph
    assert "`template-update` workflow" in following_paragraph


def without(files: dict[str, bytes], names: set[str]) -> dict[str, bytes]:
    return {name: data for name, data in files.items() if name not in names}


def differing_paragraphs(first: bytes, second: bytes) -> tuple[list[str], list[str]]:
    """The paragraphs only `first` has, and those only `second` has, in two texts
    whose other paragraphs are the same and in the same order."""
    paragraphs = [text.decode().split("\n\n") for text in (first, second)]
    matcher = difflib.SequenceMatcher(a=paragraphs[0], b=paragraphs[1], autojunk=False)
    only_first: list[str] = []
    only_second: list[str] = []
    for operation, first_start, first_end, second_start, second_end in matcher.get_opcodes():
        if operation != "equal":
            only_first += paragraphs[0][first_start:first_end]
            only_second += paragraphs[1][second_start:second_end]
    return only_first, only_second


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
    for name, data in contents_of(project).items():
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


def failed(*command: str | Path, cwd: Path | None = None) -> str:
    """Run a command expected to fail; return its output."""
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env={**os.environ, **GIT_IDENTITY},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0, f"{command} succeeded:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


# A pairing that takes stable_abi=yes, and one that refuses it.
STABLE_ABI_PAIRING = next(
    name for name, entry in REGISTRY.pairings.items() if "stable_abi" not in entry["refuses"]
)
NO_STABLE_ABI_PAIRING = next(
    name for name, entry in REGISTRY.pairings.items() if "stable_abi" in entry["refuses"]
)
REFUSAL = (
    f"stable_abi=yes is not available with pairing {NO_STABLE_ABI_PAIRING!r}: "
    f"{REGISTRY.pairings[NO_STABLE_ABI_PAIRING]['refuses']['stable_abi']};"
)


def test_copier_update_to_a_pairing_that_refuses_a_chosen_option_fails_as_cruft_does(
    tmp_path: Path, template_repository: TemplateRepository
) -> None:
    made_by_copier = tmp_path / "copier"
    run(
        *tool("copier"), "copy", "--trust", "--defaults", "--vcs-ref=v1.0.0",
        f"--data=pairing={STABLE_ABI_PAIRING}", "--data=stable_abi=yes",
        template_repository.path, made_by_copier,
    )  # fmt: skip
    run("git", "init", "--quiet", cwd=made_by_copier)
    commit_all(made_by_copier, "Generated project")
    copier_says = failed(
        *tool("copier"), "update", "--trust", "--defaults", "--vcs-ref=v2.0.0",
        f"--data=pairing={NO_STABLE_ABI_PAIRING}", cwd=made_by_copier,
    )  # fmt: skip
    assert REFUSAL in copier_says
    assert "stable_abi: 'yes'" in (made_by_copier / ".copier-answers.yml").read_text()

    made_by_cruft = cruft_create_with(template_repository, tmp_path / "cruft", STABLE_ABI_PAIRING)
    run("git", "init", "--quiet", cwd=made_by_cruft)
    commit_all(made_by_cruft, "Generated project")
    cruft_says = failed(
        *tool("cruft"), "update", "--skip-apply-ask", "--checkout=v2.0.0",
        f"--variables-to-update={json.dumps({'pairing': NO_STABLE_ABI_PAIRING})}",
        cwd=made_by_cruft,
    )  # fmt: skip
    assert REFUSAL in cruft_says


def cruft_create_with(template: TemplateRepository, output_dir: Path, pairing: str) -> Path:
    run(
        *tool("cruft"), "create", "--no-input", "--checkout=v1.0.0",
        f"--output-dir={output_dir}",
        f"--extra-context={json.dumps({'pairing': pairing, 'stable_abi': 'yes'})}",
        template.path,
    )  # fmt: skip
    (project,) = output_dir.iterdir()
    return project


# One refused answer of each class, and the start of the one line every tool shows.
REFUSED = {
    "project_name": ("pytest", "project_name 'pytest' is the name of a package"),
    "email": ("jane(work)@example.org", "email 'jane(work)@example.org' holds a comment"),
    "full_name": (" Jane", "full_name ' Jane' starts or ends with a space"),
    "project_short_description": ("a\x7f", "project_short_description 'a\\x7f' contains"),
}


@pytest.mark.parametrize("question", list(REFUSED))
def test_copier_and_cruft_refuse_an_answer_with_the_same_line_and_write_nothing(
    tmp_path: Path, template_repository: TemplateRepository, question: str
) -> None:
    value, message = REFUSED[question]
    copier_says = failed(
        *tool("copier"), "copy", "--trust", "--defaults", "--vcs-ref=v1.0.0",
        f"--data={question}={value}", template_repository.path, tmp_path / "copier",
    )  # fmt: skip
    cruft_says = failed(
        *tool("cruft"), "create", "--no-input", "--checkout=v1.0.0",
        f"--output-dir={tmp_path / 'cruft'}", f"--extra-context={json.dumps({question: value})}",
        template_repository.path,
    )  # fmt: skip
    for says in (copier_says, cruft_says):
        (line,) = [line for line in says.splitlines() if message in line]
        assert "\n" not in line
    assert not (tmp_path / "copier").exists()
    assert not (tmp_path / "cruft").exists() or not any((tmp_path / "cruft").iterdir())
