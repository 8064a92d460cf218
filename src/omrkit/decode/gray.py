"""Colour scans to grey, so that the layout's dropout colour vanishes.

A sheet prints its bubble outlines and symbols in a light dropout colour
(pink by default) and its registration marks and codes in black. A grey
conversion that weighs the channels as the eye does (luma) shows the dropout
ink as mid-grey, close to any ink threshold; the channel in which the dropout
colour is brightest shows it close to paper white, while black ink stays
black in every channel.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from omrkit.errors import DecodeError
from omrkit.layout.colour import parse_hex_colour

__all__ = [
    "DROPOUT_CHANNEL_TOLERANCE",
    "dropout_channel_weights",
    "flatten_alpha",
    "gray_from_bgr",
    "parse_colour",
    "to_gray",
]

#: Colour channels within this many grey levels of the dropout colour's
#: brightest channel are averaged: less sensor noise, same dropout.
DROPOUT_CHANNEL_TOLERANCE = 16
_WHITE = 255

_Gray = npt.NDArray[np.uint8]


def dropout_channel_weights(dropout_color: str) -> npt.NDArray[np.float64]:
    """Weights of R, G, B that make ``dropout_color`` closest to paper white.

    Parameters
    ----------
    dropout_color : str
        ``"#rrggbb"``.

    Returns
    -------
    (3,) ndarray of float64
        Non-negative weights of R, G and B summing to 1.

    Notes
    -----
    Black ink is dark in every channel, paper bright in every channel, so any
    channel keeps the ink-paper contrast. The dropout ink is brightest in the
    channel where its own component is largest (red for a pink or red dropout),
    so that channel shows it closest to paper. A linear mix can only be as
    bright as its brightest channel; channels within
    ``DROPOUT_CHANNEL_TOLERANCE`` of the brightest are averaged to lower noise.

    Examples
    --------
    >>> dropout_channel_weights("#f08080").tolist()
    [1.0, 0.0, 0.0]
    """
    rgb = parse_colour(dropout_color)
    chosen = (rgb >= rgb.max() - DROPOUT_CHANNEL_TOLERANCE).astype(np.float64)
    weights: npt.NDArray[np.float64] = chosen / chosen.sum()
    return weights


def to_gray(rgb: npt.NDArray[np.uint8], *, dropout_color: str | None) -> _Gray:
    """Convert a colour scan to grey so that the dropout colour vanishes.

    Parameters
    ----------
    rgb : (H, W, 3) ndarray of uint8, or (H, W) ndarray of uint8
        Colour in R, G, B order; a grey image is returned unchanged.
    dropout_color : str or None
        ``"#rrggbb"`` of the dropout ink (see :func:`dropout_channel_weights`);
        ``None`` gives luma, 0.299 R + 0.587 G + 0.114 B.

    Returns
    -------
    (H, W) ndarray of uint8

    Examples
    --------
    >>> pink = np.array([[[240, 128, 128]]], dtype=np.uint8)
    >>> int(to_gray(pink, dropout_color="#f08080")[0, 0])
    240
    >>> int(to_gray(pink, dropout_color=None)[0, 0])
    161
    """
    # A wrong array is the caller's bug, not an unreadable image: builtin errors.
    if not isinstance(rgb, np.ndarray):
        raise TypeError(f"rgb must be a uint8 image array, got {type(rgb).__name__}")
    if rgb.dtype != np.uint8:
        raise TypeError(f"rgb must be a uint8 image array, got dtype {rgb.dtype}")
    if rgb.ndim == 2:
        return rgb
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"rgb must be (H, W, 3) RGB or (H, W) grey, got shape {rgb.shape}")
    return gray_from_bgr(np.ascontiguousarray(rgb[:, :, ::-1]), dropout_color)


def flatten_alpha(decoded: npt.NDArray[np.generic], dropout: str | None) -> _Gray:
    """Composite a B, G, R (or grey) image with alpha last onto white paper, then grey it.

    Parameters
    ----------
    decoded : (H, W, C) ndarray of uint8 or uint16
        Colour or grey channels followed by alpha.
    dropout : str or None
        As for :func:`to_gray`.

    Returns
    -------
    (H, W) ndarray of uint8
    """
    pixels = decoded.astype(np.float32)
    if decoded.dtype == np.uint16:
        pixels /= 257.0
    colour, alpha = pixels[:, :, :-1], pixels[:, :, -1:] / _WHITE
    flat = np.clip(colour * alpha + _WHITE * (1.0 - alpha) + 0.5, 0, _WHITE).astype(np.uint8)
    if flat.shape[2] == 1:
        return np.ascontiguousarray(flat[:, :, 0])
    return gray_from_bgr(flat, dropout)


def gray_from_bgr(bgr: npt.NDArray[np.uint8], dropout: str | None) -> _Gray:
    """Grey from OpenCV's B, G, R order: dropout-aware (:func:`to_gray`) or luma."""
    if dropout is None:
        return np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    weights_bgr = dropout_channel_weights(dropout)[::-1]
    chosen = np.flatnonzero(weights_bgr)
    if chosen.size == 1:
        return np.asarray(cv2.extractChannel(bgr, int(chosen[0])), dtype=np.uint8)
    mixed = cv2.transform(bgr, weights_bgr.reshape(1, 3))
    return np.asarray(mixed.reshape(bgr.shape[:2]), dtype=np.uint8)


def parse_colour(colour: str) -> npt.NDArray[np.float64]:
    """R, G, B (0..255) of ``"#rrggbb"``; ``DecodeError`` naming ``dropout_color`` otherwise."""
    rgb = parse_hex_colour(colour)
    if rgb is None:
        raise DecodeError(
            f"dropout colour must be '#rrggbb', got {colour!r}", field="dropout_color"
        )
    return np.array(rgb, dtype=np.float64)
