"""Closing a stream's appeals: the condition, the final register and the documents.

When every application is decided the chair tells the programmer to close
the stream (UNT-APL-24; "previous" in the source means the current one,
T-12). It closes only if every register row is «келмеді» or «шешім
қабылданды» (UNT-APL-25). Then the final register, the meeting protocol and
the statement with appeal are printed in two copies each (UNT-APL-29), the
protocol signed by the commission, the state-commission chair and the
Ministry representative (UNT-APL-30), and the stream is closed (UNT-APL-31).
The closure records the ledger's head hash: the statement and certificates
are computed from exactly that ledger.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import AwareDatetime, Field

from ubt_domain.appeals.applications import AppealKind, AppealRegister, AppealStatus
from ubt_domain.appeals.outcomes import AppealDecision
from ubt_domain.appeals.votes import Commission
from ubt_domain.errors import DomainError
from ubt_domain.ledger.scores import ScoreLedger
from ubt_domain.models import DomainModel

__all__ = [
    "CLOSING_COPIES",
    "AppealsClosure",
    "ClosingDocument",
    "FinalRegisterRow",
    "close_appeals",
]

#: UNT-APL-29: two copies of each closing document.
CLOSING_COPIES = 2
_CLOSED_STATUSES = frozenset({AppealStatus.NOT_CAME, AppealStatus.DECIDED})


class FinalRegisterRow(DomainModel):
    """A row of the final register of appeal applications."""

    malformed_rule: ClassVar[str] = "UNT-APL-29"

    number: int = Field(ge=1)
    tzhk: str
    subject: str
    variant: str
    kind: AppealKind
    status: AppealStatus
    considered: bool
    tasks: tuple[int, ...]
    satisfied: tuple[int, ...] = Field(description="tasks whose points were finally raised")
    points_before: int = Field(ge=0, description="subject points without appeal")
    points_after: int = Field(ge=0, description="subject points with appeal")


class ClosingDocument(DomainModel):
    """A document printed when the stream closes, its copies and signatories."""

    malformed_rule: ClassVar[str] = "UNT-APL-29"

    title: str
    copies: int = Field(ge=1)
    signatories: tuple[str, ...]


class AppealsClosure(DomainModel):
    """A stream whose appeals are closed: what certificates and the statement rest on.

    Parameters
    ----------
    stream : int
    closed_at : datetime
    instructed_by : str
        The appeal chair who told the programmer to close (UNT-APL-24).
    closed_by : str
        The programmer who closed it (UNT-APL-31).
    ledger_head : str
        SHA-256 of the ledger's newest entry at closing.
    final_register : tuple of FinalRegisterRow
    documents : tuple of ClosingDocument
    """

    malformed_rule: ClassVar[str] = "UNT-APL-25"

    stream: int = Field(ge=1)
    closed_at: AwareDatetime
    instructed_by: str = Field(min_length=1)
    closed_by: str = Field(min_length=1)
    ledger_head: str = Field(pattern=r"^[0-9a-f]{64}$")
    final_register: tuple[FinalRegisterRow, ...]
    documents: tuple[ClosingDocument, ...]


def close_appeals(
    register: AppealRegister,
    ledger: ScoreLedger,
    *,
    commission: Commission,
    closed_at: dt.datetime,
    closed_by: str,
    state_commission_chair: str,
    ministry_representative: str,
) -> AppealsClosure:
    """Close a stream's appeals once every application is settled.

    Implements UNT-APL-24, UNT-APL-25, UNT-APL-29, UNT-APL-30, UNT-APL-31.

    Parameters
    ----------
    register : AppealRegister
    ledger : ScoreLedger
        The stream's ledger, which must verify intact.
    commission : Commission
        Its chair instructs the closing; chair and members sign the protocol.
    closed_at : datetime
    closed_by : str
        The Ministry programmer.
    state_commission_chair, ministry_representative : str
        The other signatories of the protocol.

    Returns
    -------
    AppealsClosure

    Raises
    ------
    DomainError
        (UNT-APL-25) a row is neither «келмеді» nor «шешім қабылданды», or
        the ledger is another stream's; (UNT-STMT-2) the ledger fails its check.
    """
    if ledger.stream != register.stream:
        raise DomainError(
            "UNT-APL-25", f"ledger of stream {ledger.stream}, register of stream {register.stream}"
        )
    open_rows = [r.number for r in register.rows if r.status not in _CLOSED_STATUSES]
    if open_rows:
        raise DomainError(
            "UNT-APL-25",
            f"stream {register.stream}: row(s) {open_rows} are "
            "neither «келмеді» nor «шешім қабылданды»",
        )
    check = ledger.verify()
    if not check.intact:
        raise DomainError(
            "UNT-STMT-2", f"the score ledger fails its check: {check.problems[0].detail}"
        )
    before, after = ledger.subject_scores(initial=True), ledger.subject_scores()
    rows = []
    for row in register.rows:
        app = row.application
        satisfied = tuple(
            d.task
            for d in row.decisions
            if d.decision is AppealDecision.SATISFIED
            and d.republic is not None
            and d.republic.confirmed
        )
        rows.append(
            FinalRegisterRow(
                number=row.number,
                tzhk=app.tzhk,
                subject=app.subject,
                variant=app.variant,
                kind=app.kind,
                status=row.status,
                considered=row.considered,
                tasks=tuple(t.task for t in app.tasks),
                satisfied=satisfied,
                points_before=before.get(app.tzhk, {}).get(app.subject, 0),
                points_after=after.get(app.tzhk, {}).get(app.subject, 0),
            )
        )
    members = tuple(
        f"{m.name} (апелляциялық комиссия мүшесі)"
        for m in commission.members
        if m.name != commission.chair
    )
    protocol_signatories = (
        f"{commission.chair} (апелляциялық комиссия төрағасы)",
        *members,
        f"{state_commission_chair} (мемлекеттік комиссия төрағасы)",
        f"{ministry_representative} (Министрлік өкілі)",
    )
    documents = (
        ClosingDocument(
            title="Апелляциялық өтініштердің қорытынды тізілімі",
            copies=CLOSING_COPIES,
            signatories=protocol_signatories[:1],
        ),
        ClosingDocument(
            title="Апелляциялық комиссия отырысының хаттамасы",
            copies=CLOSING_COPIES,
            signatories=protocol_signatories,
        ),
        ClosingDocument(
            title="Апелляция нәтижелерін ескерген емтихан ведомосы",
            copies=CLOSING_COPIES,
            signatories=protocol_signatories[-1:],
        ),
    )
    return AppealsClosure(
        stream=register.stream,
        closed_at=closed_at,
        instructed_by=commission.chair,
        closed_by=closed_by,
        ledger_head=ledger.head,
        final_register=tuple(rows),
        documents=documents,
    )
