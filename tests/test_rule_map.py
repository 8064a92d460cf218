"""docs/rule-map.md, which the README links for where each rule lives, is up to date."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("rule_map", ROOT / "scripts" / "rule_map.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rule_map_is_current() -> None:
    """The committed map equals what ``python scripts/rule_map.py`` generates now."""
    expected = _generator().render()
    assert (ROOT / "docs" / "rule-map.md").read_text(encoding="utf-8") == expected


def test_rule_map_sees_rules_in_code_and_tests() -> None:
    """The generator finds implementation sites and rule-named tests (it is not vacuous)."""
    gen = _generator()
    assert "UNT-ID-1" in gen.implementation_sites()
    assert "UNT-SCORE-1" in gen.test_sites()
