"""Build the Rust extension; everything else is in pyproject.toml."""
{%- if cookiecutter.stable_abi == "yes" %}
{%- set minimum = pairing_info(cookiecutter.pairing).abi3_minimum.split(".") %}

import platform
import sysconfig
{%- endif %}

from setuptools import setup
from setuptools_rust import Binding, RustExtension
{% include piece("limited-api.py") %}
setup(
    rust_extensions=[
        # The crate of Cargo.toml, whose library is named _core. Wheels are built
        # in release mode, `pip install -e .` in debug mode.
        RustExtension(
            "{{ cookiecutter.__import_name }}._core",
            path="Cargo.toml",
            binding=Binding.PyO3,
        ),
    ],
{%- if cookiecutter.stable_abi == "yes" %}
    # The wheel's tag: abi3, for CPython {{ minimum | join(".") }} and later; setuptools-rust
    # then builds with PyO3's matching abi3 feature.
    options={"bdist_wheel": {"py_limited_api": "cp{{ minimum | join("") }}"}} if LIMITED_API else {},
{%- endif %}
)
