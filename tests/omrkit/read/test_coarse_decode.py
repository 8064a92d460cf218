"""Coarse first: JPEGs read at 100 dpi (200 dpi scans) or 75 dpi (300 dpi) where the ink is dark.

The accuracy bars are asserted on the coarse path itself (fixed-seed feeder
scans, pen and the default pencil); light inks, which miss the bars at
100 dpi, must come out exactly as a full decode reads them.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import cv2
import numpy as np
import pytest

import omrkit.read.stream as stream
from omrkit import ReadOptions, SheetReading, load_layout, read_batch
from omrkit.cli.bench_sets import FEEDER
from omrkit.read.coarse import (
    COARSE_DECODE_MIN_DPI,
    COARSE_MIN_BUBBLE_PX,
    DARK_INK_DARKNESS,
    coarse_decode_dpi,
    coarse_reading_stands,
)
from omrkit.read.sheet import SheetMeasurement, measure_sheet
from omrkit.synth.inks import synthesize_ink_sheet
from omrkit.synth.simulate import SyntheticSheet, synthesize_sheet
from tests.omrkit.accuracy_runs import AccuracyRun, batch_accuracy_run
from tests.omrkit.test_accuracy import _assert_decisions, _assert_fill_accuracy

LAYOUT = load_layout("ubt-answer")
SHEETS = 80
SEED = 60_000
#: Sheets simulated per scan resolution for the accuracy bars of the coarse read, and
#: the share fed upside down (higher for the smaller set, so that it holds several).
SHEETS_AT = {200: SHEETS, 300: SHEETS // 2}
UPSIDE_DOWN_AT = {200: FEEDER.upside_down_prob, 300: 0.25}
#: Image pixels per layout mm: 75 dpi is 3.0, 100 dpi 3.9, 150 dpi 5.9, 200 dpi 7.9; below
#: this, the coarse read.
COARSE_SCALE_MAX = 5.0
#: Light inks that miss the bars at 100 dpi, and sheets of each read here.
LIGHT_INKS = ("pencil-light", "ballpoint-drying", "mixed-pressure")
LIGHT_SHEETS = 3


def _write(folder: Path, sheets: list[SyntheticSheet]) -> list[Path]:
    paths = []
    for i, sheet in enumerate(sheets):
        assert sheet.jpeg is not None
        paths.append(folder / f"s{i:03d}.jpg")
        paths[-1].write_bytes(sheet.jpeg)
    return paths


@pytest.mark.slow
@pytest.mark.parametrize("dpi", sorted(SHEETS_AT))
def test_coarse_reading_keeps_every_accuracy_bar(dpi: int, tmp_path: Path) -> None:
    """Fill MAE and p99.9, decisions, doubles, upside-down and serials hold on coarse reads."""
    count = SHEETS_AT[dpi]
    profile = FEEDER.model_copy(update={"upside_down_prob": UPSIDE_DOWN_AT[dpi]})
    seeds = range(SEED, SEED + count)
    feeder_sheets = [synthesize_sheet(LAYOUT, seed=s, dpi=dpi, profile=profile) for s in seeds]
    results = list(read_batch(_write(tmp_path, feeder_sheets), LAYOUT, workers=2, progress=False))
    readings = [r for r in results if isinstance(r, SheetReading)]
    coarse = sum(r.quality.scale < COARSE_SCALE_MAX for r in readings)
    print(f"{coarse} of {len(readings)} {dpi} dpi feeder sheets read coarse")
    # Pen and the default pencil are dark: (nearly) every sheet stands coarse.
    assert coarse >= 0.9 * count
    run: AccuracyRun = batch_accuracy_run(feeder_sheets, results)
    assert run.failures == ()
    _assert_fill_accuracy(run, f"{dpi} dpi coarse")
    _assert_decisions(run, f"{dpi} dpi coarse")
    assert run.planted_double.sum() >= count // 2
    assert (run.read_state[run.planted_double] == 2).all()
    assert run.true_upside_down.sum() >= 3
    assert (run.read_upside_down == run.true_upside_down).all()
    assert [r.serial for r in readings] == [s.truth.serial for s in feeder_sheets]


@pytest.mark.parametrize("dpi", sorted(SHEETS_AT))
@pytest.mark.parametrize("ink", LIGHT_INKS)
def test_light_ink_is_read_from_the_full_decode(ink: str, dpi: int, tmp_path: Path) -> None:
    """A light-ink sheet's coarse read does not stand: it is read as the finer decode reads it."""
    sheets = [
        synthesize_ink_sheet(LAYOUT, ink, seed=s, dpi=dpi, profile=FEEDER)
        for s in range(SEED, SEED + LIGHT_SHEETS)
    ]
    paths = _write(tmp_path, sheets)
    batch = list(read_batch(paths, LAYOUT, workers=1, progress=False))
    full_only = ReadOptions(coarse_decode_min_dpi=None)
    full = list(read_batch(paths, LAYOUT, options=full_only, workers=1, progress=False))
    for got, want in zip(batch, full, strict=True):
        assert isinstance(got, SheetReading)
        assert isinstance(want, SheetReading)
        assert got.quality.scale > COARSE_SCALE_MAX
        assert got.fill_ratios == want.fill_ratios
        assert got.fields == want.fields


