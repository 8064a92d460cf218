"""The ``omrkit calibrate`` command and the scanner report it prints."""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest

from omrkit.calibrate import ScannerProfile
from omrkit.cli.main import main
from omrkit.synth.scanners import BLANK_FILL, SCANNERS, scan_sheet


def _scan(tmp_path: Path, scanner: str) -> Path:
    image = scan_sheet("calibration/scanner-check", SCANNERS[scanner], seed=5, fill=BLANK_FILL)
    path = tmp_path / f"{scanner}.png"
    cv2.imwrite(str(path), image.image)
    return path


def test_unt_scan_1_calibrate_writes_a_pdf_report_and_a_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A good scanner: exit 0, a PDF report, a loadable profile, the verdict printed."""
    out, profile = tmp_path / "report.pdf", tmp_path / "profile.json"
    status = main(["calibrate", str(_scan(tmp_path, "good")), "-o", str(out),
                   "--profile", str(profile), "--scanner", "S-1", "--run", "room 7"])  # fmt: skip
    assert status == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert ScannerProfile.load(profile).scanner == "S-1"
    printed = capsys.readouterr().out
    assert "scanner check: pass" in printed
    # Line pairs beyond the scan's resolution are shown as a dash, as in the PDF.
    assert "nan" not in printed


def test_calibrate_fails_a_streaked_scanner_with_its_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A streaked scanner: exit 1 and the reason printed."""
    status = main(["calibrate", str(_scan(tmp_path, "streak")), "-o", str(tmp_path / "r.pdf")])
    assert status == 1
    printed = capsys.readouterr().out
    assert "fail (uniformity)" in printed
    assert "nan" not in printed


def test_calibrate_refuses_a_scan_that_is_not_the_calibration_sheet(tmp_path: Path) -> None:
    """Another sheet is an error (exit 2), not a verdict."""
    image = scan_sheet("ubt-answer", SCANNERS["good"], seed=1, fill=BLANK_FILL).image
    path = tmp_path / "answer.png"
    cv2.imwrite(str(path), image)
    assert main(["calibrate", str(path), "-o", str(tmp_path / "r.pdf")]) == 2
    assert not (tmp_path / "r.pdf").exists()
