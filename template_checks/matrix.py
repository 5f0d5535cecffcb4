"""Run nox sessions side by side, each in its own process, and report as they end."""

from __future__ import annotations

import concurrent.futures
import json
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Outcome:
    name: str
    returncode: int
    seconds: float
    log: str


def tagged_sessions(noxfile: Path, tag: str) -> list[str]:
    """The names of the noxfile's sessions that carry `tag`, in its order."""
    listing = subprocess.run(
        [sys.executable, "-m", "nox", "-f", str(noxfile), "--list", "--json", "--tags", tag],
        capture_output=True,
        text=True,
        check=True,
    )
    return [entry["session"] for entry in json.loads(listing.stdout) if tag in entry["tags"]]


def run_side_by_side(
    commands: Mapping[str, Sequence[str]],
    jobs: int,
    logs: Path,
    on_end: Callable[[Outcome], None],
) -> list[Outcome]:
    """Run each named command with its output in its own log file, `jobs` at a
    time; call `on_end` as each one ends; return every outcome, in the given order."""
    logs.mkdir(parents=True, exist_ok=True)

    def run(index: int, name: str) -> Outcome:
        log = logs / f"{index:03}.log"
        started = time.perf_counter()
        with log.open("w") as output:
            finished = subprocess.run(
                commands[name], stdout=output, stderr=subprocess.STDOUT, check=False
            )
        seconds = time.perf_counter() - started
        return Outcome(name, finished.returncode, seconds, log.read_text(errors="replace"))

    outcomes: dict[str, Outcome] = {}
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        futures = [pool.submit(run, index, name) for index, name in enumerate(commands)]
        for future in concurrent.futures.as_completed(futures):
            outcome = future.result()
            outcomes[outcome.name] = outcome
            on_end(outcome)
    return [outcomes[name] for name in commands]
