"""Identification: match a room's read sheets to its seating, the commission's rows, closing.

Implements, through :mod:`ubt_domain.identification`, UNT-ID-1/2/4 (automatic
identification of the first scan), UNT-ID-5…8 (the protocol, printed as PDF),
the commission's decisions on the protocol's lower table, and UNT-ID-13 (a
stream's identification closes once: the store's ``closings`` row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from testing_point.steps.sheets import room_readings
from testing_point.store import Store
from ubt_domain.identification.auto import RoomIdentification, identify_room
from ubt_domain.identification.closing import StreamIdentification, close_stream_identification
from ubt_domain.identification.decisions import apply_commission_rows
from ubt_domain.identification.outcomes import CommissionRow
from ubt_domain.identification.roster import RoomRoster
from ubt_domain.identification.sheets import answer_sheet_data
from ubt_domain.identification.tables import IdentificationProtocol, identification_protocol

__all__ = [
    "ROOM_IDENTIFICATION",
    "ROSTER",
    "close_identification",
    "closed_identification",
    "decide",
    "identify",
    "rosters",
]

ROSTER = "roster"  # key: "stream-room"
ROOM_IDENTIFICATION = "room-identification"  # key: "stream-room"
STEP = "identification"


def _key(stream: int, room: int) -> str:
    return f"{stream}-{room:02d}"


def rosters(store: Store, stream: int) -> list[RoomRoster]:
    """The stream's room rosters, by room."""
    found = [RoomRoster.model_validate_json(store.get(ROSTER, k) or "") for k in store.keys(ROSTER)]
    return [r for r in found if r.stream == stream]


def identify(
    store: Store,
    store_dir: Path,
    roster: RoomRoster,
    *,
    at: dt.datetime,
    testing_point: str,
    documents: Path,
) -> IdentificationProtocol:
    """Identify a room's first scan automatically; print and return its protocol.

    A room identified before keeps its state (and the commission's rows entered
    since): a rerun only prints the protocol again.
    """
    key = _key(roster.stream, roster.room)
    with store.transaction():
        body = store.get(ROOM_IDENTIFICATION, key)
        if body is None:
            sheets = [
                answer_sheet_data(r)
                for r in room_readings(store_dir, roster.stream, roster.room, scan=1)
            ]
            state = identify_room(roster, sheets)
            store.put(ROSTER, key, roster.model_dump_json(), at=at)
            store.put(ROOM_IDENTIFICATION, key, state.model_dump_json(), at=at)
        else:
            state = RoomIdentification.model_validate_json(body)
    protocol = identification_protocol(state)
    _print(protocol, roster, documents, testing_point, at.date())
    return protocol


def decide(
    store: Store,
    stream: int,
    room: int,
    rows: Sequence[CommissionRow],
    *,
    at: dt.datetime,
    testing_point: str,
    documents: Path,
) -> IdentificationProtocol:
    """Enter the commission's rows for a room's protocol; returns the protocol after them."""
    key = _key(stream, room)
    with store.transaction():
        state = RoomIdentification.model_validate_json(store.get(ROOM_IDENTIFICATION, key) or "")
        pending = {r.sheet_id for r in identification_protocol(state).lower if not r.resolved}
        fresh = [r for r in rows if r.sheet_id in pending]  # a rerun enters nothing twice
        if fresh:
            state = apply_commission_rows(state, fresh)
            store.put(ROOM_IDENTIFICATION, key, state.model_dump_json(), at=at)
    protocol = identification_protocol(state)
    roster = RoomRoster.model_validate_json(store.get(ROSTER, key) or "")
    _print(protocol, roster, documents, testing_point, at.date())
    return protocol


def close_identification(
    store: Store, stream: int, *, expected_rooms: Sequence[int], at: dt.datetime
) -> StreamIdentification:
    """Close the stream's identification once (UNT-ID-13); a rerun returns the closing."""
    with store.transaction():
        done = store.closing(STEP, stream)
        if done is not None:
            return StreamIdentification.model_validate_json(done)
        states = [
            RoomIdentification.model_validate_json(store.get(ROOM_IDENTIFICATION, k) or "")
            for k in store.keys(ROOM_IDENTIFICATION)
            if k.startswith(f"{stream}-")
        ]
        closed = close_stream_identification(states, stream=stream, expected_rooms=expected_rooms)
        store.close_step(STEP, stream, closed.model_dump_json(), at=at)
    return closed


def closed_identification(store: Store, stream: int) -> StreamIdentification | None:
    """The stream's closed identification, or ``None`` while it is open."""
    body = store.closing(STEP, stream)
    return None if body is None else StreamIdentification.model_validate_json(body)


def _print(
    protocol: IdentificationProtocol,
    roster: RoomRoster,
    documents: Path,
    testing_point: str,
    day: dt.date,
) -> None:
    from ubt_domain.documents.identification_protocol import identification_protocol_pdf

    documents.mkdir(parents=True, exist_ok=True)
    pdf = identification_protocol_pdf(protocol, testing_point=testing_point, exam_date=day)
    (documents / f"identification-s{roster.stream}-r{roster.room:02d}.pdf").write_bytes(pdf)
