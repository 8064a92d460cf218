"""Slow, obvious numpy twins of the compiled kernels in :mod:`omrkit._kernels`.

Each function here has the name and signature of a kernel and computes the
same quantity the plain way: whole arrays, no loop tricks, no fast-math, the
Jacobian from its textbook formula and every pixel mapped back to
millimetres. The parity tests hold the kernels to these twins; nothing on
the reading path calls them.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import numpy.typing as npt

from omrkit._kernels import (
    AFFINE_PARAMETERS,
    MIN_HADAMARD_RATIO,
    PIXEL_CENTER,
    PROJECTIVE_PARAMETERS,
    RIM_HALF_WIDTH_PX,
)

__all__: list[str] = []

_Grey = npt.NDArray[np.uint8]
_Floats = npt.NDArray[np.float64]


def _project(homography: _Floats, x_mm: float, y_mm: float) -> tuple[float, float, float]:
    """Twin of :func:`omrkit._kernels._project`."""
    u_w, v_w, w = np.asarray(homography, dtype=np.float64) @ np.array([x_mm, y_mm, 1.0])
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(u_w / w), float(v_w / w), float(w)


def _projection_jacobian(
    homography: _Floats, u: float, v: float, w: float
) -> tuple[float, float, float, float]:
    """Twin of :func:`omrkit._kernels._projection_jacobian`: the quotient rule, as a matrix."""
    h = np.asarray(homography, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        jacobian = (h[:2, :2] - np.outer([u, v], h[2, :2])) / w
    return tuple(float(entry) for entry in jacobian.ravel())  # type: ignore[return-value]


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
    """Twin of :func:`omrkit._kernels._disc_sums`."""
    grey = image[row0 : row1 + 1, col0 : col1 + 1].astype(np.float64)
    dy, dx = np.mgrid[0 : row1 - row0 + 1, 0 : col1 - col0 + 1].astype(np.float64)
    dx += dx0
    dy += dy0
    weight = np.clip(
        quad_xx * dx**2 + quad_xy * dx * dy + quad_yy * dy**2 + weight_at_center, 0.0, 1.0
    )
    credit = np.clip(credit_offset - credit_slope * grey, 0.0, 1.0)
    return float(np.sum(weight * credit)), float(np.sum(weight))


def _bubble_fill_ratio(
    image: _Grey,
    homography: _Floats,
    x_mm: float,
    y_mm: float,
    radius_mm: float,
    credit_offset: float,
    credit_slope: float,
) -> float:
    """Twin of :func:`omrkit._kernels._bubble_fill_ratio`."""
    h = np.asarray(homography, dtype=np.float64)
    projected = h @ np.array([x_mm, y_mm, 1.0])
    w = float(projected[2])
    if not (w > 0.0 and radius_mm > 0.0):
        return math.nan
    center_px = projected[:2] / w
    jacobian = (h[:2, :2] - np.outer(center_px, h[2, :2])) / w
    det = float(np.linalg.det(jacobian))
    if not abs(det) > 0.0:
        return math.nan
    k = math.sqrt(abs(det)) / (2.0 * radius_mm)
    reach = math.sqrt(radius_mm**2 + RIM_HALF_WIDTH_PX / k)
    half_extent = reach * np.hypot(jacobian[:, 0], jacobian[:, 1])
    low = center_px - half_extent - PIXEL_CENTER
    high = center_px + half_extent - PIXEL_CENTER
    n_rows, n_cols = image.shape
    if not (low[0] > -1.0 and low[1] > -1.0 and high[0] < n_cols and high[1] < n_rows):
        return math.nan
    col0, row0 = np.ceil(low).astype(int)
    col1, row1 = np.floor(high).astype(int)
    rows, cols = np.mgrid[row0 : row1 + 1, col0 : col1 + 1]
    offsets_px = np.stack([cols + PIXEL_CENTER - center_px[0], rows + PIXEL_CENTER - center_px[1]])
    offsets_mm = np.einsum("ij,jab->iab", np.linalg.inv(jacobian), offsets_px)
    distance2_mm = np.sum(offsets_mm**2, axis=0)
    weight = np.clip(k * (radius_mm**2 - distance2_mm) + RIM_HALF_WIDTH_PX, 0.0, 1.0)
    grey = image[row0 : row1 + 1, col0 : col1 + 1].astype(np.float64)
    credit = np.clip(credit_offset - credit_slope * grey, 0.0, 1.0)
    weight_sum = float(np.sum(weight))
    if not weight_sum > 0.0:
        return math.nan
    return min(max(float(np.sum(weight * credit)) / weight_sum, 0.0), 1.0)


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
    """Twin of :func:`omrkit._kernels._fill_ratios_sheet`."""
    for n, ((x_mm, y_mm), radius_mm) in enumerate(zip(centers_mm, radii_mm, strict=True)):
        out[n] = _bubble_fill_ratio(
            image,
            homography,
            float(x_mm),
            float(y_mm),
            float(radius_mm) - inset_mm,
            credit_offset,
            credit_slope,
        )


def _solve_normal_equations(gram: _Floats, rhs: _Floats, blocks: int, out: _Floats) -> bool:
    """Twin of :func:`omrkit._kernels._solve_normal_equations`."""
    sign, log_det = np.linalg.slogdet(gram)
    diagonal = np.diag(gram)
    if sign <= 0 or np.any(diagonal <= 0):
        return False
    if log_det - np.log(diagonal).sum() < blocks * math.log(MIN_HADAMARD_RATIO):
        return False
    out[:] = np.linalg.solve(gram, rhs)
    return True


def _fit_transform(
    src: _Floats,
    dst: _Floats,
    used: npt.NDArray[np.bool_],
    projective: bool,
    out: _Floats,
    residuals: _Floats,
) -> bool:
    """Twin of :func:`omrkit._kernels._fit_transform`."""
    a, b = src[used], dst[used]
    if len(a) == 0:
        return False
    t_src, t_dst = _hartley(a), _hartley(b)
    a = a @ t_src[:2, :2].T + t_src[:2, 2]
    b = b @ t_dst[:2, :2].T + t_dst[:2, 2]
    n = PROJECTIVE_PARAMETERS if projective else AFFINE_PARAMETERS
    rows = np.zeros((2 * len(a), PROJECTIVE_PARAMETERS))
    rows[0::2, 0:2], rows[0::2, 2] = a, 1.0
    rows[1::2, 3:5], rows[1::2, 5] = a, 1.0
    rows[0::2, 6:8] = -a * b[:, :1]
    rows[1::2, 6:8] = -a * b[:, 1:]
    design = rows[:, :n]
    entries = np.zeros(PROJECTIVE_PARAMETERS)
    blocks = 1 if projective else 2
    if not _solve_normal_equations(design.T @ design, design.T @ b.ravel(), blocks, entries[:n]):
        return False
    matrix = np.linalg.inv(t_dst) @ np.append(entries, 1.0).reshape(3, 3) @ t_src
    if not abs(matrix[2, 2]) > 0.0:
        return False
    out[:] = matrix / matrix[2, 2]
    homogeneous = np.column_stack([src, np.ones(len(src))]) @ out.T
    residuals[:] = np.linalg.norm(homogeneous[:, :2] / homogeneous[:, 2:] - dst, axis=1)
    return True


def _hartley(points: _Floats) -> _Floats:
    """Move ``points`` to their centroid and scale them to a mean distance of sqrt(2)."""
    centre = points.mean(axis=0)
    spread = float(np.linalg.norm(points - centre, axis=1).mean())
    factor = math.sqrt(2.0) / spread if spread > 0 else 1.0
    return np.array(
        [[factor, 0.0, -factor * centre[0]], [0.0, factor, -factor * centre[1]], [0.0, 0.0, 1.0]]
    )


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
    """Twin of :func:`omrkit._kernels._rect_moments`."""
    n_rows, n_cols = image.shape
    rows = np.arange(max(row0, 0), min(row1, n_rows))
    cols = np.arange(max(col0, 0), min(col1, n_cols))
    y, x = np.meshgrid(rows + PIXEL_CENTER, cols + PIXEL_CENTER, indexing="ij")
    along = (x - x_px) * cos_angle + (y - y_px) * sin_angle
    across = (y - y_px) * cos_angle - (x - x_px) * sin_angle
    share = np.clip(half_u - np.abs(along) + PIXEL_CENTER, 0.0, 1.0) * np.clip(
        half_v - np.abs(across) + PIXEL_CENTER, 0.0, 1.0
    )
    grey = image[np.ix_(rows, cols)].astype(np.float64)
    weight = share * np.clip((paper - grey) / (paper - ink), 0.0, 1.0)
    return float(weight.sum()), float((weight * x).sum()), float((weight * y).sum())


def _cell_means(
    image: _Grey, homography: _Floats, centers_mm: _Floats, half: int, out: _Floats
) -> bool:
    """Twin of :func:`omrkit._kernels._cell_means`."""
    # The kernel's projection term by term, not a matrix product: a centre on a
    # pixel edge must floor to the same pixel in both (BLAS may round otherwise).
    h, x, y = homography, centers_mm[:, 0], centers_mm[:, 1]
    w = h[2, 0] * x + h[2, 1] * y + h[2, 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        centres = np.column_stack(
            [(h[0, 0] * x + h[0, 1] * y + h[0, 2]) / w, (h[1, 0] * x + h[1, 1] * y + h[1, 2]) / w]
        )
    if not np.isfinite(centres).all():
        return False
    offsets = np.arange(-half, half + 1)
    rows = np.floor(centres[:, 1]).astype(np.int64)[:, None] + offsets
    cols = np.floor(centres[:, 0]).astype(np.int64)[:, None] + offsets
    if len(centres) and (rows.min() < 0 or cols.min() < 0):
        return False
    if len(centres) and (rows.max() >= image.shape[0] or cols.max() >= image.shape[1]):
        return False
    out[:] = image[rows[:, :, None], cols[:, None, :]].mean(axis=(1, 2))
    return True


def _median_grey(image: _Grey, boxes: npt.NDArray[np.int64], step: int) -> float:
    """Twin of :func:`omrkit._kernels._median_grey`."""
    parts = [
        image[max(y0, 0) : max(y1, 0) : step, max(x0, 0) : max(x1, 0) : step].ravel()
        for x0, y0, x1, y1 in boxes
    ]
    samples = np.concatenate([np.zeros(0, np.uint8), *parts])
    if samples.size == 0:
        return math.nan
    cumulative = np.cumsum(np.bincount(samples, minlength=256))
    return float(np.searchsorted(cumulative, cumulative[-1] / 2))


def _coarse_mask(
    image: _Grey,
    col0: int,
    row0: int,
    stride: int,
    low_share: float,
    high_share: float,
    out: npt.NDArray[np.uint8],
) -> tuple[float, float]:
    """Twin of :func:`omrkit._kernels._coarse_mask`."""
    coarse = image[row0::stride, col0::stride][: out.shape[0], : out.shape[1]]
    cumulative = np.cumsum(np.bincount(coarse[::2, ::2].ravel(), minlength=256))
    low, high = (
        min(int(np.searchsorted(cumulative, share * cumulative[-1], side="right")), 255)
        for share in (low_share, high_share)
    )
    rows, cols = coarse.shape
    out[:rows, :cols] = np.where(coarse <= (low + high) / 2, 255, 0)
    return float(low), float(high)


def _dark_blobs(mask: npt.NDArray[np.uint8], low: float, high: float, out: _Floats) -> int:
    """Twin of :func:`omrkit._kernels._dark_blobs`."""
    n_labels, labels = cv2.connectedComponents((mask != 0).astype(np.uint8), connectivity=8)
    n_rows, n_cols = mask.shape
    shapes = [np.flatnonzero(labels.ravel() == label) for label in range(1, n_labels)]
    written = 0
    for pixels in sorted(shapes, key=lambda p: int(p[0])):
        ys, xs = np.divmod(pixels, n_cols)
        width, height = xs.max() - xs.min() + 1, ys.max() - ys.min() + 1
        inside = xs.min() > 0 and ys.min() > 0 and xs.max() < n_cols - 1 and ys.max() < n_rows - 1
        if not (inside and low <= width <= high and low <= height <= high):
            continue
        if written < len(out):
            cov = float(np.mean((xs - xs.mean()) * (ys - ys.mean())))
            out[written] = (xs.min(), ys.min(), width, height, len(pixels),
                            xs.mean(), ys.mean(), xs.var(), ys.var(), cov)  # fmt: skip
        written += 1
    return written


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
    """Twin of :func:`omrkit._kernels._centred_moments`."""
    if not np.isfinite([x_px, y_px, half_u, half_v]).all():
        return 0.0, x_px, y_px
    area = 0.0
    for _ in range(passes):
        # The whole image: the twin needs no box, the rectangle bounds the sums.
        rows, cols = image.shape
        args = (x_px, y_px, cos_angle, sin_angle, half_u, half_v, ink, paper)
        area, m10, m01 = _rect_moments(image, 0, 0, cols, rows, *args)
        if not area > 0.0:
            return 0.0, x_px, y_px
        x_px, y_px = m10 / area, m01 / area
    return area, x_px, y_px
