"""Compiled kernels of registration: finding and measuring squares, sampling grey levels.

A sheet's marks are a handful of squares and its codes a few dozen cells, so
the cost here is the number of calls, not arithmetic: each kernel replaces a
chain of small numpy or OpenCV calls (see :mod:`omrkit.registration.squares` and
:mod:`omrkit.registration.codes` for the reasons).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import types

from omrkit._kernels._compile import (
    _F8,
    _F8_PAIR,
    _GREY_IMAGE,
    _I8,
    _MATRIX,
    _OUT_VECTOR,
    _PIXEL_LOOP_FASTMATH,
    PIXEL_CENTER,
    _Floats,
    _Grey,
    _kernel,
)
from omrkit._kernels.projection import _project

__all__: list[str] = []

#: Grey levels of an 8-bit image.
_GREY_LEVELS = 256
#: Pixels added around a rectangle's circumscribed square when boxing it.
_BOX_MARGIN_PX = 2
#: Values of a thresholded mask, as OpenCV's contour tracing expects them.
_MASK_ON = np.uint8(255)
_MASK_OFF = np.uint8(0)
_OUT_MATRIX = types.Array(types.float64, 2, "C")
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
        u, v, _ = _project(h, x_mm, y_mm)
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
