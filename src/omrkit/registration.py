"""Registration: where the printed sheet lies in a scanned image.

:func:`register` finds the layout's registration marks in small windows
around where they should be, decides whether the sheet was fed turned by
180°, and fits the transform from layout millimetres to image pixels that the
rest of the reader maps every bubble through. It returns a
:class:`Registration`; a sheet whose marks cannot be found or do not agree is
a :class:`~omrkit.errors.RegistrationError`, never a silently wrong transform.

The sheet's own codes and grey levels, read once the transform is known, live
in :mod:`omrkit.sheet_codes` and are re-exported here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import combinations
from pathlib import Path

import numpy as np
import numpy.typing as npt

from omrkit.errors import RegistrationError
from omrkit.homography import apply_homography, local_scale_and_rotation
from omrkit.layout import Page, RegistrationMark, SheetLayout
from omrkit.marks import SquareCandidate, find_square_candidates, refine_square
from omrkit.reading import RegistrationQuality
from omrkit.registration_fit import MarkSolution, solve_marks
from omrkit.sheet_codes import (
    Levels,
    estimate_levels,
    read_bit_code,
    read_serial,
    verify_layout_id,
)

__all__ = [
    "MAX_SKEW_DEG",
    "POOR_RESIDUAL_MM",
    "Levels",
    "MarkFit",
    "MarkStatus",
    "Registration",
    "estimate_levels",
    "read_bit_code",
    "read_serial",
    "register",
    "verify_layout_id",
]

#: Largest page skew searched for; a sheet skewed more is flagged poor.
MAX_SKEW_DEG = 5.0
#: Scale uncertainty searched: the scanner's own (±3 %) plus the estimate's.
SCALE_TOLERANCE = 0.05
#: How far (mm) the page may sit from where the image size implies.
OFFSET_TOLERANCE_MM = 10.0
#: A mark's candidate must lie this close (mm) to where two other marks place it;
#: wide enough for a tilted lid's perspective, far below the marks' spacing.
CONSENSUS_TOLERANCE_MM = 4.0
#: Slack on skew and scale when two candidate marks propose a placement.
SEED_SLACK = 0.03
SEED_SKEW_SLACK_DEG = 2.0
#: Residual (mm) above which the fit is flagged poor: 1.6 px at 200 dpi, a
#: small fraction of a bubble's radius.
POOR_RESIDUAL_MM = 0.2
#: The coarse search grid puts about this many pixels across a mark.
COARSE_MARK_PX = 10
#: Below this many pixels across, a mark cannot be measured.
MIN_MARK_PX = 8.0
#: Search windows overlapping by this share of the smaller one are searched as one.
MERGE_OVERLAP = 0.3
#: Candidates closer than this (mm) are the same shape seen from two windows.
DUPLICATE_MM = 1.0
#: Smallest page (in mm) an image's aspect ratio may be measured against.
_PAGE_SIDE_DIFFERENCE_MM = 20.0
#: The page may be cropped by at most this share of its width when the scale
#: is inferred from the difference of the image's sides.
_MAX_CROP_SHARE = 0.2


class MarkStatus(StrEnum):
    """What became of a registration mark."""

    USED = "used"  # found and part of the fitted transform
    OUTLIER = "outlier"  # found, but disagrees with the others: left out of the fit
    MISSING = "missing"  # not found where the other marks place it


@dataclass(frozen=True, slots=True)
class MarkFit:
    """One registration mark as found in the image.

    Attributes
    ----------
    mark_id : str
    role : str
        ``"corner"`` or ``"orientation"``.
    status : MarkStatus
    found_px : (float, float) or None
        Measured centre, continuous pixels; None when missing.
    residual_px : float or None
        Distance from where the fitted transform puts the mark; None when missing.
    """

    mark_id: str
    role: str
    status: MarkStatus
    found_px: tuple[float, float] | None
    residual_px: float | None


@dataclass(frozen=True, slots=True, eq=False)
class Registration:
    """Where the printed sheet lies in the image.

    Attributes
    ----------
    homography : (3, 3) ndarray of float64
        Maps ``(x_mm, y_mm, 1)`` to continuous image pixels (homogeneous); a
        sheet fed upside down is mapped as it lies, so the image is never turned.
    quality : RegistrationQuality
        Residual, skew, scale, orientation and the ``poor`` flag.
    marks : tuple of MarkFit
        Every layout mark, in layout order.
    """

    homography: npt.NDArray[np.float64]
    quality: RegistrationQuality
    marks: tuple[MarkFit, ...]

    def to_image(self, points_mm: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Image pixel positions, (N, 2) float64, of layout points given in mm, (N, 2)."""
        return apply_homography(self.homography, points_mm)

    @property
    def dropped_marks(self) -> tuple[str, ...]:
        """Ids of marks left out of the fit, missing or outlying."""
        return tuple(m.mark_id for m in self.marks if m.status is not MarkStatus.USED)


