"""Every compiled kernel agrees with its numpy twin (STYLE habit 2).

The meta-tests fail when a kernel is added to ``omrkit._kernels`` without a
twin in ``omrkit._reference`` or without a parity test here: a test method
named ``test<kernel>_matches_twin...`` (``test_disc_sums_matches_twin`` for
``_disc_sums``), found by walking this module, not read from a list.
"""

from __future__ import annotations

import inspect
import math

import cv2
import numpy as np
import numpy.typing as npt
from hypothesis import assume, given
from hypothesis import strategies as st
from numba.core.caching import NullCache
from numba.core.dispatcher import Dispatcher

from omrkit import _kernels, _reference
from omrkit.registration.homography import project_point
from tests.strategies import DrawnRandom

#: Kernel and twin agree to this (fill ratios and pixel sums relative to their size).
TOLERANCE = 1e-6

_sides = st.integers(1, 40)


def _dispatchers() -> dict[str, Dispatcher]:
    """Every compiled kernel of the package: its dispatchers, found by type, not by a list."""
    return {name: obj for name, obj in vars(_kernels).items() if isinstance(obj, Dispatcher)}


def _parity_tests() -> list[str]:
    """Names of the test methods of this module's test classes."""
    return [
        name
        for cls in globals().values()
        if inspect.isclass(cls) and cls.__module__ == __name__ and cls.__name__.startswith("Test")
        for name in vars(cls)
        if name.startswith("test_")
    ]


def _random_homography(rng: DrawnRandom | np.random.Generator) -> npt.NDArray[np.float64]:
    """Near-similarity: 3-12 px/mm, any turn, a few % shear and anisotropy, slight perspective."""
    scale = rng.uniform(3.0, 12.0)
    angle = rng.uniform(-math.pi, math.pi)
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    distortion = np.eye(2) + rng.uniform(-0.05, 0.05, size=(2, 2))
    matrix = np.eye(3)
    matrix[:2, :2] = scale * rotation @ distortion
    matrix[:2, 2] = rng.uniform(20.0, 60.0, size=2)
    matrix[2, :2] = rng.uniform(-2e-3, 2e-3, size=2)
    return matrix


def _random_image(rng: DrawnRandom) -> npt.NDArray[np.uint8]:
    shape = tuple(rng.integers(50, 120, size=2))
    return rng.integers(0, 256, size=shape, dtype=np.uint8)


def _centers_mm(
    rng: DrawnRandom,
    image: npt.NDArray[np.uint8],
    homography: npt.NDArray[np.float64],
    n: int,
) -> npt.NDArray[np.float64]:
    """Layout points that land on the image; discs around them may overhang its edges."""
    rows, cols = image.shape
    pixels = rng.uniform(0.0, 1.0, size=(n, 2)) * [cols, rows]
    mapped = np.column_stack([pixels, np.ones(n)]) @ np.linalg.inv(homography).T
    return np.ascontiguousarray(mapped[:, :2] / mapped[:, 2:])


def _radii_mm(
    rng: DrawnRandom, homography: npt.NDArray[np.float64], n: int
) -> npt.NDArray[np.float64]:
    """Radii of 2-15 px on the image."""
    px_per_mm = math.sqrt(abs(np.linalg.det(homography[:2, :2])))
    return rng.uniform(2.0, 15.0, size=n) / px_per_mm


def _credit_line(rng: DrawnRandom) -> tuple[float, float]:
    return float(rng.uniform(0.5, 4.0)), float(rng.uniform(0.002, 0.05))


