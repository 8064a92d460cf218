"""Fixed-seed synthetic sets read back by the engine, for the accuracy tests.

Each set simulates ``count`` ubt-answer sheets with :func:`omrkit.synth.synthesize_sheet`
(the ground truth is exact), reads them with :func:`omrkit.read_sheet`, and keeps per
bubble and per slot what was true and what was read. Sets are cached per
configuration so several tests share one simulation.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from omrkit.errors import OmrError
from omrkit.layout.models import SheetLayout, load_layout
from omrkit.read.sheet import read_sheet
from omrkit.synth.simulate import DegradationProfile, SyntheticSheet, synthesize_sheet
from omrkit.synth.strokes import Instrument, MarkKind
from omrkit.types import SheetReading, SlotState

LAYOUT_ID = "ubt-answer"
_STATE_CODE = {SlotState.BLANK: 0, SlotState.MARKED: 1, SlotState.MULTIPLE: 2}


@dataclass(frozen=True)
class AccuracyRun:
    """Truth and reading of every bubble and slot of a set, stacked over sheets.

    Bubble arrays are (sheets, N); slot arrays (sheets, S); sheet arrays (sheets,).
    """

    true_fraction: npt.NDArray[np.float64]
    read_fraction: npt.NDArray[np.float64]
    mark_kind: npt.NDArray[np.str_]
    pencil: npt.NDArray[np.bool_]
    true_state: npt.NDArray[np.int64]
    read_state: npt.NDArray[np.int64]
    review: npt.NDArray[np.bool_]
    planted_double: npt.NDArray[np.bool_]
    true_upside_down: npt.NDArray[np.bool_]
    read_upside_down: npt.NDArray[np.bool_]
    failures: tuple[str, ...]

    @property
    def n_sheets(self) -> int:
        return int(self.true_fraction.shape[0])

    def bubble_slot(self, layout: SheetLayout) -> npt.NDArray[np.int64]:
        """Slot index of each bubble, (N,)."""
        offsets = layout.bubbles.slot_offsets
        return np.repeat(np.arange(offsets.size - 1), np.diff(offsets))


def _slot_states(layout: SheetLayout, reading: SheetReading) -> tuple[list[int], list[bool]]:
    states: list[int] = []
    review: list[bool] = []
    for f in layout.fields:
        fr = reading.fields[f.id]
        states += [_STATE_CODE[s] for s in fr.states]
        review += list(fr.review)
    return states, review


def _one(
    layout: SheetLayout, seed: int, dpi: int, profile: DegradationProfile | str
) -> tuple[SyntheticSheet, SheetReading | str]:
    sheet = synthesize_sheet(layout, seed=seed, dpi=dpi, profile=profile)
    source = sheet.jpeg if sheet.jpeg is not None else sheet.image
    try:
        return sheet, read_sheet(source, layout)
    except OmrError as exc:
        return sheet, f"seed {seed}: {exc}"


@functools.cache
def accuracy_run(
    *, count: int, seed: int, dpi: int, profile: DegradationProfile | str = "default"
) -> AccuracyRun:
    """Simulate and read ``count`` sheets; seeds ``seed .. seed + count - 1``."""
    layout = load_layout(LAYOUT_ID)
    with ThreadPoolExecutor(max_workers=2) as pool:
        pairs = list(pool.map(lambda s: _one(layout, s, dpi, profile), range(seed, seed + count)))
    return _collect(layout, pairs)


def marked_bubbles(run: AccuracyRun, *, pencil: bool) -> npt.NDArray[np.bool_]:
    """Mask of bubbles with ink drawn in them (any mark but none), on pen or pencil sheets."""
    drawn = run.mark_kind != MarkKind.NONE.value
    return drawn & (run.pencil[:, None] == pencil)


def batch_accuracy_run(sheets: Sequence[SyntheticSheet], results: Sequence[object]) -> AccuracyRun:
    """Truth of ``sheets`` against a batch's results for them, in order; failures are kept."""
    pairs = [
        (sheet, reading if isinstance(reading, SheetReading) else str(reading))
        for sheet, reading in zip(sheets, results, strict=True)
    ]
    return _collect(load_layout(LAYOUT_ID), pairs)


def _collect(
    layout: SheetLayout, pairs: Sequence[tuple[SyntheticSheet, SheetReading | str]]
) -> AccuracyRun:
    """Truth against reading, sheet by sheet; a str in place of a reading is a failure."""
    cols: dict[str, list[object]] = {k: [] for k in AccuracyRun.__dataclass_fields__}
    failures = []
    for sheet, reading in pairs:
        if isinstance(reading, str):
            failures.append(reading)
            continue
        t = sheet.truth
        states, review = _slot_states(layout, reading)
        cols["true_fraction"].append(t.true_fractions)
        cols["read_fraction"].append(np.asarray(reading.fill_ratios))
        cols["mark_kind"].append(np.array([k.value for k in t.mark_kinds]))
        cols["pencil"].append(t.instrument is Instrument.PENCIL)
        cols["true_state"].append([_STATE_CODE[s] for s in t.slot_states(layout)])
        cols["read_state"].append(states)
        cols["review"].append(review)
        cols["planted_double"].append(t.planted_double)
        cols["true_upside_down"].append(t.upside_down)
        cols["read_upside_down"].append(reading.quality.upside_down)
    arrays = {k: np.array(v) for k, v in cols.items() if k != "failures"}
    return AccuracyRun(**arrays, failures=tuple(failures))  # type: ignore[arg-type]
