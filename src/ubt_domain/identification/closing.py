"""Closing a stream's identification (UNT-KEY-2).

A stream's identification can close only when every scanned sheet of every
room of the stream is identified, deleted or an unused spare, and every
variant that a room holds too many of has been checked against the booklets
(UNT-ID-12). :func:`close_stream_identification` checks exactly this and
returns a :class:`StreamIdentification`, the value scoring consumes. Opening
the key (the gate with its passwords, D-4) is not decided here: the key's own
gate asks for this value, so closing is one precondition of D-4, not D-4.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from typing import ClassVar

from pydantic import Field

from ubt_domain.errors import DomainError
from ubt_domain.identification.auto import RoomIdentification
from ubt_domain.identification.decisions import pending_variant_checks
from ubt_domain.identification.outcomes import Deleted, Identified, Unfilled
from ubt_domain.identification.roster import SeatingRow
from ubt_domain.models import DomainModel

__all__ = ["StreamIdentification", "close_stream_identification"]


class StreamIdentification(DomainModel):
    """The closed identification of one stream.

    Parameters
    ----------
    stream : int
        Stream (лек) number.
    rooms : tuple of int
        The stream's rooms, ascending.
    identified : tuple of Identified
        Every identified sheet, room by room: what scoring evaluates.
    deleted : tuple of Deleted
        Sheets decided «Жою»: not evaluated, not in the statement (UNT-ID-11).
    unfilled : tuple of Unfilled
        Spare sheets nobody wrote on.
    without_sheet : tuple of SeatingRow
        Applicants of the stream with no identified sheet: absent, or their
        sheet was not scanned (UNT-SCAN-5).
    """

    malformed_rule: ClassVar[str] = "UNT-KEY-2"

    stream: int = Field(ge=1)
    rooms: tuple[int, ...]
    identified: tuple[Identified, ...]
    deleted: tuple[Deleted, ...]
    unfilled: tuple[Unfilled, ...]
    without_sheet: tuple[SeatingRow, ...]


def close_stream_identification(
    rooms: Sequence[RoomIdentification], *, stream: int, expected_rooms: Collection[int]
) -> StreamIdentification:
    """Close a stream's identification, refusing while anything is unresolved.

    Implements UNT-KEY-2.

    Parameters
    ----------
    rooms : sequence of RoomIdentification
        The identification of each room of the stream.
    stream : int
        The stream being closed.
    expected_rooms : collection of int
        The room numbers the stream used; every one must be given.

    Returns
    -------
    StreamIdentification
        The identified, deleted and unfilled sheets and the applicants
        without a sheet.

    Raises
    ------
    DomainError
        (``UNT-KEY-2``) when a room belongs to another stream, a room is
        missing or given twice, a sheet is still in the protocol or a
        variant check is pending; (``UNT-ID-1``) when one applicant or one
        serial is identified in two rooms.
    """
    numbers = _check_rooms(rooms, stream=stream, expected_rooms=expected_rooms)
    blockers = [line for room in rooms for line in _blockers(room)]
    if blockers:
        raise DomainError("UNT-KEY-2", f"stream {stream} cannot be closed: {'; '.join(blockers)}")
    ordered = sorted(rooms, key=lambda r: r.roster.room)
    identified = tuple(o for room in ordered for o in room.identified)
    deleted = tuple(o for room in ordered for o in room.deleted)
    for what, values in (
        ("ТЖК", [o.tzhk for o in identified]),
        ("sheet serial", [o.serial for o in identified] + [d.serial for d in deleted]),
    ):
        repeated = sorted(str(v) for v, n in Counter(values).items() if n > 1 and v is not None)
        if repeated:
            raise DomainError(
                "UNT-ID-1",
                f"stream {stream}: {what} {', '.join(repeated)} is identified in more than one "
                f"room; one applicant has one sheet",
            )
    tzhks = {o.tzhk for o in identified}
    return StreamIdentification(
        stream=stream,
        rooms=numbers,
        identified=identified,
        deleted=deleted,
        unfilled=tuple(o for room in ordered for o in room.unfilled),
        without_sheet=tuple(
            row
            for room in ordered
            for row in (*room.roster.seating, *room.roster.additional_seatings)
            if row.tzhk not in tzhks
        ),
    )


def _check_rooms(
    rooms: Sequence[RoomIdentification], *, stream: int, expected_rooms: Collection[int]
) -> tuple[int, ...]:
    for room in rooms:
        if room.roster.stream != stream:
            raise DomainError(
                "UNT-KEY-2",
                f"room {room.roster.room:02d} belongs to stream {room.roster.stream}, "
                f"not to stream {stream}",
            )
    numbers = [room.roster.room for room in rooms]
    repeated = sorted(n for n, c in Counter(numbers).items() if c > 1)
    missing = sorted(set(expected_rooms) - set(numbers))
    extra = sorted(set(numbers) - set(expected_rooms))
    if repeated or missing or extra:
        raise DomainError(
            "UNT-KEY-2",
            f"stream {stream}: rooms given twice {repeated}, missing {missing}, not in the "
            f"stream {extra}; give each of the stream's rooms once",
        )
    return tuple(sorted(numbers))


def _blockers(room: RoomIdentification) -> list[str]:
    label = f"room {room.roster.room:02d}"
    lines: list[str] = []
    waiting = room.unidentified
    if waiting:
        serials = ", ".join(str(o.serial) for o in waiting)
        lines.append(f"{label}: {len(waiting)} sheet(s) in the protocol (serials {serials})")
    unchecked = pending_variant_checks(room)
    if unchecked:
        serials = ", ".join(str(o.serial) for o in unchecked)
        lines.append(f"{label}: variant identification pending (serials {serials})")
    return lines
