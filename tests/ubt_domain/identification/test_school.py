"""Tests of МАБ/ОЖСБ identification against the school's list."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omrkit.layout.models import FieldKind, load_layout
from tests.ubt_domain.readings import MULTIPLE, sheet_reading
from tests.ubt_domain.school_readings import (
    NAMES,
    SCHOOL_KINDS,
    SCHOOL_POSITIONS,
    SURNAMES,
    identify,
    school_reading,
    school_sheet,
    student,
)
from ubt_domain.application.names import GRID_ALPHABET
from ubt_domain.errors import DomainError
from ubt_domain.identification.school import (
    MatchReason,
    SchoolMatched,
    SchoolProtocolRow,
    SchoolUnfilled,
    SchoolUnmatched,
    apply_school_rows,
    identify_school,
)
from ubt_domain.identification.school_sheets import SchoolSheetFieldIds, school_sheet_data
from ubt_domain.models import Gender, Programme


def test_mab_s_5_sheet_data_keeps_letters_per_position() -> None:
    """Letters, blanks and doubtful positions are kept where they were painted."""
    reading = school_reading("АХ" + MULTIPLE + "ЕТОВ", "АСҚАР", review={"name": (1,)})
    data = school_sheet_data(reading)
    assert data.surname[:8] == ("А", "Х", None, "Е", "Т", "О", "В", "")
    assert data.name[:3] == ("А", None, "Қ")
    assert (data.gender, data.birth_year, data.nationality) == (Gender.MALE, "11", "01")
    assert data.variant == "0001"
    assert data.unsure == ()


def test_mab_s_5_sheet_without_a_sector_field_is_refused() -> None:
    """A reading made with a layout lacking the nationality field is refused by rule id."""
    reading = school_reading("АХМЕТОВ", "АСҚАР")
    fields = {k: v for k, v in reading.fields.items() if k != "nationality"}
    with pytest.raises(DomainError, match="no field 'nationality'") as info:
        school_sheet_data(reading.model_copy(update={"fields": fields}))
    assert info.value.rule_id == "MAB-S-5"


def test_mab_s_8_unknown_gender_symbol_is_refused() -> None:
    """A gender choice printed with other symbols is a layout mismatch."""
    with pytest.raises(DomainError, match="gender symbol") as info:
        school_sheet_data(school_reading("АХМЕТОВ", "АСҚАР", gender="M"))
    assert info.value.rule_id == "MAB-S-5"


def test_d_12_exact_sheet_matches_itsstudent() -> None:
    """Every sector agreeing with one listed student identifies the sheet."""
    state = identify(school_sheet(0), school_sheet(1))
    assert [(o.student_id, o.letter_mismatches) for o in state.matched] == [("s0", 0), ("s1", 0)]
    assert [s.student_id for s in state.absent] == ["s2", "s3"]


def test_d_12_one_mis_bubbled_letter_goes_to_the_protocol_for_confirmation() -> None:
    """A match that needed the one-mark allowance is proposed, never made automatically."""
    (outcome,) = identify(school_sheet(2, surname="ЖАНҰЗАК")).outcomes
    assert isinstance(outcome, SchoolUnmatched)
    assert (outcome.reasons, outcome.candidates) == ((MatchReason.NEEDS_CONFIRMATION,), ("s2",))


@pytest.mark.parametrize("surname", ["ЖАНУЗАК", "ЖАН", "ЖАНҰЗАҚ" + "ОВ"])
def test_d_12_two_letter_differences_go_to_the_protocol(surname: str) -> None:
    """Two wrong, missing or extra letters are more than one mis-bubble."""
    (outcome,) = identify(school_sheet(2, surname=surname)).outcomes
    assert isinstance(outcome, SchoolUnmatched)
    assert outcome.reasons == (MatchReason.NO_MATCH,)


def test_d_12_doubtful_letter_counts_as_the_one_mismatch() -> None:
    """A letter in the review band uses up the allowance; a second error leaves no match."""
    one = school_sheet(3, review={"surname": (0,)})
    two = school_sheet(3, surname="ҚАСЫМОВО", review={"surname": (0,)})
    (outcome,) = identify(one).outcomes
    assert isinstance(outcome, SchoolUnmatched)
    assert (outcome.reasons, outcome.candidates) == ((MatchReason.NEEDS_CONFIRMATION,), ("s3",))
    (outcome,) = identify(two).outcomes
    assert isinstance(outcome, SchoolUnmatched)
    assert outcome.reasons == (MatchReason.NO_MATCH,)


def test_d_12_yo_and_long_names_are_folded_and_cut_like_the_grid() -> None:
    """The list's «Ё» matches a painted «Е»; a name longer than the grid matches its start."""
    long_name = "Сейітқасымханқызыұлы"  # 20 letters for a 16-letter grid
    roster = [student(0, surname="Семёнов"), student(1, surname=long_name)]
    sheets = [school_sheet(0, surname="СЕМЕНОВ"), school_sheet(1, surname=long_name.upper()[:16])]
    state = identify_school(roster, sheets, school="1", programme=Programme.OZHSB)
    assert [o.student_id for o in state.matched] == ["s0", "s1"]


