"""read_sheet: one scanned sheet in, a trustworthy reading or a typed error out."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from omrkit import (
    DecodeError,
    LayoutError,
    ReadOptions,
    RegistrationError,
    SlotState,
    load_layout,
    read_image,
    read_sheet,
    render_sheet,
)
from omrkit.layout.models import SheetLayout
from omrkit.synth.simulate import synthesize_sheet

LAYOUT = load_layout("ubt-answer")


@pytest.fixture(scope="module")
def blank_png() -> bytes:
    return render_sheet(LAYOUT, format="png", dpi=200, serial=123456)


@pytest.fixture(scope="module")
def filled() -> tuple[np.ndarray, object]:
    sheet = synthesize_sheet(LAYOUT, seed=7, dpi=200, profile="default")
    return sheet.image, sheet.truth


def test_blank_printed_sheet_reads_empty(blank_png: bytes) -> None:
    """A printed, unfilled sheet reads <= 0.02 in every bubble: print is not ink."""
    reading = read_sheet(blank_png, LAYOUT)
    assert max(reading.fill_ratios) <= 0.02
    assert all(s is SlotState.BLANK for f in reading.fields.values() for s in f.states)
    assert reading.serial == 123456
    assert reading.layout_id == "ubt-answer"


def test_path_bytes_and_array_inputs_agree(blank_png: bytes, tmp_path: Path) -> None:
    """A file, its bytes and its decoded pixels give the same reading and sheet id."""
    path = tmp_path / "sheet.png"
    path.write_bytes(blank_png)
    from_path = read_sheet(path, LAYOUT)
    from_bytes = read_sheet(blank_png, LAYOUT)
    image = cv2.imdecode(np.frombuffer(blank_png, np.uint8), cv2.IMREAD_GRAYSCALE)
    from_array = read_sheet(image, LAYOUT)
    assert from_path.sheet_id == from_bytes.sheet_id
    assert from_path.source == str(path)
    assert from_bytes.source is None
    assert from_path.fill_ratios == from_bytes.fill_ratios == from_array.fill_ratios
    assert "decode_ms" in from_path.timings_ms


def test_unt_score_1_reading_matches_truth_on_a_filled_sheet(filled: tuple) -> None:
    """Every slot whose truth is clear-cut is read in its true state."""
    image, truth = filled
    reading = read_image(image, LAYOUT)
    states = [s for f in LAYOUT.fields for s in reading.fields[f.id].states]
    review = [r for f in LAYOUT.fields for r in reading.fields[f.id].review]
    for read, true, flagged in zip(states, truth.slot_states(LAYOUT), review, strict=True):
        assert read is true or flagged
    assert reading.serial == truth.serial
    assert reading.quality.upside_down == truth.upside_down


def test_reading_is_deterministic(filled: tuple) -> None:
    """The same pixels read twice give identical readings (timings aside)."""
    image, _ = filled
    a, b = read_image(image, LAYOUT), read_image(image, LAYOUT)
    assert a.model_dump(exclude={"timings_ms"}) == b.model_dump(exclude={"timings_ms"})


def test_review_band_option_widens_review(filled: tuple) -> None:
    """A wider review band flags at least the slots the default band flags."""
    image, _ = filled
    narrow = read_image(image, LAYOUT, options=ReadOptions(review_band=0.0))
    wide = read_image(image, LAYOUT, options=ReadOptions(review_band=0.3))
    n_narrow = sum(sum(f.review) for f in narrow.fields.values())
    n_wide = sum(sum(f.review) for f in wide.fields.values())
    assert n_wide > n_narrow


def test_blank_page_is_a_registration_error() -> None:
    """A white page has no marks: RegistrationError, never a reading."""
    with pytest.raises(RegistrationError):
        read_sheet(np.full((2339, 1654), 245, np.uint8), LAYOUT)


def test_noise_image_is_a_registration_error() -> None:
    """Random texture (a photo of something else) is refused."""
    rng = np.random.default_rng(3)
    image = cv2.GaussianBlur(rng.integers(0, 256, (2339, 1654), dtype=np.uint8), (0, 0), 4)
    with pytest.raises(RegistrationError):
        read_sheet(image, LAYOUT)


def test_sheet_of_another_layout_is_a_layout_error() -> None:
    """A МАБ grade-4 sheet read as a ҰБТ answer sheet is refused, naming both."""
    other = render_sheet(load_layout("mab-grade4"), format="png", dpi=200)
    with pytest.raises(LayoutError, match="mab-grade4"):
        read_sheet(other, LAYOUT)


def test_covered_mark_still_reads_or_is_refused_never_wrong(blank_png: bytes) -> None:
    """One corner mark painted over: the other marks still place every bubble."""
    image = cv2.imdecode(np.frombuffer(blank_png, np.uint8), cv2.IMREAD_GRAYSCALE)
    mark = LAYOUT.corner_marks[0]
    px = 200 / 25.4
    half = mark.size_mm * px
    x, y = int(mark.x_mm * px), int(mark.y_mm * px)
    image[int(y - half) : int(y + half), int(x - half) : int(x + half)] = 255
    reading = read_image(image, LAYOUT)
    assert f"mark-dropped:{mark.id}" in reading.flags
    assert max(reading.fill_ratios) <= 0.02


def _torn(png: bytes) -> np.ndarray:
    """The sheet with its two top corner marks torn off."""
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    px = 200 / 25.4
    for mark in LAYOUT.corner_marks[:2]:
        half = mark.size_mm * px
        x, y = int(mark.x_mm * px), int(mark.y_mm * px)
        image[int(y - half) : int(y + half), int(x - half) : int(x + half)] = 255
    return image


def test_two_covered_marks_are_replaced_by_the_code_guards(blank_png: bytes) -> None:
    """Two corner marks torn off: three marks and the codes' guard cells place the sheet."""
    reading = read_image(_torn(blank_png), LAYOUT)
    assert {"mark-dropped:tl", "mark-dropped:tr"} <= set(reading.flags)
    assert max(reading.fill_ratios) <= 0.02


