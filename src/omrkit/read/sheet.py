"""Reading one sheet: decode, register, measure, decide, decode fields.

::

    bytes ─decode─▶ grey image ─register─▶ homography + quality ─levels─▶ paper/ink
          ─fill_ratios (numba)─▶ inked share per bubble ─decide─▶ slot states ─▶ fields

Every stage is a function of arrays; nothing is drawn or saved here
(overlays are :mod:`omrkit.annotate`, opt-in). The image is never warped:
bubble positions are mapped through the registration transform instead.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from omrkit.calibrate.profile import ScannerProfile
from omrkit.decide import MARK_THRESHOLD, REVIEW_BAND, decide_slots, decode_fields
from omrkit.decode.images import DEFAULT_MAX_PIXELS, content_id, decode_image, read_source_bytes
from omrkit.layout.models import SheetLayout, load_layout
from omrkit.measure.ink import measure_ink
from omrkit.read.coarse import COARSE_DECODE_MIN_DPI
from omrkit.registration.codes import estimate_levels, read_serial, verify_layout_id
from omrkit.registration.register import Registration, register
from omrkit.types import FieldReading, InkReport, SheetReading

__all__ = [
    "ReadOptions",
    "SheetMeasurement",
    "measure_sheet",
    "page_sheet_id",
    "read_image",
    "read_sheet",
]


#: Lowest resolution a batch decodes a JPEG down to: the accuracy bars hold at
#: 150 dpi, and a feeder's scale varies by up to 2 % (150 * 0.98 = 147 dpi).
REDUCED_DECODE_MIN_DPI = 145.0


class ReadOptions(BaseModel):
    """How to read: the decision rule and the input guards.

    Attributes
    ----------
    threshold : float
        Fill at or above which a bubble is marked (UNT-SCORE-1: 0.50).
    review_band : float
        Fills within this distance of ``threshold`` flag their slot for a person.
    dpi_hint : float, optional
        Scan resolution when known; otherwise inferred from the image size.
    verify_layout : bool
        Refuse a sheet whose printed layout code is not the layout's.
    max_pixels : int
        Largest image accepted, checked from the header before decoding.
    reduced_decode_min_dpi : float or None
        Batches decode a JPEG scanned at 2, 4 or 8 times this resolution at
        that fraction of its size, in libjpeg (much cheaper than in full);
        None decodes every image in full. The default keeps sheets at or above
        the lowest resolution the accuracy bars are held at (150 dpi, less the
        scale tolerance of a feeder): a 300 dpi scan decodes at 150 dpi.
    coarse_decode_min_dpi : float or None
        Batches first decode a JPEG down to this lower resolution, or to
        where the layout's smallest bubble still spans 10.5 pixels if that is
        higher (:func:`~omrkit.read.coarse.coarse_decode_dpi`), when the scan
        allows a reduction that ``reduced_decode_min_dpi`` does not (a 200 dpi
        scan at 100 dpi, a 300 dpi answer sheet at 75 dpi), and keep that
        reading only for a sheet of dark ink (:mod:`omrkit.read.coarse`);
        other sheets are decoded again at ``reduced_decode_min_dpi``. None
        (or ``reduced_decode_min_dpi`` None) never reads coarse.
    profile : ScannerProfile, optional
        The scanner's calibration (:mod:`omrkit.calibrate`): its tone and fill
        response are corrected, and readings record its hash.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    threshold: float = Field(default=MARK_THRESHOLD, gt=0, lt=1)
    review_band: float = Field(default=REVIEW_BAND, ge=0, lt=0.5)
    dpi_hint: float | None = Field(default=None, gt=0)
    verify_layout: bool = True
    max_pixels: int = Field(default=DEFAULT_MAX_PIXELS, gt=0)
    reduced_decode_min_dpi: float | None = Field(default=REDUCED_DECODE_MIN_DPI, gt=0)
    coarse_decode_min_dpi: float | None = Field(default=COARSE_DECODE_MIN_DPI, gt=0)
    profile: ScannerProfile | None = None


DEFAULT_OPTIONS = ReadOptions()


@dataclass(frozen=True, slots=True)
class SheetMeasurement:
    """The numbers of one registered sheet, before they become a :class:`SheetReading`."""

    registration: Registration
    fill_ratios: npt.NDArray[np.float64]
    fields: dict[str, FieldReading]
    serial: int | None
    timings_ms: dict[str, float]
    ink: InkReport | None = None
    profile_hash: str | None = None
    #: :attr:`~omrkit.measure.ink.InkMeasurement.light_group_level`.
    light_group_level: float = math.nan


