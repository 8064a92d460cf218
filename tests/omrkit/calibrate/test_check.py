"""The scanner check on simulated scanners with one known fault each (UNT-SCAN-1)."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from omrkit.calibrate import Reason, ScannerReport, check_scanner
from omrkit.errors import CalibrationError
from omrkit.synth.scanners import BLANK_FILL, SCANNERS, scan_sheet

CALIBRATION = "calibration/scanner-check"
CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "omrchecker"
EXPECTED: dict[str, tuple[Reason, ...]] = {
    "good": (),
    "dark": (Reason.LEVELS,),
    "blurred": (Reason.RESOLUTION,),
    "skewed": (Reason.GEOMETRY,),
    "streak": (Reason.UNIFORMITY,),
}


@functools.cache
def calibration_scan(scanner: str, seed: int = 3) -> npt.NDArray[np.uint8]:
    return scan_sheet(CALIBRATION, SCANNERS[scanner], seed=seed, fill=BLANK_FILL).image


@functools.cache
def report(scanner: str) -> ScannerReport:
    return check_scanner([calibration_scan(scanner)], scanner=scanner)


@pytest.mark.parametrize("scanner", list(EXPECTED))
def test_unt_scan_1_each_scanner_fails_for_its_own_fault_only(scanner: str) -> None:
    """A good scanner passes; each faulty one fails with exactly the reason of its fault."""
    r = report(scanner)
    failing = [f"{m.name}={m.value:.4f}" for m in r.measurements if not m.ok]
    print(scanner, r.verdict, failing)
    assert r.reasons == EXPECTED[scanner], failing
    assert r.verdict == ("pass" if scanner == "good" else "fail")


def test_unt_score_1_threshold_patches_land_on_their_side() -> None:
    """On a good scanner the 45 % patch reads below 50 % and the 55 % patch above."""
    values = {m.name: m.value for m in report("good").measurements}
    assert values["45 % patch reads"] < 0.5 <= values["55 % patch reads"]


def test_skew_and_stretch_are_measured_in_degrees_and_percent() -> None:
    """The skewed scanner's 2° and 2 % come back within a tenth."""
    values = {m.name: m.value for m in report("skewed").measurements}
    assert values["skew"] == pytest.approx(2.0, abs=0.1)
    assert values["scale error"] == pytest.approx(2.0, abs=0.1)


def test_blur_is_measured_from_the_mark_edges() -> None:
    """The blurred scanner's sigma (2 px at 200 dpi = 0.254 mm) is found within 15 %."""
    values = {m.name: m.value for m in report("blurred").measurements}
    assert values["edge blur sigma"] == pytest.approx(0.254, rel=0.15)


def test_several_scans_are_pooled() -> None:
    """Two scans give one report naming both."""
    r = check_scanner([calibration_scan("good"), calibration_scan("good", seed=4)])
    assert r.passed
    assert len(r.sources) == 2


def test_no_scans_is_a_caller_error() -> None:
    """An empty list is a ValueError, not a verdict."""
    with pytest.raises(ValueError, match="at least one"):
        check_scanner([])


def _other_sheet() -> npt.NDArray[np.uint8]:
    return scan_sheet("ubt-answer", SCANNERS["good"], seed=1, fill=BLANK_FILL).image


def _half_page() -> npt.NDArray[np.uint8]:
    image = calibration_scan("good")
    return np.ascontiguousarray(image[: image.shape[0] // 2])


def _blank() -> npt.NDArray[np.uint8]:
    return np.full_like(calibration_scan("good"), 240)


@pytest.mark.parametrize("make", [_other_sheet, _half_page, _blank], ids=lambda f: f.__name__)
def test_bad_calibration_scans_raise_a_calibration_error(make: object) -> None:
    """Another sheet, half a page or a blank page is a CalibrationError, not a verdict."""
    assert callable(make)
    with pytest.raises(CalibrationError, match="not a usable scan"):
        check_scanner([make()])


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside this checkout")
def test_a_photo_of_something_else_raises_a_calibration_error() -> None:
    """A photograph of another kind of form is refused with a CalibrationError."""
    photo = next(iter(sorted(CORPUS.rglob("*.jpg"))))
    with pytest.raises(CalibrationError):
        check_scanner([photo])


def test_unt_gen_7_a_good_scanner_passes_with_every_measurement_in_tolerance() -> None:
    """The «Сканерді тексеру» check of a good scanner: every line of the report is ok."""
    r = report("good")
    assert r.passed
    assert all(m.ok for m in r.measurements)


def test_blur_fails_the_slanted_edge_and_line_pair_rows() -> None:
    """The blurred scanner fails on MTF50 in both directions and on the judged line pairs."""
    failing = {m.name for m in report("blurred").measurements if not m.ok}
    assert {"MTF50 across x (slanted edges)", "MTF50 across y (slanted edges)"} <= failing
    assert {"line pairs 1/mm: modulation", "line pairs 2/mm: modulation"} <= failing


def test_darkening_fails_the_grey_wedge_row() -> None:
    """The dark scanner's wedge reads more than the tolerance off its print; the good one's not."""
    dark = {m.name: m for m in report("dark").measurements}["grey wedge: largest tone error"]
    good = {m.name: m for m in report("good").measurements}["grey wedge: largest tone error"]
    assert not dark.ok
    assert good.ok
    assert len(report("good").tone) == len(report("dark").tone) == 11


def test_a_report_reads_back_from_its_json_unchanged() -> None:
    """A stored report (line pairs beyond the scan's resolution have no value) reads back equal."""
    r = report("good")
    assert any(np.isnan(m.value) for m in r.measurements)
    again = ScannerReport.model_validate_json(r.model_dump_json())
    assert again.model_dump_json() == r.model_dump_json()
    assert [m.ok for m in again.measurements] == [m.ok for m in r.measurements]
