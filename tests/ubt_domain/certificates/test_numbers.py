"""Certificates: after appeals close, numbered from received blanks, each number once."""

from __future__ import annotations

import json

import pytest

from tests.ubt_domain.appeals.stream import closed
from tests.ubt_domain.ledger.sample import NAMES
from ubt_domain.appeals.closing import AppealsClosure
from ubt_domain.appeals.statement import StatementWithAppeal
from ubt_domain.certificates.distribution import check_register, distribution_register
from ubt_domain.certificates.numbers import (
    Certificate,
    CertificateBook,
    NumberRange,
    blank_account,
    certificates_file,
    issue_certificates,
    receive_blanks,
)
from ubt_domain.errors import DomainError

BLANKS = NumberRange(series="AA", first=1001, last=1010)


def issue(
    start: CertificateBook,
    statement: StatementWithAppeal,
    closure: AppealsClosure,
    **options: object,
) -> tuple[CertificateBook, tuple[Certificate, ...]]:
    return issue_certificates(start, statement, closure=closure, **options)  # type: ignore[arg-type]


def book() -> CertificateBook:
    return receive_blanks(CertificateBook(), BLANKS)


def other_stream(statement: StatementWithAppeal) -> StatementWithAppeal:
    """The same results as stream 2 with new ТЖК, so its applicants need their own numbers."""
    lines = tuple(line.evolve(tzhk="1" + line.tzhk[1:]) for line in statement.lines)
    return statement.evolve(stream=2, lines=lines)


def test_unt_cert_1_full_name_points_per_subject_series_and_number() -> None:
    """Each certificate carries the statement's name and points with appeal."""
    _, certificates = issue(book(), *closed(), blanks=BLANKS)
    cert = next(c for c in certificates if c.tzhk == "000000002")
    assert cert.full_name == NAMES["000000002"]
    assert [(s.subject, s.points) for s in cert.subjects] == [("math", 3), ("history", 2)]
    assert (cert.series, cert.total) == ("AA", 5)


def test_unt_score_5_a_certificate_records_the_profile_subjects_identified() -> None:
    """The profile subjects given by ТЖК are on that applicant's certificate; others have none."""
    profiles = {"000000002": ("02", "05")}
    _, certificates = issue(book(), *closed(), blanks=BLANKS, profile_subjects=profiles)
    assert {c.tzhk: c.profile_subjects for c in certificates} == {
        t: profiles.get(t, ()) for t in NAMES
    }


def test_unt_cert_2_certificates_need_the_statement_of_the_closed_appeals() -> None:
    """A statement not computed from the ledger the stream closed on is refused."""
    statement, closure = closed()
    reopened = closure.evolve(ledger_head="f" * 64)
    with pytest.raises(DomainError) as caught:
        issue(book(), statement, reopened, blanks=BLANKS)
    assert caught.value.rule_id == "UNT-CERT-2"


def test_unt_cert_4_numbers_ascend_and_skip_spoiled_blanks() -> None:
    """Three applicants, blank 1002 spoiled: numbers 1001, 1003, 1004."""
    updated, certificates = issue(book(), *closed(), blanks=BLANKS, spoiled={1002: "paper jam"})
    assert [c.number for c in certificates] == [1001, 1003, 1004]
    assert [s.number for s in updated.spoiled] == [1002]


def test_unt_cert_4_a_range_shorter_than_the_applicants_is_refused_before_numbering() -> None:
    """Two free numbers for three applicants: DomainError, and the book is unchanged."""
    short = NumberRange(series="AB", first=1, last=3)
    start = receive_blanks(CertificateBook(), short)
    with pytest.raises(DomainError) as caught:
        issue(start, *closed(), blanks=short, spoiled={2: "torn"})
    assert caught.value.rule_id == "UNT-CERT-4"
    assert start.issued == ()
    assert start.spoiled == ()


