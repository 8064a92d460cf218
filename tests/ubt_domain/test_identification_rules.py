"""Which identification rules this project carries in software, and which it cannot."""

from __future__ import annotations

import re
from pathlib import Path

ID_IDS = {f"UNT-ID-{n}" for n in range(1, 16)}
# The identification side of other areas: scanning hand-over, the decisions
# on additional seating and school lists, and the МАБ/ОЖСБ processing rules.
RELATED_IDS = {
    "UNT-SCAN-3",
    "UNT-SCAN-6",
    "UNT-SCAN-7",
    "UNT-SCAN-8",
    "UNT-KEY-2",
    "D-4",
    "D-8",
    "D-12",
    "MAB-S-5",
    "MAB-S-8",
    "MAB-S-21",
    "OZH-15",
    "OZH-18",
}
# Rules of these areas that no software can carry, with the reason.
HUMAN_ONLY = {
    "UNT-SCAN-7": "a work schedule: people identify room n while room n+1 is scanned; the "
    "software's part is that each room is identified from its own data alone",
}
_TEST_RULE = re.compile(r"def test_((?:unt_[a-z]+|mab_[su]|ozh|d)_\d+)_")


def _covered_rule_ids() -> set[str]:
    covered: set[str] = set()
    for path in Path(__file__).parent.glob("test_*.py"):
        for token in _TEST_RULE.findall(path.read_text(encoding="utf-8")):
            covered.add(token.upper().replace("_", "-"))
    return covered


def test_unt_id_rules_are_tested_or_listed_as_human_only() -> None:
    """Every identification rule has a test named after it or a stated reason it has none."""
    covered = _covered_rule_ids()
    wanted = ID_IDS | RELATED_IDS
    assert covered & set(HUMAN_ONLY) == set(), "a rule listed as human-only is tested"
    assert wanted - set(HUMAN_ONLY) - covered == set()
    assert set(HUMAN_ONLY) <= wanted
