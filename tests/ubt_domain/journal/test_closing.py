"""Closing the journal and «Талапкер»: 18:00 local deadline, NTC password, freezing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.ubt_domain.readings import application_reading, sample_directories
from ubt_domain.application.form import AcceptedApplication, FormDeletion, decode_application
from ubt_domain.application.names import PersonName
from ubt_domain.errors import DomainError
from ubt_domain.journal.closing import close_journal, closing_deadline
from ubt_domain.journal.entries import (
    LateClosingOverride,
    RegistrationJournal,
    ScanStatus,
    record_documents_returned,
    record_scan_result,
    register_applicant,
)
from ubt_domain.journal.reconciliation import DbRecord

ALMATY = ZoneInfo("Asia/Almaty")  # UTC+6 in 2017
AQTOBE = ZoneInfo("Asia/Aqtobe")  # UTC+5
CLOSING_DATE = dt.date(2017, 5, 20)
NTC_PASSWORD = "Талапкер-2017"
AFTERNOON = dt.datetime(2017, 5, 20, 15, 0, tzinfo=ALMATY)


def verify(password: str) -> bool:
    """Stands in for NTC's password check."""
    return password == NTC_PASSWORD


def ready_journal() -> tuple[RegistrationJournal, list[DbRecord]]:
    """Two entered applicants on a journal of 5 printed lines, and the matching database list."""
    journal = RegistrationJournal(school_id="S-042", tzhk_prefix="0420", printed_lines=5)
    deadline = closing_deadline(CLOSING_DATE, ALMATY)
    morning = dt.datetime(2017, 5, 10, 9, 0, tzinfo=ALMATY)
    for person in (
        PersonName(surname="АБАЙ", name="ӘЛІ"),
        PersonName(surname="ҚАСЫМ", name="ДӘУРЕН"),
    ):
        journal = register_applicant(journal, person, as_of=morning, deadline=deadline)
        journal = record_scan_result(journal, journal.rows[-1].tzhk, ScanStatus.ENTERED)
    database = [DbRecord(tzhk=r.tzhk, status=ScanStatus.ENTERED) for r in journal.rows]
    return journal, database


def close(
    journal: RegistrationJournal, database: list[DbRecord], **changes: object
) -> RegistrationJournal:
    arguments: dict[str, object] = {
        "as_of": AFTERNOON,
        "closing_date": CLOSING_DATE,
        "zone": ALMATY,
        "password": NTC_PASSWORD,
        "verify_password": verify,
        "director": "Мектеп директоры",
        "head": "ҰБТӨП жетекшісі",
    } | changes
    return close_journal(journal, database, **arguments)  # type: ignore[arg-type]


def test_unt_reg_13_deadline_is_18_00_local_time_of_the_closing_date() -> None:
    """The deadline is 18:00 on the wall clock of the testing point's own zone."""
    almaty = closing_deadline(CLOSING_DATE, ALMATY)
    aqtobe = closing_deadline(CLOSING_DATE, AQTOBE)
    assert almaty.astimezone(ALMATY).time() == dt.time(18, 0)
    assert almaty.astimezone(dt.UTC) == dt.datetime(2017, 5, 20, 12, 0, tzinfo=dt.UTC)
    assert aqtobe - almaty == dt.timedelta(hours=1)


def test_d_10_deadline_needs_the_point_zone() -> None:
    """A zone that is not a tzinfo is refused (D-10)."""
    with pytest.raises(DomainError) as caught:
        closing_deadline(CLOSING_DATE, "Asia/Almaty")  # type: ignore[arg-type]
    assert caught.value.rule_id == "D-10"


def test_unt_reg_14_closing_strikes_the_empty_lines_and_records_signatures() -> None:
    """A clean journal closes: lines after the last application are struck with «Z»."""
    journal, database = ready_journal()
    closed = close(journal, database)
    assert closed.closing is not None
    assert closed.closing.struck_lines == (3, 4, 5)
    assert (closed.closing.director, closed.closing.head) == ("Мектеп директоры", "ҰБТӨП жетекшісі")
    assert not closed.closing.late
    assert journal.closing is None


def test_unt_reg_14_password_from_ntc_is_required() -> None:
    """A password the verifier rejects leaves the journal open."""
    journal, database = ready_journal()
    with pytest.raises(DomainError, match="password") as caught:
        close(journal, database, password="guess")
    assert caught.value.rule_id == "UNT-REG-14"


def test_unt_reg_14_verifier_must_say_true_exactly() -> None:
    """A verifier that returns a truthy non-bool does not open the gate."""
    journal, database = ready_journal()
    with pytest.raises(DomainError):
        close(journal, database, verify_password=lambda _: "yes")


def test_unt_reg_14_discrepancies_block_closing() -> None:
    """A journal that disagrees with the database cannot be closed until fixed."""
    journal, database = ready_journal()
    with pytest.raises(DomainError, match="not_in_database") as caught:
        close(journal, database[:1])
    assert caught.value.rule_id == "UNT-REG-14"


@pytest.mark.parametrize("missing", ["director", "head"])
def test_unt_reg_14_both_signatures_are_required(missing: str) -> None:
    """The school director and the testing-point head both sign the journal."""
    journal, database = ready_journal()
    with pytest.raises(DomainError, match="signed"):
        close(journal, database, **{missing: " "})


