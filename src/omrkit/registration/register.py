"""Registration: where the printed sheet lies in a scanned image.

:func:`register` finds the layout's registration marks in small windows
around where they should be, decides whether the sheet was fed turned by
180°, and fits the transform from layout millimetres to image pixels that the
rest of the reader maps every bubble through. It returns a
:class:`Registration`; a sheet whose marks cannot be found or do not agree is
a :class:`~omrkit.errors.RegistrationError`, never a silently wrong transform.

The result (:mod:`omrkit.registration.result`), the scale rule
(:mod:`omrkit.registration.scale`) and the sheet's own codes and grey levels,
read once the transform is known (:mod:`omrkit.registration.codes`), are
re-exported here.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import numpy.typing as npt

from omrkit.errors import RegistrationError
from omrkit.layout.models import SheetLayout
from omrkit.registration.by_code import pick_by_layout_code
from omrkit.registration.clipped import measure_clipped_square
from omrkit.registration.codes import (
    Levels,
    estimate_levels,
    read_bit_code,
    read_serial,
    verify_layout_id,
)
from omrkit.registration.diagnostics import (
    check_dpi_hint,
    check_image,
    orientation_error,
    unconfirmed_fit_error,
    unusable_marks_error,
)
from omrkit.registration.fit import (
    affine_consistent,
    consistent_sizes,
    solve_points,
    solve_with_guards,
)
from omrkit.registration.homography import (
    MIN_HOMOGRAPHY_POINTS,
)
from omrkit.registration.result import (
    POOR_RESIDUAL_MM,
    MarkFit,
    MarkStatus,
    Registration,
    registration_result,
)
from omrkit.registration.scale import MAX_BED_MARGIN_MM, MM_PER_INCH, expected_scale
from omrkit.registration.search import (
    COARSE_MARK_PX,
    FIRST_REACH,
    FULL_REACH,
    MAX_SKEW_DEG,
    CandidatePool,
    MarkMatch,
    SearchReach,
    candidate_pool,
    match_frames,
    orientation_index,
    search_frame,
)
from omrkit.registration.squares import refine_square

__all__ = [
    "MAX_BED_MARGIN_MM",
    "MAX_SKEW_DEG",
    "MM_PER_INCH",
    "POOR_RESIDUAL_MM",
    "Levels",
    "MarkFit",
    "MarkStatus",
    "Registration",
    "estimate_levels",
    "expected_scale",
    "read_bit_code",
    "read_serial",
    "register",
    "verify_layout_id",
]

#: Below this many pixels across, a mark cannot be measured.
MIN_MARK_PX = 8.0
#: Marks all within this distance (mm) of their affine fit need no further
#: check: a flat scan, no displaced mark. Otherwise (a tilted lid, a displaced
#: or missing mark) the bit codes' guard cells are measured too.
AFFINE_CONSISTENT_MM = 0.1
#: Fewest whole marks a fit is made from, the code guard cells standing in for
#: the fourth: three marks fix an affine map, which places the guards.
MIN_GUARDED_MARKS = MIN_HOMOGRAPHY_POINTS - 1


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
        image size (the page fills it, or sits centred on a scanner bed at
        most ``MAX_BED_MARGIN_MM`` wider on each side). Either way the page's
        centre is looked for within ``OFFSET_TOLERANCE_MM`` of the image's.
    path : str or Path, optional
        Source named in errors.

    Returns
    -------
    Registration

    Raises
    ------
    TypeError
        If ``image`` is not a uint8 array or ``dpi_hint`` not a number.
    ValueError
        If ``image`` is not 2-D or ``dpi_hint`` not positive and finite.
    RegistrationError
        If the image is too small for the marks, or the marks cannot be found:
        fewer than four agree with each other, the orientation mark is at
        neither of its two places (or at both). The message names the
        marks and how far off the best candidate was. A covered orientation
        mark is forgiven where the corner marks place the sheet and the
        printed layout code reads right in exactly one of the two ways up.

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
    one. Matched marks are measured at full resolution.

    The windows are searched first over the tolerances of a tidy scanner
    (``FIRST_REACH``: a third of the pixels). Only where every mark is found
    there and agrees on one way up is that search final: a wider one could
    find no more marks, and a second orientation mark within reach of the
    first search's placement would have been found by it too. Any other
    sheet is searched again over the full tolerances, whose findings (and
    errors) are the ones reported.

    If all marks agree with an affine map to ``AFFINE_CONSISTENT_MM`` (a flat
    scan), the projective fit to them is final. Otherwise (a tilted lid, a
    mark missing, covered or off its place) the always-black guard cells at
    both ends of every bit code are measured too and the fit is made to all
    points, leaving out up to ``MAX_DROPPED_POINTS`` that the others agree
    without (:mod:`omrkit.registration.fit`). The registration is flagged
    ``poor`` when its residual exceeds ``POOR_RESIDUAL_MM``, its skew
    ``MAX_SKEW_DEG``, or when the fit could not be cross-checked (four points
    only, or a guard cell not where the marks put it).

    Examples
    --------
    >>> from omrkit.decode.images import decode_image
    >>> from omrkit.layout.models import load_layout
    >>> from omrkit.render import render_sheet
    >>> layout = load_layout("ubt-answer")
    >>> image = decode_image(render_sheet(layout, format="png", dpi=150))
    >>> registration = register(image, layout)
    >>> registration.quality.upside_down, round(registration.quality.scale, 2)
    (False, 5.91)
    """
    check_image(image, path)
    check_dpi_hint(dpi_hint, path)
    scale = expected_scale(image.shape, layout.page, dpi_hint)
    marks = layout.marks
    sides_px = np.array([m.size_mm for m in marks]) * scale
    if sides_px.min() < MIN_MARK_PX:
        raise RegistrationError(
            f"the image is too small: registration marks would be {sides_px.min():.1f} px across,"
            f" at least {MIN_MARK_PX:.0f} px are needed (scan at 100 dpi or more)",
            path=path,
        )
    image = np.ascontiguousarray(image)
    for reach in (FIRST_REACH, FULL_REACH):
        pool, matches, complete = _search(image, layout, sides_px, scale, reach)
        # The first search settles a sheet only where all marks agree on one
        # way up: the full search could then find nothing better.
        if len(complete) == 1 and complete[0].count == len(marks):
            break
    if len(complete) != 1:
        error = orientation_error(layout, matches, complete, pool, scale, path)
        partial = _partial_match(layout, matches, complete)
        if partial is None:
            # The orientation mark covered: the layout code may still say which way up.
            placed = _oriented_by_code(image, layout, matches, complete, pool, sides_px, scale)
            if placed is None:
                raise error
            return placed
        # Marks cut by the image's edge are not candidates: the match may
        # still be completed from their visible parts, or the error stands.
        try:
            return _solve(image, layout, partial, pool, sides_px, scale, path)
        except RegistrationError:
            raise error from None
    return _solve(image, layout, complete[0], pool, sides_px, scale, path)


