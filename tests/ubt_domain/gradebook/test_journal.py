"""E-journal windows (EJ-2 … EJ-4, D-11), immutable grades (EJ-5), grants (EJ-6), report card."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from ubt_domain.errors import DomainError
from ubt_domain.gradebook.journal import AccessGrant, GradeJournal, GrantReason, record_grade
from ubt_domain.gradebook.report_card import report_card, report_card_frame
from ubt_domain.gradebook.windows import (
    KAZAKH_TEXT_POLICY,
    AssessmentKind,
    Quarter,
    entry_deadline,
)
from ubt_domain.ledger.chain import Tamper, verify_chain

KARAGANDA = ZoneInfo("Asia/Almaty")  # UTC+6 in 2019
Q2 = Quarter(number=2, first_day=dt.date(2019, 11, 4), last_day=dt.date(2019, 12, 27))
SOR_DAY = dt.date(2019, 11, 11)


def at(day: dt.date, hour: int = 18) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=KARAGANDA)


def enter(journal: GradeJournal, **changes: Any) -> GradeJournal:
    fields: dict[str, Any] = {
        "student": "S1",
        "subject": "math",
        "grade_level": 7,
        "kind": AssessmentKind.UNIT_SUMMATIVE,
        "assessment_date": SOR_DAY,
        "grade": 8,
        "teacher": "Т. Мұқанова",
        "entered_at": at(SOR_DAY),
        "zone": KARAGANDA,
        "quarter": Q2,
    }
    return record_grade(journal, **{**fields, **changes})


def empty() -> GradeJournal:
    return GradeJournal(school="Қарағанды №1 мектеп")


def test_d_11_unit_summative_window_is_10_days_inclusive_by_default() -> None:
    """Assessment on the 11th: the 20th is the last day, the 21st is late."""
    assert entry_deadline(7, AssessmentKind.UNIT_SUMMATIVE, SOR_DAY, Q2) == dt.date(2019, 11, 20)
    enter(empty(), entered_at=at(dt.date(2019, 11, 20), 23))
    with pytest.raises(DomainError) as caught:
        enter(empty(), entered_at=at(dt.date(2019, 11, 21), 0))
    assert caught.value.rule_id == "EJ-6"


def test_ej_3_the_kazakh_text_preset_gives_14_days() -> None:
    """With the 14-day preset the 24th is the last day."""
    deadline = entry_deadline(7, AssessmentKind.UNIT_SUMMATIVE, SOR_DAY, Q2, KAZAKH_TEXT_POLICY)
    assert deadline == dt.date(2019, 11, 24)
    enter(empty(), entered_at=at(dt.date(2019, 11, 24)), policy=KAZAKH_TEXT_POLICY)


def test_ej_2_grade_11_has_10_days_and_the_quarter_final_runs_to_the_quarter_end() -> None:
    """Grade 11: 10 days for a grade; the final grade until the quarter's last day."""
    assert entry_deadline(11, AssessmentKind.GRADE, SOR_DAY, Q2) == dt.date(2019, 11, 20)
    assert entry_deadline(11, AssessmentKind.QUARTER_FINAL, SOR_DAY, Q2) == Q2.last_day


def test_ej_4_quarter_summative_until_the_last_day_of_the_quarter() -> None:
    """A ТЖБ of grades 1-10 may be entered up to the quarter's last day, inclusive."""
    day = dt.date(2019, 12, 20)
    kind = AssessmentKind.QUARTER_SUMMATIVE
    assert entry_deadline(5, kind, day, Q2) == Q2.last_day
    enter(empty(), kind=kind, assessment_date=day, entered_at=at(Q2.last_day, 23))
    with pytest.raises(DomainError, match="window closed"):
        enter(empty(), kind=kind, assessment_date=day, entered_at=at(dt.date(2019, 12, 28), 0))


def test_ej_1_a_grade_for_a_past_period_is_refused() -> None:
    """An assessment outside the quarter, or a grade entered before its assessment, is refused."""
    with pytest.raises(DomainError) as caught:
        enter(empty(), assessment_date=dt.date(2019, 10, 25))
    assert caught.value.rule_id == "EJ-1"
    with pytest.raises(DomainError, match="cannot be entered"):
        enter(empty(), entered_at=at(dt.date(2019, 11, 10)))


def test_ej_9_ordinary_grades_of_grades_1_to_10_have_no_window_in_the_letter() -> None:
    """The letter is silent; the software says so instead of guessing."""
    with pytest.raises(DomainError) as caught:
        entry_deadline(7, AssessmentKind.GRADE, SOR_DAY, Q2)
    assert caught.value.rule_id == "EJ-9"


