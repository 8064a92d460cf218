"""The accuracy bars hold on the reduced path: 300 dpi JPEGs decoded at half scale in a batch.

The coarse try first (75 dpi, :mod:`omrkit.read.coarse`) is turned off here: this is the
path every sheet of light ink takes, and any sheet where the coarse reading does not stand.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from omrkit import ReadOptions, SheetReading, load_layout, read_batch
from omrkit.synth.simulate import degradation_profile, synthesize_sheet
from tests.omrkit.accuracy_runs import _STATE_CODE, AccuracyRun, _slot_states
from tests.omrkit.test_accuracy import _assert_decisions, _assert_fill_accuracy

LAYOUT = load_layout("ubt-answer")
SHEETS = 40
#: What a sheet feeder really gives: up to ±3° of skew, ±2 % of scale, perspective,
#: one sheet in ten upside down; every scan a JPEG.
FEEDER = degradation_profile("default").model_copy(
    update={"name": "feeder", "rotation_deg": 3.0, "scale_pct": 2.0, "jpeg_prob": 1.0}
)


@pytest.fixture(scope="module")
def reduced_run(tmp_path_factory: pytest.TempPathFactory) -> AccuracyRun:
    folder = tmp_path_factory.mktemp("scans300")
    sheets = [synthesize_sheet(LAYOUT, seed=s, dpi=300, profile=FEEDER) for s in range(SHEETS)]
    paths = []
    for i, sheet in enumerate(sheets):
        assert sheet.jpeg is not None
        paths.append(folder / f"s{i:03d}.jpg")
        paths[-1].write_bytes(sheet.jpeg)
    half_only = ReadOptions(coarse_decode_min_dpi=None)
    results = list(read_batch(paths, LAYOUT, options=half_only, workers=2, progress=False))
    failures = tuple(str(r) for r in results if not isinstance(r, SheetReading))
    cols: dict[str, list[object]] = {k: [] for k in AccuracyRun.__dataclass_fields__}
    for sheet, reading in zip(sheets, results, strict=True):
        if not isinstance(reading, SheetReading):
            continue
        # Half scale: pixels per mm of a 300 dpi scan halved, about 150 dpi.
        assert 5.5 < reading.quality.scale < 6.2
        t = sheet.truth
        states, review = _slot_states(LAYOUT, reading)
        cols["true_fraction"].append(t.true_fractions)
        cols["read_fraction"].append(np.asarray(reading.fill_ratios))
        cols["mark_kind"].append(np.array([k.value for k in t.mark_kinds]))
        cols["pencil"].append(t.instrument.value == "pencil")
        cols["true_state"].append([_STATE_CODE[s] for s in t.slot_states(LAYOUT)])
        cols["read_state"].append(states)
        cols["review"].append(review)
        cols["planted_double"].append(t.planted_double)
        cols["true_upside_down"].append(t.upside_down)
        cols["read_upside_down"].append(reading.quality.upside_down)
    arrays = {k: np.array(v) for k, v in cols.items() if k != "failures"}
    return AccuracyRun(**arrays, failures=failures)  # type: ignore[arg-type]


@pytest.mark.slow
def test_reduced_decode_keeps_the_fill_and_decision_bars(reduced_run: AccuracyRun) -> None:
    """Fill MAE and p99.9, and no wrong clear decision, on 300 dpi JPEGs read at half scale."""
    assert reduced_run.failures == ()
    assert reduced_run.n_sheets == SHEETS
    _assert_fill_accuracy(reduced_run, "300 dpi reduced")
    _assert_decisions(reduced_run, "300 dpi reduced")
    assert (reduced_run.read_upside_down == reduced_run.true_upside_down).all()


def test_full_decode_can_be_asked_for(tmp_path: Path) -> None:
    """reduced_decode_min_dpi=None reads the 300 dpi JPEG at full scale."""
    sheet = synthesize_sheet(LAYOUT, seed=1, dpi=300, profile=FEEDER)
    assert sheet.jpeg is not None
    (tmp_path / "s.jpg").write_bytes(sheet.jpeg)
    options = ReadOptions(reduced_decode_min_dpi=None)
    (full,) = read_batch(tmp_path / "s.jpg", LAYOUT, options=options, progress=False)
    assert isinstance(full, SheetReading)
    assert 11.0 < full.quality.scale < 12.4
