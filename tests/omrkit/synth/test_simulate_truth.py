"""Tests for the simulator's truth: what synthesize_sheet paints and records.

Determinism by seed, the recorded fractions against the pixels of clean renders
(measured independently, see ``sheet_pixels``), the planted kinds of marks and
the review band, fill plans with given code values, and single marks painted by
``paint_mark``: fills, ghosts, strokes and spilled ink.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from omrkit.errors import SynthError
from omrkit.layout.models import OUTLINE_STROKE_MM, FieldKind, SheetLayout, load_layout
from omrkit.synth.plan import DOUBLE_FRACTION, NEAR_THRESHOLD, plan_fills
from omrkit.synth.profiles import FillProfile
from omrkit.synth.simulate import synthesize_sheet
from omrkit.synth.strokes import GHOST_DARKNESS, MarkKind, paint_mark
from omrkit.synth.truth import MARK_THRESHOLD
from omrkit.types import SlotState
from tests.omrkit.synth.sheet_pixels import _blank, _disc_weights, _measured_fractions

#: Largest disagreement allowed between truth and what the pixels show.
TRUTH_TOLERANCE = 0.02
#: Area of a few sub-pixels, as a share of a bubble's inner disc.
SUBPIXEL_SLACK = 1e-3
#: Fill profile that plants every kind of mark often.
BUSY = FillProfile(double_prob=0.2, stroke_prob=0.2, partial_prob=0.3, ghost_prob=0.3, dot_prob=0.3)


def _sheet_ink(kinds: tuple[MarkKind, ...], darkness: npt.NDArray[np.float64]) -> float:
    """The sheet's ink darkness, as recorded for its full fills."""
    return float(np.median([d for k, d in zip(kinds, darkness, strict=True) if k is MarkKind.FULL]))


# -- determinism --------------------------------------------------------------------------
def test_same_seed_gives_identical_sheet(layout: SheetLayout) -> None:
    """Two runs with one seed give the same pixels and the same truth."""
    a = synthesize_sheet(layout, seed=11, dpi=150, profile="harsh")
    b = synthesize_sheet(layout, seed=11, dpi=150, profile="harsh")
    assert np.array_equal(a.image, b.image)
    assert a.jpeg == b.jpeg
    assert np.array_equal(a.truth.true_fractions, b.truth.true_fractions)
    assert np.array_equal(a.truth.homography, b.truth.homography)


def test_different_seeds_differ(layout: SheetLayout) -> None:
    """Different seeds give different marks and different scans."""
    a = synthesize_sheet(layout, seed=1, dpi=150, profile="default")
    b = synthesize_sheet(layout, seed=2, dpi=150, profile="default")
    assert not np.array_equal(a.truth.true_fractions, b.truth.true_fractions)
    assert a.image.shape != b.image.shape or not np.array_equal(a.image, b.image)


def test_marks_do_not_depend_on_the_profile(layout: SheetLayout) -> None:
    """One seed paints the same marks whatever the degradation."""
    clean = synthesize_sheet(layout, seed=5, dpi=150, profile="none")
    harsh = synthesize_sheet(layout, seed=5, dpi=150, profile="harsh")
    assert np.array_equal(clean.truth.true_fractions, harsh.truth.true_fractions)
    assert clean.truth.serial == harsh.truth.serial


# -- truth against pixels -----------------------------------------------------------------
@pytest.mark.parametrize(("seed", "pencil"), [(1, 0.0), (2, 0.0), (3, 1.0), (4, 1.0)])
def test_truth_agrees_with_clean_pixels(layout: SheetLayout, seed: int, pencil: float) -> None:
    """On a clean 300 dpi render every bubble's painted share is within 2 % of truth."""
    dpi = 300
    sheet = synthesize_sheet(
        layout,
        seed=seed,
        dpi=dpi,
        profile="none",
        fill=BUSY.model_copy(update={"pencil_prob": pencil}),
    )
    truth = sheet.truth
    assert truth.instrument.value == ("pencil" if pencil else "pen")
    ink = _sheet_ink(truth.mark_kinds, truth.ink_darkness)
    measured = _measured_fractions(sheet.image, layout, dpi, threshold=ink / 2)
    error = np.abs(measured - truth.true_fractions)
    worst = int(np.argmax(error))
    assert error[worst] <= TRUTH_TOLERANCE, (
        f"bubble {worst} ({truth.mark_kinds[worst]}): truth {truth.true_fractions[worst]:.3f}, "
        f"pixels {measured[worst]:.3f}"
    )
    assert (truth.true_fractions > 0).sum() > 100


