"""What an sdist or a wheel holds, as PyPI and installers read it."""

from __future__ import annotations

import email
import email.message
import re
import tarfile
import zipfile
from pathlib import Path

# What an sdist must hold, and must not: build output, caches, compiled files, VCS data.
REQUIRED_IN_SDIST = ("LICENSE", "pyproject.toml", "PKG-INFO")
STRAY_IN_SDIST = ("build", "dist", "target", ".nox", "__pycache__", ".git", ".pytest_cache")
COMPILED_SUFFIXES = (".so", ".pyd", ".o", ".obj", ".dylib", ".dll")


def sdist_problems(sdist: Path) -> list[str]:
    """What is missing from the sdist or should not be in it ([] when it is clean).

    That it holds every source is shown by building the wheel from it alone.
    """
    with tarfile.open(sdist) as archive:
        names = [name.split("/", 1)[1] for name in archive.getnames() if "/" in name]
    problems = [f"{sdist.name} lacks {name}" for name in REQUIRED_IN_SDIST if name not in names]
    for name in names:
        if set(name.split("/")) & set(STRAY_IN_SDIST) or name.endswith(COMPILED_SUFFIXES):
            problems.append(f"{sdist.name} holds {name}")
    return problems


def sdist_metadata(sdist: Path) -> email.message.Message:
    """The core metadata of an sdist (its top-level PKG-INFO)."""
    with tarfile.open(sdist) as archive:
        (member,) = (
            member
            for member in archive.getmembers()
            if member.name.count("/") == 1 and member.name.endswith("/PKG-INFO")
        )
        file = archive.extractfile(member)
        if file is None:
            raise ValueError(f"{sdist.name}: PKG-INFO is not a file")
        return email.message_from_bytes(file.read())


def wheel_metadata(wheel: Path) -> email.message.Message:
    """The core metadata of a wheel: UTF-8 text in the form of e-mail headers."""
    with zipfile.ZipFile(wheel) as archive:
        (name,) = (name for name in archive.namelist() if name.endswith(".dist-info/METADATA"))
        return email.message_from_string(archive.read(name).decode("utf-8"))


def wheel_tags(wheel: Path) -> tuple[str, str, str]:
    """A wheel's python, abi and platform tags, from its file name."""
    python, abi, platform = wheel.name.removesuffix(".whl").rsplit("-", 3)[-3:]
    return python, abi, platform


def linux_modules(wheel: Path, folder: Path) -> list[Path]:
    """The compiled modules of a Linux wheel, unpacked into `folder` ([] for others)."""
    if not wheel_tags(wheel)[2].startswith(("linux", "manylinux", "musllinux")):
        return []
    with zipfile.ZipFile(wheel) as archive:
        names = [name for name in archive.namelist() if name.endswith(".so")]
        archive.extractall(folder, members=names)
    return [folder / name for name in names]


def debug_sections(readelf_sections: str) -> list[str]:
    """The DWARF debug sections in `readelf --section-headers --wide` output:
    release wheels leave them out, as CMake's and Meson's release builds do."""
    return re.findall(r"\]\s+(\.z?debug_\w+)", readelf_sections)


def tracing_hooks(readelf_symbols: str) -> list[str]:
    """The sys.monitoring hooks a module calls, in `readelf --dyn-syms --wide`
    output: a module built for line coverage (Cython's `linetrace`) calls them on
    every function entry and runs slower; release wheels leave them out."""
    return re.findall(r"\bUND\s+(_?PyMonitoring_\w+)", readelf_symbols)