def test_unt_reg_14_closing_happens_on_the_closing_date() -> None:
    """Closing before the last day of acceptance is refused."""
    journal, database = ready_journal()
    with pytest.raises(DomainError) as caught:
        close(journal, database, as_of=AFTERNOON - dt.timedelta(days=1))
    assert caught.value.rule_id == "UNT-REG-14"


def test_d_10_the_closing_date_is_read_on_the_local_clock() -> None:
    """20:00 UTC on the 19th is already the 20th in Almaty, so closing is allowed."""
    journal, database = ready_journal()
    evening_utc = dt.datetime(2017, 5, 19, 20, 0, tzinfo=dt.UTC)
    assert close(journal, database, as_of=evening_utc).closed


def test_unt_reg_13_closing_after_18_00_without_an_override_is_refused() -> None:
    """After 18:00 of the closing date (or 41 days later) the journal does not close alone."""
    journal, database = ready_journal()
    for as_of in (
        dt.datetime(2017, 5, 20, 18, 0, 1, tzinfo=ALMATY),
        dt.datetime(2017, 6, 30, 10, 0, tzinfo=ALMATY),
    ):
        with pytest.raises(DomainError, match="override") as info:
            close(journal, database, as_of=as_of)
        assert info.value.rule_id == "UNT-REG-13"
    on_time = close(journal, database, as_of=dt.datetime(2017, 5, 20, 18, 0, tzinfo=ALMATY))
    assert on_time.closing is not None
    assert not on_time.closing.late


def test_unt_reg_13_late_closing_with_ntc_override_is_recorded() -> None:
    """With NTC's recorded override a late journal closes, the override kept on record."""
    journal, database = ready_journal()
    override = LateClosingOverride(
        reference="ҰТО-2017/118", granted_by="ҰТО кезекші маманы", reason="жарық өшті"
    )
    late = close(
        journal,
        database,
        as_of=dt.datetime(2017, 5, 20, 18, 30, tzinfo=ALMATY),
        late_override=override,
    )
    assert late.closing is not None
    assert late.closing.late
    assert late.closing.late_override == override
    with pytest.raises(DomainError) as info:
        late.closing.evolve(late_override=None)
    assert info.value.rule_id == "UNT-REG-13"


def test_unt_reg_15_a_closed_journal_is_not_closed_twice() -> None:
    """Closing is one-shot: a second close is refused."""
    journal, database = ready_journal()
    closed = close(journal, database)
    with pytest.raises(DomainError) as caught:
        close(closed, database)
    assert caught.value.rule_id == "UNT-REG-15"


def test_d_10_naive_closing_time_is_refused() -> None:
    """A closing time without a zone is refused."""
    journal, database = ready_journal()
    with pytest.raises(DomainError) as caught:
        close(journal, database, as_of=dt.datetime(2017, 5, 20, 15, 0))
    assert caught.value.rule_id == "D-10"


def test_unt_reg_14_scanned_forms_reconcile_and_close() -> None:
    """Register, scan forms (one deleted and re-entered), record statuses, reconcile, close."""
    deadline = closing_deadline(CLOSING_DATE, ALMATY)
    morning = dt.datetime(2017, 5, 10, 9, 0, tzinfo=ALMATY)
    journal = RegistrationJournal(school_id="S-042", tzhk_prefix="0420", printed_lines=6)
    person = PersonName(surname="СЕМЁНОВ", name="ӘЛІ", patronymic="ҚАЙРАТҰЛЫ")
    for _ in range(2):
        journal = register_applicant(journal, person, as_of=morning, deadline=deadline)
    database: dict[str, ScanStatus] = {}

    def scan(changes: dict[str, str | None]) -> None:
        nonlocal journal
        registered = {r.tzhk: r.person for r in journal.rows}
        result = decode_application(
            application_reading(changes),
            sample_directories(),
            exam_year=2017,
            registered=registered,
        )
        if isinstance(result, FormDeletion):
            journal = record_documents_returned(journal, result.tzhk)
            database[result.tzhk] = ScanStatus.DELETED
            journal = record_scan_result(journal, result.tzhk, ScanStatus.DELETED)
        else:
            assert isinstance(result, AcceptedApplication)
            assert result.applicant.surname == "СЕМЁНОВ"
            database[result.applicant.tzhk] = ScanStatus.ENTERED
            journal = record_scan_result(journal, result.applicant.tzhk, ScanStatus.ENTERED)

    scan({"tzhk": "042000001"})
    scan({"tzhk": "042000002"})
    scan({"tzhk": "042000002", "deleted": "yes"})  # the applicant changes exam language
    journal = register_applicant(journal, person, as_of=morning, deadline=deadline)
    scan({"tzhk": journal.rows[-1].tzhk, "exam_language": "ru"})
    records = [DbRecord(tzhk=t, status=s) for t, s in database.items()]
    closed = close(journal, records)
    assert closed.closing is not None
    assert closed.closing.struck_lines == (4, 5, 6)
    assert [r.scan_status for r in closed.rows] == [
        ScanStatus.ENTERED,
        ScanStatus.DELETED,
        ScanStatus.ENTERED,
    ]
