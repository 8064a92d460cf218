"""Mutated and truncated bytes of real sheet images: only OmrErrors, and one row per input."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from omrkit import OmrError, load_layout, read_batch, read_sheet, render_sheet

LAYOUT = load_layout("ubt-answer")
#: Small sheets keep each example quick; the bytes are what is under test.
DPI = 60


def _formats() -> dict[str, bytes]:
    png = render_sheet(LAYOUT, format="png", dpi=DPI, serial=1)
    image = Image.open(io.BytesIO(png)).convert("L")
    out: dict[str, bytes] = {"png": png}
    for fmt, kwargs in (("jpeg", {"quality": 85}), ("tiff", {}), ("bmp", {})):
        buf = io.BytesIO()
        image.save(buf, format=fmt.upper(), **kwargs)
        out[fmt] = buf.getvalue()
    colour = io.BytesIO()
    image.convert("RGB").save(colour, format="JPEG")
    out["colour-jpeg"] = colour.getvalue()
    return out


SHEETS = _formats()


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(SHEETS[draw(st.sampled_from(sorted(SHEETS)))])
    how = draw(st.sampled_from(["flip", "cut", "swap-header", "splice"]))
    if how == "flip":
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(data) - 1))
            data[i] ^= draw(st.integers(1, 255))
    elif how == "cut":
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif how == "swap-header":
        other = SHEETS[draw(st.sampled_from(sorted(SHEETS)))]
        n = draw(st.integers(2, 64))
        data[:n] = other[:n]
    else:
        i = draw(st.integers(0, len(data) - 1))
        data[i:i] = draw(st.binary(min_size=1, max_size=64))
    return bytes(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_mutated())
def test_read_sheet_raises_only_omr_errors(data: bytes) -> None:
    """Whatever the damage, read_sheet reads the sheet or raises an OmrError."""
    with contextlib.suppress(OmrError):
        read_sheet(data, LAYOUT)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bad")


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(batch=st.lists(_mutated(), min_size=1, max_size=4))
def test_read_batch_returns_one_row_per_input(batch: list[bytes], folder: Path) -> None:
    """A batch of damaged files gives exactly one result per file (none is a TIFF of pages)."""
    paths = []
    for i, data in enumerate(batch):
        path = folder / f"in-{i}.img"
        path.write_bytes(data)
        paths.append(path)
    results = list(read_batch(paths, LAYOUT, progress=False))
    pages_per_file: dict[str | None, int] = {}
    for r in results:
        pages_per_file[r.source] = pages_per_file.get(r.source, 0) + 1
    assert list(pages_per_file) == [str(p) for p in paths]
    assert all(n == 1 or _is_tiff(d) for n, d in zip(pages_per_file.values(), batch, strict=True))
    assert all(r.error_kind != "InternalError" for r in results if hasattr(r, "error_kind"))
    assert np.all([r.page is None or r.page >= 0 for r in results])


def _is_tiff(data: bytes) -> bool:
    return data[:4] in (b"II*\x00", b"MM\x00*")
