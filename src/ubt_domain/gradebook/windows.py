"""When a grade may be entered: windows by grade level and assessment kind (EJ-2 … EJ-4, D-11).

Grade 11: grades within 10 days; the quarter's final grade by the quarter's
last day (EJ-2). Grades 1-10: a unit summative (БЖБ / СОР) within 10
calendar days by default, 14 with the Kazakh text's preset (EJ-3, C-1,
D-11); a quarter summative (ТЖБ / СОЧ) by the quarter's last day (EJ-4).
Windows count from the assessment date, inclusive (D-11): a 10-day window
of an assessment on the 1st closes at the end of the 10th, in the school's
own time. A grade for an assessment outside the current quarter is a grade
for a past period, which the journal exists to prevent (EJ-1).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar

from pydantic import Field, model_validator

from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel

__all__ = [
    "KAZAKH_TEXT_POLICY",
    "RUSSIAN_TEXT_POLICY",
    "AssessmentKind",
    "Quarter",
    "WindowPolicy",
    "entry_deadline",
]

SENIOR_GRADE = 11
FIRST_GRADE = 1


class AssessmentKind(StrEnum):
    """What a grade is for."""

    GRADE = "grade"  # an ordinary grade
    UNIT_SUMMATIVE = "unit-summative"  # БЖБ / СОР
    QUARTER_SUMMATIVE = "quarter-summative"  # ТЖБ / СОЧ
    QUARTER_FINAL = "quarter-final"  # the quarter's final grade


class WindowPolicy(DomainModel):
    """Window lengths in calendar days (D-11)."""

    malformed_rule: ClassVar[str] = "D-11"

    grade_11_days: int = Field(default=10, ge=1)
    unit_summative_days: int = Field(default=10, ge=1)


#: D-11 default: the Russian text's 10 calendar days, consistent with grade 11.
RUSSIAN_TEXT_POLICY = WindowPolicy()
#: The Kazakh text's 14 days for grades 1-10 unit summatives (C-1).
KAZAKH_TEXT_POLICY = WindowPolicy(unit_summative_days=14)


class Quarter(DomainModel):
    """An academic quarter: its first and last day."""

    malformed_rule: ClassVar[str] = "EJ-4"

    number: int = Field(ge=1, le=4)
    first_day: dt.date
    last_day: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Quarter:
        if self.last_day < self.first_day:
            raise DomainError("EJ-4", f"quarter {self.number} ends before it starts")
        return self


def _window(days: int, assessment_date: dt.date) -> dt.date:
    # Inclusive of the assessment date: day 1 is the assessment date itself.
    return assessment_date + dt.timedelta(days=days - 1)


def entry_deadline(
    grade_level: int,
    kind: AssessmentKind,
    assessment_date: dt.date,
    quarter: Quarter,
    policy: WindowPolicy = RUSSIAN_TEXT_POLICY,
) -> dt.date:
    """The last local calendar day on which the grade may be entered without a grant.

    Implements EJ-1, EJ-2, EJ-3, EJ-4, D-11.

    Parameters
    ----------
    grade_level : int
        1..11.
    kind : AssessmentKind
    assessment_date : datetime.date
        Must fall inside ``quarter``.
    quarter : Quarter
    policy : WindowPolicy

    Raises
    ------
    DomainError
        (EJ-1) the assessment is outside the quarter; (EJ-9) grades 1-10
        ordinary grades, for which the letter sets no window.

    Examples
    --------
    >>> q = Quarter(number=2, first_day=dt.date(2019, 11, 4), last_day=dt.date(2019, 12, 27))
    >>> entry_deadline(7, AssessmentKind.UNIT_SUMMATIVE, dt.date(2019, 11, 11), q)
    datetime.date(2019, 11, 20)
    >>> entry_deadline(7, AssessmentKind.UNIT_SUMMATIVE, dt.date(2019, 11, 11), q,
    ...                KAZAKH_TEXT_POLICY)
    datetime.date(2019, 11, 24)
    """
    if not FIRST_GRADE <= grade_level <= SENIOR_GRADE:
        raise DomainError("EJ-2", f"grade level must be 1..11, got {grade_level}")
    if not quarter.first_day <= assessment_date <= quarter.last_day:
        raise DomainError(
            "EJ-1",
            f"{assessment_date} is outside quarter {quarter.number}: "
            "grades for past periods are not entered",
        )
    if kind is AssessmentKind.QUARTER_FINAL:
        return quarter.last_day
    if grade_level == SENIOR_GRADE:
        return _window(policy.grade_11_days, assessment_date)
    if kind is AssessmentKind.QUARTER_SUMMATIVE:
        return quarter.last_day
    if kind is AssessmentKind.UNIT_SUMMATIVE:
        return _window(policy.unit_summative_days, assessment_date)
    raise DomainError(
        "EJ-9", f"the letter sets no entry window for ordinary grades of grade {grade_level}"
    )
