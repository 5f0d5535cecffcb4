{#- Included by setup.py files that import os and setuptools' build_ext. -#}
class BuildExtWithoutDebugInfo(build_ext):
    """build_ext leaving debug info out of the compiled module, as pybind11's
    setup helpers do: Python's own CFLAGS hold -g, which makes a wheel several
    times larger. `-g` in CFLAGS or CPPFLAGS, or `build_ext --debug`, keeps it."""

    def build_extensions(self) -> None:
        requested = f"{os.environ.get('CFLAGS', '')} {os.environ.get('CPPFLAGS', '')}"
        keep = self.debug or any(flag.startswith("-g") for flag in requested.split())
        if self.compiler.compiler_type != "msvc" and not keep:
            for extension in self.extensions:
                extension.extra_compile_args = [*extension.extra_compile_args, "-g0"]
        super().build_extensions()
