"""Shapes of hand-made marks on a sub-pixel grid around one bubble.

Fills (a chord, a blob, a scribble) come as level fields whose sub-level sets
grow with the threshold, so :mod:`omrkit.synth.strokes` can cut one at an exact
area; strokes (a tick, a cross, a stray dot) come as masks of fixed width.
Coordinates are page pixels relative to the bubble centre, y down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np
import numpy.typing as npt

__all__ = [
    "SUPERSAMPLE",
    "FillShape",
    "Stroke",
    "SubpixelGrid",
    "fill_level",
    "stroke_mask",
    "subpixel_grid",
]

FloatArray = npt.NDArray[np.float32]
FillShape = Literal["chord", "blob", "scribble"]
Stroke = Literal["tick", "cross", "dot"]

#: Sub-pixels per pixel along each axis. At 150 dpi a 2.5 mm bubble becomes a
#: disc of ~60 sub-pixels radius, whose area error is well under 1 %.
SUPERSAMPLE = 4
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


@dataclass(frozen=True, slots=True)
class SubpixelGrid:
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


def subpixel_grid(center_px: tuple[float, float], half_px: float) -> SubpixelGrid:
    """The whole pixels within ``half_px`` of ``center_px``, split into sub-pixels."""
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
    return SubpixelGrid(row0, col0, xs, ys, px_dx, px_dy, r2, cx_sub, cy_sub)


def fill_level(
    shape: FillShape, grid: SubpixelGrid, radius: float, rng: np.random.Generator
) -> FloatArray:
    """A sub-pixel field whose sub-level sets ``{level <= t}`` are nested fills.

    Parameters
    ----------
    shape : {"chord", "blob", "scribble"}
        A disc filled up to a wavering chord, a wobbly blob grown from a point
        near the centre, or a zig-zag thickened stroke by stroke.
    grid : SubpixelGrid
    radius : float
        Inner radius of the bubble in page pixels.
    rng : numpy.random.Generator

    Returns
    -------
    (H, W) ndarray of float32
        On the sub-pixel grid; larger thresholds give larger shapes.

    Notes
    -----
    Smooth fields are evaluated at pixel centres and interpolated up: the
    shape only has to look like a fill, the truth is counted on what is drawn.
    """
    if shape == "scribble":
        return _scribble_level(grid, radius, rng)
    coarse = _chord_level(grid, radius, rng) if shape == "chord" else _blob_level(grid, radius, rng)
    size = (grid.xs.size, grid.ys.size)
    return np.asarray(cv2.resize(coarse, size, interpolation=cv2.INTER_LINEAR), dtype=np.float32)


def _chord_level(grid: SubpixelGrid, radius: float, rng: np.random.Generator) -> FloatArray:
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


def _blob_level(grid: SubpixelGrid, radius: float, rng: np.random.Generator) -> FloatArray:
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


def _scribble_level(grid: SubpixelGrid, radius: float, rng: np.random.Generator) -> FloatArray:
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
    canvas: npt.NDArray[np.uint8],
    grid: SubpixelGrid,
    points: npt.NDArray[np.float64],
    *,
    width_px: float,
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


def stroke_mask(
    stroke: Stroke, grid: SubpixelGrid, radius: float, px_per_mm: float, rng: np.random.Generator
) -> npt.NDArray[np.bool_]:
    """Sub-pixels covered by a tick, a cross or a stray dot.

    Parameters
    ----------
    stroke : {"tick", "cross", "dot"}
    grid : SubpixelGrid
    radius : float
        Inner radius of the bubble in page pixels; shapes scale with it.
    px_per_mm : float
        Stroke widths and dot sizes are physical, in mm.
    rng : numpy.random.Generator

    Returns
    -------
    (H, W) ndarray of bool
    """
    if stroke == "dot":
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
    if stroke == "tick":
        strokes = [TICK_SHAPE + rng.uniform(-STROKE_JITTER, STROKE_JITTER, TICK_SHAPE.shape)]
    else:
        strokes = [s + rng.uniform(-STROKE_JITTER, STROKE_JITTER, s.shape) for s in CROSS_SHAPE]
    angle = rng.uniform(-STROKE_TILT_RAD, STROKE_TILT_RAD)
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    scale = radius * rng.uniform(0.85, 1.15)
    width_px = rng.uniform(*STROKE_WIDTH_MM) * px_per_mm
    canvas = np.full(grid.r2.shape, 255, dtype=np.uint8)
    for line in strokes:
        _draw_polyline(canvas, grid, scale * line @ rot.T, width_px=width_px)
    return np.asarray(canvas == 0)
