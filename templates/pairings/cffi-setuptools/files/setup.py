"""Build the CFFI extension that cffi_build.py describes; the rest is in pyproject.toml."""

from setuptools import setup

setup(
    # cffi's own setup() keyword: "build script:FFI object" for each compiled module.
    cffi_modules=["cffi_build.py:ffibuilder"],
)
