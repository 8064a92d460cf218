"""The student's quarter report card (табель), exported from the journal (EJ-8).

The report card is kept only electronically; after each quarter it is
exported from the system, signed by the director and stamped with the
school's seal (EJ-8). It is computed from a journal that verifies intact.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from pydantic import Field

from ubt_domain.errors import DomainError
from ubt_domain.gradebook.journal import GradeEntry, GradeJournal
from ubt_domain.gradebook.windows import AssessmentKind, Quarter
from ubt_domain.models import DomainModel

if TYPE_CHECKING:
    import polars as pl

__all__ = ["ReportCard", "ReportCardRow", "report_card", "report_card_frame"]


class ReportCardRow(DomainModel):
    """One subject of the report card."""

    malformed_rule: ClassVar[str] = "EJ-8"

    subject: str
    unit_summatives: tuple[int, ...]
    quarter_summative: int | None
    quarter_final: int | None


class ReportCard(DomainModel):
    """A student's report card for one quarter."""

    malformed_rule: ClassVar[str] = "EJ-8"

    school: str
    student: str
    student_name: str = Field(min_length=1)
    grade_level: int = Field(ge=1, le=11)
    quarter: Quarter
    director: str = Field(min_length=1)
    exported_on: dt.date
    journal_head: str
    rows: tuple[ReportCardRow, ...]


def report_card(
    journal: GradeJournal,
    *,
    student: str,
    student_name: str,
    grade_level: int,
    quarter: Quarter,
    director: str,
    exported_on: dt.date,
) -> ReportCard:
    """Export a student's quarter report card from the journal.

    Implements EJ-8.

    Raises
    ------
    DomainError
        (EJ-8) exported before the quarter ended; (EJ-5) the journal fails its check.
    """
    if exported_on < quarter.last_day:
        raise DomainError(
            "EJ-8",
            f"quarter {quarter.number} ends {quarter.last_day}; the report "
            "card is exported after it",
        )
    check = journal.verify()
    if not check.intact:
        raise DomainError("EJ-5", f"the journal fails its check: {check.problems[0].detail}")
    mine = [
        e
        for e in journal.entries
        if e.student == student and quarter.first_day <= e.assessment_date <= quarter.last_day
    ]
    rows = []
    for subject in sorted({e.subject for e in mine}):
        of = [e for e in mine if e.subject == subject]

        rows.append(
            ReportCardRow(
                subject=subject,
                unit_summatives=tuple(
                    e.grade
                    for e in sorted(of, key=lambda e: e.assessment_date)
                    if e.kind is AssessmentKind.UNIT_SUMMATIVE
                ),
                quarter_summative=_last(of, AssessmentKind.QUARTER_SUMMATIVE),
                quarter_final=_last(of, AssessmentKind.QUARTER_FINAL),
            )
        )
    return ReportCard(
        school=journal.school,
        student=student,
        student_name=student_name,
        grade_level=grade_level,
        quarter=quarter,
        director=director,
        exported_on=exported_on,
        journal_head=check.head_hash,
        rows=tuple(rows),
    )


def _last(entries: list[GradeEntry], kind: AssessmentKind) -> int | None:
    graded = [e.grade for e in entries if e.kind is kind]
    return graded[-1] if graded else None


def report_card_frame(card: ReportCard) -> pl.DataFrame:
    """The report card as a polars frame: one row per subject.

    Implements EJ-8.

    Returns
    -------
    polars.DataFrame
        Columns ``subject`` (str), ``unit_summatives`` (list of int),
        ``quarter_summative`` and ``quarter_final`` (int, null when not given).
    """
    import polars as pl  # the domain core imports light; the export pays for polars

    return pl.DataFrame(
        {
            "subject": [r.subject for r in card.rows],
            "unit_summatives": [list(r.unit_summatives) for r in card.rows],
            "quarter_summative": [r.quarter_summative for r in card.rows],
            "quarter_final": [r.quarter_final for r in card.rows],
        },
        schema={
            "subject": pl.String,
            "unit_summatives": pl.List(pl.Int64),
            "quarter_summative": pl.Int64,
            "quarter_final": pl.Int64,
        },
    )
