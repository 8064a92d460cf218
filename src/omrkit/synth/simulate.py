"""Simulated filled and scanned sheets with exact ground truth.

The printed sheet is rendered once per layout and resolution
(:mod:`omrkit.synth.page`); each simulated sheet then gets its serial, an
examinee's answers (:mod:`omrkit.synth.plan`) drawn as marks with known
painted fractions (:mod:`omrkit.synth.strokes`, :mod:`omrkit.synth.shapes`),
and a print-scan degradation with the exact layout-to-image homography
(:mod:`omrkit.synth.degrade`), as set by the profiles of
:mod:`omrkit.synth.profiles`. Truth is kept per bubble, slot and sheet
(:mod:`omrkit.synth.truth`).

Truth refers to each bubble's *inner* disc, radius ``radius_mm -
OUTLINE_STROKE_MM / 2``: the share of it covered by ink is what the reader's
fill ratio must reproduce.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import cv2
import numpy as np
import numpy.typing as npt

from omrkit.errors import SynthError
from omrkit.layout.models import SheetLayout, load_layout
from omrkit.synth.degrade import degrade_page
from omrkit.synth.page import PageTemplate, page_template, paint_plan, stamp_code
from omrkit.synth.plan import plan_fills
from omrkit.synth.profiles import (
    DEGRADATION_PRESETS,
    DegradationProfile,
    FillProfile,
    degradation_profile,
)
from omrkit.synth.strokes import Instrument, MarkKind
from omrkit.synth.truth import SheetTruth, write_truth_tables

__all__ = [
    "DEGRADATION_PRESETS",
    "DegradationProfile",
    "FillProfile",
    "ImageFormat",
    "Instrument",
    "MarkKind",
    "SheetTruth",
    "SyntheticSheet",
    "sheet_seed",
    "synthesize_batch",
    "synthesize_sheet",
]

#: Fast zlib, Huffman coding only, one fixed row filter: sensor noise leaves
#: little for string matching or filter search to find, which would cost
#: three times the time for a file 5-10 % smaller.
PNG_COMPRESSION = 1
#: Quality of JPEG files made from scans the simulated scanner did not compress.
FILE_JPEG_QUALITY = 95
#: Sheets queued per worker thread: enough to keep threads busy, few enough
#: that memory stays flat in the batch size.
_QUEUED_PER_WORKER = 2

ImageFormat = Literal["png", "jpeg", "tiff"]
_EXTENSIONS: dict[str, str] = {"png": ".png", "jpeg": ".jpg", "tiff": ".tiff"}


@dataclass(frozen=True, slots=True)
class SyntheticSheet:
    """One simulated scan and its ground truth.

    Attributes
    ----------
    image : (H, W) ndarray of uint8
        The scanned sheet, 0 black ink, 255 white.
    truth : SheetTruth
    jpeg : bytes or None
        The JPEG file the simulated scanner wrote; ``image`` is its decoded
        pixels. None when the scan was not compressed.
    """

    image: npt.NDArray[np.uint8]
    truth: SheetTruth
    jpeg: bytes | None


def synthesize_sheet(
    layout: SheetLayout | str,
    *,
    seed: int,
    dpi: int = 200,
    profile: str | DegradationProfile = "default",
    fill: FillProfile | None = None,
    values: Mapping[str, str] | None = None,
    serial: int | None = None,
) -> SyntheticSheet:
    """Simulate one filled, printed and scanned sheet.

    Parameters
    ----------
    layout : SheetLayout or str
        The sheet, or a bundled layout name such as ``"ubt-answer"``.
    seed : int
        Non-negative; the same seed gives the same pixels and truth. The
        marks depend only on the seed, not on ``profile``.
    dpi : int
        Resolution of the print and the scan (``MIN_DPI``..``MAX_DPI``).
    profile : str or DegradationProfile
        ``"none"`` (the clean render), ``"default"``, ``"harsh"``, or a profile.
    fill : FillProfile, optional
        Mix of answers and marks; ``FillProfile()`` when None.
    values : mapping of str to str, optional
        Values of code, text or choice fields by field id, e.g. a given ТЖК.
    serial : int, optional
        Serial printed on the sheet; drawn from the seed when None and the
        layout has a serial code.

    Returns
    -------
    SyntheticSheet

    Raises
    ------
    SynthError
        On a negative seed, a dpi out of range, an unknown profile, a serial
        the layout cannot print, or values that do not fit their fields.

    Examples
    --------
    >>> sheet = synthesize_sheet("ubt-answer", seed=7, profile="none")
    >>> sheet.image.dtype, sheet.truth.true_fractions.shape
    (dtype('uint8'), (848,))
    """
    sheet_layout = load_layout(layout)
    _require_int(seed, "seed", low=0)
    scan_profile = degradation_profile(profile)
    template = page_template(sheet_layout, dpi)
    return _synthesize(sheet_layout, template, seed=seed, dpi=dpi, profile=scan_profile,
                       fill=fill, values=values, serial=serial)  # fmt: skip


def synthesize_batch(
    layout: SheetLayout | str,
    *,
    count: int,
    seed: int,
    out_dir: str | Path,
    dpi: int = 200,
    profile: str | DegradationProfile = "default",
    image_format: ImageFormat = "png",
    fill: FillProfile | None = None,
    first_serial: int | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Simulate ``count`` sheets into ``out_dir``: images plus ground-truth Parquet.

    Writes ``sheet-00000.png``, ``sheet-00001.png``, ... (``.jpg``/``.tiff``
    for the other formats) and the tables ``truth_sheets.parquet``,
    ``truth_slots.parquet`` and ``truth_bubbles.parquet`` described in
    :mod:`omrkit.synth.truth`. Existing files of those names are replaced.

    Parameters
    ----------
    layout : SheetLayout or str
        The sheet, or a bundled layout name such as ``"ubt-answer"``.
    count : int
        Number of sheets, at least 1.
    seed : int
        Non-negative batch seed. Sheet ``i`` uses ``sheet_seed(seed, i)``
        (recorded in ``truth_sheets``), so the same seed writes the same
        bytes, and any sheet can be remade alone with :func:`synthesize_sheet`.
    out_dir : str or Path
        Directory to write into; created if missing.
    dpi : int
        Print and scan resolution (``MIN_DPI``..``MAX_DPI``), e.g. 150, 200, 300.
    profile : str or DegradationProfile
        Print-scan degradation: ``"none"``, ``"default"``, ``"harsh"`` or a profile.
    image_format : {"png", "jpeg", "tiff"}
        File format. A scan the simulated scanner compressed is written as
        that very JPEG; others become JPEG at ``FILE_JPEG_QUALITY``, and the
        quality is recorded either way.
    fill : FillProfile, optional
        Mix of answers and marks; ``FillProfile()`` when None.
    first_serial : int, optional
        Serial of the first sheet, the others following consecutively, as
        sheets pre-allocated to rooms are; drawn per sheet when None.
    workers : int, optional
        Threads; the CPU count when None. The work is OpenCV and numpy on
        large arrays, which release the GIL.
    progress : callable, optional
        Called as ``progress(done, total)`` after each sheet, from the calling thread.

    Returns
    -------
    Path
        ``out_dir``.

    Raises
    ------
    SynthError
        On invalid arguments, or when a file cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = synthesize_batch("ubt-answer", count=2, seed=0, out_dir=tmp, dpi=100)
    ...     names = sorted(p.name for p in out.iterdir())
    >>> names[:2], len(names)
    (['sheet-00000.png', 'sheet-00001.png'], 5)
    """
    sheet_layout = load_layout(layout)
    _check_batch_args(sheet_layout, count, seed, image_format, first_serial, workers)
    scan_profile = degradation_profile(profile)
    template = page_template(sheet_layout, dpi)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SynthError(f"cannot create the output directory ({exc.strerror})", path=out) from exc
    files = [f"sheet-{i:05d}{_EXTENSIONS[image_format]}" for i in range(count)]

    def make(i: int) -> SheetTruth:
        serial = None if first_serial is None else first_serial + i
        sheet = _synthesize(sheet_layout, template, seed=sheet_seed(seed, i), dpi=dpi,
                            profile=scan_profile, fill=fill, values=None,
                            serial=serial)  # fmt: skip
        data, quality = _encode(sheet, image_format)
        try:
            (out / files[i]).write_bytes(data)
        except OSError as exc:
            raise SynthError(
                f"cannot write the image ({exc.strerror})", path=out / files[i]
            ) from exc
        return replace(sheet.truth, jpeg_quality=quality)

    truths = _run_pool(make, count, workers or os.cpu_count() or 1, progress)
    write_truth_tables(out, sheet_layout, truths, files)
    return out


