"""Measuring a simulated sheet's pixels independently of the simulator.

The tests check the simulator's truth against its pixels with these methods of
their own: a blank rendered and decoded separately, each pixel's darkness
against that blank, weighted by the pixel's share of the inner disc on a finer
grid than the simulator's, and the darkness-weighted centroid of a dark blob
seen through a homography.
"""

from __future__ import annotations

import functools
import math

import cv2
import numpy as np
import numpy.typing as npt

from omrkit.layout.models import OUTLINE_STROKE_MM, SheetLayout, load_layout
from omrkit.render import render_sheet

#: Sub-pixels per pixel of the test's own inner-disc weights (the simulator uses 4).
TEST_SUPERSAMPLE = 8


@functools.cache
def _blank(layout_id: str, dpi: int) -> npt.NDArray[np.uint8]:
    """The layout rendered blank, decoded to grey by the test itself."""
    png = render_sheet(load_layout(layout_id), format="png", dpi=dpi)
    return np.asarray(cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE))


def _disc_weights(cx: float, cy: float, radius: float) -> tuple[int, int, npt.NDArray[np.float64]]:
    """Top row, left column and each pixel's covered share of a disc."""
    c0, r0 = math.floor(cx - radius) - 1, math.floor(cy - radius) - 1
    size = math.ceil(2 * radius) + 3
    sub = (np.arange(TEST_SUPERSAMPLE) + 0.5) / TEST_SUPERSAMPLE
    xs = (np.arange(c0, c0 + size)[:, None] + sub).ravel() - cx
    ys = (np.arange(r0, r0 + size)[:, None] + sub).ravel() - cy
    inside = ys[:, None] ** 2 + xs[None, :] ** 2 <= radius * radius
    weights = inside.reshape(size, TEST_SUPERSAMPLE, size, TEST_SUPERSAMPLE).mean(axis=(1, 3))
    return r0, c0, weights


def _measured_fractions(
    image: npt.NDArray[np.uint8], layout: SheetLayout, dpi: int, threshold: float
) -> npt.NDArray[np.float64]:
    """Share of each inner disc whose darkness against the blank reaches ``threshold``."""
    blank = _blank(layout.layout_id, dpi).astype(np.float64)
    scale = dpi / 25.4
    arrays = layout.bubbles
    out = np.empty(arrays.n_bubbles)
    for i, ((x, y), r) in enumerate(zip(arrays.centers_mm, arrays.radii_mm, strict=True)):
        r0, c0, w = _disc_weights(x * scale, y * scale, (r - OUTLINE_STROKE_MM / 2) * scale)
        window = np.s_[r0 : r0 + w.shape[0], c0 : c0 + w.shape[1]]
        darkness = 1.0 - image[window] / np.maximum(blank[window], 1.0)
        out[i] = float((w * (darkness >= threshold)).sum() / w.sum())
    return out


def _dark_centroid(
    image: npt.NDArray[np.uint8], x: float, y: float, half: int
) -> tuple[float, float]:
    """Darkness-weighted centroid (continuous px) of the dark blob under ``(x, y)``.

    The blob is found by thresholding midway between the window's paper and
    ink; its pixels, and a 2 px rim for the blurred edge, are weighted by how
    dark they are, so partial pixels count by their share.
    """
    c0, r0 = round(x) - half, round(y) - half
    window = image[r0 : r0 + 2 * half, c0 : c0 + 2 * half].astype(np.float64)
    ink, paper = np.percentile(window, [2, 98])
    _, labels = cv2.connectedComponents((window < (ink + paper) / 2).astype(np.uint8))
    label = labels[round(y) - r0, round(x) - c0]
    assert label != 0, f"no dark blob under ({x:.1f}, {y:.1f})"
    rim = np.ones((5, 5), np.uint8)
    blob = cv2.dilate((labels == label).astype(np.uint8), rim).astype(bool)
    weight = np.clip((paper - window) / (paper - ink), 0.0, 1.0) * blob
    rows, cols = np.indices(window.shape)
    total = weight.sum()
    return (
        c0 + float((weight * (cols + 0.5)).sum() / total),
        r0 + float((weight * (rows + 0.5)).sum() / total),
    )


def _project(h: npt.NDArray[np.float64], x: float, y: float) -> tuple[float, float]:
    p = h @ np.array([x, y, 1.0])
    return float(p[0] / p[2]), float(p[1] / p[2])
