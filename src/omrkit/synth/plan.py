"""What a simulated examinee meant and drew: the fill plan of one sheet.

A :class:`FillPlan` says, for every slot, the symbols the examinee intended
(none, one, or a planted over-mark) and, for every bubble, the kind of mark
drawn and the share of its inner disc to cover. Painting turns the plan into
pixels and exact painted fractions (:mod:`omrkit.synth.strokes`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from omrkit.errors import LayoutError, SynthError
from omrkit.layout.models import FieldKind, LayoutField, SheetLayout
from omrkit.synth.profiles import FillProfile
from omrkit.synth.strokes import Instrument, MarkKind

__all__ = [
    "DOUBLE_FRACTION",
    "FULL_FRACTION",
    "NEAR_THRESHOLD",
    "FillPlan",
    "plan_fills",
]

#: Covered share of a bubble filled as instructed.
FULL_FRACTION = (0.85, 1.0)
#: Partial fills around the 50 % rule (UNT-SCORE-1): the reader's review band.
NEAR_THRESHOLD = (0.35, 0.65)
#: Partial fills clearly on either side of the rule.
HIGH_PARTIAL = (0.7, 0.85)
LOW_PARTIAL = (0.1, 0.35)
#: Each bubble of a planted over-mark is filled at least this well.
DOUBLE_FRACTION = (0.75, 1.0)
#: Names in letter grids fill at least this share of their positions.
TEXT_MIN_FILLED = 1 / 3
#: Chance that a one-circle choice (a flag) is marked.
FLAG_PROB = 0.5
# A given value that leaves the whole field unpainted (a choice nobody ticked).
LEFT_BLANK = ""
#: Covered share of an erased fill's smudge.
GHOST_COVER = (0.5, 0.95)


@dataclass(frozen=True, slots=True)
class FillPlan:
    """What is drawn on one sheet, aligned with ``layout.bubbles``.

    Attributes
    ----------
    kinds : tuple of MarkKind, length N
        Mark drawn in each bubble.
    targets : (N,) ndarray of float64
        Covered share of the inner disc for fills and ghosts; NaN for the
        stroke kinds (their area follows from their width) and ``NONE``.
    instrument : Instrument
        Pen or pencil, for the whole sheet.
    intended : tuple of tuple of str, length S
        Symbols the examinee meant in each slot, in layout order.
    planted_double : (S,) ndarray of bool
        The slot holds more deliberate fills than it accepts.
    """

    kinds: tuple[MarkKind, ...]
    targets: npt.NDArray[np.float64]
    instrument: Instrument
    intended: tuple[tuple[str, ...], ...]
    planted_double: npt.NDArray[np.bool_]


@dataclass(slots=True)
class _Draft:
    kinds: list[MarkKind]
    targets: npt.NDArray[np.float64]
    intended: list[tuple[str, ...]]
    planted: list[bool]


def plan_fills(
    layout: SheetLayout,
    *,
    rng: np.random.Generator,
    fill: FillProfile | None = None,
    values: Mapping[str, str] | None = None,
) -> FillPlan:
    """Choose what the examinee meant and drew on one sheet.

    Parameters
    ----------
    layout : SheetLayout
        The sheet.
    rng : numpy.random.Generator
        Source of every choice.
    fill : FillProfile, optional
        Mix of answers and marks; defaults to ``FillProfile()``.
    values : mapping of str to str, optional
        Value of code, text or choice fields by field id (e.g. a given ТЖК);
        one character per slot for codes and text (text may be shorter: the
        rest stays blank), a symbol for a choice, ``LEFT_BLANK`` (``""``) for a
        field left unpainted. Other fields get random valid values.

    Returns
    -------
    FillPlan

    Raises
    ------
    SynthError
        If ``values`` names a field the layout lacks or an answers field, or a
        value does not fit its field.

    Examples
    --------
    >>> import numpy as np
    >>> from omrkit.layout.models import load_layout
    >>> layout = load_layout("ubt-answer")
    >>> plan = plan_fills(layout, rng=np.random.default_rng(0), values={"tzhk": "123456789"})
    >>> len(plan.kinds) == layout.bubbles.n_bubbles
    True
    """
    fill = fill or FillProfile()
    given = _check_values(layout, values or {})
    n = layout.bubbles.n_bubbles
    draft = _Draft([MarkKind.NONE] * n, np.full(n, np.nan), [], [])
    offsets = layout.bubbles.slot_offsets
    slot = 0
    for field in layout.fields:
        chosen = _field_symbols(field, given.get(field.id), rng)
        for i, s in enumerate(field.slots):
            lo = int(offsets[slot])
            symbols = [b.symbol for b in s.bubbles]
            if chosen is None:
                picks, planted = _plan_answer(draft, lo, symbols, s.max_marks, fill, rng)
            else:
                symbol = chosen[i]
                picks = [] if symbol is None else [symbols.index(symbol)]
                for p in picks:
                    _set(draft, lo + p, MarkKind.FULL, rng.uniform(*FULL_FRACTION))
                planted = False
            _plan_extras(draft, lo, len(symbols), picks, fill, rng)
            draft.intended.append(tuple(symbols[p] for p in sorted(picks)))
            draft.planted.append(planted)
            slot += 1
    instrument = Instrument.PENCIL if rng.uniform() < fill.pencil_prob else Instrument.PEN
    return FillPlan(
        kinds=tuple(draft.kinds),
        targets=draft.targets,
        instrument=instrument,
        intended=tuple(draft.intended),
        planted_double=np.array(draft.planted, dtype=bool),
    )


def _set(draft: _Draft, bubble: int, kind: MarkKind, target: float | None = None) -> None:
    draft.kinds[bubble] = kind
    draft.targets[bubble] = np.nan if target is None else target


def _plan_answer(
    draft: _Draft,
    lo: int,
    symbols: list[str],
    max_marks: int,
    fill: FillProfile,
    rng: np.random.Generator,
) -> tuple[list[int], bool]:
    """Marks of one answer slot; returns the intended bubbles and whether planted."""
    u = rng.uniform()
    if u < fill.blank_prob:
        return [], False
    if u < fill.blank_prob + fill.double_prob and max_marks < len(symbols):
        picks = sorted(rng.choice(len(symbols), size=max_marks + 1, replace=False).tolist())
        for p in picks:
            target = rng.uniform(*DOUBLE_FRACTION)
            kind = MarkKind.FULL if target >= FULL_FRACTION[0] else MarkKind.PARTIAL
            _set(draft, lo + p, kind, target)
        return picks, True
    count = int(rng.integers(1, max_marks + 1))
    picks = sorted(rng.choice(len(symbols), size=count, replace=False).tolist())
    for p in picks:
        v = rng.uniform()
        if v < fill.stroke_prob:
            _set(draft, lo + p, MarkKind.TICK if rng.uniform() < 0.5 else MarkKind.CROSS)
        elif v < fill.stroke_prob + fill.partial_prob:
            _set(draft, lo + p, MarkKind.PARTIAL, _partial_target(fill, rng))
        else:
            _set(draft, lo + p, MarkKind.FULL, rng.uniform(*FULL_FRACTION))
    return picks, False


def _partial_target(fill: FillProfile, rng: np.random.Generator) -> float:
    if rng.uniform() < fill.near_threshold_share:
        return float(rng.uniform(*NEAR_THRESHOLD))
    return float(rng.uniform(*(HIGH_PARTIAL if rng.uniform() < 0.5 else LOW_PARTIAL)))


def _plan_extras(
    draft: _Draft,
    lo: int,
    n_symbols: int,
    picks: list[int],
    fill: FillProfile,
    rng: np.random.Generator,
) -> None:
    """An erased earlier answer and a stray dot, each on a bubble left unused."""
    free = [i for i in range(n_symbols) if i not in picks]
    if free and rng.uniform() < fill.ghost_prob:
        ghost = free.pop(int(rng.integers(len(free))))
        _set(draft, lo + ghost, MarkKind.GHOST, rng.uniform(*GHOST_COVER))
    if free and rng.uniform() < fill.dot_prob:
        _set(draft, lo + free[int(rng.integers(len(free)))], MarkKind.DOT)


def _field_symbols(
    field: LayoutField, value: str | None, rng: np.random.Generator
) -> list[str | None] | None:
    """Symbol per slot of a code, text or choice field; None for an answers field."""
    if field.kind is FieldKind.ANSWERS:
        return None
    if value is None:
        n = len(field.slots)
        if field.kind is FieldKind.CHOICE and len(field.slots[0].bubbles) == 1:
            # A one-circle choice is a flag (e.g. the creative exam): often left blank.
            flag = field.slots[0].bubbles[0].symbol
            return [flag if rng.uniform() < FLAG_PROB else None]
        shortest = math.ceil(n * TEXT_MIN_FILLED)
        length = n if field.kind is not FieldKind.TEXT else int(rng.integers(shortest, n + 1))
        return [
            s.bubbles[int(rng.integers(len(s.bubbles)))].symbol if i < length else None
            for i, s in enumerate(field.slots)
        ]
    if value == LEFT_BLANK:
        return [None] * len(field.slots)
    if field.kind is FieldKind.CHOICE:
        return [value]
    chars: list[str | None] = [c if c != " " else None for c in value]
    return chars + [None] * (len(field.slots) - len(chars))


def _check_values(layout: SheetLayout, values: Mapping[str, str]) -> dict[str, str]:
    for field_id, value in values.items():
        try:
            field = layout.field(field_id)
        except LayoutError as exc:
            raise SynthError(
                f"layout {layout.layout_id!r} has no field {field_id!r} to fill", field=field_id
            ) from exc
        if field.kind is FieldKind.ANSWERS:
            raise SynthError("answers are simulated, not given", field=field_id)
        if value == LEFT_BLANK:
            continue
        if field.kind is FieldKind.CHOICE:
            options = [b.symbol for b in field.slots[0].bubbles]
            if value not in options:
                raise SynthError(f"{value!r} is not one of {options}", field=field_id)
            continue
        exact = field.kind is FieldKind.CODE
        if len(value) > len(field.slots) or (exact and len(value) != len(field.slots)):
            raise SynthError(
                f"value {value!r} has {len(value)} characters; the field has "
                f"{len(field.slots)} positions",
                field=field_id,
            )
        for char, s in zip(value, field.slots, strict=False):
            if char != " " and char not in {b.symbol for b in s.bubbles}:
                raise SynthError(f"{char!r} cannot be marked in position {s.id!r}", field=field_id)
    return dict(values)
