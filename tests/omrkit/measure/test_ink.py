"""The sheet's own ink: accuracy and review flags on simulated ink profiles.

Bars (per profile, fixed seeds, a few sheets each): for every profile whose
marks are at least 0.35 of the paper-to-black range dark, fill MAE <= 0.03,
p99.9 <= 0.08, no wrong decision where the true fill is outside 0.40-0.60 and
no wrong decision without a review flag; erasure residue reads <= 0.05.
Fainter marks are flagged, never read silently. Figures are printed (``-s``).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from omrkit.decide import decide_slots
from omrkit.layout.models import load_layout
from omrkit.measure.ink import FAINT_REASON, measure_ink
from omrkit.read.batch import readings_frame
from omrkit.read.sheet import read_sheet
from omrkit.render import render_sheet
from omrkit.synth.inks import INK_PROFILES, synthesize_ink_sheet
from omrkit.types import SheetReading

LAYOUT_ID = "ubt-answer"
SHEETS = 3
SEED = 40_000
MAE_BAR, P999_BAR, ERASURE_BAR = 0.03, 0.08, 0.05
CLEAR_LOW, CLEAR_HIGH = 0.40, 0.60
READABLE = sorted(name for name, p in INK_PROFILES.items() if p.darkness[0] >= 0.35)
FAINT = sorted(name for name, p in INK_PROFILES.items() if p.darkness[0] < 0.35)


@dataclass(frozen=True)
class ProfileRun:
    true: npt.NDArray[np.float64]
    read: npt.NDArray[np.float64]
    kinds: npt.NDArray[np.str_]
    review: npt.NDArray[np.bool_]
    readings: tuple[SheetReading, ...]


def _run(name: str) -> ProfileRun:
    layout = load_layout(LAYOUT_ID)
    offsets = layout.bubbles.slot_offsets
    slot_of = np.repeat(np.arange(offsets.size - 1), np.diff(offsets))
    true, read, kinds, review, readings = [], [], [], [], []
    for seed in range(SEED, SEED + SHEETS):
        sheet = synthesize_ink_sheet(layout, name, seed=seed)
        reading = read_sheet(sheet.jpeg if sheet.jpeg is not None else sheet.image, layout)
        slot_review = np.concatenate([f.review for f in reading.fields.values()])
        true.append(sheet.truth.true_fractions)
        read.append(np.asarray(reading.fill_ratios))
        kinds.append([k.value for k in sheet.truth.mark_kinds])
        review.append(slot_review[slot_of])
        readings.append(reading)
    return ProfileRun(np.array(true), np.array(read), np.array(kinds), np.array(review),
                      tuple(readings))  # fmt: skip


def _wrong(run: ProfileRun) -> npt.NDArray[np.bool_]:
    return (run.read >= 0.5) != (run.true >= 0.5)


@pytest.mark.slow
@pytest.mark.parametrize("name", READABLE)
def test_unt_score_1_ink_profile_reads_within_the_bars(name: str) -> None:
    """Marks of every readable ink are measured by area and every doubtful decision is flagged."""
    run = _run(name)
    drawn = run.kinds != "none"
    err = np.abs(run.read - run.true)[drawn]
    mae, p999 = float(err.mean()), float(np.quantile(err, 0.999))
    wrong = _wrong(run)
    clear = (run.true < CLEAR_LOW) | (run.true > CLEAR_HIGH)
    erased = run.read[run.kinds == "ghost"]
    ink = [r.ink.ink_darkness if r.ink else () for r in run.readings]
    print(
        f"{name}: {err.size} marks, MAE {mae:.4f}, p99.9 {p999:.4f}, "
        f"wrong clear {int((wrong & clear).sum())}, wrong unflagged "
        f"{int((wrong & ~run.review).sum())}, erasures {erased.size} max {erased.max():.3f}, "
        f"ink levels {[tuple(round(d, 2) for d in i) for i in ink]}"
    )
    assert mae <= MAE_BAR
    assert p999 <= P999_BAR
    assert not (wrong & clear).any()
    assert not (wrong & ~run.review).any()
    assert erased.size > 0
    assert erased.max() <= ERASURE_BAR
    assert not any(r.ink is not None and r.ink.faint for r in run.readings)


@pytest.mark.slow
@pytest.mark.parametrize("name", FAINT)
def test_unt_score_1_too_faint_ink_is_flagged_never_silent(name: str) -> None:
    """A sheet of marks too faint to separate from paper is flagged whole, with a reason."""
    run = _run(name)
    wrong = _wrong(run)
    print(f"{name}: wrong {int(wrong.sum())}, unflagged {int((wrong & ~run.review).sum())}")
    assert not (wrong & ~run.review).any()
    for reading in run.readings:
        assert reading.ink is not None
        assert reading.ink.faint
        assert reading.ink.reason == FAINT_REASON
        assert reading.needs_review
        assert "ink-faint" in reading.flags
    frame = readings_frame(list(run.readings))
    assert frame["ink_faint"].to_list() == [True] * SHEETS
    assert frame["review_reason"].to_list() == [FAINT_REASON] * SHEETS


def test_mixed_pressure_sheet_reports_two_ink_levels() -> None:
    """A sheet mixing a light and a firm pressure is read with one ink level per pressure."""
    sheet = synthesize_ink_sheet(LAYOUT_ID, "mixed-pressure", seed=SEED, profile="none")
    reading = read_sheet(sheet.image, LAYOUT_ID)
    assert reading.ink is not None
    light, dark = reading.ink.ink_darkness
    assert 0.35 <= light <= 0.5
    assert 0.75 <= dark <= 0.95
    assert all(sep > 3 for sep in reading.ink.separation)


def test_pen_sheet_reports_its_levels_in_the_batch_frame() -> None:
    """The ink level and separation of each sheet are columns of the batch frame."""
    sheet = synthesize_ink_sheet(LAYOUT_ID, "ballpoint-black", seed=SEED + 1, profile="none")
    reading = read_sheet(sheet.image, LAYOUT_ID)
    row = readings_frame([reading]).row(0, named=True)
    assert row["ink_faint"] is False
    assert row["review_reason"] is None
    assert row["paper_grey"] > 200
    assert len(row["ink_grey"]) == 1
    assert row["ink_grey"][0] < 60
    assert row["ink_separation"][0] > 10


def test_blank_sheet_has_no_ink_and_no_flag() -> None:
    """A blank printed sheet reads <= 0.02 everywhere and is not flagged as faint."""
    layout = load_layout(LAYOUT_ID)
    png = render_sheet(layout, format="png", serial=3)
    reading = read_sheet(png, layout)
    assert max(reading.fill_ratios) <= 0.02
    assert reading.ink is not None
    assert not reading.ink.faint
    assert reading.ink.ink_darkness == ()


def test_weak_bubbles_flag_their_slots() -> None:
    """decide_slots sends the slot of a weakly separated bubble to review, whatever its fill."""
    arrays = load_layout(LAYOUT_ID).bubbles
    fills = np.zeros(arrays.n_bubbles)
    fills[0] = 0.95
    weak = np.zeros(arrays.n_bubbles, dtype=bool)
    weak[0] = True
    decisions = decide_slots(fills, arrays, weak_bubbles=weak)
    assert decisions.slot_review[0]
    assert not decisions.slot_review[1:].any()
    with pytest.raises(ValueError, match="weak_bubbles"):
        decide_slots(fills, arrays, weak_bubbles=weak[:-1])


def _hand_drawn(ink_grey: int, seed: int) -> tuple[bytes, dict[int, float]]:
    """The rendered sheet on grey paper, bubbles painted with cv2 in one grey, as JPEG.

    Independent of the simulator: whole discs (a few half discs and
    erasure-grey discs) drawn with ``cv2.circle``/``cv2.ellipse`` straight on
    the render, levels squeezed to paper ~240, then noise and JPEG q=85.
    Returns the file and the intended fill of every painted bubble.
    """
    layout = load_layout(LAYOUT_ID)
    dpi = 200
    png = render_sheet(layout, format="png", dpi=dpi, serial=11)
    page = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE).astype(np.float32)
    page = 12.0 + page * (240.0 - 12.0) / 255.0
    rng = np.random.default_rng(seed)
    px = dpi / 25.4
    truth: dict[int, float] = {}
    offsets = layout.bubbles.slot_offsets
    for slot in range(offsets.size - 1):
        lo, hi = int(offsets[slot]), int(offsets[slot + 1])
        pick = int(rng.integers(lo, hi))
        x, y = layout.bubbles.centers_mm[pick] * px
        r = layout.bubbles.radii_mm[pick] * px
        centre, shift = (round(x * 16), round(y * 16)), 4
        u = rng.uniform()
        if u < 0.1:
            cv2.ellipse(page, centre, (round(r * 16), round(r * 16)), 0, 0, 180,
                        ink_grey, -1, cv2.LINE_AA, shift)  # fmt: skip
            truth[pick] = 0.5
        elif u < 0.2 and hi - lo > 1:
            erased = lo + (pick - lo + 1) % (hi - lo)
            cv2.circle(page, centre, round(r * 16), ink_grey, -1, cv2.LINE_AA, shift)
            ex, ey = layout.bubbles.centers_mm[erased] * px
            faint = 240.0 * (1 - 0.12)
            cv2.circle(page, (round(ex * 16), round(ey * 16)), round(r * 16), faint, -1,
                       cv2.LINE_AA, shift)  # fmt: skip
            truth[pick], truth[erased] = 1.0, 0.0
        else:
            cv2.circle(page, centre, round(r * 16), ink_grey, -1, cv2.LINE_AA, shift)
            truth[pick] = 1.0
    page += rng.normal(0.0, 2.0, page.shape).astype(np.float32)
    image = np.clip(page, 0, 255).astype(np.uint8)
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 85])
    assert ok
    return data.tobytes(), truth


@pytest.mark.parametrize("ink_grey", [150, 130])
def test_hand_drawn_light_grey_sheet_is_read(ink_grey: int) -> None:
    """Light-grey discs drawn by hand on a rendered sheet (the reported case) read as marks."""
    data, truth = _hand_drawn(ink_grey, seed=ink_grey)
    reading = read_sheet(data, LAYOUT_ID)
    fills = np.asarray(reading.fill_ratios)
    layout = load_layout(LAYOUT_ID)
    offsets = layout.bubbles.slot_offsets
    slot_of = np.repeat(np.arange(offsets.size - 1), np.diff(offsets))
    review = np.concatenate([f.review for f in reading.fields.values()])[slot_of]
    painted = np.array([b for b, t in truth.items() if t == 1.0])
    halves = np.array([b for b, t in truth.items() if t == 0.5])
    erased = np.array([b for b, t in truth.items() if t == 0.0])
    others = np.setdiff1d(np.arange(fills.size), list(truth))
    print(
        f"grey {ink_grey}: ink {reading.ink}, full min {fills[painted].min():.3f}, "
        f"half {fills[halves].min():.3f}-{fills[halves].max():.3f}, "
        f"erased max {fills[erased].max():.3f}, blank max {fills[others].max():.3f}"
    )
    assert fills[painted].min() >= 0.9
    assert np.abs(fills[halves] - 0.5).max() <= 0.08
    assert review[halves].all()
    assert fills[erased].max() <= ERASURE_BAR
    assert fills[others].max() <= 0.02
    assert reading.ink is not None
    assert not reading.ink.faint


def test_measure_ink_on_a_clean_scan_matches_its_fills() -> None:
    """measure_ink's fills, weak flags and report come from one sheet, aligned with the layout."""
    layout = load_layout(LAYOUT_ID)
    sheet = synthesize_ink_sheet(layout, "gel-black", seed=SEED + 2, profile="none")
    scale = np.diag([200 / 25.4, 200 / 25.4, 1.0])
    result = measure_ink(sheet.image, scale, layout.bubbles, paper_level=255, ink_level=0)
    assert result.fill_ratios.shape == result.weak.shape == (layout.bubbles.n_bubbles,)
    assert not result.weak.any()
    drawn = np.array([k.value != "none" for k in sheet.truth.mark_kinds])
    err = np.abs(result.fill_ratios - sheet.truth.true_fractions)[drawn]
    assert err.mean() <= MAE_BAR
