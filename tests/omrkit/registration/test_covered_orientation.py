"""A covered orientation mark: which way up the sheet lies, told by the layout code."""

from __future__ import annotations

import functools

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from omrkit.decode.images import decode_image
from omrkit.errors import RegistrationError
from omrkit.layout.models import load_layout
from omrkit.registration.homography import apply_homography
from omrkit.registration.register import MarkStatus, register
from omrkit.render import render_sheet

from .test_clipped import DPI, MAX_BUBBLE_ERROR_PX, PX_PER_MM, SERIAL, _bubble_error_px

#: Grey of a thumb under the scanner's lamp, and its radius (mm): it hides a 6 mm mark.
THUMB_GREY = 130
THUMB_MM = 6.0


@functools.cache
def _page() -> npt.NDArray[np.uint8]:
    layout = load_layout("ubt-answer")
    return decode_image(render_sheet(layout, format="png", dpi=DPI, serial=SERIAL))


def _fed(
    angle_deg: float, shift_px: tuple[float, float]
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.float64]]:
    """The page turned about its centre and shifted on a canvas of its size, and the truth.

    The turn is exact in continuous pixels (centres at +0.5), so a sheet
    turned by 180° has its truth to a fraction of a pixel.
    """
    page = _page()
    h, w = page.shape
    turn = np.vstack([cv2.getRotationMatrix2D((w / 2, h / 2), angle_deg, 1.0), [0, 0, 1]])
    turn[:2, 2] += shift_px
    to_continuous = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.0, 0.0, 1.0]])
    by_index = np.linalg.inv(to_continuous) @ turn @ to_continuous
    image = cv2.warpPerspective(page, by_index, (w, h), borderValue=255)
    return np.asarray(image, dtype=np.uint8), turn @ np.diag([PX_PER_MM, PX_PER_MM, 1.0])


def _cover(
    image: npt.NDArray[np.uint8], truth: npt.NDArray[np.float64], xy_mm: tuple[float, float]
) -> None:
    centre = apply_homography(truth, np.array([xy_mm]))[0]
    cv2.circle(
        image, (round(centre[0]), round(centre[1])), round(THUMB_MM * PX_PER_MM), THUMB_GREY, -1
    )


@pytest.mark.parametrize("turn_deg", [1.5, 181.5])
def test_covered_orientation_mark_is_placed_by_the_layout_code(turn_deg: float) -> None:
    """Orientation mark under a thumb, as printed or fed turned: read exactly, the mark named."""
    layout = load_layout("ubt-answer")
    image, truth = _fed(turn_deg, (10.0, -6.0))
    orient = next(m for m in layout.marks if m.role == "orientation")
    _cover(image, truth, (orient.x_mm, orient.y_mm))
    registration = register(image, layout)
    assert registration.quality.upside_down is (turn_deg > 90)
    assert {m.mark_id for m in registration.marks if m.status is MarkStatus.MISSING} == {"orient"}
    assert _bubble_error_px(registration.homography, truth) <= MAX_BUBBLE_ERROR_PX


def test_covered_orientation_mark_and_clipped_corner_are_read_together() -> None:
    """A thumb over the orientation mark and a corner cut by the edge: still placed exactly."""
    layout = load_layout("ubt-answer")
    image, truth = _fed(3.0, (85.0, 0.0))
    orient = next(m for m in layout.marks if m.role == "orientation")
    _cover(image, truth, (orient.x_mm, orient.y_mm))
    registration = register(image, layout)
    assert not registration.quality.upside_down
    assert _bubble_error_px(registration.homography, truth) <= MAX_BUBBLE_ERROR_PX


def test_covered_orientation_mark_and_layout_code_are_refused_naming_the_mark() -> None:
    """With the layout code covered too nothing tells which way up: refused, mark named."""
    layout = load_layout("ubt-answer")
    image, truth = _fed(1.0, (0.0, 0.0))
    orient = next(m for m in layout.marks if m.role == "orientation")
    code = layout.layout_id_code
    _cover(image, truth, (orient.x_mm, orient.y_mm))
    for k in range(code.n_cells):
        _cover(image, truth, (code.x_mm + k * code.pitch_mm, code.y_mm))
    with pytest.raises(RegistrationError, match="orient"):
        register(image, layout)
