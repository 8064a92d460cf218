"""Reading a stream of files: each file becomes its pages' readings or failure rows.

::

    sources ─expand─▶ files ─ordered_map(executor)─▶ read_file ─▶ FileResult ─▶ rows

:func:`read_file` is the unit of work a worker runs: it reads the bytes once,
hashes them (the sheet id, and the key by which a resumed batch skips a file),
decodes each page (a JPEG at reduced scale when its resolution allows, see
:func:`~omrkit.decode.reduced.decode_pages`; coarser still first where the
reading may stand, see :mod:`omrkit.read.coarse`), measures it, and writes
its overlay from the image it already holds. Nothing it meets escapes: an
``OmrError`` becomes a failure row of its kind, any other exception an
``InternalError`` row, and the batch goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple, overload

import cv2
import numpy as np
import numpy.typing as npt
from tqdm.auto import tqdm

from omrkit.annotate import overlay
from omrkit.calibrate.drift import batch_check
from omrkit.decode.images import content_id, read_source_bytes
from omrkit.decode.reduced import DecodedPage, decode_pages
from omrkit.errors import LayoutError
from omrkit.layout.models import SheetLayout, load_layout
from omrkit.read.coarse import coarse_decode_dpi, coarse_reading_stands
from omrkit.read.executors import ordered_map
from omrkit.read.failure import failure_from
from omrkit.read.frame import BatchResult
from omrkit.read.sheet import ReadOptions, _assemble, measure_sheet, page_sheet_id
from omrkit.read.sources import expand_sources
from omrkit.types import SheetReading

__all__ = [
    "FileResult",
    "SheetReader",
    "first_decode_dpi",
    "overlay_name",
    "read_batch",
    "read_file",
]

#: JPEG quality of overlays: marks, outlines and labels stay crisp at a tenth of a PNG's size.
OVERLAY_JPEG_QUALITY = 80
#: Key of a file whose bytes could not be read, so a resumed batch does not retry it twice.
_UNREAD_KEY_PREFIX = "unread:"
_MM_PER_INCH = 25.4


class FileResult(NamedTuple):
    """What one input file gave: its key and one result per page.

    ``key`` is the SHA-256 of the file's bytes (``unread:<path>`` when they
    could not be read); ``skipped`` is true when the key was already done and
    the file was not decoded.
    """

    source: str
    key: str
    results: tuple[BatchResult, ...]
    skipped: bool = False


@dataclass(frozen=True)
class SheetReader:
    """The work of one file, as a picklable callable for any executor.

    Attributes
    ----------
    layout : SheetLayout
    options : ReadOptions
    annotate_dir : Path, optional
        Write each reading's overlay here (:func:`overlay_name`).
    skip : collection of str
        Keys (content hashes) already read: such files are hashed, not decoded.
    """

    layout: SheetLayout
    options: ReadOptions
    annotate_dir: Path | None = None
    skip: Collection[str] = frozenset()

    def __call__(self, source: str) -> FileResult:
        return read_file(source, self)


def read_file(source: str, reader: SheetReader) -> FileResult:
    """Read every page of one file; never raises for what the file holds."""
    layout_id = reader.layout.layout_id
    stage, key, page = "read", _UNREAD_KEY_PREFIX + source, None
    results: list[BatchResult] = []
    try:
        data = read_source_bytes(source)
        key = content_id(data)
        if key in reader.skip:
            return FileResult(source, key, (), skipped=True)
        stage = "decode"
        fine_dpi = reader.options.reduced_decode_min_dpi
        coarse_dpi = _coarse_dpi(reader.layout, reader.options)
        for page, image, reduction in _decode(data, source, reader, coarse_dpi or fine_dpi):
            result = None
            if coarse_dpi is not None and reduction > 1 and _dpi(image, reader) < (fine_dpi or 0):
                result = _read_page(source, page, image, reduction, key, reader, coarse=True)
                if result is None:  # light ink, or the coarse read failed: decode finer
                    page, image, reduction = next(_decode(data, source, reader, fine_dpi))
            if result is None:
                result = _read_page(source, page, image, reduction, key, reader)
            results.append(result)
            stage = "decode"
    except Exception as exc:
        sheet_id = page_sheet_id(key, page or 0) if not key.startswith(_UNREAD_KEY_PREFIX) else None
        results.append(
            failure_from(
                exc, source=source, page=page, stage=stage, sheet_id=sheet_id, layout_id=layout_id
            )
        )
    return FileResult(source, key, tuple(results))


def first_decode_dpi(layout: SheetLayout, options: ReadOptions) -> float | None:
    """Least resolution a batch first decodes a JPEG of ``layout`` to, as :func:`read_file` does.

    The coarse one where a coarse read is tried, else ``reduced_decode_min_dpi``
    (None: in full).
    """
    return _coarse_dpi(layout, options) or options.reduced_decode_min_dpi


def _coarse_dpi(layout: SheetLayout, options: ReadOptions) -> float | None:
    """Resolution of the first, coarse decode; None where there is none to try."""
    fine, floor = options.reduced_decode_min_dpi, options.coarse_decode_min_dpi
    if fine is None or floor is None:
        return None
    coarse = coarse_decode_dpi(layout, floor)
    return coarse if coarse < fine else None


def _decode(
    data: bytes, source: str, reader: SheetReader, min_dpi: float | None
) -> Iterator[DecodedPage]:
    layout = reader.layout
    return decode_pages(
        data,
        path=source,
        max_pixels=reader.options.max_pixels,
        dropout_color=layout.dropout_color,
        page_mm=(layout.page.width_mm, layout.page.height_mm),
        min_dpi=min_dpi,
    )


def _dpi(image: npt.NDArray[np.uint8], reader: SheetReader) -> float:
    """Resolution of a decoded page, from its size and the printed page's."""
    page = reader.layout.page
    return _MM_PER_INCH * float(min(image.shape[:2])) / min(page.width_mm, page.height_mm)