def test_truth_agrees_at_150_dpi_by_area(layout: SheetLayout) -> None:
    """At 150 dpi, pen ink unmixed per pixel and weighted by disc share matches truth."""
    dpi = 150
    sheet = synthesize_sheet(
        layout, seed=6, dpi=dpi, profile="none", fill=FillProfile(pencil_prob=0)
    )
    truth = sheet.truth
    ink = _sheet_ink(truth.mark_kinds, truth.ink_darkness)
    blank = _blank(layout.layout_id, dpi).astype(np.float64)
    scale = dpi / 25.4
    arrays = layout.bubbles
    for i, ((x, y), r) in enumerate(zip(arrays.centers_mm, arrays.radii_mm, strict=True)):
        if truth.mark_kinds[i] is MarkKind.GHOST:
            continue
        r0, c0, w = _disc_weights(x * scale, y * scale, (r - OUTLINE_STROKE_MM / 2) * scale)
        window = np.s_[r0 : r0 + w.shape[0], c0 : c0 + w.shape[1]]
        coverage = np.clip((1.0 - sheet.image[window] / np.maximum(blank[window], 1.0)) / ink, 0, 1)
        measured = float((w * coverage).sum() / w.sum())
        assert measured == pytest.approx(truth.true_fractions[i], abs=TRUTH_TOLERANCE)


def test_pencil_stays_darker_than_half_way(layout: SheetLayout) -> None:
    """Graphite is lighter than pen but every fully covered pixel is past half-way."""
    sheet = synthesize_sheet(
        layout, seed=8, dpi=200, profile="none", fill=FillProfile(pencil_prob=1)
    )
    truth = sheet.truth
    full = [i for i, k in enumerate(truth.mark_kinds) if k is MarkKind.FULL]
    assert 0.6 <= _sheet_ink(truth.mark_kinds, truth.ink_darkness) <= 0.8
    blank = _blank(layout.layout_id, 200).astype(np.float64)
    darkness = 1.0 - sheet.image / np.maximum(blank, 1.0)
    scale = 200 / 25.4
    for i in full[:20]:
        x, y = layout.bubbles.centers_mm[i] * scale
        core = darkness[round(y) - 2 : round(y) + 2, round(x) - 2 : round(x) + 2]
        if truth.true_fractions[i] == 1.0:
            assert core.min() > 0.5


# -- kinds of marks -----------------------------------------------------------------------
def test_planted_doubles_and_stray_marks_are_in_the_truth(layout: SheetLayout) -> None:
    """Planted doubles, ticks, crosses, ghosts and dots appear with the right kinds and areas."""
    truth = synthesize_sheet(layout, seed=21, dpi=150, profile="none", fill=BUSY).truth
    kinds = np.array([k.value for k in truth.mark_kinds])
    states = truth.slot_states(layout)
    offsets = layout.bubbles.slot_offsets
    doubles = np.flatnonzero(truth.planted_double)
    assert doubles.size > 0
    for s in doubles:
        lo, hi = offsets[s], offsets[s + 1]
        # Targets are met to a sub-pixel, so every planted fill reaches the band.
        filled = truth.true_fractions[lo:hi] >= DOUBLE_FRACTION[0] - SUBPIXEL_SLACK
        assert filled.sum() >= 2
        assert len(truth.intended[s]) >= 2
        assert states[s] is SlotState.MULTIPLE
    counts = Counter(kinds.tolist())
    for kind in ("tick", "cross", "ghost", "dot", "partial", "full"):
        assert counts[kind] > 0, kind
    strokes = np.isin(kinds, ["tick", "cross"])
    assert truth.true_fractions[strokes].max() < 0.35
    ghosts = kinds == "ghost"
    assert np.all(truth.true_fractions[ghosts] == 0.0)
    assert np.all(truth.covered_fractions[ghosts] > 0.4)
    assert truth.ink_darkness[ghosts].max() <= GHOST_DARKNESS[1]
    assert truth.true_fractions[kinds == "dot"].max() < 0.1


