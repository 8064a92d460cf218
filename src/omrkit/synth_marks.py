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
from omrkit.layout import OUTLINE_STROKE_MM

__all__ = [
    "GHOST_DARKNESS",
    "PENCIL_DARKNESS",
    "PEN_DARKNESS",
    "SUPERSAMPLE",
    "Instrument",
    "MarkKind",
    "MarkPatch",
    "paint_mark",
]

FloatArray = npt.NDArray[np.float32]

#: Sub-pixels per pixel along each axis. At 150 dpi a 2.5 mm bubble becomes a
#: disc of ~60 sub-pixels radius, whose area error is well under 1 %.
SUPERSAMPLE = 4
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
#: Width of the strokes of a tick or cross, in mm.
STROKE_WIDTH_MM = (0.25, 0.5)
#: Radius of a stray dot, in mm, and how far from the centre it may land
#: (squared share of the inner radius, so dots spread evenly over the area).
DOT_RADIUS_MM = (0.2, 0.45)
DOT_REACH = 1.2
#: A tick and a cross in units of the inner radius (y down), before jitter,
#: tilt and scale. A cross is two strokes.
TICK_SHAPE = np.array([[-0.5, 0.0], [-0.1, 0.5], [0.6, -0.65]])
CROSS_SHAPE = (np.array([[-0.65, -0.65], [0.65, 0.65]]), np.array([[-0.65, 0.65], [0.65, -0.65]]))
STROKE_JITTER = 0.08
STROKE_TILT_RAD = 0.35
#: Turning points of a scribble, low (inclusive) and high (exclusive).
SCRIBBLE_TURNS = (3, 7)
#: The shapes a partial fill takes.
_FILL_SHAPES = ("chord", "blob", "scribble")
#: A chord wavers by this share of the radius, over this many waves per radius.
CHORD_WOBBLE = 0.04
CHORD_WAVES = (1.5, 4.0)
#: Slopes (level per px) that break ties between equal distances.
_TIE_BREAK = 1e-4
_TIE_BREAK_X = 0.618e-4
#: Sub-pixel bits of the coordinates handed to OpenCV's line drawing.
_DRAW_SHIFT_BITS = 4
#: A blob's outline wobbles by up to this share of its radius per harmonic.
BLOB_WOBBLE = 0.08
#: Harmonics 2..BLOB_HARMONICS shape a blob; the first would only shift it.
BLOB_HARMONICS = 4
#: A blob's centre strays from the bubble's by up to this share of the radius.
BLOB_OFFSET = 0.3


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


