"""Automatic distribution of applicants to the opened rooms (UNT-ROOM-17, UNT-ROOM-18).

Once «Талапкер» is closed, NTC opens rooms of the fund per stream (the
room-opening file) and the testing point distributes the applicants of each
stream to them automatically. The distribution runs only when the opened fund
matches the applications; otherwise it is refused with ``DomainError``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import ClassVar, Protocol

from pydantic import Field, model_validator

from ubt_domain.errors import DomainError
from ubt_domain.models import HISTORY_LANGUAGES, DomainModel, ExamLanguage
from ubt_domain.rooms.balance import MIN_ROOM_APPLICANTS, balanced_counts, small_group_warnings
from ubt_domain.rooms.fund import RoomFund, RoomOpening, room_label, validate_room_fund

__all__ = [
    "MIN_ROOM_APPLICANTS",
    "Allocatable",
    "Allocation",
    "RoomAllocation",
    "allocate",
    "small_group_warnings",
]


class Allocatable(Protocol):
    """What allocation needs of an applicant (``ubt_domain.applicants.Applicant`` fits)."""

    @property
    def tzhk(self) -> str:
        """The applicant's personal code (ТЖК)."""

    @property
    def exam_language(self) -> ExamLanguage:
        """The exam language of the application (UNT-FORM-14)."""

    @property
    def special_needs(self) -> bool:
        """Whether the applicant sits in a room set apart (UNT-ROOM-19)."""


class RoomAllocation(DomainModel):
    """One opened room of one stream and the applicants distributed to it.

    Parameters
    ----------
    stream : int
        Stream number.
    room : int
        Room number.
    language : ExamLanguage
        The room's language status in this stream.
    seats : int
        Capacity of the room.
    reserve : bool
        Reserve room of the stream: receives nobody at allocation.
    special_needs : bool
        Room set apart for applicants with special needs.
    special_envelope : bool
        The room's box holds the envelope of additional answer sheets and the
        French and German booklets (UNT-ROOM-20).
    tzhks : tuple of str
        ТЖК of the applicants distributed to the room, ascending.
    """

    malformed_rule: ClassVar[str] = "UNT-ROOM-17"

    stream: int = Field(ge=1)
    room: int = Field(ge=1)
    language: ExamLanguage
    seats: int = Field(ge=1)
    reserve: bool = False
    special_needs: bool = False
    special_envelope: bool = False
    tzhks: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _fits(self) -> RoomAllocation:
        if len(set(self.tzhks)) != len(self.tzhks) or len(self.tzhks) > self.seats:
            raise DomainError(
                "UNT-ROOM-17", f"room {self.room} holds distinct ТЖК, at most {self.seats}"
            )
        return self

    @property
    def label(self) -> str:
        """The printed room number, ``"01"``."""
        return room_label(self.room)

    @property
    def free_seats(self) -> int:
        """Seats left after allocation."""
        return self.seats - len(self.tzhks)


class Allocation(DomainModel):
    """The distribution of a testing point's applicants to rooms, per stream.

    Parameters
    ----------
    testing_point : str
        Code of the testing point.
    rooms : tuple of RoomAllocation
        Every opened room, ordered by stream then room number, including
        rooms that received nobody.
    """

    malformed_rule: ClassVar[str] = "UNT-ROOM-17"

    testing_point: str
    rooms: tuple[RoomAllocation, ...]

    @property
    def streams(self) -> tuple[int, ...]:
        """The streams that have opened rooms, ascending."""
        return tuple(sorted({room.stream for room in self.rooms}))

    def room_of(self, tzhk: str) -> RoomAllocation | None:
        """Return the room the applicant with this ТЖК was distributed to."""
        return next((room for room in self.rooms if tzhk in room.tzhks), None)

    def special_envelope_room(self, stream: int) -> int | None:
        """Return the room whose box holds the special envelope in ``stream`` (UNT-ROOM-20)."""
        return next(
            (room.room for room in self.rooms if room.stream == stream and room.special_envelope),
            None,
        )


