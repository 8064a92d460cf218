"""Tests for omrkit.decode.images: safe decoding, the size guard, pages, dropout-aware grey."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from omrkit.allocator import peak_rss_kib
from omrkit.decode.images import (
    DEFAULT_MAX_PIXELS,
    MAX_PIXELS_CEILING,
    content_id,
    count_pages,
    decode_image,
    iter_pages,
)
from omrkit.errors import DecodeError

PINK = (240, 128, 128)
PINK_HEX = "#f08080"
#: A decoded image this far below paper white still shows a printed ring.
VISIBLE_BELOW = 200
#: Ring width: JPEG halves the colour resolution, so thinner rings lose their colour.
RING_PX = 4
#: How far JPEG's colour rounding may pull the dropout below its lossless grey.
JPEG_DROPOUT_LOSS = 25


def _pattern(height: int = 60, width: int = 80, seed: int = 0) -> npt.NDArray[np.uint8]:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, size=(height, width), dtype=np.uint8)


def _encode(image: npt.NDArray[np.uint8], ext: str) -> bytes:
    ok, buffer = cv2.imencode(ext, image)
    assert ok
    return buffer.tobytes()


def _tiff(pages: list[Image.Image], **options: object) -> bytes:
    out = io.BytesIO()
    pages[0].save(out, format="TIFF", save_all=True, append_images=pages[1:], **options)
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _huge_png(width: int, height: int) -> bytes:
    """A valid PNG header declaring ``width x height`` grey pixels, with a token of data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 4096)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def _huge_jpeg(width: int, height: int) -> bytes:
    """SOI and a baseline frame header declaring ``width x height``, then junk scan data."""
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + sof + b"\xff\xda" + b"\x00" * 64 + b"\xff\xd9"


def _huge_tiff(width: int, height: int) -> bytes:
    """A little-endian TIFF whose single IFD declares ``width x height`` grey pixels."""
    tags = [
        (256, 4, 1, width),  # ImageWidth, LONG
        (257, 4, 1, height),  # ImageLength
        (258, 3, 1, 8),  # BitsPerSample
        (259, 3, 1, 1),  # Compression: none
        (262, 3, 1, 1),  # Photometric: black is zero
        (273, 4, 1, 8),  # StripOffsets
        (277, 3, 1, 1),  # SamplesPerPixel
        (278, 4, 1, height),  # RowsPerStrip
        (279, 4, 1, width * height),  # StripByteCounts
    ]
    ifd = struct.pack("<H", len(tags))
    for tag, kind, count, value in tags:
        ifd += struct.pack("<HHII", tag, kind, count, value)
    ifd += struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", 8) + ifd + b"\x00" * 64


_CLEAR_REFS = Path("/proc/self/clear_refs")


