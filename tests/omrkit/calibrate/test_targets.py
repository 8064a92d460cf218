"""Slanted-edge MTF, the wedge's tone curve and line-pair modulation against known optics."""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest

from omrkit.calibrate.measure import register_calibration
from omrkit.calibrate.targets import TargetMeasurement, edge_mtf, measure_targets
from omrkit.layout.models import load_layout
from omrkit.synth.scanners import BLANK_FILL, SCANNERS, scan_sheet

CALIBRATION = "calibration/scanner-check"
#: MTF50 of a Gaussian blur of sigma mm, cycles/mm.
GAUSS_MTF50 = math.sqrt(math.log(2) / 2) / math.pi


def _gaussian_mtf(sigma_mm: float, f: float) -> float:
    return math.exp(-2 * (math.pi * sigma_mm * f) ** 2)


@functools.cache
def _measured(scanner: str) -> TargetMeasurement:
    layout = load_layout(CALIBRATION)
    image = scan_sheet(layout, SCANNERS[scanner], seed=3, fill=BLANK_FILL).image
    registration, levels = register_calibration(image, layout, source=scanner)
    return measure_targets(image, registration, layout, levels)


@pytest.mark.parametrize("sigma_mm", [0.08, 0.15, 0.3])
def test_edge_mtf_of_a_gaussian_edge_is_the_gaussian_mtf50(sigma_mm: float) -> None:
    """Noise-free samples of an erf edge give MTF50 within 3 % and the blur within 3 %."""
    rng = np.random.default_rng(1)
    across = rng.uniform(-2.0, 2.0, 20_000)
    value = 0.5 * (1 + np.vectorize(math.erf)(across / (sigma_mm * math.sqrt(2))))
    result = edge_mtf(across, value, 0.25 / 8)
    assert result is not None
    mtf50, rise = result
    assert mtf50 == pytest.approx(GAUSS_MTF50 / sigma_mm, rel=0.03)
    assert rise / 2.563 == pytest.approx(sigma_mm, rel=0.03)


def test_edge_mtf_sees_no_edge_in_flat_samples() -> None:
    """Paper everywhere has no edge: None, not a number."""
    across = np.linspace(-1, 1, 2000)
    assert edge_mtf(across, np.ones_like(across), 0.03) is None


def test_blurred_scanner_mtf50_and_line_pairs_match_its_gaussian() -> None:
    """sigma = 0.254 mm: MTF50 within 10 % of 0.74 cycles/mm, 1 lp/mm modulation within 0.05."""
    sigma = SCANNERS["blurred"].blur_sigma_mm
    m = _measured("blurred")
    print(f"blurred: MTF50 x {m.mtf50_x:.3f} y {m.mtf50_y:.3f}, blur {m.blur_mm:.3f} mm,"
          f" modulation {m.modulation}")  # fmt: skip
    for mtf50 in (m.mtf50_x, m.mtf50_y):
        assert mtf50 == pytest.approx(GAUSS_MTF50 / sigma, rel=0.10)
    for across in "xy":
        assert m.modulation[(across, 1.0)] == pytest.approx(_gaussian_mtf(sigma, 1.0), abs=0.05)


def test_line_pairs_and_edges_agree_on_the_sharper_direction() -> None:
    """On the good scanner the two methods rank the x and y directions the same way."""
    m = _measured("good")
    print(f"good: MTF50 x {m.mtf50_x:.3f} y {m.mtf50_y:.3f}, modulation {m.modulation}")
    assert (m.mtf50_x < m.mtf50_y) == (m.modulation[("x", 2.0)] < m.modulation[("y", 2.0)])
    assert m.modulation[("x", 1.0)] > m.modulation[("x", 2.0)] > m.modulation[("x", 3.0)]


def test_line_pairs_beyond_nyquist_are_not_measured() -> None:
    """4 lp/mm is beyond a 200 dpi scan's Nyquist frequency (3.94 cycles/mm): NaN."""
    assert math.isnan(_measured("good").modulation[("x", 4.0)])


def test_wedge_tone_is_the_identity_on_a_good_scanner_and_darker_on_a_dark_one() -> None:
    """Good: every step within 0.01 of its print. Dark: mid-tones read darker, ends kept."""
    good, dark = _measured("good").tone, _measured("dark").tone
    assert np.abs(good[:, 1] - good[:, 0]).max() < 0.01
    excess = dark[:, 1] - dark[:, 0]
    assert excess[len(excess) // 2] > 0.1
    assert abs(excess[0]) < 0.01
    assert abs(excess[-1]) < 0.01
