"""Applications, a commission and evidence for the appeal tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.ubt_domain.ledger.sample import ALMATY
from ubt_domain.appeals.applications import (
    AppealedTask,
    AppealKind,
    AppealRegister,
    Application,
    ContentGround,
    TechnicalGround,
    file_application,
)
from ubt_domain.appeals.technical import SlotEvidence
from ubt_domain.appeals.votes import Commission, Member, VoteResult, tally

ANNOUNCED = dt.datetime(2019, 6, 20, 16, 0, tzinfo=ALMATY)
FILED = dt.datetime(2019, 6, 21, 10, 0, tzinfo=ALMATY)
HEARD = dt.datetime(2019, 6, 21, 14, 0, tzinfo=ALMATY)
OPTIONS = ("A", "B", "C", "D", "E")


def commission() -> Commission:
    """Eight members, four per subject; the chair is Айгүл."""
    names = ("Айгүл", "Бауыржан", "Гүлнар", "Дархан", "Ербол", "Жанар", "Зарина", "Ілияс")
    members = tuple(
        Member(name=n, subject="math" if i < 4 else "history") for i, n in enumerate(names)
    )
    return Commission(chair="Айгүл", members=members, subjects=("math", "history"))


def vote(n_for: int) -> VoteResult:
    """All eight vote; the first ``n_for`` (the chair first) for."""
    c = commission()
    return tally(c, {m: i < n_for for i, m in enumerate(c.names)})


def content_application(tzhk: str = "000000002", task: int = 1, **changes: Any) -> Application:
    """A content appeal on one math task: the key is wrong, the right option is B."""
    fields: dict[str, Any] = {
        "tzhk": tzhk,
        "stream": 1,
        "subject": "math",
        "variant": "0101",
        "kind": AppealKind.CONTENT,
        "tasks": (
            AppealedTask(
                task=task,
                ground=ContentGround.KEY_MISMATCH,
                justification="B is the right answer: 2 + 2 = 4",
                stated_options=("B",),
            ),
        ),
        "filed_at": FILED,
        "in_person": True,
        "id_document": True,
        "admission_pass": True,
        "received_by": "Министрлік өкілі",
    }
    return Application.model_validate({**fields, **changes})


def technical_application(tzhk: str = "000000002", task: int = 1) -> Application:
    """A technical appeal on one math task: the key's circle was read as empty."""
    return content_application(
        tzhk,
        task,
        kind=AppealKind.TECHNICAL,
        tasks=(AppealedTask(task=task, ground=TechnicalGround.READ_AS_EMPTY),),
    )


def empty_register() -> AppealRegister:
    return AppealRegister(stream=1, announced_at=ANNOUNCED)


def register_with(*applications: Application) -> AppealRegister:
    """A register holding the given applications, all accepted."""
    register = empty_register()
    for application in applications:
        filing = file_application(register, application, zone=ALMATY)
        assert filing.accepted, filing.refusal
        register = filing.appeal_register
    return register


def evidence(
    task: int,
    *,
    key: str,
    recorded: tuple[str, ...],
    fills: tuple[float, ...],
    appeal_fills: tuple[float, ...] | None = None,
    **changes: Any,
) -> SlotEvidence:
    """Evidence of one task with the same fills on both scans unless told."""
    return SlotEvidence.model_validate(
        {
            "task": task,
            "options": OPTIONS,
            "key": key,
            "recorded": recorded,
            "test_day_fills": fills,
            "appeal_day_fills": fills if appeal_fills is None else appeal_fills,
            "test_day_image": "a" * 64,
            "appeal_day_image": "b" * 64,
            **changes,
        }
    )
