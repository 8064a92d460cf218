"""Fitting the layout-to-image transform to measured marks and code cells.

Notes
-----
Three safeguards:

1. *Damaged marks* (:func:`consistent_sizes`). Every mark is printed at its
   known size; a mark whose measured side differs from the others' (relative
   to the expected side) by more than ``SIDE_CONSISTENCY`` is partly covered
   or smudged, and its centre is not trusted.
2. *Leave one out* (:func:`solve_points`). The transform is projective
   (8 parameters), fitted by least squares, which absorbs a tilted scanner
   lid. While a point lies more than ``MARK_TOLERANCE_MM`` from the fit, the
   point without which the others agree best is left out. Least squares pulls
   the fit towards a displaced point, so the point with the largest residual
   is often a good one; leaving each out in turn finds the culprit.
3. *Cross-checking.* Five marks leave only two equations to check a
   projective fit with, and a projective fit can absorb a small shift of a
   corner mark along its edge; that is why the caller adds the bit codes'
   guard cells whenever the marks alone are not affine-consistent
   (:func:`affine_consistent`). Four points fit a projective transform
   exactly and check nothing: such a fit is reported as not cross-checked.
   Four points of which three lie on one line (two corners and the
   orientation mark between them) do not determine a projective transform:
   the fit is then affine.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from omrkit.errors import RegistrationError
from omrkit.layout.models import SheetLayout
from omrkit.registration.homography import (
    MIN_AFFINE_POINTS,
    MIN_HOMOGRAPHY_POINTS,
    fit_with_residuals,
    project_point,
)
from omrkit.registration.squares import find_square_near

__all__ = [
    "GUARD_REACH_PITCHES",
    "MARK_TOLERANCE_MM",
    "MAX_DROPPED_POINTS",
    "SIDE_CONSISTENCY",
    "MarkSolution",
    "affine_consistent",
    "consistent_sizes",
    "solve_points",
    "solve_with_guards",
]

#: A mark farther than this (mm) from the fitted transform is dropped (the worst one).
MARK_TOLERANCE_MM = 0.25
#: Measured side over expected side may differ from the marks' median ratio by this share.
SIDE_CONSISTENCY = 0.05
#: Spreads (px) equal to this many decimals count as a tie: exact fits differ by rounding.
_TIE_DECIMALS = 6
#: A fit is cross-checked when it has at least this many points: one more than
#: a projective transform needs.
MIN_CHECKED_POINTS = MIN_HOMOGRAPHY_POINTS + 1
#: A guard cell is looked for within this share of its code's pitch of where
#: the marks place it: less than half, so a neighbouring cell is never taken.
GUARD_REACH_PITCHES = 0.4
#: Most marks or guard cells left out of a fit as off their place.
MAX_DROPPED_POINTS = 2
#: Guard cells a fit must hold, when some are cut by the image's edge, to count
#: as checked: two tie the fit to print away from the marks.
MIN_GUARDS_IN_FIT = 2


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


def consistent_sizes(sides_ratio: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """Marks whose size agrees with the others' (safeguard 1).

    Parameters
    ----------
    sides_ratio : (M,) ndarray of float64
        Measured over expected side of each mark; NaN for marks not found.

    Returns
    -------
    (M,) ndarray of bool
        True for a found mark within ``SIDE_CONSISTENCY`` of the median ratio.
    """
    # Plain floats: a handful of marks, where array calls cost more than the arithmetic.
    ratios = [float(r) for r in sides_ratio]
    measured = [r for r in ratios if not math.isnan(r)]
    median = statistics.median(measured) if measured else math.nan
    return np.array([abs(r / median - 1.0) <= SIDE_CONSISTENCY for r in ratios], dtype=bool)


def affine_consistent(
    src: npt.NDArray[np.float64], dst: npt.NDArray[np.float64], tolerance_px: float
) -> bool:
    """Whether every point lies within ``tolerance_px`` of the points' affine fit.

    Parameters
    ----------
    src, dst : (N, 2) ndarray of float64
        Corresponding points, ``N >= 4`` so that the fit can be checked.
    tolerance_px : float

    Returns
    -------
    bool
    """
    if len(src) <= MIN_AFFINE_POINTS:
        return False
    fitted = fit_with_residuals(src, dst, np.ones(len(src), dtype=bool), projective=False)
    return fitted is not None and bool(fitted[1].max() <= tolerance_px)


def solve_points(
    layout_mm: npt.NDArray[np.float64],
    found_px: npt.NDArray[np.float64],
    trusted: npt.NDArray[np.bool_],
    *,
    scale: float,
    max_drops: int,
) -> MarkSolution:
    """Fit the transform to the trusted points, dropping the worst while it is off.

    Parameters
    ----------
    layout_mm : (P, 2) ndarray of float64
        Point positions in the layout.
    found_px : (P, 2) ndarray of float64
        Measured positions in continuous pixels; NaN rows for points not found.
    trusted : (P,) ndarray of bool
        Points to fit to, at least four.
    scale : float
        Approximate pixels per mm, to express ``MARK_TOLERANCE_MM`` in pixels.
    max_drops : int
        Most points to leave out; a point is only left out while at least
        five remain to check the fit with.

    Returns
    -------
    MarkSolution

    Raises
    ------
    RegistrationError
        If fewer than four points are trusted, or they determine no transform.
    """
    used = np.array(trusted, dtype=bool)
    n_used = int(np.count_nonzero(used))
    if n_used < MIN_HOMOGRAPHY_POINTS:
        raise RegistrationError(
            f"{n_used} usable registration points; at least {MIN_HOMOGRAPHY_POINTS} are needed"
        )
    homography, residuals = _fit(layout_mm, found_px, used)
    tolerance = MARK_TOLERANCE_MM * scale
    for _ in range(max_drops):
        if n_used <= MIN_HOMOGRAPHY_POINTS or residuals[used].max() <= tolerance:
            break
        k, fitted, refitted = _best_left_out(layout_mm, found_px, used)
        if refitted[k] <= tolerance:
            break  # no single point explains the misfit: keep them all
        used[k] = False
        n_used -= 1
        homography, residuals = fitted, refitted
    kept = residuals[used]
    rms = math.sqrt(float(kept @ kept) / n_used)
    return MarkSolution(homography, used, residuals, rms, n_used >= MIN_CHECKED_POINTS)


def _best_left_out(
    layout_mm: npt.NDArray[np.float64],
    found_px: npt.NDArray[np.float64],
    used: npt.NDArray[np.bool_],
) -> tuple[int, npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The point whose leaving out lets the others fit best, with that fit.

    Least squares pulls the fit towards a displaced point, so the point with
    the largest residual is not necessarily the displaced one; the point
    without which the rest agree best is. Ties (four points fit exactly)
    go to the point the others explain worst.
    """
    best: tuple[tuple[float, float], int, npt.NDArray[np.float64], npt.NDArray[np.float64]]
    best = ((np.inf, 0.0), -1, np.eye(3), np.zeros(0))
    for k in np.flatnonzero(used):
        others = used.copy()
        others[k] = False
        fitted, residuals = _fit(layout_mm, found_px, others)
        key = (round(float(residuals[others].max()), _TIE_DECIMALS), -float(residuals[k]))
        if key < best[0]:
            best = (key, int(k), fitted, residuals)
    return best[1], best[2], best[3]


