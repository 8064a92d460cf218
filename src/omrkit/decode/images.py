"""Safe decoding of scanned sheets: bytes in, one grey ``uint8`` page out.

Every input is distrusted: the format comes from the file's magic bytes, the
declared pixel size is read from the header and checked against a limit
*before* anything is decoded, and every failure (missing, empty, truncated,
not an image, unsupported, oversized, page out of range) is a
:class:`~omrkit.errors.DecodeError` naming the file and page.

Decoding goes through OpenCV (it releases the GIL, so threads decode in
parallel) for PNG, JPEG and BMP, and through Pillow for TIFF, the one format
that holds several pages. Colour scans become grey in the way that makes the
layout's dropout colour vanish (:func:`to_gray`).
"""

from __future__ import annotations

import hashlib
import io
import struct
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageOps, TiffImagePlugin

from omrkit.decode.gray import (
    dropout_channel_weights,
    flatten_alpha,
    gray_from_bgr,
    parse_colour,
    to_gray,
)
from omrkit.decode.headers import ImageFormat, ImageHeader, parse_header, sniff_format
from omrkit.errors import DecodeError, HeaderError

__all__ = [
    "DEFAULT_MAX_PIXELS",
    "MAX_PIXELS_CEILING",
    "content_id",
    "count_pages",
    "decode_image",
    "dropout_channel_weights",
    "iter_pages",
    "read_source_bytes",
    "to_gray",
]

#: Largest image decoded by default: A4 at 600 dpi is 35 Mpx, A3 at 600 dpi 70 Mpx.
DEFAULT_MAX_PIXELS = 60_000_000
#: ``max_pixels`` may not exceed Pillow's own decompression-bomb limit, above
#: which Pillow warns (an error under strict warning filters) while decoding TIFF.
MAX_PIXELS_CEILING = 89_478_485
#: A complete JPEG ends with the EOI marker, allowing for a little trailing padding.
_JPEG_EOI = b"\xff\xd9"
_JPEG_TAIL_BYTES = 4096
_EXIF_ORIENTATION = 0x0112
#: libjpeg decodes straight to 1/2, 1/4 or 1/8 scale in its DCT: OpenCV's flags per factor.
_JPEG_REDUCED_FLAGS: dict[int, tuple[int, int]] = {
    2: (cv2.IMREAD_REDUCED_GRAYSCALE_2, cv2.IMREAD_REDUCED_COLOR_2),
    4: (cv2.IMREAD_REDUCED_GRAYSCALE_4, cv2.IMREAD_REDUCED_COLOR_4),
    8: (cv2.IMREAD_REDUCED_GRAYSCALE_8, cv2.IMREAD_REDUCED_COLOR_8),
}
#: Pillow signals corrupt TIFF data by raising these (a TIFF without its width tag is
#: a TypeError, "Missing dimensions"; a broken tag table a KeyError or IndexError), and
#: by warning (UserWarning) about corrupt tags before it fails: under an "error"
#: warning filter the warning itself is raised. The calls they are caught around only
#: parse the file's bytes, so none of them is this program's bug.
_PILLOW_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    TypeError,
    KeyError,
    IndexError,
    ZeroDivisionError,
    UserWarning,
)

Source = str | Path | bytes
_Gray = npt.NDArray[np.uint8]


def decode_image(
    source: Source,
    *,
    page: int = 0,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    dropout_color: str | None = None,
    path: str | Path | None = None,
) -> _Gray:
    """Decode one page of a scanned sheet to a grey image.

    Parameters
    ----------
    source : str, Path or bytes
        A file path, or the file's bytes.
    page : int
        Zero-based page; only TIFF holds more than one.
    max_pixels : int
        Refuse images declaring more pixels than this (at most ``MAX_PIXELS_CEILING``).
    dropout_color : str, optional
        ``"#rrggbb"`` of the layout's dropout ink; a colour scan is converted
        so that this colour vanishes (:func:`to_gray`). Without it colour
        becomes luma (0.299 R + 0.587 G + 0.114 B).
    path : str or Path, optional
        Name used in error messages when ``source`` is bytes.

    Returns
    -------
    (H, W) ndarray of uint8
        0 is black ink, 255 white paper. EXIF orientation is applied.

    Raises
    ------
    DecodeError
        Missing, unreadable or empty file; not an image; unsupported format;
        declared size over ``max_pixels``; truncated or corrupt data; page out
        of range. ``path`` and ``page`` are set.

    Examples
    --------
    >>> import cv2, numpy as np
    >>> png = cv2.imencode(".png", np.full((4, 6), 200, np.uint8))[1].tobytes()
    >>> decode_image(png).shape
    (4, 6)
    """
    data, where = _load_source(source, path)
    _check_options(page, max_pixels, dropout_color, where)
    image_format = _sniff(data, where)
    if image_format is ImageFormat.TIFF:
        with _open_tiff(data, where) as tiff:
            _check_page(tiff, page, where)
            return _tiff_page(tiff, page, where, max_pixels, dropout_color)
    if page != 0:
        raise DecodeError(
            f"page {page} asked, but a {image_format.value.upper()} file holds one page (page 0)",
            path=where,
            page=page,
        )
    return _decode_single(data, image_format, where, max_pixels, dropout_color)


