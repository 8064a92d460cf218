"""How many applicants each opened room takes, and which rooms stay too small (D-15).

In: the usable rooms of one group (stream, exam language, special needs) and
the group's size. Out: a count per room, as few rooms as hold the group and
spread evenly, and warnings for the rooms a group too small leaves behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ubt_domain.rooms.allocation import Allocation, RoomAllocation

__all__ = ["MIN_ROOM_APPLICANTS", "balanced_counts", "small_group_warnings"]

#: D-15: a room is opened for at least this many applicants (§142, §154).
MIN_ROOM_APPLICANTS = 5


def balanced_counts(
    usable: Sequence[RoomAllocation], applicants: int
) -> dict[tuple[int, int], int]:
    """How many applicants each room of one group takes, keyed by (stream, room).

    Implements D-15.

    Parameters
    ----------
    usable : sequence of RoomAllocation
        The group's opened rooms, reserve rooms left out.
    applicants : int
        The group's size.

    Returns
    -------
    dict of (int, int) to int
        Applicants per (stream, room); rooms left empty are absent.

    Notes
    -----
    The fewest rooms are the largest ones (ties: the lower number), taken
    until their seats hold the group. The group is then spread evenly: every
    room gets the same share, one more for the lowest-numbered rooms while
    any remain, and a room too small for the share is filled and the rest
    shared again (water filling). Since the rooms are as few as possible,
    no room is left with one or two applicants unless the whole group is
    that small, when it sits in one room (and the allocation warns).
    """
    if applicants == 0:
        return {}
    chosen: list[RoomAllocation] = []
    for room in sorted(usable, key=lambda r: (-r.seats, r.room)):
        if sum(r.seats for r in chosen) >= applicants:
            break
        chosen.append(room)
    counts: dict[tuple[int, int], int] = {}
    open_rooms = sorted(chosen, key=lambda r: r.room)
    remaining = applicants
    while open_rooms:
        share, extra = divmod(remaining, len(open_rooms))
        full = [r for r in open_rooms if r.seats <= share]
        if not full:
            for i, room in enumerate(open_rooms):
                counts[room.stream, room.room] = share + (1 if i < extra else 0)
            break
        for room in full:
            counts[room.stream, room.room] = room.seats
            remaining -= room.seats
        open_rooms = [r for r in open_rooms if r not in full]
    return counts


def small_group_warnings(allocation: Allocation) -> tuple[str, ...]:
    """Warnings for rooms opened for fewer than :data:`MIN_ROOM_APPLICANTS` applicants.

    Implements D-15.

    Parameters
    ----------
    allocation : Allocation
        A distribution made by :func:`allocate`.

    Returns
    -------
    tuple of str
        One line per non-empty room holding fewer than five applicants: its
        group had fewer than five, so it sits in one room that D-15 would
        rather not open (its box is opened before three, its materials
        carried by five); the state commission decides.

    Examples
    --------
    >>> from ubt_domain.models import ExamLanguage
    >>> from ubt_domain.rooms.allocation import Allocation, RoomAllocation
    >>> one = RoomAllocation(stream=1, room=3, language=ExamLanguage.RUSSIAN, seats=30,
    ...     tzhks=("000000001", "000000002"))
    >>> small_group_warnings(Allocation(testing_point="031", rooms=(one,)))
    ('stream 1, room 03 (ru): 2 applicant(s), fewer than 5; the group sits in one room',)
    """
    return tuple(
        f"stream {room.stream}, room {room.label} ({room.language.value}): "
        f"{len(room.tzhks)} applicant(s), fewer than {MIN_ROOM_APPLICANTS}; "
        f"the group sits in one room"
        for room in allocation.rooms
        if 0 < len(room.tzhks) < MIN_ROOM_APPLICANTS
    )
