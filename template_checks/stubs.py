"""The stub a package would ship if its declared types drifted from its compiled module."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


def wrong_stub(declared: str, function: str = "add") -> str:
    """The stub a package would ship if its declared types drifted from its module.

    `declared` is a stub or typed source: the result keeps its names, docstrings and
    other functions, but declares every parameter and the return of `function` as
    `str`, and leaves every function body out, as a stub does.
    """
    tree = ast.parse(declared)
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    if function not in {node.name for node in functions}:
        msg = f"no function {function!r} to plant a wrong type in"
        raise ValueError(msg)
    for node in functions:
        docstring = ast.get_docstring(node, clean=False)
        kept = [ast.Expr(ast.Constant(docstring))] if docstring is not None else []
        node.body = [*kept, ast.Expr(ast.Constant(...))]
        if node.name == function:
            arguments = node.args
            for argument in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
                argument.annotation = ast.Name("str")
            node.returns = ast.Name("str")
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


@contextmanager
def planted(paths: Sequence[Path], text: str) -> Iterator[None]:
    """Write `text` to each path for the duration, then put back what was there
    (removing a file that was not)."""
    originals = {path: path.read_bytes() if path.exists() else None for path in paths}
    try:
        for path in paths:
            path.write_text(text, encoding="utf-8")
        yield
    finally:
        for path, original in originals.items():
            if original is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(original)
