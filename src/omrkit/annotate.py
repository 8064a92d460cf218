"""Review images: an overlay of a reading on its scan, and one upright crop per slot.

Opt-in and separate from reading (STYLE habit 3): nothing here runs unless an
operator or the appeal commission asks for pictures. Each bubble is outlined by
its state and labelled with its measured fill percentage, which is exactly what
the commission checks against the 50 % rule (UNT-APL-17, UNT-APL-20).
"""

from __future__ import annotations

from enum import StrEnum

import cv2
import numpy as np
import numpy.typing as npt

from omrkit.errors import OmrError
from omrkit.layout.models import SheetLayout
from omrkit.types import SheetReading, SlotState

__all__ = ["BubbleMark", "bubble_marks", "overlay", "overlay_png", "slot_crops"]

#: BGR colours per state; chosen to stay distinguishable for red-green colour blindness.
_COLOURS: dict[str, tuple[int, int, int]] = {
    "blank": (170, 170, 170),
    "marked": (200, 90, 0),  # blue
    "multiple": (0, 0, 220),  # red
    "review": (0, 165, 255),  # orange
}
#: Pixels per millimetre of the slot crops (~300 dpi: enough to see pencil texture).
CROP_PX_PER_MM = 12.0
CROP_MARGIN_MM = 2.5
#: Fill labels: the widest label ("100") spans this share of the bubble's diameter.
LABEL_WIDEST = "100"
LABEL_WIDTH_SHARE = 0.95
#: Stroke (px) per unit of font scale, and the white halo's extra width (px).
LABEL_STROKE_PER_SCALE = 2.0
LABEL_HALO_PX = 3


class BubbleMark(StrEnum):
    """How a bubble is drawn on the overlay."""

    BLANK = "blank"
    MARKED = "marked"
    MULTIPLE = "multiple"
    REVIEW = "review"


def _homography(reading: SheetReading) -> npt.NDArray[np.float64]:
    if len(reading.homography) != 9:
        raise OmrError("reading carries no registration transform", path=reading.source)
    return np.asarray(reading.homography, dtype=np.float64).reshape(3, 3)


def bubble_marks(
    layout: SheetLayout, reading: SheetReading, *, threshold: float = 0.5
) -> list[BubbleMark]:
    """The overlay state of every bubble, aligned with ``layout.bubbles``.

    A bubble of a slot flagged for review is ``review``; a marked bubble of a
    ``multiple`` slot is ``multiple``; other bubbles are ``marked`` or ``blank``
    by the 50 % rule.
    """
    arrays = layout.bubbles
    states = [s for f in layout.fields for s in reading.fields[f.id].states]
    reviews = [r for f in layout.fields for r in reading.fields[f.id].review]
    marks: list[BubbleMark] = []
    for s in range(arrays.n_slots):
        for i in range(int(arrays.slot_offsets[s]), int(arrays.slot_offsets[s + 1])):
            marked = reading.fill_ratios[i] >= threshold
            if reviews[s]:
                marks.append(BubbleMark.REVIEW)
            elif marked and states[s] is SlotState.MULTIPLE:
                marks.append(BubbleMark.MULTIPLE)
            else:
                marks.append(BubbleMark.MARKED if marked else BubbleMark.BLANK)
    return marks


def overlay(
    image: npt.NDArray[np.uint8], layout: SheetLayout, reading: SheetReading
) -> npt.NDArray[np.uint8]:
    """Draw every bubble's state and fill % over the scan, the sheet upright.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
        The grey scan the reading came from.
    layout, reading
        The layout it was read with and the reading.

    Returns
    -------
    (H, W, 3) ndarray of uint8
        A BGR picture, ready for ``cv2.imencode``.
    """
    if image.ndim != 2 or image.dtype != np.uint8:
        raise ValueError(f"image must be a 2-D uint8 array, got {image.dtype} {image.shape}")
    h = _homography(reading)
    if reading.quality.upside_down:
        # Show the sheet as it was printed: turn the picture and its transform alike.
        n_rows, n_cols = image.shape
        image = np.ascontiguousarray(image[::-1, ::-1])
        h = np.array([[-1.0, 0.0, n_cols], [0.0, -1.0, n_rows], [0.0, 0.0, 1.0]]) @ h
    arrays = layout.bubbles
    pts = cv2.perspectiveTransform(arrays.centers_mm.reshape(-1, 1, 2), h).reshape(-1, 2)
    px_per_mm = reading.quality.scale
    canvas: npt.NDArray[np.uint8] = np.asarray(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR), np.uint8)
    for i, mark in enumerate(bubble_marks(layout, reading)):
        # Shift by half a pixel: cv2 draws in index coordinates, ours are continuous.
        cx, cy = pts[i] - 0.5
        r = arrays.radii_mm[i] * px_per_mm
        colour = _COLOURS[mark.value]
        thickness = 1 if mark is BubbleMark.BLANK else 2
        cv2.circle(canvas, (round(cx), round(cy)), round(r + 2), colour, thickness, cv2.LINE_AA)
        if mark is not BubbleMark.BLANK:
            _label(canvas, f"{round(100 * reading.fill_ratios[i])}", (cx, cy), r, colour)
    return canvas


