"""Compiled kernels: the inked share of each bubble's disc, and registration's measurements.

Private. Every function here is a numba ``@njit`` kernel that takes arrays
and scalars only, writes into an ``out`` array its caller allocated (or
returns scalars), validates nothing and raises nothing; the public wrapper
:func:`omrkit.kernels.fill_ratios` checks and prepares the arguments. Each
kernel has a slow, obvious numpy twin of the same name and signature in
:mod:`omrkit._reference`, and a parity test.

Three layers (STYLE habit 2): the driver :func:`_fill_ratios_sheet` loops
over bubbles; :func:`_bubble_fill_ratio` projects one disc through the
homography and finds its pixels; :func:`_disc_sums` adds up their coverage
weights and ink credits.

Registration's kernels (the second part of the module) replace sequences of
small array calls that cost more than their arithmetic: transform fits
(:func:`_fit_transform`, :func:`_solve_normal_equations`), a search
window subsampled, levelled and thresholded (:func:`_coarse_mask`), its
square-sized shapes with their moments (:func:`_dark_blobs`), darkness
moments over a square's rectangle (:func:`_centred_moments`,
:func:`_rect_moments`), and the samples of grey levels and code cells
(:func:`_median_grey`, :func:`_cell_means`). Their wrappers are in
:mod:`omrkit.registration.homography`, :mod:`omrkit.registration.squares` and
:mod:`omrkit.registration.codes`.

Notes
-----
*Coverage weights.* A bubble's inner disc (radius ``rho`` mm, centre ``c``)
becomes, to first order, an ellipse in the image: the homography's Jacobian
``J`` at the centre maps millimetres to pixels. A pixel whose centre lies at
``p`` is given the weight ::

    w(p) = clip(k * (rho**2 - |J^-1 (p - c(px))|**2) + 1/2, 0, 1),
    k = sqrt(|det J|) / (2 * rho)

Near the rim ``k * (rho**2 - d**2)`` is, to first order, the signed distance
in pixels from the pixel centre to the rim, so ``w`` is the usual
``clip(distance + 1/2)`` estimate of the share of the pixel inside the disc:
rim pixels count by their covered area and the ratio moves smoothly as a
mark grows, instead of in steps of whole pixels. Because the weight is
linear in ``d**2``, its integral over the plane is exactly the ellipse's area
``pi * rho**2 * |det J|`` for any ``k`` (substitute ``t = k (rho^2 - d^2)``:
``2 pi d dd = -(pi / k) dt``), so the weights add up to the disc's area, not
to a ring-biased approximation of it.

*Ink credit.* A pixel of grey level ``g`` earns the credit
``clip(credit_offset - credit_slope * g, 0, 1)``: a narrow linear ramp around
the ink threshold (see :mod:`omrkit.measure.fill` for where it sits and why).

*Fill ratio* = ``sum(w * credit) / sum(w)`` over the disc's bounding box.

*Speed.* :func:`_disc_sums` is compiled with fast-math so that LLVM
vectorises its reductions (reassociation) and clamps (``nnan``). It therefore
must never see a NaN: :func:`_bubble_fill_ratio`, compiled without fast-math,
rejects degenerate geometry before calling it. Pixel arithmetic is float32,
twice the SIMD lanes of float64 (about 20 % faster here); a row's sums (at
most a few hundred terms, each exact to 1e-7) are float32 and the rows add up
in float64, so ratios agree with the float64 twin to about 1e-7. Reassociated
sums may also differ between CPUs in the last bits; decisions at the 0.50
rule cannot notice either. Pixel indices are unsigned: numba's wrap-around of
negative indices would otherwise stop the row loop from vectorising. While
one bubble is measured the driver prefetches the next one's rows (the
:func:`_prefetch` intrinsic) on a sheet too large to stay in a core's caches
once decoded: a bubble spans ~35 rows on as many cache lines, and waiting on
each from memory made such a sheet three times slower. A smaller one (a
reduced decode) is still cached, and prefetching it cost a tenth of measuring it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import cast

import numpy as np
from numba import njit, types

from omrkit._kernels._compile import (
    _F8,
    _F8_PAIR,
    _GREY_IMAGE,
    _I8,
    _MATRIX,
    _OUT_VECTOR,
    _PIXEL_LOOP_FASTMATH,
    _VECTOR,
    PIXEL_CENTER,
    _Floats,
    _Grey,
    _kernel,
)
from omrkit._kernels.prefetch import _prefetch
from omrkit._kernels.projection import _project, _projection_jacobian

__all__: list[str] = []


#: A pixel whose centre lies this far (px) inside the rim is wholly inside the disc.
RIM_HALF_WIDTH_PX = 0.5
#: Pixel boxes are widened to a multiple of this many columns: the float32
#: lanes of one AVX2 register, so every row runs in whole vector steps.
SIMD_COLUMNS = 8
#: Bytes of a cache line: the step of prefetches along an image row.
CACHE_LINE_BYTES = 64
#: Slack (px) around a disc's projected extent when prefetching its pixels.
PREFETCH_MARGIN_PX = 2.0
#: Fewest pixels of a sheet whose bubbles are prefetched. Just decoded, a 100 or
#: 150 dpi A4 sheet (1-2 MB) was still cached here and a 200 dpi one (4 MB) not.
PREFETCH_MIN_PIXELS = 3_000_000

_DISC_SUMS_SIGNATURE = _F8_PAIR(
    _GREY_IMAGE, _I8, _I8, _I8, _I8, _F8, _F8, _F8, _F8, _F8, _F8, _F8, _F8
)
_BUBBLE_SIGNATURE = _F8(_GREY_IMAGE, _MATRIX, _F8, _F8, _F8, _F8, _F8)
_SHEET_SIGNATURE = types.void(_GREY_IMAGE, _MATRIX, _MATRIX, _VECTOR, _F8, _F8, _F8, _OUT_VECTOR)


def _box_loop(width: int) -> Callable[..., tuple[float, float]]:
    """:func:`_disc_sums`'s pixel loop, inlined into it, for boxes ``width`` wide (0: any).

    LLVM vectorises a fixed ``width`` whole; a variable one in steps of 32
    columns (8 lanes, 4 interleaved), the rest one pixel at a time, which is
    all of a bubble's row at 75-100 dpi (16-24 columns). The fixed loops take
    40 % less time there.
    """

    @njit(inline="always", nogil=True, fastmath=_PIXEL_LOOP_FASTMATH, error_model="numpy")
    def box_sums(
        image: _Grey,
        row0: int,
        row1: int,
        col0: int,
        n_cols: int,
        dx0: float,
        dy0: float,
        quad_xx: float,
        quad_xy: float,
        quad_yy: float,
        weight_at_center: float,
        credit_offset: float,
        credit_slope: float,
    ) -> tuple[float, float]:
        first_col = np.uint64(col0)
        columns = np.uint64(width if width else n_cols)
        # Pixel arithmetic in float32 (twice the SIMD lanes), row sums in float64.
        curvature = np.float32(quad_xx)
        offset = np.float32(credit_offset)
        slope = np.float32(credit_slope)
        zero = np.float32(0.0)
        one = np.float32(1.0)
        credit_sum = 0.0
        weight_sum = 0.0
        dy = dy0
        for i in range(row0, row1 + 1):
            # Per row the weight is a quadratic in dx: Horner form, two multiply-adds.
            linear = np.float32(quad_xy * dy)
            constant = np.float32(weight_at_center + quad_yy * dy * dy)
            row = np.uint64(i)
            dx = np.float32(dx0)
            row_credit = zero
            row_weight = zero
            for j in range(columns):
                weight = min(max((curvature * dx + linear) * dx + constant, zero), one)
                credit = min(max(offset - slope * np.float32(image[row, first_col + j]), zero), one)
                row_credit += weight * credit
                row_weight += weight
                dx += one
            credit_sum += float(row_credit)
            weight_sum += float(row_weight)
            dy += 1.0
        return credit_sum, weight_sum

    return cast("Callable[..., tuple[float, float]]", box_sums)


#: Pixel loops of a fixed width: a bubble's box at 75 dpi (16 columns), 100 dpi (24)
#: and 150 dpi (32), once widened to whole SIMD blocks; and the loop of any width.
_BOX_16 = _box_loop(2 * SIMD_COLUMNS)
_BOX_24 = _box_loop(3 * SIMD_COLUMNS)
_BOX_32 = _box_loop(4 * SIMD_COLUMNS)
_BOX_ANY = _box_loop(0)


@_kernel(_DISC_SUMS_SIGNATURE, fastmath=_PIXEL_LOOP_FASTMATH)
def _disc_sums(
    image: _Grey,
    row0: int,
    row1: int,
    col0: int,
    col1: int,
    dx0: float,
    dy0: float,
    quad_xx: float,
    quad_xy: float,
    quad_yy: float,
    weight_at_center: float,
    credit_offset: float,
    credit_slope: float,
) -> tuple[float, float]:
    """Coverage-weighted ink credit over a box of pixels.

    The box is rows ``row0..row1`` and columns ``col0..col1`` (inclusive,
    inside the image). The pixel ``(row0 + a, col0 + b)`` sits at offset
    ``(dx, dy) = (dx0 + b, dy0 + a)`` px from the disc centre and weighs
    ``clip(quad_xx dx^2 + quad_xy dx dy + quad_yy dy^2 + weight_at_center, 0, 1)``;
    its credit is ``clip(credit_offset - credit_slope * grey, 0, 1)``.

    Returns
    -------
    credit_sum : float
        ``sum(weight * credit)``.
    weight_sum : float
        ``sum(weight)``: the disc's area in pixels.
    """
    n_cols = max(col1 - col0 + 1, 0)
    # One call per width: numba inlines a loop only where it is named.
    if n_cols == 2 * SIMD_COLUMNS:
        return _BOX_16(image, row0, row1, col0, n_cols, dx0, dy0, quad_xx, quad_xy, quad_yy,
                       weight_at_center, credit_offset, credit_slope)  # fmt: skip
    if n_cols == 3 * SIMD_COLUMNS:
        return _BOX_24(image, row0, row1, col0, n_cols, dx0, dy0, quad_xx, quad_xy, quad_yy,
                       weight_at_center, credit_offset, credit_slope)  # fmt: skip
    if n_cols == 4 * SIMD_COLUMNS:
        return _BOX_32(image, row0, row1, col0, n_cols, dx0, dy0, quad_xx, quad_xy, quad_yy,
                       weight_at_center, credit_offset, credit_slope)  # fmt: skip
    return _BOX_ANY(image, row0, row1, col0, n_cols, dx0, dy0, quad_xx, quad_xy, quad_yy,
                    weight_at_center, credit_offset, credit_slope)  # fmt: skip


@_kernel(_BUBBLE_SIGNATURE)
def _bubble_fill_ratio(
    image: _Grey,
    homography: _Floats,
    x_mm: float,
    y_mm: float,
    radius_mm: float,
    credit_offset: float,
    credit_slope: float,
) -> float:
    """Fill ratio of one disc: inked share of its area, or NaN if unmeasurable.

    ``radius_mm`` is the radius of the disc to measure (the bubble's inner
    radius). NaN when the centre maps to or beyond infinity, the Jacobian is
    singular, the radius is not positive, or the disc (with its rim band) is
    not wholly inside the image.
    """
    h = homography
    u, v, w = _project(h, x_mm, y_mm)
    if not (w > 0.0 and radius_mm > 0.0):
        return np.nan
    # Jacobian of the projective map at the centre, px per mm.
    j00, j01, j10, j11 = _projection_jacobian(h, u, v, w)
    det = j00 * j11 - j01 * j10
    if not abs(det) > 0.0:
        return np.nan
    # |J^-1 (dx, dy)|^2 = p dx^2 + 2 q dx dy + r dy^2, in mm^2 for px offsets.
    a, b, c, d = j11 / det, -j01 / det, -j10 / det, j00 / det
    p = a * a + c * c
    q = a * b + c * d
    r = b * b + d * d
    k = math.sqrt(abs(det)) / (2.0 * radius_mm)
    # The weight reaches zero where k (rho^2 - d^2) = -1/2.
    reach = math.sqrt(radius_mm * radius_mm + RIM_HALF_WIDTH_PX / k)
    half_width = reach * math.sqrt(j00 * j00 + j01 * j01)
    half_height = reach * math.sqrt(j10 * j10 + j11 * j11)
    # Pixels whose centres fall inside the ellipse's bounding box.
    left = u - half_width - PIXEL_CENTER
    right = u + half_width - PIXEL_CENTER
    top = v - half_height - PIXEL_CENTER
    bottom = v + half_height - PIXEL_CENTER
    n_rows, n_cols = image.shape
    if not (left > -1.0 and top > -1.0 and right < n_cols and bottom < n_rows):
        return np.nan
    col0, col1 = math.ceil(left), math.floor(right)
    row0, row1 = math.ceil(top), math.floor(bottom)
    # Widen the box to whole SIMD blocks where the image allows: the extra
    # pixels lie beyond the rim and weigh exactly 0, and rows then run without
    # a scalar remainder loop.
    width = -(-(col1 - col0 + 1) // SIMD_COLUMNS) * SIMD_COLUMNS
    if width <= n_cols:
        col0 = min(col0, n_cols - width)
        col1 = col0 + width - 1
    credit_sum, weight_sum = _disc_sums(
        image,
        row0,
        row1,
        col0,
        col1,
        col0 + PIXEL_CENTER - u,
        row0 + PIXEL_CENTER - v,
        -k * p,
        -2.0 * k * q,
        -k * r,
        k * radius_mm * radius_mm + RIM_HALF_WIDTH_PX,
        credit_offset,
        credit_slope,
    )
    if not weight_sum > 0.0:
        return np.nan
    # Credits and weights lie in [0, 1], so the ratio does too, but float32
    # rows and reassociated sums can round it a hair past either end.
    return min(max(credit_sum / weight_sum, 0.0), 1.0)


@_kernel(_SHEET_SIGNATURE)
def _fill_ratios_sheet(
    image: _Grey,
    homography: _Floats,
    centers_mm: _Floats,
    radii_mm: _Floats,
    inset_mm: float,
    credit_offset: float,
    credit_slope: float,
    out: _Floats,
) -> None:
    """Fill ratio of every bubble of one sheet into ``out``.

    Bubble ``n`` is measured over the disc of radius ``radii_mm[n] - inset_mm``
    (the printed outline is not ink) centred at ``centers_mm[n]``. While one
    bubble is measured, the pixels of the next are prefetched on a large
    sheet, which has left the caches since it was decoded: fetching a
    bubble's rows one by one on demand would triple the time.
    """
    h = homography
    n_rows, n_cols = image.shape
    count = radii_mm.shape[0]
    prefetch = n_rows * n_cols >= PREFETCH_MIN_PIXELS
    for n in range(count):
        ahead = n + 1
        if prefetch and ahead < count:
            x_mm, y_mm = centers_mm[ahead, 0], centers_mm[ahead, 1]
            u, v, w = _project(h, x_mm, y_mm)
            j00, j01, j10, j11 = _projection_jacobian(h, u, v, w)
            half_x = radii_mm[ahead] * math.hypot(j00, j01)
            half_y = radii_mm[ahead] * math.hypot(j10, j11)
            # Only a centre on the image with a sane extent (never NaN or huge,
            # which would not convert to an integer) is worth fetching.
            if (
                w > 0.0
                and 0.0 <= u < n_cols
                and 0.0 <= v < n_rows
                and 0.0 <= half_x < n_cols
                and 0.0 <= half_y < n_rows
            ):
                left = max(u - half_x - PREFETCH_MARGIN_PX, 0.0)
                right = min(u + half_x + PREFETCH_MARGIN_PX + SIMD_COLUMNS, n_cols - 1.0)
                top = max(v - half_y - PREFETCH_MARGIN_PX, 0.0)
                bottom = min(v + half_y + PREFETCH_MARGIN_PX, n_rows - 1.0)
                for i in range(int(top), int(bottom) + 1):
                    for j in range(int(left), int(right), CACHE_LINE_BYTES):
                        _prefetch(image, i, j)
                    _prefetch(image, i, int(right))
        out[n] = _bubble_fill_ratio(
            image,
            homography,
            centers_mm[n, 0],
            centers_mm[n, 1],
            radii_mm[n] - inset_mm,
            credit_offset,
            credit_slope,
        )
