"""Tests for omrkit.decode.gray: colour to grey with the dropout colour vanishing."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from omrkit.decode.gray import DROPOUT_CHANNEL_TOLERANCE, dropout_channel_weights, to_gray
from omrkit.errors import DecodeError
from tests.omrkit.decode.test_images import PINK, PINK_HEX, VISIBLE_BELOW, colour_sheet


def test_to_gray_makes_pink_dropout_vanish() -> None:
    """With the dropout colour given, pink rings read near paper while black stays black."""
    rgb, rings, ink = colour_sheet()
    gray = to_gray(rgb, dropout_color=PINK_HEX)
    assert gray[rings].min() >= PINK[0]
    assert gray[ink].max() == 0
    assert to_gray(rgb, dropout_color=None)[rings].max() < VISIBLE_BELOW


def test_to_gray_passes_grey_through() -> None:
    """A grey image is returned as it is."""
    gray = np.arange(12, dtype=np.uint8).reshape(3, 4)
    assert to_gray(gray, dropout_color=PINK_HEX) is gray


def test_to_gray_rejects_wrong_shape() -> None:
    """A four-channel array is a ValueError naming its shape: the caller's bug, not the image's."""
    with pytest.raises(ValueError, match="shape") as info:
        to_gray(np.zeros((4, 4, 4), np.uint8), dropout_color=None)
    assert not isinstance(info.value, DecodeError)


@pytest.mark.parametrize("rgb", [[[0, 255]], np.zeros((4, 4, 3), np.float32)])
def test_to_gray_rejects_what_is_not_a_uint8_array(rgb: object) -> None:
    """A list or a float array is a TypeError, not a decode error."""
    with pytest.raises(TypeError, match="uint8"):
        to_gray(rgb, dropout_color=None)  # type: ignore[arg-type]


def test_dropout_channel_weights_averages_tied_channels() -> None:
    """A cyan dropout is brightest in green and blue alike, which are averaged."""
    np.testing.assert_allclose(dropout_channel_weights("#80f0f0"), [0.0, 0.5, 0.5])


@given(st.tuples(*[st.integers(0, 255)] * 3))
def test_dropout_channel_weights_picks_the_brightest_mix(rgb: tuple[int, int, int]) -> None:
    """The weighted dropout colour is within tolerance of its brightest channel."""
    weights = dropout_channel_weights("#{:02x}{:02x}{:02x}".format(*rgb))
    assert weights.min() >= 0
    assert weights.sum() == pytest.approx(1.0)
    assert float(weights @ np.array(rgb)) >= max(rgb) - DROPOUT_CHANNEL_TOLERANCE


def test_to_gray_averages_tied_channels_of_the_image() -> None:
    """A cyan dropout reads as the mean of green and blue, where it is brightest."""
    cyan = np.array([[[128, 240, 240], [0, 0, 0]]], dtype=np.uint8)
    np.testing.assert_array_equal(to_gray(cyan, dropout_color="#80f0f0"), [[240, 0]])
