"""Tests for omrkit.registration.search: search windows and consensus."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from omrkit.registration.homography import apply_homography
from omrkit.registration.search import (
    FIRST_REACH,
    MAX_SKEW_DEG,
    OFFSET_TOLERANCE_MM,
    SCALE_TOLERANCE,
    CandidatePool,
    match_frames,
    match_marks,
    search_frame,
)
from omrkit.registration.squares import SquareCandidate
from tests.omrkit.drawn_sheets import placement, toy_layout

DPI = 200
PX_PER_MM = DPI / 25.4


@given(
    angle=st.floats(-MAX_SKEW_DEG, MAX_SKEW_DEG),
    scale=st.floats(1 - SCALE_TOLERANCE, 1 + SCALE_TOLERANCE),
    shift=st.tuples(*[st.floats(-OFFSET_TOLERANCE_MM / 2, OFFSET_TOLERANCE_MM / 2)] * 2),
    turned=st.booleans(),
)
def test_search_windows_hold_the_marks_within_tolerance(
    angle: float, scale: float, shift: tuple[float, float], turned: bool
) -> None:
    """Within the searched skew, scale and shift, every mark lies inside its window."""
    layout = toy_layout()
    size = (round(140 * PX_PER_MM), round(180 * PX_PER_MM))
    truth = placement(layout.page, size, dpi=DPI, angle_deg=angle, scale=scale,
                      shift_mm=shift, turned=turned)  # fmt: skip
    frame = search_frame((size[1], size[0]), layout.marks, layout.page, PX_PER_MM, turned)
    centres = apply_homography(truth, np.array([[m.x_mm, m.y_mm] for m in layout.marks]))
    for (x, y), (x0, y0, x1, y1) in zip(centres, frame.rects, strict=True):
        assert x0 <= x < x1
        assert y0 <= y < y1


@given(
    angle=st.floats(-FIRST_REACH.skew_deg, FIRST_REACH.skew_deg),
    scale=st.floats(1 - FIRST_REACH.scale_tolerance, 1 + FIRST_REACH.scale_tolerance),
    shift=st.tuples(*[st.floats(-FIRST_REACH.offset_mm / 2, FIRST_REACH.offset_mm / 2)] * 2),
    turned=st.booleans(),
)
def test_first_search_windows_hold_a_tidy_scan_inside_the_full_windows(
    angle: float, scale: float, shift: tuple[float, float], turned: bool
) -> None:
    """Within the first search's tolerances each mark lies in its window, inside the full one."""
    layout = toy_layout()
    size = (round(140 * PX_PER_MM), round(180 * PX_PER_MM))
    truth = placement(layout.page, size, dpi=DPI, angle_deg=angle, scale=scale,
                      shift_mm=shift, turned=turned)  # fmt: skip
    shape = (size[1], size[0])
    first = search_frame(shape, layout.marks, layout.page, PX_PER_MM, turned, FIRST_REACH)
    full = search_frame(shape, layout.marks, layout.page, PX_PER_MM, turned)
    centres = apply_homography(truth, np.array([[m.x_mm, m.y_mm] for m in layout.marks]))
    for (x, y), small, large in zip(centres, first.rects, full.rects, strict=True):
        assert small[0] <= x < small[2]
        assert small[1] <= y < small[3]
        assert large[0] <= small[0] < small[2] <= large[2]
        assert large[1] <= small[1] < small[3] <= large[3]
    assert (first.reach_mm < full.reach_mm).all()


def test_match_marks_ignores_a_stray_square() -> None:
    """A square-looking blot between the marks is not matched to any of them."""
    layout = toy_layout()
    size = (round(140 * PX_PER_MM), round(180 * PX_PER_MM))
    truth = placement(layout.page, size, dpi=DPI, angle_deg=2.0)
    frame = search_frame((size[1], size[0]), layout.marks, layout.page, PX_PER_MM, False)
    points = apply_homography(truth, np.array([[m.x_mm, m.y_mm] for m in layout.marks]))
    stray = points[0] + (9 * PX_PER_MM, 7 * PX_PER_MM)
    xy = np.vstack([stray, points])
    candidates = [SquareCandidate(float(x), float(y), 5 * PX_PER_MM, 20, 240) for x, y in xy]
    pool = CandidatePool(candidates, xy, [complex(x, y) for x, y in xy])
    match = match_marks(frame, pool, PX_PER_MM)
    assert match.count == len(layout.marks)
    np.testing.assert_array_equal(match.assigned, np.arange(1, len(layout.marks) + 1))


def _pool_of(points: np.ndarray) -> CandidatePool:
    candidates = [SquareCandidate(float(x), float(y), 5 * PX_PER_MM, 20, 240) for x, y in points]
    return CandidatePool(candidates, points, [complex(x, y) for x, y in points])


@pytest.mark.parametrize("turned", [False, True])
def test_match_frames_finds_the_orientation_the_sheet_lies_in(turned: bool) -> None:
    """Exactly one reading has the orientation mark; the turned one is skipped when it cannot."""
    layout = toy_layout()
    size = (round(140 * PX_PER_MM), round(180 * PX_PER_MM))
    truth = placement(layout.page, size, dpi=DPI, angle_deg=1.0, turned=turned)
    frames = tuple(
        search_frame((size[1], size[0]), layout.marks, layout.page, PX_PER_MM, t)
        for t in (False, True)
    )
    points = apply_homography(truth, np.array([[m.x_mm, m.y_mm] for m in layout.marks]))
    matches = match_frames(frames, _pool_of(points), PX_PER_MM, orient=4)
    complete = [m for m in matches if m.assigned[4] >= 0]
    assert [m.frame.upside_down for m in complete] == [turned]
    assert len(matches) == (2 if turned else 1)