def test_two_covered_marks_are_a_registration_error_without_guards_to_confirm() -> None:
    """Torn off on a sheet printed without a serial: too little left to trust, refused."""
    png = render_sheet(LAYOUT, format="png", dpi=200)
    with pytest.raises(RegistrationError):
        read_image(_torn(png), LAYOUT)


@pytest.mark.parametrize(
    ("payload", "match"),
    [(b"", "empty"), (b"%PDF-1.7 not an image", None), (b"\x89PNG\r\n\x1a\n\x00\x00", None)],
)
def test_undecodable_input_is_a_decode_error(payload: bytes, match: str | None) -> None:
    """Empty, non-image and truncated inputs raise DecodeError."""
    with pytest.raises(DecodeError, match=match):
        read_sheet(payload, LAYOUT)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    """A missing file is a DecodeError carrying its path."""
    missing = tmp_path / "nope.png"
    with pytest.raises(DecodeError) as info:
        read_sheet(missing, LAYOUT)
    assert info.value.path == str(missing)


def test_layout_by_name_path_or_model_is_the_same(blank_png: bytes, tmp_path: Path) -> None:
    """The layout may be given by bundled name, JSON path or model."""
    path = tmp_path / "layout.json"
    path.write_text(LAYOUT.to_json(), encoding="utf-8")
    by_model: SheetLayout = LAYOUT
    readings = [read_sheet(blank_png, lay) for lay in ("ubt-answer", path, by_model)]
    assert readings[0].fill_ratios == readings[1].fill_ratios == readings[2].fill_ratios


def test_reading_serialises_to_dict_and_row(blank_png: bytes) -> None:
    """to_dict is JSON-ready and to_row is one polars row with a column per field."""
    import json

    import polars as pl

    reading = read_sheet(blank_png, LAYOUT)
    assert json.loads(json.dumps(reading.to_dict()))["serial"] == 123456
    frame = pl.DataFrame([reading.to_row()])
    assert frame.height == 1
    assert frame["answers_1"].to_list()[0] == [None] * 25
    assert {f.id for f in LAYOUT.fields} <= set(frame.columns)
