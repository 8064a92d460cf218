"""Reading a scan of an OMRChecker sheet, and answering in OMRChecker's form.

::

    bytes ─decode─▶ grey ─align (template steps)─▶ template px → image px
          ─levels─▶ paper/ink ─fill_ratios─▶ less the printed share ─decide (50 %)─▶ fields

The same measurement and 50 % rule as every omrkit sheet. What differs is
the print: these sheets print their bubbles' outlines and letters in black,
not in a dropout colour, so a blank bubble already holds some dark pixels.
That printed share is measured on the sheet itself (most bubbles of a sheet
are blank, so the median bubble is a blank one) and taken out of every
bubble's fill: ``(fill - printed) / (1 - printed)``, the share of the
bubble's unprinted area that is inked.
"""

from __future__ import annotations

from pathlib import Path
from time import perf_counter

import numpy as np
import numpy.typing as npt

from omrkit.decide import MARK_THRESHOLD, REVIEW_BAND, decide_slots, decode_fields
from omrkit.decode.images import DEFAULT_MAX_PIXELS, content_id, decode_image, read_source_bytes
from omrkit.errors import RegistrationError
from omrkit.interop.omrchecker.align import Alignment, align, apply_levels
from omrkit.interop.omrchecker.marks import mark_fill_ratios
from omrkit.interop.omrchecker.snap import BlockShifts, snap_blocks
from omrkit.interop.omrchecker.steps import Levels
from omrkit.interop.omrchecker.template import OmrCheckerLayout, natural_key
from omrkit.measure.fill import MIN_LEVEL_CONTRAST
from omrkit.registration.homography import local_scale_and_rotation
from omrkit.types import RegistrationQuality, SheetReading

__all__ = [
    "INK_PERCENTILE",
    "PAPER_PERCENTILE",
    "output_columns",
    "printed_share",
    "read_omrchecker",
    "responses",
]

#: Paper level: this percentile of the page's grey levels (most of a page is paper).
PAPER_PERCENTILE = 90.0
#: Ink level: this percentile (the darkest print and marks).
INK_PERCENTILE = 1.0
#: Page points sampled for the levels, per side.
_LEVEL_GRID = 64
#: Skew (degrees) beyond which a placement is flagged poor.
_POOR_SKEW_DEG = 25.0


