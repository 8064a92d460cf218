"""Tests for synthesize_batch: simulated sheets written to a folder with their truth tables.

Batches are the same whatever the number of threads, write decodable images in
each format with the documented sheet, slot and bubble tables, record seeds
that remake any sheet alone, and refuse bad counts, formats, workers and serial
ranges.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import polars as pl
import pytest

from omrkit.errors import SynthError
from omrkit.layout.models import SheetLayout
from omrkit.synth.simulate import sheet_seed, synthesize_batch, synthesize_sheet
from omrkit.synth.truth import TRUTH_BUBBLES, TRUTH_SHEETS, TRUTH_SLOTS


# -- batches ------------------------------------------------------------------------------
def _batch_bytes(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("sheet-*"))}


def test_batch_is_deterministic_across_thread_counts(layout: SheetLayout, tmp_path: Path) -> None:
    """One seed writes identical images whatever the number of threads."""
    one = synthesize_batch(layout, count=3, seed=9, out_dir=tmp_path / "a", dpi=100, workers=1)
    two = synthesize_batch(layout, count=3, seed=9, out_dir=tmp_path / "b", dpi=100, workers=2)
    assert _batch_bytes(one) == _batch_bytes(two)
    for name in (TRUTH_SHEETS, TRUTH_SLOTS, TRUTH_BUBBLES):
        assert pl.read_parquet(one / name).equals(pl.read_parquet(two / name))
    other = synthesize_batch(layout, count=3, seed=10, out_dir=tmp_path / "c", dpi=100)
    assert _batch_bytes(other) != _batch_bytes(one)


@pytest.mark.parametrize(
    ("image_format", "suffix"), [("png", ".png"), ("jpeg", ".jpg"), ("tiff", ".tiff")]
)
def test_batch_writes_images_and_tables(
    layout: SheetLayout, tmp_path: Path, image_format: str, suffix: str
) -> None:
    """Images decode, tables have the documented columns and one row per sheet, slot, bubble."""
    calls: list[tuple[int, int]] = []
    count = 3
    out = synthesize_batch(
        layout,
        count=count,
        seed=1,
        out_dir=tmp_path,
        dpi=100,
        image_format=image_format,  # type: ignore[arg-type]
        first_serial=500,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls[-1] == (count, count)
    assert len(calls) == count
    sheets = pl.read_parquet(out / TRUTH_SHEETS)
    assert sheets.columns == [
        "file",
        "index",
        "seed",
        "layout_id",
        "dpi",
        "profile",
        "serial",
        "instrument",
        "upside_down",
        "jpeg_quality",
        "homography",
    ]
    assert sheets["serial"].to_list() == [500, 501, 502]
    for row in sheets.iter_rows(named=True):
        image = cv2.imread(str(out / row["file"]), cv2.IMREAD_UNCHANGED)
        assert row["file"].endswith(suffix)
        assert image is not None
        assert image.ndim == 2
        assert image.dtype == np.uint8
    if image_format == "jpeg":
        assert sheets["jpeg_quality"].null_count() == 0
    slots = pl.read_parquet(out / TRUTH_SLOTS)
    assert slots.columns == [
        "file",
        "slot_index",
        "field",
        "slot",
        "intended",
        "marked",
        "state",
        "planted_double",
    ]
    assert slots.height == count * layout.bubbles.n_slots
    bubbles = pl.read_parquet(out / TRUTH_BUBBLES)
    assert bubbles.columns == [
        "file",
        "bubble",
        "field",
        "slot",
        "symbol",
        "true_fraction",
        "covered_fraction",
        "mark_kind",
        "ink_darkness",
    ]
    assert bubbles.height == count * layout.bubbles.n_bubbles


def test_sheet_of_a_batch_can_be_remade_alone(layout: SheetLayout, tmp_path: Path) -> None:
    """The recorded seed reproduces a batch sheet with synthesize_sheet."""
    out = synthesize_batch(layout, count=2, seed=4, out_dir=tmp_path, dpi=100, profile="default")
    row = pl.read_parquet(out / TRUTH_SHEETS).row(1, named=True)
    assert row["seed"] == sheet_seed(4, 1)
    again = synthesize_sheet(layout, seed=row["seed"], dpi=100, profile="default")
    written = cv2.imread(str(out / row["file"]), cv2.IMREAD_GRAYSCALE)
    assert written is not None
    assert np.array_equal(again.image, written)
    assert np.allclose(np.array(row["homography"]).reshape(3, 3), again.truth.homography)
    bubbles = pl.read_parquet(out / TRUTH_BUBBLES).filter(pl.col("file") == row["file"])
    assert np.array_equal(bubbles["true_fraction"].to_numpy(), again.truth.true_fractions)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"count": 0}, "count"),
        ({"image_format": "bmp"}, "image_format"),
        ({"workers": 0}, "workers"),
        ({"first_serial": (1 << 24) - 1}, "serial"),
    ],
)
def test_batch_refuses_bad_arguments(
    layout: SheetLayout, tmp_path: Path, kwargs: dict[str, object], field: str
) -> None:
    """Bad counts, formats, worker numbers and serial ranges raise SynthError naming them."""
    args: dict[str, object] = {"count": 2, "seed": 0, "out_dir": tmp_path, "dpi": 100, **kwargs}
    with pytest.raises(SynthError) as err:
        synthesize_batch(layout, **args)  # type: ignore[arg-type]
    assert err.value.field == field
