"""What an image file declares about itself, read before anything is decoded.

A scanner or an attacker can write a small file that declares a huge image
(a "decompression bomb"): a 100 kB PNG of 100 000 x 100 000 pixels would ask
the decoder for 10 GB. The reader therefore looks at the header first: the
format from the file's magic bytes, then width, height and whether the pixels
are grey or colour, parsed from the few bytes that declare them. Only a file
whose declared size passes the guard in :mod:`omrkit.decode.images` is decoded.

PNG, JPEG and BMP headers are parsed here directly (a few microseconds, no
decoder involved); TIFF, which can hold many pages, is opened lazily with
Pillow's TIFF plugin in :mod:`omrkit.decode.images`.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import StrEnum

from omrkit.errors import HeaderError

__all__ = ["ImageFormat", "ImageHeader", "parse_header", "sniff_format"]

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Magic bytes of formats that are refused, with the name an operator knows them by.
_REFUSED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"GIF8", "a GIF image"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image"),
    (b"\xff\x4f\xff\x51", "a JPEG 2000 codestream"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
)
#: PNG colour types that carry colour (2 RGB, 3 palette, 6 RGBA) and alpha (4, 6).
_PNG_COLOUR_TYPES = frozenset({2, 3, 6})
_PNG_ALPHA_TYPES = frozenset({4, 6})
#: JPEG start-of-frame markers: C0..CF except DHT (C4), JPG (C8) and DAC (CC).
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
#: JPEG markers without a length field: TEM and the restart markers.
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
_JPEG_SOS = 0xDA
#: Size of a BMP file header; the DIB header that declares the size follows it.
_BMP_FILE_HEADER = 14
#: The OS/2 BMP core header declares 16-bit sizes; every later header 32-bit ones.
_BMP_CORE_HEADER = 12


class ImageFormat(StrEnum):
    """A raster format the reader decodes."""

    PNG = "png"
    JPEG = "jpeg"
    TIFF = "tiff"
    BMP = "bmp"


@dataclass(frozen=True, slots=True)
class ImageHeader:
    """The declared size and kind of a single-page image.

    Attributes
    ----------
    format : ImageFormat
    width, height : int
        Declared size in pixels.
    colour : bool
        The pixels carry colour (RGB, palette, CMYK), not only grey.
    alpha : bool
        The pixels carry transparency, which must be flattened onto white paper.
    """

    format: ImageFormat
    width: int
    height: int
    colour: bool
    alpha: bool = False

    @property
    def pixels(self) -> int:
        return self.width * self.height


def sniff_format(data: bytes) -> ImageFormat:
    """The format of ``data`` from its magic bytes.

    Raises
    ------
    HeaderError
        If ``data`` is not one of the supported formats; the message names
        what it looks like instead (a PDF, a GIF, text...).
    """
    if data.startswith(_PNG_SIGNATURE):
        return ImageFormat.PNG
    if data.startswith(b"\xff\xd8\xff"):
        return ImageFormat.JPEG
    if data[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return ImageFormat.TIFF
    if data.startswith(b"BM"):
        return ImageFormat.BMP
    for magic, name in _REFUSED_MAGIC:
        if data.startswith(magic):
            raise HeaderError(f"the file is {name}, not a supported scan (PNG, JPEG, TIFF, BMP)")
    if data[:12].startswith(b"RIFF") and data[8:12] == b"WEBP":
        raise HeaderError("the file is a WebP image; supported: PNG, JPEG, TIFF, BMP")
    head = data[:16]
    if head.isascii() and all(32 <= b < 127 or b in (9, 10, 13) for b in head):
        raise HeaderError(f"the file is text, not an image (it starts with {head!r})")
    raise HeaderError(
        f"not an image in a supported format (PNG, JPEG, TIFF, BMP); it starts with {head!r}"
    )


def parse_header(data: bytes, image_format: ImageFormat) -> ImageHeader:
    """Declared size and kind of a PNG, JPEG or BMP image, without decoding it.

    Parameters
    ----------
    data : bytes
        The whole file.
    image_format : ImageFormat
        As returned by :func:`sniff_format`; TIFF is not parsed here.

    Raises
    ------
    HeaderError
        If the header is cut short or malformed.
    """
    if image_format is ImageFormat.PNG:
        return _png_header(data)
    if image_format is ImageFormat.JPEG:
        return _jpeg_header(data)
    if image_format is ImageFormat.BMP:
        return _bmp_header(data)
    raise HeaderError(f"{image_format.value} headers are read by the TIFF decoder")


def _png_header(data: bytes) -> ImageHeader:
    # The IHDR chunk must come first: length (4), type (4), width, height, depth, colour type.
    if len(data) < 8 + 8 + 13 or data[12:16] != b"IHDR":
        raise HeaderError("the PNG header (IHDR) is missing or cut short")
    width, height, _depth, colour_type = struct.unpack(">IIBB", data[16:26])
    return ImageHeader(
        ImageFormat.PNG,
        width,
        height,
        colour=colour_type in _PNG_COLOUR_TYPES,
        alpha=colour_type in _PNG_ALPHA_TYPES,
    )


def _jpeg_header(data: bytes) -> ImageHeader:
    """Walk the JPEG segments up to the frame header that declares the size."""
    pos = 2
    n = len(data)
    while pos + 4 <= n:
        if data[pos] != 0xFF:
            raise HeaderError(f"the JPEG header is corrupt at byte {pos}")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker in _JPEG_STANDALONE:
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in _JPEG_SOF:
            if pos + 10 > n:
                break
            height, width, components = struct.unpack(">HHB", data[pos + 5 : pos + 10])
            if width == 0 or height == 0:
                raise HeaderError("the JPEG frame declares no size")
            return ImageHeader(ImageFormat.JPEG, width, height, colour=components > 1)
        if marker == _JPEG_SOS:
            raise HeaderError("the JPEG image data starts before its frame header")
        pos += 2 + length
    raise HeaderError("the JPEG header is cut short before the frame size")


def _bmp_header(data: bytes) -> ImageHeader:
    if len(data) < _BMP_FILE_HEADER + 4:
        raise HeaderError("the BMP header is cut short")
    (dib_size,) = struct.unpack("<I", data[14:18])
    if dib_size == _BMP_CORE_HEADER and len(data) >= 26:
        width, height = struct.unpack("<HH", data[18:22])
    elif dib_size > _BMP_CORE_HEADER and len(data) >= 26:
        width, height = struct.unpack("<ii", data[18:26])
        height = abs(height)  # negative height: rows stored top-down
    else:
        raise HeaderError("the BMP header is cut short or of an unknown kind")
    if width <= 0 or height <= 0:
        raise HeaderError(f"the BMP header declares an empty image ({width}x{height})")
    # An 8-bit BMP holds a palette, which may be colour: decode as colour to be safe.
    return ImageHeader(ImageFormat.BMP, width, height, colour=True)
