"""Typographic numbers for certificates: from received blanks, each once, spoiled ones accounted.

Certificate blanks come from NTC in numbered ranges of one series (UNT-CERT-10).
Certificates are built after the stream's appeals end (UNT-CERT-2) and the
«Сертификат» module enters the numbers automatically (UNT-CERT-3, UNT-CERT-4):
ascending free numbers of the range, skipping blanks spoiled in printing.
A number is never used twice, in any stream; a range too short for the
stream is refused before anything is numbered. Issued numbers, spoiled and
unused blanks go back to NTC under the act of appx 41 (UNT-CERT-9).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import ClassVar

from pydantic import Field, model_validator

from ubt_domain.appeals.closing import AppealsClosure
from ubt_domain.appeals.statement import StatementWithAppeal
from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel

__all__ = [
    "BlankAccount",
    "Certificate",
    "CertificateBook",
    "NumberRange",
    "SpoiledBlank",
    "SubjectScore",
    "blank_account",
    "certificates_file",
    "issue_certificates",
    "receive_blanks",
]


class NumberRange(DomainModel):
    """Blank certificates of one series numbered ``first``..``last`` inclusive."""

    malformed_rule: ClassVar[str] = "UNT-CERT-10"

    series: str = Field(min_length=1)
    first: int = Field(ge=1)
    last: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> NumberRange:
        if self.last < self.first:
            raise DomainError("UNT-CERT-10", f"range {self.first}..{self.last} runs backwards")
        return self

    def __contains__(self, number: object) -> bool:
        return isinstance(number, int) and self.first <= number <= self.last

    @property
    def size(self) -> int:
        return self.last - self.first + 1


class SubjectScore(DomainModel):
    """Points of one subject on a certificate."""

    malformed_rule: ClassVar[str] = "UNT-CERT-1"

    subject: str
    points: int = Field(ge=0)


class Certificate(DomainModel):
    """A UNT result certificate (UNT-CERT-1).

    ``profile_subjects`` are the applicant's profile subjects as the sheet
    was identified with them (UNT-SCORE-5: recorded; the codes of sector 5,
    whose names the sources do not give, G-2); empty where none were given.
    """

    malformed_rule: ClassVar[str] = "UNT-CERT-1"

    stream: int = Field(ge=1)
    tzhk: str
    full_name: str = Field(min_length=1)
    subjects: tuple[SubjectScore, ...]
    series: str
    number: int = Field(ge=1)
    profile_subjects: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return sum(s.points for s in self.subjects)


class SpoiledBlank(DomainModel):
    """A blank spoiled in printing: its number is used up, never reprinted."""

    malformed_rule: ClassVar[str] = "UNT-CERT-9"

    series: str
    number: int = Field(ge=1)
    stream: int = Field(ge=1)
    reason: str = Field(min_length=1)


class CertificateBook(DomainModel):
    """Every blank the testing point received and what became of each number.

    Passed in and returned: the one record across all streams that keeps a
    number from being used twice.
    """

    malformed_rule: ClassVar[str] = "UNT-CERT-4"

    received: tuple[NumberRange, ...] = ()
    issued: tuple[Certificate, ...] = ()
    spoiled: tuple[SpoiledBlank, ...] = ()

    def used(self, series: str) -> frozenset[int]:
        """Numbers of ``series`` already issued or spoiled."""
        return frozenset(
            [c.number for c in self.issued if c.series == series]
            + [s.number for s in self.spoiled if s.series == series]
        )


def receive_blanks(book: CertificateBook, blanks: NumberRange) -> CertificateBook:
    """Record a range of blanks received from NTC (appx 16 act).

    Implements UNT-CERT-10.

    Raises
    ------
    DomainError
        (UNT-CERT-10) the range overlaps one already received.
    """
    for other in book.received:
        if other.series == blanks.series and not (
            blanks.last < other.first or other.last < blanks.first
        ):
            raise DomainError(
                "UNT-CERT-10",
                f"blanks {blanks.series} {blanks.first}..{blanks.last}"
                f" overlap {other.first}..{other.last} received before",
            )
    return book.evolve(received=(*book.received, blanks))


def issue_certificates(
    book: CertificateBook,
    statement: StatementWithAppeal,
    *,
    closure: AppealsClosure,
    blanks: NumberRange,
    spoiled: Mapping[int, str] | None = None,
    profile_subjects: Mapping[str, Sequence[str]] | None = None,
) -> tuple[CertificateBook, tuple[Certificate, ...]]:
    """Number one certificate per statement line from ``blanks``.

    Implements UNT-CERT-1, UNT-CERT-2, UNT-CERT-3, UNT-CERT-4, UNT-SCORE-5.

    Parameters
    ----------
    book : CertificateBook
        Blanks received and numbers used so far, across streams.
    statement : StatementWithAppeal
        The closed stream's final result.
    closure : AppealsClosure
        The closing of the stream's appeals; the statement must be computed
        from the ledger it closed on (UNT-CERT-2).
    blanks : NumberRange
        The received range to number from.
    spoiled : mapping of int to str, optional
        Numbers of this range spoiled while printing, with the reason; they
        are skipped and accounted, never reused.
    profile_subjects : mapping of str to sequence of str, optional
        Each applicant's profile subjects by ТЖК, as identified; printed on
        the certificate (UNT-SCORE-5).

    Returns
    -------
    book, certificates
        Certificates in statement order, numbers ascending.

    Raises
    ------
    DomainError
        (UNT-CERT-2) the statement is not the closed stream's;
        (UNT-CERT-2) the statement is not the closed stream's;
        (UNT-CERT-10) the range was not received; (UNT-CERT-4) a spoiled
        number outside the range or already used, too few free numbers
        for the stream (before anything is numbered), or an applicant who
        already has a certificate.
    """
    if (closure.stream, closure.ledger_head) != (statement.stream, statement.ledger_head):
        raise DomainError(
            "UNT-CERT-2",
            f"stream {statement.stream}: certificates are built only from the statement "
            "of the closed appeals",
        )
    if blanks not in book.received:
        raise DomainError(
            "UNT-CERT-10",
            f"blanks {blanks.series} {blanks.first}..{blanks.last} were not received from NTC",
        )
    spoiled = dict(spoiled or {})
    used = book.used(blanks.series)
    bad = sorted(n for n in spoiled if n not in blanks or n in used)
    if bad:
        raise DomainError("UNT-CERT-4", f"spoiled number(s) {bad} are outside the range or used")
    holders = {c.tzhk for c in book.issued}
    again = [line.tzhk for line in statement.lines if line.tzhk in holders]
    if again:
        raise DomainError("UNT-CERT-4", f"ТЖК {again} already have a certificate")
    free = [n for n in range(blanks.first, blanks.last + 1) if n not in used and n not in spoiled]
    if len(free) < len(statement.lines):
        raise DomainError(
            "UNT-CERT-4",
            f"{len(statement.lines)} certificates need numbers; "
            f"{blanks.series} {blanks.first}..{blanks.last} has {len(free)} free",
        )
    certificates = tuple(
        Certificate(
            stream=statement.stream,
            tzhk=line.tzhk,
            full_name=line.name,
            subjects=tuple(
                SubjectScore(subject=s.subject, points=s.with_appeal) for s in line.subjects
            ),
            series=blanks.series,
            number=number,
            profile_subjects=tuple((profile_subjects or {}).get(line.tzhk, ())),
        )
        for line, number in zip(statement.lines, free, strict=False)
    )
    lost = tuple(
        SpoiledBlank(series=blanks.series, number=n, stream=statement.stream, reason=why)
        for n, why in sorted(spoiled.items())
    )
    book = book.evolve(issued=(*book.issued, *certificates), spoiled=(*book.spoiled, *lost))
    return book, certificates


class BlankAccount(DomainModel):
    """What became of every blank of a range (appx 41 act)."""

    malformed_rule: ClassVar[str] = "UNT-CERT-9"

    blanks: NumberRange
    issued: tuple[int, ...]
    spoiled: tuple[int, ...]
    unused: tuple[int, ...]


def blank_account(book: CertificateBook, blanks: NumberRange) -> BlankAccount:
    """Issued numbers, spoiled and unused blanks of a range, which together are the range.

    Implements UNT-CERT-9.
    """
    if blanks not in book.received:
        raise DomainError("UNT-CERT-9", "that range was not received")
    issued = tuple(
        sorted(c.number for c in book.issued if c.series == blanks.series and c.number in blanks)
    )
    spoiled = tuple(
        sorted(s.number for s in book.spoiled if s.series == blanks.series and s.number in blanks)
    )
    gone = set(issued) | set(spoiled)
    unused = tuple(n for n in range(blanks.first, blanks.last + 1) if n not in gone)
    return BlankAccount(blanks=blanks, issued=issued, spoiled=spoiled, unused=unused)


def certificates_file(certificates: tuple[Certificate, ...]) -> str:
    """The numbered certificates file sent to NTC: canonical JSON, one record per certificate.

    Implements UNT-CERT-5.
    """
    records = [
        c.model_dump(mode="json") for c in sorted(certificates, key=lambda c: (c.series, c.number))
    ]
    return json.dumps(records, ensure_ascii=False, sort_keys=True, indent=1)