def allocate(
    fund: RoomFund,
    openings: Iterable[RoomOpening],
    applicants_by_stream: Mapping[int, Sequence[Allocatable]],
) -> Allocation:
    """Distribute each stream's applicants to its opened rooms.

    Implements UNT-ROOM-3, UNT-ROOM-17, UNT-ROOM-18, UNT-ROOM-19, UNT-ROOM-20, D-15.

    Parameters
    ----------
    fund : RoomFund
        The testing point's room fund.
    openings : iterable of RoomOpening
        The NTC room-opening file.
    applicants_by_stream : mapping of int to sequence of Allocatable
        The applicants of each stream (schools are distributed by stream in
        «ҰБТӨП базасы», UNT-ROOM-16).

    Returns
    -------
    Allocation
        Every opened room with the ТЖК distributed to it.

    Raises
    ------
    DomainError
        The fund or the opening file breaks a planning rule (the first rule
        is named, every violation is listed); a ТЖК is empty or appears twice
        (UNT-REG-2); or the opened fund does not match the applications
        (UNT-ROOM-18).

    Notes
    -----
    *The opened fund matches the applications* when, for every stream and
    exam language, the non-reserve rooms opened with that language have at
    least as many seats set apart for special needs as there are applicants
    with special needs, and at least as many other seats as there are other
    applicants. Special-needs rooms are separate rooms (UNT-ROOM-19), so the
    two groups never share a room and neither borrows the other's seats.
    Reserve rooms are kept free for additional seating. Surplus seats are
    allowed: the fund is planned ahead of the final count (UNT-ROOM-1).

    Within a (stream, language, special-needs) group, the fewest opened rooms
    that hold it are used and balanced (D-15, see :func:`_balanced_counts`);
    applicants are taken in ascending ТЖК order and fill those rooms in
    ascending room order, so the result depends on nothing but the data.
    Other opened rooms of the group stay empty, and a group of fewer than
    five sits in one room, which :func:`small_group_warnings` reports. The special
    envelope goes to room 01 of the stream or, without it, to the
    lowest-numbered non-reserve room opened (UNT-ROOM-20, [DERIVED]).

    Examples
    --------
    >>> from ubt_domain.rooms.fund import Room, RoomEquipment
    >>> kit = RoomEquipment(ventilation=True, jammers=1, video_cameras=2)
    >>> fund = RoomFund(testing_point="001", building="A", rooms=(
    ...     Room(number=1, building="A", desks=15, seats=30, equipment=kit),))
    >>> opening = RoomOpening(stream=1, room=1, language=ExamLanguage.KAZAKH)
    >>> allocate(fund, [opening], {1: []}).rooms[0].special_envelope
    True
    """
    if not isinstance(applicants_by_stream, Mapping):
        raise DomainError(
            "UNT-ROOM-17",
            f"applicants_by_stream must map stream numbers to applicants, got "
            f"{type(applicants_by_stream).__name__}",
        )
    openings = tuple(openings)
    violations = validate_room_fund(fund, openings)
    if violations:
        raise DomainError(
            violations[0].rule_id,
            f"the room fund of testing point {fund.testing_point} breaks "
            f"{len(violations)} planning rule(s): " + "; ".join(v.message for v in violations),
        )
    rooms = _opened_rooms(fund, openings)
    groups = _group_applicants(applicants_by_stream)
    _check_fund_matches(rooms, groups, fund.testing_point)
    return Allocation(testing_point=fund.testing_point, rooms=_fill(rooms, groups))


_GroupKey = tuple[int, ExamLanguage, bool]  # stream, exam language, special needs