def _partial_match(
    layout: SheetLayout, matches: list[MarkMatch], complete: list[MarkMatch]
) -> MarkMatch | None:
    """The one way up holding the orientation mark and all but one of the marks a fit needs."""
    if complete:
        return None
    orient = orientation_index(layout.marks)
    held = [m for m in matches if m.assigned[orient] >= 0 and m.count >= MIN_HOMOGRAPHY_POINTS - 1]
    return held[0] if len(held) == 1 else None


def _oriented_by_code(
    image: npt.NDArray[np.uint8],
    layout: SheetLayout,
    matches: list[MarkMatch],
    complete: list[MarkMatch],
    pool: CandidatePool,
    sides_px: npt.NDArray[np.float64],
    scale: float,
) -> Registration | None:
    """Placements without the orientation mark, told apart by the layout code.

    Only where no way up holds the orientation mark and some hold enough
    corner marks for a fit, one of them possibly cut by the image's edge;
    None when the code does not settle it.
    """
    orient = orientation_index(layout.marks)
    if complete or any(m.assigned[orient] >= 0 for m in matches):
        return None
    placements = []
    for match in matches:
        if match.count < MIN_HOMOGRAPHY_POINTS - 1:
            continue
        try:
            placements.append(
                _solve(image, layout, match, pool, sides_px, scale, None, need_orientation=False)
            )
        except RegistrationError:
            continue
    return pick_by_layout_code(image, layout, placements, lambda r: r.homography)


