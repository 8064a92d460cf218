"""Fitting the layout-to-image transform to the measured registration marks.

Given where each mark was measured (or that it was not found),
:func:`solve_marks` decides which marks to trust and fits the transform.

Notes
-----
Three safeguards, in order:

1. *Damaged marks.* Every mark is printed at its known size; a mark whose
   measured side differs from the others' (relative to the expected side) by
   more than ``SIDE_CONSISTENCY`` is partly covered or smudged, and its centre
   is not trusted.
2. *Leave one out.* With all five marks of a layout (four corners and the
   orientation mark) the transform is projective (8 parameters), fitted by
   least squares, which absorbs a tilted scanner lid. If one mark lies more
   than ``MARK_TOLERANCE_MM`` from the fit, the worst one is dropped and the
   transform is fitted to the other four.
3. *Cross-checking.* Five marks leave two equations to check the fit with;
   four marks fit a projective transform exactly and leave none. A fit from
   four marks is therefore reported as not cross-checked, and the caller
   flags the sheet's registration as poor. Four marks of which three lie on
   one line (two corners and the orientation mark between them) do not
   determine a projective transform: the fit is then affine.

Five points cannot say for certain *which* mark is displaced (a projective
fit can explain a shift of any one of them), so dropping the worst is a
best guess; that is why a four-mark fit is always flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

from omrkit.errors import RegistrationError
from omrkit.homography import (
    MIN_HOMOGRAPHY_POINTS,
    apply_homography,
    fit_affine,
    fit_homography,
)

__all__ = ["MARK_TOLERANCE_MM", "SIDE_CONSISTENCY", "MarkSolution", "solve_marks"]

#: A mark farther than this (mm) from the fitted transform is dropped (the worst one).
MARK_TOLERANCE_MM = 0.5
#: Measured side over expected side may differ from the marks' median ratio by this share.
SIDE_CONSISTENCY = 0.05
#: Three marks spanning a triangle smaller than this share of the page are on one line.
COLLINEAR_AREA_SHARE = 0.01


@dataclass(frozen=True, slots=True)
class MarkSolution:
    """The fitted transform and the verdict on each mark.

    Attributes
    ----------
    homography : (3, 3) ndarray of float64
        Layout mm to image px.
    used : (M,) ndarray of bool
        Marks the transform was fitted to.
    residuals_px : (M,) ndarray of float64
        Distance of each found mark from the transform; NaN for missing marks.
    residual_px : float
        Root mean square of the residuals of the used marks.
    cross_checked : bool
        The fit had more marks than parameters to check it with.
    """

    homography: npt.NDArray[np.float64]
    used: npt.NDArray[np.bool_]
    residuals_px: npt.NDArray[np.float64]
    residual_px: float
    cross_checked: bool


def solve_marks(
    layout_mm: npt.NDArray[np.float64],
    found_px: npt.NDArray[np.float64],
    sides_ratio: npt.NDArray[np.float64],
    *,
    scale: float,
    page_area_mm2: float,
) -> MarkSolution | None:
    """Fit the transform to the found marks, leaving out damaged or displaced ones.

    Parameters
    ----------
    layout_mm : (M, 2) ndarray of float64
        Mark centres in the layout.
    found_px : (M, 2) ndarray of float64
        Measured centres in continuous pixels; NaN rows for marks not found.
    sides_ratio : (M,) ndarray of float64
        Measured over expected side of each mark; NaN for marks not found.
    scale : float
        Approximate pixels per mm, to express tolerances in pixels.
    page_area_mm2 : float
        Area of the page, the measure of "on one line".

    Returns
    -------
    MarkSolution or None
        None when fewer than four trustworthy marks remain.

    Raises
    ------
    RegistrationError
        If the remaining marks determine no transform (all on one line).
    """
    used = ~np.isnan(found_px[:, 0])
    if used.sum() >= MIN_HOMOGRAPHY_POINTS:
        median = float(np.median(sides_ratio[used]))
        used &= np.abs(sides_ratio / median - 1.0) <= SIDE_CONSISTENCY
    if used.sum() < MIN_HOMOGRAPHY_POINTS:
        return None
    homography = _fit(layout_mm[used], found_px[used], page_area_mm2)
    residuals = _residuals(homography, layout_mm, found_px)
    if used.sum() > MIN_HOMOGRAPHY_POINTS:
        worst = int(np.nanargmax(np.where(used, residuals, np.nan)))
        if residuals[worst] > MARK_TOLERANCE_MM * scale:
            used[worst] = False
            homography = _fit(layout_mm[used], found_px[used], page_area_mm2)
            residuals = _residuals(homography, layout_mm, found_px)
    n_used = int(used.sum())
    rms = float(np.sqrt(np.mean(residuals[used] ** 2)))
    return MarkSolution(homography, used, residuals, rms, n_used > MIN_HOMOGRAPHY_POINTS)


def _fit(
    src: npt.NDArray[np.float64], dst: npt.NDArray[np.float64], page_area_mm2: float
) -> npt.NDArray[np.float64]:
    if len(src) == MIN_HOMOGRAPHY_POINTS and _has_collinear_triple(src, page_area_mm2):
        return fit_affine(src, dst)
    try:
        return fit_homography(src, dst)
    except RegistrationError:
        return fit_affine(src, dst)


def _has_collinear_triple(points: npt.NDArray[np.float64], page_area_mm2: float) -> bool:
    for a, b, c in combinations(points, 3):
        area = abs(float((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))) / 2
        if area < COLLINEAR_AREA_SHARE * page_area_mm2:
            return True
    return False


def _residuals(
    homography: npt.NDArray[np.float64],
    layout_mm: npt.NDArray[np.float64],
    found_px: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    residuals: npt.NDArray[np.float64] = np.linalg.norm(
        apply_homography(homography, layout_mm) - found_px, axis=1
    )
    return residuals
