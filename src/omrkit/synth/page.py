"""The printed page of a simulated sheet, and the ink put on it.

The layout is rendered once per resolution (:func:`page_template`, cached);
each sheet copies the blank, gets its serial stamped into the serial code's
cells (:func:`stamp_code`) and its planned marks painted (:func:`paint_plan`).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from omrkit.errors import SynthError
from omrkit.layout.models import OUTLINE_STROKE_MM, BitCode, SheetLayout
from omrkit.synth.plan import FillPlan
from omrkit.synth.strokes import (
    GHOST_DARKNESS,
    PEN_DARKNESS,
    PENCIL_DARKNESS,
    Instrument,
    MarkKind,
    paint_mark,
)

__all__ = ["MAX_DPI", "MIN_DPI", "PageTemplate", "page_template", "paint_plan", "stamp_code"]

#: Resolutions a sheet can be simulated at: a 2 mm bubble needs ~10 px at least.
MIN_DPI = 100
MAX_DPI = 600
MM_PER_INCH = 25.4
#: Rendered blank pages kept in memory, one per (layout, dpi).
_TEMPLATE_CACHE_SIZE = 8


@dataclass(frozen=True, slots=True)
class PageTemplate:
    """A layout printed blank at one resolution, and where its parts fall in pixels.

    Attributes
    ----------
    page : (H, W) ndarray of float32
        The blank page without serial, 0 black .. 255 white; read-only.
    px_per_mm : float
    centers_px : (N, 2) ndarray of float64
        Bubble centres in continuous page pixels.
    inner_radii_px : (N,) ndarray of float64
        Radii of the bubbles' inner discs in pixels.
    mark_corners_px : (4 M, 2) ndarray of float64
        Corners of every registration mark in page pixels.
    """

    page: npt.NDArray[np.float32]
    px_per_mm: float
    centers_px: npt.NDArray[np.float64]
    inner_radii_px: npt.NDArray[np.float64]
    mark_corners_px: npt.NDArray[np.float64]


_templates: dict[tuple[str, int], PageTemplate] = {}
_templates_lock = threading.Lock()


def page_template(layout: SheetLayout, dpi: int) -> PageTemplate:
    """The layout printed blank (no serial) at ``dpi``, cached per (layout, dpi).

    Raises
    ------
    SynthError
        If ``dpi`` is not an integer in ``MIN_DPI``..``MAX_DPI``.
    """
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not MIN_DPI <= dpi <= MAX_DPI:
        raise SynthError(
            f"dpi must be an integer in {MIN_DPI}..{MAX_DPI}, got {dpi!r}", field="dpi"
        )
    key = (layout.to_json(), dpi)
    with _templates_lock:
        cached = _templates.get(key)
    if cached is not None:
        return cached
    template = _render_template(layout, dpi)
    with _templates_lock:
        if len(_templates) >= _TEMPLATE_CACHE_SIZE:
            _templates.pop(next(iter(_templates)))
        _templates[key] = template
    return template


def _render_template(layout: SheetLayout, dpi: int) -> PageTemplate:
    from omrkit.render import render_sheet

    png = render_sheet(layout, format="png", dpi=dpi)
    # Grey as the renderer documents it for grey-scale readers: luma of RGB.
    grey = cv2.imdecode(np.frombuffer(png, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    page = np.asarray(grey, dtype=np.float32)
    page.flags.writeable = False
    px_per_mm = dpi / MM_PER_INCH
    arrays = layout.bubbles
    inner = (arrays.radii_mm - OUTLINE_STROKE_MM / 2) * px_per_mm
    corners = [
        (m.x_mm + sx * m.size_mm / 2, m.y_mm + sy * m.size_mm / 2)
        for m in layout.marks
        for sx in (-1, 1)
        for sy in (-1, 1)
    ]
    return PageTemplate(
        page, px_per_mm, arrays.centers_mm * px_per_mm, inner, np.array(corners) * px_per_mm
    )


def paint_plan(
    page: npt.NDArray[np.float32],
    plan: FillPlan,
    template: PageTemplate,
    rng: np.random.Generator,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Draw every planned mark onto ``page`` in place.

    Parameters
    ----------
    page : (H, W) ndarray of float32
        A writable copy of ``template.page``.
    plan : FillPlan
    template : PageTemplate
    rng : numpy.random.Generator
        Source of ink darkness and mark shapes.

    Returns
    -------
    painted, covered, darkness : (N,) ndarray of float64
        Per bubble: painted and covered share of the inner disc, mean ink darkness.
    """
    n = len(plan.kinds)
    painted, covered, darkness = np.zeros(n), np.zeros(n), np.zeros(n)
    pencil = plan.instrument is Instrument.PENCIL
    ink = rng.uniform(*(PENCIL_DARKNESS if pencil else PEN_DARKNESS))
    for i, kind in enumerate(plan.kinds):
        if kind is MarkKind.NONE:
            continue
        target = None if math.isnan(plan.targets[i]) else float(plan.targets[i])
        cx, cy = template.centers_px[i]
        patch = paint_mark(
            kind,
            center_px=(float(cx), float(cy)),
            inner_radius_px=float(template.inner_radii_px[i]),
            px_per_mm=template.px_per_mm,
            darkness=rng.uniform(*GHOST_DARKNESS) if kind is MarkKind.GHOST else ink,
            rng=rng,
            target_fraction=target,
            textured=pencil,
        )
        _composite(page, patch.row0, patch.col0, patch.darkness)
        painted[i], covered[i] = patch.painted_fraction, patch.covered_fraction
        darkness[i] = patch.mean_darkness
    return painted, covered, darkness


def stamp_code(page: npt.NDArray[np.float32], code: BitCode, value: int, px_per_mm: float) -> None:
    """Print ``value`` in ``code``'s cells as solid black squares, exact to the pixel area.

    Notes
    -----
    Rendering a page per serial costs a typst run per sheet; the cells are
    axis-aligned squares, whose coverage of a pixel is the product of two
    interval overlaps, so they are stamped onto the cached blank instead.
    The human-readable serial line the renderer adds is not reproduced: it is
    never read.
    """
    half = code.cell_mm / 2
    for (x, y), black in zip(code.cell_centers_mm(), code.encode(value), strict=True):
        if not black:
            continue
        x0, x1 = (x - half) * px_per_mm, (x + half) * px_per_mm
        y0, y1 = (y - half) * px_per_mm, (y + half) * px_per_mm
        cols = np.arange(math.floor(x0), math.ceil(x1))
        rows = np.arange(math.floor(y0), math.ceil(y1))
        cover_x = np.clip(np.minimum(cols + 1, x1) - np.maximum(cols, x0), 0, 1)
        cover_y = np.clip(np.minimum(rows + 1, y1) - np.maximum(rows, y0), 0, 1)
        coverage = np.outer(cover_y, cover_x).astype(np.float32)
        _composite(page, int(rows[0]), int(cols[0]), coverage)


def _composite(
    page: npt.NDArray[np.float32], row0: int, col0: int, darkness: npt.NDArray[np.float32]
) -> None:
    """Darken ``page`` in place under a patch: ink is subtractive, so it multiplies."""
    h, w = darkness.shape
    r0, c0 = max(row0, 0), max(col0, 0)
    r1, c1 = min(row0 + h, page.shape[0]), min(col0 + w, page.shape[1])
    if r0 >= r1 or c0 >= c1:
        return
    page[r0:r1, c0:c1] *= 1.0 - darkness[r0 - row0 : r1 - row0, c0 - col0 : c1 - col0]
