"""Plane transforms between layout millimetres and image pixels.

A transform is a 3x3 float64 matrix ``H`` acting on homogeneous points: a
layout point ``(x_mm, y_mm)`` lies at image pixel ``(u / w, v / w)`` where
``(u, v, w) = H @ (x_mm, y_mm, 1)``, in continuous pixel coordinates (pixel
``(i, j)`` covers ``[j, j + 1) x [i, i + 1)``). An affine transform is the
special case with last row ``(0, 0, 1)``.

Fitting is least squares over point correspondences: :func:`fit_affine`
(6 parameters) and :func:`fit_homography` (8 parameters, normalised DLT).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from omrkit.errors import RegistrationError

__all__ = [
    "MIN_AFFINE_POINTS",
    "MIN_HOMOGRAPHY_POINTS",
    "apply_homography",
    "fit_affine",
    "fit_homography",
    "local_scale_and_rotation",
]

_Points = npt.NDArray[np.float64]
_Matrix = npt.NDArray[np.float64]
#: Fewest correspondences that determine each model.
MIN_AFFINE_POINTS = 3
MIN_HOMOGRAPHY_POINTS = 4
#: Normal equations whose Hadamard ratio (determinant over the product of the
#: diagonal, 1 for orthogonal columns) falls below this come from a degenerate
#: point set: collinear, repeated, or all but one on a line. Normalised marks
#: of a sheet give 0.01 and more, degenerate sets 1e-10 and less.
_MIN_HADAMARD_RATIO = 1e-6


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
    # Centre the source points: the normal equations stay well conditioned.
    centre = src.mean(axis=0)
    design = np.column_stack([src - centre, np.ones(len(src))])
    gram = design.T @ design
    if _degenerate(gram):
        raise RegistrationError("affine fit needs points that are not all on one line")
    solution = np.linalg.solve(gram, design.T @ dst)
    matrix: _Matrix = np.eye(3)
    matrix[:2, :] = solution.T
    matrix[:2, 2] -= matrix[:2, :2] @ centre
    return matrix


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
    equations are solved directly: for a handful of marks this is several
    times faster than an SVD, and normalisation keeps them well conditioned.
    """
    src, dst = _checked_pair(src, dst, MIN_HOMOGRAPHY_POINTS)
    t_src, t_dst = _normaliser(src), _normaliser(dst)
    a = apply_homography(t_src, src)
    b = apply_homography(t_dst, dst)
    # With H[2, 2] fixed to 1 each correspondence gives two linear equations in
    # the other eight entries. Fixing it is safe after normalisation: it is 1
    # unless the centroid of the source points maps to infinity.
    n = len(a)
    rows = np.zeros((2 * n, 8))
    rows[0::2, 0:2] = a
    rows[0::2, 2] = 1.0
    rows[0::2, 6:8] = -a * b[:, :1]
    rows[1::2, 3:5] = a
    rows[1::2, 5] = 1.0
    rows[1::2, 6:8] = -a * b[:, 1:]
    gram = rows.T @ rows
    if _degenerate(gram):
        raise RegistrationError("homography fit is degenerate (points collinear or repeated)")
    entries = np.linalg.solve(gram, rows.T @ b.ravel())
    normalised = np.append(entries, 1.0).reshape(3, 3)
    matrix = np.linalg.solve(t_dst, normalised @ t_src).astype(np.float64)
    scaled: _Matrix = matrix / matrix[2, 2]
    return scaled


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
    h = np.asarray(homography, dtype=np.float64)
    point = np.array([x, y, 1.0])
    w = float(h[2] @ point)
    mapped = (h[:2] @ point) / w
    jacobian = (h[:2, :2] - np.outer(mapped, h[2, :2])) / w
    scale = math.sqrt(abs(float(np.linalg.det(jacobian))))
    angle = math.degrees(
        math.atan2(jacobian[1, 0] - jacobian[0, 1], jacobian[0, 0] + jacobian[1, 1])
    )
    return scale, angle


def _degenerate(gram: _Matrix) -> bool:
    """Whether the normal equations ``gram`` are (nearly) singular.

    The Hadamard ratio costs a determinant, a fraction of the SVD a condition
    number needs, and is scale-free like it.
    """
    sign, log_det = np.linalg.slogdet(gram)
    diagonal = np.diag(gram)
    if sign <= 0 or np.any(diagonal <= 0):
        return True
    return bool(log_det - np.log(diagonal).sum() < np.log(_MIN_HADAMARD_RATIO))


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


def _normaliser(points: _Points) -> _Matrix:
    centre = points.mean(axis=0)
    spread = float(np.linalg.norm(points - centre, axis=1).mean())
    factor = math.sqrt(2.0) / spread if spread > 0 else 1.0
    return np.array(
        [[factor, 0.0, -factor * centre[0]], [0.0, factor, -factor * centre[1]], [0.0, 0.0, 1.0]]
    )
