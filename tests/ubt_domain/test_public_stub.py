"""The lazy package and its stub agree: type checkers see exactly the names it serves."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import ubt_domain

STUB = Path(ubt_domain.__file__).with_suffix(".pyi")


def _stub_homes() -> tuple[dict[str, str], list[str]]:
    """Each name the stub imports with its module, and the stub's ``__all__``."""
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    homes: dict[str, str] = {}
    exported: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            homes.update({alias.name: node.module for alias in node.names})
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.List):
            exported = [ast.literal_eval(element) for element in node.value.elts]
    return homes, exported


def test_stub_names_the_same_homes_as_the_lazy_table() -> None:
    """Every public name comes from the same module in the stub and at run time."""
    homes, _ = _stub_homes()
    assert homes == vars(ubt_domain)["_HOME_OF"]  # not in the stub: private


def test_one_sorted_all_in_package_and_stub() -> None:
    """``__all__`` is sorted, without repeats, and the stub's is the same list."""
    _, exported = _stub_homes()
    assert ubt_domain.__all__ == sorted(set(ubt_domain.__all__))
    assert exported == ubt_domain.__all__


def test_an_unknown_name_is_an_attribute_error() -> None:
    """A misspelt name fails as any missing attribute does."""
    with pytest.raises(AttributeError, match="seat_rooms"):
        getattr(ubt_domain, "seat_rooms")  # noqa: B009
