"""Application forms: register names in the journals, read the forms, close the journals.

Implements, through :mod:`ubt_domain`, UNT-REG-2 (names typed in the journal get
their ТЖК), UNT-GEN-12 and UNT-FORM-* (forms decoded into applicants or error
protocols), UNT-REG-5 (the scan result written in the journal) and UNT-REG-14
(closing, after reconciliation and with NTC's password).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from omrkit.types import SheetReading
from testing_point.passwords import matches
from testing_point.store import Store
from ubt_domain.application.applicants import Applicant, Directories
from ubt_domain.application.form import AcceptedApplication, FormMark, decode_application
from ubt_domain.application.names import PersonName
from ubt_domain.application.protocol import ErrorProtocol
from ubt_domain.journal.closing import close_journal
from ubt_domain.journal.entries import (
    RegistrationJournal,
    ScanStatus,
    record_scan_result,
    register_applicant,
)
from ubt_domain.journal.reconciliation import DbRecord

__all__ = [
    "APPLICANT",
    "CLOSING_VERIFIER",
    "FORM_ERROR",
    "JOURNAL",
    "FormsRead",
    "applicants",
    "close_journals",
    "journals",
    "read_forms",
    "register_names",
]

JOURNAL = "journal"  # key: school id
APPLICANT = "applicant"  # key: ТЖК
FORM_ERROR = "form-error"  # key: the form's sheet id
CLOSING_VERIFIER = ("verifier", "journal-closing")
APPLICATION_LAYOUT = "ubt-application"


def journals(store: Store) -> dict[str, RegistrationJournal]:
    """Every school's journal, by school id."""
    return {
        school: RegistrationJournal.model_validate_json(store.get(JOURNAL, school) or "")
        for school in store.keys(JOURNAL)
    }


def applicants(store: Store) -> list[Applicant]:
    """Every accepted applicant, by ТЖК order."""
    return [
        Applicant.model_validate_json(store.get(APPLICANT, tzhk) or "")
        for tzhk in store.keys(APPLICANT)
    ]


def register_names(
    store: Store,
    names: Sequence[tuple[str, PersonName]],
    *,
    tzhk_prefix: Callable[[str], str],
    as_of: dt.datetime,
    deadline: dt.datetime,
) -> list[str]:
    """Type each ``(school, name)`` into its school's journal; returns the ТЖК of each.

    A name already registered in its school's journal keeps its ТЖК (a rerun
    registers nobody twice).
    """
    with store.transaction():
        books = journals(store)
        tzhks = []
        for school, person in names:
            book = books.get(school) or RegistrationJournal(
                school_id=school, tzhk_prefix=tzhk_prefix(school), printed_lines=len(names)
            )
            row = next((r for r in book.rows if r.person == person), None)
            if row is None:
                book = register_applicant(book, person, as_of=as_of, deadline=deadline)
                row = book.rows[-1]
            books[school] = book
            tzhks.append(row.tzhk)
        for school, book in books.items():
            store.put(JOURNAL, school, book.model_dump_json(), at=as_of)
    return tzhks


@dataclass(frozen=True)
class FormsRead:
    """What one reading of application forms gave."""

    accepted: tuple[Applicant, ...]
    protocols: tuple[ErrorProtocol, ...]
    failures: tuple[str, ...]  # forms omrkit could not read, with the reason


def read_forms(
    store: Store,
    readings: Sequence[SheetReading | tuple[Path, str]],
    *,
    directories: Directories,
    exam_year: int,
    as_of: dt.datetime,
) -> FormsRead:
    """Decode read application forms into applicants or error protocols, in one transaction.

    Parameters
    ----------
    readings : sequence of SheetReading or (path, reason)
        The engine's readings of the forms; a form it could not read is given
        as its path and the reason, and is reported back for a re-scan.
    """
    accepted, protocols, failures = [], [], []
    with store.transaction():
        books = journals(store)
        registered = {row.tzhk: row.person for book in books.values() for row in book.rows}
        school_of = {row.tzhk: s for s, book in books.items() for row in book.rows}
        for reading in readings:
            if not isinstance(reading, SheetReading):
                failures.append(f"{reading[0]}: {reading[1]}")
                continue
            result = decode_application(
                reading, directories, exam_year=exam_year, registered=registered
            )
            if isinstance(result, AcceptedApplication):
                applicant = result.applicant
                school = school_of.get(applicant.tzhk)
                if school is not None:
                    applicant = Applicant.model_validate(
                        {**applicant.model_dump(), "school_id": school}
                    )
                    status = (
                        ScanStatus.CHANGED
                        if result.mark is FormMark.CHANGED
                        else ScanStatus.ENTERED
                    )
                    books[school] = _record(books[school], applicant.tzhk, status)
                store.put(APPLICANT, applicant.tzhk, applicant.model_dump_json(), at=as_of)
                accepted.append(applicant)
            elif isinstance(result, ErrorProtocol):
                store.put(FORM_ERROR, result.sheet_id, result.model_dump_json(), at=as_of)
                protocols.append(result)
        for school, book in books.items():
            store.put(JOURNAL, school, book.model_dump_json(), at=as_of)
    return FormsRead(tuple(accepted), tuple(protocols), tuple(failures))


def _record(book: RegistrationJournal, tzhk: str, status: ScanStatus) -> RegistrationJournal:
    row = next(r for r in book.rows if r.tzhk == tzhk)
    if row.scan_status is not None:  # read before: a re-scan of the same form changes nothing
        return book
    return record_scan_result(book, tzhk, status)


def close_journals(
    store: Store,
    *,
    as_of: dt.datetime,
    closing_date: dt.date,
    zone: dt.tzinfo,
    password: str,
    director: str,
    head: str,
) -> list[str]:
    """Close every open journal whose database agrees with it; returns the schools closed."""
    verifier = store.get(*CLOSING_VERIFIER)
    if verifier is None:
        raise RuntimeError("no journal-closing password verifier: run `ubt init` first")
    closed = []
    with store.transaction():
        people = applicants(store)
        for school, book in journals(store).items():
            if book.closed:
                continue
            database = [
                DbRecord(tzhk=a.tzhk, status=_status(book, a.tzhk))
                for a in people
                if a.school_id == school
            ]
            book = close_journal(
                book, database, as_of=as_of, closing_date=closing_date, zone=zone,
                password=password, verify_password=lambda given: matches(given, verifier),
                director=director, head=head,
            )  # fmt: skip
            store.put(JOURNAL, school, book.model_dump_json(), at=as_of)
            closed.append(school)
    return closed


def _status(book: RegistrationJournal, tzhk: str) -> ScanStatus:
    row = next(r for r in book.rows if r.tzhk == tzhk)
    return row.scan_status or ScanStatus.ENTERED
