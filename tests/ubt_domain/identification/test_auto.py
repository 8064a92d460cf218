"""Tests of automatic identification (identify_room) and the protocol's tables."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.ubt_domain.answer_readings import (
    answer_reading,
    clean_sheet,
    clean_values,
    room,
    serial_of,
    tzhk,
    unfilled_sheet,
)
from tests.ubt_domain.readings import MULTIPLE
from ubt_domain.errors import DomainError
from ubt_domain.identification.auto import identify_room
from ubt_domain.identification.outcomes import Identified, Reason, Unfilled, Unidentified
from ubt_domain.identification.roster import (
    RoomRoster,
    SeatingRow,
    VariantAllocation,
    roster_from_seating,
)
from ubt_domain.identification.sheets import AnswerSheetData, Sector, answer_sheet_data
from ubt_domain.identification.tables import identification_protocol
from ubt_domain.passwords import MIN_LOG2_N, password_verifier
from ubt_domain.rooms.additional import AdditionalSeatingRequest, seat_additionally
from ubt_domain.rooms.allocation import RoomAllocation
from ubt_domain.rooms.sealed import SeatingRegistry
from ubt_domain.rooms.seating import SeatingPlan, seat_room

ALLOCATED = (VariantAllocation(variant="0101", count=3),)


def _only_outcome(roster: RoomRoster, sheet: AnswerSheetData) -> Identified | Unidentified:
    outcome = identify_room(roster, [sheet]).outcomes[0]
    assert isinstance(outcome, Identified | Unidentified)
    return outcome


def test_unt_id_1_clean_sheets_are_identified_automatically() -> None:
    """Sheets in the room's list, with a seated ТЖК and its seat, are identified."""
    state = identify_room(room(5), [clean_sheet(k) for k in range(1, 6)])
    assert [o.tzhk for o in state.identified] == [tzhk(k) for k in range(1, 6)]
    assert all(o.decision is None and o.reasons == () for o in state.identified)
    assert state.unidentified == ()


def test_unt_id_1_sheet_outside_the_room_list_goes_to_the_protocol() -> None:
    """Condition 1: a sheet not allocated to the room is not identified automatically."""
    outcome = _only_outcome(room(3), clean_sheet(1, serial=serial_of(7, 1)))
    assert isinstance(outcome, Unidentified)
    assert outcome.reasons == (Reason.NOT_ALLOCATED,)
    assert outcome.error_sectors == (Sector.SERIAL,)


def test_unt_id_1_unknown_tzhk_goes_to_the_protocol() -> None:
    """Condition 2: a ТЖК no applicant of the seating sheet has is not identified."""
    outcome = _only_outcome(room(3), clean_sheet(1, tzhk="900000001"))
    assert isinstance(outcome, Unidentified)
    assert outcome.reasons == (Reason.TZHK_NOT_IN_ROOM,)
    assert outcome.error_sectors == (Sector.TZHK,)


def test_unt_id_1_wrong_seat_goes_to_the_protocol() -> None:
    """Condition 3: the seat must equal the applicant's seat on the seating sheet."""
    outcome = _only_outcome(room(3), clean_sheet(1, seat="002"))
    assert isinstance(outcome, Unidentified)
    assert outcome.reasons == (Reason.SEAT_MISMATCH,)
    assert outcome.error_sectors == (Sector.SEAT,)


@pytest.mark.parametrize(
    ("values", "review", "sector"),
    [
        ({"variant": "01" + MULTIPLE + "1"}, {}, Sector.VARIANT),
        ({}, {"tzhk": (8,)}, Sector.TZHK),
        ({"profile_subject_1": ""}, {}, Sector.PROFILE_SUBJECTS),
        ({"exam_language": MULTIPLE}, {}, Sector.EXAM_LANGUAGE),
        ({}, {"creative": (0,)}, Sector.CREATIVE),
    ],
)
def test_unt_id_2_untrustworthy_service_sector_goes_to_the_protocol(
    values: dict[str, str], review: dict[str, tuple[int, ...]], sector: Sector
) -> None:
    """A sheet meeting the three conditions still waits when a service sector is unsure."""
    reading = answer_reading({**clean_values(1), **values}, serial=serial_of(3, 1), review=review)
    outcome = _only_outcome(room(3), answer_sheet_data(reading))
    assert isinstance(outcome, Unidentified)
    assert Reason.SECTOR_UNREADABLE in outcome.reasons
    assert sector in outcome.error_sectors


