"""read_batch: every input yields one row per page, in order, whatever it holds."""

from __future__ import annotations

import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from PIL import Image

import omrkit.read.stream as stream
from omrkit import (
    DecodeError,
    ReadOptions,
    SheetFailure,
    SheetReading,
    load_layout,
    read_batch,
    readings_frame,
    render_sheet,
)
from omrkit.read.failure import failure_from
from omrkit.read.frame import frame_schema
from omrkit.read.stream import overlay_name
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
    """Missing, truncated, non-image, blank and wrong-layout files fail alone, typed and staged."""
    inputs = _write_inputs(tmp_path, sheet_png)
    results = list(read_batch(inputs, LAYOUT, workers=2, progress=False))
    assert [Path(r.source or "").name for r in results] == [p.name for p in inputs]
    assert isinstance(results[0], SheetReading)
    assert results[0].serial == 99
    failures = [r for r in results[1:] if isinstance(r, SheetFailure)]
    assert [(f.error_kind, f.stage) for f in failures] == [
        ("DecodeError", "decode"),
        ("DecodeError", "decode"),
        ("DecodeError", "decode"),
        ("RegistrationError", "registration"),
        ("LayoutError", "layout"),
    ]
    assert all(f.message and f.layout_id == "ubt-answer" for f in failures)
    assert failures[0].sheet_id is None  # a missing file has no content
    assert failures[1].sheet_id is not None


def test_read_batch_streams_lazily(tmp_path: Path, sheet_png: bytes) -> None:
    """A generator: nothing is read until asked, and results come one by one."""
    inputs = _write_inputs(tmp_path, sheet_png)
    results = read_batch(inputs, LAYOUT, progress=False)
    assert isinstance(results, Iterator)
    first = next(results)
    assert isinstance(first, SheetReading)
    results.close()  # abandoning the stream reads nothing more and leaks no threads


