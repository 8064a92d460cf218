"""The ink of the marks on a sheet that prints in black, and the fills it implies.

DESIGN.md puts the ink threshold midway between paper and the ink of the
marks, so that a symmetric blur moves a mark's edges and not its area. On an
omrkit sheet the marks' ink is told from bubbles read as solid at the pen
threshold (:mod:`omrkit.measure.ink`). The sheets OMRChecker users print are
filled with whatever was at hand, often a soft pencil or a worn marker that
removes only half of the paper-to-black range: no bubble reaches the pen
threshold, and every mark reads a few per cent full.

So here the marks are told by their mean darkness instead. Each bubble's
mean darkness (the kernel in its linear mode) is computed; the bubbles split
into two groups at the largest between-group variance (Otsu's rule on the
bubbles, not on pixels); when the darker group stands at least
``MIN_MARK_CONTRAST`` above the median bubble, its median is the marks'
darkness ``D`` and the threshold is ``D / 2``. A sheet without such a group
holds no marks that need it and is measured at the pen threshold.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from omrkit.measure.fill import INK_RAMP, INK_THRESHOLD, fill_ratios

__all__ = [
    "MIN_MARK_CONTRAST",
    "MIN_MARK_THRESHOLD",
    "PRINT_FLOOR",
    "mark_fill_ratios",
    "mark_threshold",
]

#: The marked group must be this much darker (share of paper-to-black) than the median bubble.
MIN_MARK_CONTRAST = 0.2
#: Lowest threshold used: a mark lighter than twice this is not told from shading.
MIN_MARK_THRESHOLD = 0.2
#: The ramp's foot stays above this darkness: the grey bands and tinted
#: boxes such sheets print behind their rows read up to about 0.1.
PRINT_FLOOR = 0.12
#: Threshold and half-width that make the kernel's credit linear in darkness.
_LINEAR = (0.5, 0.49)


def mark_threshold(darkness: npt.NDArray[np.float64]) -> tuple[float, float]:
    """Threshold and ramp half-width from the bubbles' mean darkness, (N,) float64.

    Examples
    --------
    >>> mark_threshold(np.array([0.05] * 20 + [0.5] * 5))
    (0.25, 0.1)
    >>> mark_threshold(np.array([0.05] * 20))
    (0.45, 0.1)
    """
    values = np.sort(darkness[np.isfinite(darkness)])
    if values.size < 2:
        return INK_THRESHOLD, INK_RAMP
    split = _otsu_split(values)
    marks = values[split:]
    if np.median(marks) - np.median(values) < MIN_MARK_CONTRAST:
        return INK_THRESHOLD, INK_RAMP
    threshold = float(np.clip(0.5 * np.median(marks), MIN_MARK_THRESHOLD, INK_THRESHOLD))
    return round(threshold, 6), round(min(INK_RAMP, threshold - PRINT_FLOOR), 6)


def _otsu_split(sorted_values: npt.NDArray[np.float64]) -> int:
    """Index splitting sorted values into two groups of largest between-group variance."""
    n = sorted_values.size
    cumulative = np.cumsum(sorted_values)
    total = cumulative[-1]
    counts = np.arange(1, n, dtype=np.float64)
    low_mean = cumulative[:-1] / counts
    high_mean = (total - cumulative[:-1]) / (n - counts)
    between = counts * (n - counts) * (high_mean - low_mean) ** 2
    return int(np.argmax(between)) + 1


def mark_fill_ratios(
    image: npt.NDArray[np.uint8],
    homography: npt.NDArray[np.float64],
    centers_mm: npt.NDArray[np.float64],
    radii_mm: npt.NDArray[np.float64],
    *,
    paper: float,
    ink: float,
) -> npt.NDArray[np.float64]:
    """Fill ratio of every bubble against the sheet's own marks' ink, (N,) float64.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
    homography : (3, 3) ndarray of float64
        Layout mm -> image px.
    centers_mm : (N, 2) ndarray of float64
    radii_mm : (N,) ndarray of float64
    paper, ink : float
        The sheet's paper and darkest print grey levels.
    """
    darkness = fill_ratios(
        image,
        homography,
        centers_mm,
        radii_mm,
        paper_level=paper,
        ink_level=ink,
        threshold=_LINEAR[0],
        ramp=_LINEAR[1],
    )
    threshold, ramp = mark_threshold(darkness)
    return fill_ratios(
        image,
        homography,
        centers_mm,
        radii_mm,
        paper_level=paper,
        ink_level=ink,
        threshold=threshold,
        ramp=ramp,
    )
