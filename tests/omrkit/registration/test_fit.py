"""Tests for omrkit.registration.fit: which marks and guard cells to trust, and the fit."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from omrkit.errors import RegistrationError
from omrkit.layout.models import SheetLayout
from omrkit.registration.fit import (
    MARK_TOLERANCE_MM,
    SIDE_CONSISTENCY,
    affine_consistent,
    consistent_sizes,
    solve_points,
    solve_with_guards,
)
from omrkit.registration.homography import apply_homography
from tests.omrkit.drawn_sheets import draw_sheet, paint_square, placement, toy_layout

SCALE = 7.874
#: Four corner marks, the orientation mark, then two guard cells on top and two below.
POINTS_MM = np.array(
    [[12, 12], [198, 12], [198, 285], [12, 285], [36, 12], [120, 12], [162, 12], [45, 285],
     [123, 285]], dtype=np.float64,
)  # fmt: skip
#: Drawn toy sheets for the guard-cell fit.
TOY_DPI = 200
TRUTH = np.array([[7.86, -0.25, 60.0], [0.26, 7.87, 45.0], [1.2e-5, -0.8e-5, 1.0]])


def _found(truth: npt.NDArray[np.float64] = TRUTH) -> npt.NDArray[np.float64]:
    return apply_homography(truth, POINTS_MM)


def test_consistent_sizes_flags_the_odd_mark_out() -> None:
    """A mark smaller than the others by more than SIDE_CONSISTENCY is not trusted."""
    ratios = np.array([1.01, 0.99, 1.0, 1.0 - 2 * SIDE_CONSISTENCY, np.nan])
    np.testing.assert_array_equal(consistent_sizes(ratios), [True, True, True, False, False])


def test_consistent_sizes_of_nothing_found() -> None:
    """With no mark found, no mark is trusted."""
    assert not consistent_sizes(np.full(5, np.nan)).any()


def test_solve_points_fits_exact_points_and_is_cross_checked() -> None:
    """Nine exact points give back the transform, checked by the spare points."""
    solution = solve_points(POINTS_MM, _found(), np.ones(9, bool), scale=SCALE, max_drops=2)
    assert solution.cross_checked
    assert solution.used.all()
    assert solution.residual_px < 1e-6
    np.testing.assert_allclose(solution.homography, TRUTH, rtol=1e-6, atol=1e-9)


def test_solve_points_leaves_out_the_displaced_point() -> None:
    """A corner mark 1 mm off its place is left out; the rest fit exactly."""
    found = _found()
    found[2] += (0.0, 1.0 * SCALE)
    solution = solve_points(POINTS_MM, found, np.ones(9, bool), scale=SCALE, max_drops=2)
    assert not solution.used[2]
    assert solution.used.sum() == 8
    assert solution.residuals_px[2] > MARK_TOLERANCE_MM * SCALE
    assert solution.residual_px < 1e-6


def test_solve_points_keeps_everything_without_drops_allowed() -> None:
    """With no drops allowed the displaced point stays in, and the residual shows it."""
    found = _found()
    found[2] += (0.0, 1.0 * SCALE)
    solution = solve_points(POINTS_MM, found, np.ones(9, bool), scale=SCALE, max_drops=0)
    assert solution.used.all()
    assert solution.residual_px > 0.1


def test_solve_points_with_four_marks_is_not_cross_checked() -> None:
    """Four marks fit exactly and leave nothing to check the fit with."""
    trusted = np.zeros(9, bool)
    trusted[[1, 2, 3, 4]] = True
    solution = solve_points(POINTS_MM, _found(), trusted, scale=SCALE, max_drops=2)
    assert not solution.cross_checked
    np.testing.assert_allclose(solution.homography, TRUTH, rtol=1e-6, atol=1e-9)


def test_solve_points_falls_back_to_affine_when_three_are_collinear() -> None:
    """Corners tl, tr, bl and the orientation mark between tl and tr give an affine fit."""
    affine = TRUTH.copy()
    affine[2] = (0.0, 0.0, 1.0)
    trusted = np.zeros(9, bool)
    trusted[[0, 1, 3, 4]] = True
    solution = solve_points(POINTS_MM, _found(affine), trusted, scale=SCALE, max_drops=0)
    np.testing.assert_allclose(solution.homography, affine, rtol=1e-6, atol=1e-9)


def test_solve_points_needs_four_points() -> None:
    """Three trusted points are refused."""
    trusted = np.zeros(9, bool)
    trusted[:3] = True
    with pytest.raises(RegistrationError, match="at least 4"):
        solve_points(POINTS_MM, _found(), trusted, scale=SCALE, max_drops=0)


def test_affine_consistent_tells_flat_from_tilted() -> None:
    """Marks of a flat scan agree with an affine fit; a tilted lid's do not."""
    marks = POINTS_MM[:5]
    flat = TRUTH.copy()
    flat[2] = (0.0, 0.0, 1.0)
    assert affine_consistent(marks, apply_homography(flat, marks), 0.1 * SCALE)
    assert not affine_consistent(marks, apply_homography(TRUTH, marks), 0.1 * SCALE)


def _tilted_toy_sheet() -> tuple[SheetLayout, npt.NDArray[np.uint8], npt.NDArray[np.float64]]:
    """A drawn toy sheet under a tilted lid, with its true homography."""
    layout = toy_layout()
    size = (round(140 * TOY_DPI / 25.4), round(180 * TOY_DPI / 25.4))
    tilt = np.array([[0.0, 0.0], [0.5, -0.3], [0.0, 0.6], [-0.4, 0.0]])
    truth = placement(layout.page, size, dpi=TOY_DPI, angle_deg=1.0, tilt_mm=tilt)
    return layout, draw_sheet(layout, truth, size, serial=99), truth


def _guard_cells_mm(layout: SheetLayout) -> list[tuple[float, float]]:
    codes = [layout.layout_id_code, layout.serial_code]
    return [(c.x_mm + end * c.pitch_mm, c.y_mm) for c in codes if c for end in (0, c.n_cells - 1)]


def test_solve_with_guards_fits_marks_and_guard_cells() -> None:
    """The four guard cells join the five marks and cross-check the projective fit."""
    layout, image, truth = _tilted_toy_sheet()
    marks_mm = np.array([[m.x_mm, m.y_mm] for m in layout.marks])
    scale = TOY_DPI / 25.4
    solution = solve_with_guards(
        image, layout, marks_mm, apply_homography(truth, marks_mm), np.ones(5, bool), scale=scale
    )
    assert solution.cross_checked
    assert solution.used.sum() == len(layout.marks) + len(_guard_cells_mm(layout))
    guards = np.array(_guard_cells_mm(layout))
    np.testing.assert_allclose(
        apply_homography(solution.homography, guards), apply_homography(truth, guards), atol=0.1
    )


def test_solve_with_guards_without_a_guard_cell_is_not_cross_checked() -> None:
    """A guard cell painted over leaves the fit unchecked near it, and says so."""
    layout, image, truth = _tilted_toy_sheet()
    x_mm, y_mm = _guard_cells_mm(layout)[1]
    paint_square(image, truth, x_mm, y_mm, layout.layout_id_code.cell_mm * 1.6, level=240)
    marks_mm = np.array([[m.x_mm, m.y_mm] for m in layout.marks])
    solution = solve_with_guards(
        image, layout, marks_mm, apply_homography(truth, marks_mm), np.ones(5, bool),
        scale=TOY_DPI / 25.4,
    )  # fmt: skip
    assert not solution.cross_checked
    assert np.isnan(solution.residuals_px[len(layout.marks) + 1])
