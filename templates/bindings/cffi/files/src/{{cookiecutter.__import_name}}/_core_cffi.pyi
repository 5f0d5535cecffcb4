"""Types of the extension module that cffi_build.py has CFFI compile."""

from typing import Literal, Protocol

class _LongLongPointer(Protocol):
    def __getitem__(self, index: Literal[0], /) -> int: ...

class _FFI(Protocol):
    def new(self, cdecl: Literal["long long *"], /) -> _LongLongPointer: ...

class _Lib(Protocol):
    def core_add(self, a: int, b: int, total: _LongLongPointer, /) -> int: ...
    def core_fib(self, n: int, /) -> int: ...

ffi: _FFI
lib: _Lib
