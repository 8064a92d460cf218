"""The numbers of one calibration scan: levels, grey reference, fill response, uniformity.

Every measurement uses the same registration and the same fill kernel as
reading an answer sheet, so the response curve is what the reader itself
sees on this scanner.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from omrkit.errors import CalibrationError, OmrError
from omrkit.layout.models import PREFILL_TONE_GREY, PrefillTone, SheetLayout
from omrkit.layout.targets import target_corners_mm
from omrkit.measure.fill import fill_ratios
from omrkit.measure.ink import sheet_fill_ratios
from omrkit.registration.codes import Levels, estimate_levels, verify_layout_id
from omrkit.registration.register import Registration, register

__all__ = ["ScanMeasurement", "measure_scan", "prefill_response", "register_calibration"]

_GREY_MAX = 255.0
#: Share of a solid reference disc's radius sampled for its grey: clear of blurred edges.
CORE_SHARE = 0.6
#: Kernel settings that make its credit linear in darkness (mean darkness of a disc).
_LINEAR = (0.5, 0.49)
#: Resolution of the uniformity map, mm per cell; and of the paper column profile.
MAP_CELL_MM = 6.0
COLUMN_MM = 1.0
#: A cell's paper is its brightest share: print and ink cover less than this.
PAPER_QUANTILE = 0.8
#: Margin left out around a test target in the paper profile, mm.
TARGET_MARGIN_MM = 1.0
#: Fewest finite prefill readings for a usable scan (the sheet must be whole).
MIN_PREFILL_SHARE = 0.95


@dataclass(frozen=True, slots=True)
class ScanMeasurement:
    """One scan's numbers.

    Attributes
    ----------
    registration : Registration
    levels : Levels
    grey_darkness : float
        Darkness of the solid pencil-grey reference, 0..1 of the range.
    response : dict of str to (K, 2) ndarray
        Per ink: printed fraction and median measured fill, rows by fraction.
    paper_columns : (C,) ndarray of float64
        Paper darkness per ``COLUMN_MM`` page column (0 = page median).
    paper_map : (R, Q) ndarray of float64
        Paper darkness per ``MAP_CELL_MM`` cell, relative to the page median.
    """

    registration: Registration
    levels: Levels
    grey_darkness: float
    response: dict[str, npt.NDArray[np.float64]]
    paper_columns: npt.NDArray[np.float64]
    paper_map: npt.NDArray[np.float64]


def register_calibration(
    image: npt.NDArray[np.uint8], layout: SheetLayout, *, source: str
) -> tuple[Registration, Levels]:
    """Find the calibration sheet in ``image``, or raise :class:`CalibrationError` saying why."""
    try:
        registration = register(image, layout, path=source)
        levels = estimate_levels(image, registration, layout)
        verify_layout_id(image, registration, layout, levels=levels, path=source)
    except OmrError as exc:
        raise CalibrationError(
            f"not a usable scan of the {layout.layout_id!r} sheet: {exc.message}",
            path=source,
            field=exc.field,
        ) from exc
    return registration, levels


def prefill_response(
    layout: SheetLayout, fills: npt.NDArray[np.float64]
) -> dict[str, npt.NDArray[np.float64]]:
    """Per tone, (K, 2): printed fraction and the median fill measured over its repeats."""
    index = {(f.id, s.id, b.symbol): i for i, (f, s, b) in enumerate(layout.iter_bubbles())}
    out: dict[str, npt.NDArray[np.float64]] = {}
    for tone in PrefillTone:
        pairs = np.array(
            [
                (p.fraction, fills[index[(p.field_id, p.slot_id, p.symbol)]])
                for p in layout.prefills
                if p.tone is tone
            ]
        )
        fractions = np.unique(pairs[:, 0])
        medians = [np.nanmedian(pairs[pairs[:, 0] == f, 1]) for f in fractions]
        out[tone.value] = np.column_stack([fractions, medians])
    return out


def measure_scan(
    image: npt.NDArray[np.uint8],
    layout: SheetLayout,
    *,
    source: str,
    tone_table: npt.NDArray[np.uint8] | None = None,
) -> ScanMeasurement:
    """Measure one scan of the calibration sheet.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
    layout : SheetLayout
        The calibration layout.
    source : str
        Name of the scan, for errors.
    tone_table : (256,) ndarray of uint8, optional
        Grey correction applied before the fills are measured (a profile's).

    Raises
    ------
    CalibrationError
        If the scan is not a whole, readable calibration sheet.
    """
    registration, levels = register_calibration(image, layout, source=source)
    h = registration.homography
    arrays = layout.bubbles
    measured = image if tone_table is None else tone_table[image]
    fills = sheet_fill_ratios(measured, h, arrays, paper_level=levels.paper, ink_level=levels.ink)
    if np.isfinite(fills).mean() < MIN_PREFILL_SHARE:
        raise CalibrationError(
            "part of the calibration sheet is missing from the scan", path=source
        )
    grey = _grey_darkness(image, layout, registration, levels)
    columns, cells = _paper_profile(image, registration, layout, levels)
    return ScanMeasurement(
        registration, levels, grey, prefill_response(layout, fills), columns, cells
    )


def _grey_darkness(
    image: npt.NDArray[np.uint8], layout: SheetLayout, registration: Registration, levels: Levels
) -> float:
    index = {(f.id, s.id, b.symbol): i for i, (f, s, b) in enumerate(layout.iter_bubbles())}
    solid = [
        index[(p.field_id, p.slot_id, p.symbol)]
        for p in layout.prefills
        if p.tone is PrefillTone.PENCIL and p.fraction >= 1.0
    ]
    arrays = layout.bubbles
    darkness = fill_ratios(
        image,
        registration.homography,
        arrays.centers_mm[solid],
        arrays.radii_mm[solid] * CORE_SHARE,
        paper_level=levels.paper,
        ink_level=levels.ink,
        threshold=_LINEAR[0],
        ramp=_LINEAR[1],
    )
    return float(np.nanmedian(darkness))


def printed_grey_darkness() -> float:
    """Darkness of the pencil-grey prefill as printed, 0..1."""
    return 1.0 - PREFILL_TONE_GREY[PrefillTone.PENCIL] / _GREY_MAX


def _paper_profile(
    image: npt.NDArray[np.uint8], registration: Registration, layout: SheetLayout, levels: Levels
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Paper darkness by page column and by cell, relative to the page median.

    The page is resampled to ``COLUMN_MM`` per pixel through the registration
    (area-averaged first, so the sample is not aliased), and each column's or
    cell's paper is its ``PAPER_QUANTILE`` brightest grey.
    """
    width, height = layout.page.width_mm, layout.page.height_mm
    scale = registration.quality.scale
    small = cv2.resize(
        image, None, fx=1 / scale, fy=1 / scale, interpolation=cv2.INTER_AREA
    ).astype(np.float32)
    down = np.diag([1 / scale, 1 / scale, 1.0])
    # Continuous coordinates: pixel centres at +0.5 on both sides of the map.
    half = np.array([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1.0]])
    to_small = np.linalg.inv(half) @ down @ registration.homography @ half
    page = cv2.warpPerspective(
        small,
        to_small,
        (round(width / COLUMN_MM), round(height / COLUMN_MM)),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderValue=float(levels.paper),
    )
    contrast = max(levels.paper - levels.ink, 1.0)
    darkness = (levels.paper - page) / contrast
    # Test targets are print, not paper: left out (no target spans a whole column).
    for t in layout.targets:
        xs, ys = zip(*target_corners_mm(t), strict=True)
        x0, y0 = (max(math.floor((min(v) - TARGET_MARGIN_MM) / COLUMN_MM), 0) for v in (xs, ys))
        x1, y1 = (math.ceil((max(v) + TARGET_MARGIN_MM) / COLUMN_MM) for v in (xs, ys))
        darkness[y0:y1, x0:x1] = np.nan
    paper = 1.0 - PAPER_QUANTILE
    columns = np.nanquantile(darkness, paper, axis=0)
    median = float(np.median(columns))
    cell = round(MAP_CELL_MM / COLUMN_MM)
    rows, cols = darkness.shape[0] // cell, darkness.shape[1] // cell
    grid = darkness[: rows * cell, : cols * cell].reshape(rows, cell, cols, cell)
    blocks = grid.transpose(0, 2, 1, 3).reshape(rows, cols, -1)
    blocks[np.isnan(blocks).all(axis=2)] = median  # a cell all target shows as median paper
    cells = np.nanquantile(blocks, paper, axis=2)
    return columns - median, cells - median
