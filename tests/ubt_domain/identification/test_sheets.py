"""Tests of answer_sheet_data: what identification takes from a ҰБТ answer-sheet reading."""

from __future__ import annotations

import pytest

from omrkit.layout.models import FieldKind, load_layout
from tests.ubt_domain.answer_readings import (
    ANSWER_KINDS,
    ANSWER_POSITIONS,
    SUBJECTS,
    answer_reading,
    clean_values,
    serial_of,
    tzhk,
)
from tests.ubt_domain.readings import MULTIPLE, field_reading
from ubt_domain.errors import DomainError
from ubt_domain.identification.sheets import (
    AnswerSheetFieldIds,
    IssueKind,
    Sector,
    answer_sheet_data,
)


def test_unt_id_15_clean_sheet_reads_every_sector() -> None:
    """A correctly filled sheet yields its serial and every service sector, with no issue."""
    data = answer_sheet_data(answer_reading(clean_values(4), serial=serial_of(3, 4)))
    assert (data.serial, data.tzhk, data.room, data.seat) == (3004, tzhk(4), 3, 4)
    assert (data.variant, data.profile_subjects, data.exam_language) == ("0102", SUBJECTS, "kk")
    assert data.filled
    assert not data.creative
    assert not data.quality_poor
    assert data.issues == ()


def test_unt_id_15_reading_without_a_sector_field_is_refused() -> None:
    """A reading made with another layout lacks the ТЖК field and is refused by rule id."""
    reading = answer_reading(clean_values(1), serial=1)
    fields = {k: v for k, v in reading.fields.items() if k != "tzhk"}
    with pytest.raises(DomainError, match="no field 'tzhk'") as info:
        answer_sheet_data(reading.model_copy(update={"fields": fields}))
    assert info.value.rule_id == "UNT-ID-15"


def test_unt_id_15_field_of_the_wrong_kind_is_refused() -> None:
    """A seat field that decodes as text, not digits, is a layout mismatch."""
    reading = answer_reading(clean_values(1), serial=1)
    fields = dict(reading.fields)
    fields["seat"] = field_reading("seat", "ABC", kind=FieldKind.TEXT)
    with pytest.raises(DomainError, match="expected code") as info:
        answer_sheet_data(reading.model_copy(update={"fields": fields}))
    assert info.value.rule_id == "UNT-ID-15"


def test_unt_id_15_custom_field_ids_are_honoured() -> None:
    """A layout naming the ТЖК field differently is read through the mapping."""
    values = clean_values(2)
    reading = answer_reading(values, serial=7)
    fields = {("code_tzhk" if k == "tzhk" else k): v for k, v in reading.fields.items()}
    data = answer_sheet_data(
        reading.model_copy(update={"fields": fields}),
        field_ids=AnswerSheetFieldIds(tzhk="code_tzhk"),
    )
    assert data.tzhk == tzhk(2)


def test_unt_id_15_multiple_marks_drop_the_value_and_record_the_issue() -> None:
    """A ТЖК digit with two marks leaves no ТЖК and a ``multiple`` issue, never a guess."""
    values = {**clean_values(1), "tzhk": "0000" + MULTIPLE + "0001"}
    data = answer_sheet_data(answer_reading(values, serial=1))
    assert data.tzhk is None
    assert data.issue(Sector.TZHK) is IssueKind.MULTIPLE


def test_unt_id_15_review_flag_keeps_the_value_and_records_the_issue() -> None:
    """A seat digit near the 50 % threshold keeps its read value but is flagged."""
    data = answer_sheet_data(answer_reading(clean_values(3), serial=1, review={"seat": (2,)}))
    assert data.seat == 3
    assert data.issue(Sector.SEAT) is IssueKind.REVIEW


@pytest.mark.parametrize("field", ["tzhk", "seat", "variant", "profile_subject_2"])
def test_unt_id_15_blank_required_sector_is_an_issue(field: str) -> None:
    """ТЖК, seat, variant and profile subjects are required: an incomplete one is ``blank``."""
    values = {**clean_values(1), field: "1"}
    data = answer_sheet_data(answer_reading(values, serial=1))
    sector = Sector.PROFILE_SUBJECTS if field.startswith("profile") else Sector(field)
    assert data.issue(sector) is IssueKind.BLANK


def test_unt_id_15_room_and_language_may_be_blank() -> None:
    """Room and exam language are recorded but not required: blank is no issue."""
    values = {**clean_values(1), "room": "", "exam_language": None}
    data = answer_sheet_data(answer_reading(values, serial=1))
    assert (data.room, data.exam_language, data.issues) == (None, None, ())


def test_unt_exam_11_creative_sheet_needs_no_profile_subjects() -> None:
    """With sector 6 marked, blank profile subjects are no issue (two-subject track)."""
    values = {
        **clean_values(1),
        "creative": "yes",
        "profile_subject_1": "",
        "profile_subject_2": "",
    }
    data = answer_sheet_data(answer_reading(values, serial=1))
    assert data.creative
    assert data.profile_subjects == ()
    assert data.issues == ()


def test_unt_id_15_seat_zero_is_invalid() -> None:
    """Seat ``000`` reads cleanly but names no seat, so it is ``invalid``."""
    data = answer_sheet_data(answer_reading({**clean_values(1), "seat": "000"}, serial=1))
    assert data.seat is None
    assert data.issue(Sector.SEAT) is IssueKind.INVALID


def test_unt_id_15_same_profile_subject_twice_is_invalid() -> None:
    """Two profile-subject rows with one code are no pair of subjects."""
    values = {**clean_values(1), "profile_subject_2": SUBJECTS[0]}
    data = answer_sheet_data(answer_reading(values, serial=1))
    assert data.issue(Sector.PROFILE_SUBJECTS) is IssueKind.INVALID


def test_unt_scan_3_unfilled_sheet_is_recognised() -> None:
    """A scanned spare sheet with nothing marked reads as unfilled, without issues."""
    data = answer_sheet_data(answer_reading({}, serial=9))
    assert not data.filled
    assert data.serial == 9


def test_unt_scan_3_faint_mark_makes_a_sheet_filled() -> None:
    """A lone mark in the review band means someone wrote on the sheet."""
    data = answer_sheet_data(answer_reading({}, serial=9, review={"answers_3": (0,)}))
    assert data.filled


def test_unt_id_15_poor_registration_is_recorded() -> None:
    """The engine's poor-registration flag travels with the data."""
    data = answer_sheet_data(answer_reading(clean_values(1), serial=1, poor=True))
    assert data.quality_poor


def test_unt_id_15_defaults_match_the_bundled_answer_sheet() -> None:
    """Default field ids, kinds and digit counts are those the bundled sheet prints."""
    layout = load_layout("ubt-answer")
    fields = {f.id: f for f in layout.fields}
    ids = AnswerSheetFieldIds()
    roles = [ids.tzhk, ids.room, ids.seat, ids.variant, *ids.profile_subjects]
    for field_id in roles:
        assert fields[field_id].kind is FieldKind.CODE, field_id
        assert len(fields[field_id].slots) == ANSWER_POSITIONS[field_id], field_id
    for field_id in (ids.creative, ids.exam_language):
        assert fields[field_id].kind is FieldKind.CHOICE, field_id
    assert set(ANSWER_KINDS) == set(fields)
    assert layout.serial_code is not None