@pytest.mark.parametrize(
    ("gender", "birth_year", "nationality"),
    [("male", "12", "01"), ("male", "11", "02"), ("female", "11", "01")],
    ids=["birth-year", "nationality", "gender"],
)
def test_d_12_gender_birth_year_and_nationality_share_the_one_mark_allowance(
    gender: str, birth_year: str, nationality: str
) -> None:
    """One disagreeing sector is the one allowed mark: a candidate to confirm, not a match."""
    sheet = school_sheet(0, gender=gender, birth_year=birth_year, nationality=nationality)
    (outcome,) = identify(sheet).outcomes
    assert isinstance(outcome, SchoolUnmatched)
    assert (outcome.reasons, outcome.candidates) == ((MatchReason.NEEDS_CONFIRMATION,), ("s0",))
    letter_too = school_sheet(
        0, surname="АХМЕТОВО", gender=gender, birth_year=birth_year, nationality=nationality
    )
    (outcome,) = identify(letter_too).outcomes
    assert isinstance(outcome, SchoolUnmatched)
    assert outcome.reasons == (MatchReason.NO_MATCH,)


def test_d_12_paired_letter_into_another_listed_name_is_a_tie() -> None:
    """Planted: an exact «АСҚАР» also reaches a listed Аскар born a year later, once Қ/К are
    taken as one sound: the other may have painted Қ for К, so it is a competitor."""
    roster = [student(0), student(0, student_id="other", name="Аскар", birth_year=2012)]
    state = identify_school(roster, [school_sheet(0)], school="1", programme=Programme.MAB)
    (outcome,) = state.outcomes
    assert isinstance(outcome, SchoolUnmatched)
    assert (outcome.reasons, outcome.candidates) == ((MatchReason.TIE,), ("other", "s0"))


def test_d_12_birth_year_mis_bubbled_into_a_siblings_is_a_tie() -> None:
    """Planted: Асқар (2011) paints 12, his sibling Асқат's year; both are candidates."""
    roster = [student(0), student(0, student_id="sibling", name="Асқат", birth_year=2012)]
    state = identify_school(
        roster, [school_sheet(0, birth_year="12")], school="1", programme=Programme.MAB
    )
    (outcome,) = state.outcomes
    assert isinstance(outcome, SchoolUnmatched)
    assert (outcome.reasons, outcome.candidates) == ((MatchReason.TIE,), ("s0", "sibling"))


def test_d_12_writer_not_on_the_list_is_not_matched_to_a_neighbour() -> None:
    """Planted: a pupil missing from the list, one letter from a listed one, is not matched."""
    roster = [student(1)]
    stranger = school_sheet(1, surname="БЕКОВО")
    (outcome,) = identify_school(roster, [stranger], school="1", programme=Programme.MAB).outcomes
    assert isinstance(outcome, SchoolUnmatched)
    assert (outcome.reasons, outcome.candidates) == ((MatchReason.NEEDS_CONFIRMATION,), ("s1",))


def test_d_12_unreadable_exact_sector_goes_to_the_protocol_with_candidates() -> None:
    """An unsure birth year is never guessed; the commission gets the candidates."""
    (outcome,) = identify(school_sheet(0, birth_year="1" + MULTIPLE)).outcomes
    assert isinstance(outcome, SchoolUnmatched)
    assert outcome.reasons == (MatchReason.SECTOR_UNREADABLE,)
    assert outcome.candidates == ("s0",)


def test_d_12_tie_goes_to_the_protocol_with_both_candidates() -> None:
    """Two listed students within one letter of a sheet: the closer one is not picked."""
    roster = [student(1), student(1, student_id="twin", name="Дина")]
    state = identify_school(roster, [school_sheet(1)], school="1", programme=Programme.MAB)
    (outcome,) = state.outcomes
    assert isinstance(outcome, SchoolUnmatched)
    assert (outcome.reasons, outcome.candidates) == ((MatchReason.TIE,), ("s1", "twin"))


def test_d_12_two_sheets_for_one_student_both_go_to_the_protocol() -> None:
    """Neither of two sheets matching one student is kept."""
    state = identify(school_sheet(0), school_sheet(0, surname="АХМЕТОВ", tag="second"))
    assert state.matched == ()
    assert [o.reasons for o in state.unmatched] == [(MatchReason.DUPLICATE,)] * 2


