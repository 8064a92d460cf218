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
:mod:`omrkit.homography`, :mod:`omrkit.marks` and :mod:`omrkit.sheet_codes`.

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
the ink threshold (see :mod:`omrkit.kernels` for where it sits and why).

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
:func:`_prefetch` intrinsic): a bubble spans ~35 rows on as many cache lines,
and waiting on each from memory made an uncached sheet three times slower.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt
from llvmlite import ir  # type: ignore[import-untyped]
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

__all__: list[str] = []

#: Pixel ``(i, j)`` covers ``[j, j + 1) x [i, i + 1)``: its centre is half a pixel in.
PIXEL_CENTER = 0.5
#: A pixel whose centre lies this far (px) inside the rim is wholly inside the disc.
RIM_HALF_WIDTH_PX = 0.5
#: Pixel boxes are widened to a multiple of this many columns: the float32
#: lanes of one AVX2 register, so every row runs in whole vector steps.
SIMD_COLUMNS = 8
#: Bytes of a cache line: the step of prefetches along an image row.
CACHE_LINE_BYTES = 64
#: Slack (px) around a disc's projected extent when prefetching its pixels.
PREFETCH_MARGIN_PX = 2.0
#: ``llvm.prefetch`` locality 2 fills L2 and beyond (``prefetcht1`` on x86): a
#: bubble's ~50 lines fetched one bubble ahead would crowd L1's fill buffers.
_PREFETCH_LOCALITY = 2
#: Fast-math for the pixel loop only; ``nnan``/``ninf`` are safe there because
#: every operand is finite once :func:`_bubble_fill_ratio` has checked the geometry.
_PIXEL_LOOP_FASTMATH = {"reassoc", "nsz", "contract", "nnan", "ninf"}

_F8 = types.float64
_I8 = types.int64
#: Read-only, C-contiguous argument types: a writeable array converts to them,
#: a wrong dtype or layout fails loudly instead of compiling a new specialisation.
_GREY_IMAGE = types.Array(types.uint8, 2, "C", readonly=True)
_MATRIX = types.Array(types.float64, 2, "C", readonly=True)
_VECTOR = types.Array(types.float64, 1, "C", readonly=True)
_OUT_VECTOR = types.Array(types.float64, 1, "C")

_F8_PAIR = types.UniTuple(_F8, 2)  # type: ignore[no-untyped-call]  # numba's partial stubs
_DISC_SUMS_SIGNATURE = _F8_PAIR(
    _GREY_IMAGE, _I8, _I8, _I8, _I8, _F8, _F8, _F8, _F8, _F8, _F8, _F8, _F8
)
_BUBBLE_SIGNATURE = _F8(_GREY_IMAGE, _MATRIX, _F8, _F8, _F8, _F8, _F8)
_SHEET_SIGNATURE = types.void(_GREY_IMAGE, _MATRIX, _MATRIX, _VECTOR, _F8, _F8, _F8, _OUT_VECTOR)

_Function = TypeVar("_Function", bound=Callable[..., Any])
_Grey = npt.NDArray[np.uint8]
_Floats = npt.NDArray[np.float64]


def _kernel(
    signature: Any, *, fastmath: bool | set[str] = False
) -> Callable[[_Function], _Function]:
    """Compile eagerly for ``signature`` only: GIL released, cached on disk, no raising."""
    return cast(
        "Callable[[_Function], _Function]",
        njit(signature, nogil=True, cache=True, fastmath=fastmath, error_model="numpy"),
    )


def _prefetch_typing(typingctx: Any, image: Any, row: Any, col: Any) -> Any:
    """Ask the CPU to bring ``image[row, col]``'s cache line closer; no effect on results.

    A compiler intrinsic, not a kernel: it emits ``llvm.prefetch``, which
    never faults and computes nothing, so it has no numpy twin.
    """
    if not (
        isinstance(image, types.Array)
        and image.ndim == 2
        and isinstance(row, types.Integer)
        and isinstance(col, types.Integer)
    ):
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        array_type = signature.args[0]
        array = context.make_array(array_type)(context, builder, args[0])
        pointer = _CGUTILS.get_item_pointer(
            context, builder, array_type, array, [args[1], args[2]], wraparound=False
        )
        byte_pointer = ir.IntType(8).as_pointer()
        int32 = ir.IntType(32)
        function = _CGUTILS.get_or_insert_function(
            builder.module,
            ir.FunctionType(ir.VoidType(), [byte_pointer, int32, int32, int32]),
            "llvm.prefetch.p0",
        )
        read, data_cache = int32(0), int32(1)
        locality = int32(_PREFETCH_LOCALITY)
        builder.call(function, [builder.bitcast(pointer, byte_pointer), read, locality, data_cache])
        return context.get_dummy_value()

    return types.void(image, row, col), codegen


