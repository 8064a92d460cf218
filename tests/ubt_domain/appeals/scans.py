"""Simulated answer sheets with a known fill planted in chosen bubbles, re-measured by omrkit.

Everything here is the caller's side of a technical appeal: pixels and
omrkit. The domain only ever sees the numbers :func:`slot_evidence` returns.

A fill is planted with omrkit's own simulation pieces: an empty fill plan
except for the chosen bubbles, painted by :func:`omrkit.synth.page.paint_plan`
(whose partial fills cover the target share of the inner disc to one
sub-pixel), then scanned by :func:`omrkit.synth.degrade.degrade_page`. The
same painted page is scanned twice, as the stored test-day scan and as the
scan made for the appeal (UNT-APL-27).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from omrkit.annotate import slot_crops
from omrkit.layout.models import SheetLayout, load_layout
from omrkit.read.sheet import ReadOptions, read_sheet
from omrkit.synth.degrade import degrade_page
from omrkit.synth.page import page_template, paint_plan, stamp_code
from omrkit.synth.plan import FULL_FRACTION, FillPlan
from omrkit.synth.profiles import DegradationProfile
from omrkit.synth.strokes import Instrument, MarkKind
from omrkit.types import SheetReading

LAYOUT = "ubt-answer"
DPI = 200
#: A flatbed scan with the page lying square: sensor noise, paper and ink
#: levels and uneven light, but no resampling and no blur. On omrkit's
#: "default" profile the measured fill of a bubble painted 49 % or 51 % was off
#: by up to 2.6 % (mean +0.5 %, 20 of 80 scans beyond 1 %); without blur but
#: with the page moved, up to 1.5 % (10 of 80): enough to flip the 50 % rule.
#: On this profile it stays within 0.9 % (80 scans), see
#: test_remeasured_fill_is_within_a_percent_of_the_truth.
PROFILE = DegradationProfile(
    name="flatbed-square",
    noise_sigma=(1.0, 3.0),
    paper_level=(235.0, 250.0),
    black_level=(10.0, 25.0),
    illumination=0.05,
)
SERIAL = 4242


@dataclass(frozen=True)
class Scan:
    """One scan of a sheet: pixels, the PNG file kept, and its reading."""

    image: npt.NDArray[np.uint8]
    png: bytes
    reading: SheetReading

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.png).hexdigest()


def layout() -> SheetLayout:
    return load_layout(LAYOUT)


def slot_bubbles(slot_id: str) -> tuple[range, tuple[str, ...]]:
    """Bubble indices of a slot and their symbols, in layout order."""
    arrays = layout().bubbles
    s = list(arrays.slot_ids).index(slot_id)
    lo, hi = int(arrays.slot_offsets[s]), int(arrays.slot_offsets[s + 1])
    return range(lo, hi), tuple(str(arrays.symbols[i]) for i in range(lo, hi))


def painted_page(
    fills: Mapping[int, float], *, seed: int
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float64]]:
    """The printed page with ``fills`` (bubble index -> share of the inner disc) painted in pen.

    Returns the page and the exact painted fraction of every bubble.
    """
    sheet = layout()
    arrays = sheet.bubbles
    template = page_template(sheet, DPI)
    kinds = [MarkKind.NONE] * arrays.n_bubbles
    targets = np.full(arrays.n_bubbles, np.nan)
    for bubble, fraction in fills.items():
        kinds[bubble] = MarkKind.FULL if fraction >= FULL_FRACTION[0] else MarkKind.PARTIAL
        targets[bubble] = fraction
    plan = FillPlan(
        kinds=tuple(kinds),
        targets=targets,
        instrument=Instrument.PEN,
        intended=tuple(() for _ in range(arrays.n_slots)),
        planted_double=np.zeros(arrays.n_slots, dtype=bool),
    )
    page = template.page.copy()
    assert sheet.serial_code is not None
    stamp_code(page, sheet.serial_code, SERIAL, template.px_per_mm)
    painted, _, _ = paint_plan(page, plan, template, np.random.default_rng(seed))
    return page, painted


def scan(page: npt.NDArray[np.float32], *, seed: int, options: ReadOptions | None = None) -> Scan:
    """Scan a painted page with the everyday profile and read it with omrkit."""
    sheet = layout()
    template = page_template(sheet, DPI)
    scanned = degrade_page(
        page.copy(),
        profile=PROFILE,
        rng=np.random.default_rng(seed),
        px_per_mm=template.px_per_mm,
        keep_inside_px=template.mark_corners_px,
    )
    ok, buffer = cv2.imencode(".png", scanned.image)
    assert ok
    png = buffer.tobytes()
    reading = read_sheet(png, sheet, options=options or ReadOptions())
    return Scan(scanned.image, png, reading)


def slot_fills(reading: SheetReading, slot_id: str) -> tuple[float, ...]:
    """Fill ratio of every bubble of the slot, as omrkit measured it."""
    bubbles, _ = slot_bubbles(slot_id)
    return tuple(reading.fill_ratios[i] for i in bubbles)


def recorded_marks(reading: SheetReading, slot_id: str, threshold: float) -> tuple[str, ...]:
    """What a reading at ``threshold`` recorded as marked in the slot (a test-day record)."""
    bubbles, symbols = slot_bubbles(slot_id)
    return tuple(
        s for i, s in zip(bubbles, symbols, strict=True) if reading.fill_ratios[i] >= threshold
    )


def slot_png(found: Scan, slot_id: str) -> bytes:
    """The upright crop of a slot, as PNG bytes (omrkit.annotate.slot_crops)."""
    crop = slot_crops(found.image, layout(), found.reading)[slot_id]
    ok, buffer = cv2.imencode(".png", crop)
    assert ok
    return buffer.tobytes()
