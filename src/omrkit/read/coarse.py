"""Coarse first: a batch reads a JPEG at a half or a quarter of its resolution, for dark ink.

libjpeg decodes a JPEG at 1/2 or 1/4 scale inside its inverse DCT: a 200 dpi
A4 sheet decodes to 100 dpi, a 300 dpi one to 75 dpi, in a fraction of a
full decode (entropy decoding, which no scaling skips, sets how small a
fraction: 0.55-0.75 of a full grey decode on scanner-density files, less of
a colour one, whose colour conversion shrinks with the pixels). The coarse
resolution is the lowest at which the layout's smallest bubble still spans
:data:`COARSE_MIN_BUBBLE_PX` pixels (:func:`coarse_decode_dpi`): 75 dpi for
the 4.2 mm bubbles of an answer sheet, where a bubble is some 12 pixels
across, and 100 dpi for the 2.8 mm bubbles of the application forms. On
fixed-seed simulated scans the accuracy bars hold there with margin for dark
ink: pen, gel, blue ballpoint and the default pencil (fill MAE <= 0.008,
p99.9 <= 0.06 against bars of 0.03 and 0.08; no wrong decision outside
0.40-0.60; every planted double reported; every sheet fed upside down
detected; serials read right), and for custom inks down to a measured level
of 0.47. They do *not* hold for light ink: at 100 dpi light pencil reaches
p99.9 0.086, a drying ballpoint 0.091, and a sheet mixing a firm and a light
pressure loses its second ink cluster (up to 18 wrong clear decisions in 40
sheets).

The ink measurement gives the same levels at either resolution (within 0.005),
so the coarse reading itself tells which kind of sheet it holds. It stands
(:func:`coarse_reading_stands`) when registration is sound, the serial is read,
and the sheet's ink forms clusters well separated from paper, with fewer marks
lighter than :data:`DARK_INK_DARKNESS` than it takes to make a cluster (a
light pressure can hide in a firm cluster when the gap between them is too
small to split: the level of each mark is checked, not the cluster's median).
Any other sheet, and any sheet whose coarse reading fails, is decoded again at
the resolution where every ink is held (``ReadOptions.reduced_decode_min_dpi``)
and read from that: a light-ink sheet costs a coarse and a finer decode, a dark
one a coarse decode only. Of the simulated default and feeder scans (pen and
the default pencil) at 200 and 300 dpi every one stood; of the light inks,
none (``tests/omrkit/read/test_coarse_decode.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from omrkit.measure.ink import MIN_SEPARATION

if TYPE_CHECKING:
    from omrkit.layout.models import SheetLayout
    from omrkit.read.sheet import SheetMeasurement

__all__ = [
    "COARSE_DECODE_MIN_DPI",
    "COARSE_MIN_BUBBLE_PX",
    "DARK_INK_DARKNESS",
    "coarse_decode_dpi",
    "coarse_reading_stands",
]

#: Lowest resolution a batch first decodes a JPEG down to, whatever the layout:
#: a 300 dpi scan's quarter (75 dpi, 73.5 at a feeder's 2 % less scale).
COARSE_DECODE_MIN_DPI = 70.0
#: Fewest pixels across the smallest bubble of a coarse image. The bars were
#: held with the answer sheet's 4.2 mm bubble at 12 px (73.5 dpi) and the
#: application's 2.8 mm one at 11 px (100 dpi); below that a bubble's interior
#: is a few dozen pixels, too few to tell a light stroke from a fill. At 8.3 px
#: (a 200 dpi answer sheet at 50 dpi) even pen missed them: fill p99.9 0.084 on
#: 80 feeder sheets, and a bubble of the review band decided wrong unflagged.
COARSE_MIN_BUBBLE_PX = 10.5
_MM_PER_INCH = 25.4
#: Darkness below which fewer than a cluster's worth of marks may lie for a
#: coarse reading to stand. Inks whose marks reach down to 0.45 still hold the
#: bars at 100 dpi; light pencil, a drying ballpoint and a mixed sheet's light
#: pressure, which do not, put dozens of marks at 0.35-0.47.
DARK_INK_DARKNESS = 0.50


def coarse_decode_dpi(layout: SheetLayout, min_dpi: float) -> float:
    """Lowest resolution of a coarse decode of ``layout``'s sheets: at least ``min_dpi``.

    Parameters
    ----------
    layout : SheetLayout
    min_dpi : float
        The caller's floor (``ReadOptions.coarse_decode_min_dpi``).

    Returns
    -------
    float
        The larger of ``min_dpi`` and the resolution at which the layout's
        smallest bubble spans :data:`COARSE_MIN_BUBBLE_PX` pixels: 70 dpi for
        the answer sheet (a 300 dpi scan is read coarse at 75 dpi), 95 dpi for
        a layout with 2.8 mm bubbles (a 300 dpi scan is read at 150 dpi only).
    """
    diameter_mm = 2.0 * float(layout.bubbles.radii_mm.min())
    return max(min_dpi, _MM_PER_INCH * COARSE_MIN_BUBBLE_PX / diameter_mm)


def coarse_reading_stands(m: SheetMeasurement, layout: SheetLayout) -> bool:
    """Whether a measurement made at coarse resolution may be kept as the sheet's reading.

    Parameters
    ----------
    m : SheetMeasurement
        The sheet measured from its coarse decode.
    layout : SheetLayout

    Returns
    -------
    bool
        True when registration used every mark and is not poor, the serial
        (if the layout has one) was read, and the sheet holds ink in one or
        two clusters, each separated from paper by at least
        :data:`~omrkit.measure.ink.MIN_SEPARATION` spreads, with fewer than
        :data:`~omrkit.measure.ink.MIN_CLUSTER_BUBBLES` of the marks they
        were found from lighter than :data:`DARK_INK_DARKNESS`. A blank
        sheet, a faint one or one of light ink is read again finer.
    """
    quality = m.registration.quality
    if quality.poor or m.registration.dropped_marks:
        return False
    if layout.serial_code is not None and m.serial is None:
        return False
    ink = m.ink
    if ink is None or ink.faint or not ink.ink_darkness:
        return False
    # Marks, not only each cluster's median: a light pressure too close to the
    # firm one to split off hides in its cluster. Fewer light marks than make a
    # cluster are read by the firm threshold at any resolution.
    dark = m.light_group_level >= DARK_INK_DARKNESS
    separated = all(sep >= MIN_SEPARATION for sep in ink.separation)
    return dark and separated
