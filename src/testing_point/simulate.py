"""The simulated world around a testing point: filled forms and answer sheets as scans.

The demo and the workflow's tests need scans that look like a real exam day:
application forms as the sample people paint them, and every room's answer
sheets with planted problems the procedure must catch: a wrong seat painted
on a sheet (the identification protocol), double marks and marks near the
50 % line (omrkit's fill profile plants them), and a room scanned twice
(UNT-SCAN-4). Everything is a function of the seed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from omrkit.layout.models import load_layout
from omrkit.synth.plan import LEFT_BLANK
from omrkit.synth.simulate import synthesize_sheet
from ubt_domain.rooms.seating import SeatAssignment, SeatingPlan

__all__ = [
    "SEATS_PER_ROOM",
    "VARIANTS",
    "SheetTruth",
    "render_forms",
    "scan_room",
    "serial_of",
    "subjects_of",
    "variant_of",
]

FORM_LAYOUT = "ubt-application"
ANSWER_LAYOUT = "ubt-answer"
SEATS_PER_ROOM = 40
VARIANTS = ("1001", "1002", "1003", "1004")
SUBJECT_PAIRS = (("02", "05"), ("03", "04"), ("06", "07"))
JPEG_QUALITY = 90  # what a testing point's scanner writes
SECOND_SCAN_NOISE = 2.0  # grey levels of sensor noise between two scans
WRONG_SEAT_EVERY = 37  # every so many sheets, the applicant paints the seat wrong


def serial_of(stream: int, room: int, seat: int) -> int:
    """The serial printed on the sheet laid at ``seat`` (the room's envelope, in seat order)."""
    return stream * 10_000 + room * 100 + seat


def variant_of(seat: int) -> str:
    """The booklet variant handed out at ``seat``: neighbours differ."""
    return VARIANTS[(seat - 1) % len(VARIANTS)]


def subjects_of(tzhk: str) -> tuple[str, str]:
    """The two profile subjects the applicant chose."""
    return SUBJECT_PAIRS[int(tzhk) % len(SUBJECT_PAIRS)]


def _seed(*parts: object) -> int:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "big")


def _workers() -> int:
    return os.cpu_count() or 1


def _write(path: Path, image: npt.NDArray[np.uint8]) -> None:
    ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise RuntimeError(f"could not encode {path}")
    path.write_bytes(buffer.tobytes())


def render_forms(forms: Mapping[str, Mapping[str, str]], out_dir: Path, *, seed: int) -> list[Path]:
    """Paint and scan each application form (name → field values) into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)

    def one(name: str) -> Path:
        sheet = synthesize_sheet(FORM_LAYOUT, seed=_seed(seed, "form", name), values=forms[name])
        path = out_dir / f"{name}.jpg"
        _write(path, sheet.image)
        return path

    with ThreadPoolExecutor(_workers()) as pool:  # each form its own seed: order-free
        return list(pool.map(one, forms))


@dataclass(frozen=True)
class SheetTruth:
    """What the commission finds from the booklet and the seating sheet for one sheet."""

    tzhk: str
    seat: int
    serial: int
    painted_seat: int
    intended: dict[str, tuple[str, ...]]  # slot id -> symbols the applicant meant
    doubled: frozenset[str]  # slot ids with a planted over-mark


def scan_room(
    plan: SeatingPlan,
    out_dirs: tuple[Path, Path],
    *,
    seed: int,
    progress: Callable[[int], None] | None = None,
) -> list[SheetTruth]:
    """Simulate a room's filled answer sheets, scanned twice into ``out_dirs``.

    Every seated applicant fills the sheet at their seat; every
    :data:`WRONG_SEAT_EVERY`-th paints the next seat instead (the protocol
    must catch it). Answers, double marks and near-threshold marks follow
    omrkit's default fill profile.
    """
    for folder in out_dirs:
        folder.mkdir(parents=True, exist_ok=True)
    layout = load_layout(ANSWER_LAYOUT)
    slots = [str(s) for s in layout.bubbles.slot_ids]

    def one(a: SeatAssignment) -> SheetTruth:
        serial = serial_of(plan.stream, plan.room, a.seat)
        wrong = _seed(seed, "wrong-seat", a.tzhk) % WRONG_SEAT_EVERY == 0
        painted = a.seat + 1 if wrong else a.seat
        first, second = subjects_of(a.tzhk)
        values = {
            "tzhk": a.tzhk, "room": f"{plan.room:02d}", "seat": f"{painted:03d}",
            "variant": variant_of(a.seat), "profile_subject_1": first,
            "profile_subject_2": second, "exam_language": plan.language.value,
            "creative": LEFT_BLANK,
        }  # fmt: skip
        sheet = synthesize_sheet(
            ANSWER_LAYOUT, seed=_seed(seed, "answers", a.tzhk), values=values, serial=serial
        )
        rng = np.random.default_rng(_seed(seed, "second-scan", a.tzhk))
        # The same sheet through the scanner again: the same marks, the sensor's new noise.
        again = np.clip(sheet.image + rng.normal(0.0, SECOND_SCAN_NOISE, sheet.image.shape), 0, 255)
        _write(out_dirs[0] / f"sheet-{serial}.jpg", sheet.image)
        _write(out_dirs[1] / f"sheet-{serial}.jpg", again.astype(np.uint8))
        intended = dict(zip(slots, sheet.truth.intended, strict=True))
        doubled = frozenset(s for s, d in zip(slots, sheet.truth.planted_double, strict=True) if d)
        if progress is not None:
            progress(1)
        return SheetTruth(a.tzhk, a.seat, serial, painted, intended, doubled)

    with ThreadPoolExecutor(_workers()) as pool:  # each sheet its own seeds: order-free
        truths = list(pool.map(one, plan.assignments))
    return truths
