"""What registration finds: the transform, its quality and what became of each mark.

In: the fitted transform (:class:`~omrkit.registration.fit.MarkSolution`) and
the marks' measured centres. Out: a :class:`Registration`, flagged ``poor``
when its residual or skew is beyond what a tidy scan gives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from omrkit.layout.models import SheetLayout
from omrkit.registration.fit import MarkSolution
from omrkit.registration.homography import apply_homography, local_scale_and_rotation
from omrkit.registration.search import MAX_SKEW_DEG
from omrkit.types import RegistrationQuality

__all__ = ["POOR_RESIDUAL_MM", "MarkFit", "MarkStatus", "Registration", "registration_result"]

#: Residual (mm) above which the fit is flagged poor: 1.6 px at 200 dpi, a
#: small fraction of a bubble's radius.
POOR_RESIDUAL_MM = 0.2


class MarkStatus(StrEnum):
    """What became of a registration mark."""

    USED = "used"  # found and part of the fitted transform
    OUTLIER = "outlier"  # found, but disagrees with the others: left out of the fit
    MISSING = "missing"  # not found where the other marks place it
    CLIPPED = "clipped"  # cut by the image's edge: centre from its visible part, used in the fit


@dataclass(frozen=True, slots=True)
class MarkFit:
    """One registration mark as found in the image.

    Attributes
    ----------
    mark_id : str
    role : str
        ``"corner"`` or ``"orientation"``.
    status : MarkStatus
    found_px : (float, float) or None
        Measured centre, continuous pixels; None when missing.
    residual_px : float or None
        Distance from where the fitted transform puts the mark; None when missing.
    """

    mark_id: str
    role: str
    status: MarkStatus
    found_px: tuple[float, float] | None
    residual_px: float | None


@dataclass(frozen=True, slots=True, eq=False)
class Registration:
    """Where the printed sheet lies in the image.

    Attributes
    ----------
    homography : (3, 3) ndarray of float64
        Maps ``(x_mm, y_mm, 1)`` to continuous image pixels (homogeneous); a
        sheet fed upside down is mapped as it lies, so the image is never turned.
    quality : RegistrationQuality
        Residual, skew, scale, orientation and the ``poor`` flag.
    marks : tuple of MarkFit
        Every layout mark, in layout order.
    """

    homography: npt.NDArray[np.float64]
    quality: RegistrationQuality
    marks: tuple[MarkFit, ...]

    def to_image(self, points_mm: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Image pixel positions, (N, 2) float64, of layout points given in mm, (N, 2)."""
        return apply_homography(self.homography, points_mm)

    @property
    def dropped_marks(self) -> tuple[str, ...]:
        """Ids of marks left out of the fit, missing or outlying."""
        return tuple(
            m.mark_id for m in self.marks if m.status not in (MarkStatus.USED, MarkStatus.CLIPPED)
        )

    @property
    def clipped_marks(self) -> tuple[str, ...]:
        """Ids of marks cut by the image's edge and placed from their visible part."""
        return tuple(m.mark_id for m in self.marks if m.status is MarkStatus.CLIPPED)


def registration_result(
    layout: SheetLayout,
    upside_down: bool,
    solution: MarkSolution,
    found: npt.NDArray[np.float64],
    clipped: frozenset[int] = frozenset(),
) -> Registration:
    """The registration a fitted solution gives, with its quality and each mark's status.

    Parameters
    ----------
    layout : SheetLayout
    upside_down : bool
        Whether the sheet was fed turned by 180°.
    solution : MarkSolution
        The fitted transform and which points it used.
    found : (M, 2) ndarray of float64
        Measured mark centres, pixels; NaN rows for missing marks.
    clipped : frozenset of int
        Indices of marks measured from their visible part.
    """
    page = layout.page
    scale, rotation = local_scale_and_rotation(
        solution.homography, page.width_mm / 2, page.height_mm / 2
    )
    skew = rotation % 360.0 - 180.0 if upside_down else rotation
    residual_px = solution.residual_px
    poor = (
        not solution.cross_checked
        or residual_px > POOR_RESIDUAL_MM * scale
        or abs(skew) > MAX_SKEW_DEG
    )
    quality = RegistrationQuality(
        residual_px=residual_px, skew_deg=skew, scale=scale, upside_down=upside_down, poor=poor
    )
    marks = []
    for index, (mark, (x, y), used, residual) in enumerate(
        zip(
            layout.marks,
            found.tolist(),
            solution.used.tolist(),
            solution.residuals_px.tolist(),
            strict=False,  # the solution may hold guard cells after the marks
        )
    ):
        if math.isnan(x):
            marks.append(MarkFit(mark.id, mark.role, MarkStatus.MISSING, None, None))
            continue
        status = MarkStatus.USED if used else MarkStatus.OUTLIER
        if used and index in clipped:
            status = MarkStatus.CLIPPED
        marks.append(MarkFit(mark.id, mark.role, status, (x, y), residual))
    homography = solution.homography.copy()
    homography.flags.writeable = False
    return Registration(homography, quality, tuple(marks))