def sheet_seed(batch_seed: int, index: int) -> int:
    """Seed of sheet ``index`` of a batch: independent streams per sheet, 63 bits.

    Examples
    --------
    >>> sheet_seed(7, 0) == sheet_seed(7, 0) != sheet_seed(7, 1)
    True
    """
    state = np.random.SeedSequence([batch_seed, index]).generate_state(1, np.uint64)
    return int(state[0]) >> 1


def _run_pool(
    make: Callable[[int], SheetTruth],
    count: int,
    workers: int,
    progress: Callable[[int, int], None] | None,
) -> list[SheetTruth]:
    """``make(i)`` for every sheet on a thread pool, truths back in sheet order."""
    truths: dict[int, SheetTruth] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: dict[Future[SheetTruth], int] = {}
        queued = 0
        while queued < count or pending:
            while queued < count and len(pending) < workers * _QUEUED_PER_WORKER:
                pending[pool.submit(make, queued)] = queued
                queued += 1
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                truths[pending.pop(future)] = future.result()
                if progress is not None:
                    progress(len(truths), count)
    return [truths[i] for i in range(count)]


def _encode(sheet: SyntheticSheet, image_format: ImageFormat) -> tuple[bytes, int | None]:
    """File bytes of a sheet, and the JPEG quality they carry."""
    quality: int | None = sheet.truth.jpeg_quality
    if image_format == "jpeg":
        if sheet.jpeg is not None:
            return sheet.jpeg, quality
        params, quality = [cv2.IMWRITE_JPEG_QUALITY, FILE_JPEG_QUALITY], FILE_JPEG_QUALITY
    elif image_format == "png":
        params = [
            cv2.IMWRITE_PNG_COMPRESSION, PNG_COMPRESSION,
            cv2.IMWRITE_PNG_STRATEGY, cv2.IMWRITE_PNG_STRATEGY_HUFFMAN_ONLY,
            cv2.IMWRITE_PNG_FILTER, cv2.IMWRITE_PNG_FILTER_UP,
        ]  # fmt: skip
    else:
        params = []
    ok, buffer = cv2.imencode(_EXTENSIONS[image_format], sheet.image, params)
    if not ok:
        raise SynthError(f"could not encode the sheet as {image_format}", field="image_format")
    return buffer.tobytes(), quality


