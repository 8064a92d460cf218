"""A small scored stream shared by the ledger, appeal and certificate tests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from ubt_domain.ledger.scores import Provenance, ScoreLedger, TaskPoints, open_ledger

ALMATY = ZoneInfo("Asia/Almaty")  # UTC+6 in 2019
SCORED_AT = dt.datetime(2019, 6, 20, 15, 0, tzinfo=ALMATY)
SUBJECTS = ("math", "history")
TASKS = 5
TZHKS = ("000000001", "000000002", "000000003")
NAMES = {
    "000000001": "Әбенов Дәурен Серікұлы",
    "000000002": "Иванова Мария Петровна",
    "000000003": "Қасымова Ұлжан Нұрланқызы",
}


def initial_points() -> list[TaskPoints]:
    """Applicant i answers task t of each subject correctly when (i + t) is odd."""
    return [
        TaskPoints(tzhk=tzhk, subject=subject, task=task, points=(i + task) % 2)
        for i, tzhk in enumerate(TZHKS)
        for subject in SUBJECTS
        for task in range(1, TASKS + 1)
    ]


def scoring() -> Provenance:
    return Provenance(
        actor="Министрлік программисі",
        at=SCORED_AT,
        reason="stream scored after the key was opened",
        rule_id="UNT-SCORE-3",
        evidence_ref="key file of stream 1",
    )


def sample_ledger() -> ScoreLedger:
    """Stream 1 scored: three applicants, two subjects of five tasks."""
    return open_ledger(1, initial_points(), scoring())


def provenance(minutes: int, *, rule_id: str = "UNT-APL-15") -> Provenance:
    """A change ``minutes`` after the scoring."""
    return Provenance(
        actor="апелляциялық комиссия төрағасы",
        at=SCORED_AT + dt.timedelta(minutes=minutes),
        reason="appeal decision",
        rule_id=rule_id,
        evidence_ref=f"register row {minutes}",
    )
