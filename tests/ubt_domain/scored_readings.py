"""Readings made by the engine's own 50 % rule from stated fills, for scoring tests.

A test says which bubbles are inked and how much; :func:`reading_from_fills`
runs ``omrkit.decide`` over the whole layout, so states, symbols, review
flags and fill ratios are exactly what a scan with those fills would give.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from functools import cache

import numpy as np

import omrkit
from omrkit.decide import decide_slots, decode_fields
from omrkit.layout.models import FieldKind, SheetLayout
from omrkit.types import RegistrationQuality, SheetReading

__all__ = ["FULL", "Marks", "layout", "marks_for", "reading_from_fills"]

FULL = 0.93  # a pen mark fills most of a bubble
_QUALITY = RegistrationQuality(residual_px=0.4, skew_deg=0.2, scale=7.87, upside_down=False)

Marks = dict[tuple[str, int, str], float]
"""(field id, 0-based slot index, symbol) → fill ratio; unlisted bubbles are 0."""


@cache
def layout(layout_id: str) -> SheetLayout:
    """A bundled layout, loaded once per test session."""
    return omrkit.load_layout(layout_id)


def marks_for(
    sheet: SheetLayout, values: Mapping[str, str | Sequence[str | tuple[str, ...] | None]]
) -> Marks:
    """Full marks spelling ``values``.

    ``code`` fields take a digit string, ``choice`` fields one symbol, and
    ``answers`` fields one entry per task: a symbol, a tuple of symbols (a
    multiple mark) or ``None``.
    """
    kinds = {f.id: f.kind for f in sheet.fields}
    marks: Marks = {}
    for field_id, value in values.items():
        if kinds[field_id] in (FieldKind.CODE, FieldKind.TEXT):
            assert isinstance(value, str)
            marks.update({(field_id, i, ch): FULL for i, ch in enumerate(value)})
        elif kinds[field_id] is FieldKind.CHOICE:
            assert isinstance(value, str)
            marks[(field_id, 0, value)] = FULL
        else:
            for i, entry in enumerate(value):
                symbols = (entry,) if isinstance(entry, str) else entry or ()
                marks.update({(field_id, i, s): FULL for s in symbols})
    return marks


def reading_from_fills(
    sheet: SheetLayout, marks: Marks, *, serial: int | None, sheet_id: str | None = None
) -> SheetReading:
    """The reading of a sheet whose bubbles carry ``marks``, decided by the engine."""
    index = {
        (f.id, slot_index, b.symbol): i
        for i, (f, slot_index, b) in enumerate(
            (f, f.slots.index(s), b) for f, s, b in sheet.iter_bubbles()
        )
    }
    fills = np.zeros(sheet.bubbles.n_bubbles)
    for key, fill in marks.items():
        fills[index[key]] = fill
    decisions = decide_slots(fills, sheet.bubbles)
    digest = hashlib.sha256(repr((serial, sorted(marks.items()))).encode()).hexdigest()
    return SheetReading(
        sheet_id=sheet_id or digest,
        layout_id=sheet.layout_id,
        serial=serial,
        quality=_QUALITY,
        fill_ratios=tuple(float(f) for f in fills),
        fields=decode_fields(sheet, decisions),
    )
