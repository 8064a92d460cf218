"""Tests of the printed МАБ/ОЖСБ identification protocol (П-4, ОЖСБ appx 11)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.ubt_domain.readings import MULTIPLE
from tests.ubt_domain.school_readings import identify, school_sheet, student
from ubt_domain.documents.markup import escape, framed
from ubt_domain.documents.school_protocol import (
    REASON_TEXT,
    SCHOOL_PROTOCOL_TITLE,
    school_identification_protocol_pdf,
    school_identification_protocol_source,
)
from ubt_domain.errors import DomainError
from ubt_domain.identification.school import (
    MatchReason,
    SchoolIdentification,
    SchoolProtocolRow,
    apply_school_rows,
    identify_school,
)
from ubt_domain.models import Programme

DAY = date(2026, 5, 12)
POINT = "ҰБТӨП №5"
_ROW_NUMBER = re.compile(r"^  \[(\d+)\], \[", flags=re.MULTILINE)


def _source(state: SchoolIdentification) -> str:
    return school_identification_protocol_source(state, testing_point=POINT, exam_date=DAY)


def _section(source: str, title: str) -> str:
    """The part of the source from a level-2 heading to the next one."""
    start = source.index(f"#heading(level: 2, numbering: none)[{escape(title)}")
    end = source.find("#heading(level: 2", start + 1)
    return source[start:] if end < 0 else source[start:end]


def _unresolved(source: str) -> str:
    return _section(source, "Сәйкестендірілмеген жауап парақтары")


def _mixed() -> SchoolIdentification:
    """Student 0 matched, student 2 with two wrong letters, a tie, a doubtful birth year."""
    roster = [student(0), student(1), student(1, student_id="twin", name="Дина"), student(2)]
    sheets = [
        school_sheet(0),
        school_sheet(2, surname="ЖАНУЗАК"),
        school_sheet(1),
        school_sheet(0, birth_year="1" + MULTIPLE, tag="x"),
    ]
    return identify_school(roster, sheets, school="560001", programme=Programme.MAB)


def test_mab_s_21_protocol_prints_as_a_reproducible_pdf() -> None:
    """The П-4 protocol compiles to a PDF, and the same state gives the same bytes."""
    state = _mixed()
    first = school_identification_protocol_pdf(state, testing_point=POINT, exam_date=DAY)
    again = school_identification_protocol_pdf(
        state.model_copy(deep=True), testing_point=POINT, exam_date=DAY
    )
    assert first.startswith(b"%PDF-")
    assert first == again


def test_ozh_18_protocol_prints_as_a_reproducible_pdf() -> None:
    """The ОЖСБ appx 11 protocol compiles, names its form and is byte-identical on reprint."""
    state = identify(school_sheet(0), school_sheet(2, surname="ЖАНУЗАК"), programme=Programme.OZHSB)
    first = school_identification_protocol_pdf(state, testing_point=POINT, exam_date=DAY)
    assert first == school_identification_protocol_pdf(state, testing_point=POINT, exam_date=DAY)
    source = _source(state)
    assert escape("11-қосымша") in source
    assert escape("П-4") not in source
    assert "БСБД" in source


def test_mab_s_21_header_names_form_point_date_and_school() -> None:
    """The protocol says which form, where, when and for which school."""
    source = _source(_mixed())
    assert escape(SCHOOL_PROTOCOL_TITLE) in source
    assert escape("МАБ, П-4 нысаны") in source
    assert escape(POINT) in source
    assert escape("12.05.2026") in source
    assert "560001" in source


def test_mab_s_21_lists_exactly_the_unresolved_sheets_in_scan_order() -> None:
    """Only sheets that went to the protocol are rows, numbered by their scan position."""
    state = _mixed()
    rows = _ROW_NUMBER.findall(_unresolved(_source(state)))
    assert [o.sheet_id for o in state.unmatched] == [state.sheets[k].sheet_id for k in (1, 2, 3)]
    assert rows == ["2", "3", "4"]


def test_mab_s_21_rows_carry_reasons_and_candidates() -> None:
    """A tie lists both candidates, a non-match none, a doubtful year its one candidate."""
    section = _unresolved(_source(_mixed()))
    lines = section.split("\n  [")[1:]
    no_match, tie, doubtful = lines
    assert escape(REASON_TEXT[MatchReason.NO_MATCH]) in no_match
    assert "s2" not in no_match
    assert escape(REASON_TEXT[MatchReason.TIE]) in tie
    assert escape("s1: Бекова Дана, 4 «А»") in tie
    assert escape("twin: Бекова Дина, 4 «А»") in tie
    assert escape("s0: Ахметов Асқар") in doubtful
    assert framed("—") in doubtful


def test_mab_s_21_read_letters_show_doubtful_positions() -> None:
    """The surname prints as painted, with a doubtful letter as «?»."""
    state = identify(school_sheet(2, surname="ЖА" + MULTIPLE + "УЗАК"))
    assert escape("ЖА?УЗАК") in _unresolved(_source(state))


def test_mab_s_21_absent_students_are_listed_for_pairing() -> None:
    """Listed students without a sheet are printed, matched ones are not."""
    state = identify(school_sheet(0), students=3)
    section = _section(_source(state), "Жауап парағы табылмаған оқушылар")
    assert "s1" in section
    assert "s2" in section
    assert "s0" not in section


def test_mab_s_21_commission_rows_leave_the_unresolved_table() -> None:
    """After the rows are entered the sheet is no longer unresolved but listed as manual."""
    state = identify(school_sheet(0), school_sheet(2, surname="ЖАНУЗАК"))
    waiting = state.unmatched[0].sheet_id
    done = apply_school_rows(state, [SchoolProtocolRow(sheet_id=waiting, student_id="s2")])
    source = _source(done)
    assert _ROW_NUMBER.findall(_unresolved(source)) == []
    manual = _section(source, "Комиссия сәйкестендірген")
    assert _ROW_NUMBER.findall(manual) == ["2"]
    assert escape("s2: Жанұзақ Ерлан") in manual


def test_mab_s_21_names_are_printed_literally() -> None:
    """Markup characters in a listed name are escaped and the protocol still compiles."""
    odd = student(1, surname="Ли #set *Мин* [1]")
    state = identify_school([odd], [school_sheet(3)], school="1", programme=Programme.MAB)
    assert school_identification_protocol_pdf(state, testing_point=POINT, exam_date=DAY)
    unmatched = identify_school(
        [odd, student(1, student_id="s9")], [school_sheet(1)], school="1", programme=Programme.MAB
    )
    assert escape(odd.surname) in _source(unmatched)


def test_ozh_18_blank_testing_point_is_refused_with_the_programme_rule() -> None:
    """A protocol must say which testing point issued it; the rule follows the programme."""
    for programme, rule in ((Programme.MAB, "MAB-S-21"), (Programme.OZHSB, "OZH-18")):
        with pytest.raises(DomainError, match="testing_point") as info:
            school_identification_protocol_pdf(
                identify(programme=programme), testing_point=" ", exam_date=DAY
            )
        assert info.value.rule_id == rule


def test_d_12_protocol_needs_a_school_identification() -> None:
    """Anything but a school's identification state is refused."""
    with pytest.raises(DomainError) as info:
        school_identification_protocol_source(
            "state",  # type: ignore[arg-type]
            testing_point=POINT,
            exam_date=DAY,
        )
    assert info.value.rule_id == "D-12"