def test_unt_score_1_exactly_half_counts_as_marked(layout: SheetLayout) -> None:
    """A bubble painted exactly 50 % is marked; just under is not (UNT-SCORE-1)."""
    truth = synthesize_sheet(layout, seed=3, dpi=150, profile="none").truth
    answers = layout.field("answers_1")
    slot_index = [f.id for f in layout.fields for _ in f.slots].index("answers_1")
    lo = int(layout.bubbles.slot_offsets[slot_index])
    fractions = np.zeros_like(truth.true_fractions)
    fractions[lo] = MARK_THRESHOLD
    fractions[lo + 1] = np.nextafter(MARK_THRESHOLD, 0.0)
    edited = replace(truth, true_fractions=fractions)
    first = answers.slots[0].bubbles
    assert edited.marked(layout)[slot_index] == (first[0].symbol,)
    assert edited.slot_states(layout)[slot_index] is SlotState.MARKED
    assert edited.slot_states(layout)[slot_index + 1] is SlotState.BLANK


def test_fraction_mix_exercises_the_review_band(layout: SheetLayout) -> None:
    """The default mix has many near-threshold fills besides clear fills and blanks."""
    fractions = []
    rng = np.random.default_rng(0)
    for _ in range(20):
        plan = plan_fills(layout, rng=rng)
        fractions += [
            t for k, t in zip(plan.kinds, plan.targets, strict=True) if k is not MarkKind.NONE
        ]
    targets = np.array([t for t in fractions if not math.isnan(t)])
    near = (targets >= NEAR_THRESHOLD[0]) & (targets <= NEAR_THRESHOLD[1])
    assert near.mean() > 0.1
    assert (targets >= 0.75).mean() > 0.5


def test_given_code_values_are_filled(layout: SheetLayout) -> None:
    """A given ТЖК is what the truth intends and what the painted bubbles say."""
    code_field = next(f for f in layout.fields if f.kind is FieldKind.CODE)
    value = "".join(str(i % 10) for i in range(len(code_field.slots)))
    truth = synthesize_sheet(
        layout, seed=4, dpi=150, profile="none", values={code_field.id: value}
    ).truth
    slot_fields = [f.id for f in layout.fields for _ in f.slots]
    picked = [i for i, f in enumerate(slot_fields) if f == code_field.id]
    assert "".join(truth.intended[i][0] for i in picked) == value
    assert "".join(truth.marked(layout)[i][0] for i in picked) == value


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"nope": "1"}, "nope"),
        ({"answers_1": "A"}, "answers_1"),
    ],
)
def test_bad_values_are_refused(layout: SheetLayout, values: dict[str, str], field: str) -> None:
    """Values for unknown or answer fields raise SynthError naming the field."""
    with pytest.raises(SynthError) as err:
        plan_fills(layout, rng=np.random.default_rng(0), values=values)
    assert err.value.field == field


def test_code_value_must_fit_its_positions(layout: SheetLayout) -> None:
    """A code value of the wrong length or with a letter is refused."""
    code_field = next(f for f in layout.fields if f.kind is FieldKind.CODE)
    n = len(code_field.slots)
    for bad in ("1" * (n + 1), "1" * (n - 1), "x" * n):
        with pytest.raises(SynthError, match=r"characters|cannot be marked"):
            plan_fills(layout, rng=np.random.default_rng(0), values={code_field.id: bad})


def test_text_fields_get_letters() -> None:
    """A layout with name grids gets letters from each position's alphabet."""
    form = load_layout("mab-grade4")
    plan = plan_fills(form, rng=np.random.default_rng(2))
    slot_fields = [f for f in form.fields for _ in f.slots]
    text = [i for i, f in enumerate(slot_fields) if f.kind is FieldKind.TEXT]
    assert any(plan.intended[i] for i in text)
    assert all(len(plan.intended[i]) <= 1 for i in text)


