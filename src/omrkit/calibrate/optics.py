"""Resolution and geometry of a calibration scan.

*Resolution* comes from the edges of the solid registration squares: image
pixels near an edge are placed by their distance from it (through the
registration, so a slight skew samples the edge at many sub-pixel phases),
their grey forms the edge-spread function, and its 10-90 % rise gives the
blur of an equivalent Gaussian, ``sigma = rise / 2.563``, and the MTF50,
``sqrt(ln 2 / 2) / (pi sigma)`` cycles per mm.

*Geometry* comes from the centres of the solid prefill discs and the
registration squares spread over the page (``skimage.measure.regionprops``
weighted centroids): a projective and a second-order polynomial fit
(``skimage.transform``) of layout mm to image px, and their largest
residuals in mm. Skew and the x/y scale mismatch come from
the projective fit at the page centre.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from skimage.measure import label, regionprops
from skimage.transform import PolynomialTransform, estimate_transform

from omrkit.errors import CalibrationError
from omrkit.layout.models import SheetLayout
from omrkit.registration.codes import Levels
from omrkit.registration.homography import apply_homography
from omrkit.registration.register import Registration

__all__ = ["Geometry", "Resolution", "measure_geometry", "measure_resolution"]

#: 10-90 % rise of a Gaussian edge, in sigmas.
RISE_10_90_SIGMAS = 2.563
#: Part of a mark's edge sampled (its middle) and how far across it, mm.
EDGE_ALONG_MM = 2.0
EDGE_ACROSS_MM = 1.2
#: Bin width of the edge-spread function, in pixels.
ESF_BIN_PX = 0.25
#: The discs sit on four rows of the page: enough for a second-order fit in y.
POLYNOMIAL_ORDER = 2
#: Fewest disc centres for the fits (a second-order fit has 12 unknowns).
MIN_POINTS = 12
_NORMALISE_MM = 100.0
#: Crop around a solid disc for its centroid, in radii.
CROP_RADII = 1.6
#: Darkness (share of paper-to-black) above which a pixel belongs to a solid disc.
INK_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Resolution:
    """Blur sigma (mm) of the scan's edges and the MTF50 it implies (cycles/mm)."""

    blur_mm: float
    mtf50_cyc_per_mm: float


@dataclass(frozen=True, slots=True)
class Geometry:
    """Skew, scale mismatch and fit residuals of a scan, over ``n_points`` disc centres."""

    skew_deg: float
    scale_error_pct: float
    projective_residual_mm: float
    polynomial_residual_mm: float
    n_points: int


def measure_resolution(
    image: npt.NDArray[np.uint8], registration: Registration, layout: SheetLayout, levels: Levels
) -> Resolution:
    """Blur and MTF50 from the registration squares' edges."""
    h = registration.homography
    inverse = np.asarray(np.linalg.inv(h), dtype=np.float64)
    scale = registration.quality.scale
    widths: list[float] = []
    for mark in layout.marks:
        half = mark.size_mm / 2
        for axis in (0, 1):
            for side in (-1.0, 1.0):
                edge = np.array([mark.x_mm, mark.y_mm])
                edge[axis] += side * half
                rise = _edge_rise_mm(image, h, inverse, edge, axis, side, scale, levels)
                if rise is not None:
                    widths.append(rise)
    blur = float(np.median(widths)) / RISE_10_90_SIGMAS if widths else math.nan
    mtf50 = math.sqrt(math.log(2) / 2) / (math.pi * blur) if blur > 0 else math.inf
    return Resolution(blur, mtf50)


