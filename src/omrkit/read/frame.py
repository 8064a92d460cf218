"""The batch frame: one row per sheet, the same columns and dtypes whatever the mix.

A batch of readings, of failures only, or of nothing has the same schema for a
given layout, so frames from different runs, parts and machines concatenate.
The schema is declared once, in :data:`COLUMNS` (one :class:`Column` per line:
adding a column is adding a line), followed by the layout's own columns:
``fill_ratios`` as a fixed-width ``Array(Float64, n_bubbles)`` aligned with
``layout.bubbles``, and one column per field (``answers`` fields a list of
symbols, other fields their decoded value).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from omrkit.calibrate.drift import SUSPECT_FLAG, CalibrationCheck, flag_suspects
from omrkit.layout.models import FieldKind, SheetLayout, load_layout
from omrkit.read.failure import SheetFailure
from omrkit.types import SheetReading

__all__ = ["COLUMNS", "FILL_RATIOS", "BatchResult", "Column", "frame_schema", "readings_frame"]

BatchResult = SheetReading | SheetFailure | CalibrationCheck
#: Name of the fill-ratio column (one fixed-width array per sheet).
FILL_RATIOS = "fill_ratios"


def _none(_: object) -> None:
    return None


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the batch frame: its dtype and its value for a reading and a failure."""

    name: str
    dtype: pl.DataType
    reading: Callable[[SheetReading], object]
    failure: Callable[[SheetFailure], object] = _none
    check: Callable[[CalibrationCheck], object] = _none

    def value(self, result: BatchResult) -> object:
        """This column's value for one result of any kind."""
        if isinstance(result, SheetReading):
            return self.reading(result)
        if isinstance(result, CalibrationCheck):
            return self.check(result)
        return self.failure(result)


#: Every column that does not depend on the layout, in frame order.
COLUMNS: tuple[Column, ...] = (
    Column("source", pl.String(), lambda r: r.source, lambda f: f.source, lambda c: c.source),
    Column("page", pl.Int32(), lambda r: r.page, lambda f: f.page, lambda c: c.page),
    Column("sheet_id", pl.String(), lambda r: r.sheet_id, lambda f: f.sheet_id),
    Column("layout_id", pl.String(), lambda r: r.layout_id, lambda f: f.layout_id),
    Column("serial", pl.Int64(), lambda r: r.serial),
    Column("needs_review", pl.Boolean(), lambda r: r.needs_review),
    Column("residual_px", pl.Float64(), lambda r: r.quality.residual_px),
    Column("skew_deg", pl.Float64(), lambda r: r.quality.skew_deg),
    Column("scale_px_per_mm", pl.Float64(), lambda r: r.quality.scale),
    Column("upside_down", pl.Boolean(), lambda r: r.quality.upside_down),
    Column(
        "flags",
        pl.List(pl.String()),
        lambda r: list(r.flags),
        check=lambda c: [f"calibration-{reason}" for reason in c.reasons],
    ),
    # How the examinee's ink separated from paper (omrkit.measure.ink).
    Column("paper_grey", pl.Float64(), lambda r: None if r.ink is None else r.ink.paper_grey),
    Column("ink_grey", pl.List(pl.Float64()), lambda r: _ink(r, "ink_grey")),
    Column("ink_separation", pl.List(pl.Float64()), lambda r: _ink(r, "separation")),
    Column("ink_faint", pl.Boolean(), lambda r: None if r.ink is None else r.ink.faint),
    Column("review_reason", pl.String(), lambda r: None if r.ink is None else r.ink.reason),
    Column("profile_hash", pl.String(), lambda r: r.profile_hash),
    # A scanner-check sheet met in the batch, and the readings its failure casts doubt on.
    Column("calibration_passed", pl.Boolean(), _none, check=lambda c: c.passed),
    Column("suspect", pl.Boolean(), lambda r: SUSPECT_FLAG in r.flags, check=lambda c: False),
    Column("error_stage", pl.String(), _none, lambda f: f.stage),
    Column("error_kind", pl.String(), _none, lambda f: f.error_kind),
    Column("error_message", pl.String(), _none, lambda f: f.message),
    Column("error_field", pl.String(), _none, lambda f: f.field),
)