def _reset_peak_rss() -> bool:
    """Make the process's peak resident memory its current one (Linux); False where it cannot."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def _peak_rss_mb() -> float:
    return peak_rss_kib() / 1024


# -- decode_image: formats -----------------------------------------------------------------
@pytest.mark.parametrize("ext", [".png", ".bmp", ".tiff"])
def test_decode_image_lossless_formats_round_trip(ext: str) -> None:
    """A grey image written losslessly decodes to exactly the same pixels."""
    image = _pattern()
    decoded = decode_image(_encode(image, ext))
    assert decoded.dtype == np.uint8
    np.testing.assert_array_equal(decoded, image)


def test_decode_image_jpeg_round_trip() -> None:
    """A grey JPEG decodes to its size with pixels close to the original."""
    image = np.full((64, 96), 200, np.uint8)
    image[16:48, 16:48] = 20
    decoded = decode_image(_encode(image, ".jpg"))
    assert decoded.shape == image.shape
    assert np.abs(decoded.astype(int) - image).mean() < 3


def test_decode_image_reads_a_path(tmp_path: Path) -> None:
    """A path is read from disk and decodes like its bytes."""
    image = _pattern()
    file = tmp_path / "sheet.png"
    file.write_bytes(_encode(image, ".png"))
    np.testing.assert_array_equal(decode_image(file), image)
    np.testing.assert_array_equal(decode_image(str(file)), image)


def test_decode_image_sixteen_bit_png_becomes_eight_bit() -> None:
    """A 16-bit grey PNG keeps its high byte as the 8-bit grey."""
    image16 = (_pattern().astype(np.uint16) << 8) | 0x7F
    decoded = decode_image(_encode(image16, ".png"))
    np.testing.assert_array_equal(decoded, _pattern())


def test_decode_image_flattens_transparency_onto_white() -> None:
    """Transparent pixels of an RGBA PNG read as white paper, opaque black as ink."""
    rgba = np.zeros((20, 30, 4), np.uint8)
    rgba[:, :15, 3] = 255  # left half opaque black, right half fully transparent
    decoded = decode_image(_encode(rgba, ".png"))
    assert decoded[:, :15].max() == 0
    assert decoded[:, 15:].min() == 255


def test_decode_image_one_bit_tiff() -> None:
    """A bilevel Group 4 TIFF, as document scanners write, decodes to 0 and 255."""
    image = np.where(_pattern() > 128, 255, 0).astype(np.uint8)
    data = _tiff([Image.fromarray(image).convert("1")], compression="group4")
    np.testing.assert_array_equal(decode_image(data), image)


# -- decode_image: failures ----------------------------------------------------------------
def test_decode_image_missing_file(tmp_path: Path) -> None:
    """A missing file is a DecodeError carrying its path."""
    missing = tmp_path / "nope.png"
    with pytest.raises(DecodeError, match="not found") as info:
        decode_image(missing)
    assert info.value.path == str(missing)


def test_decode_image_directory(tmp_path: Path) -> None:
    """A directory is refused as not an image file."""
    with pytest.raises(DecodeError, match="directory") as info:
        decode_image(tmp_path)
    assert info.value.path == str(tmp_path)


def test_decode_image_empty_file(tmp_path: Path) -> None:
    """An empty file is a DecodeError saying so."""
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    with pytest.raises(DecodeError, match="empty") as info:
        decode_image(empty)
    assert info.value.path == str(empty)


@pytest.mark.parametrize("ext", [".png", ".jpg", ".bmp", ".tiff"])
@pytest.mark.parametrize("keep", [0.5, 0.97])
def test_decode_image_truncated(ext: str, keep: float) -> None:
    """A file cut short is refused, never returned half-grey."""
    data = _encode(_pattern(200, 300), ext)
    with pytest.raises(DecodeError) as info:
        decode_image(data[: int(len(data) * keep)], path=f"cut{ext}")
    assert info.value.path == f"cut{ext}"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"name,score\nAsel,125\n", "text"),
        (b"GIF89a\x10\x00\x10\x00\x80\x00\x00", "GIF"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "WebP"),
        (b"\x00\x01\x02\x03\x04\x05\x06\x07", "not an image"),
    ],
)
def test_decode_image_not_a_supported_image(data: bytes, expected: str) -> None:
    """Documents, text and other formats are refused with a message naming what they are."""
    with pytest.raises(DecodeError, match=expected) as info:
        decode_image(data, path="upload.bin")
    assert info.value.path == "upload.bin"


def test_decode_image_page_out_of_range_single_page() -> None:
    """Asking a PNG for page 1 names the page and says it holds one."""
    with pytest.raises(DecodeError, match="holds one page") as info:
        decode_image(_encode(_pattern(), ".png"), page=1, path="a.png")
    assert info.value.page == 1


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"page": -1}, "page"),
        ({"max_pixels": 0}, "max_pixels"),
        ({"max_pixels": MAX_PIXELS_CEILING + 1}, "max_pixels"),
        ({"dropout_color": "pink"}, "dropout_color"),
    ],
)
def test_decode_image_rejects_bad_options(options: dict[str, object], field: str) -> None:
    """Bad options are DecodeErrors naming the option."""
    with pytest.raises(DecodeError) as info:
        decode_image(_encode(_pattern(), ".png"), **options)  # type: ignore[arg-type]
    assert info.value.field == field


def test_decode_image_rejects_non_bytes_source() -> None:
    """A source that is neither a path nor bytes is refused."""
    with pytest.raises(DecodeError, match="path or bytes"):
        decode_image(12345)  # type: ignore[arg-type]


# -- the size guard ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("make", "side"), [(_huge_png, 100_000), (_huge_jpeg, 65_000), (_huge_tiff, 60_000)]
)
def test_decode_image_refuses_declared_huge_image_before_decoding(make: object, side: int) -> None:
    """A header declaring billions of pixels is refused without allocating them."""
    assert callable(make)
    data = make(side, side)
    _reset_peak_rss()  # else the peak is the whole test run's, which a refusal never reaches
    before = _peak_rss_mb()
    with pytest.raises(DecodeError, match="Mpx") as info:
        decode_image(data, path="bomb")
    assert info.value.path == "bomb"
    # Decoding would need gigabytes; refusing costs nothing measurable.
    assert _peak_rss_mb() - before < 100


def test_the_peak_memory_probe_sees_an_allocation() -> None:
    """The probe the size guard's test relies on would see 150 MB allocated and freed."""
    if not _reset_peak_rss():
        pytest.skip("this system cannot reset a process's peak memory")
    before = _peak_rss_mb()
    block = np.ones(150 * 2**20 // 8)
    del block
    assert _peak_rss_mb() - before > 140


def test_decode_image_size_guard_is_exact() -> None:
    """An image of exactly max_pixels passes; one pixel fewer allowed refuses it."""
    data = _encode(_pattern(50, 40), ".png")
    assert decode_image(data, max_pixels=2000).shape == (50, 40)
    with pytest.raises(DecodeError, match="over the limit"):
        decode_image(data, max_pixels=1999)


def test_default_max_pixels_admits_a4_at_600_dpi() -> None:
    """The default limit admits an A4 page scanned at 600 dpi."""
    a4_600 = round(210 / 25.4 * 600) * round(297 / 25.4 * 600)
    assert a4_600 <= DEFAULT_MAX_PIXELS <= MAX_PIXELS_CEILING


# -- multi-page TIFF -----------------------------------------------------------------------
def _three_page_tiff() -> tuple[bytes, list[npt.NDArray[np.uint8]]]:
    images = [_pattern(40 + 10 * i, 30 + 5 * i, seed=i) for i in range(3)]
    return _tiff([Image.fromarray(im) for im in images], compression="tiff_lzw"), images


def test_count_pages() -> None:
    """count_pages counts TIFF pages and says 1 for single-page formats."""
    data, images = _three_page_tiff()
    assert count_pages(data) == len(images)
    assert count_pages(_encode(_pattern(), ".png")) == 1


def test_iter_pages_yields_every_tiff_page_in_order() -> None:
    """iter_pages yields each TIFF page with its index and exact pixels."""
    data, images = _three_page_tiff()
    pages = list(iter_pages(data))
    assert [index for index, _ in pages] == [0, 1, 2]
    for (_, decoded), image in zip(pages, images, strict=True):
        np.testing.assert_array_equal(decoded, image)


def test_decode_image_tiff_page() -> None:
    """decode_image(page=i) returns page i of a TIFF."""
    data, images = _three_page_tiff()
    np.testing.assert_array_equal(decode_image(data, page=2), images[2])


def test_decode_image_tiff_page_out_of_range() -> None:
    """Asking for a page past the end names the page and how many there are."""
    data, _ = _three_page_tiff()
    with pytest.raises(DecodeError, match="holds 3 page") as info:
        decode_image(data, page=3, path="batch.tiff")
    assert (info.value.path, info.value.page) == ("batch.tiff", 3)


def test_iter_pages_checks_each_page_size_before_decoding_it() -> None:
    """An oversized later page fails on its own, after the earlier pages were yielded."""
    small, large = _pattern(20, 20), _pattern(100, 100)
    data = _tiff([Image.fromarray(small), Image.fromarray(large)])
    pages = iter_pages(data, max_pixels=1000)
    index, first = next(pages)
    assert index == 0
    np.testing.assert_array_equal(first, small)
    with pytest.raises(DecodeError, match="over the limit") as info:
        next(pages)
    assert info.value.page == 1


def test_iter_pages_single_page_format() -> None:
    """A PNG is one page, index 0."""
    image = _pattern()
    [(index, decoded)] = list(iter_pages(_encode(image, ".png"), path="one.png"))
    assert index == 0
    np.testing.assert_array_equal(decoded, image)


# -- colour and dropout --------------------------------------------------------------------
def colour_sheet() -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """White RGB page with pink dropout rings and black squares; masks of each."""
    rgb = np.full((120, 160, 3), 255, np.uint8)
    for cx in (40, 80, 120):
        cv2.circle(rgb, (cx, 40), 12, PINK, thickness=RING_PX)
    rgb[80:100, 20:40] = 0
    rings = np.all(rgb == PINK, axis=2)
    ink = np.all(rgb == 0, axis=2)
    return rgb, rings, ink


@pytest.mark.parametrize("ext", [".png", ".jpg", ".tiff"])
def test_decode_image_colour_scan_with_dropout(ext: str) -> None:
    """A colour scan decodes with rings vanished when the dropout colour is given."""
    rgb, rings, ink = colour_sheet()
    data = _encode(np.ascontiguousarray(rgb[:, :, ::-1]), ext)
    dropped = decode_image(data, dropout_color=PINK_HEX)
    loss = JPEG_DROPOUT_LOSS if ext == ".jpg" else 0
    assert np.median(dropped[rings]) >= PINK[0] - loss
    assert np.median(dropped[ink]) < 20
    assert np.median(decode_image(data)[rings]) < VISIBLE_BELOW


# -- content_id ----------------------------------------------------------------------------
def test_content_id_is_sha256_of_bytes() -> None:
    """The sheet id is the SHA-256 hex digest and changes with any byte."""
    data = _encode(_pattern(), ".png")
    assert content_id(data) == hashlib.sha256(data).hexdigest()
    assert content_id(data) != content_id(data[:-1] + bytes([data[-1] ^ 1]))


def test_content_id_rejects_text() -> None:
    """A str is not the file's bytes."""
    with pytest.raises(DecodeError, match="bytes"):
        content_id("sheet.png")  # type: ignore[arg-type]


def test_a_tiff_whose_next_page_has_no_size_is_a_decode_error() -> None:
    """Pillow's TypeError for a page without a width tag is the file's fault: a DecodeError."""
    buf = io.BytesIO()
    Image.fromarray(_pattern()).save(buf, format="TIFF")
    data = bytearray(buf.getvalue())
    ifd = struct.unpack("<I", data[4:8])[0]
    (n_tags,) = struct.unpack("<H", data[ifd : ifd + 2])
    # The next-page offset points into the tag table: a "page" there has no size.
    next_at = ifd + 2 + 12 * n_tags
    data[next_at : next_at + 4] = struct.pack("<I", ifd + 1)
    with pytest.raises(DecodeError):
        list(iter_pages(bytes(data)))