def _measure(sheet: SyntheticSheet) -> SheetMeasurement:
    assert sheet.jpeg is not None
    buffer = np.frombuffer(sheet.jpeg, np.uint8)
    image = np.asarray(cv2.imdecode(buffer, cv2.IMREAD_REDUCED_GRAYSCALE_2), np.uint8)
    return measure_sheet(image, LAYOUT)


def test_the_rule_keeps_dark_ink_and_refuses_light_or_unsure_reads() -> None:
    """Dark ink stands; light marks, a poor registration or a lost serial do not."""
    dark = _measure(synthesize_ink_sheet(LAYOUT, "ballpoint-black", seed=SEED, dpi=200))
    assert coarse_reading_stands(dark, LAYOUT)
    light = _measure(synthesize_ink_sheet(LAYOUT, "pencil-light", seed=SEED, dpi=200))
    assert light.light_group_level < DARK_INK_DARKNESS
    assert not coarse_reading_stands(light, LAYOUT)
    poor_quality = dark.registration.quality.model_copy(update={"poor": True})
    poor = dataclasses.replace(dark.registration, quality=poor_quality)
    assert not coarse_reading_stands(dataclasses.replace(dark, registration=poor), LAYOUT)
    assert not coarse_reading_stands(dataclasses.replace(dark, serial=None), LAYOUT)
    unclustered = dataclasses.replace(dark, light_group_level=math.nan)
    assert not coarse_reading_stands(unclustered, LAYOUT)
    assert not coarse_reading_stands(dataclasses.replace(dark, ink=None), LAYOUT)


def test_a_failed_coarse_read_falls_back_to_the_full_decode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error on the coarse image is not the sheet's: the full decode is read instead."""
    sheet = synthesize_ink_sheet(LAYOUT, "ballpoint-black", seed=SEED, dpi=200, profile=FEEDER)
    (path,) = _write(tmp_path, [sheet])
    real = stream.measure_sheet
    coarse_calls = []

    def failing_when_coarse(image: np.ndarray, *args: object, **kwargs: object) -> object:
        if min(image.shape) < 1000:  # an A4 page at 100 dpi is 827 px wide
            coarse_calls.append(image.shape)
            raise RuntimeError("planted failure on the coarse image")
        return real(image, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(stream, "measure_sheet", failing_when_coarse)
    (reading,) = read_batch(path, LAYOUT, progress=False)
    assert len(coarse_calls) == 1
    assert isinstance(reading, SheetReading)
    assert reading.quality.scale > COARSE_SCALE_MAX


@pytest.mark.parametrize(
    "options",
    [ReadOptions(coarse_decode_min_dpi=None), ReadOptions(reduced_decode_min_dpi=None)],
    ids=["no-coarse", "full-decode"],
)
def test_coarse_reading_can_be_turned_off(options: ReadOptions, tmp_path: Path) -> None:
    """Without a coarse resolution, or with full decoding asked for, 200 dpi is read in full."""
    sheet = synthesize_ink_sheet(LAYOUT, "ballpoint-black", seed=SEED, dpi=200, profile=FEEDER)
    (path,) = _write(tmp_path, [sheet])
    (reading,) = read_batch(path, LAYOUT, options=options, progress=False)
    assert isinstance(reading, SheetReading)
    assert reading.quality.scale > COARSE_SCALE_MAX
    (coarse,) = read_batch(path, LAYOUT, progress=False)
    assert isinstance(coarse, SheetReading)
    assert coarse.quality.scale < COARSE_SCALE_MAX


def test_the_coarse_resolution_keeps_the_smallest_bubble_ten_pixels_across() -> None:
    """75 dpi for the answer sheet's 4.2 mm bubbles, 100 dpi for the application's 2.8 mm."""
    assert coarse_decode_dpi(LAYOUT, COARSE_DECODE_MIN_DPI) == COARSE_DECODE_MIN_DPI
    application = load_layout("ubt-application")
    dpi = coarse_decode_dpi(application, COARSE_DECODE_MIN_DPI)
    smallest_mm = 2 * float(application.bubbles.radii_mm.min())
    assert smallest_mm * dpi / 25.4 == pytest.approx(COARSE_MIN_BUBBLE_PX)
    assert 300 / 4 < dpi <= 200 / 2  # a 300 dpi form is read at 150 dpi, a 200 dpi one at 100
    assert coarse_decode_dpi(LAYOUT, 120.0) == 120.0


def test_a_300_dpi_form_with_small_bubbles_is_not_read_at_a_quarter(tmp_path: Path) -> None:
    """The application form's 2.8 mm bubbles would be 8 px at 75 dpi: it is read at 150 dpi."""
    application = load_layout("ubt-application")
    sheet = synthesize_sheet(application, seed=SEED, dpi=300, profile=FEEDER)
    (path,) = _write(tmp_path, [sheet])
    (reading,) = read_batch(path, application, progress=False)
    assert isinstance(reading, SheetReading)
    assert reading.quality.scale > COARSE_SCALE_MAX
