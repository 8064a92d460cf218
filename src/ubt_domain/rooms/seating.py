"""Random seat numbers for a ҰБТ room, drawn once (RULES 1.F).

On the morning of the exam the seating sheet of each room is printed; the
applicants' seat numbers are drawn at random at that moment, only once, and
only with a password from NTC (001 §52(11)). Here the randomness is a seed
the caller supplies: the draw is a pure function of (seed, stream, room,
applicants), the sealed :class:`SeatingPlan` records the SHA-256 commitment of
the seed, and the testing point's :class:`~ubt_domain.rooms.sealed.SeatingRegistry`
(the NTC password's verifier and the sealed rooms) is an immutable value
passed in and returned, so a second draw for a room needs an NTC override.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from typing import ClassVar

from pydantic import Field, model_validator

from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel, ExamLanguage
from ubt_domain.passwords import Override
from ubt_domain.rooms.allocation import RoomAllocation
from ubt_domain.rooms.fund import room_label
from ubt_domain.rooms.sealed import SeatingRegistry

__all__ = [
    "MIN_SEED_BYTES",
    "SeatAssignment",
    "SeatingPlan",
    "draw_seat_order",
    "seat_room",
    "seed_commitment",
]

MIN_SEED_BYTES = 16  # 128 bits: the commitment must not be invertible by guessing
_DOMAIN_TAG = b"ubt_domain.seating.v1"  # changing the algorithm means a new tag
_WORD_BYTES = 8
_WORD_RANGE = 1 << (8 * _WORD_BYTES)


class SeatAssignment(DomainModel):
    """An applicant's seat in a room of a stream.

    Parameters
    ----------
    tzhk : str
        The applicant's ТЖК.
    stream : int
        Stream number.
    room : int
        Room number.
    seat : int
        Seat number, from 1, as on the room's seat scheme (UNT-ROOM-11).
    additional : bool
        Seated by the state commission («Қосымша отырғызу», UNT-SEAT-9, D-8).
    protocol_ref : str or None
        Reference of the state-commission protocol, for additional seating.
    """

    malformed_rule: ClassVar[str] = "UNT-SEAT-3"

    tzhk: str = Field(min_length=1)
    stream: int = Field(ge=1)
    room: int = Field(ge=1)
    seat: int = Field(ge=1)
    additional: bool = False
    protocol_ref: str | None = None

    @model_validator(mode="after")
    def _additional_has_protocol(self) -> SeatAssignment:
        if self.additional and not (self.protocol_ref or "").strip():
            raise DomainError(
                "UNT-SEAT-9", "an additional seating needs the state-commission protocol ref"
            )
        return self


class SeatingPlan(DomainModel):
    """The sealed seating of one room of one stream: the seating sheet's content.

    Parameters
    ----------
    stream : int
        Stream number.
    room : int
        Room number.
    language : ExamLanguage
        The room's language status in the stream.
    seats : int
        Capacity of the room; seats are numbered 1..seats.
    seed_commitment : str
        Hex SHA-256 of the seed the seat numbers were drawn from.
    assignments : tuple of SeatAssignment
        Ordered by seat number (UNT-SEAT-2).
    """

    malformed_rule: ClassVar[str] = "UNT-SEAT-2"

    stream: int = Field(ge=1)
    room: int = Field(ge=1)
    language: ExamLanguage
    seats: int = Field(ge=1)
    seed_commitment: str = Field(pattern=r"^[0-9a-f]{64}$")
    assignments: tuple[SeatAssignment, ...]

    @model_validator(mode="after")
    def _consistent(self) -> SeatingPlan:
        seats = [a.seat for a in self.assignments]
        if seats != sorted(set(seats)) or any(s > self.seats for s in seats):
            raise DomainError(
                "UNT-SEAT-2", f"seats must be distinct, ascending and at most {self.seats}"
            )
        if len({a.tzhk for a in self.assignments}) != len(seats):
            raise DomainError("UNT-SEAT-3", "a ТЖК may hold only one seat")
        if any((a.stream, a.room) != (self.stream, self.room) for a in self.assignments):
            raise DomainError(
                "UNT-SEAT-3",
                f"every assignment must be in stream {self.stream}, room {self.room}",
            )
        return self

    @property
    def label(self) -> str:
        """The printed room number, ``"01"``."""
        return room_label(self.room)

    def seat_of(self, tzhk: str) -> int | None:
        """Return the seat of the applicant with this ТЖК, or ``None``."""
        return next((a.seat for a in self.assignments if a.tzhk == tzhk), None)

    def free_seats(self) -> tuple[int, ...]:
        """Return the seat numbers nobody holds, ascending."""
        taken = {a.seat for a in self.assignments}
        return tuple(seat for seat in range(1, self.seats + 1) if seat not in taken)


def seed_commitment(seed: bytes) -> str:
    """Return the hex SHA-256 of the seed, recorded in place of the seed.

    Implements UNT-SEAT-4: the commitment printed on the seating sheet lets
    anyone later given the seed check that the seats came from the one draw.

    Examples
    --------
    >>> seed_commitment(b"x" * 16)[:12]
    '9c5729595fb2'
    """
    return hashlib.sha256(seed).hexdigest()


def _words(seed: bytes, stream: int, room: int) -> Iterator[int]:
    """64-bit words of SHA-256 in counter mode over (tag, seed, stream, room)."""
    prefix = b"".join(
        (
            _DOMAIN_TAG,
            len(seed).to_bytes(8, "big"),
            seed,
            stream.to_bytes(4, "big"),
            room.to_bytes(4, "big"),
        )
    )
    counter = 0
    while True:
        block = hashlib.sha256(prefix + counter.to_bytes(8, "big")).digest()
        for start in range(0, len(block), _WORD_BYTES):
            yield int.from_bytes(block[start : start + _WORD_BYTES], "big")
        counter += 1


def _below(words: Iterator[int], bound: int) -> int:
    """A uniform integer in [0, bound): rejection sampling removes modulo bias."""
    limit = _WORD_RANGE - _WORD_RANGE % bound
    word = next(words)
    while word >= limit:
        word = next(words)
    return word % bound


def _check_seed(seed: bytes) -> None:
    if not isinstance(seed, bytes):
        raise DomainError("UNT-SEAT-3", f"the seed must be bytes, got {type(seed).__name__}")
    if len(seed) < MIN_SEED_BYTES:
        raise DomainError(
            "UNT-SEAT-3",
            f"the seed has {len(seed)} bytes; at least "
            f"{MIN_SEED_BYTES} are needed so that it cannot be guessed",
        )


def draw_seat_order(
    tzhks: Sequence[str], *, seed: bytes, stream: int, room: int
) -> tuple[str, ...]:
    """Return the applicants in seat order: the i-th holds seat i + 1.

    Implements UNT-SEAT-3.

    Parameters
    ----------
    tzhks : sequence of str
        ТЖК of the room's applicants, in any order.
    seed : bytes
        At least ``MIN_SEED_BYTES`` bytes of secret randomness.
    stream, room : int
        The stream and room, so one seed gives independent draws per room.

    Returns
    -------
    tuple of str
        A permutation of ``tzhks``.

    Notes
    -----
    The applicants are sorted by ТЖК first, so the input order plays no part.
    A Fisher-Yates shuffle then swaps position ``i`` (from the last down to 1)
    with a position drawn uniformly from ``0..i``. The draws come from
    SHA-256 in counter mode over a domain tag, the length-prefixed seed, the
    stream, the room and a 64-bit block counter, read as big-endian 64-bit
    words; rejection sampling makes every draw exactly uniform. Nothing here
    depends on the Python version or platform (the ``random`` module is
    neither stable across versions nor allowed in the domain), so anyone
    holding the seed can reproduce and audit the seating.

    Examples
    --------
    >>> order = draw_seat_order(["3", "1", "2"], seed=b"s" * 16, stream=1, room=1)
    >>> sorted(order)
    ['1', '2', '3']
    """
    _check_seed(seed)
    order = sorted(tzhks)
    if len(set(order)) != len(order):
        raise DomainError(
            "UNT-REG-2",
            f"a ТЖК appears twice in room {room_label(room)} of "
            f"stream {stream}; a ТЖК names one applicant",
        )
    words = _words(seed, stream, room)
    for i in range(len(order) - 1, 0, -1):
        j = _below(words, i + 1)
        order[i], order[j] = order[j], order[i]
    return tuple(order)


def seat_room(
    room: RoomAllocation,
    *,
    seed: bytes,
    password: str,
    registry: SeatingRegistry,
    override: Override | None = None,
) -> tuple[SeatingPlan, SeatingRegistry]:
    """Draw the seat numbers of a room once and seal them.

    Implements UNT-SEAT-2, UNT-SEAT-3, UNT-SEAT-4, UNT-SEAT-5.

    Parameters
    ----------
    room : RoomAllocation
        The room of a stream and the applicants distributed to it.
    seed : bytes
        Secret randomness (at least ``MIN_SEED_BYTES`` bytes) supplied by the
        caller; only its SHA-256 commitment is kept.
    password : str
        The password from NTC for printing the seating sheet, checked against
        the registry's verifier.
    registry : SeatingRegistry
        The testing point's seating record: the NTC password's verifier and
        the rooms already seated.
    override : Override or None
        Needed exactly when the room is already seated: the NTC's override
        (reason, who, when) with the NTC password, used once.

    Returns
    -------
    plan : SeatingPlan
        Seats 1..n for the n applicants, ordered by seat.
    registry : SeatingRegistry
        ``registry`` with this draw added (and the override's record, if any).

    Raises
    ------
    DomainError
        The password is refused (UNT-SEAT-5); the room of this stream is
        already seated and no valid, unused override is given, or an override
        is given for a first draw (UNT-SEAT-4); the seed is unusable
        (UNT-SEAT-3).

    Notes
    -----
    The applicants take seats 1..n and seats n+1..capacity stay free for
    additional seating (UNT-SEAT-9). The registry stands for the persisted
    record of 001 §52(11): the caller must store the returned one, since a
    pure function cannot remember that it already ran.

    Examples
    --------
    >>> from ubt_domain.passwords import password_verifier
    >>> room = RoomAllocation(stream=1, room=2, language="kk", seats=30, tzhks=("7", "8"))
    >>> verifier = password_verifier("pw", salt=b"s" * 16, log2_n=10)
    >>> empty = SeatingRegistry(verifier=verifier)
    >>> plan, registry = seat_room(room, seed=b"s" * 16, password="pw", registry=empty)
    >>> [a.seat for a in plan.assignments], registry.is_sealed(1, 2)
    ([1, 2], True)
    """
    where = f"room {room.label} of stream {room.stream}"
    if not registry.verifier.accepts(password):
        raise DomainError(
            "UNT-SEAT-5", f"the NTC password for the seating sheet of {where} was refused"
        )
    order = draw_seat_order(room.tzhks, seed=seed, stream=room.stream, room=room.room)
    commitment = seed_commitment(seed)
    plan = SeatingPlan(
        stream=room.stream,
        room=room.room,
        language=room.language,
        seats=room.seats,
        seed_commitment=commitment,
        assignments=tuple(
            SeatAssignment(tzhk=tzhk, stream=room.stream, room=room.room, seat=seat)
            for seat, tzhk in enumerate(order, start=1)
        ),
    )
    return plan, registry.sealing(room.stream, room.room, commitment, override=override)
