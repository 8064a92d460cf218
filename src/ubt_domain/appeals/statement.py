"""The statement with appeal: the stream's final result, computed from the closed ledger.

Printed in two copies, one signed for the Ministry representative, one filed
at the testing point (UNT-STMT-2), together with the final register and the
protocol (UNT-APL-29). It is never stored beside the ledger: it is computed
from the ledger whose head the closure recorded, so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from pydantic import AwareDatetime, Field

from ubt_domain.appeals.closing import AppealsClosure
from ubt_domain.errors import DomainError
from ubt_domain.ledger.scores import ScoreLedger
from ubt_domain.models import DomainModel

__all__ = [
    "STATEMENT_COPIES",
    "StatementLine",
    "StatementWithAppeal",
    "SubjectPoints",
    "statement_with_appeal",
]

#: UNT-STMT-2: who gets the two copies.
STATEMENT_COPIES = ("Министрлік өкілі", "ҰБТӨП (іс қағаздары)")


class SubjectPoints(DomainModel):
    """Points of one subject without and with appeal."""

    malformed_rule: ClassVar[str] = "UNT-STMT-2"

    subject: str
    without_appeal: int = Field(ge=0)
    with_appeal: int = Field(ge=0)


class StatementLine(DomainModel):
    """One applicant's line of the statement."""

    malformed_rule: ClassVar[str] = "UNT-STMT-2"

    tzhk: str
    name: str
    subjects: tuple[SubjectPoints, ...]

    @property
    def total(self) -> int:
        return sum(s.with_appeal for s in self.subjects)

    @property
    def gained(self) -> int:
        return sum(s.with_appeal - s.without_appeal for s in self.subjects)


class StatementWithAppeal(DomainModel):
    """The statement with appeal of one stream."""

    malformed_rule: ClassVar[str] = "UNT-STMT-2"

    stream: int = Field(ge=1)
    closed_at: AwareDatetime
    ledger_head: str
    copies: tuple[str, ...]
    lines: tuple[StatementLine, ...]


def statement_with_appeal(
    ledger: ScoreLedger,
    closure: AppealsClosure,
    *,
    names: Mapping[str, str],
    subjects: Sequence[str],
) -> StatementWithAppeal:
    """Compute the statement with appeal from the ledger the stream was closed on.

    Implements UNT-STMT-2, UNT-APL-29.

    Parameters
    ----------
    ledger : ScoreLedger
        The stream's ledger; its head must be the one the closure recorded
        and it must verify intact.
    closure : AppealsClosure
    names : mapping of str to str
        Full name by ТЖК, for every scored applicant.
    subjects : sequence of str
        Subject codes in the order the statement prints them.

    Returns
    -------
    StatementWithAppeal
        One line per scored applicant, ordered by ТЖК.

    Raises
    ------
    DomainError
        (UNT-STMT-2) the ledger changed after closing or fails its check,
        or a name is missing.
    """
    if closure.stream != ledger.stream or closure.ledger_head != ledger.head:
        raise DomainError("UNT-STMT-2", "the ledger is not the one the stream was closed on")
    check = ledger.verify(head=closure.ledger_head)
    if not check.intact:
        raise DomainError(
            "UNT-STMT-2", f"the score ledger fails its check: {check.problems[0].detail}"
        )
    before, after = ledger.subject_scores(initial=True), ledger.subject_scores()
    missing = sorted(t for t in after if not names.get(t, "").strip())
    if missing:
        raise DomainError("UNT-STMT-2", f"no name for ТЖК {', '.join(missing)}")
    lines = tuple(
        StatementLine(
            tzhk=tzhk,
            name=names[tzhk],
            subjects=tuple(
                SubjectPoints(
                    subject=s,
                    without_appeal=before[tzhk].get(s, 0),
                    with_appeal=after[tzhk].get(s, 0),
                )
                for s in subjects
            ),
        )
        for tzhk in sorted(after)
    )
    return StatementWithAppeal(
        stream=ledger.stream,
        closed_at=closure.closed_at,
        ledger_head=ledger.head,
        copies=STATEMENT_COPIES,
        lines=lines,
    )