def register(
    image: npt.NDArray[np.uint8],
    layout: SheetLayout,
    *,
    dpi_hint: float | None = None,
    path: str | Path | None = None,
) -> Registration:
    """Find the printed sheet in a scanned image.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
        Grey scan, 0 black.
    layout : SheetLayout
        The layout the sheet was printed with.
    dpi_hint : float, optional
        Scan resolution, when known; otherwise the scale is inferred from the
        image size (the page fills it, or sits centred on a wider scanner bed).
    path : str or Path, optional
        Source named in errors.

    Returns
    -------
    Registration

    Raises
    ------
    RegistrationError
        If the image is not a 2-D uint8 array, too small for the marks, or the
        marks cannot be found: fewer than four agree with each other, the
        orientation mark is at neither of its two places (or at both). The
        message names the marks and how far off the best candidate was.

    Notes
    -----
    Each mark is searched in a window around where it belongs if the page
    fills the image: wide enough for ``OFFSET_TOLERANCE_MM`` of shift,
    ``MAX_SKEW_DEG`` of skew and ``SCALE_TOLERANCE`` of scale, searched on a
    coarse grid. Candidates are matched to marks by consensus: any two
    candidates for two marks propose a similarity, and the proposal that
    places the most other candidates within ``CONSENSUS_TOLERANCE_MM`` wins.
    This is done for the sheet as printed and turned by 180°; the
    orientation mark, which breaks the page's symmetry, is found in exactly
    one. Matched marks are measured at full resolution and fitted
    (:mod:`omrkit.registration_fit`).

    Examples
    --------
    >>> from omrkit.imageio import decode_image
    >>> from omrkit.render import render_sheet
    >>> layout = load_layout("ubt-answer")
    >>> image = decode_image(render_sheet(layout, format="png", dpi=150))
    >>> registration = register(image, layout)
    >>> registration.quality.upside_down, round(registration.quality.scale, 2)
    (False, 5.91)
    """
    _check_image(image, path)
    scale = _expected_scale(image.shape, layout.page, dpi_hint, path)
    marks = layout.marks
    sides_px = np.array([m.size_mm for m in marks]) * scale
    if sides_px.min() < MIN_MARK_PX:
        raise RegistrationError(
            f"the image is too small: registration marks would be {sides_px.min():.1f} px across,"
            f" at least {MIN_MARK_PX:.0f} px are needed (scan at 100 dpi or more)",
            path=path,
        )
    stride = max(1, int(sides_px.min() // COARSE_MARK_PX))
    size = (image.shape[0], image.shape[1])
    frames = [_frame(size, layout.marks, layout.page, scale, t) for t in (False, True)]
    pool = _candidate_pool(image, frames, sides_px, stride, scale)
    matches = [_consensus(frame, pool, scale) for frame in frames]
    orient = next(i for i, m in enumerate(marks) if m.role == "orientation")
    complete = [m for m in matches if m.assigned[orient] >= 0 and m.count >= 4]
    if len(complete) != 1:
        raise _orientation_error(layout, matches, complete, orient, scale, path)
    match = complete[0]
    return _solve(image, layout, match, pool, sides_px, scale, path)


# -- search frames and candidates ----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Frame:
    """The marks as they would lie for one orientation of the sheet."""

    upside_down: bool
    frame_mm: npt.NDArray[np.float64]  # (M, 2) layout points, turned for upside down
    expected_px: npt.NDArray[np.float64]  # (M, 2) where they would be
    rects: tuple[tuple[int, int, int, int], ...]  # search window per mark
    reach_mm: npt.NDArray[np.float64]  # (M,) window half-width


@dataclass(frozen=True, slots=True)
class _Pool:
    candidates: list[SquareCandidate]
    xy: npt.NDArray[np.float64]  # (K, 2) coarse candidate centres, px
    points: list[complex]  # the same as x + iy


@dataclass(frozen=True, slots=True)
class _Match:
    frame: _Frame
    assigned: npt.NDArray[np.int64]  # (M,) candidate index or -1
    predicted_px: npt.NDArray[np.float64]  # (M, 2)
    count: int


@lru_cache(maxsize=64)
def _frame(
    shape: tuple[int, int],
    marks: tuple[RegistrationMark, ...],
    page: Page,
    scale: float,
    upside_down: bool,
) -> _Frame:
    """Search windows for one orientation; cached, as a batch repeats the same geometry."""
    centre_mm = np.array([page.width_mm / 2, page.height_mm / 2])
    points = np.array([[m.x_mm, m.y_mm] for m in marks])
    frame_mm = 2 * centre_mm - points if upside_down else points
    centre_px = np.array([shape[1] / 2, shape[0] / 2])
    expected = centre_px + scale * (frame_mm - centre_mm)
    radius = np.linalg.norm(points - centre_mm, axis=1)
    sizes = np.array([m.size_mm for m in marks])
    reach = (
        sizes / 2
        + OFFSET_TOLERANCE_MM
        + radius * (math.sin(math.radians(MAX_SKEW_DEG)) + SCALE_TOLERANCE)
    )
    rects = tuple(
        _clip_rect(x - r * scale, y - r * scale, x + r * scale, y + r * scale, shape)
        for (x, y), r in zip(expected, reach, strict=True)
    )
    for array in (frame_mm, expected, reach):
        array.flags.writeable = False
    return _Frame(upside_down, frame_mm, expected, rects, reach)


def _clip_rect(
    x0: float, y0: float, x1: float, y1: float, shape: tuple[int, ...]
) -> tuple[int, int, int, int]:
    height, width = shape[0], shape[1]
    return (
        min(max(int(x0), 0), width),
        min(max(int(y0), 0), height),
        min(max(math.ceil(x1), 0), width),
        min(max(math.ceil(y1), 0), height),
    )


def _candidate_pool(
    image: npt.NDArray[np.uint8],
    frames: list[_Frame],
    sides_px: npt.NDArray[np.float64],
    stride: int,
    scale: float,
) -> _Pool:
    """Square candidates from every search window, each window searched once."""
    windows: list[tuple[tuple[int, int, int, int], float]] = []
    for frame in frames:
        for rect, side in zip(frame.rects, sides_px, strict=True):
            _merge_window(windows, rect, float(side))
    found: list[SquareCandidate] = []
    for rect, side in windows:
        for c in find_square_candidates(image, rect, side_px=side, stride=stride):
            near = DUPLICATE_MM * scale
            if all(math.hypot(c.x_px - f.x_px, c.y_px - f.y_px) > near for f in found):
                found.append(c)
    xy = np.array([(c.x_px, c.y_px) for c in found], dtype=np.float64).reshape(-1, 2)
    return _Pool(found, xy, [complex(c.x_px, c.y_px) for c in found])


def _merge_window(
    windows: list[tuple[tuple[int, int, int, int], float]],
    rect: tuple[int, int, int, int],
    side: float,
) -> None:
    area = (rect[2] - rect[0]) * (rect[3] - rect[1])
    if area <= 0:
        return
    for i, (other, other_side) in enumerate(windows):
        overlap_w = min(rect[2], other[2]) - max(rect[0], other[0])
        overlap_h = min(rect[3], other[3]) - max(rect[1], other[1])
        other_area = (other[2] - other[0]) * (other[3] - other[1])
        overlapping = overlap_w > 0 and overlap_h > 0 and side == other_side
        if overlapping and overlap_w * overlap_h >= MERGE_OVERLAP * min(area, other_area):
            union = (
                min(rect[0], other[0]),
                min(rect[1], other[1]),
                max(rect[2], other[2]),
                max(rect[3], other[3]),
            )
            windows[i] = (union, side)
            return
    windows.append((rect, side))


def _inside(pool: _Pool, rect: tuple[int, int, int, int]) -> list[int]:
    """Indices of the candidates whose centre lies in ``rect``."""
    x0, y0, x1, y1 = rect
    return [k for k, p in enumerate(pool.points) if x0 <= p.real < x1 and y0 <= p.imag < y1]


# -- consensus -----------------------------------------------------------------------------
def _consensus(frame: _Frame, pool: _Pool, scale: float) -> _Match:
    """Assign candidates to marks by the similarity that explains the most of them.

    Plain Python on purpose: a handful of marks and candidates, where array
    calls would cost more than the arithmetic.
    """
    points = pool.points
    allowed = [_inside(pool, rect) for rect in frame.rects]
    z = [complex(x, y) for x, y in frame.frame_mm]
    tolerance = CONSENSUS_TOLERANCE_MM * scale
    best_count, best_error = 0, math.inf
    best_assigned = [-1] * len(z)
    best_predicted = [complex(x, y) for x, y in frame.expected_px]
    # No placement can match more marks than have a candidate at all.
    attainable = sum(1 for options in allowed if options)
    pairs = sorted(combinations(range(len(z)), 2), key=lambda p: -abs(z[p[0]] - z[p[1]]))
    for i, j in pairs:
        if best_count == attainable:
            break
        for a in allowed[i]:
            for b in allowed[j]:
                if best_assigned[i] == a and best_assigned[j] == b:
                    continue  # the placement already found
                alpha = (points[b] - points[a]) / (z[j] - z[i])
                if not _plausible(alpha, scale):
                    continue
                predicted = [points[a] + alpha * (zk - z[i]) for zk in z]
                assigned, error = _assign(predicted, points, allowed, tolerance)
                count = sum(1 for k in assigned if k >= 0)
                if count > best_count or (count == best_count and error < best_error):
                    best_count, best_error = count, error
                    best_assigned, best_predicted = assigned, predicted
    xy = np.array([[p.real, p.imag] for p in best_predicted])
    return _Match(frame, np.array(best_assigned, dtype=np.int64), xy, best_count)


def _plausible(alpha: complex, scale: float) -> bool:
    ratio = abs(alpha) / scale
    if abs(ratio - 1) > SCALE_TOLERANCE + SEED_SLACK:
        return False
    return abs(math.degrees(math.atan2(alpha.imag, alpha.real))) <= (
        MAX_SKEW_DEG + SEED_SKEW_SLACK_DEG
    )


def _assign(
    predicted: list[complex], points: list[complex], allowed: list[list[int]], tolerance: float
) -> tuple[list[int], float]:
    """Nearest candidate within ``tolerance`` of each predicted mark, and the squared error."""
    nearest: list[int] = []
    gaps: list[float] = []
    for place, options in zip(predicted, allowed, strict=True):
        choice, gap = -1, tolerance
        for k in options:
            distance = abs(points[k] - place)
            if distance <= gap:
                choice, gap = k, distance
        nearest.append(choice)
        gaps.append(gap)
    # Two marks never share one shape: the farther claim loses it.
    assigned = [
        k
        if k < 0 or not any(nearest[n] == k and gaps[n] < gaps[m] for n in range(len(nearest)))
        else -1
        for m, k in enumerate(nearest)
    ]
    return assigned, sum(g * g for g, k in zip(gaps, assigned, strict=True) if k >= 0)


# -- solving and reporting -----------------------------------------------------------------
def _solve(
    image: npt.NDArray[np.uint8],
    layout: SheetLayout,
    match: _Match,
    pool: _Pool,
    sides_px: npt.NDArray[np.float64],
    scale: float,
    path: str | Path | None,
) -> Registration:
    n_marks = len(layout.marks)
    found = np.full((n_marks, 2), np.nan)
    sides_ratio = np.full(n_marks, np.nan)
    for i, (k, side) in enumerate(zip(match.assigned, sides_px, strict=True)):
        if k >= 0:
            refined = refine_square(image, pool.candidates[k], side_px=float(side))
            if refined is not None:
                found[i] = refined.x_px, refined.y_px
                sides_ratio[i] = refined.side_px / side
    layout_mm = np.array([[m.x_mm, m.y_mm] for m in layout.marks])
    page_area = layout.page.width_mm * layout.page.height_mm
    solution = solve_marks(layout_mm, found, sides_ratio, scale=scale, page_area_mm2=page_area)
    if solution is None or not solution.used[_orientation_index(layout)]:
        used = solution.used if solution is not None else np.zeros(n_marks, dtype=bool)
        raise _unusable_error(layout, match, pool, found, used, scale, path)
    return _registration(layout, match.frame.upside_down, solution, found)


def _registration(
    layout: SheetLayout,
    upside_down: bool,
    solution: MarkSolution,
    found: npt.NDArray[np.float64],
) -> Registration:
    page = layout.page
    scale, rotation = local_scale_and_rotation(
        solution.homography, page.width_mm / 2, page.height_mm / 2
    )
    skew = rotation % 360.0 - 180.0 if upside_down else rotation
    residual_px = solution.residual_px
    poor = (
        not solution.cross_checked
        or residual_px > POOR_RESIDUAL_MM * scale
        or abs(skew) > MAX_SKEW_DEG
    )
    quality = RegistrationQuality(
        residual_px=residual_px, skew_deg=skew, scale=scale, upside_down=upside_down, poor=poor
    )
    marks = []
    for i, mark in enumerate(layout.marks):
        if np.isnan(found[i, 0]):
            marks.append(MarkFit(mark.id, mark.role, MarkStatus.MISSING, None, None))
            continue
        status = MarkStatus.USED if solution.used[i] else MarkStatus.OUTLIER
        position = (float(found[i, 0]), float(found[i, 1]))
        marks.append(MarkFit(mark.id, mark.role, status, position, float(solution.residuals_px[i])))
    homography = solution.homography.copy()
    homography.flags.writeable = False
    return Registration(homography, quality, tuple(marks))


def _orientation_index(layout: SheetLayout) -> int:
    return next(i for i, m in enumerate(layout.marks) if m.role == "orientation")


def _orientation_error(
    layout: SheetLayout,
    matches: list[_Match],
    complete: list[_Match],
    orient: int,
    scale: float,
    path: str | Path | None,
) -> RegistrationError:
    mark = layout.marks[orient]
    if len(complete) > 1:
        return RegistrationError(
            f"orientation mark {mark.id!r} appears both as printed and turned by 180°;"
            " cannot tell which way up the sheet is",
            path=path,
            field=mark.id,
        )
    best = max(matches, key=lambda m: m.count)
    if best.count >= 4 and all(m.assigned[orient] < 0 for m in matches):
        return RegistrationError(
            f"orientation mark {mark.id!r} not found at ({mark.x_mm}, {mark.y_mm}) mm nor at its"
            " place turned by 180°; cannot tell which way up the sheet is",
            path=path,
            field=mark.id,
        )
    n_marks = len(layout.marks)
    nothing = np.full((n_marks, 2), np.nan)
    return _unusable_error(layout, best, None, nothing, np.zeros(n_marks, bool), scale, path)


def _unusable_error(
    layout: SheetLayout,
    match: _Match,
    pool: _Pool | None,
    found: npt.NDArray[np.float64],
    used: npt.NDArray[np.bool_],
    scale: float,
    path: str | Path | None,
) -> RegistrationError:
    """Why the marks that could not be used were not: the error an operator reads."""
    bad = [i for i in range(len(layout.marks)) if not used[i]]
    reasons = "; ".join(
        f"{layout.marks[i].id!r} ({_why_unusable(match, i, layout.marks[i], pool, found, scale)})"
        for i in bad
    )
    where = "turned by 180°" if match.frame.upside_down else "as printed"
    return RegistrationError(
        f"registration marks unusable (sheet read {where}): {reasons}; at least four marks,"
        " one of them the orientation mark, are needed",
        path=path,
        field=",".join(layout.marks[i].id for i in bad),
    )


def _why_unusable(
    match: _Match,
    i: int,
    mark: RegistrationMark,
    pool: _Pool | None,
    found: npt.NDArray[np.float64],
    scale: float,
) -> str:
    if not np.isnan(found[i, 0]):
        return "found, but damaged or off its place compared with the other marks"
    if match.assigned[i] >= 0 and pool is not None:
        return "a dark shape is there, but not a solid square of the right size"
    reach = float(match.frame.reach_mm[i])
    no_square = f"no solid {mark.size_mm:g} mm square within {reach:.0f} mm of its place"
    if pool is None:
        return no_square
    inside = _inside(pool, match.frame.rects[i])
    if not inside:
        return no_square
    gaps = np.linalg.norm(pool.xy[inside] - match.predicted_px[i], axis=1) / scale
    return f"the nearest square is {gaps.min():.1f} mm from where the other marks place it"


# -- input checks --------------------------------------------------------------------------
def _check_image(image: object, path: str | Path | None) -> None:
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8 or image.ndim != 2:
        got = (
            f"{image.dtype} array of shape {image.shape}"
            if isinstance(image, np.ndarray)
            else type(image).__name__
        )
        raise RegistrationError(
            f"image must be a 2-D uint8 grey array, got {got}", path=path, field="image"
        )


def _expected_scale(
    shape: tuple[int, ...], page: Page, dpi_hint: float | None, path: str | Path | None
) -> float:
    """Pixels per mm: from the hint, or from the image size.

    With equal scanner-bed margins ``m`` around the page, ``W = s (w + 2m)``
    and ``H = s (h + 2m)``, so ``s = (H - W) / (h - w)`` whatever ``m``; when
    that is implausible (a cropped page), the page is taken to fill the width.
    """
    if dpi_hint is not None:
        valid = isinstance(dpi_hint, int | float) and not isinstance(dpi_hint, bool)
        if not valid or not math.isfinite(dpi_hint) or dpi_hint <= 0:
            raise RegistrationError(
                f"dpi_hint must be a positive number, got {dpi_hint!r}", path=path, field="dpi_hint"
            )
        return float(dpi_hint) / 25.4
    height, width = shape[0], shape[1]
    by_width = width / page.width_mm
    side_difference = page.height_mm - page.width_mm
    if abs(side_difference) >= _PAGE_SIDE_DIFFERENCE_MM:
        by_margins = (height - width) / side_difference
        least = min(by_width, height / page.height_mm)
        if (1 - _MAX_CROP_SHARE) * least <= by_margins <= (1 + SCALE_TOLERANCE) * least:
            return float(by_margins)
    return float(by_width)
