"""The projective map of a layout point and its Jacobian, inlined into every kernel.

A homography ``H`` maps a layout point ``(x_mm, y_mm)`` to the image through
``(u w, v w, w) = H @ (x_mm, y_mm, 1)``. Every kernel that maps layout points
(the fill ratio of a bubble, the mean grey of a code cell, the residuals of a
fit) calls these two helpers, which numba inlines into the caller's IR, so the
one definition costs nothing over writing the arithmetic out in place.
"""

from __future__ import annotations

from numba import njit, types

from omrkit._kernels._compile import _F8, _MATRIX, _Floats

__all__: list[str] = []

_F8_TRIPLE = types.UniTuple(_F8, 3)  # type: ignore[no-untyped-call]  # numba's partial stubs
_F8_QUAD = types.UniTuple(_F8, 4)  # type: ignore[no-untyped-call]
_PROJECT_SIGNATURE = _F8_TRIPLE(_MATRIX, _F8, _F8)
_JACOBIAN_SIGNATURE = _F8_QUAD(_MATRIX, _F8, _F8, _F8)


# Not through ``_kernel``: ``inline="always"`` makes numba splice the body into
# each caller, where the caller's own fast-math and error model then apply.
@njit(_PROJECT_SIGNATURE, nogil=True, cache=True, inline="always")
def _project(homography: _Floats, x_mm: float, y_mm: float) -> tuple[float, float, float]:
    """Image point ``(u, v)`` in px of the layout point ``(x_mm, y_mm)``, and its weight ``w``.

    ``u`` and ``v`` are infinite or NaN when ``w`` is 0; callers check ``w > 0``
    (the point lies in front of the camera) where that matters.
    """
    h = homography
    w = h[2, 0] * x_mm + h[2, 1] * y_mm + h[2, 2]
    u = (h[0, 0] * x_mm + h[0, 1] * y_mm + h[0, 2]) / w
    v = (h[1, 0] * x_mm + h[1, 1] * y_mm + h[1, 2]) / w
    return u, v, w


@njit(_JACOBIAN_SIGNATURE, nogil=True, cache=True, inline="always")
def _projection_jacobian(
    homography: _Floats, u: float, v: float, w: float
) -> tuple[float, float, float, float]:
    """Jacobian ``d(u, v) / d(x_mm, y_mm)`` in px per mm at a point :func:`_project` mapped.

    Returns ``(j00, j01, j10, j11)``, row-major: ``j01 = du / dy_mm``.
    """
    h = homography
    j00 = (h[0, 0] - u * h[2, 0]) / w
    j01 = (h[0, 1] - u * h[2, 1]) / w
    j10 = (h[1, 0] - v * h[2, 0]) / w
    j11 = (h[1, 1] - v * h[2, 1]) / w
    return j00, j01, j10, j11
