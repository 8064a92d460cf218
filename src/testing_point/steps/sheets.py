"""Answer sheets: read a room's scans into Parquet parts and reference them in the store.

Implements UNT-SCAN-4 on the service side: every room is scanned twice, and
both scans are read and kept. omrkit's :func:`~omrkit.read.sink.write_batch`
commits Parquet parts with a manifest and resumes exactly once after a crash;
this step then references every sheet by its content id (SHA-256 of the scan
file) in one transaction, so a rerun neither loses nor doubles a sheet.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl

from omrkit.decide import decide_slots, decode_fields
from omrkit.layout.models import SheetLayout, load_layout
from omrkit.read.sink import load_results, write_batch
from omrkit.types import RegistrationQuality, SheetReading
from testing_point.store import Store

__all__ = ["ANSWER_LAYOUT", "read_room", "readings_dir", "room_readings"]

ANSWER_LAYOUT = "ubt-answer"
_READINGS = "readings"


def readings_dir(store_dir: Path, stream: int, room: int, scan: int) -> Path:
    """Where the Parquet parts of one scan of one room live, beside the store."""
    return store_dir / _READINGS / f"s{stream}-r{room:02d}-scan{scan}"


def read_room(
    store: Store,
    store_dir: Path,
    scans: Path,
    *,
    stream: int,
    room: int,
    scan: int,
    progress: bool | Callable[[int, int], None] = False,
    workers: int | None = None,
) -> int:
    """Read one scan of a room's sheets and reference them; returns the sheets newly referenced.

    Parameters
    ----------
    scans : path
        The folder of the room's scan files.
    scan : {1, 2}
        First or second scan (UNT-SCAN-4).
    """
    out = readings_dir(store_dir, stream, room, scan)
    write_batch(scans, ANSWER_LAYOUT, out, progress=progress, workers=workers)
    frame = load_results(out)
    added = 0
    with store.transaction():
        for part_row in frame.iter_rows(named=True):
            added += store.add_sheet(
                part_row["sheet_id"],
                stream=stream,
                room=room,
                scan=scan,
                source=Path(part_row["source"]).name,
                part=out.name,
                serial=part_row["serial"],
                error_kind=part_row["error_kind"],
            )
    return added


def room_readings(store_dir: Path, stream: int, room: int, scan: int) -> list[SheetReading]:
    """The readings of one scan of a room, rebuilt from its Parquet parts.

    Fields are decided again from the stored fill ratios by omrkit's 50 % rule
    (:func:`omrkit.decide.decide_slots`); sheets omrkit could not read are left
    out (they are in the store with their ``error_kind`` for a re-scan).
    """
    layout = load_layout(ANSWER_LAYOUT)
    frame = load_results(readings_dir(store_dir, stream, room, scan))
    frame = frame.filter(pl.col("error_kind").is_null()).sort("source")
    return [_reading(layout, row) for row in frame.iter_rows(named=True)]


def _reading(layout: SheetLayout, row: dict[str, object]) -> SheetReading:
    fills = np.asarray(row["fill_ratios"], dtype=np.float64)
    decisions = decide_slots(fills, layout.bubbles)
    quality = RegistrationQuality(
        residual_px=float(row["residual_px"]),  # type: ignore[arg-type]
        skew_deg=float(row["skew_deg"]),  # type: ignore[arg-type]
        scale=float(row["scale_px_per_mm"]),  # type: ignore[arg-type]
        upside_down=bool(row["upside_down"]),
    )
    return SheetReading(
        sheet_id=str(row["sheet_id"]),
        source=str(row["source"]),
        layout_id=layout.layout_id,
        serial=None if row["serial"] is None else int(row["serial"]),  # type: ignore[call-overload]
        quality=quality,
        fill_ratios=tuple(float(f) for f in fills),
        fields=decode_fields(layout, decisions),
    )
