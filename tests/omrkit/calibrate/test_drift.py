"""Drift: calibration sheets inside a batch, and the readings they make suspect."""

from __future__ import annotations

from pathlib import Path

import cv2

from omrkit.calibrate.drift import SUSPECT_FLAG, CalibrationCheck, flag_suspects
from omrkit.read.batch import read_batch, readings_frame
from omrkit.synth.scanners import BLANK_FILL, SCANNERS, scan_sheet
from omrkit.types import SheetReading


def test_readings_between_the_last_pass_and_a_failure_are_suspect() -> None:
    """Readings from the last pass to a failing check, and after it until a pass, are suspect."""
    from omrkit.read.sheet import read_sheet
    from omrkit.render import render_sheet

    reading = read_sheet(render_sheet("ubt-answer", format="png", serial=1), "ubt-answer")
    ok, bad = (CalibrationCheck(source=s, passed=p) for s, p in (("ok", True), ("bad", False)))
    seq = [reading, ok, reading, reading, bad, reading, ok, reading]
    out = flag_suspects(seq)
    suspect = [isinstance(r, SheetReading) and SUSPECT_FLAG in r.flags for r in out]
    assert suspect == [False, False, True, True, False, True, False, False]


def test_read_batch_checks_a_calibration_sheet_and_flags_without_stopping(tmp_path: Path) -> None:
    """A failing calibration sheet in a batch is checked, and the readings after it are suspect."""
    names = []
    for i, (layout, scanner) in enumerate(
        [("ubt-answer", "good"), ("calibration/scanner-check", "streak"), ("ubt-answer", "good")]
    ):
        fill = BLANK_FILL if layout.startswith("calibration") else None
        image = scan_sheet(layout, SCANNERS[scanner], seed=i, fill=fill).image
        path = tmp_path / f"{i}.png"
        cv2.imwrite(str(path), image)
        names.append(path)
    results = list(read_batch(names, "ubt-answer", workers=1, progress=False))
    assert isinstance(results[1], CalibrationCheck)
    assert not results[1].passed
    assert results[1].reasons == ("uniformity",)
    frame = readings_frame(results)
    assert frame["suspect"].to_list() == [True, False, True]
    assert frame["error_kind"].null_count() == 3
