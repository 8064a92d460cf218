"""The e-journal's grades: entered once, never edited, late only with a recorded grant.

Grades are immutable (EJ-5): a second grade for the same assessment is
refused, and the journal is a hash chain (the score ledger's mechanism,
:mod:`ubt_domain.ledger.chain`) so an edit made behind the software's back
shows. A grade outside its window is entered only with an access grant,
requested for technical reasons or the student's illness under letter
No. 1218 of 14.08.2019 (EJ-6), and the grant is recorded in the entry.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar

from pydantic import AwareDatetime, Field

from ubt_domain.errors import DomainError
from ubt_domain.gradebook.windows import (
    RUSSIAN_TEXT_POLICY,
    AssessmentKind,
    Quarter,
    WindowPolicy,
    entry_deadline,
)
from ubt_domain.ledger.chain import ChainCheck, LinkedEntry, verify_chain
from ubt_domain.models import DomainModel

__all__ = [
    "GRANT_BASIS",
    "AccessGrant",
    "GradeEntry",
    "GradeJournal",
    "GrantReason",
    "record_grade",
]

#: EJ-6: the letter under which access is opened.
GRANT_BASIS = "№1218, 14.08.2019"


class GrantReason(StrEnum):
    """Why a grade could not be entered in its window (EJ-6)."""

    TECHNICAL = "technical"
    ILLNESS = "illness"


class AccessGrant(DomainModel):
    """A recorded permission to enter one grade after its window."""

    malformed_rule: ClassVar[str] = "EJ-6"

    student: str = Field(min_length=1)
    subject: str = Field(min_length=1)
    kind: AssessmentKind
    assessment_date: dt.date
    reason: GrantReason
    granted_by: str = Field(min_length=1)
    granted_at: AwareDatetime
    basis: str = GRANT_BASIS
    reference: str = Field(min_length=1, description="number of the request")


class GradeEntry(LinkedEntry):
    """One grade in the journal."""

    chain_tag: ClassVar[bytes] = b"ubt_domain.e-journal.v1"
    malformed_rule: ClassVar[str] = "EJ-5"

    student: str = Field(min_length=1)
    subject: str = Field(min_length=1)
    grade_level: int = Field(ge=1, le=11)
    kind: AssessmentKind
    assessment_date: dt.date
    grade: int = Field(ge=0)
    teacher: str = Field(min_length=1)
    entered_at: AwareDatetime
    grant: AccessGrant | None = None

    @property
    def key(self) -> tuple[str, str, AssessmentKind, dt.date]:
        return (self.student, self.subject, self.kind, self.assessment_date)


class GradeJournal(DomainModel):
    """A class's e-journal: grades in the order they were entered."""

    malformed_rule: ClassVar[str] = "EJ-5"

    school: str = Field(min_length=1)
    entries: tuple[GradeEntry, ...] = ()

    def verify(self, *, head: str | None = None) -> ChainCheck:
        """Check that no grade was edited, removed or reordered."""
        return verify_chain(self.entries, head=head)


def record_grade(
    journal: GradeJournal,
    *,
    student: str,
    subject: str,
    grade_level: int,
    kind: AssessmentKind,
    assessment_date: dt.date,
    grade: int,
    teacher: str,
    entered_at: dt.datetime,
    zone: dt.tzinfo,
    quarter: Quarter,
    policy: WindowPolicy = RUSSIAN_TEXT_POLICY,
    grant: AccessGrant | None = None,
) -> GradeJournal:
    """Enter one grade, if its window is open or a matching grant allows it.

    Implements EJ-5, EJ-6, D-11.

    Parameters
    ----------
    entered_at : datetime
        Aware time of entry; its date in ``zone`` is compared with the window.
    zone : tzinfo
        The school's zone.
    grant : AccessGrant, optional
        Needed when the window has closed; it must name this grade.

    Raises
    ------
    DomainError
        (EJ-5) the assessment already has a grade: grades are never changed;
        (EJ-6) the window has closed and no matching grant was given; (EJ-1)
        entered before the assessment or outside the quarter.
    """
    if not isinstance(zone, dt.tzinfo):
        raise DomainError("D-10", f"zone must be the school's ZoneInfo, got {zone!r}")
    key = (student, subject, kind, assessment_date)
    if any(e.key == key for e in journal.entries):
        raise DomainError(
            "EJ-5",
            f"{student}, {subject}, {kind} of {assessment_date} already has a "
            "grade; grades are never changed",
        )
    if entered_at.utcoffset() is None:
        raise DomainError("EJ-6", "entered_at must be timezone-aware")
    deadline = entry_deadline(grade_level, kind, assessment_date, quarter, policy)
    day = entered_at.astimezone(zone).date()
    if day < assessment_date:
        raise DomainError("EJ-1", f"a grade for {assessment_date} cannot be entered on {day}")
    used_grant = None
    if day > deadline:
        if grant is None:
            raise DomainError(
                "EJ-6",
                f"the window closed on {deadline}; a late grade needs a "
                "recorded access grant (technical reasons or illness)",
            )
        if (grant.student, grant.subject, grant.kind, grant.assessment_date) != key:
            raise DomainError("EJ-6", "the access grant is for another grade")
        if grant.granted_at > entered_at:
            raise DomainError("EJ-6", "the access grant postdates the entry")
        used_grant = grant
    previous = journal.entries[-1] if journal.entries else None
    entry = GradeEntry.linked(
        previous,
        student=student,
        subject=subject,
        grade_level=grade_level,
        kind=kind,
        assessment_date=assessment_date,
        grade=grade,
        teacher=teacher,
        entered_at=entered_at,
        grant=used_grant,
    )
    return GradeJournal(school=journal.school, entries=(*journal.entries, entry))
