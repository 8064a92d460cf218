"""Shared hypothesis strategies: small random layouts valid by construction, drawn randomness.

Bubbles are laid on a coarse grid in the middle of an A4 page, so however the
radii, symbols and slot sizes are drawn they never overlap, never leave the
page and never come near the registration marks.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from omrkit.layout.builder import DIGITS, KAZAKH_LETTERS, registration_marks
from omrkit.layout.models import (
    BitCode,
    Bubble,
    FieldKind,
    LayoutField,
    Prefill,
    PrefillTone,
    PrintedBox,
    PrintedText,
    SheetLayout,
    Slot,
)

__all__ = ["DrawnRandom", "sheet_layouts"]

#: Grid the random bubbles are placed on: wide enough for the largest radius.
_PITCH_MM = 6.0
_GRID_LEFT_MM = 30.0
_GRID_TOP_MM = 40.0
_GRID_COLUMNS = 25
_MAX_RADIUS_MM = 2.5
_SYMBOLS = {
    FieldKind.ANSWERS: tuple("ABCDE"),
    FieldKind.CODE: DIGITS,
    FieldKind.TEXT: KAZAKH_LETTERS,
    FieldKind.CHOICE: ("kk", "ru", "male", "female", "vocational"),
}

_ids = st.from_regex(r"[a-z][a-z0-9_]{0,9}", fullmatch=True)
_captions = st.text(
    alphabet=st.sampled_from('abc ӘҒҚҢӨҰҮҺІ АБВ 0123"\\#*_$'), min_size=0, max_size=12
)


@st.composite
def _field(draw: st.DrawFn, field_id: str, next_cell: list[int]) -> LayoutField:
    kind = draw(st.sampled_from(list(FieldKind)))
    n_slots = 1 if kind is FieldKind.CHOICE else draw(st.integers(1, 4))
    radius = draw(st.floats(1.0, _MAX_RADIUS_MM, allow_nan=False))
    slots = []
    for s in range(n_slots):
        symbols = draw(
            st.lists(st.sampled_from(_SYMBOLS[kind]), min_size=1, max_size=5, unique=True)
        )
        bubbles = []
        for symbol in symbols:
            row, col = divmod(next_cell[0], _GRID_COLUMNS)
            next_cell[0] += 1
            printed = draw(st.sampled_from([None, "", symbol[:1]]))
            bubbles.append(
                Bubble(
                    x_mm=_GRID_LEFT_MM + col * _PITCH_MM,
                    y_mm=_GRID_TOP_MM + row * _PITCH_MM,
                    radius_mm=radius,
                    symbol=symbol,
                    printed=printed,
                )
            )
        max_marks = draw(st.integers(1, len(bubbles)))
        slots.append(Slot(id=str(s + 1), bubbles=tuple(bubbles), max_marks=max_marks))
    sector = draw(st.none() | st.integers(0, 20))
    label = draw(_captions)
    return LayoutField(id=field_id, kind=kind, label=label, sector=sector, slots=tuple(slots))


@st.composite
def sheet_layouts(draw: st.DrawFn, *, max_fields: int = 3) -> SheetLayout:
    """A small valid :class:`SheetLayout` with random fields, captions and prefills."""
    field_ids = draw(st.lists(_ids, min_size=1, max_size=max_fields, unique=True))
    next_cell = [0]
    fields = [draw(_field(fid, next_cell)) for fid in field_ids]
    texts = draw(
        st.lists(
            st.builds(
                PrintedText,
                x_mm=st.floats(20, 190),
                y_mm=st.floats(20, 280),
                text=_captions,
                size_pt=st.floats(4, 14),
                bold=st.booleans(),
                anchor=st.sampled_from(["left", "center", "right"]),
                dropout=st.booleans(),
            ),
            max_size=3,
        )
    )
    boxes = draw(
        st.lists(
            st.builds(
                PrintedBox,
                x_mm=st.floats(20, 150),
                y_mm=st.floats(20, 250),
                width_mm=st.floats(1, 40),
                height_mm=st.floats(1, 20),
                dropout=st.booleans(),
            ),
            max_size=3,
        )
    )
    bubbles = [(f.id, s.id, b.symbol) for f in fields for s in f.slots for b in s.bubbles]
    chosen = draw(st.lists(st.sampled_from(bubbles), max_size=4, unique=True))
    prefills = [
        Prefill(
            field_id=f,
            slot_id=s,
            symbol=b,
            fraction=draw(st.floats(0, 1, allow_nan=False)),
            tone=draw(st.sampled_from(list(PrefillTone))),
        )
        for f, s, b in chosen
    ]
    colour = draw(st.from_regex(r"#[0-9a-f]{6}", fullmatch=True))
    serial = draw(st.none() | st.just(BitCode(id="serial", x_mm=40.0, y_mm=285.0, bits=16)))
    return SheetLayout(
        layout_id=draw(_ids),
        layout_code=draw(st.integers(1, 4095)),
        title=draw(_captions),
        version=draw(st.integers(1, 5)),
        dropout_color=colour,
        marks=registration_marks(),
        layout_id_code=BitCode(id="layout_id", x_mm=120.0, y_mm=12.0, bits=12),
        serial_code=serial,
        fields=tuple(fields),
        texts=tuple(texts),
        boxes=tuple(boxes),
        prefills=tuple(prefills),
    )


class DrawnRandom:
    """The part of ``numpy.random.Generator`` the tests use, with every value drawn by hypothesis.

    A test written against a seeded generator takes ``data=st.data()`` and
    builds ``DrawnRandom(data)`` instead: shapes, counts and values are then
    hypothesis draws, so a failure shrinks to a small image and simple numbers
    rather than to one opaque seed. Arrays are drawn in one go
    (``hypothesis.extra.numpy.arrays``); ``normal`` draws within ``NORMAL_REACH``
    standard deviations of the mean, where a sampled normal lies in practice.
    """

    #: Standard deviations either side of the mean that ``normal`` covers.
    NORMAL_REACH = 4.0

    def __init__(self, data: st.DataObject) -> None:
        self._data = data

    def _draw(
        self, elements: st.SearchStrategy[Any], dtype: Any, size: int | tuple[int, ...] | None
    ) -> Any:
        if size is None:
            return self._data.draw(elements)
        shape = tuple(int(n) for n in np.atleast_1d(size))
        return self._data.draw(arrays(dtype, shape, elements=elements))

    def uniform(
        self, low: float = 0.0, high: float = 1.0, size: int | tuple[int, ...] | None = None
    ) -> Any:
        """Floats in ``[low, high)``."""
        elements = st.floats(low, high, exclude_max=high > low, allow_nan=False, width=64)
        return self._draw(elements, np.float64, size)

    def integers(
        self,
        low: int,
        high: int | None = None,
        size: int | tuple[int, ...] | None = None,
        dtype: Any = np.int64,
    ) -> Any:
        """Integers in ``[low, high)``, or ``[0, low)`` when ``high`` is None."""
        low, high = (0, low) if high is None else (low, high)
        return self._draw(st.integers(int(low), int(high) - 1), dtype, size)

    def normal(
        self, loc: float = 0.0, scale: float = 1.0, size: int | tuple[int, ...] | None = None
    ) -> Any:
        """Floats within ``NORMAL_REACH * scale`` of ``loc``."""
        reach = self.NORMAL_REACH * scale
        elements = st.floats(loc - reach, loc + reach, allow_nan=False, width=64)
        return self._draw(elements, np.float64, size)
