"""Reading a sheet photographed on a desk: find the page, rectify, read.

A phone photo holds the page somewhere in a larger picture, seen at an
angle. :func:`find_page` finds the page's outline (the largest bright
four-sided shape); :func:`read_photo` warps the page inside it flat, at a
chosen resolution, and reads the flat page as a scan, whose registration
marks then correct what the outline left (a soft page edge, a slight bow).
The reading's homography is given back in the photo's own pixels.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from omrkit.decode.images import decode_image, read_source_bytes
from omrkit.errors import RegistrationError
from omrkit.layout.models import SheetLayout, load_layout
from omrkit.read.sheet import DEFAULT_OPTIONS, ReadOptions, read_image
from omrkit.types import SheetReading

__all__ = ["MIN_PAGE_SHARE", "PHOTO_DPI", "find_page", "read_photo"]

#: Resolution the page is rectified to: the engine's accuracy bars are met at 150-300 dpi.
PHOTO_DPI = 200
#: Least share of the photo the page's outline must cover.
MIN_PAGE_SHARE = 0.15
#: Longest side (px) of the reduced photo the outline is looked for in.
_FIND_SIDE_PX = 900
#: Outline simplification tolerances tried, as shares of its perimeter.
_POLY_SHARES = (0.01, 0.02, 0.03, 0.05)
#: Closing kernel (px, reduced photo) that bridges marks and print near the page edge.
_CLOSE_PX = 5
#: Opening kernel (px, reduced photo): wider than a bright fleck of the desk.
_OPEN_PX = 9
#: Window (mm) over which the paper's brightness is taken, wider than a
#: registration mark or a filled bubble; the cell (px) it is computed on.
_PAPER_WINDOW_MM = 14.0
_LIGHT_CELL_PX = 8
#: Grey the paper is brought to.
_FLAT_PAPER = 240.0
_INDEX_TO_CONTINUOUS = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.0, 0.0, 1.0]])
_CORNERS = 4


def find_page(image: npt.NDArray[np.uint8]) -> npt.NDArray[np.float64]:
    """Corners of the page in a photo, continuous pixels.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
        Grey photo, 0 black.

    Returns
    -------
    (4, 2) ndarray of float64
        The page's corners, top-left, top-right, bottom-right, bottom-left as
        they lie in the photo.

    Raises
    ------
    RegistrationError
        If no bright four-sided shape covers ``MIN_PAGE_SHARE`` of the photo.
    """
    height, width = image.shape
    shrink = min(1.0, _FIND_SIDE_PX / max(height, width))
    small = cv2.resize(image, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    _, bright = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((_CLOSE_PX, _CLOSE_PX), np.uint8))
    # Opening wider than the desk's bright grain detaches it from the page.
    bright = cv2.morphologyEx(bright, cv2.MORPH_OPEN, np.ones((_OPEN_PX, _OPEN_PX), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        raise RegistrationError("no page found in the photo: nothing brighter than its background")
    outline = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(outline) / (small.shape[0] * small.shape[1])
    hull = cv2.convexHull(outline)
    # The loosest tolerance first that leaves four corners: a soft or shaded
    # page edge bends the outline a little, never by a tenth of its length.
    for tolerance in _POLY_SHARES:
        poly = cv2.approxPolyDP(hull, tolerance * cv2.arcLength(hull, True), True)
        if len(poly) <= _CORNERS:
            break
    if share < MIN_PAGE_SHARE or len(poly) != _CORNERS:
        raise RegistrationError(
            f"no page outline found in the photo: the largest bright shape covers"
            f" {share:.0%} of it (at least {MIN_PAGE_SHARE:.0%} needed) with {len(poly)}"
            f" corners (4 needed); photograph the whole sheet against a darker surface"
        )
    corners = poly.reshape(_CORNERS, 2).astype(np.float64) / shrink
    return _ordered(corners)


def _ordered(corners: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Corners clockwise (y down) from the one nearest the photo's top-left."""
    centre = corners.mean(axis=0)
    angles = np.arctan2(corners[:, 1] - centre[1], corners[:, 0] - centre[0])
    clockwise = corners[np.argsort(angles)]
    first = int(np.argmin(clockwise.sum(axis=1)))
    return np.roll(clockwise, -first, axis=0)


