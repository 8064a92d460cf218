"""The seating sheet document (Rules appx 5; UNT-SEAT-1, UNT-SEAT-2)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from ubt_domain.documents.seating_sheet import (
    SEATING_SHEET_TITLE,
    seating_sheet_pdf,
    seating_sheet_source,
)
from ubt_domain.errors import DomainError
from ubt_domain.models import ExamLanguage
from ubt_domain.passwords import MIN_LOG2_N, password_verifier
from ubt_domain.rooms.additional import (
    AdditionalSeatingRequest,
    MaterialsSource,
    seat_additionally,
)
from ubt_domain.rooms.allocation import RoomAllocation
from ubt_domain.rooms.sealed import SeatingRegistry
from ubt_domain.rooms.seating import MIN_SEED_BYTES, SeatingPlan, seat_room

EXAM_DAY = dt.date(2026, 6, 20)
TZHKS = tuple(f"{i:09d}" for i in range(1, 8))
NAMES = {t: f"Тестов{i} Әлия Ұлжанқызы" for i, t in enumerate(TZHKS)}


def sealed_plan() -> SeatingPlan:
    """A Russian-status room 03 of stream 2 with seven seated applicants."""
    room = RoomAllocation(stream=2, room=3, language=ExamLanguage.RUSSIAN, seats=30, tzhks=TZHKS)
    plan, _ = seat_room(
        room,
        seed=b"\x07" * MIN_SEED_BYTES,
        password="p",
        registry=SeatingRegistry(
            verifier=password_verifier("p", salt=b"\x01" * 16, log2_n=MIN_LOG2_N)
        ),
    )
    return plan


def table_tzhks(source: str) -> list[str]:
    """The ТЖК column of the sheet's rows, top to bottom."""
    return re.findall(r"^  \[\d+\], \[(\d{9})\]", source, flags=re.MULTILINE)


def test_unt_seat_2_rows_follow_seat_numbers() -> None:
    """The sheet lists applicants by ascending seat, whatever their ТЖК order."""
    plan = sealed_plan()
    source = seating_sheet_source(plan, names=NAMES, testing_point="031", exam_date=EXAM_DAY)
    assert table_tzhks(source) == [a.tzhk for a in plan.assignments]
    assert re.findall(r"^  \[(\d+)\],", source, flags=re.MULTILINE) == [str(n) for n in range(1, 8)]


def test_unt_seat_1_sheet_states_room_stream_language_date_and_names() -> None:
    """The sheet carries the room label, stream, language, date, names and commitment."""
    plan = sealed_plan()
    source = seating_sheet_source(plan, names=NAMES, testing_point="031", exam_date=EXAM_DAY)
    assert SEATING_SHEET_TITLE in source
    assert "Аудитория: *03*" in source
    assert "Лек: *2*" in source
    assert "орыс тілі" in source
    assert "20\\.06\\.2026" in source
    assert all(name in source for name in NAMES.values())
    assert plan.seed_commitment in source


def test_unt_seat_1_additional_seating_is_marked_with_its_protocol() -> None:
    """An additionally seated applicant's row names «Қосымша отырғызу» and the protocol."""
    ask = AdditionalSeatingRequest(
        tzhk="000000099",
        stream=1,
        recorded_language=ExamLanguage.KAZAKH,
        needed_language=ExamLanguage.RUSSIAN,
        protocol_ref="МК-7",
        materials=MaterialsSource.RESERVE,
    )
    _, plan = seat_additionally(ask, plans=[sealed_plan()])
    names = {**NAMES, "000000099": "Қосымшаев Ерлан"}
    source = seating_sheet_source(plan, names=names, testing_point="031", exam_date=EXAM_DAY)
    assert table_tzhks(source)[-1] == "000000099"
    assert "Қосымша отырғызу\\, хаттама МК\\-7" in source


def test_unt_seat_1_names_are_escaped_not_run_as_markup() -> None:
    """A name holding typst syntax is printed literally."""
    plan = sealed_plan()
    names = {**NAMES, TZHKS[0]: "#panic()"}
    source = seating_sheet_source(plan, names=names, testing_point="031", exam_date=EXAM_DAY)
    assert "\\#panic\\(\\)" in source
    assert seating_sheet_pdf(plan, names=names, testing_point="031", exam_date=EXAM_DAY)


def test_unt_seat_1_pdf_is_reproducible_bytes() -> None:
    """The document compiles to PDF bytes, the same for the same arguments."""
    plan = sealed_plan()
    first = seating_sheet_pdf(plan, names=NAMES, testing_point="031", exam_date=EXAM_DAY)
    assert first.startswith(b"%PDF-")
    assert first == seating_sheet_pdf(plan, names=NAMES, testing_point="031", exam_date=EXAM_DAY)


def test_unt_seat_1_missing_name_is_refused() -> None:
    """A seated ТЖК without a name raises DomainError listing it."""
    names = {t: n for t, n in NAMES.items() if t != TZHKS[2]}
    with pytest.raises(DomainError, match=TZHKS[2]) as caught:
        seating_sheet_source(sealed_plan(), names=names, testing_point="031", exam_date=EXAM_DAY)
    assert caught.value.rule_id == "UNT-SEAT-1"


def test_unt_seat_1_bad_arguments_are_refused() -> None:
    """A blank testing point, a text date or a non-plan argument is refused."""
    plan = sealed_plan()
    with pytest.raises(DomainError):
        seating_sheet_source(plan, names=NAMES, testing_point=" ", exam_date=EXAM_DAY)
    with pytest.raises(DomainError, match="date"):
        seating_sheet_source(plan, names=NAMES, testing_point="031", exam_date="2026-06-20")  # type: ignore[arg-type]
    not_a_plan: object = object()
    with pytest.raises(DomainError, match="SeatingPlan"):
        seating_sheet_source(not_a_plan, names=NAMES, testing_point="031", exam_date=EXAM_DAY)  # type: ignore[arg-type]
