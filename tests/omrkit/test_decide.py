"""Marks, slot states, review flags and decoded fields from fill ratios."""

from __future__ import annotations

import itertools
import math

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from omrkit.decide import (
    BLANK,
    MARK_THRESHOLD,
    MARKED,
    MULTIPLE,
    REVIEW_BAND,
    SLOT_STATES,
    SlotDecisions,
    decide_slots,
    decode_fields,
)
from omrkit.layout.models import FieldKind, SheetLayout, load_layout
from omrkit.types import FieldReading, SlotState
from tests.strategies import sheet_layouts

#: Fills that matter: clear blanks and marks, the threshold and the band edges, unmeasurable.
_fill_values = st.one_of(
    st.floats(0.0, 1.0),
    st.sampled_from(
        [
            0.0,
            1.0,
            MARK_THRESHOLD,
            math.nextafter(MARK_THRESHOLD, 0.0),
            MARK_THRESHOLD - REVIEW_BAND,
            MARK_THRESHOLD + REVIEW_BAND,
            math.nan,
        ]
    ),
)


@st.composite
def _sheets(draw: st.DrawFn) -> tuple[SheetLayout, npt.NDArray[np.float64]]:
    layout = draw(sheet_layouts())
    n = layout.bubbles.n_bubbles
    fills = draw(st.lists(_fill_values, min_size=n, max_size=n))
    return layout, np.array(fills, dtype=np.float64)


def _slots(layout: SheetLayout) -> list[slice]:
    offsets = layout.bubbles.slot_offsets.tolist()
    return [slice(lo, hi) for lo, hi in itertools.pairwise(offsets)]


def _with_fills(layout: SheetLayout, marks: dict[tuple[str, str, str], float]) -> SlotDecisions:
    """Decisions for a sheet blank except the given (field, slot, symbol) fills."""
    fills = np.zeros(layout.bubbles.n_bubbles)
    index = {(f.id, s.id, b.symbol): i for i, (f, s, b) in enumerate(layout.iter_bubbles())}
    for key, fill in marks.items():
        fills[index[key]] = fill
    return decide_slots(fills, layout.bubbles)


@pytest.fixture(scope="module")
def answer_sheet() -> SheetLayout:
    return load_layout("ubt-answer")


@pytest.fixture(scope="module")
def application_form() -> SheetLayout:
    return load_layout("ubt-application")


