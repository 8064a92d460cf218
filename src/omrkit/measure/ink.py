"""The darkness of the sheet's own marks, and the ink threshold it implies.

DESIGN.md: *thresholding midway between paper white and ink black keeps the
measured area unbiased under symmetric blur*. The ink that matters is the
examinee's, not the printer's: a ballpoint removes 0.86-0.95 of the
paper-to-black range, graphite only 0.64-0.76. A threshold fixed for pen reads
pencil fills a few per cent small, and its textured edges by more. So each
sheet's threshold is set from the marks on that sheet.

Notes
-----
The solidly filled bubbles of a sheet (first pass fill >= ``SOLID_FILL``) show
its ink: their mean darkness, measured with the same area-weighted kernel in
its linear mode, is the mark darkness ``D``. The threshold is ``D / 2``,
clamped to ``[MIN_INK_THRESHOLD, INK_THRESHOLD]``, and the partial-credit ramp
narrows so that its foot stays above ``PRINT_FLOOR``, the darkness below
which lies everything the layout prints in dropout colour (``#ffa0a0`` reads
0.26; blank printed bubbles must read <= 0.02). Measured on 60 simulated
sheets at 200 dpi: pencil MAE 0.015 -> 0.003, p99.9 0.073 -> 0.025, pen
unchanged (its ``D / 2`` sits at the fixed threshold already).

The second pass re-measures only the bubbles where the first saw any ink: a
bubble with no pixel past the pen ramp's foot (0.35) holds no mark, and
skipping the blank majority keeps a pencil sheet as cheap as a pen one.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from omrkit.layout.models import BubbleArrays
from omrkit.measure.fill import INK_RAMP, INK_THRESHOLD, fill_ratios

__all__ = [
    "MIN_INK_THRESHOLD",
    "PRINT_FLOOR",
    "SOLID_FILL",
    "ink_threshold",
    "sheet_fill_ratios",
]

#: First-pass fill above which a bubble is taken as solidly inked.
SOLID_FILL = 0.9
#: Fewest solid bubbles from which the sheet's ink darkness is trusted.
MIN_SOLID_BUBBLES = 3
#: Lightest threshold ever used: the middle of the lightest graphite (0.64 of
#: the paper-to-black range), minus a margin for its grain.
MIN_INK_THRESHOLD = 0.36
#: The ramp's foot never drops below this darkness: dropout print reads 0.26,
#: plus three noise deviations of a worn scanner.
PRINT_FLOOR = 0.30
#: Threshold and half-width that make the kernel's credit (nearly) linear in
#: darkness, so it returns a disc's mean darkness (the ramp must stay inside 0..1).
_LINEAR = (0.5, 0.49)


def ink_threshold(
    image: npt.NDArray[np.uint8],
    homography: npt.NDArray[np.float64],
    arrays: BubbleArrays,
    first_pass: npt.NDArray[np.float64],
    *,
    paper_level: float,
    ink_level: float,
) -> tuple[float, float]:
    """Threshold and ramp half-width for this sheet's marks.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
    homography : (3, 3) ndarray of float64
    arrays : BubbleArrays
    first_pass : (N,) ndarray of float64
        Fill ratios measured with the fixed pen threshold.
    paper_level, ink_level : float
        The sheet's paper and printed-black grey levels.

    Returns
    -------
    (threshold, ramp) : tuple of float
        ``(INK_THRESHOLD, INK_RAMP)`` when the sheet has too few solid marks
        to tell its ink, or its ink is pen-dark.
    """
    solid = np.flatnonzero(first_pass >= SOLID_FILL)
    if solid.size < MIN_SOLID_BUBBLES:
        return INK_THRESHOLD, INK_RAMP
    darkness = fill_ratios(
        image,
        homography,
        arrays.centers_mm[solid],
        arrays.radii_mm[solid],
        paper_level=paper_level,
        ink_level=ink_level,
        threshold=_LINEAR[0],
        ramp=_LINEAR[1],
    )
    threshold = float(np.clip(0.5 * np.median(darkness), MIN_INK_THRESHOLD, INK_THRESHOLD))
    ramp = min(INK_RAMP, threshold - PRINT_FLOOR)
    return threshold, ramp


def sheet_fill_ratios(
    image: npt.NDArray[np.uint8],
    homography: npt.NDArray[np.float64],
    arrays: BubbleArrays,
    *,
    paper_level: float,
    ink_level: float,
) -> npt.NDArray[np.float64]:
    """Fill ratio of every bubble, measured against this sheet's own ink.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
    homography : (3, 3) ndarray of float64
    arrays : BubbleArrays
    paper_level, ink_level : float

    Returns
    -------
    (N,) ndarray of float64
        First measured at the pen threshold; where the sheet's marks are
        lighter (pencil), the inked bubbles are measured again at theirs.
    """
    fills = fill_ratios(
        image,
        homography,
        arrays.centers_mm,
        arrays.radii_mm,
        paper_level=paper_level,
        ink_level=ink_level,
    )
    threshold, ramp = ink_threshold(
        image, homography, arrays, fills, paper_level=paper_level, ink_level=ink_level
    )
    if threshold < INK_THRESHOLD:
        inked = np.flatnonzero(fills > 0.0)
        fills[inked] = fill_ratios(
            image,
            homography,
            arrays.centers_mm[inked],
            arrays.radii_mm[inked],
            paper_level=paper_level,
            ink_level=ink_level,
            threshold=threshold,
            ramp=ramp,
        )
    return fills
