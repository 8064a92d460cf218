"""The МАБ and university thresholds at their boundaries (D-5, D-6, MAB-U-10…14)."""

from __future__ import annotations

import pytest

from ubt_domain.errors import DomainError
from ubt_domain.scoring.thresholds import (
    MasteryBasis,
    attendance_reached,
    mastered,
    organisation_flagged,
    reaches,
    school_flagged,
    university_passed,
)


def test_mab_s_28_grade_4_masters_at_6_of_20_not_at_5() -> None:
    """30 % of 20 is 6: 6/20 masters, 5/20 does not (exact, no float rounding)."""
    assert mastered([6], [20]) is True
    assert mastered([5], [20]) is False


def test_d_5_grade_9_total_basis_versus_per_subject_basis() -> None:
    """27 of 90 masters on the total; with 8 in one subject it fails per subject."""
    correct, tasks = [8, 10, 9], [30, 30, 30]
    assert mastered(correct, tasks, basis=MasteryBasis.TOTAL) is True  # 27 ≥ 27
    assert mastered(correct, tasks, basis=MasteryBasis.PER_SUBJECT) is False  # 8 < 9
    assert mastered([9, 9, 9], tasks, basis=MasteryBasis.PER_SUBJECT) is True
    assert mastered([8, 10, 8], tasks, basis=MasteryBasis.TOTAL) is False  # 26 < 27


def test_mab_s_29_seven_percent_rule_at_6_9_and_7_0_percent() -> None:
    """69 of 1000 below threshold (6.9 %) is not flagged; 70 of 1000 (7.0 %) is."""
    assert school_flagged(69, 1000) is False
    assert school_flagged(70, 1000) is True
    assert school_flagged(0, 0) is False


def test_d_6_school_rule_counts_the_students_who_sat() -> None:
    """The denominator is who sat: 2 of 28 is 7.1 % (flagged), 2 of 29 is 6.9 % (not)."""
    assert school_flagged(2, 28) is True
    assert school_flagged(2, 29) is False


def test_mab_u_10_university_pass_marks_at_49_50_and_74_75_of_125() -> None:
    """40 % of 125 is 50, 60 % is 75: each boundary passes, one below fails."""
    assert university_passed(50, 125, medical=False) is True
    assert university_passed(49, 125, medical=False) is False
    assert university_passed(75, 125, medical=True) is True
    assert university_passed(74, 125, medical=True) is False


def test_mab_u_12_attendance_at_seventy_percent() -> None:
    """70 of 100 present reaches 70 %; 69 does not; 7 of 10 does."""
    assert attendance_reached(70, 100) is True
    assert attendance_reached(69, 100) is False
    assert attendance_reached(7, 10) is True
    with pytest.raises(DomainError):
        attendance_reached(0, 0)


def test_mab_u_14_organisation_flagged_in_a_quarter_of_its_specialties() -> None:
    """1 of 4 specialties over 7 % flags the organisation (25 %); 1 of 5 does not."""
    assert organisation_flagged([True, False, False, False]) is True
    assert organisation_flagged([True, False, False, False, False]) is False
    assert organisation_flagged([]) is False


def test_d_5_reaches_refuses_impossible_counts() -> None:
    """A part above the whole, or an empty whole, is the caller's bug."""
    with pytest.raises(ValueError, match="part"):
        reaches(21, 20, 30)
    with pytest.raises(ValueError, match="part"):
        reaches(0, 0, 30)
