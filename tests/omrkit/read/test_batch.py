"""read_batch: every input yields a reading or a failure row; the batch goes on."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from PIL import Image

from omrkit import SheetFailure, SheetReading, load_layout, read_batch, readings_frame, render_sheet
from omrkit.synth.simulate import synthesize_sheet

LAYOUT = load_layout("ubt-answer")


@pytest.fixture(scope="module")
def sheet_png() -> bytes:
    return render_sheet(LAYOUT, format="png", dpi=150, serial=99)


def _write_inputs(folder: Path, sheet_png: bytes) -> list[Path]:
    good = folder / "good.png"
    good.write_bytes(sheet_png)
    truncated = folder / "truncated.png"
    truncated.write_bytes(sheet_png[: len(sheet_png) // 3])
    text = folder / "notes.png"
    text.write_text("not an image", encoding="utf-8")
    blank = folder / "blank.png"
    Image.fromarray(np.full((1754, 1240), 250, np.uint8)).save(blank)
    other = folder / "other-layout.png"
    other.write_bytes(render_sheet(load_layout("mab-grade9"), format="png", dpi=150))
    return [good, folder / "missing.png", truncated, text, blank, other]


def test_bad_inputs_become_failure_rows(tmp_path: Path, sheet_png: bytes) -> None:
    """Missing, truncated, non-image, blank and wrong-layout files fail alone, typed."""
    inputs = _write_inputs(tmp_path, sheet_png)
    results = read_batch(inputs, LAYOUT, workers=2)
    assert [Path(r.source or "").name for r in results] == [p.name for p in inputs]
    assert isinstance(results[0], SheetReading)
    assert results[0].serial == 99
    kinds = [r.error_kind for r in results[1:] if isinstance(r, SheetFailure)]
    assert kinds == [
        "DecodeError",
        "DecodeError",
        "DecodeError",
        "RegistrationError",
        "LayoutError",
    ]
    assert all(r.message for r in results[1:] if isinstance(r, SheetFailure))


def test_multi_page_tiff_gives_one_result_per_page(tmp_path: Path) -> None:
    """Each page of a multi-page TIFF is its own sheet, with its page number."""
    pages = [synthesize_sheet(LAYOUT, seed=s, dpi=150, profile="none").image for s in (1, 2)]
    buf = io.BytesIO()
    first, *rest = [Image.fromarray(p) for p in pages]
    first.save(buf, format="TIFF", save_all=True, append_images=rest, compression="tiff_lzw")
    path = tmp_path / "two.tiff"
    path.write_bytes(buf.getvalue())
    results = read_batch([path], LAYOUT)
    assert [r.page for r in results] == [0, 1]
    assert all(isinstance(r, SheetReading) for r in results)
    assert results[0].sheet_id != results[1].sheet_id


def test_frame_keeps_every_sheet(tmp_path: Path, sheet_png: bytes) -> None:
    """The polars frame has one row per result, readings and failures alike."""
    inputs = _write_inputs(tmp_path, sheet_png)
    results = read_batch(inputs, "ubt-answer")
    frame = readings_frame(results)
    assert frame.height == len(results)
    assert frame.filter(pl.col("error_kind").is_null()).height == 1
    row = frame.filter(pl.col("error_kind").is_null()).row(0, named=True)
    assert row["serial"] == 99
    assert len(row["answers_1"]) == 25
    frame.write_parquet(tmp_path / "out.parquet")
    assert pl.read_parquet(tmp_path / "out.parquet").height == len(results)


def test_progress_is_reported_per_file(tmp_path: Path, sheet_png: bytes) -> None:
    """The progress callback sees every file, ending at (total, total)."""
    inputs = _write_inputs(tmp_path, sheet_png)
    seen: list[tuple[int, int]] = []
    read_batch(inputs, LAYOUT, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (len(inputs), len(inputs))
    assert [d for d, _ in seen] == list(range(1, len(inputs) + 1))


def test_overlays_are_written_for_readings(tmp_path: Path, sheet_png: bytes) -> None:
    """annotate_dir receives one overlay PNG per reading and none for failures."""
    inputs = _write_inputs(tmp_path, sheet_png)
    read_batch(inputs, LAYOUT, annotate_dir=tmp_path / "overlays")
    assert sorted(p.name for p in (tmp_path / "overlays").iterdir()) == ["good-p0-overlay.png"]