def flatten_light(page: npt.NDArray[np.uint8], px_per_mm: float) -> npt.NDArray[np.uint8]:
    """The page with its lighting made even: each pixel over the paper around it.

    A photo's light falls off towards its corners and a shadow darkens part
    of the page, so one paper level for the whole sheet would turn blank
    bubbles in the shade into half-filled ones. The paper's local brightness
    is the largest grey within ``_PAPER_WINDOW_MM`` (wider than any printed
    or inked shape), smoothed; dividing by it leaves ink and print as they
    were against paper at ``_FLAT_PAPER``.

    Parameters
    ----------
    page : (H, W) ndarray of uint8
    px_per_mm : float

    Returns
    -------
    (H, W) ndarray of uint8
    """
    height, width = page.shape
    shrink = 1.0 / _LIGHT_CELL_PX
    small = cv2.resize(page, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
    side = max(3, round(_PAPER_WINDOW_MM * px_per_mm * shrink) | 1)
    paper = cv2.dilate(small, np.ones((side, side), np.uint8))
    paper = cv2.GaussianBlur(paper.astype(np.float32), (0, 0), side / 2)
    light = cv2.resize(paper, (width, height), interpolation=cv2.INTER_LINEAR)
    flat = page.astype(np.float32) * (np.float32(_FLAT_PAPER) / np.maximum(light, 1.0))
    return np.asarray(cv2.convertScaleAbs(np.minimum(flat, 255.0)), dtype=np.uint8)


def read_photo(
    source: str | Path | bytes | npt.NDArray[np.uint8],
    layout: SheetLayout | str | Path,
    *,
    dpi: int = PHOTO_DPI,
    options: ReadOptions = DEFAULT_OPTIONS,
) -> SheetReading:
    """Read a sheet photographed on a desk.

    Parameters
    ----------
    source : path, bytes or (H, W) ndarray of uint8
        The photo (a file, its bytes, or decoded grey pixels).
    layout : SheetLayout, bundled name or JSON path
    dpi : int
        Resolution the page is rectified to.
    options : ReadOptions
        As for :func:`~omrkit.read.sheet.read_sheet`; its ``dpi_hint`` is
        replaced by ``dpi``.

    Returns
    -------
    SheetReading
        Its ``homography`` maps layout mm to the photo's pixels; its flags
        hold ``photo-rectified``.

    Raises
    ------
    RegistrationError
        If no page outline is found, or the rectified page's marks cannot be.
    DecodeError, LayoutError
        As for :func:`~omrkit.read.sheet.read_sheet`.
    """
    sheet_layout = load_layout(layout)
    path = None if isinstance(source, bytes | np.ndarray) else str(source)
    if isinstance(source, np.ndarray):
        image = source
    else:
        image = decode_image(read_source_bytes(source, path=path), path=path)
    try:
        corners = find_page(image)
    except RegistrationError as exc:
        raise RegistrationError(str(exc), path=path) from None
    px_per_mm = dpi / 25.4
    size = (
        round(sheet_layout.page.width_mm * px_per_mm),
        round(sheet_layout.page.height_mm * px_per_mm),
    )
    flat_corners = np.array(
        [[0, 0], [size[0], 0], [size[0], size[1]], [0, size[1]]], dtype=np.float32
    )
    flat_to_photo = np.asarray(
        cv2.getPerspectiveTransform(flat_corners, corners.astype(np.float32)), dtype=np.float64
    )
    by_index = np.linalg.inv(_INDEX_TO_CONTINUOUS) @ flat_to_photo @ _INDEX_TO_CONTINUOUS
    flat = cv2.warpPerspective(
        image,
        by_index,
        size,
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_REPLICATE,
    )
    reading = read_image(
        flatten_light(np.asarray(flat, dtype=np.uint8), px_per_mm),
        sheet_layout,
        options=options.model_copy(update={"dpi_hint": float(dpi)}),
        source=path,
    )
    homography = flat_to_photo @ np.array(reading.homography).reshape(3, 3)
    homography /= homography[2, 2]
    return reading.model_copy(
        update={
            "homography": tuple(float(v) for v in homography.ravel()),
            "flags": (*reading.flags, "photo-rectified"),
        }
    )
