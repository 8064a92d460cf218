"""Reading many sheets: every input yields a reading or a failure row, never nothing.

Threads, not processes: decoding (OpenCV) and measuring (numba, ``nogil``)
release the GIL, so threads scale without pickling images between processes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from os import cpu_count
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl
from pydantic import BaseModel, ConfigDict

from omrkit.annotate import overlay_png
from omrkit.calibrate.drift import SUSPECT_FLAG, CalibrationCheck, batch_check, flag_suspects
from omrkit.decode.images import content_id, iter_pages, read_source_bytes
from omrkit.errors import LayoutError, OmrError
from omrkit.layout.models import SheetLayout, load_layout
from omrkit.read.sheet import DEFAULT_OPTIONS, ReadOptions, page_sheet_id, read_image
from omrkit.types import SheetReading

__all__ = ["SheetFailure", "read_batch", "readings_frame"]


class SheetFailure(BaseModel):
    """A sheet that could not be read: what, where, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    page: int | None = None
    error_kind: str
    message: str
    field: str | None = None


BatchResult = SheetReading | SheetFailure | CalibrationCheck


def _read_one(
    path: Path,
    layout: SheetLayout,
    annotate_dir: Path | None,
    options: ReadOptions = DEFAULT_OPTIONS,
) -> list[BatchResult]:
    results: list[BatchResult] = []
    try:
        data = read_source_bytes(path)
        digest = content_id(data)
        for page, image in iter_pages(data, path=path, dropout_color=layout.dropout_color):
            sheet_id = page_sheet_id(digest, page)
            try:
                reading = read_image(
                    image, layout, options=options, source=str(path), page=page, sheet_id=sheet_id
                )
            except OmrError as exc:
                # A scanner-check sheet among the answer sheets is checked, not failed.
                check = batch_check(image, source=str(path), page=page) if isinstance(
                    exc, LayoutError) else None  # fmt: skip
                results.append(check if check is not None else _failure(exc, path, page))
                continue
            results.append(reading)
            if annotate_dir is not None:
                _write_overlay(annotate_dir, path, page, image, layout, reading)
    except OmrError as exc:
        results.append(_failure(exc, path, None))
    return results


def _failure(exc: OmrError, path: Path, page: int | None) -> SheetFailure:
    return SheetFailure(
        source=str(path),
        page=exc.page if exc.page is not None else page,
        error_kind=exc.kind,
        message=exc.message,
        field=exc.field,
    )


def _write_overlay(
    out_dir: Path,
    path: Path,
    page: int,
    image: npt.NDArray[np.uint8],
    layout: SheetLayout,
    reading: SheetReading,
) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{path.stem}-p{page}-overlay.png").write_bytes(overlay_png(image, layout, reading))


def read_batch(
    paths: Iterable[str | Path],
    layout: SheetLayout | str | Path,
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    annotate_dir: str | Path | None = None,
    options: ReadOptions = DEFAULT_OPTIONS,
) -> list[BatchResult]:
    """Read every page of every file; errors become :class:`SheetFailure` rows.

    Parameters
    ----------
    paths : iterable of str or Path
        Image files (multi-page TIFFs yield one result per page).
    layout : SheetLayout, bundled name or JSON path
    workers : int, optional
        Threads; defaults to the number of CPUs.
    progress : callable(done, total), optional
        Called after each file.
    annotate_dir : path, optional
        Write an overlay PNG of each reading there.
    options : ReadOptions
        Decision rule, guards and the scanner profile.

    Returns
    -------
    list of SheetReading or SheetFailure
        In input order, one or more per file (one per page). A scanner-check
        sheet gives a :class:`~omrkit.calibrate.drift.CalibrationCheck`, and
        readings it casts doubt on carry the flag ``scanner-suspect``.
    """
    sheet_layout = load_layout(layout)
    files = [Path(p) for p in paths]
    out_dir = Path(annotate_dir) if annotate_dir is not None else None
    n_workers = max(1, workers or cpu_count() or 1)
    results: list[BatchResult] = []
    with ThreadPoolExecutor(max_workers=n_workers) as pool:
        for done, rows in enumerate(
            pool.map(lambda p: _read_one(p, sheet_layout, out_dir, options), files), start=1
        ):
            results.extend(rows)
            if progress is not None:
                progress(done, len(files))
    return flag_suspects(results)


def readings_frame(results: Sequence[BatchResult]) -> pl.DataFrame:
    """One row per sheet: identity, quality, decoded fields, fill ratios, or the error.

    Readings and failures share the frame so that no sheet is lost: a failure
    has ``error_kind`` set and null reading columns.
    """
    rows: list[dict[str, object]] = []
    for r in results:
        if isinstance(r, SheetFailure):
            rows.append(
                {
                    "source": r.source,
                    "page": r.page,
                    "error_kind": r.error_kind,
                    "error_message": r.message,
                    "error_field": r.field,
                }
            )
            continue
        row: dict[str, object] = r.to_row()
        row.update(error_kind=None, error_message=None, error_field=None)
        rows.append(row)
    if not rows:
        return pl.DataFrame(schema={"source": pl.String, "error_kind": pl.String})
    frame = pl.from_dicts(rows, infer_schema_length=None)
    if "flags" in frame.columns:
        frame = frame.with_columns(suspect=pl.col("flags").list.contains(SUSPECT_FLAG))
    return frame
