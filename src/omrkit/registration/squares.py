"""Finding solid square registration marks in small regions of a scan.

Two passes, both on small windows, never on the whole page:

1. :func:`find_square_candidates` looks at a search window subsampled to a
   coarse grid (about a dozen pixels across a mark), thresholds it midway
   between its paper and its darkest ink, and keeps the connected shapes
   whose size, squareness and fill fit a solid square of the expected side.
   Subsampling, thresholding and finding the shapes with their moments are
   compiled passes (:mod:`omrkit._kernels`): a window holds mostly specks of
   text, too many to look at one by one.
2. :func:`refine_square` looks at full resolution around one candidate,
   checks the shape's fitted rectangle, and measures its centre as the
   darkness-weighted centroid over that rectangle, grown to take in the
   blurred edge.

Notes
-----
Thresholding midway between paper and ink keeps a blurred square's size
unbiased, and weighting each pixel by its darkness between paper and ink
(instead of a 0/1 mask) makes the centroid sub-pixel and insensitive to
symmetric blur: blur moves ink across the edge, not its centre of mass.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt
from cv2.typing import MatLike

from omrkit._kernels import _centred_moments, _coarse_mask, _dark_blobs

__all__ = [
    "RefinedSquare",
    "SquareCandidate",
    "find_square_candidates",
    "find_square_near",
    "refine_square",
]

_Gray = npt.NDArray[np.uint8]
#: Pixel ``(i, j)``'s centre lies half a pixel in from its corner.
_HALF_PIXEL = 0.5
#: Narrowest window (px) a square can be looked for in.
_MIN_WINDOW_PX = 3
#: A solid rectangle of side ``a`` has variance ``a^2 / 12`` along it; a
#: pixel of unit width adds its own ``1 / 12``.
_RECTANGLE_VARIANCE = 12.0
_PIXEL_VARIANCE = 1.0 / 12.0
#: Rows of shape statistics allowed for at first (more are rare: noise), and
#: the statistics of one shape (see :func:`omrkit._kernels._dark_blobs`).
_BLOB_ROWS = 64
_BLOB_FIELDS = 10
#: Where the pixel count and moments begin among a shape's statistics.
_BLOB_MOMENTS = 4
#: Darkness moments are taken over the fitted rectangle, then over it centred
#: on the centroid found.
_CENTRING_PASSES = 2

#: Paper is the bright end of a window: marks, text and a dark scanner lid
#: can cover most of it, but not nine tenths.
PAPER_QUANTILE = 0.9
#: Ink is the dark end; a mark covers well over this share of a search window.
INK_QUANTILE = 0.001
#: Below this paper-ink difference (grey levels) a window holds no printed mark.
MIN_CONTRAST = 60.0
#: Relative slack on a candidate's side: scale uncertainty, blur and the coarse grid.
COARSE_SIZE_TOLERANCE = 0.25
#: A solid square fills the rectangle of its own second moments, a disc 105 %, a
#: hollow square less than half; on a grid of ten pixels the edges are ragged, so
#: the coarse test only sorts out the clearly hollow or ragged; the
#: full-resolution test is strict.
MIN_COARSE_FILL = 0.75
#: Longest side over shortest side of a square's moment rectangle.
MAX_ASPECT = 1.25
#: Full-resolution window half-width: the turned square's half-diagonal ...
FINE_HALF_SIDES = 0.65
#: ... plus a ring of paper this many pixels wide beyond the coarse uncertainty.
FINE_PAPER_RING_PX = 3
#: Relative slack on the side measured at full resolution, plus one stray edge pixel.
FINE_SIZE_TOLERANCE = 0.15
_EDGE_PIXEL = 1.0
#: Least share of its fitted rectangle a square's ink covers at full resolution
#: (a disc covers 79 %, a hollow square far less).
MIN_FINE_FILL = 0.85
#: The weighted area (ink-equivalent pixels) may differ from side² by this share.
AREA_TOLERANCE = 0.2
#: The weighted rectangle extends beyond the thresholded edge by this share of
#: the side, to take in the blurred half of the edge.
EDGE_GROW_SIDES = 0.08


@dataclass(frozen=True, slots=True)
class SquareCandidate:
    """A square-looking dark shape found on the coarse grid.

    Attributes
    ----------
    x_px, y_px : float
        Approximate centre, continuous full-resolution pixel coordinates.
    side_px : float
        Approximate side in full-resolution pixels.
    ink, paper : float
        Grey levels of ink and paper in the window it was found in.
    """

    x_px: float
    y_px: float
    side_px: float
    ink: float
    paper: float


@dataclass(frozen=True, slots=True)
class RefinedSquare:
    """A solid square measured at full resolution.

    Attributes
    ----------
    x_px, y_px : float
        Darkness-weighted centroid, continuous pixel coordinates.
    side_px : float
        Side of a square with the same ink-equivalent area.
    ink, paper : float
        Grey levels of the mark's ink and of the paper around it.
    """

    x_px: float
    y_px: float
    side_px: float
    ink: float
    paper: float


def find_square_candidates(
    image: _Gray, rect: tuple[int, int, int, int], *, side_px: float, stride: int
) -> list[SquareCandidate]:
    """Solid dark squares of about ``side_px`` inside a window of ``image``.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
    rect : (int, int, int, int)
        Window ``(x0, y0, x1, y1)`` in pixel indices, already clipped to the image.
    side_px : float
        Expected side of the square in pixels.
    stride : int
        Subsampling step of the coarse grid (1 keeps every pixel).

    Returns
    -------
    list of SquareCandidate
        Possibly empty; shapes cut by the window's edge are left out.
    """
    x0, y0 = max(rect[0], 0), max(rect[1], 0)
    x1, y1 = min(rect[2], image.shape[1]), min(rect[3], image.shape[0])
    binary = np.empty((-(-(y1 - y0) // stride), -(-(x1 - x0) // stride)), np.uint8)
    if binary.shape[0] < _MIN_WINDOW_PX or binary.shape[1] < _MIN_WINDOW_PX:
        return []
    # One compiled pass: levels from every other coarse pixel (quantiles need
    # far fewer samples), then the coarse grid thresholded midway between them.
    ink, paper = _coarse_mask(
        np.ascontiguousarray(image), x0, y0, stride, INK_QUANTILE, PAPER_QUANTILE, binary
    )
    if paper - ink < MIN_CONTRAST:
        return []
    side = side_px / stride
    low = side * (1 - COARSE_SIZE_TOLERANCE) - 1
    high = side * (1 + COARSE_SIZE_TOLERANCE) * math.sqrt(2) + 1
    found: list[SquareCandidate] = []
    for pixels, mean_x, mean_y, *spread in _sized_blobs(binary, low, high):
        long, short = _moment_sides(*spread)
        if not short > 0 or long > MAX_ASPECT * short or pixels < MIN_COARSE_FILL * long * short:
            continue
        measured = math.sqrt(pixels)
        if not low <= measured <= side * (1 + COARSE_SIZE_TOLERANCE) + 1:
            continue
        x, y = x0 + mean_x * stride + _HALF_PIXEL, y0 + mean_y * stride + _HALF_PIXEL
        found.append(SquareCandidate(x, y, measured * stride, ink, paper))
    return found


def refine_square(
    image: _Gray, candidate: SquareCandidate, *, side_px: float
) -> RefinedSquare | None:
    """Measure a solid square at full resolution around a coarse candidate.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
    candidate : SquareCandidate
        Approximate centre, within a few pixels, and the window's grey levels.
    side_px : float
        Expected side in pixels.

    Returns
    -------
    RefinedSquare or None
        None when the window leaves the image or the shape there is not a
        solid square of about ``side_px`` (wrong size, not filled, not square).
    """
    half = math.ceil(FINE_HALF_SIDES * side_px) + FINE_PAPER_RING_PX + 1
    col, row = int(candidate.x_px), int(candidate.y_px)
    x0, y0, x1, y1 = col - half, row - half, col + half + 1, row + half + 1
    if x0 < 0 or y0 < 0 or x1 > image.shape[1] or y1 > image.shape[0]:
        return None
    levels = (candidate.ink, candidate.paper)
    contours = _dark_contours(image[y0:y1, x0:x1], levels)
    if not contours:
        return None
    contour = _central_contour(contours, (half, half))
    return _measure_contour(image, contour, (x0, y0), levels, side_px)


def find_square_near(
    image: _Gray, x_px: float, y_px: float, *, side_px: float, reach_px: float
) -> RefinedSquare | None:
    """The solid square of about ``side_px`` nearest to ``(x_px, y_px)``, within ``reach_px``.

    Used for small printed squares (code guard cells) whose place is already
    known to a pixel or two; neighbours farther than ``reach_px`` are ignored.
    The window searched is thresholded midway between its own ink and paper:
    the light across a scan is not even, and a mark elsewhere on the page may
    see other levels.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
    x_px, y_px : float
        Predicted centre, continuous pixel coordinates.
    side_px : float
        Expected side in pixels.
    reach_px : float
        Largest distance of the square's centre from the prediction.

    Returns
    -------
    RefinedSquare or None
    """
    half = reach_px + FINE_HALF_SIDES * side_px + FINE_PAPER_RING_PX
    x0, y0 = max(int(x_px - half), 0), max(int(y_px - half), 0)
    x1 = min(math.ceil(x_px + half), image.shape[1])
    y1 = min(math.ceil(y_px + half), image.shape[0])
    if x1 - x0 < _MIN_WINDOW_PX or y1 - y0 < _MIN_WINDOW_PX:
        return None
    grey = np.ascontiguousarray(image)
    binary = np.empty((y1 - y0, x1 - x0), np.uint8)
    levels = _coarse_mask(grey, x0, y0, 1, INK_QUANTILE, PAPER_QUANTILE, binary)
    if levels[1] - levels[0] < MIN_CONTRAST:
        return None
    contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    contour = _nearest_contour(contours, (x_px - x0, y_px - y0), binary.shape, side_px)
    if contour is None:
        return None
    refined = _measure_contour(grey, contour, (x0, y0), levels, side_px)
    if refined is None or math.hypot(refined.x_px - x_px, refined.y_px - y_px) > reach_px:
        return None
    return refined


def _dark_contours(window: _Gray, levels: tuple[float, float]) -> Sequence[MatLike]:
    """Outer contours of the shapes darker than midway between ink and paper."""
    _, binary = cv2.threshold(window, (levels[0] + levels[1]) / 2, 255, cv2.THRESH_BINARY_INV)
    contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return contours


def _central_contour(contours: Sequence[MatLike], centre: tuple[int, int]) -> MatLike:
    """The contour around the window's centre, else the largest one."""
    point = (float(centre[0]), float(centre[1]))
    for contour in contours:
        if cv2.pointPolygonTest(contour, point, False) >= 0:
            return contour
    return max(contours, key=cv2.contourArea)


