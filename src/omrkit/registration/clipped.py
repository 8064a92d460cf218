"""Registration squares cut off by the image's edge.

A sheet fed a few degrees askew through a feeder whose image is no wider than
the page loses the outer corner of one or two registration squares. What is
left still fixes the square: its side is known (the layout's, at the scale
the other marks give) and so is its rotation, so the square whose visible
part best covers the dark shape seen at the image's edge has exactly one
centre. :func:`measure_clipped_square` finds it by rendering that square at
candidate centres and keeping the one whose visible part matches the shape.

It is used only where a mark could not be measured as a whole square and
its window runs off the image; the transform fitted with such a centre is
always cross-checked on the code guard cells
(:func:`~omrkit.registration.fit.solve_with_guards`), so a wrongly placed
clipped square is left out of the fit, never read through.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import numpy.typing as npt

__all__ = ["MIN_MATCH_SHARE", "MIN_VISIBLE_SHARE", "measure_clipped_square"]

#: Least share of the square that must be visible: less leaves its centre
#: fixed by one edge only.
MIN_VISIBLE_SHARE = 0.3
#: Least intersection-over-union of the rendered visible part and the dark shape.
MIN_MATCH_SHARE = 0.85
#: How far (share of the side) the centre may lie from where the other marks put it.
_REACH_SIDES = 0.35
#: Sub-pixel bits of the rendered polygon (1/16 px) and the final search step (px).
_SHIFT_BITS = 4
_FINE_STEP_PX = 0.25


def measure_clipped_square(
    image: npt.NDArray[np.uint8],
    predicted_px: tuple[float, float],
    *,
    side_px: float,
    rotation_deg: float,
    threshold: float,
) -> tuple[float, float] | None:
    """Centre of a square cut by the image's edge, from its visible part.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
    predicted_px : (float, float)
        Where the other marks put its centre.
    side_px : float
        The square's side in pixels.
    rotation_deg : float
        The page's rotation, degrees, positive clockwise (y down).
    threshold : float
        Grey level between ink and paper.

    Returns
    -------
    (float, float) or None
        The centre (possibly outside the image); None when the square is not
        cut by the edge, too little of it shows, or no square matches.
    """
    height, width = image.shape
    reach = _REACH_SIDES * side_px
    half = side_px * math.sqrt(2) / 2 + reach + 2
    px, py = predicted_px
    x0, y0 = math.floor(px - half), math.floor(py - half)
    x1, y1 = math.ceil(px + half) + 1, math.ceil(py + half) + 1
    cx0, cy0, cx1, cy1 = max(x0, 0), max(y0, 0), min(x1, width), min(y1, height)
    if (cx0, cy0, cx1, cy1) == (x0, y0, x1, y1) or cx1 - cx0 < 2 or cy1 - cy0 < 2:
        return None  # not cut by the edge: the whole-square measurement is the one to use
    dark = (image[cy0:cy1, cx0:cx1] < threshold).astype(np.uint8)
    origin = np.array([cx0, cy0], dtype=np.float64)
    corners = _corners(side_px, rotation_deg)
    x, y, score = px, py, -1.0
    for step, span in ((1.0, reach), (_FINE_STEP_PX, 1.0)):
        offsets = np.arange(-span, span + step / 2, step)
        scores = np.array(
            [
                [_overlap(dark, corners + np.array([x + dx, y + dy]) - origin) for dx in offsets]
                for dy in offsets
            ]
        )
        # Whole pixels make the overlap flat across a fraction of a pixel:
        # the middle of the best plateau is the centre.
        rows, cols = np.nonzero(scores >= scores.max() - 1e-12)
        score = float(scores.max())
        x, y = x + float(offsets[cols].mean()), y + float(offsets[rows].mean())
    visible = _render(dark.shape, corners + np.array([x, y]) - origin).sum()
    if score < MIN_MATCH_SHARE or visible < MIN_VISIBLE_SHARE * side_px**2:
        return None
    return float(x), float(y)


def _corners(side_px: float, rotation_deg: float) -> npt.NDArray[np.float64]:
    """The square's corners about its centre, (4, 2)."""
    angle = math.radians(rotation_deg)
    c, s = math.cos(angle), math.sin(angle)
    half = side_px / 2
    unit = np.array([[-half, -half], [half, -half], [half, half], [-half, half]])
    rotated: npt.NDArray[np.float64] = unit @ np.array([[c, s], [-s, c]])
    return rotated


def _render(shape: tuple[int, ...], corners: npt.NDArray[np.float64]) -> npt.NDArray[np.uint8]:
    canvas = np.zeros(shape, dtype=np.uint8)
    # Pixel centres sit at integer coordinates, as in the rest of registration.
    points = np.round(corners * (1 << _SHIFT_BITS)).astype(np.int32)
    cv2.fillConvexPoly(canvas, points, 1, lineType=cv2.LINE_8, shift=_SHIFT_BITS)
    return canvas


def _overlap(dark: npt.NDArray[np.uint8], corners: npt.NDArray[np.float64]) -> float:
    """Intersection over union of the rendered square's visible part and the dark mask."""
    square = _render(dark.shape, corners)
    both = int(np.count_nonzero(square & dark))
    either = int(np.count_nonzero(square | dark))
    return both / either if either else 0.0
