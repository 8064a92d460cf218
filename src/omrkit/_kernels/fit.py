"""Compiled kernels of registration: affine and projective fits with residuals.

A fit has a handful of points, so its cost is the number of calls, not
arithmetic: one kernel call replaces a chain of small numpy calls (see
:mod:`omrkit.registration.homography` for the method).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import types

from omrkit._kernels._compile import (
    _I8,
    _MATRIX,
    _OUT_VECTOR,
    _VECTOR,
    _Floats,
    _kernel,
)
from omrkit._kernels.projection import _project

__all__: list[str] = []

#: Unknowns of an affine transform, and of a projective one with ``H[2, 2] = 1``.
AFFINE_PARAMETERS = 6
PROJECTIVE_PARAMETERS = 8
#: Normal equations whose Hadamard ratio (determinant over the product of the
#: diagonal, 1 for orthogonal columns) falls below this come from a degenerate
#: point set: collinear, repeated, or all but one on a line. Normalised marks
#: of a sheet give 0.01 and more, degenerate sets 1e-10 and less.
MIN_HADAMARD_RATIO = 1e-6
#: Hartley's normalisation moves points to a mean distance of sqrt(2) from their centroid.
_NORMALISED_SPREAD = math.sqrt(2.0)

_MASK = types.Array(types.boolean, 1, "C", readonly=True)
_OUT_MATRIX = types.Array(types.float64, 2, "C")
_SOLVE_SIGNATURE = types.boolean(_MATRIX, _VECTOR, _I8, _OUT_VECTOR)
_FIT_SIGNATURE = types.boolean(_MATRIX, _MATRIX, _MASK, types.boolean, _OUT_MATRIX, _OUT_VECTOR)


@_kernel(_SOLVE_SIGNATURE)
def _solve_normal_equations(gram: _Floats, rhs: _Floats, blocks: int, out: _Floats) -> bool:
    """Solve ``gram @ out = rhs`` by Cholesky, unless ``gram`` is (nearly) singular.

    ``gram`` is symmetric positive semi-definite, made of ``blocks`` equal
    diagonal blocks or not (``blocks = 1``). Returns False, with ``out``
    unspecified, when its Hadamard ratio per block (determinant over the
    product of the diagonal, to the power ``1 / blocks``) is below
    ``MIN_HADAMARD_RATIO``: the points behind it determine no transform. The
    determinant is the product of the factorisation's pivots.
    """
    n = rhs.shape[0]
    chol = np.zeros((n, n))
    log_ratio = 0.0
    for j in range(n):
        pivot = gram[j, j] - np.sum(chol[j, :j] ** 2)
        if not (pivot > 0.0 and gram[j, j] > 0.0):
            return False
        log_ratio += math.log(pivot) - math.log(gram[j, j])
        chol[j, j] = math.sqrt(pivot)
        for i in range(j + 1, n):
            chol[i, j] = (gram[i, j] - np.sum(chol[i, :j] * chol[j, :j])) / chol[j, j]
    if log_ratio < blocks * math.log(MIN_HADAMARD_RATIO):
        return False
    for j in range(n):
        out[j] = (rhs[j] - np.sum(chol[j, :j] * out[:j])) / chol[j, j]
    for j in range(n - 1, -1, -1):
        out[j] = (out[j] - np.sum(chol[j + 1 :, j] * out[j + 1 :])) / chol[j, j]
    return True


@_kernel(_FIT_SIGNATURE)
def _fit_transform(
    src: _Floats,
    dst: _Floats,
    used: npt.NDArray[np.bool_],
    projective: bool,
    out: _Floats,
    residuals: _Floats,
) -> bool:
    """Least-squares transform taking the used rows of ``src`` to ``dst``.

    Writes the (3, 3) transform into ``out`` and the distance of every
    mapped ``src[i]`` from ``dst[i]`` into ``residuals`` (NaN for NaN rows).
    Both point sets are moved to their used rows' centroid and scaled to a
    mean distance of sqrt(2) (Hartley). Each point gives the two equations of
    the normalised DLT with ``H[2, 2] = 1``; the affine model keeps their
    first six unknowns, which makes its normal equations two copies of one
    3x3 block. Returns False, with ``out`` and ``residuals`` unspecified,
    when the used points determine no transform (see
    :func:`_solve_normal_equations`) or their centroid maps to infinity.
    """
    n = PROJECTIVE_PARAMETERS if projective else AFFINE_PARAMETERS
    count, sx, sy, dx, dy = 0, 0.0, 0.0, 0.0, 0.0
    for i in range(src.shape[0]):
        if used[i]:
            count += 1
            sx, sy = sx + src[i, 0], sy + src[i, 1]
            dx, dy = dx + dst[i, 0], dy + dst[i, 1]
    if count == 0:
        return False
    sx, sy, dx, dy = sx / count, sy / count, dx / count, dy / count
    spread_src, spread_dst = 0.0, 0.0
    for i in range(src.shape[0]):
        if used[i]:
            spread_src += math.hypot(src[i, 0] - sx, src[i, 1] - sy)
            spread_dst += math.hypot(dst[i, 0] - dx, dst[i, 1] - dy)
    fs = _NORMALISED_SPREAD * count / spread_src if spread_src > 0.0 else 1.0
    fd = _NORMALISED_SPREAD * count / spread_dst if spread_dst > 0.0 else 1.0
    gram = np.zeros((n, n))
    rhs = np.zeros(n)
    row = np.zeros(PROJECTIVE_PARAMETERS)
    for i in range(src.shape[0]):
        if not used[i]:
            continue
        ax, ay = (src[i, 0] - sx) * fs, (src[i, 1] - sy) * fs
        for first in (0, 3):
            target = (dst[i, 0] - dx) * fd if first == 0 else (dst[i, 1] - dy) * fd
            row[:] = 0.0
            row[first], row[first + 1], row[first + 2] = ax, ay, 1.0
            row[6], row[7] = -ax * target, -ay * target
            for p in range(n):
                rhs[p] += row[p] * target
                for q in range(n):
                    gram[p, q] += row[p] * row[q]
    entries = np.zeros(PROJECTIVE_PARAMETERS)
    if not _solve_normal_equations(gram, rhs, 1 if projective else 2, entries[:n]):
        return False
    # out = T_dst^-1 (Hn T_src), with T = [[f, 0, -f cx], [0, f, -f cy], [0, 0, 1]].
    hn = np.append(entries, 1.0).reshape(3, 3)
    for r in range(3):
        hn[r, 2] -= fs * (hn[r, 0] * sx + hn[r, 1] * sy)
        hn[r, 0] *= fs
        hn[r, 1] *= fs
    out[0, :] = hn[0] / fd + dx * hn[2]
    out[1, :] = hn[1] / fd + dy * hn[2]
    out[2, :] = hn[2]
    if not abs(out[2, 2]) > 0.0:
        return False
    out /= out[2, 2]
    for i in range(src.shape[0]):
        x, y = src[i, 0], src[i, 1]
        u, v, _ = _project(out, x, y)
        residuals[i] = math.hypot(u - dst[i, 0], v - dst[i, 1])
    return True
