"""The room fund of a testing point and the checks it must pass (RULES 1.E).

A :class:`RoomFund` lists the physical rooms of a ҰБТ testing point (ҰБТӨП);
the NTC room-opening file (:class:`RoomOpening`, one row per room and stream)
says which of them are used in each stream and with which language status.
:func:`validate_room_fund` returns *every* violation of the planning rules of
001 §80–81 as values, so a planner can fix the whole fund in one pass;
allocation (``ubt_domain.rooms.allocation``) refuses a fund that has any.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import ClassVar

from pydantic import Field

from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel, ExamLanguage

__all__ = [
    "MAX_RESERVE_ROOMS_PER_STREAM",
    "MAX_ROOMS_PER_STREAM",
    "MAX_SEATS",
    "MIN_SEATS",
    "ROOM_NUMBER_DIGITS",
    "SEATS_PER_DESK",
    "SEAT_MULTIPLE",
    "Room",
    "RoomEquipment",
    "RoomFund",
    "RoomOpening",
    "RoomViolation",
    "room_label",
    "validate_room_fund",
]

MIN_SEATS = 30  # 001 §80(4), read with T-5
MAX_SEATS = 120
SEAT_MULTIPLE = 10
SEATS_PER_DESK = 2  # 001 §80(6)
MAX_ROOMS_PER_STREAM = 12  # 001 §80(5)
MAX_RESERVE_ROOMS_PER_STREAM = 2  # 001 §80(5), counted apart from the 12 (D-7)
ROOM_NUMBER_DIGITS = 2  # 001 §32(2): 01, 02, 03, ...; D-13


class RoomEquipment(DomainModel):
    """What a room record must state about its equipment (UNT-ROOM-9).

    ``None`` means the record does not state it, which is a violation.

    Parameters
    ----------
    ventilation : bool or None
        Whether the room has a ventilation system.
    jammers : int or None
        Number of mobile-signal jammers in the room.
    video_cameras : int or None
        Number of video cameras in the room.
    """

    malformed_rule: ClassVar[str] = "UNT-ROOM-9"

    ventilation: bool | None = None
    jammers: int | None = Field(default=None, ge=0)
    video_cameras: int | None = Field(default=None, ge=0)


class Room(DomainModel):
    """One physical room of the room fund.

    Parameters
    ----------
    number : int
        Room number, printed with two digits (``room_label``).
    building : str
        The building (corpus) the room is in.
    desks : int
        Number of desks.
    seats : int
        Number of seats; the rules want ``2 * desks`` and 30-120 in tens.
    space : str or None
        Identifier of the physical space (a gym, a hall, a classroom) the room
        occupies; ``None`` when the room is a space of its own. Two rooms in
        one space are a split hall (UNT-ROOM-8).
    equipment : RoomEquipment
        Ventilation, jammers and cameras as recorded (UNT-ROOM-9).
    special_needs : bool
        The room is set apart for applicants with special needs (UNT-ROOM-19).
    special_needs_decision : str or None
        Reference of the state-commission decision that set the room apart.
    """

    malformed_rule: ClassVar[str] = "UNT-ROOM-11"

    number: int = Field(ge=1)
    building: str = Field(min_length=1)
    desks: int = Field(ge=1)
    seats: int = Field(ge=1)
    space: str | None = None
    equipment: RoomEquipment = RoomEquipment()
    special_needs: bool = False
    special_needs_decision: str | None = None

    @property
    def label(self) -> str:
        """The room number as printed: two digits, ``"01"`` (UNT-ROOM-11)."""
        return room_label(self.number)


class RoomFund(DomainModel):
    """The room fund of one testing point («Аудиториялық қор», UNT-ROOM-10).

    Parameters
    ----------
    testing_point : str
        Code of the testing point (ҰБТӨП).
    building : str
        The one building every room must be in (UNT-ROOM-2).
    rooms : tuple of Room
        The rooms, in any order.
    """

    malformed_rule: ClassVar[str] = "UNT-ROOM-2"

    testing_point: str = Field(min_length=1)
    building: str = Field(min_length=1)
    rooms: tuple[Room, ...]

    def room(self, number: int) -> Room | None:
        """Return the room with this number, or ``None`` if the fund has none."""
        return next((room for room in self.rooms if room.number == number), None)


class RoomOpening(DomainModel):
    """One row of the NTC room-opening file: a room used in a stream (UNT-ROOM-17).

    Parameters
    ----------
    stream : int
        Stream (лек) number, from 1.
    room : int
        Number of a room of the fund.
    language : ExamLanguage or None
        Language status of the room in this stream (UNT-ROOM-3, UNT-ROOM-4);
        ``None`` means the file does not give one, which is a violation.
    reserve : bool
        The room is a reserve (қосалқы) room of the stream: kept free at
        allocation, usable for additional seating.
    """

    malformed_rule: ClassVar[str] = "UNT-ROOM-17"

    stream: int = Field(ge=1)
    room: int = Field(ge=1)
    language: ExamLanguage | None
    reserve: bool = False


class RoomViolation(DomainModel):
    """One broken planning rule of the room fund or the opening file.

    Parameters
    ----------
    rule_id : str
        The RULES.md id broken, e.g. ``"UNT-ROOM-5"``.
    room : int or None
        The room concerned, ``None`` when the violation is about a stream.
    stream : int or None
        The stream concerned, ``None`` when the violation is about the fund.
    message : str
        What is wrong and what the rule expects.
    """

    malformed_rule: ClassVar[str] = "UNT-ROOM-18"

    rule_id: str
    room: int | None
    stream: int | None
    message: str


def room_label(number: int) -> str:
    """Return the printed room number: at least two digits (UNT-ROOM-11).

    Implements UNT-ROOM-11.

    Parameters
    ----------
    number : int
        Room number, from 1.

    Returns
    -------
    str
        ``"01"`` for 1, ``"12"`` for 12.

    Examples
    --------
    >>> room_label(3)
    '03'
    """
    return f"{number:0{ROOM_NUMBER_DIGITS}d}"


def validate_room_fund(
    fund: RoomFund, openings: Iterable[RoomOpening] = ()
) -> tuple[RoomViolation, ...]:
    """Return every violation of the room-fund planning rules.

    Implements UNT-ROOM-2, UNT-ROOM-4, UNT-ROOM-5, UNT-ROOM-6, UNT-ROOM-7,
    UNT-ROOM-8, UNT-ROOM-9, UNT-ROOM-11, UNT-ROOM-17, UNT-ROOM-19 and D-7.

    Parameters
    ----------
    fund : RoomFund
        The testing point's rooms.
    openings : iterable of RoomOpening
        The room-opening file; its per-stream rules are checked when given.

    Returns
    -------
    tuple of RoomViolation
        Empty when the fund and the openings follow every rule; otherwise one
        entry per broken rule and room (or stream), fund checks first.

    Notes
    -----
    Violations are values, not an exception, so that a planner sees the
    whole list at once. Rooms are numbered 01, 02, ... (gaps allowed); a number
    that needs a third digit breaks the two-digit numbering (D-13).

    Examples
    --------
    >>> room = Room(number=1, building="A", desks=15, seats=35)
    >>> sorted({v.rule_id for v in validate_room_fund(
    ...     RoomFund(testing_point="001", building="A", rooms=(room,)))})
    ['UNT-ROOM-5', 'UNT-ROOM-7', 'UNT-ROOM-9']
    """
    if not isinstance(fund, RoomFund):
        raise DomainError("UNT-ROOM-2", f"fund must be a RoomFund, got {type(fund).__name__}")
    violations = [v for room in fund.rooms for v in _room_violations(room, fund.building)]
    violations += _numbering_violations(fund)
    violations += _split_hall_violations(fund)
    violations += _opening_violations(fund, tuple(openings))
    return tuple(violations)


def _violation(
    rule_id: str, message: str, *, room: int | None = None, stream: int | None = None
) -> RoomViolation:
    return RoomViolation(rule_id=rule_id, room=room, stream=stream, message=message)


def _room_violations(room: Room, building: str) -> list[RoomViolation]:
    where = f"room {room.label}"
    missing = [name for name, value in room.equipment if value is None]
    checks = (
        ("UNT-ROOM-2", room.building != building,
         f"{where} is in building {room.building!r}; every room of the fund must be in "
         f"building {building!r}"),
        ("UNT-ROOM-5", room.seats % SEAT_MULTIPLE or not MIN_SEATS <= room.seats <= MAX_SEATS,
         f"{where} has {room.seats} seats; expected a multiple of {SEAT_MULTIPLE} from "
         f"{MIN_SEATS} to {MAX_SEATS}"),
        ("UNT-ROOM-7", room.seats != SEATS_PER_DESK * room.desks,
         f"{where} has {room.seats} seats for {room.desks} desks; expected {SEATS_PER_DESK} "
         f"per desk = {SEATS_PER_DESK * room.desks}"),
        ("UNT-ROOM-9", bool(missing), f"{where} does not state its {', '.join(missing)}"),
        ("UNT-ROOM-19", room.special_needs and not (room.special_needs_decision or "").strip(),
         f"{where} is set apart for special needs without a state-commission decision "
         "reference"),
    )  # fmt: skip
    return [
        _violation(rule, message, room=room.number) for rule, broken, message in checks if broken
    ]


def _numbering_violations(fund: RoomFund) -> list[RoomViolation]:
    numbers = Counter(room.number for room in fund.rooms)
    found = [
        _violation("UNT-ROOM-11", f"room number {room_label(n)} is used by {count} rooms", room=n)
        for n, count in sorted(numbers.items())
        if count > 1
    ]
    too_long = 10**ROOM_NUMBER_DIGITS
    found += [
        _violation(
            "UNT-ROOM-11", f"room number {n} does not fit in {ROOM_NUMBER_DIGITS} digits", room=n
        )
        for n in sorted(numbers)
        if n >= too_long
    ]
    # §32(2) gives the number format (01, 02, 03, ...), not contiguity: a fund
    # may skip a number (a room closed for repair keeps its neighbours' numbers).
    return found


def _split_hall_violations(fund: RoomFund) -> list[RoomViolation]:
    rooms_by_space: defaultdict[str, list[int]] = defaultdict(list)
    for room in fund.rooms:
        if room.space is not None:
            rooms_by_space[room.space].append(room.number)
    return [
        _violation(
            "UNT-ROOM-8",
            f"space {space!r} is split into rooms "
            f"{', '.join(room_label(n) for n in sorted(numbers))}; a hall or gym "
            "may not be split into virtual rooms",
            room=min(numbers),
        )
        for space, numbers in sorted(rooms_by_space.items())
        if len(numbers) > 1
    ]


def _opening_violations(fund: RoomFund, openings: tuple[RoomOpening, ...]) -> list[RoomViolation]:
    known = {room.number for room in fund.rooms}
    found: list[RoomViolation] = []
    seen: Counter[tuple[int, int]] = Counter()
    for opening in openings:
        where = f"room {room_label(opening.room)} in stream {opening.stream}"
        seen[opening.stream, opening.room] += 1
        if opening.room not in known:
            found.append(
                _violation(
                    "UNT-ROOM-17",
                    f"the opening file opens {where}, which is not in the room fund",
                    room=opening.room,
                    stream=opening.stream,
                )
            )
        if opening.language is None:
            found.append(
                _violation(
                    "UNT-ROOM-4",
                    f"{where} has no language status",
                    room=opening.room,
                    stream=opening.stream,
                )
            )
    found += [
        _violation(
            "UNT-ROOM-4",
            f"room {room_label(room)} is opened {count} times in stream "
            f"{stream}; a room has one language status per stream",
            room=room,
            stream=stream,
        )
        for (stream, room), count in sorted(seen.items())
        if count > 1
    ]
    return found + _stream_size_violations(openings)


def _stream_size_violations(openings: tuple[RoomOpening, ...]) -> list[RoomViolation]:
    main: Counter[int] = Counter()
    reserve: Counter[int] = Counter()
    for opening in {(o.stream, o.room): o for o in openings}.values():
        (reserve if opening.reserve else main)[opening.stream] += 1
    found = [
        _violation(
            "UNT-ROOM-6",
            f"stream {stream} opens {count} rooms; at most "
            f"{MAX_ROOMS_PER_STREAM} (reserve rooms counted apart, D-7)",
            stream=stream,
        )
        for stream, count in sorted(main.items())
        if count > MAX_ROOMS_PER_STREAM
    ]
    found += [
        _violation(
            "UNT-ROOM-6",
            f"stream {stream} opens {count} reserve rooms; at most {MAX_RESERVE_ROOMS_PER_STREAM}",
            stream=stream,
        )
        for stream, count in sorted(reserve.items())
        if count > MAX_RESERVE_ROOMS_PER_STREAM
    ]
    return found
