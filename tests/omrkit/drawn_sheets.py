"""Sheets drawn directly from layout coordinates through a known homography.

Independent of the renderer and the simulator: each registration mark and
black code cell is a polygon mapped through the true layout-to-image
homography and filled on a supersampled canvas, which is then averaged down,
so every edge pixel holds its covered share. Bubbles are grey rings.

cv2 fills every canvas pixel a polygon touches, so each edge sits within half
a canvas pixel of its true place: an eighth of an image pixel at the default
supersampling of 4, well inside the half pixel the registration tests allow.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import cv2
import numpy as np
import numpy.typing as npt

from omrkit.layout.models import (
    BitCode,
    Bubble,
    FieldKind,
    LayoutField,
    Page,
    RegistrationMark,
    SheetLayout,
    Slot,
)
from omrkit.registration.homography import apply_homography

__all__ = [
    "TOY_PAGE",
    "draw_sheet",
    "paint_square",
    "placement",
    "toy_layout",
]

TOY_PAGE = Page(width_mm=120.0, height_mm=160.0)
#: cv2 polygon coordinates carry this many fractional bits.
_SHIFT = 8
_RING_STEPS = 48


def toy_layout(*, layout_code: int = 5, serial: bool = True) -> SheetLayout:
    """A small sheet with the usual five marks, a layout-id code, a serial and 12 bubbles."""
    marks = (
        RegistrationMark(id="tl", x_mm=10, y_mm=10, size_mm=5),
        RegistrationMark(id="tr", x_mm=110, y_mm=10, size_mm=5),
        RegistrationMark(id="br", x_mm=110, y_mm=150, size_mm=5),
        RegistrationMark(id="bl", x_mm=10, y_mm=150, size_mm=5),
        RegistrationMark(id="orient", x_mm=28, y_mm=10, size_mm=5, role="orientation"),
    )
    slots = tuple(
        Slot(
            id=f"q{q + 1}",
            bubbles=tuple(
                Bubble(x_mm=30 + 8 * o, y_mm=60 + 10 * q, radius_mm=2.0, symbol="ABCD"[o])
                for o in range(4)
            ),
        )
        for q in range(3)
    )
    return SheetLayout(
        layout_id="toy",
        layout_code=layout_code,
        page=TOY_PAGE,
        marks=marks,
        layout_id_code=BitCode(id="layout_id", x_mm=50, y_mm=10, bits=8),
        serial_code=BitCode(id="serial", x_mm=30, y_mm=150, bits=12) if serial else None,
        fields=(LayoutField(id="answers", kind=FieldKind.ANSWERS, slots=slots),),
    )


def placement(
    page: Page,
    size: tuple[int, int],
    *,
    dpi: float,
    angle_deg: float = 0.0,
    scale: float = 1.0,
    shift_mm: tuple[float, float] = (0.0, 0.0),
    turned: bool = False,
    tilt_mm: npt.NDArray[np.float64] | None = None,
) -> npt.NDArray[np.float64]:
    """Layout mm to image px: the page centred in an image of ``size = (w, h)``.

    Rotated by ``angle_deg`` (plus 180° when ``turned``) and scaled about the
    page centre, shifted by ``shift_mm``; ``tilt_mm`` (4, 2) moves the page
    corners afterwards, making the map projective.
    """
    px_per_mm = dpi / 25.4 * scale
    theta = math.radians(angle_deg + (180.0 if turned else 0.0))
    c, s = math.cos(theta) * px_per_mm, math.sin(theta) * px_per_mm
    cx, cy = page.width_mm / 2, page.height_mm / 2
    tx = size[0] / 2 + shift_mm[0] * dpi / 25.4
    ty = size[1] / 2 + shift_mm[1] * dpi / 25.4
    affine = np.array([[c, -s, tx - c * cx + s * cy], [s, c, ty - s * cx - c * cy], [0, 0, 1]])
    if tilt_mm is None:
        return affine
    corners = np.array([[0, 0], [page.width_mm, 0], [page.width_mm, page.height_mm],
                        [0, page.height_mm]], dtype=np.float64)  # fmt: skip
    placed = apply_homography(affine, corners)
    moved = placed + np.asarray(tilt_mm) * dpi / 25.4
    tilt = cv2.getPerspectiveTransform(placed.astype(np.float32), moved.astype(np.float32))
    return np.asarray(tilt, dtype=np.float64) @ affine


def draw_sheet(
    layout: SheetLayout,
    homography: npt.NDArray[np.float64],
    size: tuple[int, int],
    *,
    serial: int | None = None,
    layout_code: int | None = None,
    paper: float = 255.0,
    ink: float = 0.0,
    ring: float = 200.0,
    skip_marks: Iterable[str] = (),
    supersample: int = 4,
) -> npt.NDArray[np.uint8]:
    """Draw ``layout`` as it lies under ``homography`` in an image of ``size = (w, h)``.

    ``layout_code`` overrides the code printed (to fake another layout);
    ``skip_marks`` leaves those registration marks unprinted.
    """
    k = supersample
    width, height = size
    coverage = np.zeros((height * k, width * k), np.uint8)
    to_canvas = np.diag([float(k), float(k), 1.0]) @ homography
    skipped = set(skip_marks)
    for mark in layout.marks:
        if mark.id not in skipped:
            _fill_square(coverage, to_canvas, mark.x_mm, mark.y_mm, mark.size_mm)
    code_value = layout.layout_code if layout_code is None else layout_code
    codes: list[tuple[BitCode, int]] = [(layout.layout_id_code, code_value)]
    if serial is not None and layout.serial_code is not None:
        codes.append((layout.serial_code, serial))
    for code, value in codes:
        for (x, y), black in zip(code.cell_centers_mm(), code.encode(value), strict=True):
            if black:
                _fill_square(coverage, to_canvas, float(x), float(y), code.cell_mm)
    rings = np.zeros_like(coverage)
    for centre, radius in zip(layout.bubbles.centers_mm, layout.bubbles.radii_mm, strict=True):
        _draw_ring(rings, to_canvas, centre, float(radius), thickness=max(1, k // 2))
    ink_share = cv2.resize(coverage, size, interpolation=cv2.INTER_AREA) / 255.0
    ring_share = cv2.resize(rings, size, interpolation=cv2.INTER_AREA) / 255.0
    grey = paper + (ring - paper) * ring_share
    grey = grey + (ink - grey) * ink_share
    return np.clip(np.rint(grey), 0, 255).astype(np.uint8)


def paint_square(
    image: npt.NDArray[np.uint8],
    homography: npt.NDArray[np.float64],
    x_mm: float,
    y_mm: float,
    side_mm: float,
    *,
    level: int,
) -> None:
    """Paint a square of the layout (e.g. to cover a mark with paper) in place, unsmoothed."""
    corners = _square_corners(x_mm, y_mm, side_mm)
    points = apply_homography(homography, corners) - 0.5
    cv2.fillPoly(image, [np.rint(points * (1 << _SHIFT)).astype(np.int32)], level, shift=_SHIFT)


def _square_corners(x_mm: float, y_mm: float, side_mm: float) -> npt.NDArray[np.float64]:
    h = side_mm / 2
    return np.array([[x_mm - h, y_mm - h], [x_mm + h, y_mm - h], [x_mm + h, y_mm + h],
                     [x_mm - h, y_mm + h]])  # fmt: skip


def _fill_square(
    canvas: npt.NDArray[np.uint8],
    to_canvas: npt.NDArray[np.float64],
    x_mm: float,
    y_mm: float,
    side_mm: float,
) -> None:
    # Continuous canvas coordinates to cv2's, whose pixel centres are integers.
    points = apply_homography(to_canvas, _square_corners(x_mm, y_mm, side_mm)) - 0.5
    cv2.fillPoly(canvas, [np.rint(points * (1 << _SHIFT)).astype(np.int32)], 255, shift=_SHIFT)


def _draw_ring(
    canvas: npt.NDArray[np.uint8],
    to_canvas: npt.NDArray[np.float64],
    centre: npt.NDArray[np.float64],
    radius: float,
    *,
    thickness: int,
) -> None:
    angles = np.linspace(0, 2 * math.pi, _RING_STEPS, endpoint=False)
    circle = centre + radius * np.column_stack([np.cos(angles), np.sin(angles)])
    points = apply_homography(to_canvas, circle) - 0.5
    scaled = np.rint(points * (1 << _SHIFT)).astype(np.int32)
    cv2.polylines(canvas, [scaled], True, 255, thickness=thickness, shift=_SHIFT)
