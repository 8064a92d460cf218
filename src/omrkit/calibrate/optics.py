"""Geometry of a calibration scan (resolution comes from the test targets, :mod:`.targets`).

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

__all__ = ["Geometry", "measure_geometry"]

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
class Geometry:
    """Skew, scale mismatch and fit residuals of a scan, over ``n_points`` disc centres."""

    skew_deg: float
    scale_error_pct: float
    projective_residual_mm: float
    polynomial_residual_mm: float
    n_points: int


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
