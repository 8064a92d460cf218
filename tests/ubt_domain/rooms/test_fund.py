"""Room fund model and validator (RULES 1.E, D-7)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ubt_domain.errors import DomainError
from ubt_domain.models import ExamLanguage
from ubt_domain.rooms.fund import (
    MAX_RESERVE_ROOMS_PER_STREAM,
    MAX_ROOMS_PER_STREAM,
    MAX_SEATS,
    MIN_SEATS,
    SEAT_MULTIPLE,
    Room,
    RoomEquipment,
    RoomFund,
    RoomOpening,
    room_label,
    validate_room_fund,
)

EQUIPPED = RoomEquipment(ventilation=True, jammers=1, video_cameras=2)
KK = ExamLanguage.KAZAKH
RU = ExamLanguage.RUSSIAN


def room(number: int, **changes: object) -> Room:
    """A room that follows every rule, with the given fields changed."""
    fields: dict[str, object] = {
        "number": number,
        "building": "A",
        "desks": 15,
        "seats": 30,
        "equipment": EQUIPPED,
    }
    fields.update(changes)
    return Room.model_validate(fields)


def fund(*rooms: Room) -> RoomFund:
    """A fund of the given rooms in building A."""
    return RoomFund(testing_point="031", building="A", rooms=rooms)


def rule_ids(found: object) -> list[str]:
    """The rule ids of a tuple of violations, in order."""
    assert isinstance(found, tuple)
    return [v.rule_id for v in found]


def test_valid_fund_has_no_violations() -> None:
    """A fund that follows every rule yields an empty tuple."""
    openings = [
        RoomOpening(stream=1, room=1, language=KK),
        RoomOpening(stream=1, room=2, language=RU),
    ]
    assert validate_room_fund(fund(room(1), room(2, desks=60, seats=120)), openings) == ()


def test_unt_room_2_room_in_another_building_is_reported() -> None:
    """Every room of the fund must be in the fund's one building."""
    found = validate_room_fund(fund(room(1), room(2, building="B")))
    assert rule_ids(found) == ["UNT-ROOM-2"]
    assert found[0].room == 2
    assert "'B'" in found[0].message