def _opened_rooms(fund: RoomFund, openings: Sequence[RoomOpening]) -> list[RoomAllocation]:
    """Empty allocations of the opened rooms; the openings are already validated."""
    envelope: dict[int, int] = {}
    for opening in openings:
        if not opening.reserve:
            envelope[opening.stream] = min(envelope.get(opening.stream, opening.room), opening.room)
    rooms = []
    for opening in sorted(openings, key=lambda o: (o.stream, o.room)):
        room = fund.room(opening.room)
        if room is None or opening.language is None:
            raise AssertionError("validate_room_fund reports unknown rooms and languages")
        rooms.append(
            RoomAllocation(
                stream=opening.stream,
                room=opening.room,
                language=opening.language,
                seats=room.seats,
                reserve=opening.reserve,
                special_needs=room.special_needs,
                special_envelope=envelope.get(opening.stream) == opening.room,
            )
        )
    return rooms


def _group_applicants(
    applicants_by_stream: Mapping[int, Sequence[Allocatable]],
) -> dict[_GroupKey, list[str]]:
    groups: dict[_GroupKey, list[str]] = {}
    streams_of: dict[str, int] = {}
    for stream, applicants in applicants_by_stream.items():
        for applicant in applicants:
            tzhk = applicant.tzhk
            if not isinstance(tzhk, str) or not tzhk.strip():
                raise DomainError(
                    "UNT-REG-2",
                    f"an applicant of stream {stream} has no ТЖК "
                    f"({tzhk!r}); every applicant has a personal code",
                )
            if tzhk in streams_of:
                raise DomainError(
                    "UNT-REG-2",
                    f"ТЖК {tzhk} appears twice (streams "
                    f"{streams_of[tzhk]} and {stream}); a ТЖК names one applicant",
                )
            # C-13: an English-track applicant sits in a room of the language
            # chosen for History of Kazakhstan; rooms are Kazakh or Russian.
            language = getattr(applicant, "room_language", applicant.exam_language)
            if language not in HISTORY_LANGUAGES:
                raise DomainError(
                    "UNT-ROOM-3",
                    f"applicant {tzhk} has exam language "
                    f"{language!r}; a room's language status is one of "
                    f"{sorted(lang.value for lang in HISTORY_LANGUAGES)}",
                )
            streams_of[tzhk] = stream
            key = (stream, ExamLanguage(language), bool(applicant.special_needs))
            groups.setdefault(key, []).append(tzhk)
    return {key: sorted(tzhks) for key, tzhks in groups.items()}


def _key(room: RoomAllocation) -> _GroupKey:
    return room.stream, room.language, room.special_needs


def _check_fund_matches(
    rooms: list[RoomAllocation], groups: dict[_GroupKey, list[str]], testing_point: str
) -> None:
    supply: Counter[_GroupKey] = Counter()
    for room in rooms:
        if not room.reserve:
            supply[_key(room)] += room.seats
    shortfalls = [
        f"stream {stream}, {language.value}{' special needs' if special else ''}: "
        f"{len(tzhks)} applicants for {supply[stream, language, special]} seats"
        for (stream, language, special), tzhks in sorted(groups.items())
        if len(tzhks) > supply[stream, language, special]
    ]
    if shortfalls:
        raise DomainError(
            "UNT-ROOM-18",
            f"the rooms opened at testing point {testing_point} do not match "
            "the applications: " + "; ".join(shortfalls),
        )


def _fill(
    rooms: list[RoomAllocation], groups: dict[_GroupKey, list[str]]
) -> tuple[RoomAllocation, ...]:
    """Give each group the fewest of its rooms that hold it, balanced (D-15)."""
    counts: dict[tuple[int, int], int] = {}
    for key, members in groups.items():
        usable = [room for room in rooms if not room.reserve and _key(room) == key]
        counts |= balanced_counts(usable, len(members))
    filled = []
    taken: Counter[_GroupKey] = Counter()
    for room in rooms:
        key = _key(room)
        count = counts.get((room.stream, room.room), 0)
        start = taken[key]
        tzhks = tuple(groups.get(key, [])[start : start + count])
        taken[key] += count
        filled.append(room.evolve(tzhks=tzhks))
    return tuple(filled)
