"""The booklets that go back to NTC instead of being destroyed.

Booklets are destroyed after testing, except those of applicants who gained
points on appeal, of applicants excluded with their results annulled,
booklets with printing defects, and unused ones (UNT-BKLT-1); the appeal
chair delivers the first kind (UNT-APL-22). Who gained points is read from
the score ledger, never listed by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import ClassVar

from ubt_domain.appeals.closing import AppealsClosure
from ubt_domain.errors import DomainError
from ubt_domain.ledger.scores import ScoreLedger
from ubt_domain.models import DomainModel

__all__ = ["BookletReturn", "ReturnReason", "booklets_to_ntc", "gained_on_appeal"]


class ReturnReason(StrEnum):
    """Why a booklet goes to NTC (UNT-BKLT-1)."""

    GAINED_ON_APPEAL = "gained-on-appeal"
    RESULTS_ANNULLED = "results-annulled"
    PRINTING_DEFECT = "printing-defect"
    UNUSED = "unused"


class BookletReturn(DomainModel):
    """One booklet going to NTC, and every reason it does."""

    malformed_rule: ClassVar[str] = "UNT-BKLT-1"

    booklet: str
    reasons: tuple[ReturnReason, ...]
    tzhk: str | None = None


def gained_on_appeal(ledger: ScoreLedger) -> tuple[str, ...]:
    """ТЖК of applicants whose total points rose after the initial scoring.

    Implements UNT-APL-22.
    """
    before, after = ledger.subject_scores(initial=True), ledger.subject_scores()
    return tuple(t for t in sorted(after) if sum(after[t].values()) > sum(before[t].values()))


def booklets_to_ntc(
    ledger: ScoreLedger,
    closure: AppealsClosure,
    *,
    booklet_of: Mapping[str, str],
    annulled: Iterable[str] = (),
    defective: Iterable[str] = (),
    unused: Iterable[str] = (),
) -> tuple[BookletReturn, ...]:
    """List the booklets kept from destruction, by booklet number.

    Implements UNT-BKLT-1, UNT-APL-22.

    Parameters
    ----------
    ledger : ScoreLedger
        The closed stream's ledger (points gained are derived from it).
    closure : AppealsClosure
        The stream's closing; the list is final only then.
    booklet_of : mapping of str to str
        Booklet number by ТЖК.
    annulled : iterable of str
        ТЖК of applicants excluded with results annulled (from the acts).
    defective, unused : iterable of str
        Booklet numbers with printing defects, and unused booklets.

    Raises
    ------
    DomainError
        (UNT-BKLT-1) the ledger is not the one the stream closed on, or an
        applicant has no booklet number.
    """
    if closure.ledger_head != ledger.head:
        raise DomainError("UNT-BKLT-1", "the ledger is not the one the stream was closed on")
    reasons: dict[str, list[ReturnReason]] = {}
    owners: dict[str, str] = {}
    for reason, tzhks in (
        (ReturnReason.GAINED_ON_APPEAL, gained_on_appeal(ledger)),
        (ReturnReason.RESULTS_ANNULLED, tuple(annulled)),
    ):
        for tzhk in tzhks:
            if tzhk not in booklet_of:
                raise DomainError("UNT-BKLT-1", f"no booklet number for ТЖК {tzhk}")
            owners[booklet_of[tzhk]] = tzhk
            reasons.setdefault(booklet_of[tzhk], []).append(reason)
    for reason, booklets in (
        (ReturnReason.PRINTING_DEFECT, defective),
        (ReturnReason.UNUSED, unused),
    ):
        for booklet in booklets:
            reasons.setdefault(booklet, []).append(reason)
    return tuple(
        BookletReturn(booklet=b, reasons=tuple(r), tzhk=owners.get(b))
        for b, r in sorted(reasons.items())
    )