def test_d_10_the_window_is_judged_in_the_schools_zone() -> None:
    """23:30 local on the last day is in time even though it is the next day nowhere else."""
    late_evening = dt.datetime(2019, 11, 20, 23, 30, tzinfo=KARAGANDA)
    enter(empty(), entered_at=late_evening.astimezone(dt.UTC))


def test_ej_5_a_grade_is_never_changed() -> None:
    """A second grade for the same assessment is refused; the journal only grows."""
    journal = enter(empty())
    with pytest.raises(DomainError) as caught:
        enter(journal, grade=9, entered_at=at(dt.date(2019, 11, 12)))
    assert caught.value.rule_id == "EJ-5"
    assert len(journal.entries) == 1


def test_ej_5_an_edit_behind_the_journals_back_is_detected() -> None:
    """The journal is a hash chain: an edited grade fails verification."""
    journal = enter(enter(empty()), subject="history", entered_at=at(dt.date(2019, 11, 12)))
    assert journal.verify().intact
    forged = (journal.entries[0].evolve(grade=10), journal.entries[1])
    assert [p.tamper for p in verify_chain(forged).problems] == [Tamper.EDITED]


def grant(**changes: Any) -> AccessGrant:
    fields: dict[str, Any] = {
        "student": "S1",
        "subject": "math",
        "kind": AssessmentKind.UNIT_SUMMATIVE,
        "assessment_date": SOR_DAY,
        "reason": GrantReason.ILLNESS,
        "granted_by": "әдістемелік орталық",
        "granted_at": at(dt.date(2019, 11, 25), 9),
        "reference": "өтінім 17",
    }
    return AccessGrant.model_validate({**fields, **changes})


def test_ej_6_late_entry_needs_a_matching_recorded_grant() -> None:
    """With a grant for this grade the late entry passes and records it; others are refused."""
    late = at(dt.date(2019, 11, 25), 12)
    journal = enter(empty(), entered_at=late, grant=grant())
    recorded = journal.entries[0].grant
    assert recorded is not None
    assert (recorded.reason, recorded.basis) == (GrantReason.ILLNESS, "№1218, 14.08.2019")
    with pytest.raises(DomainError, match="another grade"):
        enter(empty(), entered_at=late, grant=grant(subject="history"))
    with pytest.raises(DomainError, match="postdates"):
        enter(empty(), entered_at=late, grant=grant(granted_at=late + dt.timedelta(hours=1)))
    with pytest.raises(DomainError):
        grant(reason="forgot")


def test_ej_7_the_journal_copy_for_electronic_media_round_trips_and_verifies() -> None:
    """The JSON kept on USB or CD restores the same journal, still verifiable."""
    journal = enter(enter(empty()), subject="history", entered_at=at(dt.date(2019, 11, 12)))
    restored = GradeJournal.model_validate_json(journal.model_dump_json())
    assert restored == journal
    assert restored.verify(head=journal.entries[-1].entry_hash).intact


def test_ej_8_quarter_report_card_as_model_and_frame() -> None:
    """After the quarter: one row per subject with summatives and the final grade."""
    journal = enter(empty())
    journal = enter(
        journal,
        assessment_date=dt.date(2019, 11, 25),
        grade=6,
        entered_at=at(dt.date(2019, 11, 26)),
    )
    journal = enter(
        journal,
        kind=AssessmentKind.QUARTER_SUMMATIVE,
        assessment_date=dt.date(2019, 12, 20),
        grade=7,
        entered_at=at(dt.date(2019, 12, 21)),
    )
    card = report_card(
        journal,
        student="S1",
        student_name="Әлия Сейтова",
        grade_level=7,
        quarter=Q2,
        director="Директор Ж. Омаров",
        exported_on=dt.date(2019, 12, 28),
    )
    assert [
        (r.subject, r.unit_summatives, r.quarter_summative, r.quarter_final) for r in card.rows
    ] == [("math", (8, 6), 7, None)]
    frame = report_card_frame(card)
    assert frame.columns == ["subject", "unit_summatives", "quarter_summative", "quarter_final"]
    assert frame.row(0) == ("math", [8, 6], 7, None)
    with pytest.raises(DomainError) as caught:
        report_card(
            journal,
            student="S1",
            student_name="Әлия",
            grade_level=7,
            quarter=Q2,
            director="Д",
            exported_on=dt.date(2019, 12, 20),
        )
    assert caught.value.rule_id == "EJ-8"
