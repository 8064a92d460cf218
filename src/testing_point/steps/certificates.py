"""Certificates: number them from the received blanks, print them and their register.

Implements, through :mod:`ubt_domain.certificates`, UNT-CERT-1 (one
certificate per applicant of a closed stream, from the statement with
appeal), UNT-CERT-4 and UNT-CERT-9 (each number used once, across streams:
the store's primary key on (series, number) refuses a second use) and the
distribution register. A stream issued before is not issued again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from testing_point.steps.appeals import STEP as APPEALS_STEP
from testing_point.steps.identification import closed_identification
from testing_point.steps.scoring import ledger
from testing_point.store import Store
from ubt_domain.appeals.closing import AppealsClosure
from ubt_domain.appeals.statement import statement_with_appeal
from ubt_domain.certificates.distribution import distribution_register
from ubt_domain.certificates.numbers import (
    Certificate,
    CertificateBook,
    NumberRange,
    issue_certificates,
    receive_blanks,
)

__all__ = ["BOOK", "issue"]

BOOK = "certificate-book"  # key: "book", the point's one account of blanks


def issue(
    store: Store,
    stream: int,
    blanks: NumberRange,
    *,
    names: Mapping[str, str],
    subjects: Mapping[str, str],
    at: dt.datetime,
    testing_point: str,
    documents: Path,
) -> tuple[Certificate, ...]:
    """Issue the certificates of a stream whose appeals are closed; print them and the register.

    ``subjects`` gives the title of every subject field id, in the
    statement's order (:meth:`~ubt_domain.scoring.spec.ExamSpec.subject_titles`).
    """
    from ubt_domain.documents.certificates import certificates_pdf, distribution_register_pdf

    with store.transaction():
        body = store.get(BOOK, "book")
        book = CertificateBook() if body is None else CertificateBook.model_validate_json(body)
        if blanks not in book.received:
            book = receive_blanks(book, blanks)
        issued = tuple(c for c in book.issued if c.stream == stream)
        if not issued:
            closing = store.closing(APPEALS_STEP, stream)
            scored = ledger(store, stream)
            if closing is None or scored is None:
                raise RuntimeError(f"stream {stream}: close its appeals before certificates")
            closure = AppealsClosure.model_validate_json(closing)
            statement = statement_with_appeal(scored, closure, names=names, subjects=list(subjects))
            identified = closed_identification(store, stream)
            profiles = {} if identified is None else {
                o.tzhk: o.profile_subjects for o in identified.identified
            }  # fmt: skip
            book, issued = issue_certificates(
                book, statement, closure=closure, blanks=blanks, profile_subjects=profiles
            )
            for c in issued:
                store.issue_certificate(c.series, c.number, stream=stream, holder=c.tzhk)
        store.put(BOOK, "book", book.model_dump_json(), at=at)
    documents.mkdir(parents=True, exist_ok=True)
    pdf = certificates_pdf(issued, titles=subjects)
    (documents / f"certificates-s{stream}.pdf").write_bytes(pdf)
    rows = distribution_register(issued)
    pdf = distribution_register_pdf(rows, stream=stream, testing_point=testing_point)
    (documents / f"certificate-register-s{stream}.pdf").write_bytes(pdf)
    return issued
