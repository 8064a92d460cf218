"""What a registered sheet says about itself: its grey levels and printed codes.

Once the layout-to-image transform is known, the reader samples the sheet at
known places:

- :func:`estimate_levels`: the grey of solid ink (inside the registration
  marks) and of blank paper (a ring of margin around them), the two levels
  the fill measurement thresholds between;
- :func:`read_bit_code`: the integer in a row of black/white cells;
- :func:`verify_layout_id`: refuses a sheet printed with another layout;
- :func:`read_serial`: the printed sheet serial.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import numpy.typing as npt

from omrkit._kernels import _cell_means as _cell_means_kernel
from omrkit._kernels import _median_grey
from omrkit.errors import LayoutError, RegistrationError
from omrkit.layout.models import BitCode, SheetLayout, bundled_layout_names, load_layout
from omrkit.registration.homography import local_scale_and_rotation, project_point

if TYPE_CHECKING:
    from omrkit.registration.result import Registration

__all__ = ["Levels", "estimate_levels", "read_bit_code", "read_serial", "verify_layout_id"]

#: Ink is sampled in the central part of a mark, this share of its side.
MARK_INK_SHARE = 0.5
#: Paper is sampled in a ring this far (mm) beyond a mark's edge ...
PAPER_RING_GAP_MM = 1.0
#: ... and this wide (mm): inside the clear margin every mark keeps.
PAPER_RING_WIDTH_MM = 1.5
#: Paper and ink closer than this (grey levels) mean the marks were not solid ink.
#: Deliberately above :data:`omrkit.measure.fill.MIN_LEVEL_CONTRAST` (16), the
#: arithmetic floor below which no credit line can be drawn: a sheet is flagged
#: here, with margin, so that measuring never meets a pair of levels near that floor.
MIN_LEVEL_CONTRAST = 40.0
#: A code cell is sampled over the central share of its side, which stays
#: inside the cell under half a pixel of misregistration and blur.
CELL_SAMPLE_SHARE = 0.5
#: A cell whose mean lies within this share of the contrast of the midpoint is
#: unreadable: a smudge, not a clear black or white.
CELL_AMBIGUITY = 0.25
#: Cells of a code without known levels must span at least this contrast.
MIN_CODE_CONTRAST = 40.0
#: Levels are sampled every this many pixels each way: medians need far
#: fewer samples than a mark and its margin hold.
_SAMPLE_STEP = 2


class Levels(NamedTuple):
    """Grey levels of the sheet's blank paper and solid ink (0..255)."""

    paper: float
    ink: float


def estimate_levels(
    image: npt.NDArray[np.uint8], registration: Registration, layout: SheetLayout
) -> Levels:
    """Paper and ink grey levels of a registered sheet.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
    registration : Registration
        From :func:`omrkit.registration.register` on ``image``.
    layout : SheetLayout

    Returns
    -------
    Levels
        ``paper``: median grey of a ring of blank margin around the marks;
        ``ink``: median grey of the marks' centres.

    Raises
    ------
    RegistrationError
        If no mark can be sampled or paper and ink differ by less than
        ``MIN_LEVEL_CONTRAST``.
    """
    scale = registration.quality.scale
    dropped = registration.dropped_marks
    # Plain floats: five points cost less than the array calls around them.
    h = registration.homography.tolist()
    ink: list[tuple[int, int, int, int]] = []
    paper: list[tuple[int, int, int, int]] = []
    for mark in layout.marks:
        if mark.id in dropped:
            continue
        x, y, _ = project_point(h, mark.x_mm, mark.y_mm)
        half = mark.size_mm * scale / 2
        inner = _box(image, x, y, MARK_INK_SHARE * half)
        ring = _ring(image, x, y, half + PAPER_RING_GAP_MM * scale, PAPER_RING_WIDTH_MM * scale)
        if inner is not None and ring is not None:
            ink.append(inner)
            paper.extend(ring)
    if not ink:
        raise RegistrationError("no registration mark lies wholly on the image to sample")
    grey = np.ascontiguousarray(image)
    levels = Levels(
        paper=_median_grey(grey, np.array(paper, dtype=np.int64), _SAMPLE_STEP),
        ink=_median_grey(grey, np.array(ink, dtype=np.int64), _SAMPLE_STEP),
    )
    if levels.paper - levels.ink < MIN_LEVEL_CONTRAST:
        raise RegistrationError(
            f"paper ({levels.paper:.0f}) and mark ink ({levels.ink:.0f}) are too close in grey:"
            f" expected at least {MIN_LEVEL_CONTRAST:.0f} levels apart",
            field="marks",
        )
    return levels