class TestMeta:
    def test_every_kernel_has_a_parity_test(self) -> None:
        """Each kernel of ``_kernels`` has a ``test<kernel>_matches_twin`` test in this module."""
        tests = _parity_tests()
        untested = [
            name
            for name in _dispatchers()
            if not any(test.startswith(f"test{name}_matches_twin") for test in tests)
        ]
        assert _dispatchers(), "no kernels found: the discovery itself is broken"
        assert untested == []

    def test_every_parity_test_names_a_kernel(self) -> None:
        """No parity test outlives its kernel: each ``test_X_matches_twin`` names a kernel."""
        kernels = _dispatchers()
        orphans = [
            test
            for test in _parity_tests()
            if "_matches_twin" in test
            and test.removeprefix("test").split("_matches_twin")[0] not in kernels
        ]
        assert orphans == []

    def test_every_kernel_has_a_twin_with_its_signature(self) -> None:
        """Each kernel has a same-named numpy twin taking the same parameters."""
        for name, dispatcher in _dispatchers().items():
            twin = getattr(_reference, name, None)
            assert callable(twin), f"_reference lacks a twin of {name}"
            kernel_params = list(inspect.signature(dispatcher.py_func).parameters)
            assert list(inspect.signature(twin).parameters) == kernel_params, name

    def test_kernels_release_the_gil_and_compile_nothing_new(self) -> None:
        """Kernels run without the GIL, are cached, and accept only their declared signature."""
        for name, dispatcher in _dispatchers().items():
            assert dispatcher.targetoptions.get("nogil") is True, name
            assert not isinstance(dispatcher._cache, NullCache), name
            assert len(dispatcher.signatures) == 1, name
            assert not dispatcher._can_compile, name


_layout_mm = st.floats(-500.0, 500.0, allow_nan=False)
_entries = st.floats(-50.0, 50.0, allow_nan=False)
_perspective = st.floats(-0.01, 0.01, allow_nan=False)


@st.composite
def _homographies(draw: st.DrawFn) -> npt.NDArray[np.float64]:
    """Any affine part, a small perspective row: drawn entry by entry so failures shrink."""
    matrix = np.eye(3)
    matrix[:2, :] = np.array(draw(st.lists(_entries, min_size=6, max_size=6))).reshape(2, 3)
    matrix[2, :2] = draw(st.lists(_perspective, min_size=2, max_size=2))
    return matrix


class TestProjection:
    @given(homography=_homographies(), x_mm=_layout_mm, y_mm=_layout_mm)
    def test_project_matches_twin(
        self, homography: npt.NDArray[np.float64], x_mm: float, y_mm: float
    ) -> None:
        """The mapped point and its weight agree, infinities and NaN included."""
        kernel = _kernels._project(homography, x_mm, y_mm)
        twin = _reference._project(homography, x_mm, y_mm)
        np.testing.assert_allclose(kernel, twin, rtol=1e-9, atol=1e-9, equal_nan=True)

    @given(homography=_homographies(), x_mm=_layout_mm, y_mm=_layout_mm)
    def test_projection_jacobian_matches_twin(
        self, homography: npt.NDArray[np.float64], x_mm: float, y_mm: float
    ) -> None:
        """The Jacobian agrees with the textbook quotient rule at every mapped point."""
        u, v, w = _reference._project(homography, x_mm, y_mm)
        kernel = _kernels._projection_jacobian(homography, u, v, w)
        twin = _reference._projection_jacobian(homography, u, v, w)
        np.testing.assert_allclose(kernel, twin, rtol=1e-9, atol=1e-9, equal_nan=True)

    @given(homography=_homographies(), x_mm=_layout_mm, y_mm=_layout_mm)
    def test_project_point_is_the_kernel_on_plain_floats(
        self, homography: npt.NDArray[np.float64], x_mm: float, y_mm: float
    ) -> None:
        """The registration stage's scalar projection is bit-for-bit the kernel's."""
        scalar = project_point(homography.tolist(), x_mm, y_mm)
        np.testing.assert_array_equal(scalar, _kernels._project(homography, x_mm, y_mm))


class TestDiscSums:
    @given(data=st.data())
    def test_disc_sums_matches_twin(self, data: st.DataObject) -> None:
        """Weighted credit and weight sums agree over random boxes and quadratic weights."""
        rng = DrawnRandom(data)
        image = _random_image(rng)
        rows, cols = image.shape
        row0, row1 = sorted(int(v) for v in rng.integers(0, rows, size=2))
        col0, col1 = sorted(int(v) for v in rng.integers(0, cols, size=2))
        args = (
            image,
            row0,
            row1,
            col0,
            col1,
            float(rng.uniform(-30, 30)),
            float(rng.uniform(-30, 30)),
            float(rng.uniform(-0.5, 0.0)),
            float(rng.uniform(-0.1, 0.1)),
            float(rng.uniform(-0.5, 0.0)),
            float(rng.uniform(-2.0, 40.0)),
            *_credit_line(rng),
        )
        kernel = _kernels._disc_sums(*args)
        twin = _reference._disc_sums(*args)
        size = (row1 - row0 + 1) * (col1 - col0 + 1)
        np.testing.assert_allclose(kernel, twin, rtol=0, atol=TOLERANCE * size)


