"""The public API: one sorted ``__all__`` per package, every name importable."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("package", ["omrkit", "ubt_domain"])
def test_all_is_sorted_and_importable(package: str) -> None:
    """``__all__`` is sorted, has no duplicates, and each name resolves."""
    module = importlib.import_module(package)
    names = list(module.__all__)
    assert names == sorted(names)
    assert len(set(names)) == len(names)
    for name in names:
        assert getattr(module, name) is not None
