"""How CFFI compiles {{ cookiecutter.__import_name }}._core_cffi (run by setup.py).

API (out-of-line) mode: cffi writes a C extension module that calls the C
functions declared in src/_core.h, and compiles it together with src/_core.c.
"""

from pathlib import Path

from cffi import FFI

ffibuilder = FFI()
# What Python may call: the header, which is kept to plain declarations for this.
ffibuilder.cdef(Path("src/_core.h").read_text(encoding="utf-8"))
ffibuilder.set_source(
    "{{ cookiecutter.__import_name }}._core_cffi",
    '#include "_core.h"',
    sources=["src/_core.c"],
    include_dirs=["src"],
)