class TestDecideSlots:
    @given(sheet=_sheets())
    def test_unt_score_1_marked_iff_fill_at_least_half(
        self, sheet: tuple[SheetLayout, npt.NDArray[np.float64]]
    ) -> None:
        """A bubble is marked exactly when its fill is 0.50 or more; NaN is not a mark."""
        layout, fills = sheet
        decisions = decide_slots(fills, layout.bubbles)
        expected = [not math.isnan(f) and f >= 0.5 for f in fills.tolist()]
        assert decisions.marked.tolist() == expected

    def test_unt_score_1_exactly_half_is_marked(self, answer_sheet: SheetLayout) -> None:
        """Exactly 50 % counts as marked, anything less does not."""
        fills = np.zeros(answer_sheet.bubbles.n_bubbles)
        fills[0], fills[2] = 0.5, math.nextafter(0.5, 0.0)
        decisions = decide_slots(fills, answer_sheet.bubbles)
        assert decisions.marked[0]
        assert not decisions.marked[2]

    @given(sheet=_sheets())
    def test_d_1_multiple_marks_earn_no_answer(
        self, sheet: tuple[SheetLayout, npt.NDArray[np.float64]]
    ) -> None:
        """A slot is multiple iff it holds more marks than it accepts, and then has no symbol."""
        layout, fills = sheet
        decisions = decide_slots(fills, layout.bubbles)
        readings = decode_fields(layout, decisions)
        symbols = [s for reading in readings.values() for s in reading.symbols]
        for slot, span in enumerate(_slots(layout)):
            count = int(np.sum(fills[span] >= MARK_THRESHOLD))
            too_many = count > layout.bubbles.slot_max_marks[slot]
            assert (decisions.slot_state[slot] == MULTIPLE) == too_many
            assert (decisions.slot_state[slot] == BLANK) == (count == 0)
            assert decisions.mark_counts[slot] == count
            if too_many:
                assert symbols[slot] is None

    @given(sheet=_sheets(), poor=st.booleans())
    def test_review_iff_a_fill_is_near_the_threshold(
        self, sheet: tuple[SheetLayout, npt.NDArray[np.float64]], poor: bool
    ) -> None:
        """A slot is flagged iff a fill lies within the band, is NaN, or the sheet is poor."""
        layout, fills = sheet
        decisions = decide_slots(fills, layout.bubbles, quality_poor=poor)
        for slot, span in enumerate(_slots(layout)):
            part = fills[span]
            near = (part >= MARK_THRESHOLD - REVIEW_BAND) & (part <= MARK_THRESHOLD + REVIEW_BAND)
            assert decisions.slot_review[slot] == (poor or bool(np.any(near | np.isnan(part))))

    @given(sheet=_sheets())
    def test_chosen_bubble_is_the_single_mark(
        self, sheet: tuple[SheetLayout, npt.NDArray[np.float64]]
    ) -> None:
        """``chosen`` points at the one marked bubble of a one-mark slot, else is -1."""
        layout, fills = sheet
        decisions = decide_slots(fills, layout.bubbles)
        for slot, span in enumerate(_slots(layout)):
            marked = np.flatnonzero(decisions.marked[span]) + span.start
            expected = int(marked[0]) if len(marked) == 1 else -1
            assert decisions.chosen[slot] == expected

    def test_review_band_edges_are_inclusive(self, answer_sheet: SheetLayout) -> None:
        """Fills at 0.42 and 0.58 flag their slots; 0.41 and 0.59 do not."""
        fills = np.zeros(answer_sheet.bubbles.n_bubbles)
        starts = answer_sheet.bubbles.slot_offsets[:4]
        fills[starts] = [0.42, 0.58, 0.41, 0.59]
        review = decide_slots(fills, answer_sheet.bubbles, review_band=0.08).slot_review
        assert review[:4].tolist() == [True, True, False, False]

    def test_decisions_are_read_only(self, answer_sheet: SheetLayout) -> None:
        """The arrays of a decision cannot be changed after the fact."""
        decisions = decide_slots(np.zeros(answer_sheet.bubbles.n_bubbles), answer_sheet.bubbles)
        with pytest.raises(ValueError, match="read-only"):
            decisions.marked[0] = True

    @pytest.mark.parametrize(
        ("fills", "options", "message"),
        [
            (np.zeros(3), {}, "shape"),
            (np.full(848, 1.5), {}, "outside 0..1"),
            (np.full(848, -np.inf), {}, "outside 0..1"),
            (np.zeros(848), {"threshold": 0.0}, "threshold"),
            (np.zeros(848), {"review_band": 0.6}, "review_band"),
            (np.zeros(848), {"review_band": -0.1}, "review_band"),
        ],
    )
    def test_bad_argument_is_named(
        self,
        answer_sheet: SheetLayout,
        fills: npt.NDArray[np.float64],
        options: dict[str, float],
        message: str,
    ) -> None:
        """Wrong fills or options raise ValueError saying what is wrong."""
        with pytest.raises(ValueError, match=message):
            decide_slots(fills, answer_sheet.bubbles, **options)

    def test_unt_apl_20_appeal_reads_with_the_same_rule(self, answer_sheet: SheetLayout) -> None:
        """Re-deciding kept fill ratios gives the test-day decision: one rule, one answer."""
        rng = np.random.default_rng(20)
        fills = rng.uniform(0.0, 1.0, answer_sheet.bubbles.n_bubbles)
        test_day = decide_slots(fills, answer_sheet.bubbles)
        appeal = decide_slots(fills.copy(), answer_sheet.bubbles, threshold=0.5)
        assert np.array_equal(test_day.marked, appeal.marked)
        assert np.array_equal(test_day.slot_state, appeal.slot_state)


