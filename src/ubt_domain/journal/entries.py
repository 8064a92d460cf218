"""The application registration journal (appx 5) of one school.

The technical secretary registers every application in the journal; typing
the applicant's name in «Аты-жөні» assigns the next ТЖК automatically
(UNT-REG-2), and after each scan the «Сканерлеу нәтижесі» column records one
of «енгізілді», «өзгертілді», «жойылды» (UNT-REG-5). A deleted applicant is
registered again on an empty line with a new ТЖК; a ТЖК is never reused
(UNT-REG-10). Once closed the journal is frozen (UNT-REG-15).

Every function returns a new journal; none mutates its input. Comparing the
journal with the database is :mod:`ubt_domain.journal.reconciliation`, closing it is
:mod:`ubt_domain.journal.closing`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar, Self

from pydantic import Field, field_validator, model_validator

from ubt_domain.application.applicants import TZHK_DIGITS, Tzhk
from ubt_domain.application.names import PersonName
from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel

__all__ = [
    "REGISTERED_STATUSES",
    "JournalClosing",
    "JournalRow",
    "RegistrationJournal",
    "ScanStatus",
    "next_tzhk",
    "record_certificate_issued",
    "record_documents_returned",
    "record_scan_result",
    "register_applicant",
]

# The sequence part of a ТЖК needs at least one digit after the school prefix.
MAX_PREFIX_DIGITS = TZHK_DIGITS - 1


class ScanStatus(StrEnum):
    """The «Сканерлеу нәтижесі» column (UNT-REG-5)."""

    ENTERED = "енгізілді"
    CHANGED = "өзгертілді"
    DELETED = "жойылды"


# A row is registered (not deleted) while its status is one of these or blank.
REGISTERED_STATUSES = frozenset({None, ScanStatus.ENTERED, ScanStatus.CHANGED})

# UNT-REG-5 and UNT-REG-10: the statuses a row may move to from each status.
_ALLOWED_STATUS: dict[ScanStatus | None, frozenset[ScanStatus]] = {
    None: frozenset({ScanStatus.ENTERED}),
    ScanStatus.ENTERED: frozenset({ScanStatus.CHANGED, ScanStatus.DELETED}),
    ScanStatus.CHANGED: frozenset({ScanStatus.CHANGED, ScanStatus.DELETED}),
    ScanStatus.DELETED: frozenset(),
}


class JournalRow(DomainModel):
    """One line of the registration journal.

    Parameters
    ----------
    line : int
        Printed line number, from 1.
    tzhk : str
        ТЖК assigned when the name was typed (UNT-REG-2).
    person : PersonName
        «Аты-жөні» in true spelling.
    scan_status : ScanStatus or None
        «Сканерлеу нәтижесі»; ``None`` until the first scan (UNT-REG-5).
    certificate_issued : bool
        The registration certificate (анықтама) was handed out (UNT-REG-3).
    documents_returned : bool
        The applicant signed «Кұжаттарды қайтарып алған кездегі түсушінің
        қолы» on taking the documents back (UNT-REG-10 step 1).
    """

    malformed_rule: ClassVar[str] = "UNT-REG-2"

    line: int = Field(ge=1)
    tzhk: Tzhk
    person: PersonName
    scan_status: ScanStatus | None = None
    certificate_issued: bool = False
    documents_returned: bool = False

    @property
    def registered(self) -> bool:
        """Entered in the journal and not deleted."""
        return self.scan_status in REGISTERED_STATUSES


class LateClosingOverride(DomainModel):
    """NTC's recorded permission to close a journal after the deadline (UNT-REG-13).

    Parameters
    ----------
    reference : str
        Reference of NTC's decision (letter or ticket number) allowing it.
    granted_by : str
        Who at NTC granted it.
    reason : str
        Why the journal could not be closed in time.
    """

    malformed_rule: ClassVar[str] = "UNT-REG-13"

    reference: str = Field(min_length=1, pattern=r"\S")
    granted_by: str = Field(min_length=1, pattern=r"\S")
    reason: str = Field(min_length=1, pattern=r"\S")


class JournalClosing(DomainModel):
    """How and when a journal was closed (UNT-REG-14).

    A late closing carries the NTC override that allowed it (UNT-REG-13).
    """

    malformed_rule: ClassVar[str] = "UNT-REG-14"

    closed_at: dt.datetime
    late: bool = Field(description="closed after 18:00 local time of the closing date")
    struck_lines: tuple[int, ...] = Field(description="empty lines struck through with «Z»")
    director: str = Field(min_length=1, description="school director who signed")
    head: str = Field(min_length=1, description="testing-point head who signed")
    late_override: LateClosingOverride | None = None

    @model_validator(mode="after")
    def _late_only_by_override(self) -> Self:
        if self.late and self.late_override is None:
            raise DomainError(
                "UNT-REG-13", "a journal closed after 18:00 needs NTC's recorded override"
            )
        return self

    @field_validator("closed_at")
    @classmethod
    def _aware(cls, closed_at: dt.datetime) -> dt.datetime:
        _require_aware(closed_at, "closed_at")
        return closed_at


class RegistrationJournal(DomainModel):
    """The registration journal of one school.

    Implements UNT-REG-1, UNT-REG-2.

    Parameters
    ----------
    school_id : str
        The school.
    tzhk_prefix : str
        Digits every ТЖК of this journal starts with (the school's block); the
        remaining digits count applications from 1.
    printed_lines : int
        Lines printed "according to the number of applicants" (UNT-REG-1).
    rows : tuple of JournalRow
        Lines in use, in line order.
    closing : JournalClosing or None
        Set once closed; the journal is frozen from then on (UNT-REG-15).
    """

    malformed_rule: ClassVar[str] = "UNT-REG-1"

    school_id: str = Field(min_length=1)
    tzhk_prefix: str = Field(pattern=rf"^[0-9]{{1,{MAX_PREFIX_DIGITS}}}$")
    printed_lines: int = Field(ge=1)
    rows: tuple[JournalRow, ...] = ()
    closing: JournalClosing | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        tzhks = [r.tzhk for r in self.rows]
        if len(set(tzhks)) != len(tzhks):
            raise DomainError("UNT-REG-2", "a ТЖК appears on two journal lines")
        lines = [r.line for r in self.rows]
        if lines != sorted(set(lines)):
            raise DomainError("UNT-REG-1", "journal lines must be distinct and in order")
        if lines and lines[-1] > self.printed_lines:
            raise DomainError("UNT-REG-1", f"line {lines[-1]} beyond {self.printed_lines} printed")
        foreign = [t for t in tzhks if not t.startswith(self.tzhk_prefix)]
        if foreign:
            raise DomainError("UNT-REG-2", f"ТЖК {foreign} outside prefix {self.tzhk_prefix}")
        return self

    @property
    def closed(self) -> bool:
        return self.closing is not None

    def row(self, tzhk: str) -> JournalRow:
        """The line holding ``tzhk``; :class:`DomainError` if none does."""
        for row in self.rows:
            if row.tzhk == tzhk:
                return row
        raise DomainError("UNT-REG-2", f"ТЖК {tzhk} is not in the journal of {self.school_id}")


def _require_open(journal: RegistrationJournal, action: str) -> None:
    if not isinstance(journal, RegistrationJournal):
        raise DomainError("UNT-REG-1", f"expected a RegistrationJournal, got {journal!r:.80}")
    if journal.closed:
        raise DomainError(
            "UNT-REG-15",
            f"the journal of {journal.school_id} is closed: cannot {action}; "
            "errors found now go to the change journal",
        )


def next_tzhk(journal: RegistrationJournal) -> str:
    """The ТЖК the next registration receives.

    Implements UNT-REG-2, UNT-REG-10.

    Notes
    -----
    The sequence continues after the highest ТЖК ever issued in the journal,
    deleted lines included, so a deleted applicant's ТЖК is never reused.

    Examples
    --------
    >>> journal = RegistrationJournal(school_id="S1", tzhk_prefix="0420", printed_lines=30)
    >>> next_tzhk(journal)
    '042000001'
    """
    width = TZHK_DIGITS - len(journal.tzhk_prefix)
    issued = [int(r.tzhk[len(journal.tzhk_prefix) :]) for r in journal.rows]
    sequence = max(issued, default=0) + 1
    if sequence >= 10**width:
        raise DomainError(
            "UNT-REG-2", f"prefix {journal.tzhk_prefix} has no ТЖК left after {sequence - 1}"
        )
    return f"{journal.tzhk_prefix}{sequence:0{width}d}"


def register_applicant(
    journal: RegistrationJournal, person: PersonName, *, as_of: dt.datetime, deadline: dt.datetime
) -> RegistrationJournal:
    """Register an application on the next empty line with a new ТЖК.

    Implements UNT-REG-1, UNT-REG-2, UNT-REG-10 (step 5), UNT-REG-13, D-10.

    Parameters
    ----------
    journal : RegistrationJournal
        An open journal.
    person : PersonName
        «Аты-жөні» as typed, in true spelling.
    as_of : datetime
        When the application is registered; timezone-aware.
    deadline : datetime
        The closing deadline (:func:`ubt_domain.journal_closing.closing_deadline`).

    Returns
    -------
    RegistrationJournal
        The journal with one more row; the new row is ``rows[-1]``.
    """
    _require_open(journal, "register an application")
    _require_aware(as_of, "as_of")
    _require_aware(deadline, "deadline")
    if as_of > deadline:
        raise DomainError(
            "UNT-REG-13", f"applications closed at {deadline.isoformat()}, now {as_of.isoformat()}"
        )
    line = journal.rows[-1].line + 1 if journal.rows else 1
    if line > journal.printed_lines:
        raise DomainError(
            "UNT-REG-1", f"all {journal.printed_lines} printed lines of the journal are used"
        )
    row = JournalRow(line=line, tzhk=next_tzhk(journal), person=person)
    return journal.evolve(rows=(*journal.rows, row))


def _require_aware(moment: dt.datetime, name: str) -> None:
    if not isinstance(moment, dt.datetime) or moment.utcoffset() is None:
        raise DomainError("D-10", f"{name} must be a timezone-aware datetime, got {moment!r}")


def _replace_row(journal: RegistrationJournal, row: JournalRow) -> RegistrationJournal:
    rows = tuple(row if r.tzhk == row.tzhk else r for r in journal.rows)
    return journal.evolve(rows=rows)


def record_scan_result(
    journal: RegistrationJournal, tzhk: str, status: ScanStatus
) -> RegistrationJournal:
    """Write the scanning result of ``tzhk`` in «Сканерлеу нәтижесі».

    Implements UNT-REG-5, UNT-REG-10 (steps 1 and 4), UNT-REG-15.

    Notes
    -----
    A line holds exactly one status. A first scan enters the applicant; a
    re-scan with «өзгертілді» changes the record; «жойылды» is written only
    after the applicant signed for the returned documents and is final (a
    corrected application is registered again with a new ТЖК).
    """
    _require_open(journal, f"record a scan of ТЖК {tzhk}")
    if not isinstance(status, ScanStatus):
        raise DomainError("UNT-REG-5", f"status must be a ScanStatus, got {status!r}")
    row = journal.row(tzhk)
    if status not in _ALLOWED_STATUS[row.scan_status]:
        raise DomainError(
            "UNT-REG-5",
            f"ТЖК {tzhk} is {row.scan_status or 'not yet scanned'}; it cannot become {status}",
        )
    if status == ScanStatus.DELETED and not row.documents_returned:
        raise DomainError(
            "UNT-REG-10",
            f"ТЖК {tzhk}: the applicant must sign for the returned documents before deletion",
        )
    return _replace_row(journal, row.evolve(scan_status=status))


def record_documents_returned(journal: RegistrationJournal, tzhk: str) -> RegistrationJournal:
    """The applicant signed for the returned documents (first step of a deletion).

    Implements UNT-REG-10 (step 1).
    """
    _require_open(journal, f"return the documents of ТЖК {tzhk}")
    row = journal.row(tzhk)
    if not row.registered:
        raise DomainError("UNT-REG-10", f"ТЖК {tzhk} is already deleted")
    return _replace_row(journal, row.evolve(documents_returned=True))


def record_certificate_issued(journal: RegistrationJournal, tzhk: str) -> RegistrationJournal:
    """The registration certificate of ``tzhk`` was handed out.

    Implements UNT-REG-3, UNT-REG-10 (step 7): a certificate follows a scan
    that entered (or changed) the applicant in the database.
    """
    _require_open(journal, f"issue a certificate to ТЖК {tzhk}")
    row = journal.row(tzhk)
    if row.scan_status not in (ScanStatus.ENTERED, ScanStatus.CHANGED):
        raise DomainError(
            "UNT-REG-3",
            f"ТЖК {tzhk} is {row.scan_status or 'not yet scanned'}: no certificate before entry",
        )
    return _replace_row(journal, row.evolve(certificate_issued=True))