def test_unt_cert_4_no_number_twice_across_two_streams() -> None:
    """Stream 2 numbered from the same range continues after stream 1's numbers."""
    statement, closure = closed()
    after_1, first = issue(book(), statement, closure, blanks=BLANKS, spoiled={1004: "smudge"})
    stream_2 = other_stream(statement)
    closure_2 = closure.evolve(stream=2)
    after_2, second = issue(after_1, stream_2, closure_2, blanks=BLANKS)
    numbers = [c.number for c in (*first, *second)] + [s.number for s in after_2.spoiled]
    assert len(numbers) == len(set(numbers)) == 7
    assert [c.number for c in second] == [1005, 1006, 1007]
    with pytest.raises(DomainError, match="already have"):
        issue(after_2, statement, closure, blanks=BLANKS)
    with pytest.raises(DomainError, match="outside the range or used"):
        issue(after_1, stream_2, closure_2, blanks=BLANKS, spoiled={1001: "x"})


def test_unt_cert_9_every_blank_is_issued_spoiled_or_unused() -> None:
    """The account of the range adds up to the range."""
    updated, _ = issue(book(), *closed(), blanks=BLANKS, spoiled={1002: "jam"})
    account = blank_account(updated, BLANKS)
    assert account.issued == (1001, 1003, 1004)
    assert account.spoiled == (1002,)
    assert account.unused == tuple(range(1005, 1011))
    assert len(account.issued) + len(account.spoiled) + len(account.unused) == BLANKS.size


def test_unt_cert_10_only_received_blanks_are_numbered() -> None:
    """A range not received from NTC, or overlapping one received, is refused."""
    with pytest.raises(DomainError) as caught:
        issue(CertificateBook(), *closed(), blanks=BLANKS)
    assert caught.value.rule_id == "UNT-CERT-10"
    with pytest.raises(DomainError, match="overlap"):
        receive_blanks(book(), NumberRange(series="AA", first=1010, last=1020))
    with pytest.raises(DomainError):
        NumberRange(series="AA", first=5, last=4)


def test_unt_cert_5_the_numbered_file_lists_every_certificate() -> None:
    """The file for NTC is JSON with series, number, name and points of each certificate."""
    _, certificates = issue(book(), *closed(), blanks=BLANKS)
    records = json.loads(certificates_file(certificates))
    assert [r["number"] for r in records] == [1001, 1002, 1003]
    assert {r["full_name"] for r in records} == set(NAMES.values())


def test_unt_cert_7_the_register_is_checked_against_the_statement() -> None:
    """A faithful register passes; a wrong point or a missing certificate is reported."""
    statement, closure = closed()
    _, certificates = issue(book(), statement, closure, blanks=BLANKS)
    assert check_register(certificates, statement) == ()
    wrong = certificates[0].evolve(
        subjects=(certificates[0].subjects[0].evolve(points=25), *certificates[0].subjects[1:]),
    )
    problems = check_register((wrong, *certificates[1:2]), statement)
    assert [p.tzhk for p in problems] == [certificates[0].tzhk, certificates[2].tzhk]
    assert "points" in problems[0].problem
    assert problems[1].problem == "no certificate"


def test_unt_cert_8_the_register_lists_each_certificate_for_a_signature() -> None:
    """One numbered line per certificate, by number."""
    _, certificates = issue(book(), *closed(), blanks=BLANKS)
    rows = distribution_register(certificates)
    assert [(r.line, r.number) for r in rows] == [(1, 1001), (2, 1002), (3, 1003)]


def test_unt_cert_3_typographic_numbers_are_entered_automatically() -> None:
    """The caller gives only the received range; every number is chosen by the software."""
    statement, closure = closed()
    _, certificates = issue(book(), statement, closure, blanks=BLANKS)
    assert [c.number for c in certificates] == list(range(BLANKS.first, BLANKS.first + 3))
    assert {c.series for c in certificates} == {BLANKS.series}