def _nearest_contour(
    contours: Sequence[MatLike],
    target: tuple[float, float],
    shape: tuple[int, ...],
    side_px: float,
) -> MatLike | None:
    """The contour whose box centre lies nearest ``target``, of those sized like a square.

    Contours cut by the window's edge are left out, as in the coarse search.
    """
    low = side_px * (1 - COARSE_SIZE_TOLERANCE) - 1
    high = side_px * (1 + COARSE_SIZE_TOLERANCE) * math.sqrt(2) + 1
    height, width = shape[0], shape[1]
    best, best_gap = None, math.inf
    for contour in contours:
        bx, by, bw, bh = cv2.boundingRect(contour)
        if not (low <= bw <= high and low <= bh <= high):
            continue
        if bx == 0 or by == 0 or bx + bw == width or by + bh == height:
            continue
        # Box corners are boundary pixel indices: centres half a pixel in.
        gap = math.hypot(bx + bw / 2 - target[0], by + bh / 2 - target[1])
        if gap < best_gap:
            best, best_gap = contour, gap
    return best


def _measure_contour(
    image: _Gray,
    contour: MatLike,
    origin: tuple[int, int],
    levels: tuple[float, float],
    side_px: float,
) -> RefinedSquare | None:
    """Size, fill and darkness-weighted centroid of the shape ``contour`` outlines.

    ``contour`` is in the pixel indices of a window whose top-left pixel is
    ``origin`` in ``image``. The centroid is taken over the shape's fitted
    rectangle grown by ``EDGE_GROW_SIDES`` of a side, which takes in the
    blurred half of the edge: blur moves ink across the edge, not its centre
    of mass.
    """
    (cx, cy), (width, height), angle = cv2.minAreaRect(contour)
    # Rectangle and contour run through boundary pixel centres: a pixel wider.
    short, long = sorted((width + 1, height + 1))
    slack = side_px * FINE_SIZE_TOLERANCE + _EDGE_PIXEL
    if short < side_px - slack or long > side_px + slack:
        return None
    # Pixels up to ``grow`` pixels beyond the boundary pixels' centres count
    # wholly, the next one by half: the blurred half of the edge is taken in.
    grow = max(1, math.ceil(EDGE_GROW_SIDES * side_px)) + _EDGE_PIXEL + _HALF_PIXEL
    theta = math.radians(angle)
    rectangle = (
        origin[0] + cx + _HALF_PIXEL,
        origin[1] + cy + _HALF_PIXEL,
        math.cos(theta),
        math.sin(theta),
        width / 2 + grow,
        height / 2 + grow,
    )
    # The thresholded outline can sit half a pixel off the shape (a grey level
    # rounding either way at one edge): the rectangle is centred again on the
    # centroid it gave, so that it cuts both blurred edges alike.
    m00, x, y = _centred_moments(np.ascontiguousarray(image), *rectangle, *levels, _CENTRING_PASSES)
    if not m00 > 0:
        return None
    # Ink-equivalent area against the rectangle through the boundary pixels'
    # centres (a small square whose edges fall mid-pixel reaches past its side
    # on both sides) and against the expected area.
    filled = m00 >= MIN_FINE_FILL * (short - 1) * (long - 1)
    if not filled or not abs(m00 / side_px**2 - 1.0) <= AREA_TOLERANCE:
        return None
    return RefinedSquare(x, y, math.sqrt(m00), *levels)


