"""A decided and closed stream shared by the appeal, certificate and document tests."""

from __future__ import annotations

import dataclasses

from tests.ubt_domain.appeals.sample import (
    HEARD,
    commission,
    content_application,
    register_with,
    vote,
)
from tests.ubt_domain.ledger.sample import NAMES, SUBJECTS, sample_ledger
from ubt_domain.appeals.applications import AppealRegister
from ubt_domain.appeals.closing import AppealsClosure, close_appeals
from ubt_domain.appeals.decisions import (
    Hearing,
    TaskHearing,
    decide_application,
    record_absence,
    record_republic_decision,
)
from ubt_domain.appeals.statement import StatementWithAppeal, statement_with_appeal
from ubt_domain.ledger.scores import ScoreLedger


def hearing(number: int, *tasks: TaskHearing, **changes: object) -> Hearing:
    fields: dict[str, object] = {
        "number": number,
        "subject": "math",
        "variant": "0101",
        "tasks": tasks,
        "chair_present": True,
        "decided_at": HEARD,
        "decided_by": "Айгүл",
    }
    return Hearing.model_validate({**fields, **changes})


@dataclasses.dataclass
class Stream:
    register: AppealRegister
    ledger: ScoreLedger


def decided_stream() -> Stream:
    """Row 1: content appeal upheld 5-3 and confirmed; row 2: absent; row 3: correct task."""
    register = register_with(
        content_application("000000002", task=1),
        content_application("000000003", task=3),
        content_application("000000001", task=1),
    )
    ledger = sample_ledger()
    register, ledger = decide_application(
        register, ledger, hearing(1, TaskHearing(task=1, vote=vote(5)))
    )
    register = record_absence(register, 2)
    register, ledger = decide_application(
        register, ledger, hearing(3, TaskHearing(task=1, vote=vote(8)))
    )
    register, ledger = record_republic_decision(
        register,
        ledger,
        1,
        confirmed={1: True},
        decided_at=HEARD.replace(hour=20),
        decided_by="Республикалық комиссия",
        protocol_ref="РК-22/7",
    )
    return Stream(register, ledger)


def close(stream: Stream) -> AppealsClosure:
    return close_appeals(
        stream.register,
        stream.ledger,
        commission=commission(),
        closed_at=HEARD.replace(hour=21),
        closed_by="программист",
        state_commission_chair="МК төрағасы",
        ministry_representative="Министрлік өкілі",
    )


def closed_statement(stream: Stream | None = None) -> StatementWithAppeal:
    """The statement with appeal of the decided, closed stream."""
    stream = stream or decided_stream()
    return statement_with_appeal(stream.ledger, close(stream), names=NAMES, subjects=SUBJECTS)


def closed() -> tuple[StatementWithAppeal, AppealsClosure]:
    """The statement and the closure of the decided stream."""
    stream = decided_stream()
    closure = close(stream)
    statement = statement_with_appeal(stream.ledger, closure, names=NAMES, subjects=SUBJECTS)
    return statement, closure
