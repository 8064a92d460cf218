"""The registration journal: ТЖК assignment, scan statuses, deletion steps (UNT-REG-*)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ubt_domain.application.names import PersonName
from ubt_domain.errors import DomainError
from ubt_domain.journal.closing import closing_deadline
from ubt_domain.journal.entries import (
    JournalClosing,
    JournalRow,
    RegistrationJournal,
    ScanStatus,
    next_tzhk,
    record_certificate_issued,
    record_documents_returned,
    record_scan_result,
    register_applicant,
)

ALMATY = ZoneInfo("Asia/Almaty")
CLOSING_DATE = dt.date(2017, 5, 20)
DEADLINE = closing_deadline(CLOSING_DATE, ALMATY)
MORNING = dt.datetime(2017, 5, 10, 10, 0, tzinfo=ALMATY)
PEOPLE = [
    PersonName(surname="АБАЙ", name="ӘЛІ"),
    PersonName(surname="СЕМЁНОВА", name="АННА", patronymic="ИГОРЕВНА"),
    PersonName(surname="ҚАСЫМ", name="ДӘУРЕН"),
]


def empty_journal(printed_lines: int = 10, prefix: str = "0420") -> RegistrationJournal:
    """A fresh, open journal of school S-042."""
    return RegistrationJournal(school_id="S-042", tzhk_prefix=prefix, printed_lines=printed_lines)


def journal_with(count: int, **kwargs: object) -> RegistrationJournal:
    """A journal with ``count`` registrations made in the morning."""
    journal = empty_journal(**kwargs)  # type: ignore[arg-type]
    for person in (PEOPLE * count)[:count]:
        journal = register_applicant(journal, person, as_of=MORNING, deadline=DEADLINE)
    return journal


def entered(count: int) -> RegistrationJournal:
    """``count`` registrations, each scanned and entered."""
    journal = journal_with(count)
    for row in journal.rows:
        journal = record_scan_result(journal, row.tzhk, ScanStatus.ENTERED)
    return journal


def test_unt_reg_2_tzhk_is_assigned_in_sequence_when_the_name_is_typed() -> None:
    """Each registration gets the next ТЖК of the school's block, on the next line."""
    journal = journal_with(3)
    assert [r.tzhk for r in journal.rows] == ["042000001", "042000002", "042000003"]
    assert [r.line for r in journal.rows] == [1, 2, 3]
    assert journal.rows[1].person == PEOPLE[1]
    assert next_tzhk(journal) == "042000004"


def test_unt_reg_2_register_returns_a_new_journal() -> None:
    """Registering leaves the input journal untouched."""
    before = empty_journal()
    after = register_applicant(before, PEOPLE[0], as_of=MORNING, deadline=DEADLINE)
    assert before.rows == ()
    assert len(after.rows) == 1


def test_unt_reg_2_a_school_block_can_run_out() -> None:
    """An 8-digit prefix leaves 9 codes; the tenth registration is refused."""
    journal = journal_with(9, prefix="04200000", printed_lines=20)
    assert journal.rows[-1].tzhk == "042000009"
    with pytest.raises(DomainError) as caught:
        register_applicant(journal, PEOPLE[0], as_of=MORNING, deadline=DEADLINE)
    assert caught.value.rule_id == "UNT-REG-2"


def test_unt_reg_2_a_tzhk_appears_on_one_line_only() -> None:
    """A journal with the same ТЖК twice is not a valid record."""
    row = JournalRow(line=1, tzhk="042000001", person=PEOPLE[0])
    twice = (row, row.model_copy(update={"line": 2}))
    with pytest.raises(DomainError, match="two journal lines") as info:
        RegistrationJournal(school_id="S-042", tzhk_prefix="0420", printed_lines=5, rows=twice)
    assert info.value.rule_id == "UNT-REG-2"


def test_unt_reg_1_journal_holds_as_many_lines_as_printed() -> None:
    """Registrations stop at the printed line count (printed per number of applicants)."""
    journal = journal_with(2, printed_lines=2)
    with pytest.raises(DomainError) as caught:
        register_applicant(journal, PEOPLE[2], as_of=MORNING, deadline=DEADLINE)
    assert caught.value.rule_id == "UNT-REG-1"


def test_unt_reg_13_no_registration_after_the_deadline() -> None:
    """An application after 18:00 local time of the closing date is refused."""
    late = DEADLINE + dt.timedelta(minutes=1)
    with pytest.raises(DomainError) as caught:
        register_applicant(empty_journal(), PEOPLE[0], as_of=late, deadline=DEADLINE)
    assert caught.value.rule_id == "UNT-REG-13"
    on_time = register_applicant(empty_journal(), PEOPLE[0], as_of=DEADLINE, deadline=DEADLINE)
    assert len(on_time.rows) == 1


def test_d_10_registration_needs_timezone_aware_times() -> None:
    """A naive datetime is refused rather than guessed to be local time."""
    with pytest.raises(DomainError) as caught:
        register_applicant(
            empty_journal(), PEOPLE[0], as_of=dt.datetime(2017, 5, 10, 10), deadline=DEADLINE
        )
    assert caught.value.rule_id == "D-10"


