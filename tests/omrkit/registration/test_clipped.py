"""Registration of sheets whose marks are cut off by the image's edge or covered."""

from __future__ import annotations

import functools

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from omrkit.decode.images import decode_image
from omrkit.errors import RegistrationError
from omrkit.layout.models import load_layout
from omrkit.registration.clipped import measure_clipped_square
from omrkit.registration.homography import apply_homography
from omrkit.registration.register import MarkStatus, register
from omrkit.render import render_sheet

DPI = 200
PX_PER_MM = DPI / 25.4
#: Largest distance (px) of any bubble from where the true transform puts it.
MAX_BUBBLE_ERROR_PX = 1.0


#: Printed sheets carry a serial; its code's guard cells help confirm a fit without a mark.
SERIAL = 0b1011_0010_1110_0001_0101_1001


@functools.cache
def _page(serial: int | None = SERIAL) -> npt.NDArray[np.uint8]:
    layout = load_layout("ubt-answer")
    return decode_image(render_sheet(layout, format="png", dpi=DPI, serial=serial))


def _fed(
    angle_deg: float, shift_px: tuple[float, float], *, serial: int | None = SERIAL
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.float64]]:
    """The page turned and shifted on a canvas of its own size (corners clipped), and the truth."""
    page = _page(serial)
    h, w = page.shape
    turn = np.vstack([cv2.getRotationMatrix2D((w / 2, h / 2), angle_deg, 1.0), [0, 0, 1]])
    turn[:2, 2] += shift_px
    image = cv2.warpPerspective(page, turn, (w, h), borderValue=255)
    return np.asarray(image, dtype=np.uint8), turn @ np.diag([PX_PER_MM, PX_PER_MM, 1.0])


def _bubble_error_px(homography: npt.NDArray[np.float64], truth: npt.NDArray[np.float64]) -> float:
    centres = load_layout("ubt-answer").bubbles.centers_mm
    return float(
        np.abs(apply_homography(homography, centres) - apply_homography(truth, centres)).max()
    )


def test_one_clipped_corner_is_left_out_or_placed_from_what_shows() -> None:
    """One corner cut by the edge: the sheet registers exactly, the mark named."""
    image, truth = _fed(3.0, (85.0, 0.0))
    registration = register(image, load_layout("ubt-answer"))
    assert set(registration.clipped_marks) | set(registration.dropped_marks) == {"br"}
    assert _bubble_error_px(registration.homography, truth) <= MAX_BUBBLE_ERROR_PX


def test_two_adjacent_clipped_corners_are_placed_from_their_visible_parts() -> None:
    """Both right-hand corners cut: the clipped two complete the three whole squares."""
    image, truth = _fed(0.0, (85.0, 0.0))
    registration = register(image, load_layout("ubt-answer"))
    assert set(registration.clipped_marks) == {"tr", "br"}
    assert _bubble_error_px(registration.homography, truth) <= MAX_BUBBLE_ERROR_PX


def test_a_corner_cut_off_with_nothing_below_to_confirm_the_fit_is_refused() -> None:
    """No serial printed, a bottom corner wholly cut off: the tilt is undetermined, refused."""
    image, _ = _fed(0.0, (140.0, 0.0), serial=None)
    with pytest.raises(RegistrationError, match="br"):
        register(image, load_layout("ubt-answer"))


def test_top_edge_cut_with_the_orientation_mark_is_refused_naming_the_marks() -> None:
    """With the orientation mark cut off too, which way up is unknown: refused, marks named."""
    image, _ = _fed(0.0, (0.0, -80.0))
    with pytest.raises(RegistrationError, match="orient"):
        register(image, load_layout("ubt-answer"))


def test_covered_corner_mark_is_left_out_and_the_guards_stand_in() -> None:
    """A thumb over a corner mark: the other marks and the code guards place the sheet."""
    image, truth = _fed(1.0, (0.0, 0.0))
    layout = load_layout("ubt-answer")
    tl = apply_homography(truth, np.array([[layout.marks[0].x_mm, layout.marks[0].y_mm]]))[0]
    cv2.circle(image, (int(tl[0]) + 8, int(tl[1]) + 8), int(7 * PX_PER_MM), 140, -1)
    registration = register(image, layout)
    assert registration.marks[0].status is not MarkStatus.USED
    assert _bubble_error_px(registration.homography, truth) <= MAX_BUBBLE_ERROR_PX


def test_a_square_not_cut_by_the_edge_is_left_to_the_whole_square_measure() -> None:
    """Away from the edge the clipped measure declines."""
    image = np.full((200, 200), 255, np.uint8)
    image[80:120, 80:120] = 0
    assert (
        measure_clipped_square(image, (100, 100), side_px=40, rotation_deg=0, threshold=128) is None
    )


def test_a_clipped_square_is_centred_where_it_was_drawn() -> None:
    """A square half off the left edge is centred outside the image, exactly."""
    image = np.full((200, 200), 255, np.uint8)
    image[80:120, 0:12] = 0  # a 40 px square centred at x = -8.5 (pixel centres), y = 99.5
    centre = measure_clipped_square(image, (-5, 96), side_px=40, rotation_deg=0, threshold=128)
    assert centre is not None
    # Within a pixel: the visible part moves in whole pixels as the square slides.
    assert centre == pytest.approx((-8.5, 99.5), abs=0.75)
