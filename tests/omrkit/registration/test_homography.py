"""Tests for omrkit.registration.homography: fitting and applying layout-to-image transforms."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from omrkit.errors import RegistrationError
from omrkit.registration.homography import (
    apply_homography,
    fit_affine,
    fit_homography,
    fit_with_residuals,
    local_scale_and_rotation,
)

#: Layout points spread like a sheet's marks and code cells, in mm.
POINTS_MM = np.array(
    [[12, 12], [198, 12], [198, 285], [12, 285], [36, 12], [120, 12], [162, 12], [45, 285]],
    dtype=np.float64,
)


def _similarity(scale: float, angle_deg: float, tx: float, ty: float) -> npt.NDArray[np.float64]:
    c = scale * math.cos(math.radians(angle_deg))
    s = scale * math.sin(math.radians(angle_deg))
    return np.array([[c, -s, tx], [s, c, ty], [0.0, 0.0, 1.0]])


@given(
    scale=st.floats(3.0, 25.0),
    angle=st.floats(-180, 180),
    shift=st.tuples(st.floats(-500, 500), st.floats(-500, 500)),
    tilt=st.tuples(st.floats(-2e-5, 2e-5), st.floats(-2e-5, 2e-5)),
)
def test_fit_homography_recovers_the_transform(
    scale: float, angle: float, shift: tuple[float, float], tilt: tuple[float, float]
) -> None:
    """Exact correspondences give back the projective transform that made them."""
    truth = _similarity(scale, angle, *shift)
    truth[2, :2] = tilt
    fitted = fit_homography(POINTS_MM, apply_homography(truth, POINTS_MM))
    np.testing.assert_allclose(
        apply_homography(fitted, POINTS_MM), apply_homography(truth, POINTS_MM), atol=1e-6
    )
    assert fitted[2, 2] == 1.0


@given(matrix=st.lists(st.floats(-10, 10), min_size=6, max_size=6))
def test_fit_affine_recovers_an_affine_transform(matrix: list[float]) -> None:
    """Exact correspondences of a non-degenerate affine map give it back."""
    truth = np.vstack([np.array(matrix).reshape(2, 3), [0.0, 0.0, 1.0]])
    if abs(np.linalg.det(truth[:2, :2])) < 1e-3:
        return
    fitted = fit_affine(POINTS_MM, apply_homography(truth, POINTS_MM))
    np.testing.assert_allclose(fitted, truth, atol=1e-8)


def test_apply_homography_divides_by_w() -> None:
    """Homogeneous coordinates are divided by their third component."""
    h = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 2.0]])
    np.testing.assert_allclose(apply_homography(h, np.array([[4.0, 6.0]])), [[2.0, 3.0]])


@pytest.mark.parametrize("fit", [fit_affine, fit_homography])
def test_fits_refuse_points_on_one_line(fit: object) -> None:
    """Points on one line determine no transform of either kind."""
    assert callable(fit)
    line = np.column_stack([np.linspace(0, 100, 6), np.linspace(0, 50, 6)])
    with pytest.raises(RegistrationError, match=r"line|degenerate"):
        fit(line, line * 2)


def test_fit_homography_refuses_three_collinear_of_four() -> None:
    """Two corners and the orientation mark between them, plus one corner: undetermined."""
    src = POINTS_MM[[0, 1, 3, 4]]
    dst = apply_homography(_similarity(7.9, 2.0, 30, 40), src)
    with pytest.raises(RegistrationError, match="degenerate"):
        fit_homography(src, dst)


@pytest.mark.parametrize(
    ("src", "dst", "message"),
    [
        (POINTS_MM[:3], POINTS_MM[:3], "at least 4"),
        (POINTS_MM, POINTS_MM[:5], "as many"),
        (np.full((4, 2), np.nan), np.zeros((4, 2)), "finite"),
    ],
)
def test_fit_homography_checks_its_points(
    src: npt.NDArray[np.float64], dst: npt.NDArray[np.float64], message: str
) -> None:
    """Too few, unmatched or non-finite points are refused with the reason."""
    with pytest.raises(RegistrationError, match=message):
        fit_homography(src, dst)


@given(scale=st.floats(1.0, 20.0), angle=st.floats(-179, 179))
def test_local_scale_and_rotation_of_a_similarity(scale: float, angle: float) -> None:
    """A similarity's local scale and rotation are its own, everywhere."""
    h = _similarity(scale, angle, 10.0, -20.0)
    found_scale, found_angle = local_scale_and_rotation(h, 105.0, 148.5)
    assert found_scale == pytest.approx(scale)
    assert found_angle == pytest.approx(angle, abs=1e-9)


def test_fit_with_residuals_measures_every_point_against_the_used_ones() -> None:
    """Points left out of the fit are measured against it; a NaN point's residual is NaN."""
    truth = _similarity(7.9, 1.5, 40.0, 25.0)
    truth[2, :2] = (1e-5, -2e-5)
    dst = apply_homography(truth, POINTS_MM)
    dst[5] += (3.0, 4.0)
    dst[6] = np.nan
    used = np.ones(len(POINTS_MM), dtype=bool)
    used[[5, 6]] = False
    fitted = fit_with_residuals(POINTS_MM, dst, used, projective=True)
    assert fitted is not None
    homography, residuals = fitted
    np.testing.assert_allclose(homography, truth / truth[2, 2], rtol=1e-9, atol=1e-9)
    assert residuals[5] == pytest.approx(5.0)
    assert math.isnan(residuals[6])
    assert residuals[used].max() < 1e-9


@pytest.mark.parametrize("projective", [False, True])
def test_fit_with_residuals_is_none_where_the_points_determine_nothing(projective: bool) -> None:
    """Too few used points, or points on one line, give no transform rather than an error."""
    line = np.column_stack([np.linspace(0, 100, 6), np.linspace(0, 50, 6)])
    assert fit_with_residuals(line, line * 2, np.ones(6, dtype=bool), projective=projective) is None
    few = np.zeros(len(POINTS_MM), dtype=bool)
    few[:2] = True
    assert fit_with_residuals(POINTS_MM, POINTS_MM, few, projective=projective) is None


def test_fit_with_residuals_checks_its_shapes() -> None:
    """Point sets of different shapes, or a flag per point missing, are refused."""
    with pytest.raises(RegistrationError, match="one shape"):
        fit_with_residuals(POINTS_MM, POINTS_MM[:5], np.ones(8, dtype=bool), projective=True)
    with pytest.raises(RegistrationError, match="used flag"):
        fit_with_residuals(POINTS_MM, POINTS_MM, np.ones(5, dtype=bool), projective=True)