def measure_sheet(
    image: npt.NDArray[np.uint8],
    layout: SheetLayout,
    *,
    options: ReadOptions = DEFAULT_OPTIONS,
    path: str | Path | None = None,
) -> SheetMeasurement:
    """Register, verify, measure and decide one decoded sheet.

    This is the hot path of a batch once decoding is done: two small region
    searches for the marks, one compiled pass over the bubbles' pixels, and
    array operations over slots.

    Raises
    ------
    RegistrationError
        If the registration marks cannot be found or do not agree.
    LayoutError
        If the sheet's printed layout code is not ``layout``'s.
    """
    arrays = layout.bubbles
    t0 = perf_counter()
    registration = register(image, layout, dpi_hint=options.dpi_hint, path=path)
    levels = estimate_levels(image, registration, layout)
    if options.verify_layout:
        verify_layout_id(image, registration, layout, levels=levels, path=path)
    serial = read_serial(image, registration, layout, levels=levels)
    t1 = perf_counter()
    profile = options.profile
    # The scanner's tone is undone on a copy for the fills only: codes and levels are read as is.
    toned = image if profile is None else profile.tone_table(levels.paper, levels.ink)[image]
    ink = measure_ink(
        toned, registration.homography, arrays, paper_level=levels.paper, ink_level=levels.ink
    )
    fills = ink.fill_ratios
    if profile is not None:
        fills = profile.correct_fills(fills)
    t2 = perf_counter()
    decisions = decide_slots(
        fills,
        arrays,
        threshold=options.threshold,
        review_band=options.review_band,
        quality_poor=registration.quality.poor,
        weak_bubbles=ink.weak,
    )
    fields = decode_fields(layout, decisions)
    t3 = perf_counter()
    timings = {
        "register_ms": 1e3 * (t1 - t0),
        "measure_ms": 1e3 * (t2 - t1),
        "decide_ms": 1e3 * (t3 - t2),
    }
    profile_hash = None if profile is None else profile.hash
    light = ink.light_group_level
    return SheetMeasurement(
        registration, fills, fields, serial, timings, ink.report, profile_hash, light
    )


def read_image(
    image: npt.NDArray[np.uint8],
    layout: SheetLayout | str | Path,
    *,
    options: ReadOptions = DEFAULT_OPTIONS,
    source: str | None = None,
    page: int = 0,
    sheet_id: str | None = None,
) -> SheetReading:
    """Read an already decoded grey sheet.

    ``sheet_id`` defaults to the SHA-256 of the pixels; batches pass the hash
    of the file's bytes (with the page) instead, which they already hold.
    """
    sheet_layout = load_layout(layout)
    m = measure_sheet(image, sheet_layout, options=options, path=source)
    if sheet_id is None:
        sheet_id = hashlib.sha256(np.ascontiguousarray(image).data).hexdigest()
    return _assemble(sheet_layout, m, sheet_id=sheet_id, source=source, page=page)


def _assemble(
    layout: SheetLayout, m: SheetMeasurement, *, sheet_id: str, source: str | None, page: int
) -> SheetReading:
    quality = m.registration.quality
    flags = [f"mark-dropped:{mark}" for mark in m.registration.dropped_marks]
    if quality.poor:
        flags.append("registration-poor")
    if layout.serial_code is not None and m.serial is None:
        flags.append("serial-unreadable")
    if m.ink is not None and m.ink.faint:
        flags.append("ink-faint")
    if any(f.needs_review for f in m.fields.values()):
        flags.append("review")
    return SheetReading(
        sheet_id=sheet_id,
        source=source,
        page=page,
        layout_id=layout.layout_id,
        serial=m.serial,
        quality=quality,
        homography=tuple(float(v) for v in m.registration.homography.ravel()),
        fill_ratios=tuple(m.fill_ratios.tolist()),
        fields=m.fields,
        flags=tuple(flags),
        ink=m.ink,
        timings_ms=m.timings_ms,
        profile_hash=m.profile_hash,
    )


def read_sheet(
    source: str | Path | bytes | npt.NDArray[np.uint8],
    layout: SheetLayout | str | Path,
    *,
    page: int = 0,
    options: ReadOptions = DEFAULT_OPTIONS,
) -> SheetReading:
    """Read one scanned sheet.

    Parameters
    ----------
    source : path, bytes or (H, W) ndarray of uint8
        An image file (PNG, JPEG, TIFF, BMP), its bytes, or a decoded grey image.
    layout : SheetLayout, bundled name or JSON path
        The layout the sheet was printed with.
    page : int
        Page of a multi-page TIFF.
    options : ReadOptions
        Decision threshold, review band and input guards.

    Returns
    -------
    SheetReading

    Raises
    ------
    DecodeError, RegistrationError, LayoutError
        What is wrong with the input, naming the file (and page).

    Examples
    --------
    >>> from omrkit.render import render_sheet
    >>> reading = read_sheet(render_sheet("ubt-answer", format="png", serial=7), "ubt-answer")
    >>> reading.serial, reading.field("answers_1").symbols[:3]
    (7, (None, None, None))
    """
    sheet_layout = load_layout(layout)
    if isinstance(source, np.ndarray):
        return read_image(source, sheet_layout, options=options, page=page)
    path = None if isinstance(source, bytes) else str(source)
    t0 = perf_counter()
    data = read_source_bytes(source, path=path)
    image = decode_image(
        data,
        page=page,
        max_pixels=options.max_pixels,
        dropout_color=sheet_layout.dropout_color,
        path=path,
    )
    decode_ms = 1e3 * (perf_counter() - t0)
    m = measure_sheet(image, sheet_layout, options=options, path=path)
    m.timings_ms["decode_ms"] = decode_ms
    sheet_id = page_sheet_id(content_id(data), page)
    return _assemble(sheet_layout, m, sheet_id=sheet_id, source=path, page=page)


def page_sheet_id(digest: str, page: int) -> str:
    """Sheet id of one page of a file whose bytes hash to ``digest``.

    A single-page file's id is its hash; later pages of a multi-page TIFF
    carry their page number, so every page of a batch has its own id.
    """
    return digest if page == 0 else f"{digest}:{page}"
