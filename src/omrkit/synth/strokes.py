"""Pen and pencil marks whose painted area is known exactly.

A mark is drawn as a shape on a supersampled grid around one bubble, then
averaged down to the page's pixels, so the ink each pixel receives is its
covered area. The *painted fraction* of a bubble is the share of its inner
disc (radius ``radius_mm - OUTLINE_STROKE_MM / 2``) covered by ink, counted on
the supersampled grid: the ground truth the 50 % rule (UNT-SCORE-1) is judged
against.

Ink darkens the page multiplicatively: a pixel of value ``v`` covered by ink of
darkness ``d`` over area fraction ``a`` becomes ``v * (1 - a * d)``, so
darkness is the share of the paper-to-black range the ink removes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import cv2
import numpy as np
import numpy.typing as npt

from omrkit.errors import SynthError
from omrkit.layout.models import OUTLINE_STROKE_MM
from omrkit.synth.shapes import (
    STROKE_WIDTH_MM,
    SUPERSAMPLE,
    FillShape,
    Stroke,
    SubpixelGrid,
    fill_level,
    stroke_mask,
    subpixel_grid,
)

__all__ = [
    "GHOST_DARKNESS",
    "PENCIL_DARKNESS",
    "PEN_DARKNESS",
    "Instrument",
    "MarkKind",
    "MarkPatch",
    "paint_mark",
]

FloatArray = npt.NDArray[np.float32]

#: How far beyond the printed outline filled ink may run, in mm.
SPILL_MM = 0.35
#: Ballpoint or gel pen, black or dark blue, seen in grey: nearly black.
PEN_DARKNESS = (0.86, 0.95)
#: Soft graphite (2B-HB) filled firmly: a mid-dark grey. Its mean stays well
#: past the half-way level, or no reader could tell painted from blank.
PENCIL_DARKNESS = (0.64, 0.76)
#: Pixel-to-pixel spread of graphite darkness, and its correlation length in px.
PENCIL_TEXTURE_STD = 0.05
PENCIL_TEXTURE_SIGMA_PX = 0.7
#: Texture never takes a pencil pixel more than this far from the sheet's mean,
#: so a fully covered pencil pixel is always darker than half-way.
PENCIL_TEXTURE_CLIP = 0.1
#: What an eraser leaves behind: a faint smudge.
GHOST_DARKNESS = (0.08, 0.2)


class MarkKind(StrEnum):
    """What was drawn in a bubble."""

    NONE = "none"  # nothing
    FULL = "full"  # filled as instructed (>= 85 % of the inner disc)
    PARTIAL = "partial"  # filled only in part: a chord, a blob or a scribble
    TICK = "tick"  # a check mark: thin strokes, not a fill
    CROSS = "cross"  # a cross: thin strokes, not a fill
    GHOST = "ghost"  # an erased fill: a faint smudge, not ink that counts
    DOT = "dot"  # a stray dot


class Instrument(StrEnum):
    """What the sheet was filled with."""

    PEN = "pen"
    PENCIL = "pencil"


#: Kinds whose painted area is chosen by the caller (``target_fraction``).
TARGETED_KINDS = frozenset({MarkKind.FULL, MarkKind.PARTIAL, MarkKind.GHOST})
#: Shapes a partial fill or a ghost takes; a full fill is always a blob.
_FILL_SHAPES: tuple[FillShape, ...] = ("chord", "blob", "scribble")
_STROKES: dict[MarkKind, Stroke] = {
    MarkKind.TICK: "tick",
    MarkKind.CROSS: "cross",
    MarkKind.DOT: "dot",
}


@dataclass(frozen=True, slots=True)
class MarkPatch:
    """The ink of one mark on the page's pixel grid.

    Attributes
    ----------
    row0, col0 : int
        Page pixel of the patch's top-left corner.
    darkness : (h, w) ndarray of float32
        Covered area times ink darkness per pixel, 0..1; the page becomes
        ``page * (1 - darkness)``.
    painted_fraction : float
        Share of the bubble's inner disc covered by ink that counts (0 for a
        ghost: erased graphite is not paint).
    covered_fraction : float
        Share of the inner disc covered by anything drawn, ghosts included.
    mean_darkness : float
        Mean ink darkness over the covered sub-pixels.
    """

    row0: int
    col0: int
    darkness: FloatArray
    painted_fraction: float
    covered_fraction: float
    mean_darkness: float


def paint_mark(
    kind: MarkKind,
    *,
    center_px: tuple[float, float],
    inner_radius_px: float,
    px_per_mm: float,
    darkness: float,
    rng: np.random.Generator,
    target_fraction: float | None = None,
    textured: bool = False,
) -> MarkPatch:
    """Draw one mark around a bubble and measure its painted fraction.

    Parameters
    ----------
    kind : MarkKind
        What to draw; not ``MarkKind.NONE``.
    center_px : (float, float)
        Bubble centre ``(x, y)`` in continuous page pixels.
    inner_radius_px : float
        Radius of the bubble's inner disc in page pixels.
    px_per_mm : float
        Page pixels per millimetre (``dpi / 25.4``).
    darkness : float
        Mean ink darkness, 0..1 (see :data:`PEN_DARKNESS`, :data:`PENCIL_DARKNESS`).
    rng : numpy.random.Generator
        Source of the shape's randomness.
    target_fraction : float, optional
        Covered share of the inner disc for ``FULL``, ``PARTIAL`` and ``GHOST``;
        met to one sub-pixel. Ignored by the stroke kinds, whose area follows
        from their width.
    textured : bool
        Give the ink graphite's per-pixel texture.

    Returns
    -------
    MarkPatch

    Raises
    ------
    SynthError
        If ``kind`` is ``NONE``, a targeted kind lacks ``target_fraction`` in
        0..1, or darkness or radius is out of range.

    Notes
    -----
    Each targeted shape is a nested family ``{level <= t}`` of one level
    field (:func:`omrkit.synth_shapes.fill_level`), so the painted fraction
    grows monotonically with ``t``. The ``k``-th smallest level inside the
    disc, ``k = target * n``, is the exact threshold: no search, and the
    truth is met to one sub-pixel.

    Examples
    --------
    >>> import numpy as np
    >>> patch = paint_mark(MarkKind.PARTIAL, center_px=(40.0, 40.0), inner_radius_px=16.0,
    ...                    px_per_mm=7.9, darkness=0.9, rng=np.random.default_rng(1),
    ...                    target_fraction=0.5)
    >>> round(patch.painted_fraction, 3)
    0.5
    """
    _check_mark_args(kind, inner_radius_px, darkness, target_fraction)
    spill_px = inner_radius_px + (SPILL_MM + 0.5 * OUTLINE_STROKE_MM) * px_per_mm
    grid = subpixel_grid(center_px, spill_px + 1.0)
    disc = grid.r2 <= np.float32(inner_radius_px * inner_radius_px)
    if kind in TARGETED_KINDS:
        assert target_fraction is not None
        shape = "blob" if kind is MarkKind.FULL else _FILL_SHAPES[int(rng.integers(3))]
        ink, half_width = _fill(shape, grid, disc, spill_px, inner_radius_px, target_fraction, rng)
        # A scribble's level is the distance to its zig-zag: a small fraction
        # would need a line thinner than any pen draws. Such a mark is a blob.
        if shape == "scribble" and 0 < half_width < 0.5 * STROKE_WIDTH_MM[0] * px_per_mm:
            ink, _ = _fill("blob", grid, disc, spill_px, inner_radius_px, target_fraction, rng)
    else:
        ink = stroke_mask(_STROKES[kind], grid, inner_radius_px, px_per_mm, rng)
    covered = float(np.count_nonzero(ink & disc)) / max(int(np.count_nonzero(disc)), 1)
    area = _downsample(ink)
    tone = _texture(area.shape, darkness, rng) if textured else np.float32(darkness)
    patch = np.asarray(area * tone, dtype=np.float32)
    painted = 0.0 if kind is MarkKind.GHOST else covered
    return MarkPatch(grid.row0, grid.col0, patch, painted, covered, _mean_tone(area, tone))


def _check_mark_args(
    kind: MarkKind, inner_radius_px: float, darkness: float, target: float | None
) -> None:
    if kind is MarkKind.NONE:
        raise SynthError("nothing to paint for mark kind 'none'", field="kind")
    if not (inner_radius_px > 1.0 and math.isfinite(inner_radius_px)):
        raise SynthError(
            f"inner radius {inner_radius_px} px is too small to draw; expected > 1 px",
            field="inner_radius_px",
        )
    if not 0.0 < darkness <= 1.0:
        raise SynthError(f"ink darkness {darkness} outside (0, 1]", field="darkness")
    if kind in TARGETED_KINDS and (target is None or not 0.0 <= target <= 1.0):
        raise SynthError(
            f"a {kind.value!r} mark needs target_fraction in 0..1, got {target}",
            field="target_fraction",
        )


def _fill(
    shape: FillShape,
    grid: SubpixelGrid,
    disc: npt.NDArray[np.bool_],
    spill_px: float,
    inner_radius_px: float,
    target: float,
    rng: np.random.Generator,
) -> tuple[npt.NDArray[np.bool_], float]:
    """Ink of ``shape`` covering exactly ``target`` of the disc, and its level threshold."""
    level = fill_level(shape, grid, inner_radius_px, rng)
    level[grid.r2 > np.float32(spill_px * spill_px)] = np.inf
    return _solve_level(level, disc, target)


def _solve_level(
    level: FloatArray, disc: npt.NDArray[np.bool_], target: float
) -> tuple[npt.NDArray[np.bool_], float]:
    inside = level[disc]
    k = round(target * inside.size)
    if k == 0:
        return np.zeros(level.shape, dtype=bool), 0.0
    threshold = np.partition(inside, k - 1)[k - 1]
    return np.asarray(level <= threshold), float(threshold)


def _downsample(mask: npt.NDArray[np.bool_]) -> FloatArray:
    """Covered area of each pixel: the mean of its sub-pixels."""
    size = (mask.shape[1] // SUPERSAMPLE, mask.shape[0] // SUPERSAMPLE)
    # INTER_AREA with an integer factor is an exact block mean.
    area = cv2.resize(mask.view(np.uint8).astype(np.float32), size, interpolation=cv2.INTER_AREA)
    return np.asarray(area, dtype=np.float32)


def _texture(shape: tuple[int, ...], darkness: float, rng: np.random.Generator) -> FloatArray:
    """Graphite darkness per pixel: the sheet's mean with correlated grain."""
    white = rng.standard_normal(shape).astype(np.float32)
    grain = np.asarray(cv2.GaussianBlur(white, (0, 0), PENCIL_TEXTURE_SIGMA_PX), dtype=np.float32)
    grain *= np.float32(PENCIL_TEXTURE_STD / max(float(grain.std()), 1e-6))
    lo, hi = darkness - PENCIL_TEXTURE_CLIP, min(darkness + PENCIL_TEXTURE_CLIP, 1.0)
    return np.asarray(np.clip(grain + np.float32(darkness), lo, hi), dtype=np.float32)


def _mean_tone(area: FloatArray, tone: FloatArray | np.float32) -> float:
    total = float(area.sum())
    if total == 0.0:
        return 0.0
    return float((area * tone).sum() / total)
