"""Tests for omrkit.registration.squares: finding solid squares and measuring their centres."""

from __future__ import annotations

import math

import cv2
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omrkit.registration.squares import (
    SquareCandidate,
    find_square_candidates,
    find_square_near,
    refine_square,
)

PAPER, INK = 235.0, 25.0
SIZE = 160
#: Sub-pixel accuracy the darkness-weighted centroid reaches on a drawn square.
CENTRE_ACCURACY_PX = 0.05
_SHIFT = 8
#: cv2 fills every canvas pixel a polygon touches: an edge is off by up to half a canvas
#: pixel, so the canvas is fine enough for that to stay far below the accuracy tested.
_SUPERSAMPLE = 16


def _canvas() -> npt.NDArray[np.uint8]:
    return np.zeros((SIZE * _SUPERSAMPLE, SIZE * _SUPERSAMPLE), np.uint8)


def _to_cv(points: npt.NDArray[np.float64]) -> npt.NDArray[np.int32]:
    """Continuous image points to fixed-point cv2 coordinates on the supersampled canvas."""
    return np.rint((points * _SUPERSAMPLE - 0.5) * (1 << _SHIFT)).astype(np.int32)


def _square_points(x: float, y: float, side: float, angle_deg: float) -> npt.NDArray[np.float64]:
    theta = math.radians(angle_deg)
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], dtype=np.float64) * side / 2
    rotation = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
    return corners @ rotation.T + (x, y)


def _finish(canvas: npt.NDArray[np.uint8], blur_px: float = 0.0) -> npt.NDArray[np.uint8]:
    share = cv2.resize(canvas, (SIZE, SIZE), interpolation=cv2.INTER_AREA) / 255.0
    grey = PAPER + (INK - PAPER) * share
    if blur_px > 0:
        grey = cv2.GaussianBlur(grey, (0, 0), blur_px)
    return np.clip(np.rint(grey), 0, 255).astype(np.uint8)


def _square_image(
    x: float, y: float, side: float, angle_deg: float = 0.0, blur_px: float = 0.0
) -> npt.NDArray[np.uint8]:
    canvas = _canvas()
    cv2.fillPoly(canvas, [_to_cv(_square_points(x, y, side, angle_deg))], 255, shift=_SHIFT)
    return _finish(canvas, blur_px)


def _disc_image(x: float, y: float, diameter: float) -> npt.NDArray[np.uint8]:
    canvas = _canvas()
    centre = (
        round((x * _SUPERSAMPLE - 0.5) * (1 << _SHIFT)),
        round((y * _SUPERSAMPLE - 0.5) * (1 << _SHIFT)),
    )
    radius = round(diameter / 2 * _SUPERSAMPLE * (1 << _SHIFT))
    cv2.circle(canvas, centre, radius, 255, thickness=-1, shift=_SHIFT)
    return _finish(canvas)


WHOLE = (0, 0, SIZE, SIZE)