def iter_pages(
    source: Source,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    dropout_color: str | None = None,
    path: str | Path | None = None,
) -> Iterator[tuple[int, _Gray]]:
    """Decode every page of a scan, one at a time.

    Parameters are those of :func:`decode_image`. Each page's declared size is
    checked before that page is decoded, so an oversized page fails on its own.

    Yields
    ------
    page : int
        Zero-based page index.
    image : (H, W) ndarray of uint8

    Raises
    ------
    DecodeError
        As :func:`decode_image`, when the failing page is reached.
    """
    data, where = _load_source(source, path)
    _check_options(0, max_pixels, dropout_color, where)
    image_format = _sniff(data, where)
    if image_format is ImageFormat.TIFF:
        with _open_tiff(data, where) as tiff:
            for index in range(_n_pages(tiff, where)):
                yield index, _tiff_page(tiff, index, where, max_pixels, dropout_color)
    else:
        yield 0, _decode_single(data, image_format, where, max_pixels, dropout_color)


def count_pages(source: Source, *, path: str | Path | None = None) -> int:
    """Number of pages in a scan (1 except for multi-page TIFF); nothing is decoded.

    Raises
    ------
    DecodeError
        As :func:`decode_image` for an unreadable file or header.
    """
    data, where = _load_source(source, path)
    image_format = _sniff(data, where)
    if image_format is not ImageFormat.TIFF:
        _header(data, image_format, where)
        return 1
    with _open_tiff(data, where) as tiff:
        return _n_pages(tiff, where)


def read_source_bytes(source: Source, *, path: str | Path | None = None) -> bytes:
    """The bytes of a file (or the bytes given), refusing what cannot be a scan.

    Raises
    ------
    DecodeError
        If the file is missing, a directory, unreadable or empty, naming it.
    """
    return _load_source(source, path)[0]


