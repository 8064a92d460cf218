"""Every compiled kernel agrees with its numpy twin (STYLE habit 2).

The meta-tests fail when a kernel is added to ``omrkit._kernels`` without a
twin in ``omrkit._reference`` or without a parity test: a test method named
``test<kernel>_matches_twin...`` (``test_disc_sums_matches_twin`` for
``_disc_sums``), found by walking the parity modules (this one, for the
projection and fill kernels, and every ``test_kernel_parity_*`` beside it),
not read from a list.
"""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil
from pathlib import Path

import numpy as np
import numpy.typing as npt
from hypothesis import given
from hypothesis import strategies as st
from numba.core.caching import NullCache
from numba.core.dispatcher import Dispatcher

from omrkit import _kernels, _reference
from omrkit.registration.homography import project_point
from tests.omrkit.kernel_inputs import (
    TOLERANCE,
    centers_mm,
    credit_line,
    radii_mm,
    random_homography,
    random_image,
)
from tests.strategies import DrawnRandom


def _dispatchers() -> dict[str, Dispatcher]:
    """Every compiled kernel of the package: its dispatchers, found by type, not by a list."""
    return {name: obj for name, obj in vars(_kernels).items() if isinstance(obj, Dispatcher)}


def _parity_modules() -> list[object]:
    """This module and every ``test_kernel_parity_*`` module beside it."""
    here = Path(__file__)
    package = __name__.rpartition(".")[0]
    names = [
        f"{package}.{info.name}"
        for info in pkgutil.iter_modules([str(here.parent)])
        if info.name.startswith(here.stem + "_")
    ]
    return [importlib.import_module(__name__), *map(importlib.import_module, names)]


def _parity_tests() -> list[str]:
    """Names of the test methods of the parity modules' test classes."""
    return [
        name
        for module in _parity_modules()
        for cls in vars(module).values()
        if inspect.isclass(cls)
        and cls.__module__ == module.__name__
        and cls.__name__.startswith("Test")
        for name in vars(cls)
        if name.startswith("test_")
    ]


class TestMeta:
    def test_every_kernel_has_a_parity_test(self) -> None:
        """Each kernel of ``_kernels`` has a ``test<kernel>_matches_twin`` parity test."""
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


def _assert_disc_sums_agree(rng: DrawnRandom, width: int | None) -> None:
    """Kernel and twin on a random box (``width`` columns wide, or any) and quadratic weights."""
    image = random_image(rng)
    rows, cols = image.shape
    row0, row1 = sorted(int(v) for v in rng.integers(0, rows, size=2))
    if width is None:
        col0, col1 = sorted(int(v) for v in rng.integers(0, cols, size=2))
    else:
        col0 = int(rng.integers(0, cols - width + 1))
        col1 = col0 + width - 1
    args = (
        image,
        row0,
        row1,
        col0,
        col1,
        float(rng.uniform(-30, 30) if width is None else rng.uniform(-width, 0)),
        float(rng.uniform(-30, 30)),
        float(rng.uniform(-0.5, 0.0)),
        float(rng.uniform(-0.1, 0.1)),
        float(rng.uniform(-0.5, 0.0)),
        float(rng.uniform(-2.0, 40.0)),
        *credit_line(rng),
    )
    kernel = _kernels._disc_sums(*args)
    twin = _reference._disc_sums(*args)
    size = (row1 - row0 + 1) * (col1 - col0 + 1)
    np.testing.assert_allclose(kernel, twin, rtol=0, atol=TOLERANCE * size)


class TestDiscSums:
    @given(data=st.data())
    def test_disc_sums_matches_twin(self, data: st.DataObject) -> None:
        """Weighted credit and weight sums agree over random boxes and quadratic weights."""
        _assert_disc_sums_agree(DrawnRandom(data), None)

    @given(data=st.data(), width=st.sampled_from([8, 16, 24, 32, 40]))
    def test_disc_sums_matches_twin_at_the_widths_of_fixed_loops(
        self, data: st.DataObject, width: int
    ) -> None:
        """Boxes 16, 24 and 32 columns wide take loops of their own; 8 and 40 the general one."""
        _assert_disc_sums_agree(DrawnRandom(data), width)


class TestBubbleFillRatio:
    @given(data=st.data())
    def test_bubble_fill_ratio_matches_twin(self, data: st.DataObject) -> None:
        """One disc's fill ratio agrees, NaN included, under random homographies."""
        rng = DrawnRandom(data)
        image = random_image(rng)
        homography = random_homography(rng)
        ((x_mm, y_mm),) = centers_mm(rng, image, homography, 1)
        (radius,) = radii_mm(rng, homography, 1)
        args = (image, homography, float(x_mm), float(y_mm), float(radius), *credit_line(rng))
        kernel = _kernels._bubble_fill_ratio(*args)
        twin = _reference._bubble_fill_ratio(*args)
        np.testing.assert_allclose(kernel, twin, rtol=0, atol=TOLERANCE, equal_nan=True)

    @given(data=st.data())
    def test_bubble_fill_ratio_matches_twin_on_degenerate_geometry(
        self, data: st.DataObject
    ) -> None:
        """Both give NaN for a centre at infinity, a singular Jacobian or a radius <= 0."""
        rng = DrawnRandom(data)
        image = random_image(rng)
        homography = random_homography(rng)
        case = int(rng.integers(3))
        radius = 1.0
        if case == 0:
            homography[2] = [0.0, 0.0, -1.0]
        elif case == 1:
            homography[:2, 1] = 0.5 * homography[:2, 0]
            homography[2, :2] = 0.0
        else:
            radius = -float(rng.uniform(0.0, 1.0))
        args = (image, homography, 3.0, 3.0, radius, *credit_line(rng))
        assert math.isnan(_kernels._bubble_fill_ratio(*args))
        assert math.isnan(_reference._bubble_fill_ratio(*args))


class TestFillRatiosSheet:
    @given(data=st.data(), n_bubbles=st.integers(0, 12))
    def test_fill_ratios_sheet_matches_twin(self, data: st.DataObject, n_bubbles: int) -> None:
        """A sheet's fill ratios agree bubble by bubble, including bubbles off the image."""
        rng = DrawnRandom(data)
        image = random_image(rng)
        homography = random_homography(rng)
        centers = centers_mm(rng, image, homography, n_bubbles)
        radii = radii_mm(rng, homography, n_bubbles)
        inset = float(rng.uniform(0.0, 0.3))
        offset, slope = credit_line(rng)
        kernel = np.full(n_bubbles, -1.0)
        twin = np.full(n_bubbles, -1.0)
        _kernels._fill_ratios_sheet(image, homography, centers, radii, inset, offset, slope, kernel)
        _reference._fill_ratios_sheet(image, homography, centers, radii, inset, offset, slope, twin)
        np.testing.assert_allclose(kernel, twin, rtol=0, atol=TOLERANCE, equal_nan=True)
