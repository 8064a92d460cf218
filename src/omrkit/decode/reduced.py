"""Decoding at reduced scale: a JPEG scanned finer than needed is decoded smaller, in libjpeg.

libjpeg can decode straight to 1/2, 1/4 or 1/8 scale inside its inverse DCT,
skipping most of the work (and of the colour conversion) that a full decode
followed by a resize would do. A batch asks for it when the scan's resolution
is a whole multiple of what the measurement needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from omrkit.decode.headers import ImageFormat
from omrkit.decode.images import (
    _JPEG_REDUCED_FLAGS,
    DEFAULT_MAX_PIXELS,
    Source,
    _check_options,
    _decode_single,
    _header,
    _load_source,
    _sniff,
    iter_pages,
)

__all__ = ["DecodedPage", "decode_pages"]

_MM_PER_INCH = 25.4


class DecodedPage(NamedTuple):
    """One decoded page and the factor by which it was reduced while decoding."""

    page: int
    image: npt.NDArray[np.uint8]
    reduction: int


def decode_pages(
    source: Source,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    dropout_color: str | None = None,
    path: str | Path | None = None,
    page_mm: tuple[float, float] | None = None,
    min_dpi: float | None = None,
) -> Iterator[DecodedPage]:
    """Decode every page, a JPEG at reduced scale where the resolution allows it.

    Parameters are those of :func:`iter_pages`, and:

    page_mm : (width, height) in mm, optional
        The printed page, to tell the scan's resolution from its pixel size.
    min_dpi : float, optional
        Lowest resolution worth keeping. A JPEG scanned at ``k`` times this
        (k = 2, 4, 8) is decoded at 1/k scale inside libjpeg, which skips most
        of the inverse DCT and colour conversion: a grey 300 dpi scan decodes
        to 150 dpi in 0.65-0.9 of the full time, to 75 dpi in 0.55-0.8 (the
        entropy decoding no scale skips weighs more the denser the file, and
        more on some CPUs than on others).
        Other formats decode in full.

    Yields
    ------
    DecodedPage
        ``reduction`` is 1 or the factor k: image pixels are k scan pixels.
    """
    data, where = _load_source(source, path)
    _check_options(0, max_pixels, dropout_color, where)
    image_format = _sniff(data, where)
    if image_format is not ImageFormat.JPEG or page_mm is None or min_dpi is None:
        for index, image in iter_pages(
            data, max_pixels=max_pixels, dropout_color=dropout_color, path=where
        ):
            yield DecodedPage(index, image, 1)
        return
    header = _header(data, image_format, where)
    dpi = _MM_PER_INCH * min(header.width, header.height) / min(page_mm)
    reduction = max((k for k in _JPEG_REDUCED_FLAGS if dpi / k >= min_dpi), default=1)
    image = _decode_single(data, image_format, where, max_pixels, dropout_color, reduction)
    yield DecodedPage(0, image, reduction)
