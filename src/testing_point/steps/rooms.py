"""Rooms: allocate applicants to the room fund, seal each room's seating, print seating sheets.

Implements, through :mod:`ubt_domain.rooms`, UNT-ROOM-* (allocation by stream
and language) and UNT-SEAT-4 (the sealed draw). The draw happens once per
room: the store refuses a second one without a recorded NTC override, so a
rerun after a crash finds the sealed plan and draws nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from testing_point.store import Store
from ubt_domain.application.applicants import Applicant
from ubt_domain.passwords import PasswordVerifier
from ubt_domain.rooms.allocation import RoomAllocation, allocate
from ubt_domain.rooms.fund import RoomFund, RoomOpening
from ubt_domain.rooms.sealed import SeatingRegistry
from ubt_domain.rooms.seating import SeatingPlan, seat_room

__all__ = ["plans", "seat_rooms", "seating_sheets"]


def _draw(
    room: RoomAllocation, seed: bytes, password: str, verifier: PasswordVerifier
) -> SeatingPlan:
    """The one call to the domain's draw: a fresh registry, the store keeps the seal."""
    plan, _ = seat_room(
        room, seed=seed, password=password, registry=SeatingRegistry(verifier=verifier)
    )
    return plan


def seat_rooms(
    store: Store,
    fund: RoomFund,
    openings: Iterable[RoomOpening],
    by_stream: Mapping[int, Sequence[Applicant]],
    *,
    seed: bytes,
    password: str,
    verifier: PasswordVerifier,
    at: dt.datetime,
) -> list[SeatingPlan]:
    """Allocate and seal every room's seating in one transaction; returns the plans.

    Rooms sealed by an earlier run keep their plan (the store's seal); only
    unsealed rooms are drawn. ``seed`` is the draw's randomness, mixed with
    the stream and room so each room's draw differs.
    """
    allocation = allocate(fund, openings, by_stream)
    with store.transaction():
        for room in allocation.rooms:
            if store.seating(room.stream, room.room) is not None:
                continue
            room_seed = hashlib.sha256(seed + f"|{room.stream}|{room.room}".encode()).digest()
            plan = _draw(room, room_seed, password, verifier)
            commitment = hashlib.sha256(plan.model_dump_json().encode()).hexdigest()
            store.seal_seating(room.stream, room.room, plan.model_dump_json(), commitment, at=at)
    return plans(store)


def plans(store: Store) -> list[SeatingPlan]:
    """Every sealed room's current plan, by stream and room."""
    return [SeatingPlan.model_validate_json(body) for body in store.seating_plans()]


def seating_sheets(
    store: Store, out_dir: Path, *, names: Mapping[str, str], testing_point: str, exam_date: dt.date
) -> list[Path]:
    """Print every room's seating sheet as PDF into ``out_dir``; returns the files."""
    from ubt_domain.documents.seating_sheet import seating_sheet_pdf

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for plan in plans(store):
        path = out_dir / f"seating-s{plan.stream}-r{plan.room:02d}.pdf"
        pdf = seating_sheet_pdf(plan, names=names, testing_point=testing_point, exam_date=exam_date)
        path.write_bytes(pdf)
        written.append(path)
    return written