def _edge_rise_mm(
    image: npt.NDArray[np.uint8],
    h: npt.NDArray[np.float64],
    inverse: npt.NDArray[np.float64],
    edge_mm: npt.NDArray[np.float64],
    axis: int,
    side: float,
    scale: float,
    levels: Levels,
) -> float | None:
    """10-90 % rise (mm) of one edge, ink inside (``-side``) to paper outside."""
    reach = np.array([EDGE_ACROSS_MM, EDGE_ACROSS_MM])
    reach[1 - axis] = EDGE_ALONG_MM / 2
    corners = np.array([edge_mm - reach, edge_mm + reach, [edge_mm[0] - reach[0], edge_mm[1]
                        + reach[1]], [edge_mm[0] + reach[0], edge_mm[1] - reach[1]]])  # fmt: skip
    px = apply_homography(h, corners)
    x0, y0 = np.floor(px.min(axis=0)).astype(int)
    x1, y1 = np.ceil(px.max(axis=0)).astype(int)
    if x0 < 0 or y0 < 0 or x1 >= image.shape[1] or y1 >= image.shape[0]:
        return None
    ys, xs = np.mgrid[y0:y1, x0:x1]
    pts = np.column_stack([xs.ravel() + 0.5, ys.ravel() + 0.5])
    mm = apply_homography(inverse, pts)
    across = side * (mm[:, axis] - edge_mm[axis])
    along = np.abs(mm[:, 1 - axis] - edge_mm[1 - axis])
    keep = (np.abs(across) < EDGE_ACROSS_MM) & (along < EDGE_ALONG_MM / 2)
    grey = image[y0:y1, x0:x1].ravel()[keep].astype(np.float64)
    across_px = across[keep] * scale
    value = (grey - levels.ink) / max(levels.paper - levels.ink, 1.0)
    bins = np.floor(across_px / ESF_BIN_PX).astype(int)
    bins -= bins.min()
    counts = np.bincount(bins)
    used = counts > 0
    esf = np.bincount(bins, weights=value)[used] / counts[used]
    position = (np.arange(counts.size)[used] + 0.5) * ESF_BIN_PX + across_px.min()
    esf = np.maximum.accumulate(esf)
    low, high = esf[: max(len(esf) // 4, 1)].mean(), esf[-max(len(esf) // 4, 1) :].mean()
    if high - low <= 0:
        return None
    norm = (esf - low) / (high - low)
    p10 = float(np.interp(0.1, norm, position))
    p90 = float(np.interp(0.9, norm, position))
    return (p90 - p10) / scale


def measure_geometry(
    image: npt.NDArray[np.uint8],
    registration: Registration,
    layout: SheetLayout,
    levels: Levels,
    *,
    dpi: float | None = None,
) -> Geometry:
    """Skew, scale mismatch and residuals from the solid prefill discs' centres."""
    index = {(f.id, s.id, b.symbol): i for i, (f, s, b) in enumerate(layout.iter_bubbles())}
    solid = [index[(p.field_id, p.slot_id, p.symbol)] for p in layout.prefills if p.fraction >= 1]
    arrays = layout.bubbles
    h = registration.homography
    scale = registration.quality.scale
    # Solid discs lie on two page rows only; the marks at the top and bottom
    # edges add the rows a second-order fit in y needs.
    targets = [(arrays.centers_mm[i], float(arrays.radii_mm[i])) for i in solid]
    targets += [(np.array([m.x_mm, m.y_mm]), m.size_mm / 2) for m in layout.marks]
    layout_mm, found_px = [], []
    for centre_mm, radius_mm in targets:
        centre = _disc_centre(image, h, centre_mm, radius_mm * scale, levels)
        if centre is not None:
            layout_mm.append(centre_mm)
            found_px.append(centre)
    src, dst = np.array(layout_mm), np.array(found_px)
    if len(src) < MIN_POINTS:
        raise CalibrationError(
            f"only {len(src)} solid discs found where {len(solid)} are printed", field="prefills"
        )
    projective = estimate_transform("projective", src, dst)  # type: ignore[no-untyped-call]
    # Page-sized coordinates keep the polynomial's normal equations well conditioned.
    polynomial = PolynomialTransform.from_estimate(  # type: ignore[no-untyped-call]
        src / _NORMALISE_MM, dst / _NORMALISE_MM, order=POLYNOMIAL_ORDER
    )
    if not polynomial:
        raise CalibrationError("the polynomial fit of the disc centres failed", field="prefills")
    res_p = np.linalg.norm(projective(src) - dst, axis=1).max() / scale
    fitted = polynomial(src / _NORMALISE_MM) * _NORMALISE_MM
    res_q = np.linalg.norm(fitted - dst, axis=1).max() / scale
    mid = np.array([[layout.page.width_mm / 2, layout.page.height_mm / 2]])
    step_x, step_y = np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])
    here = projective(mid)[0]
    jac = np.column_stack([projective(mid + step_x)[0] - here, projective(mid + step_y)[0] - here])
    sx, sy = np.linalg.norm(jac[:, 0]), np.linalg.norm(jac[:, 1])
    skew = math.degrees(math.atan2(jac[1, 0], jac[0, 0]))
    if dpi is not None:
        nominal = dpi / 25.4
        mismatch = max(abs(sx / nominal - 1), abs(sy / nominal - 1))
    else:
        mismatch = abs(sx / sy - 1)
    return Geometry(skew, float(100 * mismatch), float(res_p), float(res_q), len(src))


def _disc_centre(
    image: npt.NDArray[np.uint8],
    h: npt.NDArray[np.float64],
    centre_mm: npt.NDArray[np.float64],
    radius_px: float,
    levels: Levels,
) -> tuple[float, float] | None:
    cx, cy = apply_homography(h, centre_mm[None, :])[0]
    r = math.ceil(CROP_RADII * radius_px)
    x0, y0 = round(cx) - r, round(cy) - r
    if x0 < 0 or y0 < 0 or x0 + 2 * r >= image.shape[1] or y0 + 2 * r >= image.shape[0]:
        return None
    crop = image[y0 : y0 + 2 * r, x0 : x0 + 2 * r].astype(np.float64)
    darkness = np.clip((levels.paper - crop) / max(levels.paper - levels.ink, 1.0), 0, 1)
    labels = label(darkness > INK_SHARE)  # type: ignore[no-untyped-call]
    regions = regionprops(labels, intensity_image=darkness)  # type: ignore[no-untyped-call]
    if not regions:
        return None
    disc = max(regions, key=lambda region: region.area)
    row, col = disc.centroid_weighted
    return (x0 + col + 0.5, y0 + row + 0.5)
