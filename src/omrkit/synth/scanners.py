"""Simulated scanners with one known fault each, for proving the scanner check.

A :class:`ScannerModel` is a tidy scanner (fixed optics, little noise, no
random placement) plus at most a few deliberate faults: a tone curve that
darkens the mid-tones, extra optical blur, a fixed skew and a stretch along
the feed, and a dark streak down the page (a dirty glass or a worn sensor
element). :data:`SCANNERS` names the five the acceptance tests use.

The faults are applied after the ordinary print-scan simulation of
:mod:`omrkit.synth.simulate`; the ground-truth fill fractions do not change,
and the truth homography is updated for the geometric fault.
"""

from __future__ import annotations

import math
from dataclasses import replace

import cv2
import numpy as np
import numpy.typing as npt
from pydantic import Field

from omrkit.layout.models import SheetLayout, load_layout
from omrkit.synth.profiles import DegradationProfile, FillProfile, SynthSettings
from omrkit.synth.simulate import SyntheticSheet, synthesize_sheet

__all__ = ["BLANK_FILL", "SCANNERS", "ScannerModel", "scan_sheet"]

_GREY_MAX = 255.0
MM_PER_INCH = 25.4

#: A calibration sheet is scanned as printed: nobody writes on it.
BLANK_FILL = FillProfile(
    blank_prob=1.0,
    double_prob=0.0,
    partial_prob=0.0,
    stroke_prob=0.0,
    ghost_prob=0.0,
    dot_prob=0.0,
)


class ScannerModel(SynthSettings):
    """A scanner's optics, tone and feed, with optional faults."""

    name: str
    blur_sigma_mm: float = Field(default=0.05, ge=0, le=1, description="optical blur")
    noise_sigma: float = Field(default=2.0, ge=0, le=20, description="sensor noise, grey")
    paper_level: float = Field(default=241.0, ge=0, le=255)
    black_level: float = Field(default=17.0, ge=0, le=255)
    midtone_darkening: float = Field(
        default=0.0, ge=0, le=0.3, description="mid-grey reads this share of full scale darker"
    )
    skew_deg: float = Field(default=0.0, ge=-10, le=10, description="fixed feed skew")
    stretch_y_pct: float = Field(default=0.0, ge=-10, le=10, description="stretch along the feed")
    streak_x_mm: float | None = Field(default=None, description="centre of a dark streak")
    streak_width_mm: float = Field(default=4.0, gt=0, le=50)
    streak_darkening: float = Field(default=0.0, ge=0, le=1, description="share of light lost")

    def degradation(self) -> DegradationProfile:
        """The ordinary print-scan part: fixed levels and optics, the page where it is fed."""
        return DegradationProfile(
            name=self.name,
            translation_mm=1.0,
            margin_mm=8.0,
            blur_sigma_mm=(self.blur_sigma_mm, self.blur_sigma_mm),
            noise_sigma=(self.noise_sigma, self.noise_sigma),
            paper_level=(self.paper_level, self.paper_level),
            black_level=(self.black_level, self.black_level),
            lid_level=self.paper_level,
        )

    def tone_lut(self) -> npt.NDArray[np.uint8]:
        """(256,) grey -> grey: mid-tones darkened by ``midtone_darkening``, ends kept."""
        r = np.arange(256) / _GREY_MAX
        out = _GREY_MAX * (r - self.midtone_darkening * np.sin(np.pi * r))
        return np.asarray(np.clip(np.round(out), 0, _GREY_MAX), dtype=np.uint8)


#: The five scanners of the acceptance tests: one good, four with one fault each.
SCANNERS: dict[str, ScannerModel] = {
    "good": ScannerModel(name="good"),
    "dark": ScannerModel(name="dark", midtone_darkening=0.15),
    # 2 px at 200 dpi.
    "blurred": ScannerModel(name="blurred", blur_sigma_mm=2 * MM_PER_INCH / 200),
    "skewed": ScannerModel(name="skewed", skew_deg=2.0, stretch_y_pct=2.0),
    "streak": ScannerModel(name="streak", streak_x_mm=100.0, streak_darkening=0.3),
}


def scan_sheet(
    layout: SheetLayout | str,
    scanner: ScannerModel,
    *,
    seed: int,
    dpi: int = 200,
    fill: FillProfile | None = None,
) -> SyntheticSheet:
    """Simulate one sheet scanned by ``scanner``.

    Parameters
    ----------
    layout : SheetLayout or str
    scanner : ScannerModel
    seed : int
    dpi : int
    fill : FillProfile, optional
        Marks to simulate; :data:`BLANK_FILL` for a calibration sheet.

    Returns
    -------
    SyntheticSheet
        ``jpeg`` is None: the faults are applied to the decoded pixels.
    """
    sheet_layout = load_layout(layout)
    sheet = synthesize_sheet(
        sheet_layout, seed=seed, dpi=dpi, profile=scanner.degradation(), fill=fill
    )
    image = sheet.image
    truth = sheet.truth
    if scanner.skew_deg or scanner.stretch_y_pct:
        image, move = _skew_and_stretch(image, scanner.skew_deg, scanner.stretch_y_pct)
        truth = replace(truth, homography=move @ truth.homography)
    if scanner.midtone_darkening:
        image = scanner.tone_lut()[image]
    if scanner.streak_x_mm is not None and scanner.streak_darkening:
        image = _streak(image, truth.homography, scanner)
    return SyntheticSheet(np.ascontiguousarray(image), truth, None)


def _skew_and_stretch(
    image: npt.NDArray[np.uint8], skew_deg: float, stretch_y_pct: float
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.float64]]:
    """Rotate about the centre and stretch along y; returns the image and the move (3, 3)."""
    h, w = image.shape
    a = math.radians(skew_deg)
    stretch = np.diag([1.0, 1.0 + stretch_y_pct / 100, 1.0])
    rotate = np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])
    centre = np.array([[1, 0, w / 2], [0, 1, h / 2], [0, 0, 1.0]])
    move = centre @ stretch @ rotate @ np.linalg.inv(centre)
    new_h = round(h * (1 + stretch_y_pct / 100))
    # Continuous coordinates: pixel centres at +0.5, as the homographies use.
    half = np.array([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1.0]])
    to_index = np.linalg.inv(half) @ move @ half
    warped = cv2.warpAffine(
        image, to_index[:2], (w, new_h), flags=cv2.INTER_LINEAR, borderValue=int(image[0, 0])
    )
    return np.asarray(warped, dtype=np.uint8), move


def _streak(
    image: npt.NDArray[np.uint8], homography: npt.NDArray[np.float64], scanner: ScannerModel
) -> npt.NDArray[np.uint8]:
    """Darken a band of image columns down the page, where page x = ``streak_x_mm``."""
    assert scanner.streak_x_mm is not None
    px_per_mm = float(np.hypot(homography[0, 0], homography[1, 0]))
    centre = homography @ np.array([scanner.streak_x_mm, 0.0, 1.0])
    x0 = round(centre[0] / centre[2] - scanner.streak_width_mm * px_per_mm / 2)
    x1 = x0 + round(scanner.streak_width_mm * px_per_mm)
    out = image.astype(np.float32)
    out[:, max(x0, 0) : max(x1, 0)] *= 1.0 - scanner.streak_darkening
    return np.asarray(np.round(out), dtype=np.uint8)
