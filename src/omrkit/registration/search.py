"""Searching a scan for the registration marks: windows, candidates, consensus.

Each mark is looked for in a window around where it belongs if the page fills
the image, for the sheet as printed and turned by 180° (a *frame*). Windows
that overlap are searched once (:func:`candidate_pool`). Candidates are then
matched to marks by consensus (:func:`match_marks`): any two candidates for
two marks propose a similarity transform, and the proposal that places the
most other candidates within ``CONSENSUS_TOLERANCE_MM`` of their marks wins.
How far from its nominal place a mark is looked for is a :class:`SearchReach`:
``FIRST_REACH`` for a tidy scanner, ``FULL_REACH`` for every placement the
reader accepts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from omrkit.layout.models import Page, RegistrationMark
from omrkit.registration.squares import SquareCandidate, find_square_candidates

__all__ = [
    "COARSE_MARK_PX",
    "CONSENSUS_TOLERANCE_MM",
    "FIRST_REACH",
    "FULL_REACH",
    "MAX_SKEW_DEG",
    "OFFSET_TOLERANCE_MM",
    "SCALE_TOLERANCE",
    "CandidatePool",
    "MarkMatch",
    "SearchFrame",
    "SearchReach",
    "candidate_pool",
    "candidates_inside",
    "match_frames",
    "match_marks",
    "orientation_index",
    "search_frame",
]

#: Largest page skew searched for; a sheet skewed more is flagged poor.
MAX_SKEW_DEG = 5.0
#: Scale uncertainty searched: the scanner's own (±3 %) plus the estimate's.
SCALE_TOLERANCE = 0.05
#: How far (mm) the page may sit from where the image size implies.
OFFSET_TOLERANCE_MM = 10.0


class SearchReach(NamedTuple):
    """How far from where the image size puts it the page is looked for."""

    offset_mm: float
    skew_deg: float
    scale_tolerance: float


#: Every placement the reader accepts.
FULL_REACH = SearchReach(OFFSET_TOLERANCE_MM, MAX_SKEW_DEG, SCALE_TOLERANCE)
#: What a tidy scanner does to a well-fed sheet: a few mm of shift, a couple
#: of degrees of skew and its own scale error. Its windows hold about a third
#: of the full ones' pixels; a sheet it does not settle is searched again in full.
FIRST_REACH = SearchReach(offset_mm=5.0, skew_deg=3.0, scale_tolerance=0.03)
#: A mark's candidate must lie this close (mm) to where two other marks place it;
#: wide enough for a tilted lid's perspective, far below the marks' spacing.
CONSENSUS_TOLERANCE_MM = 4.0
#: Slack on skew and scale when two candidate marks propose a placement.
SEED_SLACK = 0.03
SEED_SKEW_SLACK_DEG = 2.0
#: The coarse search grid puts about this many pixels across a mark.
COARSE_MARK_PX = 10
#: Search windows overlapping by this share of the smaller one are searched as one.
MERGE_OVERLAP = 0.3
#: Candidates closer than this (mm) are the same shape seen from two windows.
DUPLICATE_MM = 1.0


@dataclass(frozen=True, slots=True, eq=False)
class SearchFrame:
    """The marks as they would lie for one orientation of the sheet.

    Attributes
    ----------
    upside_down : bool
    frame_mm : (M, 2) ndarray of float64
        Mark centres in the layout, turned by 180° about the page centre when upside down.
    expected_px : (M, 2) ndarray of float64
        Where the marks would lie if the page filled the image, unturned and unskewed.
    rects : tuple of (int, int, int, int)
        Search window ``(x0, y0, x1, y1)`` per mark, clipped to the image.
    reach_mm : (M,) ndarray of float64
        Half-width of each window in mm.
    """

    upside_down: bool
    frame_mm: npt.NDArray[np.float64]  # (M, 2) layout points, turned for upside down
    expected_px: npt.NDArray[np.float64]  # (M, 2) where they would be
    rects: tuple[tuple[int, int, int, int], ...]  # search window per mark
    reach_mm: npt.NDArray[np.float64]  # (M,) window half-width


@dataclass(frozen=True, slots=True)
class CandidatePool:
    """Square candidates found in all windows, without duplicates."""

    candidates: list[SquareCandidate]
    xy: npt.NDArray[np.float64]  # (K, 2) coarse candidate centres, px
    points: list[complex]  # the same as x + iy


@dataclass(frozen=True, slots=True)
class MarkMatch:
    """Candidates assigned to marks by consensus, for one frame.

    ``assigned[i]`` is the candidate index of mark ``i`` or -1;
    ``predicted_px`` is where the winning placement puts every mark.
    """

    frame: SearchFrame
    assigned: npt.NDArray[np.int64]  # (M,) candidate index or -1
    predicted_px: npt.NDArray[np.float64]  # (M, 2)
    count: int


@lru_cache(maxsize=64)
def orientation_index(marks: tuple[RegistrationMark, ...]) -> int:
    """Index of the orientation mark among ``marks`` (a valid layout has exactly one)."""
    return next(i for i, m in enumerate(marks) if m.role == "orientation")


@lru_cache(maxsize=64)
def search_frame(
    shape: tuple[int, int],
    marks: tuple[RegistrationMark, ...],
    page: Page,
    scale: float,
    upside_down: bool,
    reach: SearchReach = FULL_REACH,
) -> SearchFrame:
    """Search windows for one orientation; cached, as a batch repeats the same geometry."""
    centre_mm = np.array([page.width_mm / 2, page.height_mm / 2])
    points = np.array([[m.x_mm, m.y_mm] for m in marks])
    frame_mm = 2 * centre_mm - points if upside_down else points
    centre_px = np.array([shape[1] / 2, shape[0] / 2])
    expected = centre_px + scale * (frame_mm - centre_mm)
    radius = np.linalg.norm(points - centre_mm, axis=1)
    sizes = np.array([m.size_mm for m in marks])
    reach_mm = (
        sizes / 2
        + reach.offset_mm
        + radius * (math.sin(math.radians(reach.skew_deg)) + reach.scale_tolerance)
    )
    rects = tuple(
        _clip_rect(x - r * scale, y - r * scale, x + r * scale, y + r * scale, shape)
        for (x, y), r in zip(expected, reach_mm, strict=True)
    )
    for array in (frame_mm, expected, reach_mm):
        array.flags.writeable = False
    return SearchFrame(upside_down, frame_mm, expected, rects, reach_mm)


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


def candidate_pool(
    image: npt.NDArray[np.uint8],
    frames: tuple[SearchFrame, ...],
    sides_px: tuple[float, ...],
    stride: int,
    scale: float,
) -> CandidatePool:
    """Square candidates from every search window, each window searched once.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
    frames : tuple of SearchFrame
        From :func:`search_frame`, one per orientation searched.
    sides_px : tuple of float
        Expected side of each mark in pixels.
    stride : int
        Coarse grid step.
    scale : float
        Pixels per mm, to tell duplicates apart.

    Returns
    -------
    CandidatePool
    """
    found: list[SquareCandidate] = []
    for rect, side in _merged_windows(frames, sides_px):
        for c in find_square_candidates(image, rect, side_px=side, stride=stride):
            near = DUPLICATE_MM * scale
            if all(math.hypot(c.x_px - f.x_px, c.y_px - f.y_px) > near for f in found):
                found.append(c)
    xy = np.array([(c.x_px, c.y_px) for c in found], dtype=np.float64).reshape(-1, 2)
    return CandidatePool(found, xy, [complex(c.x_px, c.y_px) for c in found])


@lru_cache(maxsize=64)
def _merged_windows(
    frames: tuple[SearchFrame, ...], sides_px: tuple[float, ...]
) -> tuple[tuple[tuple[int, int, int, int], float], ...]:
    """Search windows of all frames, overlapping ones merged; cached like the frames."""
    windows: list[tuple[tuple[int, int, int, int], float]] = []
    for frame in frames:
        for rect, side in zip(frame.rects, sides_px, strict=True):
            _merge_window(windows, rect, side)
    return tuple(windows)


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


def candidates_inside(pool: CandidatePool, rect: tuple[int, int, int, int]) -> list[int]:
    """Indices of the candidates whose centre lies in ``rect``."""
    x0, y0, x1, y1 = rect
    return [k for k, p in enumerate(pool.points) if x0 <= p.real < x1 and y0 <= p.imag < y1]


def match_marks(frame: SearchFrame, pool: CandidatePool, scale: float) -> MarkMatch:
    """Assign candidates to marks by the similarity that explains the most of them.

    Plain Python on purpose: a handful of marks and candidates, where array
    calls would cost more than the arithmetic.
    """
    points = pool.points
    allowed = [candidates_inside(pool, rect) for rect in frame.rects]
    z, pairs, best_predicted = _frame_constants(frame)
    tolerance = CONSENSUS_TOLERANCE_MM * scale
    best_count, best_error = 0, math.inf
    best_assigned = [-1] * len(z)
    # No placement can match more marks than have a candidate at all.
    attainable = sum(1 for options in allowed if options)
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
    return MarkMatch(frame, np.array(best_assigned, dtype=np.int64), xy, best_count)


@lru_cache(maxsize=64)
def _frame_constants(
    frame: SearchFrame,
) -> tuple[list[complex], list[tuple[int, int]], list[complex]]:
    """Marks as complex numbers, mark pairs farthest apart first, expected places; cached."""
    z = [complex(x, y) for x, y in frame.frame_mm.tolist()]
    pairs = sorted(combinations(range(len(z)), 2), key=lambda p: -abs(z[p[0]] - z[p[1]]))
    return z, pairs, [complex(x, y) for x, y in frame.expected_px.tolist()]


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
    closest: dict[int, float] = {}
    for k, gap in zip(nearest, gaps, strict=True):
        if k >= 0 and gap < closest.get(k, math.inf):
            closest[k] = gap
    assigned = [
        k if k >= 0 and gap <= closest[k] else -1 for k, gap in zip(nearest, gaps, strict=True)
    ]
    return assigned, sum(g * g for g, k in zip(gaps, assigned, strict=True) if k >= 0)


def match_frames(
    frames: tuple[SearchFrame, ...], pool: CandidatePool, scale: float, orient: int
) -> list[MarkMatch]:
    """Consensus for each frame, skipping the turned one when it cannot compete.

    Parameters
    ----------
    frames : tuple of SearchFrame
        The sheet as printed, then turned by 180°.
    pool : CandidatePool
    scale : float
        Pixels per mm.
    orient : int
        Index of the orientation mark.

    Returns
    -------
    list of MarkMatch
        One per frame considered, the printed frame first.

    Notes
    -----
    When the sheet as printed explains every mark, its placement also says
    where the turned sheet's orientation mark would lie (its corners being
    the same squares when the corner marks are symmetric under a 180° turn).
    With no candidate there, the turned reading cannot be complete, and its
    consensus would only cost time.
    """
    printed = match_marks(frames[0], pool, scale)
    if printed.count == len(printed.assigned) and _turned_orientation_absent(
        frames, printed, pool, scale, orient
    ):
        return [printed]
    return [printed, *(match_marks(frame, pool, scale) for frame in frames[1:])]


def _turned_orientation_absent(
    frames: tuple[SearchFrame, ...],
    printed: MarkMatch,
    pool: CandidatePool,
    scale: float,
    orient: int,
) -> bool:
    if not _corners_shared(frames, orient):
        return False
    # The printed placement is a similarity: two of its predictions give it back.
    z = [complex(x, y) for x, y in frames[0].frame_mm.tolist()]
    w = [complex(x, y) for x, y in printed.predicted_px.tolist()]
    far = max(range(len(z)), key=lambda k: abs(z[k] - z[0]))
    alpha = (w[far] - w[0]) / (z[far] - z[0])
    place = alpha * (complex(*frames[1].frame_mm[orient].tolist()) - z[0]) + w[0]
    reach = CONSENSUS_TOLERANCE_MM * scale
    return all(abs(point - place) > reach for point in pool.points)


@lru_cache(maxsize=64)
def _corners_shared(frames: tuple[SearchFrame, ...], orient: int) -> bool:
    """Whether the turned sheet's corner marks land on the printed sheet's.

    Only then do both readings share their corners, and the printed reading
    tells where the turned one's orientation mark would lie.
    """
    as_printed, turned = frames[0].frame_mm, frames[1].frame_mm
    corners = np.delete(np.arange(len(as_printed)), orient)
    gaps = np.linalg.norm(turned[corners, None, :] - as_printed[None, corners, :], axis=2)
    return bool(gaps.min(axis=1).max() <= CONSENSUS_TOLERANCE_MM)
