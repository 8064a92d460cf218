"""What a scanner check learns and judges by: :class:`ScannerProfile`, :class:`Tolerances`.

A profile holds the scanner's tone (measured darkness of the grey wedge's
known printed greys, as a share of the paper-to-black range) and its residual fill response
(measured fill -> printed fill, for dark ink), both monotone. Reading with a
profile first maps each pixel's darkness back through the tone curve (a
256-entry table per sheet, outside the compiled kernel), then maps each fill
ratio through the fill curve. It is saved as JSON, validated on load, and
identified by the SHA-256 of that JSON, which every reading records.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Self

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["PROFILE_VERSION", "ScannerProfile", "Tolerances"]

#: 2: tone from the 11-step grey wedge, resolution from slanted edges and line pairs.
PROFILE_VERSION = 2
_GREY_MAX = 255.0


class Tolerances(BaseModel):
    """Limits a scanner must meet; versioned so a report says what it was judged by."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = PROFILE_VERSION
    min_paper_level: float = Field(default=200.0, description="grey of blank paper, at least")
    max_ink_level: float = Field(default=60.0, description="grey of printed black, at most")
    max_grey_error: float = Field(
        default=0.06, description="mid-grey reference darkness off its print, share of range"
    )
    max_threshold_error: float = Field(
        default=0.03, description="|measured - printed| fill at 50 %, dark ink"
    )
    max_response_error: float = Field(
        default=0.05, description="largest |measured - printed| fill, dark ink"
    )
    max_tone_error: float = Field(
        default=0.06, description="grey wedge: largest |measured - printed| darkness, of range"
    )
    max_blur_mm: float = Field(default=0.15, description="Gaussian blur sigma of an edge")
    min_mtf50_cyc_per_mm: float = Field(
        default=1.25, description="slanted-edge MTF50 across x and across y, cycles per mm"
    )
    min_modulation: tuple[tuple[float, float], ...] = Field(
        default=((1.0, 0.5), (2.0, 0.3)),
        description="(line pairs per mm, least modulation) judged; other groups are shown only",
    )
    max_skew_deg: float = Field(default=1.0)
    max_scale_error_pct: float = Field(default=1.0, description="x/y scale mismatch")
    max_residual_mm: float = Field(default=0.3, description="largest residual of the fits")
    max_paper_deficit: float = Field(
        default=0.08, description="darkest paper column below the page median, share of range"
    )


class ScannerProfile(BaseModel):
    """A scanner's learned tone and fill response.

    Attributes
    ----------
    scanner : str
        Who the profile belongs to, as the operator names the scanner.
    paper_level, ink_level : float
        Grey of paper and printed black on the calibration scans.
    tone_measured, tone_printed : tuple of float
        Knots of the tone curve: darkness read for each printed darkness,
        0..1 of the paper-to-black range, increasing, from 0 to 1.
    fill_measured, fill_printed : tuple of float
        Knots of the residual fill response (dark ink), increasing, 0 to 1.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = PROFILE_VERSION
    scanner: str = ""
    paper_level: float = Field(ge=0, le=255)
    ink_level: float = Field(ge=0, le=255)
    tone_measured: tuple[float, ...]
    tone_printed: tuple[float, ...]
    fill_measured: tuple[float, ...]
    fill_printed: tuple[float, ...]

    @model_validator(mode="after")
    def _check_curves(self) -> Self:
        for name in ("tone", "fill"):
            xs = np.asarray(getattr(self, f"{name}_measured"))
            ys = np.asarray(getattr(self, f"{name}_printed"))
            if xs.size < 2 or xs.size != ys.size:
                raise ValueError(f"{name} curve needs two or more knot pairs of equal length")
            if xs[0] != 0 or xs[-1] != 1 or ys[0] != 0 or ys[-1] != 1:
                raise ValueError(f"{name} curve must run from (0, 0) to (1, 1)")
            if np.any(np.diff(xs) <= 0) or np.any(np.diff(ys) < 0):
                raise ValueError(f"{name} curve must be monotone (measured strictly increasing)")
        return self

    @property
    def hash(self) -> str:
        """SHA-256 of the profile's JSON: what a reading records."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()

    def save(self, path: str | Path) -> None:
        """Write the profile as JSON."""
        Path(path).write_text(self.model_dump_json(indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> ScannerProfile:
        """Read and validate a profile written by :meth:`save`."""
        return cls.model_validate_json(Path(path).read_text(encoding="utf-8"))

    def tone_table(self, paper_level: float, ink_level: float) -> npt.NDArray[np.uint8]:
        """(256,) grey -> corrected grey for a sheet with these levels.

        A grey's darkness ``(paper - g) / (paper - ink)`` is mapped from what
        this scanner reads to what was printed; paper and black stay put.
        """
        grey = np.arange(256, dtype=np.float64)
        contrast = max(paper_level - ink_level, 1.0)
        darkness = np.clip((paper_level - grey) / contrast, 0.0, 1.0)
        true = np.interp(darkness, self.tone_measured, self.tone_printed)
        out = np.where(grey >= paper_level, grey, paper_level - true * contrast)
        out = np.where(grey <= ink_level, grey, out)
        return np.asarray(np.clip(np.round(out), 0, _GREY_MAX), dtype=np.uint8)

    def correct_fills(self, fills: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """(N,) fill ratios mapped through the fill response, still in [0, 1] (NaN kept)."""
        out = np.interp(fills, self.fill_measured, self.fill_printed)
        return np.where(np.isnan(fills), np.nan, np.clip(out, 0.0, 1.0))
