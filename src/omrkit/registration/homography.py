"""Plane transforms between layout millimetres and image pixels.

A transform is a 3x3 float64 matrix ``H`` acting on homogeneous points: a
layout point ``(x_mm, y_mm)`` lies at image pixel ``(u / w, v / w)`` where
``(u, v, w) = H @ (x_mm, y_mm, 1)``, in continuous pixel coordinates (pixel
``(i, j)`` covers ``[j, j + 1) x [i, i + 1)``). An affine transform is the
special case with last row ``(0, 0, 1)``.

Fitting is least squares over point correspondences: :func:`fit_affine`
(6 parameters) and :func:`fit_homography` (8 parameters, normalised DLT);
:func:`fit_with_residuals` fits to a subset of the points and measures every
point against the fit, as registration does a dozen times a sheet. The
arithmetic is one compiled kernel: a handful of points, where array calls
would cost more than the solution.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from omrkit._kernels import AFFINE_PARAMETERS, PROJECTIVE_PARAMETERS, _fit_transform
from omrkit.errors import RegistrationError

__all__ = [
    "MIN_AFFINE_POINTS",
    "MIN_HOMOGRAPHY_POINTS",
    "apply_homography",
    "fit_affine",
    "fit_homography",
    "fit_with_residuals",
    "local_scale_and_rotation",
    "project_point",
]

_Points = npt.NDArray[np.float64]
_Matrix = npt.NDArray[np.float64]
#: Fewest correspondences that determine each model: two equations a point.
MIN_AFFINE_POINTS = AFFINE_PARAMETERS // 2
MIN_HOMOGRAPHY_POINTS = PROJECTIVE_PARAMETERS // 2


def apply_homography(homography: _Matrix, points: _Points) -> _Points:
    """Map points through a 3x3 transform.

    Parameters
    ----------
    homography : (3, 3) ndarray of float64
    points : (N, 2) ndarray of float64
        ``x, y`` in the source plane.

    Returns
    -------
    (N, 2) ndarray of float64
        The mapped points.

    Examples
    --------
    >>> H = np.array([[2.0, 0, 1], [0, 2, 0], [0, 0, 1]])
    >>> apply_homography(H, np.array([[1.0, 1.0]])).tolist()
    [[3.0, 2.0]]
    """
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    h = np.asarray(homography, dtype=np.float64)
    mapped = pts @ h[:2, :2].T + h[:2, 2]
    w = pts @ h[2, :2] + h[2, 2]
    out: _Points = mapped / w[:, None]
    return out


def fit_affine(src: _Points, dst: _Points) -> _Matrix:
    """Least-squares affine transform taking ``src`` to ``dst``.

    Parameters
    ----------
    src, dst : (N, 2) ndarray of float64
        Corresponding points, ``N >= 3`` and ``src`` not all on one line.

    Returns
    -------
    (3, 3) ndarray of float64
        Last row ``(0, 0, 1)``.

    Raises
    ------
    RegistrationError
        If there are too few points or they are collinear.
    """
    src, dst = _checked_pair(src, dst, MIN_AFFINE_POINTS)
    fitted = fit_with_residuals(src, dst, np.ones(len(src), dtype=bool), projective=False)
    if fitted is None:
        raise RegistrationError("affine fit needs points that are not all on one line")
    return fitted[0]


def fit_homography(src: _Points, dst: _Points) -> _Matrix:
    """Least-squares projective transform taking ``src`` to ``dst`` (normalised DLT).

    Parameters
    ----------
    src, dst : (N, 2) ndarray of float64
        Corresponding points, ``N >= 4``, no three of four collinear.

    Returns
    -------
    (3, 3) ndarray of float64
        Scaled so that ``H[2, 2] == 1``.

    Raises
    ------
    RegistrationError
        If there are too few points or their configuration is degenerate.

    Notes
    -----
    Both point sets are moved to their centroid and scaled to a mean distance
    of sqrt(2) before solving (Hartley's normalisation): without it, mm and px
    coordinates of different magnitude make the linear system badly
    conditioned. The algebraic error it minimises is close to the geometric
    one for the near-affine transforms of a scanned page. The normal
    equations are solved directly, in a compiled kernel: for a handful of
    marks this is far faster than an SVD, and normalisation keeps them well
    conditioned.
    """
    src, dst = _checked_pair(src, dst, MIN_HOMOGRAPHY_POINTS)
    fitted = fit_with_residuals(src, dst, np.ones(len(src), dtype=bool), projective=True)
    if fitted is None:
        raise RegistrationError("homography fit is degenerate (points collinear or repeated)")
    return fitted[0]


def fit_with_residuals(
    src: _Points, dst: _Points, used: npt.NDArray[np.bool_], *, projective: bool
) -> tuple[_Matrix, npt.NDArray[np.float64]] | None:
    """Fit to the used correspondences; measure every one against the fit.

    Parameters
    ----------
    src, dst : (N, 2) ndarray of float64
        Corresponding points; rows not used may be NaN.
    used : (N,) ndarray of bool
        Rows to fit to.
    projective : bool
        Fit a projective transform (as :func:`fit_homography`), else an
        affine one (as :func:`fit_affine`).

    Returns
    -------
    homography : (3, 3) ndarray of float64
        With ``H[2, 2] == 1``.
    residuals : (N,) ndarray of float64
        Distance of each mapped ``src`` row from its ``dst`` row; NaN for NaN rows.

    None when the used points determine no such transform: too few, on
    one line, repeated, or not finite.

    Raises
    ------
    RegistrationError
        If the arrays' shapes do not match.
    """
    src = np.ascontiguousarray(src, dtype=np.float64)
    dst = np.ascontiguousarray(dst, dtype=np.float64)
    used = np.ascontiguousarray(used, dtype=np.bool_)
    if src.ndim != 2 or src.shape[1:] != (2,) or dst.shape != src.shape:
        raise RegistrationError(
            f"need (N, 2) source and destination points of one shape, got {src.shape}"
            f" and {dst.shape}"
        )
    if used.shape != (len(src),):
        raise RegistrationError(f"need one used flag per point ({len(src)}), got {used.shape}")
    minimum = MIN_HOMOGRAPHY_POINTS if projective else MIN_AFFINE_POINTS
    if int(np.count_nonzero(used)) < minimum:
        return None
    homography = np.empty((3, 3))
    residuals = np.empty(len(src))
    if not _fit_transform(src, dst, used, projective, homography, residuals):
        return None
    return homography, residuals


def project_point(
    homography: Sequence[Sequence[float]], x: float, y: float
) -> tuple[float, float, float]:
    """Map one point through a homography given as plain floats: ``(u, v, w)``.

    The scalar form of :func:`apply_homography`, for the few points (marks,
    code guards) where array calls would cost more than the arithmetic; the
    same arithmetic as the compiled ``omrkit._kernels.projection._project``.

    Parameters
    ----------
    homography : (3, 3) nested sequence of float
        Rows of the transform, e.g. ``H.tolist()``.
    x, y : float
        The source point.

    Returns
    -------
    u, v : float
        The mapped point (infinite or NaN when ``w`` is 0).
    w : float
        The projective weight; positive for a point in front of the camera.

    Examples
    --------
    >>> project_point([[2.0, 0.0, 1.0], [0.0, 2.0, 0.0], [0.0, 0.0, 1.0]], 1.0, 1.0)
    (3.0, 2.0, 1.0)
    """
    h = homography
    w = h[2][0] * x + h[2][1] * y + h[2][2]
    u = (h[0][0] * x + h[0][1] * y + h[0][2]) / w
    v = (h[1][0] * x + h[1][1] * y + h[1][2]) / w
    return u, v, w


def local_scale_and_rotation(homography: _Matrix, x: float, y: float) -> tuple[float, float]:
    """Scale and rotation of a transform near the source point ``(x, y)``.

    Returns
    -------
    scale : float
        Square root of the Jacobian determinant: destination units per source unit.
    rotation_deg : float
        Rotation of the Jacobian's closest similarity, degrees in (-180, 180],
        positive clockwise on an image whose y axis points down.
    """
    # Plain floats: a 2x2 Jacobian costs less than the array calls around it.
    h = np.asarray(homography, dtype=np.float64).tolist()
    u, v, w = project_point(h, x, y)
    j00, j01 = (h[0][0] - u * h[2][0]) / w, (h[0][1] - u * h[2][1]) / w
    j10, j11 = (h[1][0] - v * h[2][0]) / w, (h[1][1] - v * h[2][1]) / w
    scale = math.sqrt(abs(j00 * j11 - j01 * j10))
    angle = math.degrees(math.atan2(j10 - j01, j00 + j11))
    return scale, angle


def _checked_pair(src: _Points, dst: _Points, minimum: int) -> tuple[_Points, _Points]:
    a = np.asarray(src, dtype=np.float64).reshape(-1, 2)
    b = np.asarray(dst, dtype=np.float64).reshape(-1, 2)
    if len(a) != len(b):
        raise RegistrationError(
            f"need as many source as destination points, got {len(a)} and {len(b)}"
        )
    if len(a) < minimum:
        raise RegistrationError(f"need at least {minimum} point pairs, got {len(a)}")
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise RegistrationError("points must be finite")
    return a, b
