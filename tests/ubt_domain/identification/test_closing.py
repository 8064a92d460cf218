"""Tests of closing a stream's identification (close_stream_identification)."""

from __future__ import annotations

import inspect
import re

import pytest

from tests.ubt_domain.answer_readings import SUBJECTS, clean_sheet, room, serial_of, tzhk
from ubt_domain.errors import DomainError
from ubt_domain.identification import closing
from ubt_domain.identification.auto import RoomIdentification, identify_room
from ubt_domain.identification.closing import close_stream_identification
from ubt_domain.identification.decisions import (
    VariantCheck,
    apply_commission_rows,
    apply_variant_checks,
)
from ubt_domain.identification.outcomes import CommissionRow, Decision


def _room(number: int, *, stream: int = 1, seat_error: bool = False) -> RoomIdentification:
    sheets = [clean_sheet(1, room_number=number), clean_sheet(2, room_number=number)]
    if seat_error:
        sheets[1] = clean_sheet(2, room_number=number, seat="007")
    return identify_room(room(3, number=number, stream=stream), sheets)


def test_unt_key_2_stream_with_sheets_in_the_protocol_cannot_close() -> None:
    """While a sheet waits in the protocol, the stream stays open and says where."""
    with pytest.raises(
        DomainError, match=r"room 04: 1 sheet\(s\) in the protocol \(serials 4002\)"
    ):
        close_stream_identification(
            [_room(3), _room(4, seat_error=True)], stream=1, expected_rooms={3, 4}
        )


def test_unt_key_2_stream_closes_once_every_sheet_is_decided() -> None:
    """With the last sheet corrected and a foreign one deleted, the stream closes."""
    waiting = _room(4, seat_error=True)
    foreign = clean_sheet(3, room_number=9)
    with_foreign = identify_room(waiting.roster, [*waiting.sheets, foreign])
    correction = CommissionRow(
        sheet_id=waiting.unidentified[0].sheet_id,
        decision=Decision.CORRECTION,
        tzhk=tzhk(2, 4),
        seat=2,
        variant="0102",
        profile_subjects=SUBJECTS,
    )
    rows = [correction, CommissionRow(sheet_id=foreign.sheet_id, decision=Decision.DELETION)]
    closed = close_stream_identification(
        [_room(3), apply_commission_rows(with_foreign, rows)], stream=1, expected_rooms=[3, 4]
    )
    assert closed.rooms == (3, 4)
    assert [o.serial for o in closed.identified] == [3001, 3002, 4001, 4002]
    assert [o.serial for o in closed.deleted] == [serial_of(9, 3)]
    assert [r.tzhk for r in closed.without_sheet] == [tzhk(3, 3), tzhk(3, 4)]


def test_unt_key_2_pending_variant_identification_blocks_closing() -> None:
    """Too many sheets of one variant must be checked against the booklets first."""
    state = identify_room(room(3), [clean_sheet(k, variant="0101") for k in (1, 2, 3)])
    with pytest.raises(DomainError, match="variant identification pending"):
        close_stream_identification([state], stream=1, expected_rooms={3})
    checks = [VariantCheck(sheet_id=o.sheet_id, booklet_variant="0101") for o in state.identified]
    closed = close_stream_identification(
        [apply_variant_checks(state, checks)], stream=1, expected_rooms={3}
    )
    assert len(closed.identified) == 3


@pytest.mark.parametrize(
    ("rooms", "expected"),
    [
        ([3], {3, 4}),
        ([3, 3], {3}),
        ([3, 5], {3}),
    ],
    ids=["missing", "twice", "extra"],
)
def test_unt_key_2_each_room_of_the_stream_is_given_once(
    rooms: list[int], expected: set[int]
) -> None:
    """A missing, repeated or foreign room keeps the stream from closing."""
    with pytest.raises(DomainError, match="give each of the stream's rooms once") as info:
        close_stream_identification([_room(n) for n in rooms], stream=1, expected_rooms=expected)
    assert info.value.rule_id == "UNT-KEY-2"


def test_unt_key_2_room_of_another_stream_is_refused() -> None:
    """A room's identification counts only for its own stream."""
    with pytest.raises(DomainError, match="belongs to stream 2") as info:
        close_stream_identification([_room(3, stream=2)], stream=1, expected_rooms={3})
    assert info.value.rule_id == "UNT-KEY-2"


def test_unt_id_1_applicant_identified_in_two_rooms_is_refused() -> None:
    """One ТЖК identified in two rooms of a stream breaks one-applicant-one-sheet."""
    misallocated = room(3, number=4).model_copy(update={"seating": room(3, number=3).seating})
    twin = identify_room(misallocated, [clean_sheet(1, room_number=4, tzhk=tzhk(1, 3))])
    with pytest.raises(DomainError, match="more than one room") as info:
        close_stream_identification([_room(3), twin], stream=1, expected_rooms={3, 4})
    assert info.value.rule_id == "UNT-ID-1"


def test_unt_key_2_closed_stream_lists_every_sheet_once() -> None:
    """The closed value holds each scanned sheet in exactly one of its lists."""
    state = _room(3)
    closed = close_stream_identification([state], stream=1, expected_rooms={3})
    listed = [o.sheet_id for o in closed.identified] + [o.sheet_id for o in closed.deleted]
    listed += [o.sheet_id for o in closed.unfilled]
    assert sorted(listed) == sorted(s.sheet_id for s in state.sheets)


def test_d_4_closing_identification_does_not_claim_the_key_gate() -> None:
    """Closing is a precondition of the key gate; it must not say it implements D-4.

    D-4 is the gate with all N passwords; claiming it here would mark it done
    while nothing in this module asks for a password.
    """
    claims = re.findall(r"Implements ([^.]*)\.", inspect.getsource(closing))
    assert claims
    assert not any("D-4" in claim for claim in claims)
