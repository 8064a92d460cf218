"""The certificate distribution register and its check against the statement.

The programmer prints the register with the certificates (UNT-CERT-4); the
Ministry representative compares certificates and register with the exam
statement before signing every page (UNT-CERT-7); certificates are handed out
against the recipient's signature in the register (UNT-CERT-8).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from pydantic import Field

from ubt_domain.appeals.statement import StatementWithAppeal
from ubt_domain.certificates.numbers import Certificate
from ubt_domain.models import DomainModel

__all__ = ["DistributionRow", "RegisterMismatch", "check_register", "distribution_register"]


class DistributionRow(DomainModel):
    """A line of the register: the certificate, its holder, and a place to sign."""

    malformed_rule: ClassVar[str] = "UNT-CERT-8"

    line: int = Field(ge=1)
    series: str
    number: int
    tzhk: str
    full_name: str
    total: int = Field(ge=0)


class RegisterMismatch(DomainModel):
    """A difference between the register and the statement (UNT-CERT-7)."""

    malformed_rule: ClassVar[str] = "UNT-CERT-7"

    tzhk: str
    problem: str


def distribution_register(certificates: Sequence[Certificate]) -> tuple[DistributionRow, ...]:
    """The register rows, by certificate number.

    Implements UNT-CERT-4, UNT-CERT-8.
    """
    ordered = sorted(certificates, key=lambda c: (c.series, c.number))
    return tuple(
        DistributionRow(
            line=i,
            series=c.series,
            number=c.number,
            tzhk=c.tzhk,
            full_name=c.full_name,
            total=c.total,
        )
        for i, c in enumerate(ordered, start=1)
    )


def check_register(
    certificates: Sequence[Certificate], statement: StatementWithAppeal
) -> tuple[RegisterMismatch, ...]:
    """Compare every certificate with the statement: name, points per subject, one each.

    Implements UNT-CERT-7.

    Returns
    -------
    tuple of RegisterMismatch
        Empty when certificates and statement agree.
    """
    problems: list[RegisterMismatch] = []
    by_tzhk = {c.tzhk: c for c in certificates}
    seen = {line.tzhk for line in statement.lines}
    for line in statement.lines:
        cert = by_tzhk.get(line.tzhk)
        if cert is None:
            problems.append(RegisterMismatch(tzhk=line.tzhk, problem="no certificate"))
            continue
        if cert.full_name != line.name:
            problems.append(RegisterMismatch(tzhk=line.tzhk, problem="name differs"))
        points = {s.subject: s.points for s in cert.subjects}
        wanted = {s.subject: s.with_appeal for s in line.subjects}
        if points != wanted:
            problems.append(
                RegisterMismatch(
                    tzhk=line.tzhk,
                    problem=f"points {points} on the certificate, {wanted} in the statement",
                )
            )
    numbers = [(c.series, c.number) for c in certificates]
    for c in certificates:
        if c.tzhk not in seen:
            problems.append(RegisterMismatch(tzhk=c.tzhk, problem="not in the statement"))
        if numbers.count((c.series, c.number)) > 1:
            problems.append(RegisterMismatch(tzhk=c.tzhk, problem=f"number {c.number} repeats"))
    return tuple(problems)