def test_one_circle_flags_are_sometimes_blank(layout: SheetLayout) -> None:
    """A one-circle choice such as the creative-exam flag is marked on some sheets only."""
    flags = [
        i
        for i, (f, s) in enumerate((f, s) for f in layout.fields for s in f.slots)
        if f.kind is FieldKind.CHOICE and len(s.bubbles) == 1
    ]
    assert flags
    rng = np.random.default_rng(5)
    seen = {plan_fills(layout, rng=rng).intended[flags[0]] for _ in range(20)}
    assert len(seen) == 2


# -- single marks -------------------------------------------------------------------------
@given(
    target=st.floats(0.0, 1.0),
    radius_px=st.floats(8.0, 40.0),
    cx=st.floats(100.0, 101.0),
    cy=st.floats(100.0, 101.0),
    seed=st.integers(0, 2**32 - 1),
    kind=st.sampled_from([MarkKind.FULL, MarkKind.PARTIAL, MarkKind.GHOST]),
)
def test_targeted_marks_hit_their_fraction(
    target: float, radius_px: float, cx: float, cy: float, seed: int, kind: MarkKind
) -> None:
    """Fills and ghosts cover their target share of the inner disc to a few sub-pixels."""
    patch = paint_mark(
        kind,
        center_px=(cx, cy),
        inner_radius_px=radius_px,
        px_per_mm=radius_px / 2.0,
        darkness=0.9,
        rng=np.random.default_rng(seed),
        target_fraction=target,
    )
    sub_pixels = math.pi * (radius_px * 4) ** 2
    assert patch.covered_fraction == pytest.approx(target, abs=3 / sub_pixels + 1e-9)
    expected_paint = 0.0 if kind is MarkKind.GHOST else patch.covered_fraction
    assert patch.painted_fraction == expected_paint


@given(
    radius_mm=st.floats(2.0, 3.0),
    dpi=st.sampled_from([150, 200, 300]),
    seed=st.integers(0, 2**32 - 1),
    kind=st.sampled_from([MarkKind.TICK, MarkKind.CROSS, MarkKind.DOT]),
)
def test_strokes_stay_well_below_the_threshold(
    radius_mm: float, dpi: int, seed: int, kind: MarkKind
) -> None:
    """Ticks, crosses and dots never paint anywhere near half a bubble."""
    scale = dpi / 25.4
    patch = paint_mark(
        kind,
        center_px=(60.3, 60.7),
        inner_radius_px=radius_mm * scale,
        px_per_mm=scale,
        darkness=0.9,
        rng=np.random.default_rng(seed),
    )
    if kind is MarkKind.DOT:
        assert patch.painted_fraction < 0.1
    else:
        assert 0.0 < patch.painted_fraction < 0.35


@pytest.mark.parametrize("seed", range(4))
def test_spilled_ink_does_not_count(seed: int) -> None:
    """A complete fill spills past the inner disc, yet its painted share is exactly 1."""
    radius = 16.0
    patch = paint_mark(
        MarkKind.FULL,
        center_px=(50.0, 50.0),
        inner_radius_px=radius,
        px_per_mm=8.0,
        darkness=1.0,
        rng=np.random.default_rng(seed),
        target_fraction=1.0,
    )
    assert patch.painted_fraction == 1.0
    assert patch.darkness.sum() > math.pi * radius**2 * 1.01


def test_paint_mark_refuses_bad_arguments() -> None:
    """Nothing to paint, a missing target or an impossible darkness raise SynthError."""
    rng = np.random.default_rng(0)
    common = {"center_px": (10.0, 10.0), "inner_radius_px": 8.0, "px_per_mm": 8.0, "rng": rng}
    with pytest.raises(SynthError, match="none"):
        paint_mark(MarkKind.NONE, darkness=0.9, **common)  # type: ignore[arg-type]
    with pytest.raises(SynthError, match="target_fraction"):
        paint_mark(MarkKind.PARTIAL, darkness=0.9, **common)  # type: ignore[arg-type]
    with pytest.raises(SynthError, match="darkness"):
        paint_mark(MarkKind.FULL, darkness=1.5, target_fraction=0.5, **common)  # type: ignore[arg-type]
