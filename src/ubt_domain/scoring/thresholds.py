"""The thresholds of МАБ and university МАБ, in whole-number arithmetic (D-5, D-6, MAB-U-10…14).

Every "equal to" threshold of the sources reads as "reaches or exceeds"
(T-23, T-24). Percentages compare as integers (``part · 100 ≥ percent ·
whole``) so that 6 of 20 is exactly 30 % and never 29.999… in floating point.
The percentages are named parameters; the polars statements use the same
comparison through :func:`reaches_expr`.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

from ubt_domain.errors import DomainError

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "ATTENDANCE_PERCENT",
    "MASTERY_PERCENT",
    "MEDICAL_PASS_PERCENT",
    "OTHER_PASS_PERCENT",
    "SCHOOL_FAIL_PERCENT",
    "SPECIALTY_SHARE_PERCENT",
    "MasteryBasis",
    "attendance_reached",
    "mastered",
    "organisation_flagged",
    "reaches",
    "reaches_expr",
    "school_flagged",
    "university_passed",
]

#: МАБ «игерді»: 30 % of the tasks answered correctly (MAB-S-28, D-5).
MASTERY_PERCENT = 30
#: The school rule: 7 % of the students who sat below the threshold (MAB-S-29, D-6).
SCHOOL_FAIL_PERCENT = 7
#: University МАБ pass marks: medical 60 %, other specialties 40 % (MAB-U-10).
MEDICAL_PASS_PERCENT = 60
OTHER_PASS_PERCENT = 40
#: University attendance: at least 70 % of the roster takes part (MAB-U-12).
ATTENDANCE_PERCENT = 70
#: University rule T-18: the 7 % failure in 25 % or more of the specialties (MAB-U-14).
SPECIALTY_SHARE_PERCENT = 25
_PERCENT = 100


class MasteryBasis(StrEnum):
    """What МАБ's 30 % is taken of (D-5, G-11)."""

    TOTAL = "total"  # the sheet's total tasks (grade 9: 27 of 90): the default
    PER_SUBJECT = "per_subject"  # every subject on its own (grade 9: 9 of 30 each)


def reaches(part: int, whole: int, percent: int) -> bool:
    """``part`` is at least ``percent`` % of ``whole`` (exact, integer).

    Examples
    --------
    >>> reaches(6, 20, 30), reaches(5, 20, 30)
    (True, False)
    """
    if whole <= 0 or part < 0 or part > whole:
        raise ValueError(f"need 0 <= part <= whole and whole > 0, got {part} of {whole}")
    return part * _PERCENT >= percent * whole


def reaches_expr(part: pl.Expr, whole: pl.Expr, percent: int) -> pl.Expr:
    """The polars form of :func:`reaches`, for whole frames at once."""
    return part.cast(_int64()) * _PERCENT >= whole.cast(_int64()) * percent


def _int64() -> type[pl.Int64]:
    import polars as pl

    return pl.Int64


def mastered(
    correct_per_subject: Sequence[int],
    tasks_per_subject: Sequence[int],
    *,
    basis: MasteryBasis = MasteryBasis.TOTAL,
    percent: int = MASTERY_PERCENT,
) -> bool:
    """«игерді»: the student reached the МАБ threshold.

    Implements MAB-S-28, D-5.

    Parameters
    ----------
    correct_per_subject, tasks_per_subject : sequence of int
        Correct answers and tasks of each subject, in the same order.
    basis : MasteryBasis
        On the total (default) or on every subject.
    percent : int
        The threshold, 30 by the Rules.
    """
    if len(correct_per_subject) != len(tasks_per_subject) or not tasks_per_subject:
        raise ValueError("give correct answers and tasks for the same, non-empty, subjects")
    if basis is MasteryBasis.TOTAL:
        return reaches(sum(correct_per_subject), sum(tasks_per_subject), percent)
    return all(
        reaches(c, t, percent) for c, t in zip(correct_per_subject, tasks_per_subject, strict=True)
    )


def school_flagged(not_mastered: int, sat: int, *, percent: int = SCHOOL_FAIL_PERCENT) -> bool:
    """A school goes to extraordinary attestation: ≥ 7 % of those who sat did not master.

    Implements MAB-S-29, D-6. The denominator is the students who sat (G-12).
    """
    if sat == 0:
        return False
    return reaches(not_mastered, sat, percent)


def university_passed(points: int, max_points: int, *, medical: bool) -> bool:
    """A university student passes МАБ: 60 % (medical) or 40 % (other) of all tasks.

    Implements MAB-U-10.

    Examples
    --------
    >>> university_passed(50, 125, medical=False), university_passed(74, 125, medical=True)
    (True, False)
    """
    return reaches(points, max_points, MEDICAL_PASS_PERCENT if medical else OTHER_PASS_PERCENT)


def attendance_reached(present: int, roster: int, *, percent: int = ATTENDANCE_PERCENT) -> bool:
    """The organisation brought at least 70 % of its roster to МАБ.

    Implements MAB-U-12.
    """
    if roster <= 0:
        raise DomainError("MAB-U-12", "the roster is empty: nobody was due to take part")
    return reaches(present, roster, percent)


def organisation_flagged(
    failed_share_flags: Sequence[bool], *, percent: int = SPECIALTY_SHARE_PERCENT
) -> bool:
    """An organisation goes to extraordinary attestation (T-18's reading).

    Implements MAB-U-14: in 25 % or more of its specialties, 7 % or more of
    the students failed the threshold. ``failed_share_flags`` holds, per
    specialty, whether its failed share reached 7 % (:func:`school_flagged`
    applied to the specialty).
    """
    if not failed_share_flags:
        return False
    return reaches(sum(failed_share_flags), len(failed_share_flags), percent)
