"""Hearing an application, deciding its tasks, and the Republic commission's final word.

Each applicant is heard alone; one who does not come is not considered
(UNT-APL-11). Only the facts of the application are considered and its
subject and variant stay as given (UNT-APL-12); an "all tasks" application
without a reason for each task is not considered (UNT-APL-13). A task the
applicant answered correctly is «қанағаттандырылмайды» (UNT-APL-21). The
commission votes (UNT-APL-14) or, on technical grounds, decides from the
evidence (UNT-APL-20); what it upholds is a proposal to the Republic
commission (UNT-APL-15), whose decision is final (UNT-APL-26, UNT-APL-28).
Decisions are entered only with the chair present (UNT-APL-23). Every
change of points is a ledger entry; the register row keeps the decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import ClassVar

from pydantic import AwareDatetime, Field

from ubt_domain.appeals.applications import (
    AppealKind,
    AppealRegister,
    AppealRow,
    AppealStatus,
)
from ubt_domain.appeals.outcomes import AppealDecision, RepublicVerdict, TaskDecision
from ubt_domain.appeals.technical import TechnicalFinding, TechnicalOutcome
from ubt_domain.appeals.votes import VoteResult
from ubt_domain.errors import DomainError
from ubt_domain.ledger.scores import ChangeKind, Provenance, ScoreLedger, TaskPoints, record_change
from ubt_domain.models import DomainModel

__all__ = [
    "DEFAULT_TASK_POINTS",
    "Hearing",
    "TaskHearing",
    "decide_application",
    "record_absence",
    "record_republic_decision",
]

#: Points of one task (D-3 preset: one point per correct answer; G-15).
DEFAULT_TASK_POINTS = 1


class TaskHearing(DomainModel):
    """What the commission has on one task: its vote and/or the technical evidence."""

    malformed_rule: ClassVar[str] = "UNT-APL-23"

    task: int = Field(ge=1)
    vote: VoteResult | None = None
    finding: TechnicalFinding | None = None


class Hearing(DomainModel):
    """The hearing of one register row.

    Parameters
    ----------
    number : int
        Register row.
    subject, variant : str
        As stated at the hearing; must be the application's (UNT-APL-12).
    tasks : tuple of TaskHearing
        One per appealed task; none for a task not in the application.
    chair_present : bool
        The chair is present when the decision is entered (UNT-APL-23).
    decided_at : datetime
    decided_by : str
        The chair's name, for the ledger.
    """

    malformed_rule: ClassVar[str] = "UNT-APL-23"

    number: int = Field(ge=1)
    subject: str
    variant: str
    tasks: tuple[TaskHearing, ...] = ()
    chair_present: bool
    decided_at: AwareDatetime
    decided_by: str = Field(min_length=1)


def _replace_row(register: AppealRegister, row: AppealRow) -> AppealRegister:
    rows = tuple(row if r.number == row.number else r for r in register.rows)
    return register.evolve(rows=rows)


def _open_row(register: AppealRegister, number: int) -> AppealRow:
    row = register.row(number)
    if row.status is not AppealStatus.FILED:
        raise DomainError("UNT-APL-23", f"row {number} is already {row.status.value!r}")
    return row


def record_absence(register: AppealRegister, number: int) -> AppealRegister:
    """The applicant did not come: the application is not considered, the row is «келмеді».

    Implements UNT-APL-11.
    """
    row = _open_row(register, number)
    return _replace_row(register, row.evolve(status=AppealStatus.NOT_CAME, considered=False))


def _decide_task(
    kind: AppealKind, heard: TaskHearing, before: int, task_points: int
) -> TaskDecision:
    """One task's decision from its points, its vote and its evidence."""

    def decision(ok: bool, rule: str, reason: str) -> TaskDecision:
        return TaskDecision(
            task=heard.task,
            decision=AppealDecision.SATISFIED if ok else AppealDecision.NOT_SATISFIED,
            rule_id=rule,
            reason=reason,
            points_before=before,
            points_proposed=task_points if ok else before,
            vote=heard.vote,
            finding=heard.finding,
        )

    if before >= task_points:
        return decision(False, "UNT-APL-21", "the task was answered correctly")
    if kind is AppealKind.TECHNICAL:
        finding = heard.finding
        if finding is None or finding.evidence.task != heard.task:
            raise DomainError(
                "UNT-APL-27",
                f"task {heard.task}: a technical appeal is decided "
                "from the re-measured evidence of that task",
            )
        if finding.outcome is not TechnicalOutcome.INCONCLUSIVE:
            upheld = finding.outcome is TechnicalOutcome.UPHELD
            return decision(upheld, finding.rule_id, finding.explanation)
    if heard.vote is None:
        raise DomainError("UNT-APL-14", f"task {heard.task}: the commission has not voted")
    rule = "UNT-APL-16" if kind is AppealKind.CONTENT else "UNT-APL-27"
    return decision(
        heard.vote.carried,
        "UNT-APL-14",
        f"the commission voted {heard.vote.votes_for} for, "
        f"{heard.vote.votes_against} against ({rule})",
    )