@pytest.mark.parametrize("seats", [20, 35, 130, 125, 29])
def test_unt_room_5_seat_count_outside_tens_from_30_to_120_is_reported(seats: int) -> None:
    """Seat counts that are not a multiple of 10 in 30-120 break UNT-ROOM-5."""
    found = validate_room_fund(fund(room(1, seats=seats, desks=seats // 2)))
    assert "UNT-ROOM-5" in rule_ids(found)


@given(tens=st.integers(MIN_SEATS // SEAT_MULTIPLE, MAX_SEATS // SEAT_MULTIPLE))
def test_unt_room_5_every_allowed_seat_count_passes(tens: int) -> None:
    """Each of 30, 40, ..., 120 seats at two per desk is a valid room."""
    seats = tens * SEAT_MULTIPLE
    assert validate_room_fund(fund(room(1, seats=seats, desks=seats // 2))) == ()


def test_unt_room_7_seats_must_be_two_per_desk() -> None:
    """Forty seats at sixteen desks breaks the two-per-desk count."""
    found = validate_room_fund(fund(room(1, seats=40, desks=16)))
    assert rule_ids(found) == ["UNT-ROOM-7"]
    assert "32" in found[0].message


def test_unt_room_8_split_hall_is_reported() -> None:
    """Two rooms in one physical space are a split hall."""
    found = validate_room_fund(fund(room(1, space="gym"), room(2, space="gym"), room(3)))
    assert rule_ids(found) == ["UNT-ROOM-8"]
    assert "01, 02" in found[0].message


def test_unt_room_9_missing_equipment_is_reported_per_item() -> None:
    """A room that does not state its jammers and cameras is named with both items."""
    found = validate_room_fund(fund(room(1, equipment=RoomEquipment(ventilation=False))))
    assert rule_ids(found) == ["UNT-ROOM-9"]
    assert "jammers" in found[0].message
    assert "video_cameras" in found[0].message


def test_unt_room_9_recorded_absence_is_not_a_violation() -> None:
    """A room that states it has no ventilation has stated its equipment."""
    equipment = RoomEquipment(ventilation=False, jammers=0, video_cameras=0)
    assert validate_room_fund(fund(room(1, equipment=equipment))) == ()


def test_unt_room_11_room_label_has_two_digits() -> None:
    """Rooms print as 01, 02, ..., 12."""
    assert [room_label(n) for n in (1, 2, 12)] == ["01", "02", "12"]
    assert room(7).label == "07"


def test_unt_room_11_duplicate_and_three_digit_numbers_are_reported() -> None:
    """Numbers used twice or too long for two digits break the numbering."""
    found = validate_room_fund(fund(room(1), room(1), room(3), room(100)))
    assert rule_ids(found) == ["UNT-ROOM-11"] * 2
    assert "01 is used by 2" in found[0].message
    assert "100" in found[1].message


def test_unt_room_11_numbers_need_not_be_contiguous() -> None:
    """§32(2) gives the two-digit format only: rooms 01, 02, 04 are a valid numbering."""
    found = validate_room_fund(fund(room(1), room(2), room(4)))
    assert [v for v in found if v.rule_id == "UNT-ROOM-11"] == []


def test_unt_room_19_special_needs_room_needs_a_commission_decision() -> None:
    """A room set apart for special needs must cite the state-commission decision."""
    found = validate_room_fund(
        fund(
            room(1, special_needs=True),
            room(2, special_needs=True, special_needs_decision="МК-2026-04"),
        )
    )
    assert rule_ids(found) == ["UNT-ROOM-19"]
    assert found[0].room == 1


def test_unt_room_4_missing_and_double_language_status_is_reported() -> None:
    """A (room, stream) needs exactly one language status."""
    openings = [
        RoomOpening(stream=1, room=1, language=None),
        RoomOpening(stream=2, room=1, language=KK),
        RoomOpening(stream=2, room=1, language=RU),
    ]
    found = validate_room_fund(fund(room(1)), openings)
    assert rule_ids(found) == ["UNT-ROOM-4", "UNT-ROOM-4"]
    assert (found[0].stream, found[1].stream) == (1, 2)


def test_unt_room_4_language_status_may_change_between_streams() -> None:
    """One room Kazakh in stream 1 and Russian in stream 2 is allowed."""
    openings = [
        RoomOpening(stream=1, room=1, language=KK),
        RoomOpening(stream=2, room=1, language=RU),
    ]
    assert validate_room_fund(fund(room(1)), openings) == ()


def test_unt_room_17_opening_an_unknown_room_is_reported() -> None:
    """The opening file may only open rooms of the fund."""
    found = validate_room_fund(fund(room(1)), [RoomOpening(stream=1, room=5, language=KK)])
    assert rule_ids(found) == ["UNT-ROOM-17"]
    assert found[0].room == 5


def test_d_7_reserve_rooms_are_counted_apart_from_the_twelve() -> None:
    """Twelve rooms plus two reserve rooms in a stream are allowed (D-7)."""
    total = MAX_ROOMS_PER_STREAM + MAX_RESERVE_ROOMS_PER_STREAM
    rooms = [room(n) for n in range(1, total + 1)]
    openings = [
        RoomOpening(stream=1, room=n, language=KK, reserve=n > MAX_ROOMS_PER_STREAM)
        for n in range(1, total + 1)
    ]
    assert validate_room_fund(fund(*rooms), openings) == ()


def test_unt_room_6_thirteen_rooms_or_three_reserve_rooms_are_reported() -> None:
    """A stream with 13 rooms and another with 3 reserve rooms each break UNT-ROOM-6."""
    rooms = [room(n) for n in range(1, 14)]
    openings = [RoomOpening(stream=1, room=n, language=KK) for n in range(1, 14)]
    openings += [RoomOpening(stream=2, room=n, language=RU, reserve=True) for n in (1, 2, 3)]
    found = validate_room_fund(fund(*rooms), openings)
    assert rule_ids(found) == ["UNT-ROOM-6", "UNT-ROOM-6"]
    assert [v.stream for v in found] == [1, 2]


def test_validator_returns_every_violation_not_the_first() -> None:
    """One broken room and one broken stream give all their violations together."""
    bad = room(1, building="B", seats=35, desks=10, equipment=RoomEquipment())
    found = validate_room_fund(fund(bad), [RoomOpening(stream=1, room=9, language=None)])
    assert rule_ids(found) == [
        "UNT-ROOM-2",
        "UNT-ROOM-5",
        "UNT-ROOM-7",
        "UNT-ROOM-9",
        "UNT-ROOM-17",
        "UNT-ROOM-4",
    ]


def test_unt_room_2_validator_rejects_a_non_fund_argument() -> None:
    """Passing something other than a RoomFund is refused, naming the type."""
    with pytest.raises(DomainError, match="RoomFund") as caught:
        validate_room_fund([room(1)])  # type: ignore[arg-type]
    assert caught.value.rule_id == "UNT-ROOM-2"


def test_fund_looks_rooms_up_by_number() -> None:
    """RoomFund.room finds a room by number and returns None for an unknown one."""
    one = fund(room(1), room(2, seats=40, desks=20))
    found = one.room(2)
    assert found is not None
    assert found.seats == 40
    assert one.room(3) is None
