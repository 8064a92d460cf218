"""Review images: overlays coloured by state, upright crops per slot."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from omrkit import load_layout, read_image
from omrkit.annotate import BubbleMark, bubble_marks, overlay, overlay_png, slot_crops
from omrkit.synth.simulate import synthesize_sheet

LAYOUT = load_layout("ubt-answer")


@pytest.fixture(scope="module")
def sheet() -> tuple[np.ndarray, object, object]:
    s = synthesize_sheet(LAYOUT, seed=11, dpi=150, profile="default")
    return s.image, s.truth, read_image(s.image, LAYOUT)


def test_bubble_marks_follow_the_reading(sheet: tuple) -> None:
    """Marked, multiple and review bubbles are drawn as such; the rest blank."""
    _, _, reading = sheet
    marks = bubble_marks(LAYOUT, reading)
    assert len(marks) == LAYOUT.bubbles.n_bubbles
    fills = np.asarray(reading.fill_ratios)
    is_marked = np.array([m in (BubbleMark.MARKED, BubbleMark.MULTIPLE) for m in marks])
    is_review = np.array([m is BubbleMark.REVIEW for m in marks])
    assert (fills[is_marked] >= 0.5).all()
    assert ((fills >= 0.5) <= (is_marked | is_review)).all()


def test_overlay_is_a_colour_copy_of_the_scan(sheet: tuple) -> None:
    """The overlay has the scan's size, three channels, and coloured pixels."""
    image, _, reading = sheet
    picture = overlay(image, LAYOUT, reading)
    assert picture.shape == (*image.shape, 3)
    coloured = np.abs(picture[..., 0].astype(int) - picture[..., 2].astype(int)) > 60
    assert coloured.sum() > 1000
    png = overlay_png(image, LAYOUT, reading)
    assert cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR).shape == picture.shape


def test_slot_crops_are_upright_even_for_turned_sheets() -> None:
    """A sheet fed upside down gives the same crops as the same sheet fed right."""
    upright = synthesize_sheet(LAYOUT, seed=5, dpi=150, profile="none").image
    turned = np.ascontiguousarray(upright[::-1, ::-1])
    a = slot_crops(upright, LAYOUT, read_image(upright, LAYOUT))
    b = slot_crops(turned, LAYOUT, read_image(turned, LAYOUT))
    assert a.keys() == b.keys()
    assert len(a) == LAYOUT.bubbles.n_slots
    for key in ("answers_1.1", "tzhk.1"):
        assert a[key].shape == b[key].shape
        assert np.abs(a[key].astype(int) - b[key].astype(int)).mean() < 8


def test_overlay_refuses_a_colour_image(sheet: tuple) -> None:
    """The overlay takes the grey scan the reading came from."""
    image, _, reading = sheet
    with pytest.raises(ValueError, match="2-D uint8"):
        overlay(np.dstack([image] * 3), LAYOUT, reading)