def _ink(reading: SheetReading, name: str) -> list[float] | None:
    return None if reading.ink is None else list(getattr(reading.ink, name))


def frame_schema(layout: SheetLayout | str | Path) -> pl.Schema:
    """The columns and dtypes of a batch frame read against ``layout``."""
    sheet_layout = load_layout(layout)
    schema = pl.Schema({c.name: c.dtype for c in COLUMNS})
    schema[FILL_RATIOS] = pl.Array(pl.Float64(), sheet_layout.bubbles.n_bubbles)
    for f in sheet_layout.fields:
        schema[f.id] = pl.List(pl.String()) if f.kind is FieldKind.ANSWERS else pl.String()
    return schema


def readings_frame(
    results: Iterable[BatchResult], layout: SheetLayout | str | Path | None = None
) -> pl.DataFrame:
    """One row per result, readings and failures alike, with :func:`frame_schema`'s columns.

    Parameters
    ----------
    results : iterable of SheetReading or SheetFailure
    layout : SheetLayout, bundled name or JSON path, optional
        The layout the sheets were read against; by default the layout named
        by the first result's ``layout_id``. Needed for an empty batch, or a
        batch of failures that name no layout.

    Returns
    -------
    polars.DataFrame
        A failure has ``error_kind`` set and null reading columns; a reading
        has null ``error_*`` columns.
    """
    rows = flag_suspects(list(results))
    sheet_layout = _resolve_layout(rows, layout)
    schema = frame_schema(sheet_layout)
    n_bubbles = sheet_layout.bubbles.n_bubbles
    readings = [r for r in rows if isinstance(r, SheetReading)]
    for r in readings:
        if r.layout_id != sheet_layout.layout_id or len(r.fill_ratios) != n_bubbles:
            raise ValueError(
                f"{r.source}: read with layout {r.layout_id!r}, not {sheet_layout.layout_id!r}"
            )
    data: dict[str, pl.Series] = {}
    for c in COLUMNS:
        data[c.name] = _series(c.name, [c.value(r) for r in rows], c.dtype)
    data[FILL_RATIOS] = _fill_column(rows, n_bubbles)
    for f in sheet_layout.fields:
        answers = f.kind is FieldKind.ANSWERS
        values = [_field_value(r, f.id, answers) for r in rows]
        data[f.id] = _series(f.id, values, schema[f.id])
    return pl.DataFrame(data, schema=schema)


def _series(name: str, values: list[object], dtype: pl.DataType) -> pl.Series:
    """``values`` as a column of ``dtype``.

    A list column is built by inference, then cast: polars converts nested
    Python lists with a declared dtype item by item, three to four times slower.
    """
    if not isinstance(dtype, pl.List):
        return pl.Series(name, values, dtype=dtype)
    return pl.Series(name, values).cast(dtype)


def _field_value(r: BatchResult, field_id: str, answers: bool) -> object:
    if not isinstance(r, SheetReading):
        return None
    f = r.fields[field_id]
    return list(f.symbols) if answers else f.value


def _fill_column(rows: Sequence[BatchResult], n_bubbles: int) -> pl.Series:
    fills = np.full((len(rows), n_bubbles), np.nan)
    valid = np.zeros(len(rows), dtype=bool)
    for i, r in enumerate(rows):
        if isinstance(r, SheetReading):
            fills[i] = r.fill_ratios
            valid[i] = True
    dtype = pl.Array(pl.Float64(), n_bubbles)
    column = pl.Series(FILL_RATIOS, fills, dtype=dtype)
    if valid.all():
        return column
    # NaN is a measurement (a bubble off the image); a failed sheet has no row of fills.
    return pl.select(pl.when(pl.Series(valid)).then(column).alias(FILL_RATIOS)).to_series()


def _resolve_layout(
    rows: Sequence[BatchResult], layout: SheetLayout | str | Path | None
) -> SheetLayout:
    if layout is not None:
        return load_layout(layout)
    named = next(
        (r.layout_id for r in rows if not isinstance(r, CalibrationCheck) and r.layout_id),
        None,
    )
    if named is None:
        raise ValueError("readings_frame needs the layout: no result names one")
    return load_layout(named)
