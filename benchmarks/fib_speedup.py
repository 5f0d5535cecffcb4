"""Print how much faster a generated package's compiled `fib` is than pure Python.

Usage: python fib_speedup.py IMPORT_NAME [N]
"""

from __future__ import annotations

import importlib
import sys
import timeit
from collections.abc import Callable


def pure_fib(n: int) -> int:
    """The same naive recursion as the compiled demo."""
    return n if n < 2 else pure_fib(n - 1) + pure_fib(n - 2)


def best_time(function: Callable[[int], int], n: int) -> float:
    """The fastest of three single calls, in seconds."""
    return min(timeit.repeat(lambda: function(n), number=1, repeat=3))


def main() -> None:
    import_name, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 27
    compiled = importlib.import_module(import_name).fib
    assert compiled(n) == pure_fib(n)
    python, native = best_time(pure_fib, n), best_time(compiled, n)
    print(
        f"fib({n}): pure Python {python:.3f} s, compiled {native:.4f} s, "
        f"speedup {python / native:.0f}x"
    )


if __name__ == "__main__":
    main()