def read_bit_code(
    image: npt.NDArray[np.uint8],
    homography: npt.NDArray[np.float64],
    code: BitCode,
    *,
    levels: Levels | None = None,
) -> int | None:
    """Read the integer printed in a bit code.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
    homography : (3, 3) ndarray of float64
        Layout mm to image px.
    code : BitCode
    levels : Levels, optional
        Paper and ink of the sheet (:func:`estimate_levels`); without them the
        threshold lies midway between the code's darkest and brightest cells.

    Returns
    -------
    int or None
        None when a cell is off the image or neither clearly black nor white,
        when the code's cells show no contrast, or when guards or parity fail.
    """
    means = _cell_means(image, homography, code)
    if means is None:
        return None
    if levels is None:
        dark, bright = float(means.min()), float(means.max())
        if bright - dark < MIN_CODE_CONTRAST:
            return None
    else:
        dark, bright = levels.ink, levels.paper
    middle = (dark + bright) / 2
    if np.any(np.abs(means - middle) < CELL_AMBIGUITY * (bright - dark)):
        return None
    return code.decode(means < middle)


def verify_layout_id(
    image: npt.NDArray[np.uint8],
    registration: Registration,
    layout: SheetLayout,
    *,
    levels: Levels | None = None,
    path: str | Path | None = None,
) -> int:
    """Check that the sheet was printed with ``layout``; return the code read.

    Raises
    ------
    LayoutError
        If the printed layout code differs from ``layout.layout_code``, naming
        both (and the bundled layout the printed code belongs to, if any), or
        if the code cannot be read at all.
    """
    code = layout.layout_id_code
    value = read_bit_code(
        image,
        registration.homography,
        code,
        levels=levels if levels is not None else estimate_levels(image, registration, layout),
    )
    if value is None:
        raise LayoutError(
            f"the layout code at ({code.x_mm}, {code.y_mm}) mm cannot be read; expected code"
            f" {layout.layout_code} of {layout.layout_id!r}: is this sheet of that layout?",
            path=path,
            field=code.id,
        )
    if value != layout.layout_code:
        known = _bundled_layouts_by_code().get(value)
        named = f" ({known!r})" if known else ""
        raise LayoutError(
            f"sheet was printed with layout code {value}{named}, you are reading it with"
            f" {layout.layout_id!r} (code {layout.layout_code})",
            path=path,
            field=code.id,
        )
    return value


def read_serial(
    image: npt.NDArray[np.uint8],
    registration: Registration,
    layout: SheetLayout,
    *,
    levels: Levels | None = None,
) -> int | None:
    """The printed sheet serial, or None if the layout has none or it cannot be read."""
    if layout.serial_code is None:
        return None
    return read_bit_code(image, registration.homography, layout.serial_code, levels=levels)


def _cell_means(
    image: npt.NDArray[np.uint8], homography: npt.NDArray[np.float64], code: BitCode
) -> npt.NDArray[np.float64] | None:
    scale, _ = local_scale_and_rotation(homography, code.x_mm, code.y_mm)
    half = max(0, math.floor(CELL_SAMPLE_SHARE * code.cell_mm * scale / 2))
    means = np.empty(code.n_cells)
    inside = _cell_means_kernel(
        np.ascontiguousarray(image),
        np.ascontiguousarray(homography, dtype=np.float64),
        _cell_centres(code),
        half,
        means,
    )
    return means if inside else None


@lru_cache(maxsize=64)
def _cell_centres(code: BitCode) -> npt.NDArray[np.float64]:
    """Cell centres of a code, mm: computed once per code, as a batch repeats it."""
    centres = np.ascontiguousarray(code.cell_centers_mm(), dtype=np.float64)
    centres.flags.writeable = False
    return centres


def _box(
    image: npt.NDArray[np.uint8], x: float, y: float, half: float
) -> tuple[int, int, int, int] | None:
    """Box ``(col0, row0, col1, row1)`` reaching ``half`` px around ``(x, y)``, if on the image."""
    x0, y0 = math.floor(x - half), math.floor(y - half)
    x1, y1 = math.ceil(x + half), math.ceil(y + half)
    if x0 < 0 or y0 < 0 or x1 > image.shape[1] or y1 > image.shape[0] or x1 <= x0 or y1 <= y0:
        return None
    return x0, y0, x1, y1


def _ring(
    image: npt.NDArray[np.uint8], x: float, y: float, inner: float, width: float
) -> list[tuple[int, int, int, int]] | None:
    """Four boxes between axis-aligned squares of half-sides ``inner`` and ``inner + width``."""
    outer = _box(image, x, y, inner + width)
    if outer is None:
        return None
    x0, y0, x1, y1 = outer
    band = max(1, round(width))
    return [
        (x0, y0, x1, y0 + band),
        (x0, y1 - band, x1, y1),
        (x0, y0 + band, x0 + band, y1 - band),
        (x1 - band, y0 + band, x1, y1 - band),
    ]


@lru_cache(maxsize=1)
def _bundled_layouts_by_code() -> dict[int, str]:
    """Bundled layout ids by their printed code, to name a sheet's true layout."""
    found: dict[int, str] = {}
    for name in bundled_layout_names():
        try:
            found.setdefault(load_layout(name).layout_code, name)
        except LayoutError:
            continue
    return found