@dataclass(frozen=True, slots=True)
class _Grid:
    """A patch around one bubble, in page pixels relative to the bubble centre.

    ``xs``/``ys`` are sub-pixel centres (``SUPERSAMPLE`` per pixel), ``px_dx``
    (a row, shape (1, w)) and ``px_dy`` (a column, (h, 1)) pixel centres that
    broadcast to the patch; ``r2`` is the squared radius of every sub-pixel.
    """

    row0: int
    col0: int
    xs: FloatArray
    ys: FloatArray
    px_dx: FloatArray
    px_dy: FloatArray
    r2: FloatArray
    cx_sub: float  # bubble centre in sub-pixel index coordinates (OpenCV's)
    cy_sub: float


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
    Each targeted shape is a nested family ``{level <= t}`` of one level field
    (distance along a chord normal, radius relative to a wobbly outline,
    distance to a scribble), so the painted fraction grows monotonically with
    ``t``. The ``k``-th smallest level inside the disc, ``k = target * n``, is
    the exact threshold: no search, and the truth is met to one sub-pixel.
    """
    _check_mark_args(kind, inner_radius_px, darkness, target_fraction)
    spill_px = inner_radius_px + (SPILL_MM + 0.5 * OUTLINE_STROKE_MM) * px_per_mm
    grid = _grid(center_px, spill_px + 1.0)
    disc = grid.r2 <= np.float32(inner_radius_px * inner_radius_px)
    if kind in TARGETED_KINDS:
        assert target_fraction is not None
        level = _level_field(kind, grid, inner_radius_px, rng)
        level[grid.r2 > np.float32(spill_px * spill_px)] = np.inf
        ink = _solve_level(level, disc, target_fraction)
    else:
        ink = _stroke_mask(kind, grid, inner_radius_px, px_per_mm, rng)
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


def _grid(center_px: tuple[float, float], half_px: float) -> _Grid:
    cx, cy = center_px
    col0, col1 = math.floor(cx - half_px), math.ceil(cx + half_px)
    row0, row1 = math.floor(cy - half_px), math.ceil(cy + half_px)
    step = 1.0 / SUPERSAMPLE
    xs = (col0 + (np.arange((col1 - col0) * SUPERSAMPLE) + 0.5) * step - cx).astype(np.float32)
    ys = (row0 + (np.arange((row1 - row0) * SUPERSAMPLE) + 0.5) * step - cy).astype(np.float32)
    px_xs = (np.arange(col0, col1) + 0.5 - cx).astype(np.float32)
    px_ys = (np.arange(row0, row1) + 0.5 - cy).astype(np.float32)
    px_dx, px_dy = px_xs[np.newaxis, :], px_ys[:, np.newaxis]
    r2 = np.add.outer(ys * ys, xs * xs)
    # OpenCV puts sub-pixel index j at its centre; that centre lies at page
    # x = col0 + (j + 0.5) / SUPERSAMPLE.
    cx_sub = (cx - col0) * SUPERSAMPLE - 0.5
    cy_sub = (cy - row0) * SUPERSAMPLE - 0.5
    return _Grid(row0, col0, xs, ys, px_dx, px_dy, r2, cx_sub, cy_sub)


def _level_field(
    kind: MarkKind, grid: _Grid, radius: float, rng: np.random.Generator
) -> FloatArray:
    """A sub-pixel field whose sub-level sets are the nested shapes of one fill.

    Smooth fields are evaluated at pixel centres and interpolated up: the
    shape only has to look like a fill, the truth is counted on what is drawn.
    """
    shape = "blob" if kind is MarkKind.FULL else _FILL_SHAPES[int(rng.integers(3))]
    if shape == "scribble":
        return _scribble_level(grid, radius, rng)
    coarse = _chord_level(grid, radius, rng) if shape == "chord" else _blob_level(grid, radius, rng)
    size = (grid.xs.size, grid.ys.size)
    return np.asarray(cv2.resize(coarse, size, interpolation=cv2.INTER_LINEAR), dtype=np.float32)


def _chord_level(grid: _Grid, radius: float, rng: np.random.Generator) -> FloatArray:
    """Distance along a random normal: the disc is filled up to a chord."""
    angle = rng.uniform(0.0, 2.0 * math.pi)
    nx, ny = np.float32(math.cos(angle)), np.float32(math.sin(angle))
    along = grid.px_dy * nx - grid.px_dx * ny
    # A hand-drawn chord wavers around the straight line.
    cycles = np.float32(rng.uniform(*CHORD_WAVES) / radius)
    wobble = np.float32(CHORD_WOBBLE * radius) * np.sin(
        along * cycles + np.float32(rng.uniform(0.0, 2.0 * math.pi))
    )
    return np.asarray(grid.px_dx * nx + grid.px_dy * ny + wobble, dtype=np.float32)


def _blob_level(grid: _Grid, radius: float, rng: np.random.Generator) -> FloatArray:
    """Radius relative to a wobbly outline around a point near the centre."""
    offset = (
        BLOB_OFFSET
        * radius
        * math.sqrt(rng.uniform())
        * np.exp(1j * rng.uniform(0.0, 2.0 * math.pi))
    )
    x = grid.px_dx - np.float32(offset.real)
    y = grid.px_dy - np.float32(offset.imag)
    rho = np.sqrt(x * x + y * y) + np.float32(1e-6)
    # cos(k phi), sin(k phi) by complex powers of (x + iy) / rho: no trigonometry
    # on the sub-pixel grid, which would dominate the cost of a mark.
    c1, s1 = x / rho, y / rho
    ck, sk = c1, s1
    outline = np.ones_like(rho)
    for _ in range(2, BLOB_HARMONICS + 1):
        ck, sk = ck * c1 - sk * s1, sk * c1 + ck * s1
        amp = rng.uniform(0.0, BLOB_WOBBLE)
        phase = rng.uniform(0.0, 2.0 * math.pi)
        outline += np.float32(amp * math.cos(phase)) * ck - np.float32(amp * math.sin(phase)) * sk
    return np.asarray(rho / outline, dtype=np.float32)


def _scribble_level(grid: _Grid, radius: float, rng: np.random.Generator) -> FloatArray:
    """Distance to a zig-zag drawn across part of the disc."""
    n_turns = int(rng.integers(*SCRIBBLE_TURNS))
    across = np.linspace(-1.0, 1.0, n_turns) * rng.uniform(0.5, 0.9) + rng.uniform(-0.2, 0.2)
    side = np.where(np.arange(n_turns) % 2 == 0, -1.0, 1.0)
    half_chord = np.sqrt(np.clip(1.0 - across**2, 0.05, 1.0))
    u = side * half_chord * rng.uniform(0.8, 1.05, n_turns)
    angle = rng.uniform(0.0, math.pi)
    c, s = math.cos(angle), math.sin(angle)
    points = radius * np.column_stack([u * c - across * s, u * s + across * c])
    canvas = np.full(grid.r2.shape, 255, dtype=np.uint8)
    _draw_polyline(canvas, grid, points, width_px=0.0)
    dist = cv2.distanceTransform(canvas, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    # Distances on a pixel grid repeat; a slight tilt breaks the ties so the
    # k-th level cuts exactly k sub-pixels.
    tilt = np.add.outer(grid.ys * np.float32(_TIE_BREAK), grid.xs * np.float32(_TIE_BREAK_X))
    return np.asarray(dist / np.float32(SUPERSAMPLE) + tilt, dtype=np.float32)


def _draw_polyline(
    canvas: npt.NDArray[np.uint8], grid: _Grid, points: npt.NDArray[np.float64], *, width_px: float
) -> None:
    """Draw a polyline given in px relative to the bubble centre as 0 on ``canvas``.

    ``width_px`` is the stroke width in page pixels; 0 draws the thinnest line.
    """
    scale = 1 << _DRAW_SHIFT_BITS
    sub = (points * SUPERSAMPLE + np.array([grid.cx_sub, grid.cy_sub])) * scale
    thickness = max(1, round(width_px * SUPERSAMPLE))
    cv2.polylines(
        canvas,
        [np.round(sub).astype(np.int32)],
        isClosed=False,
        color=0,
        thickness=thickness,
        lineType=cv2.LINE_8,
        shift=_DRAW_SHIFT_BITS,
    )


def _solve_level(
    level: FloatArray, disc: npt.NDArray[np.bool_], target: float
) -> npt.NDArray[np.bool_]:
    inside = level[disc]
    k = round(target * inside.size)
    if k == 0:
        return np.zeros(level.shape, dtype=bool)
    threshold = np.partition(inside, k - 1)[k - 1]
    return np.asarray(level <= threshold)


def _stroke_mask(
    kind: MarkKind, grid: _Grid, radius: float, px_per_mm: float, rng: np.random.Generator
) -> npt.NDArray[np.bool_]:
    if kind is MarkKind.DOT:
        where = (
            radius
            * math.sqrt(rng.uniform(0.0, DOT_REACH))
            * np.exp(1j * rng.uniform(0.0, 2.0 * math.pi))
        )
        dot_px = rng.uniform(*DOT_RADIUS_MM) * px_per_mm
        dist2 = np.add.outer(
            (grid.ys - np.float32(where.imag)) ** 2, (grid.xs - np.float32(where.real)) ** 2
        )
        return np.asarray(dist2 <= np.float32(dot_px * dot_px))
    if kind is MarkKind.TICK:
        strokes = [TICK_SHAPE + rng.uniform(-STROKE_JITTER, STROKE_JITTER, TICK_SHAPE.shape)]
    elif kind is MarkKind.CROSS:
        strokes = [s + rng.uniform(-STROKE_JITTER, STROKE_JITTER, s.shape) for s in CROSS_SHAPE]
    else:
        raise SynthError(f"mark kind {kind.value!r} is not a stroke", field="kind")
    angle = rng.uniform(-STROKE_TILT_RAD, STROKE_TILT_RAD)
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    scale = radius * rng.uniform(0.85, 1.15)
    width_px = rng.uniform(*STROKE_WIDTH_MM) * px_per_mm
    canvas = np.full(grid.r2.shape, 255, dtype=np.uint8)
    for stroke in strokes:
        _draw_polyline(canvas, grid, scale * stroke @ rot.T, width_px=width_px)
    return np.asarray(canvas == 0)


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
