"""Ground truth of simulated sheets, and its Parquet tables.

Three tables describe a batch, joined on ``file``:

``truth_sheets.parquet``, one row per sheet
    file, index, seed, layout_id, dpi, profile, serial, instrument,
    upside_down, jpeg_quality, width, height, homography (9 float64, row-major
    3x3 mapping layout mm to continuous image px).
``truth_slots.parquet``, one row per sheet x slot
    file, slot_index, field, slot, intended (list of symbols meant), marked
    (list of symbols painted >= 50 %), state (``blank``/``marked``/``multiple``
    by the 50 % rule), planted_double.
``truth_bubbles.parquet``, one row per sheet x bubble
    file, bubble, field, slot, symbol, true_fraction, covered_fraction,
    mark_kind, ink_darkness.

``slot`` is ``"<field>.<slot>"`` as in ``layout.bubbles.slot_ids``;
``bubble`` indexes ``layout.bubbles``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl

from omrkit.layout.models import SheetLayout
from omrkit.synth.strokes import Instrument, MarkKind
from omrkit.types import SlotState

__all__ = [
    "MARK_THRESHOLD",
    "TRUTH_BUBBLES",
    "TRUTH_SHEETS",
    "TRUTH_SLOTS",
    "SheetTruth",
    "truth_tables",
    "write_truth_tables",
]

#: UNT-SCORE-1: a bubble painted over 50 % or more of its area is marked.
MARK_THRESHOLD = 0.5
TRUTH_SHEETS = "truth_sheets.parquet"
TRUTH_SLOTS = "truth_slots.parquet"
TRUTH_BUBBLES = "truth_bubbles.parquet"

_MARK_KIND = pl.Enum([k.value for k in MarkKind])
_STATE = pl.Enum([s.value for s in SlotState])


@dataclass(frozen=True, slots=True)
class SheetTruth:
    """Everything known about one simulated sheet.

    Attributes
    ----------
    layout_id : str
    seed : int
        Reproduces the sheet with :func:`omrkit.synth.synthesize_sheet`.
    dpi : int
    profile : str
        Name of the degradation profile.
    serial : int or None
        Serial printed in the layout's serial code.
    instrument : Instrument
    upside_down : bool
        The sheet was fed turned by 180°.
    homography : (3, 3) ndarray of float64
        Layout mm ``(x, y, 1)`` to continuous image pixels, homogeneous.
    jpeg_quality : int or None
        Quality of the JPEG the scanner wrote, if it wrote one.
    mark_kinds : tuple of MarkKind, length N
    true_fractions : (N,) ndarray of float64
        Painted share of each bubble's inner disc (radius ``radius_mm -
        OUTLINE_STROKE_MM / 2``); erased ghosts count 0.
    covered_fractions : (N,) ndarray of float64
        Share covered by anything drawn, ghosts included.
    ink_darkness : (N,) ndarray of float64
        Mean darkness (share of the paper-to-black range) of what was drawn.
    intended : tuple of tuple of str, length S
        Symbols the examinee meant per slot.
    planted_double : (S,) ndarray of bool
        A deliberate over-mark was planted in the slot.
    """

    layout_id: str
    seed: int
    dpi: int
    profile: str
    serial: int | None
    instrument: Instrument
    upside_down: bool
    homography: npt.NDArray[np.float64]
    jpeg_quality: int | None
    mark_kinds: tuple[MarkKind, ...]
    true_fractions: npt.NDArray[np.float64]
    covered_fractions: npt.NDArray[np.float64]
    ink_darkness: npt.NDArray[np.float64]
    intended: tuple[tuple[str, ...], ...]
    planted_double: npt.NDArray[np.bool_]

    def marked(self, layout: SheetLayout) -> tuple[tuple[str, ...], ...]:
        """Symbols painted over ``MARK_THRESHOLD`` or more, per slot.

        Implements UNT-SCORE-1: exactly 50 % counts as marked.
        """
        arrays = layout.bubbles
        is_marked = self.true_fractions >= MARK_THRESHOLD
        offsets = arrays.slot_offsets
        return tuple(
            tuple(str(sym) for sym in arrays.symbols[lo:hi][is_marked[lo:hi]])
            for lo, hi in itertools.pairwise(offsets.tolist())
        )

    def slot_states(self, layout: SheetLayout) -> tuple[SlotState, ...]:
        """What a faithful reader reports per slot under the 50 % rule (D-1)."""
        marks = self.marked(layout)
        maxima = layout.bubbles.slot_max_marks
        return tuple(
            SlotState.BLANK if not m else SlotState.MARKED if len(m) <= k else SlotState.MULTIPLE
            for m, k in zip(marks, maxima.tolist(), strict=True)
        )


def truth_tables(
    layout: SheetLayout, truths: Sequence[SheetTruth], files: Sequence[str]
) -> dict[str, pl.DataFrame]:
    """The three ground-truth tables of a batch (see the module docstring).

    Parameters
    ----------
    layout : SheetLayout
        The layout every sheet was made from.
    truths : sequence of SheetTruth
    files : sequence of str
        Image file name of each sheet, aligned with ``truths``.

    Returns
    -------
    dict of str to polars.DataFrame
        Keyed by file name: :data:`TRUTH_SHEETS`, :data:`TRUTH_SLOTS`,
        :data:`TRUTH_BUBBLES`.
    """
    return {
        TRUTH_SHEETS: _sheets_table(truths, files),
        TRUTH_SLOTS: _slots_table(layout, truths, files),
        TRUTH_BUBBLES: _bubbles_table(layout, truths, files),
    }


def write_truth_tables(
    out_dir: Path, layout: SheetLayout, truths: Sequence[SheetTruth], files: Sequence[str]
) -> None:
    """Write :func:`truth_tables` as Parquet files into ``out_dir``."""
    for name, table in truth_tables(layout, truths, files).items():
        table.write_parquet(out_dir / name)


def _sheets_table(truths: Sequence[SheetTruth], files: Sequence[str]) -> pl.DataFrame:
    homographies = np.array([t.homography.ravel() for t in truths], dtype=np.float64)
    return pl.DataFrame(
        {
            "file": list(files),
            "index": pl.Series(range(len(truths)), dtype=pl.Int32),
            "seed": pl.Series([t.seed for t in truths], dtype=pl.UInt64),
            "layout_id": [t.layout_id for t in truths],
            "dpi": pl.Series([t.dpi for t in truths], dtype=pl.Int32),
            "profile": [t.profile for t in truths],
            "serial": pl.Series([t.serial for t in truths], dtype=pl.Int64),
            "instrument": [t.instrument.value for t in truths],
            "upside_down": [t.upside_down for t in truths],
            "jpeg_quality": pl.Series([t.jpeg_quality for t in truths], dtype=pl.Int32),
            "homography": pl.Series(homographies.reshape(-1, 9), dtype=pl.Array(pl.Float64, 9)),
        }
    )


def _slot_labels(layout: SheetLayout) -> tuple[list[str], list[str]]:
    """Field id and full slot id of every slot."""
    arrays = layout.bubbles
    fields = [f.id for f in layout.fields for _ in f.slots]
    return fields, list(arrays.slot_ids)


def _slots_table(
    layout: SheetLayout, truths: Sequence[SheetTruth], files: Sequence[str]
) -> pl.DataFrame:
    fields, slots = _slot_labels(layout)
    n = len(slots)
    marked = [m for t in truths for m in t.marked(layout)]
    return pl.DataFrame(
        {
            "file": np.repeat(np.array(files, dtype=object), n).tolist(),
            "slot_index": pl.Series(np.tile(np.arange(n), len(truths)), dtype=pl.Int32),
            "field": fields * len(truths),
            "slot": slots * len(truths),
            "intended": pl.Series(
                [list(i) for t in truths for i in t.intended], dtype=pl.List(pl.String)
            ),
            "marked": pl.Series([list(m) for m in marked], dtype=pl.List(pl.String)),
            "state": pl.Series(
                [s.value for t in truths for s in t.slot_states(layout)], dtype=_STATE
            ),
            "planted_double": np.concatenate([t.planted_double for t in truths]),
        }
    )


def _bubbles_table(
    layout: SheetLayout, truths: Sequence[SheetTruth], files: Sequence[str]
) -> pl.DataFrame:
    arrays = layout.bubbles
    n, sheets = arrays.n_bubbles, len(truths)
    fields, slots = _slot_labels(layout)
    slot_of_bubble = np.repeat(np.arange(arrays.n_slots), np.diff(arrays.slot_offsets))
    bubble_fields = np.array(fields, dtype=object)[slot_of_bubble]
    bubble_slots = np.array(slots, dtype=object)[slot_of_bubble]
    return pl.DataFrame(
        {
            "file": np.repeat(np.array(files, dtype=object), n).tolist(),
            "bubble": pl.Series(np.tile(np.arange(n), sheets), dtype=pl.Int32),
            "field": np.tile(bubble_fields, sheets).tolist(),
            "slot": np.tile(bubble_slots, sheets).tolist(),
            "symbol": np.tile(arrays.symbols, sheets).tolist(),
            "true_fraction": np.concatenate([t.true_fractions for t in truths]),
            "covered_fraction": np.concatenate([t.covered_fractions for t in truths]),
            "mark_kind": pl.Series(
                [k.value for t in truths for k in t.mark_kinds], dtype=_MARK_KIND
            ),
            "ink_darkness": np.concatenate([t.ink_darkness for t in truths]),
        }
    )
