"""What an operator reads when a sheet cannot be registered.

Each message names the marks that could not be used and why: not found
within the searched distance, found but not a solid square of the right
size, partly covered, off its place compared with the other marks, or the
orientation mark at neither (or both) of its places.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import numpy.typing as npt

from omrkit.errors import RegistrationError
from omrkit.layout.models import RegistrationMark, SheetLayout
from omrkit.registration.homography import MIN_HOMOGRAPHY_POINTS
from omrkit.registration.search import (
    CandidatePool,
    MarkMatch,
    candidates_inside,
    orientation_index,
)

__all__ = [
    "check_dpi_hint",
    "check_image",
    "orientation_error",
    "unconfirmed_fit_error",
    "unusable_marks_error",
]


def orientation_error(
    layout: SheetLayout,
    matches: list[MarkMatch],
    complete: list[MarkMatch],
    pool: CandidatePool,
    scale: float,
    path: str | Path | None,
) -> RegistrationError:
    """Why neither or both orientations of the sheet fit its marks.

    Parameters
    ----------
    layout : SheetLayout
    matches : list of MarkMatch
        Consensus per orientation considered.
    complete : list of MarkMatch
        Those with the orientation mark and enough other marks.
    pool : CandidatePool
    scale : float
        Pixels per mm.
    path : str or Path or None

    Returns
    -------
    RegistrationError
    """
    orient = orientation_index(layout.marks)
    mark = layout.marks[orient]
    if len(complete) > 1:
        return RegistrationError(
            f"orientation mark {mark.id!r} appears both as printed and turned by 180°;"
            " cannot tell which way up the sheet is",
            path=path,
            field=mark.id,
        )
    best = max(matches, key=lambda m: m.count)
    if best.count >= MIN_HOMOGRAPHY_POINTS and all(m.assigned[orient] < 0 for m in matches):
        return RegistrationError(
            f"orientation mark {mark.id!r} not found at ({mark.x_mm}, {mark.y_mm}) mm nor at its"
            " place turned by 180°; cannot tell which way up the sheet is",
            path=path,
            field=mark.id,
        )
    nothing_measured = np.full((len(layout.marks), 2), np.nan)
    matched = best.assigned >= 0
    return unusable_marks_error(layout, best, pool, nothing_measured, matched, scale, path)


def unconfirmed_fit_error(
    layout: SheetLayout, left_out: list[str], path: str | Path | None
) -> RegistrationError:
    """A fit without some marks that the code guard cells could not confirm.

    Parameters
    ----------
    layout : SheetLayout
    left_out : list of str
        Ids of the marks missing, left out, or placed from their visible part.
    path : str or Path or None
    """
    names = ", ".join(repr(m) for m in left_out)
    return RegistrationError(
        f"registration without marks {names} (missing, covered, off their place or cut by"
        " the image's edge) could not be confirmed: the code guard cells are not all where"
        " the other marks place them; refused rather than read through a doubtful transform",
        path=path,
        field=",".join(left_out),
    )


def unusable_marks_error(
    layout: SheetLayout,
    match: MarkMatch,
    pool: CandidatePool,
    found: npt.NDArray[np.float64],
    used: npt.NDArray[np.bool_],
    scale: float,
    path: str | Path | None,
) -> RegistrationError:
    """The error naming each mark that could not be used, and why.

    Parameters
    ----------
    layout : SheetLayout
    match : MarkMatch
        The consensus the marks were taken from.
    pool : CandidatePool
    found : (M, 2) ndarray of float64
        Measured centres; NaN for marks not measured.
    used : (M,) ndarray of bool
        Marks that could be used.
    scale : float
        Pixels per mm.
    path : str or Path or None

    Returns
    -------
    RegistrationError
    """
    bad = [i for i in range(len(layout.marks)) if not used[i]]
    reasons = "; ".join(
        f"{layout.marks[i].id!r} ({_why_unusable(match, i, layout.marks[i], pool, found, scale)})"
        for i in bad
    )
    where = "turned by 180°" if match.frame.upside_down else "as printed"
    return RegistrationError(
        f"registration marks missing or unusable (sheet read {where}): {reasons};"
        " at least four marks, one of them the orientation mark, are needed",
        path=path,
        field=",".join(layout.marks[i].id for i in bad),
    )


def _why_unusable(
    match: MarkMatch,
    i: int,
    mark: RegistrationMark,
    pool: CandidatePool,
    found: npt.NDArray[np.float64],
    scale: float,
) -> str:
    if not np.isnan(found[i, 0]):
        return "found, but partly covered, smudged or off its place compared with the others"
    if match.assigned[i] >= 0:
        return "a dark shape is there, but not a solid square of the right size"
    reach = float(match.frame.reach_mm[i])
    no_square = f"no solid {mark.size_mm:g} mm square within {reach:.0f} mm of its place"
    inside = candidates_inside(pool, match.frame.rects[i])
    if not inside:
        return no_square
    gaps = np.linalg.norm(pool.xy[inside] - match.predicted_px[i], axis=1) / scale
    return f"the nearest square is {gaps.min():.1f} mm from where the other marks place it"


# -- input checks --------------------------------------------------------------------------
# A bad argument is the caller's bug, not the scan's: these raise the builtin
# errors, never a RegistrationError a batch would file as a bad sheet.
def check_dpi_hint(dpi_hint: float | None, path: str | Path | None) -> None:
    """Refuse a dpi hint that is not a positive finite number.

    Raises ``TypeError`` for a non-number (a bool included), ``ValueError``
    for a number that is not positive and finite; ``path`` is only named.
    """
    if dpi_hint is None:
        return
    where = f" ({path})" if path is not None else ""
    if not isinstance(dpi_hint, int | float) or isinstance(dpi_hint, bool):
        raise TypeError(f"dpi_hint must be a positive number, got {dpi_hint!r}{where}")
    if not math.isfinite(dpi_hint) or dpi_hint <= 0:
        raise ValueError(f"dpi_hint must be a positive number, got {dpi_hint!r}{where}")


def check_image(image: object, path: str | Path | None) -> None:
    """Refuse what is not a 2-D uint8 grey image.

    Raises ``TypeError`` for a non-array or a dtype other than uint8,
    ``ValueError`` for a uint8 array that is not 2-D.
    """
    if isinstance(image, np.ndarray) and image.dtype == np.uint8 and image.ndim == 2:
        return  # the message below is only worth formatting for a bad argument
    where = f" ({path})" if path is not None else ""
    if not isinstance(image, np.ndarray):
        raise TypeError(f"image must be a 2-D uint8 grey array, got {type(image).__name__}{where}")
    got = f"{image.dtype} array of shape {image.shape}"
    if image.dtype != np.uint8:
        raise TypeError(f"image must be a 2-D uint8 grey array, got {got}{where}")
    raise ValueError(f"image must be a 2-D uint8 grey array, got {got}{where}")
