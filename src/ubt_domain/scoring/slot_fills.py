"""Where each slot's bubbles sit in a reading's ``fill_ratios``.

A reading's fill ratios are aligned with the layout's bubbles in layout
order (fields, then slots, then bubbles). The review list and the two-scan
comparison show a person the fills of one slot, so they need that slice.
"""

from __future__ import annotations

from omrkit.layout.models import SheetLayout
from omrkit.types import SheetReading
from ubt_domain.errors import DomainError

__all__ = ["SlotRanges", "slot_fills", "slot_ranges"]

SlotRanges = dict[str, tuple[tuple[int, int], ...]]
"""Field id → per slot (in layout order) the ``[start, stop)`` range of its bubbles."""


def slot_ranges(layout: SheetLayout) -> SlotRanges:
    """The bubble range of every slot of ``layout``, keyed by field id."""
    ranges: SlotRanges = {}
    start = 0
    for field in layout.fields:
        spans = []
        for slot in field.slots:
            spans.append((start, start + len(slot.bubbles)))
            start += len(slot.bubbles)
        ranges[field.id] = tuple(spans)
    return ranges


def slot_fills(
    reading: SheetReading, ranges: SlotRanges, field_id: str, slot_index: int
) -> tuple[float, ...]:
    """The fill ratios (0..1) of one slot's bubbles, in layout order.

    Raises
    ------
    DomainError
        (``UNT-SCORE-1``) when the reading's fills do not match the layout.
    """
    start, stop = ranges[field_id][slot_index]
    if len(reading.fill_ratios) < stop:
        raise DomainError(
            "UNT-SCORE-1",
            f"reading {reading.sheet_id} has {len(reading.fill_ratios)} fill ratios; its "
            f"layout {reading.layout_id} needs more: read it with the spec's layout",
        )
    return tuple(reading.fill_ratios[start:stop])