def _label(
    canvas: npt.NDArray[np.uint8],
    text: str,
    centre_px: tuple[float, float],
    radius_px: float,
    colour: tuple[int, int, int],
) -> None:
    """Write ``text`` centred on a bubble, as wide as the bubble, over a white halo.

    Inside its own bubble a label never runs into the next one, and the halo
    keeps it legible over a dark mark.
    """
    face = cv2.FONT_HERSHEY_SIMPLEX
    (width, _height), _ = cv2.getTextSize(LABEL_WIDEST, face, 1.0, 1)
    scale = LABEL_WIDTH_SHARE * 2 * radius_px / width
    stroke = max(1, round(scale * LABEL_STROKE_PER_SCALE))
    (w, h), _ = cv2.getTextSize(text, face, scale, stroke)
    org = (round(centre_px[0] - w / 2), round(centre_px[1] + h / 2))
    halo = stroke + LABEL_HALO_PX
    cv2.putText(canvas, text, org, face, scale, (255, 255, 255), halo, cv2.LINE_AA)
    cv2.putText(canvas, text, org, face, scale, colour, stroke, cv2.LINE_AA)


def overlay_png(image: npt.NDArray[np.uint8], layout: SheetLayout, reading: SheetReading) -> bytes:
    """:func:`overlay` encoded as PNG bytes."""
    ok, buf = cv2.imencode(".png", overlay(image, layout, reading))
    if not ok:  # pragma: no cover - cv2 only fails on impossible shapes
        raise OmrError("could not encode overlay", path=reading.source)
    return bytes(buf)


def slot_crops(
    image: npt.NDArray[np.uint8], layout: SheetLayout, reading: SheetReading
) -> dict[str, npt.NDArray[np.uint8]]:
    """One upright grey crop per slot, keyed ``"<field>.<slot>"``.

    Notes
    -----
    Each crop is resampled through the registration transform, so a sheet fed
    upside down or skewed still gives upright crops at a fixed
    :data:`CROP_PX_PER_MM`, which is what the answer-analysis card prints.
    """
    h = _homography(reading)
    arrays = layout.bubbles
    crops: dict[str, npt.NDArray[np.uint8]] = {}
    for s, slot_id in enumerate(arrays.slot_ids):
        lo, hi = int(arrays.slot_offsets[s]), int(arrays.slot_offsets[s + 1])
        c, r = arrays.centers_mm[lo:hi], arrays.radii_mm[lo:hi, None]
        x0, y0 = (c - r).min(axis=0) - CROP_MARGIN_MM
        x1, y1 = (c + r).max(axis=0) + CROP_MARGIN_MM
        width = round((x1 - x0) * CROP_PX_PER_MM)
        height = round((y1 - y0) * CROP_PX_PER_MM)
        # crop pixel centre (u+0.5, v+0.5) -> mm -> image continuous px -> index px
        to_mm = np.array([[1 / CROP_PX_PER_MM, 0, x0], [0, 1 / CROP_PX_PER_MM, y0], [0, 0, 1]])
        half = np.array([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1]])
        unhalf = np.array([[1, 0, -0.5], [0, 1, -0.5], [0, 0, 1]])
        m = unhalf @ h @ to_mm @ half
        crop = cv2.warpPerspective(
            image,
            m,
            (width, height),
            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
            borderValue=255,
        )
        crops[slot_id] = np.asarray(crop, dtype=np.uint8)
    return crops