def test_d_12_unfilled_and_poorly_registered_sheets() -> None:
    """A blank spare is unfilled; a poorly registered sheet is not trusted."""
    nothing = {field: "" for field in SCHOOL_POSITIONS} | {"surname": "", "name": ""}
    values = nothing | {"gender": None, "answers_1": [None] * 20}
    blank = school_sheet_data(
        sheet_reading(
            values, layout_id="mab-grade4", kinds=SCHOOL_KINDS, positions=SCHOOL_POSITIONS
        )
    )
    poor = school_sheet(0).model_copy(update={"quality_poor": True})
    state = identify(blank, poor)
    assert isinstance(state.outcomes[0], SchoolUnfilled)
    assert state.unmatched[0].reasons == (MatchReason.POOR_REGISTRATION,)


def test_d_12_unt_sheets_are_not_matched_by_name() -> None:
    """ҰБТ sheets are identified by ТЖК, never by the school-list match."""
    with pytest.raises(DomainError, match="МАБ and ОЖСБ") as info:
        identify_school([], [], school="1", programme=Programme.UNT)
    assert info.value.rule_id == "D-12"


def test_mab_s_21_commission_assignment_identifies_a_protocolschool_sheet() -> None:
    """After manual identification the protocol data enter the base."""
    state = identify(school_sheet(2, surname="ЖАНУЗАК", variant="00 2"))
    row = SchoolProtocolRow(sheet_id=state.unmatched[0].sheet_id, student_id="s2", variant="0002")
    (outcome,) = apply_school_rows(state, [row]).matched
    assert (outcome.student_id, outcome.variant, outcome.manual) == ("s2", "0002", True)
    assert outcome.letter_mismatches == 2


def test_mab_s_21_assignment_without_a_needed_variant_stays_in_the_protocol() -> None:
    """A sheet whose variant was unreadable needs the commission to give it."""
    state = identify(school_sheet(2, variant="00 2"))
    row = SchoolProtocolRow(sheet_id=state.unmatched[0].sheet_id, student_id="s2")
    assert apply_school_rows(state, [row]).outcomes == state.outcomes


def test_mab_s_21_bad_assignments_are_refused() -> None:
    """Unknown or taken students, sheets outside the protocol, repeated rows are refused."""
    state = identify(school_sheet(0), school_sheet(2, surname="ЖАНУЗАК"))
    waiting, matched = state.unmatched[0].sheet_id, state.matched[0].sheet_id
    for rows in (
        [SchoolProtocolRow(sheet_id=waiting, student_id="nobody")],
        [SchoolProtocolRow(sheet_id=waiting, student_id="s0")],
        [SchoolProtocolRow(sheet_id=matched, student_id="s2")],
        [SchoolProtocolRow(sheet_id=waiting, student_id="s2")] * 2,
    ):
        with pytest.raises(DomainError) as info:
            apply_school_rows(state, rows)
        assert info.value.rule_id == "MAB-S-21"


def test_ozh_18_ozhsb_errors_name_the_ozhsb_rule() -> None:
    """The same checks on an ОЖСБ school name OZH-18."""
    with pytest.raises(DomainError, match="student id s0") as info:
        identify_school([student(0), student(0)], [], school="1", programme=Programme.OZHSB)
    assert info.value.rule_id == "OZH-18"


def _distance(a: str, b: str) -> int:
    width = max(len(a), len(b))
    return sum(x != y for x, y in zip(a.ljust(width), b.ljust(width), strict=True))


