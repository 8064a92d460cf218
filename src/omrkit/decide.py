"""From fill ratios to marks, slot states and decoded fields.

:func:`decide_slots` applies the 50 % rule to every bubble and the
``max_marks`` rule to every slot, with array operations over the layout's
CSR slot offsets; :func:`decode_fields` turns those decisions into one
:class:`~omrkit.reading.FieldReading` per field.

Implements UNT-SCORE-1 (a bubble painted over 50 % or more of its area is
marked, exactly 50 % included), the same rule that technical appeals apply
(UNT-APL-17, UNT-APL-18, UNT-APL-20), and D-1 (a slot with more marks than it
accepts is ``multiple`` and earns no answer).

Notes
-----
Fills within ``review_band`` of the threshold are flagged for a person: the
measurement is accurate to about 0.02 (see :mod:`omrkit.measure.fill`), so these
are exactly the bubbles an appeal commission may be asked to look at. A
bubble that could not be measured (NaN fill: off the image) is not marked and
flags its slot too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from omrkit.layout.models import BubbleArrays, FieldKind, SheetLayout
from omrkit.types import FieldReading, SlotState

__all__ = [
    "BLANK",
    "MARKED",
    "MARK_THRESHOLD",
    "MULTIPLE",
    "REVIEW_BAND",
    "SLOT_STATES",
    "SlotDecisions",
    "decide_slots",
    "decode_fields",
]

#: UNT-SCORE-1: a bubble painted over this share of its area or more is marked.
MARK_THRESHOLD = 0.50
#: Fills this close to the threshold (either side, inclusive) go to a person.
REVIEW_BAND = 0.08
#: Slot state codes in :attr:`SlotDecisions.slot_state`.
BLANK = 0
MARKED = 1
MULTIPLE = 2
#: The :class:`SlotState` of each code, indexed by code.
SLOT_STATES = (SlotState.BLANK, SlotState.MARKED, SlotState.MULTIPLE)
#: The same as an object array, to look up a sheet's states in one call.
_SLOT_STATE_OBJECTS = np.array(SLOT_STATES, dtype=object)
#: Fill ratios may overshoot 0..1 by rounding, never by more than this.
_FILL_TOLERANCE = 1e-9
#: No chosen bubble: the slot is blank, multiple or holds several allowed marks.
_NO_BUBBLE = -1


@dataclass(frozen=True, slots=True)
class SlotDecisions:
    """Marks and slot states of one sheet, as read-only arrays.

    Attributes
    ----------
    marked : (N,) ndarray of bool
        Bubble ``n`` is marked (fill at or above the threshold).
    mark_counts : (S,) ndarray of int64
        Marked bubbles per slot.
    slot_state : (S,) ndarray of int8
        :data:`BLANK`, :data:`MARKED` or :data:`MULTIPLE` (see :data:`SLOT_STATES`).
    slot_review : (S,) ndarray of bool
        The slot needs a person: a fill near the threshold, an unmeasurable
        bubble, or a poor-quality sheet.
    chosen : (S,) ndarray of int64
        Index (into the layout's bubbles) of the one marked bubble of a slot
        holding exactly one mark, else -1.
    """

    marked: npt.NDArray[np.bool_]
    mark_counts: npt.NDArray[np.int64]
    slot_state: npt.NDArray[np.int8]
    slot_review: npt.NDArray[np.bool_]
    chosen: npt.NDArray[np.int64]

    @property
    def n_slots(self) -> int:
        return int(self.slot_state.shape[0])


def decide_slots(
    fill_ratios: npt.ArrayLike,
    arrays: BubbleArrays,
    *,
    threshold: float = MARK_THRESHOLD,
    review_band: float = REVIEW_BAND,
    quality_poor: bool = False,
    weak_bubbles: npt.ArrayLike | None = None,
) -> SlotDecisions:
    """Apply the 50 % rule to every bubble and the mark limit to every slot.

    Implements UNT-SCORE-1, UNT-APL-18 and D-1.

    Parameters
    ----------
    fill_ratios : (N,) array_like of float
        Inked share of each bubble, aligned with ``arrays``; NaN where a
        bubble could not be measured.
    arrays : BubbleArrays
        The layout's flat arrays (``layout.bubbles``).
    threshold : float
        A bubble is marked when its fill is at or above this (UNT-SCORE-1: 0.50).
    review_band : float
        Fills in ``[threshold - review_band, threshold + review_band]`` flag
        their slot for review.
    quality_poor : bool
        The sheet registered poorly: every slot is flagged.
    weak_bubbles : (N,) array_like of bool, optional
        Bubbles read against ink that separates weakly from paper (see
        :mod:`omrkit.measure.ink`): their slots are flagged whatever the fill.

    Returns
    -------
    SlotDecisions

    Raises
    ------
    ValueError
        If ``fill_ratios`` does not match the layout, holds an infinity or a
        value outside 0..1, or ``threshold``/``review_band`` are out of range.

    Examples
    --------
    >>> from omrkit.layout.models import load_layout
    >>> arrays = load_layout("ubt-answer").bubbles
    >>> fills = np.zeros(arrays.n_bubbles)
    >>> fills[[0, 1]] = [0.5, 0.97]  # slot 0: one bubble at exactly 50 %, one full
    >>> decisions = decide_slots(fills, arrays)
    >>> bool(decisions.marked[0]), int(decisions.slot_state[0]) == MULTIPLE
    (True, True)
    """
    fills = _checked_fills(fill_ratios, arrays.n_bubbles)
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must lie in (0, 1], got {threshold!r}")
    if not 0.0 <= review_band < threshold:
        raise ValueError(f"review_band must lie in [0, threshold), got {review_band!r}")
    starts = arrays.slot_offsets[:-1]
    marked = fills >= threshold
    unreadable = np.isnan(fills)
    near = (fills >= threshold - review_band) & (fills <= threshold + review_band)
    counts = np.add.reduceat(marked.astype(np.int64), starts)
    doubtful = near | unreadable
    if weak_bubbles is not None:
        weak = np.asarray(weak_bubbles, dtype=bool)
        if weak.shape != fills.shape:
            raise ValueError(f"weak_bubbles must have shape {fills.shape}, got {weak.shape}")
        doubtful |= weak
    review = np.logical_or.reduceat(doubtful, starts)
    if quality_poor:
        review[:] = True
    state = np.where(
        counts == 0, BLANK, np.where(counts <= arrays.slot_max_marks, MARKED, MULTIPLE)
    ).astype(np.int8)
    marked_index = np.where(marked, np.arange(fills.shape[0], dtype=np.int64), _NO_BUBBLE)
    chosen = np.where(counts == 1, np.maximum.reduceat(marked_index, starts), _NO_BUBBLE)
    for array in (marked, counts, state, review, chosen):
        array.flags.writeable = False
    return SlotDecisions(
        marked=marked, mark_counts=counts, slot_state=state, slot_review=review, chosen=chosen
    )


def decode_fields(layout: SheetLayout, decisions: SlotDecisions) -> dict[str, FieldReading]:
    """Decode every field of ``layout`` from the sheet's slot decisions.

    Implements D-1: a ``multiple`` slot yields no symbol, so a code with a
    doubly marked digit has no value and a name grid with one has none either.

    Parameters
    ----------
    layout : SheetLayout
    decisions : SlotDecisions
        From :func:`decide_slots` on ``layout.bubbles``.

    Returns
    -------
    dict of str to FieldReading
        By field id, in layout order; values as :class:`FieldReading` documents:
        ``answers`` none (see ``symbols``), ``code`` the digit string when every
        position holds exactly one digit, ``text`` the letters with blank
        positions as spaces and trailing blanks stripped (none if any position
        is multiple), ``choice`` the chosen symbol.

    Raises
    ------
    ValueError
        If ``decisions`` was made for a layout with another number of slots.

    Examples
    --------
    >>> from omrkit.layout.models import load_layout
    >>> layout = load_layout("ubt-answer")
    >>> fills = np.zeros(layout.bubbles.n_bubbles)
    >>> fields = decode_fields(layout, decide_slots(fills, layout.bubbles))
    >>> fields[layout.fields[0].id].value is None
    True
    """
    arrays = layout.bubbles
    if decisions.n_slots != arrays.n_slots:
        raise ValueError(
            f"decisions hold {decisions.n_slots} slots, layout {layout.layout_id!r}"
            f" has {arrays.n_slots}"
        )
    symbols = _slot_symbols(arrays, decisions)
    states: list[SlotState] = _SLOT_STATE_OBJECTS[decisions.slot_state].tolist()
    review = decisions.slot_review.tolist()
    counts = decisions.mark_counts.tolist()
    offsets = arrays.field_offsets.tolist()
    readings: dict[str, FieldReading] = {}
    for index, field in enumerate(layout.fields):
        lo, hi = offsets[index], offsets[index + 1]
        field_symbols = tuple(symbols[lo:hi])
        field_states = tuple(states[lo:hi])
        # Validated: pydantic's compiled validation of these few tuples costs
        # less than model_construct's Python loop over the fields.
        readings[field.id] = FieldReading(
            field_id=field.id,
            kind=field.kind,
            value=_field_value(field.kind, field_symbols, field_states, counts[lo:hi]),
            symbols=field_symbols,
            states=field_states,
            review=tuple(review[lo:hi]),
        )
    return readings


def _slot_symbols(arrays: BubbleArrays, decisions: SlotDecisions) -> list[str | None]:
    """Symbol(s) marked in each slot: one symbol, several joined, or None."""
    chosen = decisions.chosen
    # A slot without a chosen bubble looks up the last symbol, then gets None
    # instead; a str array cast to objects holds Python strings.
    picked = arrays.symbols[chosen].astype(object)
    picked[chosen == _NO_BUBBLE] = None
    symbols: list[str | None] = picked.tolist()
    # Slots accepting several marks that hold more than one (rare: never on
    # the bundled sheets) join their symbols in layout order.
    several = (decisions.slot_state == MARKED) & (decisions.mark_counts > 1)
    for slot in np.flatnonzero(several).tolist():
        lo, hi = arrays.slot_offsets[slot], arrays.slot_offsets[slot + 1]
        symbols[slot] = "".join(arrays.symbols[lo:hi][decisions.marked[lo:hi]].tolist())
    return symbols


def _field_value(
    kind: FieldKind,
    symbols: tuple[str | None, ...],
    states: tuple[SlotState, ...],
    counts: list[int],
) -> str | None:
    if kind is FieldKind.CODE:
        if all(count == 1 for count in counts) and all(s is not None for s in symbols):
            return "".join(s for s in symbols if s is not None)
        return None
    if kind is FieldKind.TEXT:
        if SlotState.MULTIPLE in states:
            return None
        return "".join(" " if s is None else s for s in symbols).rstrip(" ")
    if kind is FieldKind.CHOICE:
        return symbols[0]
    return None


def _checked_fills(fill_ratios: npt.ArrayLike, n_bubbles: int) -> npt.NDArray[np.float64]:
    try:
        fills = np.asarray(fill_ratios, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"fill_ratios must be an array of numbers: {exc}") from exc
    if fills.shape != (n_bubbles,):
        raise ValueError(f"fill_ratios must have shape ({n_bubbles},), got {fills.shape}")
    outside = ~np.isnan(fills) & ~((fills >= -_FILL_TOLERANCE) & (fills <= 1.0 + _FILL_TOLERANCE))
    if outside.any():
        bad = int(np.argmax(outside))
        raise ValueError(f"fill_ratios[{bad}] = {fills[bad]} lies outside 0..1")
    return fills