def test_mab_s_21_every_reason_has_its_kazakh_text() -> None:
    """No reason can reach the document without words for it."""
    assert set(REASON_TEXT) == set(MatchReason)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(["ok", "two-wrong", "doubtful-year", "spare"]), max_size=6))
def test_mab_s_21_unresolved_rows_are_the_protocol_sheets(kinds: list[str]) -> None:
    """Whatever the mix of sheets, the rows of the unresolved table are the state's
    unmatched sheets, by scan position."""
    sheets = []
    for k, kind in enumerate(kinds):
        i = k % 4
        if kind == "ok":
            sheets.append(school_sheet(i, tag=str(k)))
        elif kind == "two-wrong":
            sheets.append(school_sheet(i, surname="ЮЮ", tag=str(k)))
        elif kind == "doubtful-year":
            sheets.append(school_sheet(i, birth_year=MULTIPLE + "1", tag=str(k)))
        else:
            spare = school_sheet(i, tag=str(k)).model_copy(update={"filled": False})
            sheets.append(spare)
    state = identify(*sheets)
    position = {s.sheet_id: str(k) for k, s in enumerate(state.sheets, start=1)}
    expected = [position[o.sheet_id] for o in state.unmatched]
    assert _ROW_NUMBER.findall(_unresolved(_source(state))) == expected
