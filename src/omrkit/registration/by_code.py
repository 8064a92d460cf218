"""Which way up a sheet lies when its orientation mark is covered.

The orientation mark is what breaks the symmetry of the corner marks under a
180° turn. When a thumb or a staple hides it, the four corners still fix the
page up to that turn, and the printed layout code tells the two apart: read
through the placement as printed it decodes to the layout's code (its guard
cells black, its parity right); read through the turned placement the same
cells fall on other print (the serial code, the margin) and almost never
decode to it. :func:`pick_by_layout_code` keeps the one placement whose
code reads right, and declines when none or both do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from omrkit.layout.models import SheetLayout
from omrkit.registration.codes import read_bit_code

__all__ = ["pick_by_layout_code"]

_Placed = TypeVar("_Placed")


def pick_by_layout_code(
    image: npt.NDArray[np.uint8],
    layout: SheetLayout,
    placements: Sequence[_Placed],
    homography: Callable[[_Placed], npt.NDArray[np.float64]],
) -> _Placed | None:
    """The one placement through which the sheet's layout code reads right.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
        Grey scan, 0 black.
    layout : SheetLayout
        Its ``layout_id_code`` is read; its ``layout_code`` is the value expected.
    placements : sequence
        Candidate placements of the sheet (as printed, turned by 180°).
    homography : callable
        The (3, 3) layout-mm-to-pixel homography of a placement.

    Returns
    -------
    placement or None
        None when no placement, or more than one, reads the layout's code.
    """
    code = layout.layout_id_code
    agreeing = [
        placed
        for placed in placements
        if read_bit_code(image, homography(placed), code) == layout.layout_code
    ]
    return agreeing[0] if len(agreeing) == 1 else None
