"""Registration kernels agree with their numpy twins: fits, moments, cells, masks, blobs.

Part of the parity suite of :mod:`tests.omrkit.test_kernel_parity`, whose
meta-tests find the tests here too.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import numpy.typing as npt
from hypothesis import assume, given
from hypothesis import strategies as st

from omrkit import _kernels, _reference
from omrkit._kernels.fit import MIN_HADAMARD_RATIO
from tests.omrkit.kernel_inputs import (
    TOLERANCE,
    centers_mm,
    random_homography,
    random_image,
)
from tests.strategies import DrawnRandom

_sides = st.integers(1, 40)
#: Smallest magnitude of a drawn design entry; smaller ones are drawn as 0.
_SMALLEST_ENTRY = 1e-3
#: Least distance (in log Hadamard ratio) of a drawn Gram matrix from the refusal threshold.
_THRESHOLD_MARGIN = 1e-6


class TestSolveNormalEquations:
    @given(data=st.data(), n=st.sampled_from([6, 8]), blocks=st.sampled_from([1, 2]))
    def test_solve_normal_equations_matches_twin(
        self, data: st.DataObject, n: int, blocks: int
    ) -> None:
        """Random well-posed normal equations are solved alike; one repeated column refuses both."""
        rng = DrawnRandom(data)
        design = rng.normal(size=(2 * n + 4, n))
        # Entries of order one, as Hartley-normalised points give: 1e-129 beside 1.0 is a
        # float but no fit's, and its squares underflow in one solver and not the other.
        design[np.abs(design) < _SMALLEST_ENTRY] = 0.0
        if rng.integers(2):
            design[:, -1] = design[:, 0]
        gram, rhs = design.T @ design, design.T @ rng.normal(size=2 * n + 4)
        sign, log_det = np.linalg.slogdet(gram)
        diagonal = np.diag(gram)
        if sign > 0 and (diagonal > 0).all():
            # Not on the threshold itself, where two roundings may fall either side.
            margin = log_det - np.log(diagonal).sum() - blocks * math.log(MIN_HADAMARD_RATIO)
            assume(abs(margin) > _THRESHOLD_MARGIN)
        kernel, twin = np.zeros(n), np.zeros(n)
        solved = _kernels._solve_normal_equations(gram, rhs, blocks, kernel)
        assert solved == _reference._solve_normal_equations(gram, rhs, blocks, twin)
        if solved:
            np.testing.assert_allclose(kernel, twin, rtol=0, atol=TOLERANCE * np.abs(twin).max())


#: Per-block Hadamard ratios of the fit's normal equations that are well
#: conditioned: sheet-like point sets give 1e-2 and more, clearly degenerate
#: ones (collinear, repeated) 1e-10 and less (see ``MIN_HADAMARD_RATIO``).
_WELL_POSED_RATIO = 1e-3
#: Narrowest spread (mm, the centred points' smaller singular value) of a
#: well-posed set, and the least length of a degenerate line: sets shrunk
#: towards one point (down to subnormal coordinates) are neither.
_MIN_SPREAD_MM = 1.0


def _spreads_mm(points: npt.NDArray[np.float64]) -> tuple[float, float]:
    """The largest and smallest singular values of the centred points (0, 0 for fewer than 2)."""
    if len(points) < 2:
        return 0.0, 0.0
    values = np.linalg.svd(points - points.mean(axis=0), compute_uv=False)
    return float(values[0]), float(values[-1])


def _hadamard_ratio(
    src: npt.NDArray[np.float64],
    dst: npt.NDArray[np.float64],
    used: npt.NDArray[np.bool_],
    projective: bool,
) -> float:
    """Per-block Hadamard ratio of the normal equations the fit solves (NaN if none)."""
    a, b = src[used], dst[used]
    if len(a) == 0 or not np.isfinite(b).all():
        return math.nan
    a = (a - a.mean(axis=0)) / max(float(np.linalg.norm(a - a.mean(axis=0), axis=1).mean()), 1e-300)
    b = (b - b.mean(axis=0)) / max(float(np.linalg.norm(b - b.mean(axis=0), axis=1).mean()), 1e-300)
    rows = np.zeros((2 * len(a), 8))
    rows[0::2, 0:2], rows[0::2, 2] = a, 1.0
    rows[1::2, 3:5], rows[1::2, 5] = a, 1.0
    rows[0::2, 6:8], rows[1::2, 6:8] = -a * b[:, :1], -a * b[:, 1:]
    design = rows if projective else rows[:, :6]
    gram = design.T @ design
    sign, log_det = np.linalg.slogdet(gram)
    diagonal = np.diag(gram)
    if sign <= 0 or np.any(diagonal <= 0):
        return 0.0
    blocks = 1 if projective else 2
    return math.exp((log_det - float(np.log(diagonal).sum())) / blocks)


class TestFitTransform:
    # Drawn through hypothesis, the points used to shrink onto sets whose
    # normal equations sit at the refusal threshold or are nearly singular:
    # there kernel and twin, summing in different orders, rightly reach
    # different near-optimal fits (residuals 0.4987 against 0.5003) or one
    # refuses where the other does not. Parity is a claim about well-posed
    # sets, so only those are kept: sheet-like ones, spread in both directions
    # and well above the threshold, which must agree to TOLERANCE, and points
    # spread along one line, which both must refuse.
    @given(data=st.data(), n_points=st.integers(1, 12), projective=st.booleans())
    def test_fit_transform_matches_twin(
        self, data: st.DataObject, n_points: int, projective: bool
    ) -> None:
        """Fits to random used subsets of noisy sheet points agree, residuals and refusals too."""
        rng = DrawnRandom(data)
        truth = random_homography(rng)
        src = rng.uniform(0.0, 1.0, size=(n_points, 2)) * [210.0, 297.0]
        on_line = rng.integers(4) == 0
        if on_line:
            src[:, 1] = 2.0 * src[:, 0] + 1.0  # all on one line: no transform
        mapped = np.column_stack([src, np.ones(n_points)]) @ truth.T
        dst = mapped[:, :2] / mapped[:, 2:] + rng.normal(0.0, 0.5, size=(n_points, 2))
        used = rng.uniform(0.0, 1.0, size=n_points) < 0.8
        dst[~used & (rng.uniform(0.0, 1.0, size=n_points) < 0.5)] = np.nan
        longest, narrowest = _spreads_mm(src[used])
        if on_line:
            assume(longest >= _MIN_SPREAD_MM)
        else:
            assume(narrowest >= _MIN_SPREAD_MM)
            assume(_hadamard_ratio(src, dst, used, projective) >= _WELL_POSED_RATIO)
        kernel, twin = np.zeros((3, 3)), np.zeros((3, 3))
        kernel_residuals, twin_residuals = np.zeros(n_points), np.zeros(n_points)
        fitted = _kernels._fit_transform(src, dst, used, projective, kernel, kernel_residuals)
        twin_fitted = _reference._fit_transform(src, dst, used, projective, twin, twin_residuals)
        assert fitted == twin_fitted
        if on_line:
            assert not fitted
        if fitted:
            np.testing.assert_allclose(kernel, twin, rtol=TOLERANCE, atol=TOLERANCE)
            np.testing.assert_allclose(
                kernel_residuals, twin_residuals, rtol=0, atol=TOLERANCE, equal_nan=True
            )


class TestRectMoments:
    @given(data=st.data())
    def test_rect_moments_matches_twin(self, data: st.DataObject) -> None:
        """Darkness moments over random turned rectangles agree, boxes overhanging the image too."""
        rng = DrawnRandom(data)
        image = random_image(rng)
        rows, cols = image.shape
        row0, row1 = sorted(int(v) for v in rng.integers(-10, rows + 10, size=2))
        col0, col1 = sorted(int(v) for v in rng.integers(-10, cols + 10, size=2))
        angle = rng.uniform(-math.pi, math.pi)
        ink = float(rng.uniform(0.0, 100.0))
        args = (
            image, col0, row0, col1, row1,
            float(rng.uniform(0, cols)), float(rng.uniform(0, rows)),
            math.cos(angle), math.sin(angle),
            float(rng.uniform(0, 40)), float(rng.uniform(0, 40)),
            ink, ink + float(rng.uniform(20.0, 150.0)),
        )  # fmt: skip
        kernel = _kernels._rect_moments(*args)
        twin = _reference._rect_moments(*args)
        size = max(row1 - row0, 1) * max(col1 - col0, 1) * max(rows, cols)
        np.testing.assert_allclose(kernel, twin, rtol=0, atol=TOLERANCE * size)


class TestCellMeans:
    @given(data=st.data(), n_cells=st.integers(0, 12), half=st.integers(0, 4))
    def test_cell_means_matches_twin(self, data: st.DataObject, n_cells: int, half: int) -> None:
        """Box means around mapped centres agree, and both refuse a box off the image."""
        rng = DrawnRandom(data)
        image = random_image(rng)
        homography = random_homography(rng)
        centers = centers_mm(rng, image, homography, n_cells)
        kernel, twin = np.zeros(n_cells), np.zeros(n_cells)
        inside = _kernels._cell_means(image, homography, centers, half, kernel)
        assert inside == _reference._cell_means(image, homography, centers, half, twin)
        if inside:
            np.testing.assert_allclose(kernel, twin, rtol=0, atol=TOLERANCE)


class TestMedianGrey:
    @given(data=st.data(), n_boxes=st.integers(0, 6), step=st.integers(1, 3))
    def test_median_grey_matches_twin(self, data: st.DataObject, n_boxes: int, step: int) -> None:
        """The median over random boxes, some overhanging the image or empty, agrees."""
        rng = DrawnRandom(data)
        image = random_image(rng)
        rows, cols = image.shape
        corners = rng.integers(-10, max(rows, cols) + 10, size=(n_boxes, 2, 2))
        corners.sort(axis=1)
        boxes = np.ascontiguousarray(
            corners.transpose(0, 2, 1).reshape(n_boxes, 4)[:, [0, 2, 1, 3]]
        )
        kernel = _kernels._median_grey(image, boxes, step)
        twin = _reference._median_grey(image, boxes, step)
        np.testing.assert_allclose(kernel, twin, equal_nan=True)


class TestCoarseMask:
    @given(data=st.data(), stride=st.integers(1, 5))
    def test_coarse_mask_matches_twin(self, data: st.DataObject, stride: int) -> None:
        """Levels and mask of random subsampled windows agree, also reaching past the image."""
        rng = DrawnRandom(data)
        image = random_image(rng)
        rows, cols = image.shape
        row0, col0 = int(rng.integers(0, rows)), int(rng.integers(0, cols))
        shape = (int(rng.integers(1, rows)), int(rng.integers(1, cols)))
        low_share, high_share = sorted(float(v) for v in rng.uniform(0.0, 1.0, size=2))
        kernel, twin = np.zeros(shape, np.uint8), np.zeros(shape, np.uint8)
        levels = _kernels._coarse_mask(image, col0, row0, stride, low_share, high_share, kernel)
        assert levels == _reference._coarse_mask(
            image, col0, row0, stride, low_share, high_share, twin
        )
        np.testing.assert_array_equal(kernel, twin)


class TestDarkBlobs:
    @given(data=st.data(), n_rows=_sides, n_cols=_sides, capacity=st.integers(0, 8))
    def test_dark_blobs_matches_twin(
        self, data: st.DataObject, n_rows: int, n_cols: int, capacity: int
    ) -> None:
        """Shapes of random masks, their boxes and moments agree, also when out is short."""
        rng = DrawnRandom(data)
        noise = rng.uniform(0.0, 1.0, size=(n_rows, n_cols))
        # Smoothed noise makes blobs of many sizes and shapes, touching diagonally too.
        smooth = cv2.blur(noise, (3, 3)) if rng.integers(2) else noise
        mask = np.where(smooth > rng.uniform(0.3, 0.7), 255, 0).astype(np.uint8)
        low = float(rng.uniform(0.0, 6.0))
        high = low + float(rng.uniform(0.0, 20.0))
        kernel, twin = np.zeros((capacity, 10)), np.zeros((capacity, 10))
        count = _kernels._dark_blobs(mask, low, high, kernel)
        assert count == _reference._dark_blobs(mask, low, high, twin)
        np.testing.assert_allclose(kernel, twin, rtol=0, atol=TOLERANCE * max(n_rows, n_cols))


class TestCentredMoments:
    @given(data=st.data(), passes=st.integers(1, 3))
    def test_centred_moments_matches_twin(self, data: st.DataObject, passes: int) -> None:
        """Area and centroid after re-centring a random rectangle agree, near edges too."""
        rng = DrawnRandom(data)
        image = random_image(rng)
        rows, cols = image.shape
        angle = rng.uniform(-math.pi, math.pi)
        ink = float(rng.uniform(0.0, 100.0))
        args = (
            image,
            float(rng.uniform(-5, cols + 5)), float(rng.uniform(-5, rows + 5)),
            math.cos(angle), math.sin(angle),
            float(rng.uniform(0, 30)), float(rng.uniform(0, 30)),
            ink, ink + float(rng.uniform(20.0, 150.0)), passes,
        )  # fmt: skip
        kernel = _kernels._centred_moments(*args)
        twin = _reference._centred_moments(*args)
        np.testing.assert_allclose(kernel, twin, rtol=1e-9, atol=TOLERANCE)