def test_unt_id_2_poor_registration_goes_to_the_protocol() -> None:
    """A sheet the engine registered poorly is not trusted through identification."""
    reading = answer_reading(clean_values(1), serial=serial_of(3, 1), poor=True)
    outcome = _only_outcome(room(3), answer_sheet_data(reading))
    assert isinstance(outcome, Unidentified)
    assert outcome.reasons == (Reason.POOR_REGISTRATION,)


def test_unt_id_2_unreadable_serial_goes_to_the_protocol() -> None:
    """Without its printed serial a sheet cannot be shown to belong to the room."""
    outcome = _only_outcome(room(3), clean_sheet(1, serial=None))
    assert isinstance(outcome, Unidentified)
    assert outcome.reasons == (Reason.SERIAL_UNREADABLE,)


def test_unt_id_2_two_sheets_claiming_one_applicant_both_go_to_the_protocol() -> None:
    """Neither of two sheets with one ТЖК is identified: no guess between them."""
    state = identify_room(room(3), [clean_sheet(1), clean_sheet(2, tzhk=tzhk(1), seat="001")])
    assert state.identified == ()
    assert all(Reason.DUPLICATE_TZHK in o.reasons for o in state.unidentified)


def test_unt_id_2_two_sheets_with_one_serial_both_go_to_the_protocol() -> None:
    """Two scanned sheets showing one serial are both left to the commission."""
    state = identify_room(room(3), [clean_sheet(1), clean_sheet(2, serial=serial_of(3, 1))])
    assert len(state.unidentified) == 2
    assert all(o.reasons == (Reason.DUPLICATE_SERIAL,) for o in state.unidentified)


def test_unt_id_10_additionally_seated_sheet_reaches_the_protocol() -> None:
    """An additionally seated applicant is not on the seating sheet, so their sheet waits."""
    extra = SeatingRow(tzhk="555000001", seat=9, full_name="Қосымша Әлия")
    roster = room(3, additional=[extra])
    outcome = _only_outcome(roster, clean_sheet(4, tzhk=extra.tzhk, seat="009"))
    assert isinstance(outcome, Unidentified)
    assert outcome.reasons == (Reason.TZHK_NOT_IN_ROOM,)


def test_unt_scan_3_unfilled_sheets_are_spares_not_protocol_cases() -> None:
    """Scanned sheets with nothing marked are unfilled spares, allocated or not."""
    state = identify_room(room(2), [clean_sheet(1), unfilled_sheet(3003), unfilled_sheet(7001)])
    assert [type(o) for o in state.outcomes] == [Identified, Unfilled, Unfilled]
    assert [o.allocated for o in state.unfilled] == [True, False]


def test_unt_id_4_sheet_given_twice_is_refused() -> None:
    """The same scan passed twice is bad input, refused by rule id."""
    sheet = clean_sheet(1)
    with pytest.raises(DomainError, match="given twice") as info:
        identify_room(room(2), [sheet, sheet])
    assert info.value.rule_id == "UNT-ID-4"