def content_id(data: bytes) -> str:
    """The sheet id: SHA-256 of the input file's bytes, as 64 hex digits.

    Examples
    --------
    >>> content_id(b"")[:16]
    'e3b0c44298fc1c14'
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise DecodeError(f"content_id needs the file's bytes, got {type(data).__name__}")
    return hashlib.sha256(data).hexdigest()


# -- single-page formats -------------------------------------------------------------------
def _decode_single(
    data: bytes,
    image_format: ImageFormat,
    where: str,
    max_pixels: int,
    dropout: str | None,
    reduction: int = 1,
) -> _Gray:
    header = _header(data, image_format, where)
    _guard_size(header.width, header.height, max_pixels, where, None)
    if image_format is ImageFormat.JPEG and _JPEG_EOI not in data[-_JPEG_TAIL_BYTES:]:
        # Some OpenCV builds fill a cut JPEG with grey instead of failing.
        raise DecodeError("the JPEG file is truncated (no end-of-image marker)", path=where)
    buffer = np.frombuffer(data, dtype=np.uint8)
    if header.alpha:
        flags = cv2.IMREAD_UNCHANGED
    elif header.colour and dropout is not None:
        flags = cv2.IMREAD_COLOR
    else:
        flags = cv2.IMREAD_GRAYSCALE
    if reduction > 1 and not header.alpha:
        grey_flag, colour_flag = _JPEG_REDUCED_FLAGS[reduction]
        flags = colour_flag if flags == cv2.IMREAD_COLOR else grey_flag
    decoded = cv2.imdecode(buffer, flags)
    if decoded is None or decoded.size == 0:
        raise DecodeError(
            f"the {image_format.value.upper()} file is truncated or corrupt", path=where
        )
    if header.alpha:
        return flatten_alpha(decoded, dropout)
    pixels = np.asarray(decoded, dtype=np.uint8)
    return gray_from_bgr(pixels, dropout) if pixels.ndim == 3 else pixels


def _header(data: bytes, image_format: ImageFormat, where: str) -> ImageHeader:
    try:
        return parse_header(data, image_format)
    except HeaderError as exc:
        raise DecodeError(str(exc), path=where) from exc


# -- TIFF ----------------------------------------------------------------------------------
def _open_tiff(data: bytes, where: str) -> TiffImagePlugin.TiffImageFile:
    # The plugin class reads the header lazily and, unlike Image.open, skips
    # Pillow's bomb warning: the size guard below is ours.
    try:
        return TiffImagePlugin.TiffImageFile(io.BytesIO(data))
    except _PILLOW_ERRORS as exc:
        raise DecodeError(f"the TIFF header is corrupt ({exc})", path=where) from exc


def _n_pages(tiff: TiffImagePlugin.TiffImageFile, where: str) -> int:
    try:
        return int(tiff.n_frames)
    except _PILLOW_ERRORS as exc:
        raise DecodeError(f"the TIFF page list is corrupt ({exc})", path=where) from exc


def _check_page(tiff: TiffImagePlugin.TiffImageFile, page: int, where: str) -> None:
    n_pages = _n_pages(tiff, where)
    if page >= n_pages:
        raise DecodeError(
            f"page {page} asked, but the TIFF file holds {n_pages} page(s) (0..{n_pages - 1})",
            path=where,
            page=page,
        )


def _tiff_page(
    tiff: TiffImagePlugin.TiffImageFile,
    index: int,
    where: str,
    max_pixels: int,
    dropout: str | None,
) -> _Gray:
    try:
        tiff.seek(index)
    except _PILLOW_ERRORS as exc:
        raise DecodeError(f"the TIFF page is corrupt ({exc})", path=where, page=index) from exc
    width, height = tiff.size
    _guard_size(width, height, max_pixels, where, index)
    try:
        tiff.load()
        page: Image.Image = tiff
        if tiff.getexif().get(_EXIF_ORIENTATION, 1) != 1:
            page = ImageOps.exif_transpose(tiff)
        gray = _pillow_to_gray(page, dropout)
    except Image.DecompressionBombError as exc:
        raise DecodeError(f"the TIFF page is too large ({exc})", path=where, page=index) from exc
    except _PILLOW_ERRORS as exc:
        raise DecodeError(
            f"the TIFF page is truncated or corrupt ({exc})", path=where, page=index
        ) from exc
    if gray is None:
        raise DecodeError(
            f"unsupported TIFF pixel type {page.mode!r}; expected grey or RGB",
            path=where,
            page=index,
        )
    return gray


def _pillow_to_gray(page: Image.Image, dropout: str | None) -> _Gray | None:
    """Grey pixels of a decoded Pillow page, or None for a pixel type we do not read."""
    mode = page.mode
    if mode == "L":
        return np.array(page, dtype=np.uint8)
    if mode == "1":
        return np.array(page.convert("L"), dtype=np.uint8)
    if mode.startswith("I;16"):
        return (np.array(page, dtype=np.uint16) >> 8).astype(np.uint8)
    if mode in ("RGB", "CMYK", "YCbCr", "LAB", "HSV"):
        return gray_from_bgr(np.array(page.convert("RGB"))[:, :, ::-1].copy(), dropout)
    if mode in ("RGBA", "LA", "P", "PA", "La", "RGBa"):
        rgba = np.array(page.convert("RGBA"))
        return flatten_alpha(rgba[:, :, [2, 1, 0, 3]], dropout)
    return None


# -- shared checks -------------------------------------------------------------------------
def _load_source(source: Source, path: str | Path | None) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray | memoryview):
        data, where = bytes(source), str(path) if path is not None else "<bytes>"
    elif isinstance(source, str | Path):
        where = str(path) if path is not None else str(source)
        file = Path(source)
        try:
            data = file.read_bytes()
        except FileNotFoundError as exc:
            raise DecodeError("file not found", path=where) from exc
        except IsADirectoryError as exc:
            raise DecodeError("is a directory, not an image file", path=where) from exc
        except OSError as exc:
            raise DecodeError(f"cannot read the file ({exc.strerror})", path=where) from exc
    else:
        raise DecodeError(
            f"source must be a path or bytes, got {type(source).__name__}", field="source"
        )
    if not data:
        raise DecodeError("the file is empty (0 bytes)", path=where)
    return data, where


def _sniff(data: bytes, where: str) -> ImageFormat:
    try:
        return sniff_format(data)
    except HeaderError as exc:
        raise DecodeError(str(exc), path=where) from exc


def _check_options(page: int, max_pixels: int, dropout: str | None, where: str) -> None:
    if isinstance(page, bool) or not isinstance(page, int) or page < 0:
        raise DecodeError(f"page must be an integer >= 0, got {page!r}", path=where, field="page")
    valid = isinstance(max_pixels, int) and not isinstance(max_pixels, bool)
    if not valid or not 1 <= max_pixels <= MAX_PIXELS_CEILING:
        raise DecodeError(
            f"max_pixels must be an integer in 1..{MAX_PIXELS_CEILING}, got {max_pixels!r}",
            path=where,
            field="max_pixels",
        )
    if dropout is not None:
        parse_colour(dropout)


def _guard_size(width: int, height: int, max_pixels: int, where: str, page: int | None) -> None:
    if width <= 0 or height <= 0:
        raise DecodeError(f"the header declares an empty image ({width}x{height})", path=where)
    if width * height > max_pixels:
        raise DecodeError(
            f"the image declares {width}x{height} = {width * height / 1e6:.1f} Mpx, over the"
            f" limit of {max_pixels / 1e6:.1f} Mpx; scan at a lower resolution (200-300 dpi)",
            path=where,
            page=page,
        )
