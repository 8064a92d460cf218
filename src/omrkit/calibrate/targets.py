"""The sheet's test targets measured on a scan: MTF from slanted edges, tone, line pairs.

*Slanted edges* (ISO 12233 style): each side of a turned black rectangle
gives an edge-spread function (ESF). Image pixels near the side's middle are
placed by their distance from it, in page mm through the registration; the
5° tilt spreads them over all sub-pixel phases, so binned at a quarter pixel
they sample the ESF four times finer than the pixel grid. Its derivative is
the line-spread function (LSF), windowed about its centre (a Tukey window); the
modulus of its Fourier transform, normalised at zero and divided by the
derivative's own ``sinc``, is the MTF. MTF50 is where it first falls to 0.5,
in cycles per mm, per edge direction (the median over the sheet's edges).
The ESF's 10-90 % rise also gives the blur of an equivalent Gaussian,
``sigma = rise / 2.563``.

*The grey wedge* gives the tone curve: the median darkness of each step's
core against the darkness printed there, both as shares of paper-to-black.

*Line pairs*: the darkness across a bar group is fitted by a square wave's
fundamental and third harmonic at the printed frequency (least squares over
every pixel, so no resampling blurs it); the fundamental's amplitude over a
perfect square wave's, ``2 / pi``, is the modulation, the MTF at that
frequency. Groups at or above ``NYQUIST_SHARE`` of the scan's Nyquist
frequency alias and are not measured (NaN).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from omrkit.errors import CalibrationError
from omrkit.layout.models import SheetLayout
from omrkit.layout.targets import (
    PrintedTarget,
    TargetKind,
    edge_corners_mm,
    wedge_steps,
)
from omrkit.registration.codes import Levels
from omrkit.registration.homography import apply_homography
from omrkit.registration.register import Registration

__all__ = ["TargetMeasurement", "edge_mtf", "measure_targets"]

#: 10-90 % rise of a Gaussian edge, in sigmas.
RISE_10_90_SIGMAS = 2.563
#: Share of a side's length sampled about its middle, and reach across it, mm.
EDGE_ALONG_SHARE = 0.7
EDGE_ACROSS_MM = 1.9
#: ESF bin, in pixels: four samples per pixel (the ISO 12233 oversampling).
ESF_BIN_PX = 0.25
#: Share of the ESF at each end taken as its ink and paper plateaus.
PLATEAU_SHARE = 0.2
#: The LSF window (Tukey) is flat over this share of its half-width, then falls
#: as a cosine to zero at the ends: it quiets the noisy tails without
#: narrowing a wide LSF (a Hamming window overstates MTF50 by ~5 % at 0.3 mm).
WINDOW_FLAT = 0.5
#: The LSF is zero-padded to this many times its length before the FFT.
FFT_PAD = 4
MTF_HALF = 0.5
#: Inset of a wedge step's or bar group's core from its printed outline, mm.
WEDGE_INSET_MM = (1.0, 1.0)
BAR_INSET_MM = 0.5
#: A bar group is measured only below this share of the Nyquist frequency.
NYQUIST_SHARE = 0.9
#: Fundamental amplitude of a 0..1 square wave.
SQUARE_FUNDAMENTAL = 2 / math.pi
#: Fewest edges per direction for an MTF50.
MIN_EDGES = 2


@dataclass(frozen=True, slots=True)
class TargetMeasurement:
    """What a scan's test targets say.

    Attributes
    ----------
    mtf50_x, mtf50_y : float
        MTF50 of edges across x (upright edges) and across y, cycles per mm.
    blur_mm : float
        Gaussian sigma equivalent to the edges' median 10-90 % rise, mm.
    tone : (K, 2) ndarray of float64
        Per wedge step: printed darkness and measured darkness, 0..1 of paper-to-black.
    modulation : dict of (str, float) to float
        Per bar group ``(across, lp_per_mm)``: modulation 0..1, NaN above Nyquist.
    """

    mtf50_x: float
    mtf50_y: float
    blur_mm: float
    tone: npt.NDArray[np.float64]
    modulation: dict[tuple[str, float], float]


def measure_targets(
    image: npt.NDArray[np.uint8], registration: Registration, layout: SheetLayout, levels: Levels
) -> TargetMeasurement:
    """Measure every test target of ``layout`` on one registered scan.

    Raises
    ------
    CalibrationError
        If the layout has no slanted edges or no wedge, or too few edges are
        on the scan to measure.
    """
    h = registration.homography
    inverse = np.asarray(np.linalg.inv(h), dtype=np.float64)
    scale = registration.quality.scale
    contrast = max(levels.paper - levels.ink, 1.0)
    darkness = (levels.paper - image.astype(np.float64)) / contrast
    mtf = {"x": [], "y": []}  # type: dict[str, list[float]]
    rises: list[float] = []
    tone: list[tuple[float, float]] = []
    modulation: dict[tuple[str, float], float] = {}
    for t in layout.targets:
        if t.kind is TargetKind.EDGE:
            for axis, (mtf50, rise) in _edge_sides(darkness, h, inverse, t, scale):
                mtf[axis].append(mtf50)
                rises.append(rise)
        elif t.kind is TargetKind.WEDGE:
            tone += _wedge(darkness, h, inverse, t)
        else:
            modulation[(t.across, t.lp_per_mm)] = _bars(darkness, h, inverse, t, scale)
    if min(len(mtf["x"]), len(mtf["y"])) < MIN_EDGES or not tone:
        raise CalibrationError(
            "the scan shows too few slanted edges or no grey wedge to measure", field="targets"
        )
    return TargetMeasurement(
        mtf50_x=float(np.median(mtf["x"])),
        mtf50_y=float(np.median(mtf["y"])),
        blur_mm=float(np.median(rises)) / RISE_10_90_SIGMAS,
        tone=np.array(tone, dtype=np.float64),
        modulation=modulation,
    )


def _pixels(
    darkness: npt.NDArray[np.float64],
    h: npt.NDArray[np.float64],
    inverse: npt.NDArray[np.float64],
    corners_mm: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]] | None:
    """Page mm (N, 2) of the pixel centres around a page region, and their darkness (N,)."""
    px = apply_homography(h, corners_mm)
    x0, y0 = np.floor(px.min(axis=0)).astype(int)
    x1, y1 = np.ceil(px.max(axis=0)).astype(int) + 1
    if x0 < 0 or y0 < 0 or x1 > darkness.shape[1] or y1 > darkness.shape[0]:
        return None
    ys, xs = np.mgrid[y0:y1, x0:x1]
    # Continuous coordinates: pixel centres at +0.5, as the homographies use.
    mm = apply_homography(inverse, np.column_stack([xs.ravel() + 0.5, ys.ravel() + 0.5]))
    return mm, darkness[y0:y1, x0:x1].ravel()


def _edge_sides(
    darkness: npt.NDArray[np.float64],
    h: npt.NDArray[np.float64],
    inverse: npt.NDArray[np.float64],
    t: PrintedTarget,
    scale: float,
) -> list[tuple[str, tuple[float, float]]]:
    """(axis, (MTF50 cycles/mm, 10-90 % rise mm)) for each measurable side of an edge target."""
    corners = np.array(edge_corners_mm(t))
    centre = corners.mean(axis=0)
    out = []
    for k in range(4):
        a, b = corners[k], corners[(k + 1) % 4]
        middle, along = (a + b) / 2, (b - a) / np.linalg.norm(b - a)
        normal = np.array([along[1], -along[0]])
        if normal @ (middle - centre) < 0:
            normal = -normal  # pointing from ink out to paper
        reach = EDGE_ALONG_SHARE * float(np.linalg.norm(b - a)) / 2
        box = np.array([middle + s * reach * along + r * EDGE_ACROSS_MM * normal
                        for s, r in ((-1, -1), (-1, 1), (1, 1), (1, -1))])  # fmt: skip
        sample = _pixels(darkness, h, inverse, box)
        if sample is None:
            continue
        mm, dark = sample
        across, side = (mm - middle) @ normal, (mm - middle) @ along
        keep = (np.abs(across) < EDGE_ACROSS_MM) & (np.abs(side) < reach)
        result = edge_mtf(across[keep], 1.0 - dark[keep], ESF_BIN_PX / scale)
        if result is not None:
            out.append(("x" if abs(normal[0]) > abs(normal[1]) else "y", result))
    return out


def edge_mtf(
    across_mm: npt.NDArray[np.float64], value: npt.NDArray[np.float64], bin_mm: float
) -> tuple[float, float] | None:
    """MTF50 (cycles/mm) and 10-90 % rise (mm) of one edge's samples.

    Parameters
    ----------
    across_mm : (N,) ndarray of float64
        Signed distance of each sample from the edge, ink side negative, mm.
    value : (N,) ndarray of float64
        Brightness of each sample, 0 ink .. 1 paper.
    bin_mm : float
        ESF bin width, mm (a quarter of a pixel).

    Returns
    -------
    (float, float) or None
        None when the samples leave a gap in the ESF or show no edge.
    """
    bins = np.floor((across_mm - across_mm.min()) / bin_mm).astype(int)
    counts = np.bincount(bins)
    if counts.size < 8 or np.mean(counts == 0) > PLATEAU_SHARE:
        return None
    used = counts > 0
    centres = (np.arange(counts.size) + 0.5) * bin_mm + across_mm.min()
    esf = np.interp(centres, centres[used], np.bincount(bins, weights=value)[used] / counts[used])
    end = max(round(PLATEAU_SHARE * esf.size), 1)
    low, high = esf[:end].mean(), esf[-end:].mean()
    if high - low <= 0:
        return None
    norm = (esf - low) / (high - low)
    rising = np.maximum.accumulate(norm)
    rise = float(np.interp(0.9, rising, centres) - np.interp(0.1, rising, centres))
    lsf = np.diff(norm)
    peak = float(
        np.sum(np.arange(lsf.size) * np.clip(lsf, 0, None)) / max(lsf.clip(0).sum(), 1e-12)
    )
    offset = np.minimum(np.abs(np.arange(lsf.size) - peak) / (lsf.size / 2), 1.0)
    taper = np.clip((offset - WINDOW_FLAT) / (1 - WINDOW_FLAT), 0, 1)
    window = 0.5 * (1 + np.cos(np.pi * taper))
    n = FFT_PAD * lsf.size
    spectrum = np.abs(np.fft.rfft(lsf * window, n))
    if spectrum[0] <= 0:
        return None
    freqs = np.fft.rfftfreq(n, d=bin_mm)
    # A finite difference is a box of one bin: undo its sinc.
    mtf = spectrum / spectrum[0] / np.maximum(np.sinc(freqs * bin_mm), 1e-3)
    below = np.flatnonzero(mtf < MTF_HALF)
    if below.size == 0 or below[0] == 0:
        return None
    i = int(below[0])
    f50 = float(np.interp(MTF_HALF, [mtf[i], mtf[i - 1]], [freqs[i], freqs[i - 1]]))
    return f50, rise


def _wedge(
    darkness: npt.NDArray[np.float64],
    h: npt.NDArray[np.float64],
    inverse: npt.NDArray[np.float64],
    t: PrintedTarget,
) -> list[tuple[float, float]]:
    """(printed, measured) darkness of each wedge step's core."""
    out = []
    inset_x, inset_y = WEDGE_INSET_MM
    y0, y1 = t.y_mm - t.height_mm / 2 + inset_y, t.y_mm + t.height_mm / 2 - inset_y
    for x0, width, printed, _ in wedge_steps(t):
        lo, hi = x0 + inset_x, x0 + width - inset_x
        box = np.array([[lo, y0], [hi, y0], [hi, y1], [lo, y1]])
        sample = _pixels(darkness, h, inverse, box)
        if sample is None:
            raise CalibrationError("the grey wedge is off the scan", field=t.id)
        mm, dark = sample
        keep = (mm[:, 0] > lo) & (mm[:, 0] < hi) & (mm[:, 1] > y0) & (mm[:, 1] < y1)
        out.append((printed, float(np.median(dark[keep]))))
    return out