def test_an_unexpected_exception_becomes_an_internal_error_row(
    tmp_path: Path, sheet_png: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in one sheet's measurement is a row naming where it was raised; the rest read."""
    inputs = [tmp_path / f"s{i}.png" for i in range(3)]
    for i, p in enumerate(inputs):
        p.write_bytes(render_sheet(LAYOUT, format="png", dpi=150, serial=i))
    real = stream.measure_sheet

    def planted(image: np.ndarray, layout: object, **kwargs: object) -> object:
        if str(kwargs.get("path", "")).endswith("s1.png"):
            raise ZeroDivisionError("planted bug")
        return real(image, layout, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(stream, "measure_sheet", planted)
    results = list(read_batch(inputs, LAYOUT, progress=False))
    assert [type(r).__name__ for r in results] == ["SheetReading", "SheetFailure", "SheetReading"]
    bug = results[1]
    assert isinstance(bug, SheetFailure)
    assert bug.error_kind == "InternalError"
    assert bug.stage == "measure"
    assert "ZeroDivisionError: planted bug" in bug.message
    assert "test_batch.py" in bug.message  # the traceback's last frame
    assert [r.serial for r in results if isinstance(r, SheetReading)] == [0, 2]


def test_an_exception_never_raised_still_becomes_a_row() -> None:
    """An error handed over without a traceback has no frame to name, and is a row all the same."""
    failure = failure_from(KeyError("lost"), source="a.png", page=0, stage="measure")
    assert failure.error_kind == "InternalError"
    assert failure.message == "KeyError: 'lost'"


def test_multi_page_tiff_gives_one_result_per_page(tmp_path: Path) -> None:
    """Each page of a multi-page TIFF is its own sheet, with its page number."""
    pages = [synthesize_sheet(LAYOUT, seed=s, dpi=150, profile="none").image for s in (1, 2)]
    buf = io.BytesIO()
    first, *rest = [Image.fromarray(p) for p in pages]
    first.save(buf, format="TIFF", save_all=True, append_images=rest, compression="tiff_lzw")
    path = tmp_path / "two.tiff"
    path.write_bytes(buf.getvalue())
    results = list(read_batch([path], LAYOUT, progress=False))
    assert [r.page for r in results] == [0, 1]
    assert all(isinstance(r, SheetReading) for r in results)
    assert results[0].sheet_id != results[1].sheet_id


def test_directories_are_read_recursively_and_globs_expand(
    tmp_path: Path, sheet_png: bytes
) -> None:
    """A folder contributes its images at any depth; a pattern its matches; both sorted."""
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / "a" / "deep" / "x.png").write_bytes(sheet_png)
    (tmp_path / "a" / "y.PNG").write_bytes(sheet_png)
    (tmp_path / "a" / "readme.txt").write_text("not a scan", encoding="utf-8")
    by_dir = [r.source for r in read_batch(tmp_path / "a", LAYOUT, progress=False)]
    assert by_dir == [str(tmp_path / "a" / "deep" / "x.png"), str(tmp_path / "a" / "y.PNG")]
    by_glob = [
        r.source for r in read_batch([str(tmp_path / "a" / "**" / "*.png")], LAYOUT, progress=False)
    ]
    assert by_glob == [str(tmp_path / "a" / "deep" / "x.png")]


def test_an_empty_folder_is_an_error_not_an_empty_batch(tmp_path: Path) -> None:
    """A folder without images is a wrong input, said at once."""
    (tmp_path / "empty").mkdir()
    with pytest.raises(DecodeError, match="no image files"):
        read_batch(tmp_path / "empty", LAYOUT)


def test_options_reach_every_sheet(tmp_path: Path, sheet_png: bytes) -> None:
    """ReadOptions pass through: a tiny pixel limit refuses every image before decoding."""
    inputs = _write_inputs(tmp_path, sheet_png)[:1] * 2
    results = list(read_batch(inputs, LAYOUT, options=ReadOptions(max_pixels=1000), progress=False))
    assert all(isinstance(r, SheetFailure) and "limit" in r.message for r in results)


def test_any_executor_gives_the_same_rows(tmp_path: Path, sheet_png: bytes) -> None:
    """A caller's executor reads the same results as the default threads, in order."""
    inputs = _write_inputs(tmp_path, sheet_png)
    local = readings_frame(read_batch(inputs, LAYOUT, progress=False), LAYOUT)
    with ThreadPoolExecutor(max_workers=3) as pool:
        theirs = readings_frame(read_batch(inputs, LAYOUT, executor=pool, progress=False), LAYOUT)
    assert theirs.equals(local)
    with pytest.raises(TypeError, match="executor"):
        list(read_batch(inputs, LAYOUT, executor=object(), progress=False))


def test_frame_schema_is_fixed_whatever_the_mix(tmp_path: Path, sheet_png: bytes) -> None:
    """Readings, failures only, or nothing: the same columns and dtypes, so frames concatenate."""
    inputs = _write_inputs(tmp_path, sheet_png)
    mixed = readings_frame(read_batch(inputs, "ubt-answer", progress=False))
    failed = readings_frame(read_batch(inputs[1:4], LAYOUT, progress=False))
    empty = readings_frame([], LAYOUT)
    expected = frame_schema(LAYOUT)
    assert mixed.schema == failed.schema == empty.schema == expected
    assert expected["fill_ratios"] == pl.Array(pl.Float64, LAYOUT.bubbles.n_bubbles)
    both = pl.concat([mixed, failed, empty])
    assert both.height == len(inputs) + 3
    row = mixed.filter(pl.col("error_kind").is_null()).row(0, named=True)
    assert row["serial"] == 99
    assert len(row["answers_1"]) == 25
    assert mixed["fill_ratios"].null_count() == len(inputs) - 1
    mixed.write_parquet(tmp_path / "out.parquet")
    assert pl.read_parquet(tmp_path / "out.parquet").equals(mixed)


def test_progress_bar_shows_sheets_per_second(
    tmp_path: Path, sheet_png: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    """progress=True draws a tqdm bar over the files; a callable sees (done, total)."""
    inputs = _write_inputs(tmp_path, sheet_png)
    list(read_batch(inputs, LAYOUT))
    assert "sheet/s" in capsys.readouterr().err
    seen: list[tuple[int, int]] = []
    list(read_batch(inputs, LAYOUT, progress=lambda done, total: seen.append((done, total))))
    assert seen == [(d, len(inputs)) for d in range(1, len(inputs) + 1)]


def test_overlays_are_named_by_content_and_written_upright(tmp_path: Path) -> None:
    """Two scan.png from different folders keep both overlays; small JPEGs, one per reading."""
    upright = synthesize_sheet(LAYOUT, seed=3, dpi=150, profile="none").image
    inputs = []
    for folder, image in (("a", upright), ("b", np.ascontiguousarray(upright[::-1, ::-1]))):
        (tmp_path / folder).mkdir()
        Image.fromarray(image).save(tmp_path / folder / "scan.png")
        inputs.append(tmp_path / folder / "scan.png")
    (tmp_path / "c.png").write_bytes(b"broken")
    inputs.append(tmp_path / "c.png")
    out = tmp_path / "overlays"
    results = list(read_batch(inputs, LAYOUT, annotate_dir=out, progress=False))
    readings = [r for r in results if isinstance(r, SheetReading)]
    assert [r.quality.upside_down for r in readings] == [False, True]
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(overlay_name(r.sheet_id) for r in readings)
    pictures = [
        np.asarray(Image.open(out / overlay_name(r.sheet_id)).convert("L")) for r in readings
    ]
    # The turned sheet is drawn as printed: its overlay matches the upright one's.
    difference = np.abs(pictures[0].astype(int) - pictures[1].astype(int))
    assert np.median(difference) < 10
    assert all((out / n).stat().st_size < 1_000_000 for n in names)
