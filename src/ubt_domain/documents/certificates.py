"""Certificates (UNT-CERT-1, UNT-CERT-6) and their distribution register (UNT-CERT-8) as PDF."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ubt_domain.certificates.distribution import DistributionRow
from ubt_domain.certificates.numbers import Certificate
from ubt_domain.documents.markup import (
    Markup,
    compile_pdf,
    document,
    facts,
    heading,
    signature_lines,
    subject_names,
    table,
)

__all__ = [
    "CERTIFICATE_TITLE",
    "DISTRIBUTION_TITLE",
    "certificates_pdf",
    "certificates_source",
    "distribution_register_pdf",
    "distribution_register_source",
]

CERTIFICATE_TITLE = "ҰБТ нәтижелері туралы сертификат"
DISTRIBUTION_TITLE = "Сертификаттарды беру тізілімі"
#: UNT-CERT-6: who signs each certificate; the seal goes beside them.
CERTIFICATE_SIGNATORIES = ("Мемлекеттік комиссия төрағасы", "Министрлік өкілі", "М.О. (мөр)")
_PAGE_BREAK = Markup("#pagebreak()")


def certificates_source(certificates: Sequence[Certificate], *, titles: Mapping[str, str]) -> str:
    """Return typst source with one page per certificate.

    Implements UNT-CERT-1, UNT-CERT-6, UNT-SCORE-5 (the profile subjects).

    Parameters
    ----------
    certificates : sequence of Certificate
    titles : mapping of str to str
        The printed name of every subject field id
        (:meth:`~ubt_domain.scoring.spec.ExamSpec.subject_titles`).

    Raises
    ------
    DomainError
        (UNT-CERT-1) a subject has no title.
    """
    if not certificates:
        raise ValueError("certificates must not be empty")
    body: list[str] = []
    for i, cert in enumerate(certificates):
        names = subject_names(titles, [s.subject for s in cert.subjects], rule="UNT-CERT-1")
        if i:
            body += [_PAGE_BREAK, heading(CERTIFICATE_TITLE)]
        body += [
            facts(
                [
                    ("Сериясы", cert.series),
                    ("Нөмірі", f"{cert.number:07d}"),
                    ("Тегі, аты, әкесінің аты", cert.full_name),
                    ("ТЖК", cert.tzhk),
                    *_profile(cert),
                ]
            ),
            table(
                ("Пән", "Балл"),
                [(name, str(s.points)) for name, s in zip(names, cert.subjects, strict=True)]
                + [("Барлығы", str(cert.total))],
            ),
            signature_lines(CERTIFICATE_SIGNATORIES),
        ]
    return document(body, title=CERTIFICATE_TITLE, lang="kk")


def _profile(cert: Certificate) -> list[tuple[str, str]]:
    """The profile subjects line (UNT-SCORE-5), where the applicant has them."""
    return [("Бейіндік пәндер", ", ".join(cert.profile_subjects))] if cert.profile_subjects else []


def certificates_pdf(certificates: Sequence[Certificate], *, titles: Mapping[str, str]) -> bytes:
    """Return the certificates as PDF bytes, one page each (:func:`certificates_source`).

    Implements UNT-CERT-1, UNT-CERT-4, UNT-CERT-6.
    """
    return compile_pdf(certificates_source(certificates, titles=titles))


def distribution_register_source(
    rows: Sequence[DistributionRow], *, stream: int, testing_point: str
) -> str:
    """Return typst source of the register: a line per certificate and a signature column.

    Implements UNT-CERT-8.
    """
    lines = [
        (str(r.line), f"{r.series} {r.number:07d}", r.tzhk, r.full_name, str(r.total), "")
        for r in rows
    ]
    body = [
        facts([("ҰБТ өткізу пункті", testing_point), ("Лек", str(stream))]),
        table(
            ("№", "Сертификат", "ТЖК", "Тегі, аты, әкесінің аты", "Балл", "Алушының қолы"),
            lines,
            columns=("auto", "auto", "auto", "1fr", "auto", "35mm"),
        ),
        signature_lines(
            # UNT-CERT-7: the Ministry representative checks against the statement and signs.
            (
                "Министрлік программисі",
                "ҰБТӨП басшысы",
                "Министрлік өкілі (ведомоспен салыстырылды)",
            )
        ),
    ]
    return document(body, title=DISTRIBUTION_TITLE, lang="kk")


def distribution_register_pdf(
    rows: Sequence[DistributionRow], *, stream: int, testing_point: str
) -> bytes:
    """Return the distribution register as PDF bytes.

    Implements UNT-CERT-7, UNT-CERT-8.
    """
    return compile_pdf(
        distribution_register_source(rows, stream=stream, testing_point=testing_point)
    )
