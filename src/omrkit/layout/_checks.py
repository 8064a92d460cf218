"""Validation of sheet layouts and their expansion into flat arrays.

Kept apart from the models in :mod:`omrkit.layout.models` (which re-exports the
public names): the models say what a layout is, this module says when one is
printable and readable, and turns it into the arrays the hot path reads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from omrkit.errors import LayoutError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from omrkit.layout.models import BitCode, Page, SheetLayout

__all__ = [
    "MARK_CLEARANCE_MM",
    "MAX_BUBBLE_RADIUS_MM",
    "MIN_BUBBLE_GAP_MM",
    "MIN_BUBBLE_RADIUS_MM",
    "BubbleArrays",
    "expand_bubbles",
    "validate_layout",
]

#: Smallest and largest bubble radius accepted, in mm. Outside this range the
#: numbers are almost certainly in the wrong unit (pixels, points, inches).
MIN_BUBBLE_RADIUS_MM = 1.0
MAX_BUBBLE_RADIUS_MM = 6.0
#: Printed bubbles closer than this (edge to edge) blur into each other on a 150 dpi scan.
MIN_BUBBLE_GAP_MM = 0.5
#: Clear margin kept between a registration mark and any bubble, so mark
#: detection never sees a filled bubble as part of a mark.
MARK_CLEARANCE_MM = 3.0


@dataclass(frozen=True, slots=True)
class BubbleArrays:
    """The layout expanded into flat arrays: all the hot path ever sees.

    Attributes
    ----------
    centers_mm : (N, 2) ndarray of float64
        Bubble centres, x then y, in mm from the page's top-left corner.
    radii_mm : (N,) ndarray of float64
        Printed bubble radii in mm.
    slot_offsets : (S + 1,) ndarray of int64
        CSR offsets: slot ``s`` owns bubbles ``slot_offsets[s]:slot_offsets[s+1]``.
    symbols : (N,) ndarray of str
        The symbol each bubble stands for.
    slot_max_marks : (S,) ndarray of int64
        How many marks each slot accepts.
    field_offsets : (F + 1,) ndarray of int64
        CSR offsets from fields to slots, in layout order.
    slot_ids : tuple of str
        ``"<field id>.<slot id>"`` for each slot.
    """

    centers_mm: npt.NDArray[np.float64]
    radii_mm: npt.NDArray[np.float64]
    slot_offsets: npt.NDArray[np.int64]
    symbols: npt.NDArray[np.str_]
    slot_max_marks: npt.NDArray[np.int64]
    field_offsets: npt.NDArray[np.int64]
    slot_ids: tuple[str, ...]

    @property
    def n_bubbles(self) -> int:
        return int(self.radii_mm.shape[0])

    @property
    def n_slots(self) -> int:
        return int(self.slot_offsets.shape[0] - 1)


def validate_layout(layout: SheetLayout) -> None:
    """Raise :class:`LayoutError` naming the first offending field of ``layout``."""
    _check_ids(layout)
    _check_marks(layout)
    for code in (layout.layout_id_code, layout.serial_code):
        if code is not None:
            _check_code_on_page(layout, code)
    if layout.layout_code >= (1 << layout.layout_id_code.bits):
        raise LayoutError(
            f"layout_code {layout.layout_code} does not fit in the {layout.layout_id_code.bits}"
            " bits of layout_id_code",
            field="layout_code",
        )
    _check_bubbles(layout)
    _check_prefills(layout)
    _check_targets(layout)


def _check_ids(layout: SheetLayout) -> None:
    if not layout.fields:
        raise LayoutError("a layout needs at least one field", field="fields")
    seen_fields: set[str] = set()
    for f in layout.fields:
        if f.id in seen_fields:
            raise LayoutError("duplicate field id", field=f.id)
        seen_fields.add(f.id)
        if not f.slots:
            raise LayoutError("field has no slots", field=f.id)
        if f.kind == "choice" and len(f.slots) != 1:
            raise LayoutError("a choice field has exactly one slot", field=f.id)
        seen_slots: set[str] = set()
        for s in f.slots:
            where = f"{f.id}.{s.id}"
            if s.id in seen_slots:
                raise LayoutError("duplicate slot id", field=where)
            seen_slots.add(s.id)
            if not s.bubbles:
                raise LayoutError("slot has no bubbles", field=where)
            if s.max_marks > len(s.bubbles):
                raise LayoutError(
                    f"max_marks {s.max_marks} exceeds the slot's {len(s.bubbles)} bubbles",
                    field=where,
                )
            symbols = [b.symbol for b in s.bubbles]
            if len(set(symbols)) != len(symbols):
                raise LayoutError(f"duplicate symbols {symbols}", field=where)
            if f.kind == "code" and not all(sym.isdigit() for sym in symbols):
                raise LayoutError(f"a code slot holds digits only, got {symbols}", field=where)
    mark_ids = [m.id for m in layout.marks]
    dupes = {i for i in mark_ids if mark_ids.count(i) > 1}
    if dupes:
        raise LayoutError("duplicate registration mark id", field=sorted(dupes)[0])


def _check_marks(layout: SheetLayout) -> None:
    corners = layout.corner_marks
    if len(corners) < 4:
        raise LayoutError(
            f"need at least 4 corner registration marks, got {len(corners)}", field="marks"
        )
    if sum(m.role == "orientation" for m in layout.marks) != 1:
        raise LayoutError("need exactly one orientation mark", field="marks")
    for m in layout.marks:
        half = m.size_mm / 2
        if not _inside_page(layout.page, m.x_mm, m.y_mm, half):
            raise LayoutError(
                f"mark at ({m.x_mm}, {m.y_mm}) mm lies off the "
                f"{layout.page.width_mm}x{layout.page.height_mm} mm page",
                field=m.id,
            )
    # The orientation mark must break 180° symmetry: its rotated position may not
    # coincide with any mark.
    orient = next(m for m in layout.marks if m.role == "orientation")
    rx, ry = layout.page.width_mm - orient.x_mm, layout.page.height_mm - orient.y_mm
    for m in layout.marks:
        if math.hypot(m.x_mm - rx, m.y_mm - ry) < m.size_mm + orient.size_mm:
            raise LayoutError(
                "orientation mark is symmetric with another mark under a 180° turn",
                field=orient.id,
            )


def _check_code_on_page(layout: SheetLayout, code: BitCode) -> None:
    centers = code.cell_centers_mm()
    half = code.cell_mm / 2
    for x, y in centers:
        if not _inside_page(layout.page, float(x), float(y), half):
            raise LayoutError("bit code runs off the page", field=code.id)
    if code.pitch_mm < code.cell_mm + 0.5:
        raise LayoutError("bit code cells touch; pitch must exceed cell size", field=code.id)


def _check_bubbles(layout: SheetLayout) -> None:
    import numpy as np  # loaded on use: the reading models import without it

    arrays = expand_bubbles(layout)
    where = _bubble_names(layout)
    for i, (x, y) in enumerate(arrays.centers_mm):
        r = float(arrays.radii_mm[i])
        if not MIN_BUBBLE_RADIUS_MM <= r <= MAX_BUBBLE_RADIUS_MM:
            raise LayoutError(
                f"bubble radius {r} mm outside {MIN_BUBBLE_RADIUS_MM}..{MAX_BUBBLE_RADIUS_MM} mm"
                " (coordinates are millimetres, not pixels or points)",
                field=where[i],
            )
        if not _inside_page(layout.page, float(x), float(y), r):
            raise LayoutError(f"bubble at ({x}, {y}) mm lies off the page", field=where[i])
    centers, radii = arrays.centers_mm, arrays.radii_mm
    # Grid-bucket neighbour search: O(N) for the few thousand bubbles a sheet has.
    cell = 2 * MAX_BUBBLE_RADIUS_MM + MIN_BUBBLE_GAP_MM
    buckets: dict[tuple[int, int], list[int]] = {}
    for i, (x, y) in enumerate(centers):
        buckets.setdefault((int(x // cell), int(y // cell)), []).append(i)
    for i, (x, y) in enumerate(centers):
        bx, by = int(x // cell), int(y // cell)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for j in buckets.get((bx + dx, by + dy), ()):
                    if j <= i:
                        continue
                    gap = math.hypot(x - centers[j, 0], y - centers[j, 1]) - radii[i] - radii[j]
                    if gap < MIN_BUBBLE_GAP_MM:
                        raise LayoutError(
                            f"bubble overlaps or touches {where[j]} (gap {gap:.2f} mm,"
                            f" need {MIN_BUBBLE_GAP_MM} mm)",
                            field=where[i],
                        )
    for m in layout.marks:
        half = m.size_mm / 2 + MARK_CLEARANCE_MM
        near = (np.abs(centers[:, 0] - m.x_mm) < half + radii) & (
            np.abs(centers[:, 1] - m.y_mm) < half + radii
        )
        if near.any():
            i = int(np.flatnonzero(near)[0])
            raise LayoutError(
                f"bubble within {MARK_CLEARANCE_MM} mm of registration mark {m.id!r}",
                field=where[i],
            )


def _check_prefills(layout: SheetLayout) -> None:
    symbols = {(f.id, s.id): {b.symbol for b in s.bubbles} for f in layout.fields for s in f.slots}
    seen: set[tuple[str, str, str]] = set()
    for p in layout.prefills:
        where = f"{p.field_id}.{p.slot_id}[{p.symbol}]"
        if p.symbol not in symbols.get((p.field_id, p.slot_id), ()):
            raise LayoutError("prefill names a bubble the layout does not have", field=where)
        if (p.field_id, p.slot_id, p.symbol) in seen:
            raise LayoutError("bubble prefilled twice", field=where)
        seen.add((p.field_id, p.slot_id, p.symbol))


def _check_targets(layout: SheetLayout) -> None:
    """Targets lie on the page, clear of the marks and bubbles, with unique ids."""
    from omrkit.layout.targets import target_corners_mm

    seen: set[str] = set()
    arrays = expand_bubbles(layout)
    for t in layout.targets:
        if t.id in seen:
            raise LayoutError("duplicate target id", field=t.id)
        seen.add(t.id)
        xs, ys = zip(*target_corners_mm(t), strict=True)
        box = (min(xs), min(ys), max(xs), max(ys))
        if (
            box[0] < 0
            or box[1] < 0
            or box[2] > layout.page.width_mm
            or box[3] > layout.page.height_mm
        ):
            raise LayoutError("target lies off the page", field=t.id)
        for m in layout.marks:
            reach = m.size_mm / 2 + MARK_CLEARANCE_MM
            if _boxes_meet(box, (m.x_mm - reach, m.y_mm - reach, m.x_mm + reach, m.y_mm + reach)):
                raise LayoutError(
                    f"target within {MARK_CLEARANCE_MM} mm of registration mark {m.id!r}",
                    field=t.id,
                )
        for (x, y), r in zip(arrays.centers_mm, arrays.radii_mm, strict=True):
            gap = r + MIN_BUBBLE_GAP_MM
            if _boxes_meet(box, (x - gap, y - gap, x + gap, y + gap)):
                raise LayoutError("target overlaps a bubble", field=t.id)


def _boxes_meet(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside_page(page: Page, x: float, y: float, half: float) -> bool:
    return half <= x <= page.width_mm - half and half <= y <= page.height_mm - half


def _bubble_names(layout: SheetLayout) -> list[str]:
    return [f"{f.id}.{s.id}[{b.symbol}]" for f, s, b in layout.iter_bubbles()]


def expand_bubbles(layout: SheetLayout) -> BubbleArrays:
    """``layout`` expanded into read-only flat arrays (see :class:`BubbleArrays`)."""
    import numpy as np  # loaded on use: the reading models import without it

    centers: list[tuple[float, float]] = []
    radii: list[float] = []
    symbols: list[str] = []
    slot_offsets = [0]
    max_marks: list[int] = []
    field_offsets = [0]
    slot_ids: list[str] = []
    for f in layout.fields:
        for s in f.slots:
            for b in s.bubbles:
                centers.append((b.x_mm, b.y_mm))
                radii.append(b.radius_mm)
                symbols.append(b.symbol)
            slot_offsets.append(len(radii))
            max_marks.append(s.max_marks)
            slot_ids.append(f"{f.id}.{s.id}")
        field_offsets.append(len(max_marks))
    arrays = BubbleArrays(
        centers_mm=np.ascontiguousarray(np.array(centers, dtype=np.float64).reshape(-1, 2)),
        radii_mm=np.array(radii, dtype=np.float64),
        slot_offsets=np.array(slot_offsets, dtype=np.int64),
        symbols=np.array(symbols, dtype=np.str_),
        slot_max_marks=np.array(max_marks, dtype=np.int64),
        field_offsets=np.array(field_offsets, dtype=np.int64),
        slot_ids=tuple(slot_ids),
    )
    for a in (arrays.centers_mm, arrays.radii_mm, arrays.slot_offsets, arrays.slot_max_marks):
        a.flags.writeable = False
    return arrays
