"""The scanner check: scans of the calibration sheet in, a verdict with reasons out.

Implements UNT-SCAN-1 and UNT-GEN-7 (the scanner pre-check with control
sheets), judged by the 50 % rule of UNT-SCORE-1.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from omrkit.calibrate.measure import ScanMeasurement, measure_scan, printed_grey_darkness
from omrkit.calibrate.optics import Geometry, measure_geometry
from omrkit.calibrate.profile import ScannerProfile, Tolerances
from omrkit.calibrate.targets import TargetMeasurement, measure_targets
from omrkit.decide import MARK_THRESHOLD
from omrkit.decode.images import decode_image, read_source_bytes
from omrkit.errors import CalibrationError
from omrkit.layout.models import PrefillTone, SheetLayout, load_layout

__all__ = ["CALIBRATION_LAYOUT", "Measurement", "Reason", "ScannerReport", "check_scanner"]

CALIBRATION_LAYOUT = "calibration/scanner-check"
#: Prefills either side of the rule: each must land on its own side of 50 %.
BELOW, ABOVE = 0.45, 0.55

Scan = str | Path | bytes | npt.NDArray[np.uint8]


class Reason(StrEnum):
    """Why a scanner fails."""

    LEVELS = "levels"
    RESPONSE = "response"
    RESOLUTION = "resolution"
    GEOMETRY = "geometry"
    UNIFORMITY = "uniformity"


class Measurement(BaseModel):
    """One line of the report: a value, its limit, which way, and the reason it belongs to.

    A line without a ``limit`` is shown, not judged (a line-pair group the
    tolerances do not name); it is always ``ok``.
    """

    # A line-pair group beyond the scan's resolution has no value (NaN): kept as
    # the string "NaN" in JSON, so a stored report reads back as it was.
    model_config = ConfigDict(frozen=True, extra="forbid", ser_json_inf_nan="strings")

    name: str
    value: float
    limit: float | None
    at_most: bool
    unit: str
    reason: Reason

    @property
    def ok(self) -> bool:
        if self.limit is None:
            return True
        return bool(self.value <= self.limit if self.at_most else self.value >= self.limit)


class ScannerReport(BaseModel):
    """What the check found: measurements, verdict, reasons, and the learned profile."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scanner: str
    sources: tuple[str, ...]
    tolerances: Tolerances
    measurements: tuple[Measurement, ...]
    response: dict[str, tuple[tuple[float, float], ...]]
    tone: tuple[tuple[float, float], ...] = ()
    paper_map: tuple[tuple[float, ...], ...]
    profile: ScannerProfile

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """Failing reasons, each once, in the order of :class:`Reason`."""
        bad = {m.reason for m in self.measurements if not m.ok}
        return tuple(r for r in Reason if r in bad)

    @property
    def passed(self) -> bool:
        return not self.reasons

    @property
    def verdict(self) -> str:
        return "pass" if self.passed else "fail"


def check_scanner(
    scans: Sequence[Scan],
    *,
    layout: SheetLayout | str = CALIBRATION_LAYOUT,
    scanner: str = "",
    dpi: float | None = None,
    tolerances: Tolerances | None = None,
) -> ScannerReport:
    """Check a scanner from one or more scans of the calibration sheet.

    Implements UNT-SCAN-1. Implements UNT-GEN-7.

    Parameters
    ----------
    scans : sequence of path, bytes or (H, W) ndarray of uint8
    layout : SheetLayout or str
        The calibration layout (``"calibration/scanner-check"``).
    scanner : str
        The scanner's name, for the report and the profile.
    dpi : float, optional
        Nominal resolution; the scale error is then absolute, else x against y.
    tolerances : Tolerances, optional

    Returns
    -------
    ScannerReport

    Raises
    ------
    CalibrationError
        If a scan is not a whole, readable calibration sheet (another sheet,
        part of a page, a blank page, a photo of something else).
    ValueError
        If ``scans`` is empty.
    """
    if not scans:
        raise ValueError("scans must hold at least one scan of the calibration sheet")
    sheet = load_layout(layout)
    limits = tolerances or Tolerances()
    images, sources = [], []
    for k, scan in enumerate(scans):
        source = str(scan) if isinstance(scan, str | Path) else f"scan {k + 1}"
        images.append(_decode(scan, sheet, source))
        sources.append(source)
    raw = [measure_scan(im, sheet, source=s) for im, s in zip(images, sources, strict=True)]
    optics = [
        (
            _targets(im, m, sheet, s),
            measure_geometry(im, m.registration, sheet, m.levels, dpi=dpi),
        )
        for im, m, s in zip(images, raw, sources, strict=True)
    ]
    tone = np.mean([t.tone for t, _ in optics], axis=0)
    profile = _learn_profile(images, raw, sheet, sources, scanner, tone)
    return ScannerReport(
        scanner=scanner,
        sources=tuple(sources),
        tolerances=limits,
        measurements=_measurements(raw, optics, limits),
        response={
            tone: tuple((float(a), float(b)) for a, b in _pooled(raw, tone))
            for tone in raw[0].response
        },
        tone=tuple((float(a), float(b)) for a, b in tone),
        paper_map=tuple(tuple(map(float, row)) for row in np.mean([m.paper_map for m in raw], 0)),
        profile=profile,
    )