@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 99), st.sampled_from(GRID_ALPHABET)),
        min_size=1,
        max_size=len(SURNAMES),
    )
)
def test_d_12_sheet_matches_its_student_iff_at_most_one_letter_is_wrong(
    plans: list[tuple[int, int, str]],
) -> None:
    """Over well-separated names, a sheet is matched to its own student exactly when no
    letter position was mis-bubbled; one mis-bubble waits for confirmation."""
    full = [SURNAMES[i] + "|" + NAMES[i] for i in range(len(SURNAMES))]
    assert min(_distance(a, b) for a in full for b in full if a != b) >= 5
    sheets, wrong = [], []
    for i, (errors, seed, letter) in enumerate(plans):
        surname = list(SURNAMES[i])
        positions = sorted({seed % len(surname), (seed // 7 + 1) % len(surname)})[:errors]
        for p in positions:
            surname[p] = letter if letter != surname[p] else "Ю" if surname[p] != "Ю" else "Я"
        wrong.append(len(positions))
        sheets.append(school_sheet(i, surname="".join(surname), tag=str(i)))
    state = identify(*sheets, students=len(SURNAMES))
    matched = {o.sheet_id: o.student_id for o in state.matched}
    for i, sheet in enumerate(sheets):
        assert (matched.get(sheet.sheet_id) == f"s{i}") == (wrong[i] == 0)
        assert matched.get(sheet.sheet_id) in (None, f"s{i}")
    assert all(isinstance(o, SchoolMatched | SchoolUnmatched) for o in state.outcomes)
    assert {o.sheet_id for o in state.unmatched} | set(matched) == {s.sheet_id for s in sheets}


def test_ozh_15_ozhsb_sheet_is_read_and_matched_like_a_mabschool_sheet() -> None:
    """An ОЖСБ sheet carries the same service sectors and is matched the same way."""
    values = {
        "surname": "БЕКОВА",
        "name": "ДАНА",
        "gender": "female",
        "birth_year": "11",
        "nationality": "01",
        "variant": "0003",
        **{f"answers_{k}": ["B"] * 20 for k in range(1, 5)},
    }
    kinds = SCHOOL_KINDS | {f"answers_{k}": FieldKind.ANSWERS for k in range(2, 5)}
    reading = sheet_reading(
        values, layout_id="ozhsb-answer", kinds=kinds, positions=SCHOOL_POSITIONS
    )
    sheet = school_sheet_data(reading)
    state = identify_school([student(1)], [sheet], school="1", programme=Programme.OZHSB)
    assert [(o.student_id, o.variant) for o in state.matched] == [("s1", "0003")]


@pytest.mark.parametrize("layout_id", ["mab-grade4", "mab-grade9", "ozhsb-answer"])
def test_mab_s_8_defaults_match_the_bundled_school_sheets(layout_id: str) -> None:
    """Default field ids, kinds, lengths and gender symbols are those the sheets print."""
    fields = {f.id: f for f in load_layout(layout_id).fields}
    for role, field_id in SchoolSheetFieldIds().model_dump().items():
        assert fields[field_id].kind is SCHOOL_KINDS[role], role
        if role in SCHOOL_POSITIONS:
            assert len(fields[field_id].slots) == SCHOOL_POSITIONS[role], role
    printed = {b.symbol for slot in fields["gender"].slots for b in slot.bubbles}
    assert printed == {g.value for g in Gender}
    letters = {b.symbol for slot in fields["surname"].slots for b in slot.bubbles}
    assert letters == set(GRID_ALPHABET)


def test_ozh_6_ozhsb_sheet_prints_the_service_sectors_apart_from_the_answers() -> None:
    """The bundled ОЖСБ sheet reads every service sector under its bilingual caption and keeps
    the subject answer sectors as separate fields."""
    fields = {f.id: f for f in load_layout("ozhsb-answer").fields}
    captions = {
        "surname": "Тегі\nФамилия",
        "name": "Аты\nИмя",
        "gender": "Жынысы\nПол",
        "birth_year": "Туған жылы\nГод рождения",
        "nationality": "Ұлты\nНациональность",
        "variant": "Нұсқа\nВариант",
    }
    for role, field_id in SchoolSheetFieldIds().model_dump().items():
        assert fields[field_id].label == captions[role], role
    answers = [f for f in fields.values() if f.kind is FieldKind.ANSWERS]
    assert answers
    assert not {f.id for f in answers} & set(SchoolSheetFieldIds().model_dump().values())


def test_ozh_7_birth_year_is_read_as_its_last_two_digits() -> None:
    """The sheet holds two birth-year digits; a reading with four is a layout mismatch."""
    sheet = school_sheet(1, birth_year="11")
    assert sheet.birth_year == "11"
    state = identify_school([student(1)], [sheet], school="1", programme=Programme.OZHSB)
    assert [o.student_id for o in state.matched] == ["s1"]
    positions = SCHOOL_POSITIONS | {"birth_year": 4}
    values = {
        "surname": SURNAMES[1],
        "name": NAMES[1],
        "gender": "female",
        "birth_year": "2011",
        "nationality": "01",
        "variant": "0001",
        "answers_1": ["A"] * 20,
    }
    reading = sheet_reading(
        values, layout_id="ozhsb-answer", kinds=SCHOOL_KINDS, positions=positions
    )
    with pytest.raises(DomainError, match="birth_year") as info:
        school_sheet_data(reading)
    assert info.value.rule_id == "MAB-S-5"


def test_ozh_7_sheet_without_the_booklet_variant_waits_for_the_commission() -> None:
    """The variant is copied from the booklet; a sheet without it is not identified, though
    its student is named as the candidate."""
    (outcome,) = identify(school_sheet(1, variant="    "), programme=Programme.OZHSB).outcomes
    assert isinstance(outcome, SchoolUnmatched)
    assert outcome.reasons == (MatchReason.SECTOR_UNREADABLE,)
    assert outcome.candidates == ("s1",)