def _fit(
    layout_mm: npt.NDArray[np.float64],
    found_px: npt.NDArray[np.float64],
    used: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Projective where the used points determine it, affine where they do not.

    Four points of which three are collinear, or points all but one on a
    line, leave a projective transform undetermined; its normal equations
    are then singular and the fit falls back to affine. Returns the transform
    and the residual of every point.
    """
    fitted = fit_with_residuals(layout_mm, found_px, used, projective=True)
    if fitted is None:
        fitted = fit_with_residuals(layout_mm, found_px, used, projective=False)
    if fitted is None:
        raise RegistrationError("affine fit needs points that are not all on one line")
    return fitted


def solve_with_guards(
    image: npt.NDArray[np.uint8],
    layout: SheetLayout,
    layout_mm: npt.NDArray[np.float64],
    found: npt.NDArray[np.float64],
    trusted: npt.NDArray[np.bool_],
    *,
    scale: float,
) -> MarkSolution:
    """Fit to the marks and the bit codes' guard cells, dropping what disagrees.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
    layout : SheetLayout
        Its bit codes' first and last cells are the guards.
    layout_mm : (M, 2) ndarray of float64
        The marks' centres in the layout.
    found : (M, 2) ndarray of float64
        Their measured centres, px; NaN rows for marks not found.
    trusted : (M,) ndarray of bool
        Marks to fit to, at least four.
    scale : float
        Approximate pixels per mm.

    Returns
    -------
    MarkSolution
        Its arrays cover the marks first, then the guard cells.

    Raises
    ------
    RegistrationError
        If the trusted marks determine no transform.

    Notes
    -----
    The guard cells (always black) are looked for where the marks alone
    place them, within ``GUARD_REACH_PITCHES`` of a cell pitch so that a
    neighbouring cell is never taken for one. A guard cell not found there
    means the marks place the page wrongly near it (or the sheet is damaged):
    the fit is then not cross-checked. A guard the marks place off the image
    (cut by its edge) is left out; the fit then counts as checked only with
    ``MIN_GUARDS_IN_FIT`` guards in it.
    """
    h = _fit(layout_mm, found, np.asarray(trusted, dtype=bool))[0]
    guards_mm, guards_px, off_image = _find_guards(image, layout, h, scale)
    if any(math.isnan(x) for x, _ in guards_px):
        # Marks that leave the perspective undetermined (three on one line)
        # place far guards off by the tilt: the guards found refine the
        # placement, and the missing ones are looked for once more.
        points_mm = np.concatenate([layout_mm, np.array(guards_mm).reshape(-1, 2)])
        points_px = np.concatenate([found, np.array(guards_px).reshape(-1, 2)])
        usable = np.concatenate([trusted, ~np.isnan(np.array(guards_px).reshape(-1, 2)[:, 0])])
        h = _fit(points_mm, points_px, usable)[0]
        guards_mm, guards_px, off_image = _find_guards(image, layout, h, scale)
    points_mm = np.concatenate([layout_mm, np.array(guards_mm).reshape(-1, 2)])
    points_px = np.concatenate([found, np.array(guards_px).reshape(-1, 2)])
    guards_found = [not math.isnan(x) for x, _ in guards_px]
    usable = np.concatenate([trusted, np.array(guards_found, dtype=bool)])
    solution = solve_points(points_mm, points_px, usable, scale=scale, max_drops=MAX_DROPPED_POINTS)
    # Guards off the image are no evidence either way; the fit is checked
    # only while at least MIN_GUARDS_IN_FIT guards on the image agree with it.
    enough = int(np.count_nonzero(solution.used[len(layout_mm) :])) >= MIN_GUARDS_IN_FIT
    if all(guards_found) and (off_image == 0 or enough):
        return solution
    return replace(solution, cross_checked=False)


def _find_guards(
    image: npt.NDArray[np.uint8],
    layout: SheetLayout,
    homography: npt.NDArray[np.float64],
    scale: float,
) -> tuple[list[tuple[float, float]], list[tuple[float, float]], int]:
    """Guard cells near where ``homography`` puts them.

    Returns their layout positions (mm), their measured centres (px, NaN
    where not found) and how many were left out as off the image.
    """
    # Plain floats: a few points, where array calls cost more than the arithmetic.
    rows = homography.tolist()
    guards_mm: list[tuple[float, float]] = []
    guards_px: list[tuple[float, float]] = []
    height, width = image.shape[0], image.shape[1]
    off_image = 0
    for code in (layout.layout_id_code, layout.serial_code):
        if code is None:
            continue
        for x_mm in (code.x_mm, code.x_mm + (code.n_cells - 1) * code.pitch_mm):
            u, v, _ = project_point(rows, x_mm, code.y_mm)
            reach = GUARD_REACH_PITCHES * code.pitch_mm * scale
            half = code.cell_mm * scale / 2 + reach
            if min(u - half, v - half) < 0 or u + half >= width or v + half >= height:
                # Cut by the image's edge (a page-wide feeder): no evidence either way.
                off_image += 1
                continue
            square = find_square_near(image, u, v, side_px=code.cell_mm * scale, reach_px=reach)
            guards_mm.append((x_mm, code.y_mm))
            guards_px.append((math.nan, math.nan) if square is None else (square.x_px, square.y_px))
    return guards_mm, guards_px, off_image