class TestDecodeFields:
    @given(sheet=_sheets())
    def test_readings_follow_the_field_reading_contract(
        self, sheet: tuple[SheetLayout, npt.NDArray[np.float64]]
    ) -> None:
        """Each field's value follows its kind; states and review are carried per slot."""
        layout, fills = sheet
        decisions = decide_slots(fills, layout.bubbles)
        readings = decode_fields(layout, decisions)
        assert list(readings) == [f.id for f in layout.fields]
        first_slot = 0
        for field in layout.fields:
            reading = readings[field.id]
            span = slice(first_slot, first_slot + len(field.slots))
            first_slot = span.stop
            assert reading.states == tuple(SLOT_STATES[c] for c in decisions.slot_state[span])
            assert reading.review == tuple(decisions.slot_review[span].tolist())
            _check_value(field.kind, reading, decisions.mark_counts[span].tolist())
            # The fast construction yields exactly what a validated one would.
            assert FieldReading.model_validate(reading.model_dump()) == reading

    def test_code_reads_digits(self, answer_sheet: SheetLayout) -> None:
        """A ТЖК with one digit per position reads as the digit string."""
        digits = "120934875"
        decisions = _with_fills(
            answer_sheet, {("tzhk", str(i + 1), d): 0.9 for i, d in enumerate(digits)}
        )
        assert decode_fields(answer_sheet, decisions)["tzhk"].value == digits

    def test_d_1_code_with_a_double_digit_has_no_value(self, answer_sheet: SheetLayout) -> None:
        """One doubly marked position leaves the whole code unread, the position multiple."""
        marks = {("tzhk", str(i + 1), "5"): 0.9 for i in range(9)}
        marks[("tzhk", "3", "7")] = 0.8
        reading = decode_fields(answer_sheet, _with_fills(answer_sheet, marks))["tzhk"]
        assert reading.value is None
        assert reading.states[2] is SlotState.MULTIPLE
        assert reading.symbols[2] is None
        assert reading.has_multiple

    def test_text_keeps_inner_blanks_and_strips_trailing_ones(
        self, application_form: SheetLayout
    ) -> None:
        """A name grid reads letters, blank positions as spaces, trailing blanks dropped."""
        marks = {("surname", "1", "А"): 0.9, ("surname", "2", "Б"): 0.9}
        marks[("surname", "4", "В")] = 0.7
        reading = decode_fields(application_form, _with_fills(application_form, marks))
        assert reading["surname"].value == "АБ В"
        assert reading["name"].value == ""

    def test_d_1_text_with_a_double_letter_has_no_value(
        self, application_form: SheetLayout
    ) -> None:
        """A name position with two letters leaves the whole name unread."""
        marks = {("name", "1", "А"): 0.9, ("name", "1", "Б"): 0.9}
        reading = decode_fields(application_form, _with_fills(application_form, marks))
        assert reading["name"].value is None

    def test_choice_reads_its_symbol(self, application_form: SheetLayout) -> None:
        """A choice field reads the chosen option, or nothing when blank."""
        gender = application_form.field("gender").slots[0].bubbles[1].symbol
        marks = {("gender", "1", gender): 0.95}
        readings = decode_fields(application_form, _with_fills(application_form, marks))
        assert readings["gender"].value == gender
        assert readings["exam_language"].value is None

    def test_review_flags_are_carried_to_fields(self, answer_sheet: SheetLayout) -> None:
        """A near-threshold fill flags its field for review."""
        decisions = _with_fills(answer_sheet, {("tzhk", "1", "4"): 0.55})
        readings = decode_fields(answer_sheet, decisions)
        assert readings["tzhk"].needs_review
        assert readings["tzhk"].review[0]
        assert not readings["room"].needs_review

    def test_decisions_for_another_layout_are_refused(
        self, answer_sheet: SheetLayout, application_form: SheetLayout
    ) -> None:
        """Decoding with decisions made for another layout raises ValueError."""
        decisions = decide_slots(np.zeros(answer_sheet.bubbles.n_bubbles), answer_sheet.bubbles)
        with pytest.raises(ValueError, match="slots"):
            decode_fields(application_form, decisions)


def _check_value(kind: FieldKind, reading: FieldReading, counts: list[int]) -> None:
    """The field value rules of :class:`FieldReading`."""
    symbols = reading.symbols
    if kind is FieldKind.ANSWERS:
        assert reading.value is None
    elif kind is FieldKind.CODE:
        one_each = all(count == 1 for count in counts)
        assert (reading.value is None) == (not one_each)
        if one_each:
            assert reading.value == "".join(s for s in symbols if s is not None)
    elif kind is FieldKind.TEXT:
        if SlotState.MULTIPLE in reading.states:
            assert reading.value is None
        else:
            assert reading.value is not None
            assert not reading.value.endswith(" ")
            letters = "".join(" " if s is None else s for s in symbols)
            assert letters.rstrip(" ") == reading.value
    else:
        assert reading.value == symbols[0]
    for state, symbol in zip(reading.states, symbols, strict=True):
        assert (symbol is None) == (state is not SlotState.MARKED)


def test_states_codes_match_the_slot_state_enum() -> None:
    """Code i of the arrays is the SlotState at position i."""
    assert SLOT_STATES[BLANK] is SlotState.BLANK
    assert SLOT_STATES[MARKED] is SlotState.MARKED
    assert SLOT_STATES[MULTIPLE] is SlotState.MULTIPLE


@given(_sheets())
def test_decoded_symbols_are_plain_strings(
    sheet: tuple[SheetLayout, npt.NDArray[np.float64]],
) -> None:
    """Symbols, values and states are Python strings and SlotState members, never numpy scalars."""
    layout, fills = sheet
    for reading in decode_fields(layout, decide_slots(fills, layout.bubbles)).values():
        assert all(s is None or type(s) is str for s in reading.symbols)
        assert reading.value is None or type(reading.value) is str
        assert all(type(state) is SlotState for state in reading.states)