@settings(max_examples=30)
@given(
    x=st.floats(60, 100),
    y=st.floats(60, 100),
    side=st.floats(16, 48),
    angle=st.floats(-6, 6),
    blur=st.sampled_from([0.0, 0.8, 1.6]),
)
def test_square_centre_is_found_to_a_twentieth_of_a_pixel(
    x: float, y: float, side: float, angle: float, blur: float
) -> None:
    """A turned, blurred square's centre is measured within 0.05 px, its side within 5 %."""
    image = _square_image(x, y, side, angle, blur)
    stride = max(1, int(side // 10))
    [candidate] = find_square_candidates(image, WHOLE, side_px=side, stride=stride)
    refined = refine_square(image, candidate, side_px=side)
    assert refined is not None
    assert math.hypot(refined.x_px - x, refined.y_px - y) < CENTRE_ACCURACY_PX
    assert refined.side_px == pytest.approx(side, rel=0.05)


def test_candidates_come_with_the_window_levels() -> None:
    """A candidate carries the ink and paper grey of the window it was found in."""
    [candidate] = find_square_candidates(_square_image(80, 80, 30), WHOLE, side_px=30, stride=3)
    assert candidate.ink == pytest.approx(INK, abs=2)
    assert candidate.paper == pytest.approx(PAPER, abs=2)


def test_disc_of_the_same_width_is_not_a_square() -> None:
    """A filled bubble as wide as a mark is refused, at the latest at full resolution."""
    image = _disc_image(80, 80, 30)
    candidates = find_square_candidates(image, WHOLE, side_px=30, stride=3)
    assert all(refine_square(image, c, side_px=30) is None for c in candidates)


def test_hollow_square_is_not_a_mark() -> None:
    """A square outline (a printed box) is not a solid mark."""
    canvas = _canvas()
    cv2.polylines(canvas, [_to_cv(_square_points(80, 80, 30, 0))], True, 255,
                  thickness=3 * _SUPERSAMPLE, shift=_SHIFT)  # fmt: skip
    assert find_square_candidates(_finish(canvas), WHOLE, side_px=30, stride=1) == []


@pytest.mark.parametrize("side", [15.0, 50.0])
def test_square_of_another_size_is_not_a_mark(side: float) -> None:
    """Squares half or well over the expected side are refused."""
    image = _square_image(80, 80, side)
    candidates = find_square_candidates(image, WHOLE, side_px=30, stride=1)
    assert all(refine_square(image, c, side_px=30) is None for c in candidates)


def test_square_cut_by_the_window_edge_is_left_out() -> None:
    """A square only partly inside the window would give a biased centre: left out."""
    image = _square_image(80, 80, 30)
    assert find_square_candidates(image, (0, 0, 85, 160), side_px=30, stride=1) == []


def test_blank_window_has_no_candidates() -> None:
    """Paper with sensor noise and no ink has no contrast worth thresholding."""
    noise = np.random.default_rng(1).normal(PAPER, 4, (SIZE, SIZE))
    blank = np.clip(noise, 0, 255).astype(np.uint8)
    assert find_square_candidates(blank, WHOLE, side_px=30, stride=3) == []


def test_refine_square_off_the_image_is_none() -> None:
    """A candidate too close to the image edge for a paper ring cannot be measured."""
    image = _square_image(16, 80, 30)
    candidate = SquareCandidate(16.0, 80.0, 30.0, INK, PAPER)
    assert refine_square(image, candidate, side_px=30) is None


def test_find_square_near_takes_the_nearest_and_respects_its_reach() -> None:
    """Of two cells a pitch apart, the one near the prediction is taken; beyond reach, none."""
    canvas = _canvas()
    for x in (70.0, 94.0):
        cv2.fillPoly(canvas, [_to_cv(_square_points(x, 80, 16, 0))], 255, shift=_SHIFT)
    image = _finish(canvas)
    found = find_square_near(image, 72.0, 81.0, side_px=16, reach_px=9.6)
    assert found is not None
    assert math.hypot(found.x_px - 70.0, found.y_px - 80.0) < CENTRE_ACCURACY_PX
    assert find_square_near(image, 82.0, 80.0, side_px=16, reach_px=9.6) is None


def test_oblong_shape_is_not_a_candidate() -> None:
    """A solid rectangle 1.4 times as long as wide is not taken for a square, even turned."""
    canvas = _canvas()
    theta = math.radians(20)
    rotation = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
    corners = np.array([[-21, -15], [21, -15], [21, 15], [-21, 15]], dtype=np.float64)
    cv2.fillPoly(canvas, [_to_cv(corners @ rotation.T + (80, 80))], 255, shift=_SHIFT)
    assert find_square_candidates(_finish(canvas), WHOLE, side_px=34, stride=3) == []


def test_find_square_near_reads_its_own_window_in_a_shadow() -> None:
    """A cell in a shadow darker than midway between the page's paper and ink is still found."""
    canvas = _canvas()
    cv2.fillPoly(canvas, [_to_cv(_square_points(80, 80, 16, 0))], 255, shift=_SHIFT)
    image = _finish(canvas).astype(np.float64)
    # Shadow: paper there reads 110, below the page's own midpoint (130).
    image[50:110, 50:110] = np.minimum(image[50:110, 50:110], 110.0)
    found = find_square_near(image.astype(np.uint8), 81.0, 79.0, side_px=16, reach_px=9.6)
    assert found is not None
    assert math.hypot(found.x_px - 80.0, found.y_px - 80.0) < CENTRE_ACCURACY_PX
