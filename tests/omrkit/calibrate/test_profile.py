"""ScannerProfile: validated JSON, and a dark scanner reading true fills again once calibrated."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from omrkit.calibrate import ScannerProfile, check_scanner
from omrkit.layout.models import load_layout
from omrkit.read.sheet import ReadOptions, read_image
from omrkit.synth.scanners import BLANK_FILL, SCANNERS, scan_sheet
from omrkit.synth.strokes import MarkKind

MAE_BAR = 0.03
P999_BAR = 0.08
CLEAR_LOW, CLEAR_HIGH = 0.40, 0.60
ANSWER_SHEETS = 16


def _profile() -> ScannerProfile:
    scan = scan_sheet("calibration/scanner-check", SCANNERS["dark"], seed=3, fill=BLANK_FILL)
    return check_scanner([scan.image], scanner="dark").profile


def test_profile_round_trips_through_json(tmp_path: Path) -> None:
    """Saved and loaded, a profile is equal and keeps its hash."""
    profile = _profile()
    profile.save(tmp_path / "p.json")
    loaded = ScannerProfile.load(tmp_path / "p.json")
    assert loaded == profile
    assert loaded.hash == profile.hash


@pytest.mark.parametrize(
    ("field", "value"),
    [("tone_measured", (0.0, 0.8, 0.5, 1.0)), ("fill_printed", (0.0, 0.9)), ("paper_level", 300.0)],
)
def test_profile_refuses_a_broken_curve(field: str, value: object) -> None:
    """A non-monotone curve, one not ending at (1, 1) or an impossible level is refused."""
    data = _profile().model_dump()
    data[field] = value
    with pytest.raises(ValidationError):
        ScannerProfile.model_validate(data)


def test_corrected_fills_stay_in_the_unit_interval() -> None:
    """The fill correction keeps 0..1 and NaN."""
    fills = np.array([0.0, 0.3, 0.5, 1.0, np.nan])
    out = _profile().correct_fills(fills)
    assert np.all((out[:4] >= 0) & (out[:4] <= 1))
    assert np.isnan(out[4])


def _errors(profile: ScannerProfile | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, set[str]]:
    layout = load_layout("ubt-answer")
    options = ReadOptions(profile=profile)
    errors, truth, read, hashes = [], [], [], set()
    for seed in range(ANSWER_SHEETS):
        sheet = scan_sheet(layout, SCANNERS["dark"], seed=seed)
        reading = read_image(sheet.image, layout, options=options)
        hashes.add(str(reading.profile_hash))
        drawn = np.array([k is not MarkKind.NONE for k in sheet.truth.mark_kinds])
        fills = np.asarray(reading.fill_ratios)
        errors.append(np.abs(fills - sheet.truth.true_fractions)[drawn])
        truth.append(sheet.truth.true_fractions)
        read.append(fills)
    return np.concatenate(errors), np.concatenate(truth), np.concatenate(read), hashes


def test_unt_scan_1_a_calibrated_dark_scanner_meets_the_reading_bars() -> None:
    """A 15 % dark scanner misses the p99.9 bar; with its own profile it meets every bar."""
    profile = _profile()
    before, _, _, _ = _errors(None)
    after, truth, read, hashes = _errors(profile)
    for label, err in (("before", before), ("after", after)):
        print(
            f"dark scanner {label}: {err.size} marked bubbles, MAE {err.mean():.4f},"
            f" p99.9 {np.quantile(err, 0.999):.4f}"
        )
    assert np.quantile(before, 0.999) > P999_BAR
    assert after.mean() <= MAE_BAR
    assert np.quantile(after, 0.999) <= P999_BAR
    clear = (truth < CLEAR_LOW) | (truth > CLEAR_HIGH)
    assert not np.any(((read >= 0.5) != (truth >= 0.5)) & clear)
    assert hashes == {profile.hash}


def test_profile_tone_comes_from_the_eleven_wedge_steps() -> None:
    """The dark scanner's tone curve has a knot per wedge step and maps its mid-grey back."""
    profile = _profile()
    assert len(profile.tone_measured) == 11
    mid = len(profile.tone_printed) // 2
    assert profile.tone_printed[mid] == pytest.approx(0.5, abs=0.01)
    assert profile.tone_measured[mid] > profile.tone_printed[mid] + 0.1