@pytest.mark.parametrize(
    ("change", "what"),
    [
        ({"sheet_serials": (1, 2, 1)}, "serial 1"),
        ({"seating": (SeatingRow(tzhk="1", seat=1, full_name="А"),) * 2}, "ТЖК 1"),
        (
            {
                "seating": (
                    SeatingRow(tzhk="1", seat=4, full_name="А"),
                    SeatingRow(tzhk="2", seat=4, full_name="Б"),
                )
            },
            "seat 4",
        ),
        ({"variants": (VariantAllocation(variant="0101", count=1),) * 2}, "variant 0101"),
    ],
)
def test_unt_id_1_roster_repeating_a_key_is_refused(change: dict[str, object], what: str) -> None:
    """A roster whose serial, ТЖК, seat or variant repeats cannot identify anything."""
    roster = room(2).model_copy(update=change)
    with pytest.raises(DomainError, match=what) as info:
        identify_room(roster, [])
    assert info.value.rule_id == "UNT-ID-1"


def test_unt_id_5_protocol_has_an_upper_and_a_lower_table() -> None:
    """Upper rows are applicants without an automatic match; lower rows the other sheets."""
    sheets = [clean_sheet(1), clean_sheet(2, seat="007"), clean_sheet(3), unfilled_sheet(3006)]
    protocol = identification_protocol(identify_room(room(4), sheets))
    assert [r.tzhk for r in protocol.upper] == [tzhk(2), tzhk(4)]
    assert [r.serial for r in protocol.lower] == [3002, 3006]
    assert [r.resolved for r in protocol.lower] == [False, True]


def test_unt_id_6_lower_table_orders_sheets_by_serial_unreadable_last() -> None:
    """Sheet-and-booklet pairs and unfilled sheets are stacked by serial; unknown ones last."""
    sheets = [unfilled_sheet(3009), clean_sheet(1, serial=None), clean_sheet(2, seat="009")]
    protocol = identification_protocol(identify_room(room(3), sheets))
    assert [(r.line, r.serial, r.unfilled) for r in protocol.lower] == [
        (1, 3002, False),
        (2, 3009, True),
        (3, None, False),
    ]


def test_unt_id_8_lower_rows_carry_read_values_and_bold_sectors() -> None:
    """A lower row shows what was read and frames the sectors in error."""
    sheet = clean_sheet(2, seat="005", variant="01 1")
    (row,) = identification_protocol(identify_room(room(3), [sheet])).lower
    assert (row.tzhk, row.seat, row.variant) == (tzhk(2), 5, None)
    assert row.error_sectors == (Sector.SEAT, Sector.VARIANT)
    assert row.decision is None
    assert row.row is None


# Each applicant's sheet is handed in clean, with a planted error, or not at all.
_FATES = (
    "clean",
    "foreign_tzhk",
    "wrong_seat",
    "foreign_serial",
    "multiple",
    "neighbour",
    "absent",
)


def _planted_sheet(k: int, fate: str, n: int) -> AnswerSheetData | None:
    planted: dict[str, Callable[[], AnswerSheetData | None]] = {
        "clean": lambda: clean_sheet(k),
        "foreign_tzhk": lambda: clean_sheet(k, tzhk=f"9{k:08d}"),
        "wrong_seat": lambda: clean_sheet(k, seat=f"{n + k:03d}"),
        "foreign_serial": lambda: clean_sheet(k, serial=serial_of(8, k)),
        "multiple": lambda: clean_sheet(k, variant=MULTIPLE + "101"),
        "neighbour": lambda: clean_sheet(k, tzhk=tzhk(k % n + 1), seat=f"{k % n + 1:03d}"),
        "absent": lambda: None,
    }
    return planted[fate]()


@given(st.lists(st.sampled_from(_FATES), min_size=1, max_size=12))
def test_unt_id_1_identifies_every_clean_sheet_and_nothing_else(fates: list[str]) -> None:
    """Exactly the consistent sheets whose ТЖК no other sheet claims are identified."""
    n = len(fates)
    planted = [(f, s) for k, f in enumerate(fates, 1) if (s := _planted_sheet(k, f, n)) is not None]
    sheets = [s for _, s in planted]
    claimed = [s.tzhk for s in sheets]
    # A neighbour's sheet bears the neighbour's ТЖК and seat in full: from the
    # sheet alone it is that neighbour's clean sheet, unless two sheets claim them.
    consistent = [s.tzhk for f, s in planted if f in {"clean", "neighbour"}]
    expected = {t for t in consistent if t is not None and claimed.count(t) == 1}
    state = identify_room(room(n), sheets)
    assert {o.tzhk for o in state.identified} == expected
    assert len(state.identified) == len(expected)