def test_unt_reg_5_first_scan_enters_then_changes() -> None:
    """The status column goes from blank to «енгізілді» and then «өзгертілді»."""
    journal = journal_with(1)
    tzhk = journal.rows[0].tzhk
    journal = record_scan_result(journal, tzhk, ScanStatus.ENTERED)
    assert journal.row(tzhk).scan_status == ScanStatus.ENTERED
    journal = record_scan_result(journal, tzhk, ScanStatus.CHANGED)
    assert journal.row(tzhk).scan_status == ScanStatus.CHANGED


# Independent statement of UNT-REG-5/-10: what each status may be followed by.
_NEXT = {
    None: {ScanStatus.ENTERED},
    ScanStatus.ENTERED: {ScanStatus.CHANGED, ScanStatus.DELETED},
    ScanStatus.CHANGED: {ScanStatus.CHANGED, ScanStatus.DELETED},
    ScanStatus.DELETED: set(),
}


@given(st.lists(st.sampled_from(list(ScanStatus)), max_size=6))
def test_unt_reg_5_status_column_holds_one_allowed_status(steps: list[ScanStatus]) -> None:
    """Any sequence of scan results is applied or refused exactly as the rule allows."""
    journal = record_documents_returned(journal_with(1), "042000001")
    for status in steps:
        current = journal.row("042000001").scan_status
        if status in _NEXT[current]:
            journal = record_scan_result(journal, "042000001", status)
            assert journal.row("042000001").scan_status == status
        else:
            with pytest.raises(DomainError):
                record_scan_result(journal, "042000001", status)


def test_unt_reg_5_status_must_be_one_of_the_three() -> None:
    """A status that is not one of «енгізілді», «өзгертілді», «жойылды» is refused."""
    with pytest.raises(DomainError) as caught:
        record_scan_result(journal_with(1), "042000001", "scanned")  # type: ignore[arg-type]
    assert caught.value.rule_id == "UNT-REG-5"


def test_unt_reg_10_deletion_needs_the_returned_documents_signature_first() -> None:
    """«жойылды» is written only after the applicant signed for the returned documents."""
    journal = entered(1)
    with pytest.raises(DomainError) as caught:
        record_scan_result(journal, "042000001", ScanStatus.DELETED)
    assert caught.value.rule_id == "UNT-REG-10"
    journal = record_documents_returned(journal, "042000001")
    journal = record_scan_result(journal, "042000001", ScanStatus.DELETED)
    assert not journal.row("042000001").registered


def test_unt_reg_10_reregistration_gets_a_new_tzhk_on_an_empty_line() -> None:
    """A deleted applicant comes back on the next empty line with a ТЖК never used before."""
    journal = record_documents_returned(entered(2), "042000002")
    journal = record_scan_result(journal, "042000002", ScanStatus.DELETED)
    journal = register_applicant(journal, PEOPLE[1], as_of=MORNING, deadline=DEADLINE)
    assert journal.rows[-1].line == 3
    assert journal.rows[-1].tzhk == "042000003"
    assert journal.row("042000002").scan_status == ScanStatus.DELETED


def test_unt_reg_10_deleted_applicant_cannot_return_documents_again() -> None:
    """The documents of a deleted line are already returned."""
    journal = record_documents_returned(entered(1), "042000001")
    journal = record_scan_result(journal, "042000001", ScanStatus.DELETED)
    with pytest.raises(DomainError):
        record_documents_returned(journal, "042000001")


def test_unt_reg_3_registration_certificate_only_after_entry() -> None:
    """The certificate is issued once the scan entered the applicant, not before."""
    journal = journal_with(1)
    with pytest.raises(DomainError) as caught:
        record_certificate_issued(journal, "042000001")
    assert caught.value.rule_id == "UNT-REG-3"
    journal = record_certificate_issued(entered(1), "042000001")
    assert journal.row("042000001").certificate_issued


def test_unt_reg_2_unknown_tzhk_is_refused() -> None:
    """Recording a scan for a ТЖК not in the journal raises DomainError."""
    with pytest.raises(DomainError, match="042000009"):
        record_scan_result(journal_with(1), "042000009", ScanStatus.ENTERED)


def test_unt_reg_15_closed_journal_is_frozen() -> None:
    """After closing, no registration, status, return or certificate is recorded."""
    closing = JournalClosing(
        closed_at=DEADLINE, late=False, struck_lines=(2,), director="Д", head="Ж"
    )
    journal = entered(1).model_copy(update={"closing": closing})
    attempts: list[Callable[[], object]] = [
        lambda: register_applicant(journal, PEOPLE[0], as_of=MORNING, deadline=DEADLINE),
        lambda: record_scan_result(journal, "042000001", ScanStatus.CHANGED),
        lambda: record_documents_returned(journal, "042000001"),
        lambda: record_certificate_issued(journal, "042000001"),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as caught:
            attempt()
        assert caught.value.rule_id == "UNT-REG-15"


def test_d_10_a_closing_record_keeps_its_time_zone() -> None:
    """A closing record with a naive time is refused, by the record itself."""
    fields = {"late": False, "struck_lines": (), "director": "Д", "head": "Б"}
    with pytest.raises(DomainError, match="closed_at") as caught:
        JournalClosing(closed_at=dt.datetime(2017, 5, 20, 17, 0), **fields)
    assert caught.value.rule_id == "D-10"
    aware = dt.datetime(2017, 5, 20, 17, 0, tzinfo=dt.UTC)
    assert JournalClosing(closed_at=aware, **fields).closed_at == aware