def decide_application(
    register: AppealRegister,
    ledger: ScoreLedger,
    hearing: Hearing,
    *,
    task_points: int = DEFAULT_TASK_POINTS,
) -> tuple[AppealRegister, ScoreLedger]:
    """Decide every task of one application; upheld tasks go to the Republic commission.

    Implements UNT-APL-12, UNT-APL-13, UNT-APL-15, UNT-APL-21, UNT-APL-23.

    Parameters
    ----------
    register : AppealRegister
    ledger : ScoreLedger
        The stream's ledger; the proposed points become an ``APPEAL`` entry.
    hearing : Hearing
    task_points : int
        Points a correctly answered task earns (G-15).

    Returns
    -------
    register, ledger
        The row decided (``AWAITING_REPUBLIC`` if any task was upheld,
        otherwise «шешім қабылданды»), and the ledger with the proposal.

    Raises
    ------
    DomainError
        (UNT-APL-23) chair absent or row already decided; (UNT-APL-12)
        subject or variant changed, or a task outside the application;
        (UNT-APL-14) a task without the vote it needs; (UNT-APL-27) a
        technical task without its evidence.
    """
    if not hearing.chair_present:
        raise DomainError("UNT-APL-23", "a decision is entered only with the appeal chair present")
    row = _open_row(register, hearing.number)
    app = row.application
    if (hearing.subject, hearing.variant) != (app.subject, app.variant):
        raise DomainError(
            "UNT-APL-12",
            f"row {row.number}: subject and variant stay "
            f"{app.subject}/{app.variant} as the application gives them",
        )
    if app.all_tasks and any(not t.justification.strip() for t in app.tasks):
        decided = row.evolve(status=AppealStatus.DECIDED, considered=False)
        return _replace_row(register, decided), ledger
    heard = {t.task: t for t in hearing.tasks}
    appealed = [t.task for t in app.tasks]
    extra = sorted(set(heard) - set(appealed))
    if extra:
        raise DomainError("UNT-APL-12", f"task(s) {extra} are not in the application")
    missing = [t for t in appealed if t not in heard]
    if missing:
        raise DomainError("UNT-APL-23", f"task(s) {missing} have no decision")
    current = ledger.current_points()
    decisions = []
    for task in appealed:
        key = (app.tzhk, app.subject, task)
        if key not in current:
            raise DomainError(
                "UNT-APL-12", f"{app.subject} task {task} was not scored for {app.tzhk}"
            )
        decisions.append(_decide_task(app.kind, heard[task], current[key], task_points))
    upheld = [d for d in decisions if d.decision is AppealDecision.SATISFIED]
    if upheld:
        ledger = record_change(
            ledger,
            [
                TaskPoints(
                    tzhk=app.tzhk, subject=app.subject, task=d.task, points=d.points_proposed
                )
                for d in upheld
            ],
            kind=ChangeKind.APPEAL,
            provenance=Provenance(
                actor=hearing.decided_by,
                at=hearing.decided_at,
                reason="proposed to the Republic commission",
                rule_id="UNT-APL-15",
                evidence_ref=_evidence_ref(register.stream, row, upheld),
            ),
        )
    status = AppealStatus.AWAITING_REPUBLIC if upheld else AppealStatus.DECIDED
    decided = row.evolve(status=status, decisions=tuple(decisions))
    return _replace_row(register, decided), ledger


def _evidence_ref(stream: int, row: AppealRow, decisions: list[TaskDecision]) -> str:
    images = sorted(
        {
            image
            for d in decisions
            if d.finding is not None
            for image in (d.finding.evidence.test_day_image, d.finding.evidence.appeal_day_image)
        }
    )
    ref = f"stream {stream}, appeal register row {row.number}"
    return ref + (f"; images {', '.join(images)}" if images else "")


def record_republic_decision(
    register: AppealRegister,
    ledger: ScoreLedger,
    number: int,
    *,
    confirmed: Mapping[int, bool],
    decided_at: dt.datetime,
    decided_by: str,
    protocol_ref: str,
) -> tuple[AppealRegister, ScoreLedger]:
    """Enter the Republic commission's final decision on a row's proposals.

    Implements UNT-APL-26, UNT-APL-28.

    Parameters
    ----------
    confirmed : mapping of int to bool
        For every upheld task of the row: whether the Republic commission
        agreed. A task it rejects falls back to its points before the appeal.

    Raises
    ------
    DomainError
        (UNT-APL-28) the row already has the Republic commission's decision
        (it is final and never reviewed) or was not proposed; (UNT-APL-26)
        ``confirmed`` does not cover exactly the proposed tasks.
    """
    row = register.row(number)
    if row.status is not AppealStatus.AWAITING_REPUBLIC:
        raise DomainError(
            "UNT-APL-28",
            f"row {number} has no proposal awaiting the Republic "
            f"commission (it is {row.status.value!r}); its decision is final",
        )
    proposed = {d.task for d in row.decisions if d.decision is AppealDecision.SATISFIED}
    if set(confirmed) != proposed:
        raise DomainError(
            "UNT-APL-26", f"row {number}: decide exactly the proposed tasks {sorted(proposed)}"
        )
    decisions = []
    final: list[TaskPoints] = []
    app = row.application
    for d in row.decisions:
        if d.task not in proposed:
            decisions.append(d)
            continue
        points = d.points_proposed if confirmed[d.task] else d.points_before
        verdict = RepublicVerdict(
            confirmed=confirmed[d.task],
            points=points,
            decided_at=decided_at,
            protocol_ref=protocol_ref,
        )
        decisions.append(d.evolve(republic=verdict))
        final.append(TaskPoints(tzhk=app.tzhk, subject=app.subject, task=d.task, points=points))
    ledger = record_change(
        ledger,
        final,
        kind=ChangeKind.REPUBLIC,
        provenance=Provenance(
            actor=decided_by,
            at=decided_at,
            reason="final decision of the Republic commission",
            rule_id="UNT-APL-28",
            evidence_ref=protocol_ref,
        ),
    )
    decided = row.evolve(status=AppealStatus.DECIDED, decisions=tuple(decisions))
    return _replace_row(register, decided), ledger
