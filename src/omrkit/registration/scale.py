"""The scan's scale, pixels per millimetre, from a resolution hint or the image's size.

In: the image's shape, the layout's page and an optional dpi hint. Out: the
scale the mark search starts from.
"""

from __future__ import annotations

from omrkit.layout.models import Page
from omrkit.registration.search import SCALE_TOLERANCE

__all__ = ["MAX_BED_MARGIN_MM", "MM_PER_INCH", "expected_scale"]

MM_PER_INCH = 25.4
#: The margins rule needs page sides this different (mm); a square page has none.
_PAGE_SIDE_DIFFERENCE_MM = 20.0
#: Widest scanner-bed margin (mm a side) the margins rule may infer: wider
#: ones are as likely a page cut short, and the width is used instead.
MAX_BED_MARGIN_MM = 20.0


def expected_scale(shape: tuple[int, ...], page: Page, dpi_hint: float | None) -> float:
    """Pixels per mm: from the hint, or from the image size.

    Parameters
    ----------
    shape : tuple of int
        Image ``(height, width)``.
    page : Page
    dpi_hint : float or None
        Scan resolution, when known.

    Returns
    -------
    float

    Notes
    -----
    With equal scanner-bed margins ``m`` around the page, ``W = s (w + 2m)``
    and ``H = s (h + 2m)``, so ``s = (H - W) / (h - w)`` whatever ``m``. When
    that implies margins wider than ``MAX_BED_MARGIN_MM`` or narrower than
    none, the page is taken to fill the image's width (a page cropped a
    little, or a scanner set to the page size).
    """
    if dpi_hint is not None:
        return float(dpi_hint) / MM_PER_INCH
    height, width = shape[0], shape[1]
    by_width = width / page.width_mm
    side_difference = page.height_mm - page.width_mm
    if abs(side_difference) >= _PAGE_SIDE_DIFFERENCE_MM:
        by_margins = (height - width) / side_difference
        if by_margins > 0:
            margin_mm = (width / by_margins - page.width_mm) / 2
            if -SCALE_TOLERANCE * page.width_mm <= margin_mm <= MAX_BED_MARGIN_MM:
                return float(by_margins)
    return float(by_width)
