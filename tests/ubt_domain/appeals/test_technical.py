"""Technical appeals decided by the 50 % rule on re-measured fills (numbers given here)."""

from __future__ import annotations

import pytest

from tests.ubt_domain.appeals.sample import evidence
from ubt_domain.appeals.technical import (
    SheetDefect,
    TechnicalCase,
    TechnicalOutcome,
    technical_finding,
)
from ubt_domain.errors import DomainError


def test_unt_apl_20_case_1_key_painted_at_least_half_but_not_read() -> None:
    """C painted 51 %, the key, recorded blank: upheld under case 1."""
    finding = technical_finding(evidence(4, key="C", recorded=(), fills=(0, 0, 0.51, 0, 0)))
    assert (finding.outcome, finding.case) == (TechnicalOutcome.UPHELD, TechnicalCase.KEY_NOT_READ)
    assert finding.painted_test_day == ("C",)


def test_unt_apl_18_exactly_half_is_painted_and_just_under_is_not() -> None:
    """0.50 counts as painted; 0.4999 does not."""
    at_half = technical_finding(evidence(4, key="C", recorded=(), fills=(0, 0, 0.5, 0, 0)))
    under = technical_finding(evidence(4, key="C", recorded=(), fills=(0, 0, 0.4999, 0, 0)))
    assert at_half.outcome is TechnicalOutcome.UPHELD
    assert under.outcome is TechnicalOutcome.NOT_UPHELD


def test_d_2_a_mark_under_half_read_as_a_second_mark_is_upheld() -> None:
    """Key A at 90 %, B at 49 % read as marked (a false double): upheld, case 2 by D-2."""
    finding = technical_finding(
        evidence(4, key="A", recorded=("A", "B"), fills=(0.9, 0.49, 0, 0, 0))
    )
    assert (finding.outcome, finding.case, finding.rule_id) == (
        TechnicalOutcome.UPHELD,
        TechnicalCase.FALSE_MARK,
        "D-2",
    )


def test_d_2_a_real_double_mark_is_not_upheld() -> None:
    """B at 51 % is a real mark: the double stands and the appeal is not upheld."""
    finding = technical_finding(
        evidence(4, key="A", recorded=("A", "B"), fills=(0.9, 0.51, 0, 0, 0))
    )
    assert finding.outcome is TechnicalOutcome.NOT_UPHELD


def test_unt_apl_20_case_3_a_defective_sheet_counted_an_unpainted_circle() -> None:
    """With a recorded sheet defect, a false mark is case 3."""
    finding = technical_finding(
        evidence(
            4,
            key="A",
            recorded=("A", "D"),
            fills=(0.95, 0, 0, 0.02, 0),
            defect=SheetDefect.SPOILED_PRINT,
        )
    )
    assert finding.case is TechnicalCase.DEFECT_FALSE_MARK


def test_unt_apl_19_three_kinds_of_defective_sheet() -> None:
    """Colour, damaged inside, spoiled print or overlap: the three criteria."""
    assert {d.value for d in SheetDefect} == {"colour", "inside-damaged", "spoiled-print"}


def test_unt_apl_20_a_painted_wrong_answer_is_not_upheld() -> None:
    """D painted 80 %, the key C blank: the answer was wrong, nothing to uphold (T-1)."""
    finding = technical_finding(evidence(4, key="C", recorded=(), fills=(0, 0, 0.1, 0.8, 0)))
    assert finding.outcome is TechnicalOutcome.NOT_UPHELD


def test_unt_apl_21_key_recorded_alone_is_a_correct_answer() -> None:
    """The test day already recorded the key: not upheld under UNT-APL-21."""
    finding = technical_finding(evidence(4, key="C", recorded=("C",), fills=(0, 0, 0.9, 0, 0)))
    assert (finding.outcome, finding.rule_id) == (TechnicalOutcome.NOT_UPHELD, "UNT-APL-21")


def test_unt_apl_27_scans_that_disagree_are_inconclusive() -> None:
    """51 % on the test-day scan, 48 % on the appeal scan: the commission must look."""
    finding = technical_finding(
        evidence(4, key="C", recorded=(), fills=(0, 0, 0.51, 0, 0), appeal_fills=(0, 0, 0.48, 0, 0))
    )
    assert finding.outcome is TechnicalOutcome.INCONCLUSIVE
    assert finding.case is None


def test_unt_apl_27_both_images_are_named_and_fills_aligned() -> None:
    """Evidence needs both image hashes and one fill per option, each in 0..1."""
    with pytest.raises(DomainError):
        evidence(4, key="C", recorded=(), fills=(0, 0, 0.5, 0, 0), appeal_day_image="")
    with pytest.raises(DomainError, match="values for 5 options"):
        evidence(4, key="C", recorded=(), fills=(0, 0, 0.5, 0))
    with pytest.raises(DomainError) as caught:
        evidence(4, key="C", recorded=(), fills=(0, 0, 1.5, 0, 0))
    assert caught.value.rule_id == "UNT-APL-18"
    with pytest.raises(DomainError, match="not among"):
        evidence(4, key="F", recorded=(), fills=(0, 0, 0.5, 0, 0))