def _decode(scan: Scan, layout: SheetLayout, source: str) -> npt.NDArray[np.uint8]:
    if isinstance(scan, np.ndarray):
        if scan.dtype != np.uint8 or scan.ndim != 2:
            raise TypeError(f"a scan array must be (H, W) uint8, got {scan.dtype} {scan.shape}")
        return np.ascontiguousarray(scan)
    path = None if isinstance(scan, bytes) else str(scan)
    data = read_source_bytes(scan, path=path)
    return decode_image(data, dropout_color=layout.dropout_color, path=path)


def _targets(
    image: npt.NDArray[np.uint8], m: ScanMeasurement, layout: SheetLayout, source: str
) -> TargetMeasurement:
    try:
        return measure_targets(image, m.registration, layout, m.levels)
    except CalibrationError as exc:
        raise CalibrationError(
            f"not a usable scan of the {layout.layout_id!r} sheet: {exc.message}",
            path=source,
            field=exc.field,
        ) from exc


def _pooled(raw: Sequence[ScanMeasurement], tone: str) -> npt.NDArray[np.float64]:
    """(K, 2) printed fraction and the mean over scans of the median measured fill."""
    stacked = np.stack([m.response[tone] for m in raw])
    return np.asarray(stacked.mean(axis=0), dtype=np.float64)


def _at(curve: npt.NDArray[np.float64], fraction: float) -> float:
    row = np.flatnonzero(np.isclose(curve[:, 0], fraction))
    if row.size == 0:
        raise CalibrationError(f"the calibration layout has no {fraction:.0%} prefill")
    return float(curve[row[0], 1])


def _measurements(
    raw: Sequence[ScanMeasurement],
    optics: Sequence[tuple[TargetMeasurement, Geometry]],
    t: Tolerances,
) -> tuple[Measurement, ...]:
    dark = _pooled(raw, PrefillTone.DARK.value)
    paper = min(m.levels.paper for m in raw)
    ink = max(m.levels.ink for m in raw)
    grey = float(np.mean([m.grey_darkness for m in raw]))
    blur = max(r.blur_mm for r, _ in optics)
    tone = np.mean([r.tone for r, _ in optics], axis=0)
    g = [geo for _, geo in optics]
    deficit = max(float(m.paper_columns.max()) for m in raw)
    below, above = _at(dark, BELOW), _at(dark, ABOVE)
    rows = [
        ("paper white", paper, t.min_paper_level, False, "grey", Reason.LEVELS),
        ("ink black", ink, t.max_ink_level, True, "grey", Reason.LEVELS),
        ("mid-grey error", abs(grey - printed_grey_darkness()), t.max_grey_error, True,
         "of range", Reason.LEVELS),
        ("grey wedge: largest tone error", float(np.abs(tone[:, 1] - tone[:, 0]).max()),
         t.max_tone_error, True, "of range", Reason.LEVELS),
        ("fill error at 50 %", abs(_at(dark, MARK_THRESHOLD) - MARK_THRESHOLD),
         t.max_threshold_error, True, "fill", Reason.RESPONSE),
        ("largest fill error", float(np.abs(dark[:, 1] - dark[:, 0]).max()),
         t.max_response_error, True, "fill", Reason.RESPONSE),
        ("45 % patch reads", below, MARK_THRESHOLD, True, "fill", Reason.RESPONSE),
        ("55 % patch reads", above, MARK_THRESHOLD, False, "fill", Reason.RESPONSE),
        ("edge blur sigma", blur, t.max_blur_mm, True, "mm", Reason.RESOLUTION),
        ("MTF50 across x (slanted edges)", min(r.mtf50_x for r, _ in optics),
         t.min_mtf50_cyc_per_mm, False, "cycles/mm", Reason.RESOLUTION),
        ("MTF50 across y (slanted edges)", min(r.mtf50_y for r, _ in optics),
         t.min_mtf50_cyc_per_mm, False, "cycles/mm", Reason.RESOLUTION),
        *_bar_rows(optics, t),
        ("skew", max(abs(x.skew_deg) for x in g), t.max_skew_deg, True, "deg", Reason.GEOMETRY),
        ("scale error", max(x.scale_error_pct for x in g), t.max_scale_error_pct, True, "%",
         Reason.GEOMETRY),
        ("projective residual", max(x.projective_residual_mm for x in g), t.max_residual_mm,
         True, "mm", Reason.GEOMETRY),
        ("polynomial residual", max(x.polynomial_residual_mm for x in g), t.max_residual_mm,
         True, "mm", Reason.GEOMETRY),
        ("darkest paper column", deficit, t.max_paper_deficit, True, "of range",
         Reason.UNIFORMITY),
    ]  # fmt: skip
    return tuple(
        Measurement(name=n, value=v, limit=lim, at_most=most, unit=u, reason=r)
        for n, v, lim, most, u, r in rows
    )


