"""Every example in omrkit's docstrings runs and prints what it shows."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import omrkit

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(omrkit.__path__, prefix="omrkit.")
    if not info.name.startswith(("omrkit.sheet_layouts", "omrkit.calibration"))
)


def test_modules_are_found() -> None:
    """The walk sees the package's modules (a silent empty list would test nothing)."""
    assert {"omrkit.layout.models", "omrkit.read.sheet", "omrkit.measure.fill"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    """The module's doctests pass."""
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