@given(st.lists(st.sampled_from(_FATES), min_size=1, max_size=12))
def test_unt_id_5_protocol_rows_partition_the_sheets_not_auto_identified(fates: list[str]) -> None:
    """Every sheet not identified automatically is in exactly one lower row; upper rows are
    exactly the applicants without an automatic match."""
    n = len(fates)
    sheets = [s for k, f in enumerate(fates, 1) if (s := _planted_sheet(k, f, n)) is not None]
    state = identify_room(room(n), sheets)
    protocol = identification_protocol(state)
    auto = {o.sheet_id for o in state.identified}
    lower_ids = [r.sheet_id for r in protocol.lower]
    assert sorted(lower_ids) == sorted(s.sheet_id for s in sheets if s.sheet_id not in auto)
    assert [r.line for r in protocol.lower] == list(range(1, len(lower_ids) + 1))
    matched = {o.tzhk for o in state.identified}
    assert [r.tzhk for r in protocol.upper] == [
        tzhk(k) for k in range(1, n + 1) if tzhk(k) not in matched
    ]


def _plan() -> SeatingPlan:
    allocation = RoomAllocation(stream=2, room=4, language="ru", seats=30, tzhks=("7", "8"))
    plan, _ = seat_room(
        allocation,
        seed=b"s" * 16,
        password="pw",
        registry=SeatingRegistry(
            verifier=password_verifier("pw", salt=b"s" * 16, log2_n=MIN_LOG2_N)
        ),
    )
    request = AdditionalSeatingRequest.model_validate(
        {
            "tzhk": "9",
            "stream": 1,
            "recorded_language": "kk",
            "needed_language": "ru",
            "protocol_ref": "МК-3",
            "materials": "reserve",
        }
    )
    return seat_additionally(request, plans=[plan])[1]


def test_unt_id_4_roster_from_a_seating_plan_keeps_additional_seatings_apart() -> None:
    """Drawn seats become the seating sheet; the commission's additions stay apart."""
    names = {"7": "Жеті", "8": "Сегіз", "9": "Тоғыз"}
    subjects = {"7": ("02", "05")}
    roster = roster_from_seating(
        _plan(), (4001, 4002), full_names=names, profile_subjects=subjects, variants=ALLOCATED
    )
    assert (roster.stream, roster.room, roster.sheet_serials) == (2, 4, (4001, 4002))
    assert sorted((r.tzhk, r.full_name) for r in roster.seating) == [("7", "Жеті"), ("8", "Сегіз")]
    assert [(r.tzhk, r.seat) for r in roster.additional_seatings] == [("9", 3)]
    assert [r.profile_subjects for r in roster.seating if r.tzhk == "7"] == [("02", "05")]


def test_unt_id_4_roster_needs_every_applicants_name() -> None:
    """A seating sheet without an applicant's name cannot be printed or checked."""
    with pytest.raises(DomainError, match="no name for ТЖК 9") as info:
        roster_from_seating(_plan(), (), full_names={"7": "Жеті", "8": "Сегіз"}, variants=ALLOCATED)
    assert info.value.rule_id == "UNT-ID-4"


def test_unt_id_12_roster_without_a_variant_allocation_is_refused() -> None:
    """A room with no variant allocation is an error when built, not a blocked stream later."""
    names = {"7": "Жеті", "8": "Сегіз", "9": "Тоғыз"}
    with pytest.raises(DomainError, match="no variant allocation") as info:
        roster_from_seating(_plan(), (4001,), full_names=names, variants=())
    assert info.value.rule_id == "UNT-ID-12"
    with pytest.raises(DomainError, match="no variant allocation"):
        room(2).evolve(variants=())