class TestBubbleFillRatio:
    @given(data=st.data())
    def test_bubble_fill_ratio_matches_twin(self, data: st.DataObject) -> None:
        """One disc's fill ratio agrees, NaN included, under random homographies."""
        rng = DrawnRandom(data)
        image = _random_image(rng)
        homography = _random_homography(rng)
        ((x_mm, y_mm),) = _centers_mm(rng, image, homography, 1)
        (radius,) = _radii_mm(rng, homography, 1)
        args = (image, homography, float(x_mm), float(y_mm), float(radius), *_credit_line(rng))
        kernel = _kernels._bubble_fill_ratio(*args)
        twin = _reference._bubble_fill_ratio(*args)
        np.testing.assert_allclose(kernel, twin, rtol=0, atol=TOLERANCE, equal_nan=True)

    @given(data=st.data())
    def test_bubble_fill_ratio_matches_twin_on_degenerate_geometry(
        self, data: st.DataObject
    ) -> None:
        """Both give NaN for a centre at infinity, a singular Jacobian or a radius <= 0."""
        rng = DrawnRandom(data)
        image = _random_image(rng)
        homography = _random_homography(rng)
        case = int(rng.integers(3))
        radius = 1.0
        if case == 0:
            homography[2] = [0.0, 0.0, -1.0]
        elif case == 1:
            homography[:2, 1] = 0.5 * homography[:2, 0]
            homography[2, :2] = 0.0
        else:
            radius = -float(rng.uniform(0.0, 1.0))
        args = (image, homography, 3.0, 3.0, radius, *_credit_line(rng))
        assert math.isnan(_kernels._bubble_fill_ratio(*args))
        assert math.isnan(_reference._bubble_fill_ratio(*args))


class TestFillRatiosSheet:
    @given(data=st.data(), n_bubbles=st.integers(0, 12))
    def test_fill_ratios_sheet_matches_twin(self, data: st.DataObject, n_bubbles: int) -> None:
        """A sheet's fill ratios agree bubble by bubble, including bubbles off the image."""
        rng = DrawnRandom(data)
        image = _random_image(rng)
        homography = _random_homography(rng)
        centers = _centers_mm(rng, image, homography, n_bubbles)
        radii = _radii_mm(rng, homography, n_bubbles)
        inset = float(rng.uniform(0.0, 0.3))
        offset, slope = _credit_line(rng)
        kernel = np.full(n_bubbles, -1.0)
        twin = np.full(n_bubbles, -1.0)
        _kernels._fill_ratios_sheet(image, homography, centers, radii, inset, offset, slope, kernel)
        _reference._fill_ratios_sheet(image, homography, centers, radii, inset, offset, slope, twin)
        np.testing.assert_allclose(kernel, twin, rtol=0, atol=TOLERANCE, equal_nan=True)


class TestSolveNormalEquations:
    @given(data=st.data(), n=st.sampled_from([6, 8]), blocks=st.sampled_from([1, 2]))
    def test_solve_normal_equations_matches_twin(
        self, data: st.DataObject, n: int, blocks: int
    ) -> None:
        """Random well-posed normal equations are solved alike; one repeated column refuses both."""
        rng = DrawnRandom(data)
        design = rng.normal(size=(2 * n + 4, n))
        if rng.integers(2):
            design[:, -1] = design[:, 0]
        gram, rhs = design.T @ design, design.T @ rng.normal(size=2 * n + 4)
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
        truth = _random_homography(rng)
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
        image = _random_image(rng)
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
        image = _random_image(rng)
        homography = _random_homography(rng)
        centers = _centers_mm(rng, image, homography, n_cells)
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
        image = _random_image(rng)
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
        image = _random_image(rng)
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
        image = _random_image(rng)
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