def read_omrchecker(
    source: str | Path | bytes | npt.NDArray[np.uint8],
    layout: OmrCheckerLayout,
    *,
    threshold: float = MARK_THRESHOLD,
    review_band: float = REVIEW_BAND,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> SheetReading:
    """Read one scan or photo of a sheet made from an OMRChecker template.

    Parameters
    ----------
    source : path, bytes or (H, W) ndarray of uint8
        An image file, its bytes, or a decoded grey image.
    layout : OmrCheckerLayout
        From :func:`~omrkit.interop.omrchecker.load_template`.
    threshold, review_band : float
        The 50 % rule and its review band (see :func:`omrkit.decide.decide_slots`).
    max_pixels : int
        Largest image accepted, checked from the header.

    Returns
    -------
    SheetReading
        ``flags`` name what placed the sheet (``placed-by:markers`` ...);
        ``fill_ratios`` are shares of each bubble's unprinted area.

    Raises
    ------
    DecodeError, RegistrationError
        What is wrong with the input, naming the file.
    """
    t0 = perf_counter()
    path: str | None = None
    if isinstance(source, np.ndarray):
        image = source
        sheet_id = content_id(np.ascontiguousarray(image).tobytes())
    else:
        path = None if isinstance(source, bytes) else str(source)
        data = read_source_bytes(source, path=path)
        image = decode_image(data, max_pixels=max_pixels, path=path)
        sheet_id = content_id(data)
    t1 = perf_counter()
    alignment = align(image, layout, path=path)
    for step in layout.steps:
        if isinstance(step, Levels):
            image = apply_levels(image, step)
    homography = alignment.homography_px @ np.diag([1 / layout.mm_per_px, 1 / layout.mm_per_px, 1])
    paper, ink = _levels(image, alignment, layout, path)
    t2 = perf_counter()
    arrays = layout.bubbles
    homography = np.ascontiguousarray(homography)
    centers_mm, shifts_px, unsettled = snap_blocks(image, homography, layout, paper=paper, ink=ink)
    raw = mark_fill_ratios(image, homography, centers_mm, arrays.radii_mm, paper=paper, ink=ink)
    fills = _unprinted_fills(raw, printed_share(raw))
    quality = _quality(homography, layout, alignment, shifts_px, bool(unsettled))
    decisions = decide_slots(
        fills, arrays, threshold=threshold, review_band=review_band, quality_poor=quality.poor
    )
    fields = decode_fields(layout, decisions)
    t3 = perf_counter()
    flags = [f"placed-by:{c}" for c in alignment.constraints]
    flags += [f"block-unsettled:{name}" for name in unsettled]
    if quality.poor:
        flags.append("registration-poor")
    if any(f.needs_review for f in fields.values()):
        flags.append("review")
    return SheetReading(
        sheet_id=sheet_id,
        source=path,
        layout_id=layout.layout_id,
        quality=quality,
        homography=tuple(float(v) for v in homography.ravel()),
        fill_ratios=tuple(fills.tolist()),
        fields=fields,
        flags=tuple(flags),
        timings_ms={
            "decode_ms": 1e3 * (t1 - t0),
            "register_ms": 1e3 * (t2 - t1),
            "measure_ms": 1e3 * (t3 - t2),
        },
    )


def printed_share(fills: npt.NDArray[np.float64]) -> float:
    """The share of a blank bubble that the sheet's own print darkens.

    The median of the sheet's fills: a field holds one mark among its
    bubbles, so most bubbles are blank. NaN fills (off the image) are ignored.
    """
    finite = fills[np.isfinite(fills)]
    return float(np.median(finite)) if finite.size else 0.0


def _unprinted_fills(fills: npt.NDArray[np.float64], printed: float) -> npt.NDArray[np.float64]:
    if printed >= 1.0:
        return np.zeros_like(fills)
    out: npt.NDArray[np.float64] = np.clip((fills - printed) / (1.0 - printed), 0.0, 1.0)
    return out


def _levels(
    image: npt.NDArray[np.uint8], alignment: Alignment, layout: OmrCheckerLayout, path: str | None
) -> tuple[float, float]:
    """Paper and ink grey levels sampled over the placed page."""
    page_w, page_h = layout.template_page_px
    xs, ys = np.meshgrid(
        np.linspace(0.02, 0.98, _LEVEL_GRID) * page_w, np.linspace(0.02, 0.98, _LEVEL_GRID) * page_h
    )
    points = np.column_stack([xs.ravel(), ys.ravel(), np.ones(xs.size)]) @ alignment.homography_px.T
    px = np.round(points[:, :2] / points[:, 2:3]).astype(np.int64)
    inside = (
        (px[:, 0] >= 0)
        & (px[:, 0] < image.shape[1])
        & (px[:, 1] >= 0)
        & (px[:, 1] < image.shape[0])
    )
    samples = image[px[inside, 1], px[inside, 0]]
    if samples.size == 0:
        raise RegistrationError("the placed page lies outside the image", path=path)
    # The ink level is the darkest print on the whole image near the page:
    # a sparse grid can miss thin black print entirely.
    paper = float(np.percentile(samples, PAPER_PERCENTILE))
    ink = float(np.percentile(image[::4, ::4], INK_PERCENTILE))
    if paper - ink < MIN_LEVEL_CONTRAST:
        raise RegistrationError(
            f"paper ({paper:.0f}) and ink ({ink:.0f}) are too alike to tell marks from paper",
            path=path,
        )
    return paper, ink


def _quality(
    homography: npt.NDArray[np.float64],
    layout: OmrCheckerLayout,
    alignment: Alignment,
    shifts_px: BlockShifts,
    unsettled: bool,
) -> RegistrationQuality:
    """Scale and skew at the page's centre; residual: how far blocks moved to settle (RMS)."""
    scale, rotation = local_scale_and_rotation(
        homography, layout.page.width_mm / 2, layout.page.height_mm / 2
    )
    skew = (rotation + 180.0) % 360.0 - 180.0
    moved = np.array(list(shifts_px.values()) or [(0.0, 0.0)])
    settle_rms_px = float(np.sqrt(np.mean(np.sum(moved**2, axis=1))))
    return RegistrationQuality(
        residual_px=max(alignment.residual_px, settle_rms_px),
        skew_deg=skew,
        scale=scale,
        upside_down=False,
        poor=unsettled or abs(skew) > _POOR_SKEW_DEG,
    )


def output_columns(layout: OmrCheckerLayout) -> list[str]:
    """OMRChecker's answer columns for ``layout``, in its order (``q2`` before ``q10``)."""
    return sorted((f.id for f in layout.fields), key=natural_key)


def responses(reading: SheetReading, layout: OmrCheckerLayout | None = None) -> dict[str, str]:
    """A reading in OMRChecker's own form: label -> value.

    Parameters
    ----------
    reading : SheetReading
        From :func:`read_omrchecker` (or any reading whose fields are labels).
    layout : OmrCheckerLayout, optional
        Gives each label's ``emptyValue``; without it a blank label is ``""``.

    Returns
    -------
    dict of str to str
        ``""`` (or the label's empty value) for no mark, the marked values
        joined in bubble order for several marks, and each custom label's
        labels joined, as OMRChecker writes them.

    Examples
    --------
    >>> from omrkit.types import FieldReading, RegistrationQuality, SheetReading, SlotState
    >>> field = FieldReading(field_id="q1", kind="answers", value=None, symbols=("AC",),
    ...                      states=(SlotState.MARKED,), review=(False,))
    >>> quality = RegistrationQuality(residual_px=0, skew_deg=0, scale=1, upside_down=False)
    >>> reading = SheetReading(sheet_id="x", layout_id="t", quality=quality,
    ...                        fill_ratios=(), fields={"q1": field})
    >>> responses(reading)
    {'q1': 'AC'}
    """
    empty = layout.empty_values if layout is not None else {}
    slot_ids: dict[str, list[str]] = {}
    if layout is not None:
        slot_ids = {f.id: [s.id for s in f.slots] for f in layout.fields}
    out: dict[str, str] = {}
    for field_id, field in reading.fields.items():
        ids = slot_ids.get(field_id, [""] * len(field.symbols))
        out[field_id] = "".join(
            symbol if symbol is not None else empty.get(slot, "")
            for symbol, slot in zip(field.symbols, ids, strict=True)
        )
    return out