def _check_batch_args(
    layout: SheetLayout,
    count: int,
    seed: int,
    image_format: str,
    first_serial: int | None,
    workers: int | None,
) -> None:
    _require_int(seed, "seed", low=0)
    _require_int(count, "count", low=1)
    if image_format not in _EXTENSIONS:
        raise SynthError(
            f"image_format must be one of {sorted(_EXTENSIONS)}, got {image_format!r}",
            field="image_format",
        )
    if workers is not None:
        _require_int(workers, "workers", low=1)
    if first_serial is not None:
        _check_serial(layout, first_serial)
        _check_serial(layout, first_serial + count - 1)


def _synthesize(
    layout: SheetLayout,
    template: PageTemplate,
    *,
    seed: int,
    dpi: int,
    profile: DegradationProfile,
    fill: FillProfile | None,
    values: Mapping[str, str] | None,
    serial: int | None,
) -> SyntheticSheet:
    """One sheet from a prepared template: what batches call on every thread."""
    plan_rng, ink_rng, scan_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)
    )
    plan = plan_fills(layout, rng=plan_rng, fill=fill, values=values)
    page = template.page.copy()
    if serial is not None:
        _check_serial(layout, serial)
    if layout.serial_code is not None:
        if serial is None:
            serial = int(plan_rng.integers(0, 1 << layout.serial_code.bits))
        stamp_code(page, layout.serial_code, serial, template.px_per_mm)
    ink = paint_plan(page, plan, template, ink_rng)
    scan = degrade_page(
        page,
        profile=profile,
        rng=scan_rng,
        px_per_mm=template.px_per_mm,
        keep_inside_px=template.mark_corners_px,
    )
    to_px = np.diag([template.px_per_mm, template.px_per_mm, 1.0])
    truth = SheetTruth(
        layout_id=layout.layout_id,
        seed=seed,
        dpi=dpi,
        profile=profile.name,
        serial=serial,
        instrument=plan.instrument,
        upside_down=scan.geometry.upside_down,
        homography=scan.geometry.page_to_image @ to_px,
        jpeg_quality=scan.jpeg_quality,
        mark_kinds=plan.kinds,
        true_fractions=ink[0],
        covered_fractions=ink[1],
        ink_darkness=ink[2],
        intended=plan.intended,
        planted_double=plan.planted_double,
    )
    return SyntheticSheet(scan.image, truth, scan.jpeg)


def _check_serial(layout: SheetLayout, serial: int) -> None:
    code = layout.serial_code
    if code is None:
        raise SynthError(f"layout {layout.layout_id!r} has no serial code", field="serial")
    _require_int(serial, "serial", low=0, high=(1 << code.bits) - 1)


def _require_int(value: object, name: str, *, low: int, high: int | None = None) -> None:
    """Raise SynthError naming ``name`` unless ``value`` is an integer in ``low..high``."""
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        number = int(value)
        if number >= low and (high is None or number <= high):
            return
    span = f">= {low}" if high is None else f"in {low}..{high}"
    raise SynthError(f"{name} must be an integer {span}, got {value!r}", field=name)
