"""A fill ratio is a physical fraction: never below 0 or above 1, however it rounds.

A fully inked bubble sums credits of exactly 1 over float32 rows; rounding
once pushed the ratio to 1.0000000022 and a whole batch stopped on it.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from omrkit import _reference
from omrkit._kernels import _bubble_fill_ratio
from omrkit.layout.models import OUTLINE_STROKE_MM
from tests.omrkit.measure.test_fill import CENTER_MM, RADIUS_MM, scan

#: The resolutions and geometry the accuracy tests scan at.
_DPIS = st.sampled_from([100, 150, 200, 300, 600])
_PERSPECTIVE = st.sampled_from([0.0, 2e-4, 1e-3])
#: The credit line of a narrow ramp (offset, slope) and a steep one: both
#: give full credit to dark pixels and none to paper.
_CREDIT_LINES = st.sampled_from([(3.0, 0.02), (200.0, 1.0), (1.5, 0.006)])


def _both(image: np.ndarray, homography: np.ndarray, credit: tuple[float, float]) -> list[float]:
    inner = RADIUS_MM - OUTLINE_STROKE_MM / 2
    args = (image, homography, CENTER_MM[0], CENTER_MM[1], inner, *credit)
    return [_bubble_fill_ratio(*args), _reference._bubble_fill_ratio(*args)]


@settings(max_examples=60, deadline=None)
@given(
    dpi=_DPIS,
    fraction=st.sampled_from([0.0, 0.3, 0.5, 0.97, 1.0]),
    darkness=st.sampled_from([0.6, 0.9, 1.0]),
    angle=st.floats(-math.pi, math.pi),
    perspective=_PERSPECTIVE,
    credit=_CREDIT_LINES,
    seed=st.integers(0, 2**16),
)
def test_fill_ratio_lies_in_zero_one(
    dpi: int,
    fraction: float,
    darkness: float,
    angle: float,
    perspective: float,
    credit: tuple[float, float],
    seed: int,
) -> None:
    """Empty, partial and fully inked bubbles, turned and tilted: 0 <= fill <= 1."""
    s = scan(
        dpi=dpi,
        rng=np.random.default_rng(seed),
        fraction=fraction,
        darkness=darkness,
        angle=angle,
        perspective=perspective,
        spill_mm=0.6,
        paper=255.0,
        ink=0.0,
    )
    for ratio in _both(s.image, s.homography, credit):
        assert 0.0 <= ratio <= 1.0


@settings(max_examples=40, deadline=None)
@given(
    dpi=_DPIS,
    grey=st.sampled_from([0, 1, 255]),
    angle=st.floats(-math.pi, math.pi),
    perspective=_PERSPECTIVE,
    credit=_CREDIT_LINES,
)
def test_uniform_bubbles_read_exactly_empty_or_full(
    dpi: int, grey: int, angle: float, perspective: float, credit: tuple[float, float]
) -> None:
    """All-black reads 1 and all-white 0, never a rounding past either end."""
    s = scan(dpi=dpi, rng=np.random.default_rng(0), angle=angle, perspective=perspective)
    image = np.full_like(s.image, grey)
    expected = 1.0 if grey <= 1 else 0.0
    for ratio in _both(image, s.homography, credit):
        assert 0.0 <= ratio <= 1.0
        assert math.isclose(ratio, expected, abs_tol=1e-6)
