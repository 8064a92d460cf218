"""Tests of the printed identification protocol (appx 36)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.ubt_domain.answer_readings import SUBJECTS, clean_sheet, room, tzhk, unfilled_sheet
from ubt_domain.documents.identification_protocol import (
    REASON_TEXT,
    identification_protocol_pdf,
    identification_protocol_source,
)
from ubt_domain.documents.markup import escape, framed
from ubt_domain.errors import DomainError
from ubt_domain.identification.auto import RoomIdentification, identify_room
from ubt_domain.identification.decisions import apply_commission_rows
from ubt_domain.identification.outcomes import CommissionRow, Decision, Reason
from ubt_domain.identification.roster import SeatingRow
from ubt_domain.identification.tables import identification_protocol

DAY = date(2026, 6, 20)
POINT = "ҰБТӨП №5"


def _state() -> RoomIdentification:
    sheets = [clean_sheet(1), clean_sheet(2, seat="009"), unfilled_sheet(3005)]
    return identify_room(room(3), sheets)


def _cells(*cells: str) -> str:
    """How consecutive table cells appear in the typst source."""
    return ", ".join(f"[{escape(cell)}]" for cell in cells)


def _source(state: RoomIdentification) -> str:
    return identification_protocol_source(
        identification_protocol(state), testing_point=POINT, exam_date=DAY
    )


def test_unt_scan_6_protocol_prints_as_a_reproducible_pdf() -> None:
    """The protocol compiles to a PDF, and the same protocol gives the same bytes."""
    protocol = identification_protocol(_state())
    first = identification_protocol_pdf(protocol, testing_point=POINT, exam_date=DAY)
    second = identification_protocol_pdf(protocol, testing_point=POINT, exam_date=DAY)
    assert first.startswith(b"%PDF-")
    assert first == second


def test_unt_scan_6_header_names_the_point_date_stream_and_room() -> None:
    """The protocol says where, when, which stream and which room."""
    source = _source(_state())
    assert "Жауап парақтарын сәйкестендіру хаттамасы" in source
    assert escape(POINT) in source
    assert escape("20.06.2026") in source
    assert escape("Аудитория: 03") in source


def test_unt_id_8_sectors_in_error_are_framed_in_bold() -> None:
    """The wrong seat is framed; the correct ТЖК on the same row is not."""
    source = _source(_state())
    assert framed("9") in source
    assert framed(tzhk(2)) not in source
    assert tzhk(2) in source


def test_unt_id_7_upper_table_lists_applicants_then_their_sheet_numbers() -> None:
    """An applicant's row shows no sheet number, then the one the commission found."""
    state = _state()
    row = CommissionRow(
        sheet_id=state.unidentified[0].sheet_id,
        decision=Decision.CORRECTION,
        tzhk=tzhk(2),
        seat=2,
        variant="0102",
        profile_subjects=SUBJECTS,
        name_on_sheet="Тестіленуші Екі",
    )
    decided = _source(apply_commission_rows(state, [row]))
    assert _cells("Тестіленуші 2", "2", "02, 05", "—") in _source(state)
    assert _cells("Тестіленуші 2", "2", "02, 05", "3002") in decided
    assert _cells("Тестіленуші Екі", tzhk(2), "2", "0102", "02, 05", "Түзету") in decided


def test_unt_id_6_unfilled_sheets_are_rows_of_the_lower_table() -> None:
    """An unfilled sheet is listed, marked as unfilled, so it is stacked in order."""
    assert _cells("3005", "толтырылмаған") in _source(_state())


def test_unt_id_12_variant_table_appears_only_when_a_variant_is_in_excess() -> None:
    """Appx 37 is printed when the room holds too many sheets of a variant."""
    assert "37-қосымша" not in _source(_state())
    over = identify_room(room(3), [clean_sheet(k, variant="0102") for k in (1, 2, 3)])
    assert _cells("0102", "2", "3", "3001, 3002, 3003") in _source(over)


def test_unt_id_8_names_are_printed_literally() -> None:
    """Markup characters in a name are escaped, and the document still compiles."""
    odd = SeatingRow(tzhk=tzhk(1), seat=1, full_name="Ли #set *Мин* [1]")
    state = identify_room(room(1).model_copy(update={"seating": (odd,)}), [])
    protocol = identification_protocol(state)
    assert escape(odd.full_name) in _source(state)
    assert identification_protocol_pdf(protocol, testing_point=POINT, exam_date=DAY)


def test_unt_scan_6_blank_testing_point_is_refused() -> None:
    """A protocol must say which testing point issued it."""
    with pytest.raises(DomainError, match="testing_point") as info:
        identification_protocol_pdf(
            identification_protocol(_state()), testing_point=" ", exam_date=DAY
        )
    assert info.value.rule_id == "UNT-SCAN-6"


def test_unt_id_8_every_reason_has_its_kazakh_text() -> None:
    """No reason can reach the document without words for it."""
    assert set(REASON_TEXT) == set(Reason)