def _sized_blobs(binary: _Gray, low: float, high: float) -> list[list[float]]:
    """``pixels, mean_x, mean_y, var_x, var_y, cov_xy`` of the shapes sized to fit.

    Shapes whose bounding box sides lie in ``[low, high]`` and which are not
    cut by the window's edge; see :func:`omrkit._kernels._dark_blobs`.
    """
    blobs = np.empty((_BLOB_ROWS, _BLOB_FIELDS))
    count = _dark_blobs(binary, low, high, blobs)
    if count > len(blobs):
        blobs = np.empty((count, _BLOB_FIELDS))
        _dark_blobs(binary, low, high, blobs)
    return [row[_BLOB_MOMENTS:] for row in blobs[:count].tolist()]


def _moment_sides(var_x: float, var_y: float, cov_xy: float) -> tuple[float, float]:
    """Long and short side of the solid rectangle with a shape's second moments.

    A solid rectangle of sides ``a`` and ``b`` spreads its area with
    variances ``a^2 / 12`` and ``b^2 / 12`` along its axes, whatever its
    turn; pixels add the ``1 / 12`` of their own width to the variance of
    their centres.
    """
    mean = (var_x + var_y) / 2
    half_gap = math.hypot((var_x - var_y) / 2, cov_xy)
    return (
        math.sqrt(_RECTANGLE_VARIANCE * (mean + half_gap + _PIXEL_VARIANCE)),
        math.sqrt(_RECTANGLE_VARIANCE * max(mean - half_gap + _PIXEL_VARIANCE, 0.0)),
    )