def _bars(
    darkness: npt.NDArray[np.float64],
    h: npt.NDArray[np.float64],
    inverse: npt.NDArray[np.float64],
    t: PrintedTarget,
    scale: float,
) -> float:
    """Modulation of a bar group at its printed frequency (NaN when it would alias)."""
    if t.lp_per_mm >= NYQUIST_SHARE * scale / 2:
        return math.nan
    lo = np.array([t.x_mm - t.width_mm / 2, t.y_mm - t.height_mm / 2]) + BAR_INSET_MM
    hi = np.array([t.x_mm + t.width_mm / 2, t.y_mm + t.height_mm / 2]) - BAR_INSET_MM
    box = np.array([lo, [hi[0], lo[1]], hi, [lo[0], hi[1]]])
    sample = _pixels(darkness, h, inverse, box)
    if sample is None:
        return math.nan
    mm, dark = sample
    keep = np.all((mm > lo) & (mm < hi), axis=1)
    u = mm[keep, 0 if t.across == "x" else 1]
    phase = 2 * np.pi * t.lp_per_mm * u
    design = np.column_stack(
        [np.ones_like(u), np.cos(phase), np.sin(phase), np.cos(3 * phase), np.sin(3 * phase)]
    )
    coef = np.linalg.lstsq(design, dark[keep], rcond=None)[0]
    return float(np.hypot(coef[1], coef[2]) / SQUARE_FUNDAMENTAL)