def _bar_rows(
    optics: Sequence[tuple[TargetMeasurement, Geometry]], t: Tolerances
) -> list[tuple[str, float, float | None, bool, str, Reason]]:
    """Per line-pair frequency, the lower modulation of x and y, worst scan; judged if named."""
    limits = dict(t.min_modulation)
    groups = sorted({lp for r, _ in optics for _, lp in r.modulation})
    rows = []
    for lp in groups:
        value = min(
            (v for r, _ in optics for (_, f), v in r.modulation.items() if f == lp),
            key=lambda v: -np.inf if np.isnan(v) else v,
        )
        rows.append((f"line pairs {lp:g}/mm: modulation", float(value), limits.get(lp), False,
                     "of full", Reason.RESOLUTION))  # fmt: skip
    return rows


def _learn_profile(
    images: Sequence[npt.NDArray[np.uint8]],
    raw: Sequence[ScanMeasurement],
    layout: SheetLayout,
    sources: Sequence[str],
    scanner: str,
    wedge: npt.NDArray[np.float64],
) -> ScannerProfile:
    """Tone from the grey wedge; the fill response re-measured through that tone.

    ``wedge`` is (K, 2): printed and measured darkness per step, pooled over
    the scans. The measured side is made strictly increasing (a step that
    reads no darker than the one before is dropped) and pinned to 0 and 1.
    """
    measured_t, printed_t = _monotone_knots(wedge[:, 1], wedge[:, 0])
    tone = ScannerProfile(
        scanner=scanner,
        paper_level=float(np.median([m.levels.paper for m in raw])),
        ink_level=float(np.median([m.levels.ink for m in raw])),
        tone_measured=measured_t,
        tone_printed=printed_t,
        fill_measured=(0.0, 1.0),
        fill_printed=(0.0, 1.0),
    )
    corrected = [
        measure_scan(im, layout, source=s, tone_table=tone.tone_table(m.levels.paper, m.levels.ink))
        for im, m, s in zip(images, raw, sources, strict=True)
    ]
    curve = _pooled(corrected, PrefillTone.DARK.value)
    xs, ys = _monotone_knots(curve[:, 1], curve[:, 0])
    return ScannerProfile.model_validate(
        {**tone.model_dump(), "fill_measured": xs, "fill_printed": ys}
    )


def _monotone_knots(
    measured: npt.NDArray[np.float64], printed: npt.NDArray[np.float64]
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Knots from (0, 0) to (1, 1), measured strictly increasing, of a measured curve."""
    xs = np.concatenate([[0.0], np.maximum.accumulate(np.clip(measured[1:-1], 0, 1)), [1.0]])
    ys = np.concatenate([[0.0], printed[1:-1], [1.0]])
    keep = np.concatenate([[True], np.diff(xs) > 0])
    xs, ys = xs[keep], ys[keep]
    if xs[-1] != 1.0:
        xs, ys = np.append(xs[:-1], 1.0), np.append(ys[:-1], 1.0)
    return tuple(map(float, xs)), tuple(map(float, ys))