def _search(
    image: npt.NDArray[np.uint8],
    layout: SheetLayout,
    sides_px: npt.NDArray[np.float64],
    scale: float,
    reach: SearchReach,
) -> tuple[CandidatePool, list[MarkMatch], list[MarkMatch]]:
    """Candidates within ``reach``, the consensus per way up, and those it completes.

    A consensus is complete when it holds the orientation mark and enough
    marks besides for a projective fit.
    """
    size = (image.shape[0], image.shape[1])
    marks = layout.marks
    frames = tuple(
        search_frame(size, marks, layout.page, scale, turned, reach) for turned in (False, True)
    )
    stride = max(1, int(sides_px.min() // COARSE_MARK_PX))
    pool = candidate_pool(image, frames, tuple(float(side) for side in sides_px), stride, scale)
    orient = orientation_index(layout.marks)
    matches = match_frames(frames, pool, scale, orient)
    complete = [m for m in matches if m.assigned[orient] >= 0 and m.count >= MIN_HOMOGRAPHY_POINTS]
    return pool, matches, complete


# -- solving and reporting -----------------------------------------------------------------
def _solve(
    image: npt.NDArray[np.uint8],
    layout: SheetLayout,
    match: MarkMatch,
    pool: CandidatePool,
    sides_px: npt.NDArray[np.float64],
    scale: float,
    path: str | Path | None,
    *,
    need_orientation: bool = True,
) -> Registration:
    n_marks = len(layout.marks)
    found = np.full((n_marks, 2), np.nan)
    sides_ratio = np.full(n_marks, np.nan)
    # Plain Python values: five marks, where numpy scalars cost more than their arithmetic.
    for i, (k, side) in enumerate(zip(match.assigned.tolist(), sides_px.tolist(), strict=True)):
        if k >= 0:
            refined = refine_square(image, pool.candidates[k], side_px=side)
            if refined is not None:
                found[i] = refined.x_px, refined.y_px
                sides_ratio[i] = refined.side_px / side
    trusted = consistent_sizes(sides_ratio)
    orient = orientation_index(layout.marks)
    layout_mm = np.array([[m.x_mm, m.y_mm] for m in layout.marks])
    clipped = _recover_clipped(image, layout_mm, match, pool, sides_px, found, trusted)
    # The orientation mark must be there to tell which way up the sheet is
    # (unless the layout code is to tell it); its centre, like any mark's, may
    # still be left out of the fit. Three marks leave the fit to the code guard
    # cells, and are taken only where the guards confirm it (below).
    if int(trusted.sum()) < MIN_GUARDED_MARKS or (need_orientation and np.isnan(found[orient, 0])):
        raise unusable_marks_error(layout, match, pool, found, trusted, scale, path)
    if (
        not clipped
        and trusted.all()
        and affine_consistent(layout_mm, found, AFFINE_CONSISTENT_MM * scale)
    ):
        solution = solve_points(layout_mm, found, trusted, scale=scale, max_drops=0)
    else:
        solution = solve_with_guards(image, layout, layout_mm, found, trusted, scale=scale)
    # A fit without a mark (or with one placed from its visible part) is read
    # only when the guard cells confirm it: a wrong transform is never read.
    left_out = [
        m.id
        for i, (m, used) in enumerate(zip(layout.marks, solution.used.tolist(), strict=False))
        if not used or i in clipped
    ]
    if left_out and not solution.cross_checked:
        raise unconfirmed_fit_error(layout, left_out, path)
    return registration_result(layout, match.frame.upside_down, solution, found, clipped)


def _recover_clipped(
    image: npt.NDArray[np.uint8],
    layout_mm: npt.NDArray[np.float64],
    match: MarkMatch,
    pool: CandidatePool,
    sides_px: npt.NDArray[np.float64],
    found: npt.NDArray[np.float64],
    trusted: npt.NDArray[np.bool_],
) -> frozenset[int]:
    """Measure, in place, marks cut by the image's edge; the indices recovered.

    Only where a mark could not be measured whole: the common sheet never
    pays for it.
    """
    if trusted.all():
        return frozenset()
    assigned = [pool.candidates[k] for k in match.assigned.tolist() if k >= 0]
    if not assigned:
        return frozenset()
    threshold = float(np.median([(c.ink + c.paper) / 2 for c in assigned]))
    recovered = set()
    for i in np.flatnonzero(~trusted).tolist():
        centre = measure_clipped_square(
            image,
            (float(match.predicted_px[i, 0]), float(match.predicted_px[i, 1])),
            side_px=float(sides_px[i]),
            rotation_deg=_predicted_rotation_deg(layout_mm, match.predicted_px),
            threshold=threshold,
        )
        if centre is not None:
            found[i] = centre
            trusted[i] = True
            recovered.add(i)
    return frozenset(recovered)


def _predicted_rotation_deg(
    layout_mm: npt.NDArray[np.float64], predicted_px: npt.NDArray[np.float64]
) -> float:
    """Rotation of the page the consensus placement implies (first to farthest mark)."""
    far = int(np.argmax(np.linalg.norm(layout_mm - layout_mm[0], axis=1)))
    a, b = layout_mm[far] - layout_mm[0], predicted_px[far] - predicted_px[0]
    return math.degrees(math.atan2(b[1], b[0]) - math.atan2(a[1], a[0]))