#: Numba's code-generation helpers carry no type hints.
_CGUTILS: Any = cgutils
_prefetch: Any = intrinsic(_prefetch_typing)


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
    n_cols = np.uint64(max(col1 - col0 + 1, 0))
    first_col = np.uint64(col0)
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
        for j in range(n_cols):
            weight = min(max((curvature * dx + linear) * dx + constant, zero), one)
            credit = min(max(offset - slope * np.float32(image[row, first_col + j]), zero), one)
            row_credit += weight * credit
            row_weight += weight
            dx += one
        credit_sum += float(row_credit)
        weight_sum += float(row_weight)
        dy += 1.0
    return credit_sum, weight_sum


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
    w = h[2, 0] * x_mm + h[2, 1] * y_mm + h[2, 2]
    if not (w > 0.0 and radius_mm > 0.0):
        return np.nan
    u = (h[0, 0] * x_mm + h[0, 1] * y_mm + h[0, 2]) / w
    v = (h[1, 0] * x_mm + h[1, 1] * y_mm + h[1, 2]) / w
    # Jacobian of the projective map at the centre, px per mm.
    j00 = (h[0, 0] - u * h[2, 0]) / w
    j01 = (h[0, 1] - u * h[2, 1]) / w
    j10 = (h[1, 0] - v * h[2, 0]) / w
    j11 = (h[1, 1] - v * h[2, 1]) / w
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
    return credit_sum / weight_sum


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
    bubble is measured, the pixels of the next are prefetched: a sheet's
    image has usually left the caches since it was decoded, and fetching a
    bubble's rows one by one on demand would triple the time.
    """
    h = homography
    n_rows, n_cols = image.shape
    count = radii_mm.shape[0]
    for n in range(count):
        ahead = n + 1
        if ahead < count:
            x_mm, y_mm = centers_mm[ahead, 0], centers_mm[ahead, 1]
            w = h[2, 0] * x_mm + h[2, 1] * y_mm + h[2, 2]
            u = (h[0, 0] * x_mm + h[0, 1] * y_mm + h[0, 2]) / w
            v = (h[1, 0] * x_mm + h[1, 1] * y_mm + h[1, 2]) / w
            reach = radii_mm[ahead] / w
            half_x = reach * math.hypot(h[0, 0] - u * h[2, 0], h[0, 1] - u * h[2, 1])
            half_y = reach * math.hypot(h[1, 0] - v * h[2, 0], h[1, 1] - v * h[2, 1])
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


# -- registration: transform fits and small pixel measurements -----------------------------
#: Unknowns of an affine transform, and of a projective one with ``H[2, 2] = 1``.
AFFINE_PARAMETERS = 6
PROJECTIVE_PARAMETERS = 8
#: Normal equations whose Hadamard ratio (determinant over the product of the
#: diagonal, 1 for orthogonal columns) falls below this come from a degenerate
#: point set: collinear, repeated, or all but one on a line. Normalised marks
#: of a sheet give 0.01 and more, degenerate sets 1e-10 and less.
MIN_HADAMARD_RATIO = 1e-6
#: Grey levels of an 8-bit image.
_GREY_LEVELS = 256
#: Pixels added around a rectangle's circumscribed square when boxing it.
_BOX_MARGIN_PX = 2
#: Values of a thresholded mask, as OpenCV's contour tracing expects them.
_MASK_ON = np.uint8(255)
_MASK_OFF = np.uint8(0)
#: Hartley's normalisation moves points to a mean distance of sqrt(2) from their centroid.
_NORMALISED_SPREAD = math.sqrt(2.0)

_MASK = types.Array(types.boolean, 1, "C", readonly=True)
_OUT_MATRIX = types.Array(types.float64, 2, "C")
_SOLVE_SIGNATURE = types.boolean(_MATRIX, _VECTOR, _I8, _OUT_VECTOR)
_FIT_SIGNATURE = types.boolean(_MATRIX, _MATRIX, _MASK, types.boolean, _OUT_MATRIX, _OUT_VECTOR)
_CELL_MEANS_SIGNATURE = types.boolean(_GREY_IMAGE, _MATRIX, _MATRIX, _I8, _OUT_VECTOR)
_MEDIAN_SIGNATURE = _F8(_GREY_IMAGE, types.Array(types.int64, 2, "C", readonly=True), _I8)
_COARSE_MASK_SIGNATURE = _F8_PAIR(
    _GREY_IMAGE, _I8, _I8, _I8, _F8, _F8, types.Array(types.uint8, 2, "C")
)
_DARK_BLOBS_SIGNATURE = _I8(types.Array(types.uint8, 2, "C", readonly=True), _F8, _F8, _OUT_MATRIX)
_F8_TRIPLE = types.UniTuple(_F8, 3)  # type: ignore[no-untyped-call]  # numba's partial stubs
_MOMENTS_SIGNATURE = _F8_TRIPLE(
    _GREY_IMAGE, _I8, _I8, _I8, _I8, _F8, _F8, _F8, _F8, _F8, _F8, _F8, _F8
)
_CENTRED_MOMENTS_SIGNATURE = _F8_TRIPLE(_GREY_IMAGE, _F8, _F8, _F8, _F8, _F8, _F8, _F8, _F8, _I8)


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
        w = out[2, 0] * x + out[2, 1] * y + out[2, 2]
        u = (out[0, 0] * x + out[0, 1] * y + out[0, 2]) / w
        v = (out[1, 0] * x + out[1, 1] * y + out[1, 2]) / w
        residuals[i] = math.hypot(u - dst[i, 0], v - dst[i, 1])
    return True


@_kernel(_MOMENTS_SIGNATURE, fastmath=_PIXEL_LOOP_FASTMATH)
def _rect_moments(
    image: _Grey,
    col0: int,
    row0: int,
    col1: int,
    row1: int,
    x_px: float,
    y_px: float,
    cos_angle: float,
    sin_angle: float,
    half_u: float,
    half_v: float,
    ink: float,
    paper: float,
) -> tuple[float, float, float]:
    """Darkness-weighted moments of the pixels of a turned rectangle.

    The rectangle is centred at ``(x_px, y_px)``, ``2 half_u`` long along
    ``(cos_angle, sin_angle)`` and ``2 half_v`` across. A pixel of rows
    ``row0..row1 - 1`` and columns ``col0..col1 - 1`` (clipped to the image)
    whose centre lies ``along`` and ``across`` from the rectangle's centre
    counts by the share of it inside, estimated as
    ``clip(half_u - |along| + 1/2, 0, 1) * clip(half_v - |across| + 1/2, 0, 1)``
    (signed distance to the sides plus half a pixel), times its darkness
    ``clip((paper - g) / (paper - ink), 0, 1)``. The share makes the moments
    move smoothly with the rectangle, which a pixel-in-or-out test would not.
    Each row's pixels with a nonzero share form one run, found from the
    rectangle's sides, so the pixel loop has no test.

    Returns
    -------
    m00, m10, m01 : float
        Sum of weights, and of weights times the pixel centres' x and y.
    """
    n_rows, n_cols = image.shape
    inverse = 1.0 / (paper - ink)
    col0, col1 = max(col0, 0), min(col1, n_cols)
    # Pixel centres up to half a pixel beyond a side still have a share.
    reach_u, reach_v = half_u + PIXEL_CENTER, half_v + PIXEL_CENTER
    m00, m10, m01 = 0.0, 0.0, 0.0
    for i in range(max(row0, 0), min(row1, n_rows)):
        y = i + PIXEL_CENTER
        dy = y - y_px
        # |dx cos + dy sin| <= reach_u and |dy cos - dx sin| <= reach_v, as an
        # interval of dx (finite bounds to begin with: fast-math has no inf).
        low, high = -(reach_u + reach_v), reach_u + reach_v
        for along, offset, reach in ((cos_angle, dy * sin_angle, reach_u),
                                     (-sin_angle, dy * cos_angle, reach_v)):  # fmt: skip
            if along != 0.0:
                a, b = (-reach - offset) / along, (reach - offset) / along
                low, high = max(low, min(a, b)), min(high, max(a, b))
            elif abs(offset) > reach:
                low, high = 1.0, 0.0
        if not low <= high:
            continue  # the row misses the rectangle
        first = max(math.ceil(x_px + low - PIXEL_CENTER), col0)
        count = np.uint64(max(min(math.floor(x_px + high - PIXEL_CENTER), col1 - 1) - first + 1, 0))
        # Unsigned indices let the loop vectorise (no wrap-around of negatives).
        row, start = np.uint64(i), np.uint64(first)
        dx0 = first + PIXEL_CENTER - x_px
        row_weight, row_x = 0.0, 0.0
        for k in range(count):
            dx = dx0 + float(k)
            share_u = min(max(reach_u - abs(dx * cos_angle + dy * sin_angle), 0.0), 1.0)
            share_v = min(max(reach_v - abs(dy * cos_angle - dx * sin_angle), 0.0), 1.0)
            darkness = min(max((paper - image[row, start + k]) * inverse, 0.0), 1.0)
            weight = share_u * share_v * darkness
            row_weight += weight
            row_x += weight * float(k)
        m00 += row_weight
        m10 += row_x + (first + PIXEL_CENTER) * row_weight
        m01 += row_weight * y
    return m00, m10, m01


@_kernel(_CENTRED_MOMENTS_SIGNATURE)
def _centred_moments(
    image: _Grey,
    x_px: float,
    y_px: float,
    cos_angle: float,
    sin_angle: float,
    half_u: float,
    half_v: float,
    ink: float,
    paper: float,
    passes: int,
) -> tuple[float, float, float]:
    """Darkness-weighted area and centroid over a turned rectangle centred on that centroid.

    The first pass weighs the rectangle centred at ``(x_px, y_px)`` as
    :func:`_rect_moments` does; each further pass centres it on the
    centroid the last one found. The box searched holds the rectangle and
    the half pixel of share beyond it.

    Returns
    -------
    area, x, y : float
        Sum of weights and the centroid of the last pass; an area of 0 (and
        the last centre) when the rectangle holds no ink.
    """
    if not (math.isfinite(x_px + y_px) and math.isfinite(half_u + half_v)):
        return 0.0, x_px, y_px
    # Pixels with a share lie within hypot(half_u + 1/2, half_v + 1/2) of the centre.
    reach = math.ceil(math.hypot(half_u, half_v)) + _BOX_MARGIN_PX
    area = 0.0
    for _ in range(passes):
        col, row = math.floor(x_px), math.floor(y_px)
        area, m10, m01 = _rect_moments(
            image,
            col - reach,
            row - reach,
            col + reach + 1,
            row + reach + 1,
            x_px,
            y_px,
            cos_angle,
            sin_angle,
            half_u,
            half_v,
            ink,
            paper,
        )
        if not area > 0.0:
            return 0.0, x_px, y_px
        x_px, y_px = m10 / area, m01 / area
    return area, x_px, y_px


@_kernel(_CELL_MEANS_SIGNATURE)
def _cell_means(
    image: _Grey, homography: _Floats, centers_mm: _Floats, half: int, out: _Floats
) -> bool:
    """Mean grey of the ``(2 half + 1)^2`` pixels around each mapped centre, into ``out``.

    Centre ``n`` maps to pixel ``(floor(v), floor(u))``; its box spans
    ``half`` pixels on every side. Returns False, with ``out`` unspecified,
    when a box leaves the image or a centre maps to no finite point.
    """
    h = homography
    n_rows, n_cols = image.shape
    for n in range(centers_mm.shape[0]):
        x_mm, y_mm = centers_mm[n, 0], centers_mm[n, 1]
        w = h[2, 0] * x_mm + h[2, 1] * y_mm + h[2, 2]
        u = (h[0, 0] * x_mm + h[0, 1] * y_mm + h[0, 2]) / w
        v = (h[1, 0] * x_mm + h[1, 1] * y_mm + h[1, 2]) / w
        if not (half <= u < n_cols - half and half <= v < n_rows - half):
            return False
        col, row = math.floor(u), math.floor(v)
        total = 0.0
        for i in range(row - half, row + half + 1):
            for j in range(col - half, col + half + 1):
                total += image[i, j]
        out[n] = total / (2 * half + 1) ** 2
    return True


@_kernel(_MEDIAN_SIGNATURE)
def _median_grey(image: _Grey, boxes: npt.NDArray[np.int64], step: int) -> float:
    """Median grey of the pixels of the boxes, every ``step``-th row and column of each.

    Box ``k`` is ``boxes[k] = (col0, row0, col1, row1)``, half-open, clipped
    to the image. The median is the lowest grey level at or below which half
    of the sampled pixels lie; NaN when no pixel is sampled.
    """
    n_rows, n_cols = image.shape
    counts = np.zeros(_GREY_LEVELS, dtype=np.int64)
    for k in range(boxes.shape[0]):
        col0, row0 = max(boxes[k, 0], 0), max(boxes[k, 1], 0)
        col1, row1 = min(boxes[k, 2], n_cols), min(boxes[k, 3], n_rows)
        for i in range(row0, row1, step):
            for j in range(col0, col1, step):
                counts[image[i, j]] += 1
    total = np.sum(counts)
    if total == 0:
        return np.nan
    running = 0
    for level in range(_GREY_LEVELS):
        running += counts[level]
        if 2 * running >= total:
            return float(level)
    return np.nan


@_kernel(_COARSE_MASK_SIGNATURE)
def _coarse_mask(
    image: _Grey,
    col0: int,
    row0: int,
    stride: int,
    low_share: float,
    high_share: float,
    out: npt.NDArray[np.uint8],
) -> tuple[float, float]:
    """Threshold a window subsampled every ``stride`` pixels midway between its levels.

    Coarse pixel ``(r, c)`` of ``out`` is image pixel ``(row0 + r stride,
    col0 + c stride)``. The levels are the grey values below which
    ``low_share`` and ``high_share`` of every other coarse pixel each way
    lie (the first level whose cumulative count exceeds the share); ``out``
    becomes 255 where a pixel is at most midway between them, else 0. Coarse
    pixels beyond the image are left as they are.

    Returns
    -------
    low, high : float
        The two levels (ink and paper).
    """
    n_rows = min(out.shape[0], (image.shape[0] - row0 + stride - 1) // stride)
    n_cols = min(out.shape[1], (image.shape[1] - col0 + stride - 1) // stride)
    step = np.uint64(stride)
    counts = np.zeros(_GREY_LEVELS, dtype=np.int64)
    for r in range(0, n_rows, 2):
        # Row views and unsigned steps: no wrap-around test per pixel.
        source = image[row0 + r * stride, col0:]
        for c in range(np.uint64((n_cols + 1) // 2)):
            counts[source[2 * c * step]] += 1
    total = np.sum(counts)
    levels = np.zeros(2)
    for k, share in enumerate((low_share, high_share)):
        running = 0
        level = 0
        while level < _GREY_LEVELS - 1 and running + counts[level] <= share * total:
            running += counts[level]
            level += 1
        levels[k] = level
    # A grey level is at most midway exactly when it is at most its floor.
    middle = np.uint8(math.floor((levels[0] + levels[1]) / 2))
    for r in range(n_rows):
        source, target = image[row0 + r * stride, col0:], out[r]
        for c in range(np.uint64(n_cols)):
            target[c] = _MASK_ON if source[c * step] <= middle else _MASK_OFF
    return levels[0], levels[1]


@_kernel(_DARK_BLOBS_SIGNATURE)
def _dark_blobs(mask: npt.NDArray[np.uint8], low: float, high: float, out: _Floats) -> int:
    """Shapes of a mask whose bounding box sides lie between ``low`` and ``high``.

    A shape is an 8-connected set of nonzero pixels. Those whose bounding box
    sides both lie in ``[low, high]`` and which do not touch the mask's
    border are written, in the order their first pixels come in a row-by-row
    scan, as rows of ``out`` (up to its length): ``left, top, width, height,
    pixels, mean_x, mean_y, var_x, var_y, cov_xy``, in pixel indices, the
    last five the moments of the pixels' positions.

    Returns
    -------
    int
        How many shapes qualify.

    Notes
    -----
    Shapes are built from the runs of nonzero pixels along each row: a run
    joins every run of the row above that it touches, diagonally included,
    in a union-find over runs whose roots are each shape's first run. The
    moments are summed run by run in closed form.
    """
    n_rows, n_cols = mask.shape
    capacity = n_rows * ((n_cols + 1) // 2)
    starts = np.empty(capacity, np.int64)
    ends = np.empty(capacity, np.int64)
    rows = np.empty(capacity, np.int64)
    parent = np.empty(capacity, np.int64)
    n_runs, above_first, above_end = 0, 0, 0
    for i in range(n_rows):
        first, k, j = n_runs, above_first, 0
        while j < n_cols:
            if mask[i, j] == 0:
                j += 1
                continue
            start = j
            while j < n_cols and mask[i, j] != 0:
                j += 1
            starts[n_runs], ends[n_runs], rows[n_runs], parent[n_runs] = start, j - 1, i, n_runs
            # Skip the runs above that end left of this one (diagonals touch).
            while k < above_end and ends[k] < start - 1:
                k += 1
            touching = k
            while touching < above_end and starts[touching] <= j:
                a, b = touching, n_runs
                while parent[a] != a:
                    a = parent[a]
                while parent[b] != b:
                    b = parent[b]
                parent[max(a, b)] = min(a, b)
                touching += 1
            n_runs += 1
        above_first, above_end = first, n_runs
    # Per shape: left, top, right, bottom, pixels, sums of x, y, x^2, y^2, x y.
    shape_of = np.full(n_runs, -1, np.int64)
    sums = np.zeros((n_runs, 10))
    n_shapes = 0
    for r in range(n_runs):
        root = r
        while parent[root] != root:
            root = parent[root]
        parent[r] = root
        a, b, y = starts[r], ends[r], rows[r]
        if shape_of[root] < 0:
            shape_of[root] = n_shapes
            sums[n_shapes, 0], sums[n_shapes, 1], sums[n_shapes, 2] = a, y, b
            n_shapes += 1
        m = shape_of[root]
        count = b - a + 1
        sum_x = count * (a + b) / 2.0
        sums[m, 0], sums[m, 2], sums[m, 3] = min(sums[m, 0], a), max(sums[m, 2], b), y
        sums[m, 4] += count
        sums[m, 5] += sum_x
        sums[m, 6] += count * y
        sums[m, 7] += (b * (b + 1) * (2 * b + 1) - (a - 1) * a * (2 * a - 1)) / 6.0
        sums[m, 8] += count * y * y
        sums[m, 9] += sum_x * y
    written = 0
    for m in range(n_shapes):
        left, top, right, bottom, pixels = (
            sums[m, 0],
            sums[m, 1],
            sums[m, 2],
            sums[m, 3],
            sums[m, 4],
        )
        width, height = right - left + 1, bottom - top + 1
        inside = left > 0 and top > 0 and right < n_cols - 1 and bottom < n_rows - 1
        if not (inside and low <= width <= high and low <= height <= high):
            continue
        if written < out.shape[0]:
            mean_x, mean_y = sums[m, 5] / pixels, sums[m, 6] / pixels
            out[written, 0], out[written, 1] = left, top
            out[written, 2], out[written, 3], out[written, 4] = width, height, pixels
            out[written, 5], out[written, 6] = mean_x, mean_y
            out[written, 7] = sums[m, 7] / pixels - mean_x * mean_x
            out[written, 8] = sums[m, 8] / pixels - mean_y * mean_y
            out[written, 9] = sums[m, 9] / pixels - mean_x * mean_y
        written += 1
    return written