@overload
def _read_page(
    source: str,
    page: int,
    image: npt.NDArray[np.uint8],
    reduction: int,
    key: str,
    reader: SheetReader,
    *,
    coarse: Literal[False] = False,
) -> BatchResult: ...
@overload
def _read_page(
    source: str,
    page: int,
    image: npt.NDArray[np.uint8],
    reduction: int,
    key: str,
    reader: SheetReader,
    *,
    coarse: Literal[True],
) -> BatchResult | None: ...
def _read_page(
    source: str,
    page: int,
    image: npt.NDArray[np.uint8],
    reduction: int,
    key: str,
    reader: SheetReader,
    *,
    coarse: bool = False,
) -> BatchResult | None:
    """The page's reading or failure row; None when a ``coarse`` read may not stand."""
    sheet_id = page_sheet_id(key, page)
    layout = reader.layout
    options = reader.options
    if reduction != 1 and options.dpi_hint is not None:
        options = options.model_copy(update={"dpi_hint": options.dpi_hint / reduction})
    stage = "measure"
    try:
        m = measure_sheet(image, layout, options=options, path=source)
        if coarse and not coarse_reading_stands(m, layout):
            return None
        reading = _assemble(layout, m, sheet_id=sheet_id, source=source, page=page)
        if reader.annotate_dir is not None:
            stage = "annotate"
            _write_overlay(reader.annotate_dir, image, layout, reading)
    except Exception as exc:
        if coarse and stage == "measure":
            return None  # read again from the finer decode, which reports what fails
        if isinstance(exc, LayoutError) and stage == "measure":
            # A scanner-check sheet among the answer sheets is checked, not failed.
            check = batch_check(image, source=source, page=page)
            if check is not None:
                return check
        return failure_from(
            exc,
            source=source,
            page=page,
            stage=stage,
            sheet_id=sheet_id,
            layout_id=layout.layout_id,
        )
    return reading


def overlay_name(sheet_id: str) -> str:
    """File name of a sheet's overlay: its content id, so equal names never collide."""
    return sheet_id.replace(":", "-p") + ".jpg"


def _write_overlay(
    out_dir: Path, image: npt.NDArray[np.uint8], layout: SheetLayout, reading: SheetReading
) -> None:
    canvas = overlay(image, layout, reading)  # upright, labels inside their bubbles
    ok, buf = cv2.imencode(".jpg", canvas, [cv2.IMWRITE_JPEG_QUALITY, OVERLAY_JPEG_QUALITY])
    if not ok:  # pragma: no cover - cv2 only fails on impossible shapes
        raise RuntimeError("the overlay could not be encoded")
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / overlay_name(reading.sheet_id)).write_bytes(bytes(buf))


def stream_files(
    files: list[str],
    reader: SheetReader,
    *,
    executor: Any = None,
    workers: int | None = None,
    progress: bool | Callable[[int, int], None] = True,
) -> Iterator[FileResult]:
    """:func:`read_file` over ``files`` on ``executor``, in input order, with progress."""
    bar = tqdm(
        total=len(files),
        unit="sheet",
        desc="read",
        disable=progress is not True,
        dynamic_ncols=True,
    )
    try:
        for done, result in enumerate(
            ordered_map(reader, files, executor=executor, workers=workers), start=1
        ):
            bar.update(1)
            if callable(progress):
                progress(done, len(files))
            yield result
    finally:
        bar.close()


def read_batch(
    sources: str | Path | Iterable[str | Path],
    layout: SheetLayout | str | Path,
    *,
    options: ReadOptions | None = None,
    executor: Any = None,
    progress: bool | Callable[[int, int], None] = True,
    workers: int | None = None,
    annotate_dir: str | Path | None = None,
) -> Iterator[BatchResult]:
    """Read every page of every input, streaming; errors become :class:`SheetFailure` rows.

    Parameters
    ----------
    sources : path, glob pattern, or iterable of them
        Image files, directories (read recursively) and patterns
        (:func:`~omrkit.read.sources.expand_sources`); multi-page TIFFs give
        one result per page.
    layout : SheetLayout, bundled name or JSON path
    options : ReadOptions, optional
        Decision rule, input guards and reduced decoding, for every sheet.
    executor : concurrent.futures.Executor or distributed.Client, optional
        Where files are read; default a pool of ``workers`` threads. With a
        process pool or a Dask cluster, every worker must see the files.
    progress : bool or callable(done, total)
        A ``tqdm`` bar (sheets/s) when true; a callable is called after each file.
    workers : int, optional
        Threads of the default pool (default: CPU count).
    annotate_dir : path, optional
        Write an overlay of each reading there, named by its content id.

    Yields
    ------
    SheetReading or SheetFailure
        In input order, one per page (a file that cannot be opened gives one
        failure). A bounded number of files is in flight, so memory does not
        grow with the batch.

    Raises
    ------
    DecodeError
        At once, if a directory or pattern holds no image file.
    """
    reader = SheetReader(
        load_layout(layout),
        options or ReadOptions(),
        Path(annotate_dir) if annotate_dir is not None else None,
    )
    files = expand_sources(sources)
    stream = stream_files(files, reader, executor=executor, workers=workers, progress=progress)
    return (r for file in stream for r in file.results)
