"""Acceptance on the ``feeder-clipping`` profile: marks cut by the edge or covered.

A feeder whose image is no wider than the page cuts the outer corner of a
registration square on a skewed sheet, and now and then a thumb or a staple
covers one. Read on fixed-seed sheets, at least ``MIN_READ_SHARE`` must be
read, every one with no clear-cut slot in a wrong state, and every other one
refused with a reason naming the marks.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from omrkit.errors import OmrError
from omrkit.layout.models import load_layout
from omrkit.read.sheet import read_sheet
from omrkit.registration.homography import apply_homography
from omrkit.synth.simulate import SheetTruth, synthesize_sheet
from omrkit.types import SheetReading

SHEETS = 100
FIRST_SEED = 50_000
MIN_READ_SHARE = 0.99
CLEAR_LOW, CLEAR_HIGH = 0.40, 0.60
#: Largest distance (px) of any bubble from where the true transform puts it:
#: a tenth of a bubble's radius at 200 dpi.
MAX_BUBBLE_ERROR_PX = 2.0
MARK_IDS = frozenset(m.id for m in load_layout("ubt-answer").marks)


def _read(seed: int) -> tuple[int, SheetTruth, SheetReading | OmrError]:
    sheet = synthesize_sheet("ubt-answer", seed=seed, profile="feeder-clipping")
    source = sheet.jpeg if sheet.jpeg is not None else sheet.image
    try:
        return seed, sheet.truth, read_sheet(source, "ubt-answer")
    except OmrError as exc:
        return seed, sheet.truth, exc


@pytest.fixture(scope="module")
def readings() -> list[tuple[int, SheetTruth, SheetReading | OmrError]]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(_read, range(FIRST_SEED, FIRST_SEED + SHEETS)))


def test_feeder_clipped_sheets_are_read_right_or_refused_with_a_reason(
    readings: list[tuple[int, SheetTruth, SheetReading | OmrError]],
) -> None:
    layout = load_layout("ubt-answer")
    centres = layout.bubbles.centers_mm
    slot_of = np.repeat(
        np.arange(layout.bubbles.slot_offsets.size - 1), np.diff(layout.bubbles.slot_offsets)
    )
    read = refused = 0
    worst_px = 0.0
    for seed, truth, reading in readings:
        if isinstance(reading, OmrError):
            refused += 1
            assert reading.field is not None, (seed, str(reading))
            assert set(reading.field.split(",")) <= MARK_IDS, (seed, str(reading))
            continue
        read += 1
        homography = np.array(reading.homography).reshape(3, 3)
        error = np.abs(
            apply_homography(homography, centres) - apply_homography(truth.homography, centres)
        )
        worst_px = max(worst_px, float(error.max()))
        fills = np.array(reading.fill_ratios)
        true = truth.true_fractions
        clear = (true < CLEAR_LOW) | (true > CLEAR_HIGH)
        assert not ((fills >= 0.5) != (true >= 0.5))[clear].any(), (
            f"seed {seed}: wrong clear bubble"
        )
        slot_clear = np.ones(slot_of.max() + 1, dtype=bool)
        np.logical_and.at(slot_clear, slot_of, clear)
        states = [s for f in layout.fields for s in reading.fields[f.id].states]
        wrong = [
            k
            for k, (got, want) in enumerate(zip(states, truth.slot_states(layout), strict=True))
            if slot_clear[k] and got != want
        ]
        assert not wrong, f"seed {seed}: clear slots {wrong} in a wrong state"
    print(
        f"feeder-clipping: {read}/{SHEETS} read, {refused} refused, worst bubble {worst_px:.2f} px"
    )
    assert worst_px <= MAX_BUBBLE_ERROR_PX
    assert read >= MIN_READ_SHARE * SHEETS
