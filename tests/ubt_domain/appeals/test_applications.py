"""Filing appeal applications: grounds, in person with ID and pass, the deadline, the journal."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.ubt_domain.appeals.sample import (
    ANNOUNCED,
    content_application,
    empty_register,
    technical_application,
)
from tests.ubt_domain.ledger.sample import ALMATY
from ubt_domain.appeals.applications import (
    AppealedTask,
    AppealKind,
    AppealStatus,
    ContentGround,
    TechnicalGround,
    file_application,
)
from ubt_domain.errors import DomainError


def test_unt_apl_16_five_content_grounds() -> None:
    """The content form offers exactly the five grounds of the instruction."""
    assert len(ContentGround) == 5
    for ground in ContentGround:
        options = (
            ("B",) if ground in {ContentGround.KEY_MISMATCH, ContentGround.SEVERAL_CORRECT} else ()
        )
        task = AppealedTask(task=3, ground=ground, justification="why", stated_options=options)
        assert content_application(tasks=(task,)).tasks[0].ground is ground


def test_unt_apl_16_key_mismatch_and_several_correct_must_state_options() -> None:
    """Ground 1 names the correct option and ground 3 every correct one."""
    with pytest.raises(DomainError) as caught:
        AppealedTask(task=3, ground=ContentGround.SEVERAL_CORRECT, justification="A and C")
    assert caught.value.rule_id == "UNT-APL-16"


def test_unt_apl_17_three_technical_grounds_only_on_the_technical_form() -> None:
    """Three technical grounds; a technical ground on the content form is refused."""
    assert len(TechnicalGround) == 3
    assert technical_application().kind is AppealKind.TECHNICAL
    with pytest.raises(DomainError) as caught:
        content_application(tasks=(AppealedTask(task=1, ground=TechnicalGround.READ_AS_TWO),))
    assert caught.value.rule_id == "UNT-APL-16"


def test_unt_apl_5_filed_in_person_with_id_and_pass() -> None:
    """Without the pass, by proxy, or without ID, the application is refused and journalled."""
    for missing in ("in_person", "id_document", "admission_pass"):
        filing = file_application(
            empty_register(), content_application(**{missing: False}), zone=ALMATY
        )
        assert not filing.accepted
        assert filing.refusal_rule == "UNT-APL-5"
        assert filing.appeal_register.rows == ()
        assert len(filing.appeal_register.journal) == 1


def test_unt_apl_6_a_late_application_is_refused_but_journalled() -> None:
    """Filed at 13:00 the next day: refused under UNT-APL-6, still in the journal."""
    late = content_application(filed_at=dt.datetime(2019, 6, 21, 13, 0, tzinfo=ALMATY))
    filing = file_application(empty_register(), late, zone=ALMATY)
    assert (filing.accepted, filing.refusal_rule) == (False, "UNT-APL-6")
    assert filing.appeal_register.journal[0].accepted is False


def test_unt_apl_7_every_application_is_journalled_and_accepted_ones_registered() -> None:
    """The journal numbers every application; the register numbers the accepted ones."""
    register = empty_register()
    for application in (
        content_application("000000001"),
        content_application("000000002", id_document=False),
        technical_application("000000003"),
    ):
        register = file_application(register, application, zone=ALMATY).appeal_register
    assert [line.line for line in register.journal] == [1, 2, 3]
    assert [line.register_number for line in register.journal] == [1, None, 2]
    assert [row.application.tzhk for row in register.rows] == ["000000001", "000000003"]
    assert all(row.status is AppealStatus.FILED for row in register.rows)
    assert register.announced_at == ANNOUNCED


def test_unt_apl_8_who_received_the_application_is_recorded() -> None:
    """The receiver (chair or Ministry representative, C-18) is part of the record."""
    filing = file_application(
        empty_register(), content_application(received_by="апелляция төрағасы"), zone=ALMATY
    )
    assert filing.appeal_register.rows[0].application.received_by == "апелляция төрағасы"
    with pytest.raises(DomainError):
        content_application(received_by="")


def test_unt_apl_12_a_task_cannot_be_named_twice() -> None:
    """One application names each task once."""
    task = AppealedTask(task=1, ground=TechnicalGround.READ_AS_TWO)
    with pytest.raises(DomainError) as caught:
        technical_application().model_validate(
            {**technical_application().model_dump(), "tasks": (task, task)}
        )
    assert caught.value.rule_id == "UNT-APL-12"


def test_unt_apl_7_an_application_for_another_stream_is_refused() -> None:
    """The stream's register takes only that stream's applications."""
    filing = file_application(empty_register(), content_application(stream=2), zone=ALMATY)
    assert (filing.accepted, filing.refusal_rule) == (False, "UNT-APL-7")
