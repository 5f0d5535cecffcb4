"""The checks of the types a project declares: which each pairing runs, and the wrong
stub the `pairing` sessions plant to show that they fail on it."""

from __future__ import annotations

import ast
import shutil
import tomllib
from pathlib import Path

import pytest
from conftest import REGISTRY, ROOT, Rendered
from test_registry import read_from

from template_checks import stubs


def declared_types(project: Path) -> str:
    """The types the package declares: its stub, or where it has none its typed source."""
    package = project / "src" / "my_package"
    stub = package / "_core.pyi"
    return (stub if stub.exists() else package / "_core.py").read_text(encoding="utf-8")


def functions(source: str) -> dict[str, ast.FunctionDef]:
    return {node.name: node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)}


def annotation(node: ast.expr | None) -> str:
    return ast.unparse(node) if node is not None else ""


def test_the_planted_stub_declares_add_on_str_and_keeps_the_rest(rendered: Rendered) -> None:
    declared = functions(declared_types(rendered.path))
    wrong = functions(stubs.wrong_stub(declared_types(rendered.path)))
    assert set(wrong) == set(declared)
    add = wrong["add"]
    assert [(argument.arg, annotation(argument.annotation)) for argument in add.args.args] == [
        ("a", "str"),
        ("b", "str"),
    ]
    assert annotation(add.returns) == "str"
    fib, declared_fib = wrong["fib"], declared["fib"]
    assert ast.dump(fib.args) == ast.dump(declared_fib.args)
    assert annotation(fib.returns) == annotation(declared_fib.returns)
    assert ast.get_docstring(fib) == ast.get_docstring(declared_fib)


def test_planting_needs_the_function_it_plants_in() -> None:
    with pytest.raises(ValueError, match="no function 'add'"):
        stubs.wrong_stub("def fib(n: int) -> int: ...\n")


def test_a_stub_generator_comes_with_its_test_and_pinned_requirement(rendered: Rendered) -> None:
    generator = REGISTRY.pairings[rendered.pairing]["stub_generator"]
    project = rendered.path
    assert (project / "tests" / "test_stub.py").exists() == bool(generator)
    assert (project / "tests" / "test_types.py").exists()
    test_group = tomllib.loads((project / "pyproject.toml").read_text())["dependency-groups"][
        "test"
    ]
    if generator:
        assert generator["requirement"] in test_group
        assert "==" in generator["requirement"], "the stub generator must be pinned"
        assert {"{module}", "{output_dir}"} <= set(generator["command"])
        stubtest = (project / "noxfile.py").read_text()
        assert 'session.run("pytest", "tests/test_stub.py")' in stubtest


def test_a_stub_generator_missing_a_key_is_refused(tmp_path: Path) -> None:
    templates = Path(shutil.copytree(ROOT / "templates", tmp_path / "templates"))
    binding = next(
        entry["binding_id"] for entry in REGISTRY.pairings.values() if entry["stub_generator"]
    )
    binding_toml = templates / "bindings" / binding / "binding.toml"
    text = binding_toml.read_text(encoding="utf-8")
    binding_toml.write_text(text.replace("\nrequirement = ", "\nversion = "), encoding="utf-8")
    with pytest.raises(ValueError, match="stub_generator must state exactly command, name"):
        read_from(templates)


def test_a_planted_stub_is_removed_and_a_replaced_one_restored_even_on_failure(
    tmp_path: Path,
) -> None:
    shipped = tmp_path / "shipped.pyi"
    shipped.write_bytes(b"def add(a: int, b: int) -> int: ...\n")
    absent = tmp_path / "absent.pyi"
    seen: list[str] = []

    def check_then_fail() -> None:
        with stubs.planted([shipped, absent], "wrong\n"):
            seen.extend([shipped.read_text(), absent.read_text()])
            raise RuntimeError

    with pytest.raises(RuntimeError):
        check_then_fail()
    assert seen == ["wrong\n", "wrong\n"]
    assert shipped.read_bytes() == b"def add(a: int, b: int) -> int: ...\n"
    assert not absent.exists()
