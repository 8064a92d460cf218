"""Printing a layout: layout → typst source → PDF or PNG.

The renderer draws exactly the layout's coordinates, so what is printed is
what the reader looks for. Every element is placed absolutely on a page with
no margins (``place(top + left, dx: .., dy: ..)``), in millimetres.

What is printed in which colour matters to the reader:

- registration marks, bit-code cells and calibration prefills are solid ink,
  and so are test targets (slanted edges, line pairs, the grey wedge's steps
  in their printed greys);
- bubble outlines (``OUTLINE_STROKE_MM`` wide), the symbols inside them,
  sector frames and write-in boxes are in the dropout colour, light enough
  that a grey-scale scanner sees them far above any ink threshold;
- captions are black unless they ask for the dropout colour.

Only the fonts embedded in typst are used (New Computer Modern has every
Kazakh letter: Ә Ғ Қ Ң Ө Ұ Ү Һ І), so a sheet renders the same on every machine.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Literal

import typst
from PIL import Image

from omrkit.errors import RenderError
from omrkit.layout.colour import parse_hex_colour
from omrkit.layout.models import (
    OUTLINE_STROKE_MM,
    PREFILL_TONE_GREY,
    BitCode,
    Bubble,
    Prefill,
    PrintedBox,
    PrintedText,
    SheetLayout,
    load_layout,
)
from omrkit.layout.targets import (
    PrintedTarget,
    TargetKind,
    bar_rects_mm,
    edge_corners_mm,
    wedge_steps,
)

__all__ = ["MAX_DPI", "MIN_DPI", "layout_to_typst", "render_sheet", "render_to_file"]

MIN_DPI = 50
MAX_DPI = 1200
FONT = "New Computer Modern"
#: Symbol size inside a bubble per mm of radius: 6 pt in a 2.1 mm bubble.
SYMBOL_PT_PER_RADIUS_MM = 2.85
#: Size and zero-padded width of the serial number printed, for people, after
#: its bit code.
SERIAL_TEXT_PT = 8.0
SERIAL_DIGITS = 8
#: Arc steps of a full prefill disc; the polygon is scaled so its area is exact.
PREFILL_ARC_STEPS = 180
#: Half-width of the strip a caption is aligned in: longer than any caption.
_ANCHOR_SPAN_MM = 300.0
#: Fast zlib level: rendered sheets are mostly white and compress well anyway.
PNG_COMPRESS_LEVEL = 1
OPAQUE = 255


def layout_to_typst(
    layout: SheetLayout, *, serial: int | None = None, dropout_color: str | None = None
) -> str:
    """The typst source that prints ``layout``.

    Parameters
    ----------
    layout : SheetLayout
        The sheet to print.
    serial : int, optional
        Serial number printed in the layout's ``serial_code``; nothing is
        printed there when None.
    dropout_color : str, optional
        ``"#rrggbb"`` colour for outlines and printed symbols; the layout's
        ``dropout_color`` when None.

    Returns
    -------
    str
        A self-contained typst document of one page.

    Raises
    ------
    RenderError
        If the serial does not fit the serial code, the layout has no serial
        code to print it in, or the colour is not ``#rrggbb``.

    Notes
    -----
    Drawing order matters where elements meet: frames and captions first,
    then bubble outlines and symbols, then prefills (which cover only the
    inner disc, inside the outline), then test targets, then the solid marks
    and code cells.

    Examples
    --------
    >>> from omrkit.layout.models import load_layout
    >>> source = layout_to_typst(load_layout("mab-grade4"))
    >>> source.splitlines()[0]
    '#set page(width: 210.0000mm, height: 297.0000mm, margin: 0mm, fill: white)'
    """
    colour = _check_colour(dropout_color or layout.dropout_color)
    lines = [
        f"#set page(width: {_mm(layout.page.width_mm)}, height: {_mm(layout.page.height_mm)},"
        " margin: 0mm, fill: white)",
        f'#set text(font: "{FONT}", fill: black)',
        f'#let dropout = rgb("{colour}")',
        f"#let ring = {_mm(OUTLINE_STROKE_MM)} + dropout",
    ]
    lines += [_box(b) for b in layout.boxes]
    lines += [_text(t) for t in layout.texts]
    lines += [_bubble(b) for _, _, b in layout.iter_bubbles()]
    lines += _prefills(layout)
    lines += [line for t in layout.targets for line in _target(t)]
    lines += [_square(m.x_mm, m.y_mm, m.size_mm) for m in layout.marks]
    lines += _bit_code(layout.layout_id_code, layout.layout_code)
    lines += _serial(layout, serial)
    return "\n".join(lines) + "\n"


def render_sheet(
    layout: SheetLayout | str,
    *,
    format: Literal["pdf", "png"] = "pdf",
    dpi: int = 200,
    serial: int | None = None,
    dropout_color: str | None = None,
) -> bytes:
    """Print a layout to PDF or PNG bytes.

    Parameters
    ----------
    layout : SheetLayout or str
        The layout, or a bundled name such as ``"ubt-answer"``.
    format : {"pdf", "png"}
        Output format.
    dpi : int
        Resolution of a PNG, pixels per inch (``MIN_DPI``..``MAX_DPI``);
        ignored for PDF.
    serial : int, optional
        Sheet serial printed in the layout's serial code.
    dropout_color : str, optional
        Overrides the layout's dropout colour.

    Returns
    -------
    bytes
        A PDF document, or an 8-bit RGB PNG of the page (white background, no
        alpha): grey-scale readers convert it with 0.299 R + 0.587 G + 0.114 B,
        and the colour stays for dropout-aware tests. A point at ``x_mm`` lies
        at ``x_mm / 25.4 * dpi`` pixels from the left edge, where pixel column
        ``j`` covers ``[j, j + 1)``.

    Raises
    ------
    RenderError
        On an unknown format, a dpi out of range, a bad serial or colour.

    Examples
    --------
    >>> render_sheet("ubt-answer", serial=17)[:4]
    b'%PDF'
    """
    if format not in ("pdf", "png"):
        raise RenderError(f"format must be 'pdf' or 'png', got {format!r}", field="format")
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not MIN_DPI <= dpi <= MAX_DPI:
        raise RenderError(
            f"dpi must be an integer in {MIN_DPI}..{MAX_DPI}, got {dpi!r}", field="dpi"
        )
    sheet = load_layout(layout)
    source = layout_to_typst(sheet, serial=serial, dropout_color=dropout_color)
    try:
        if format == "pdf":
            out = typst.compile(source.encode(), format="pdf", ignore_system_fonts=True)
        else:
            out = typst.compile(source.encode(), format="png", ppi=dpi, ignore_system_fonts=True)
    except typst.TypstError as exc:
        raise RenderError(
            f"typst could not compile the sheet: {exc}", path=sheet.layout_id
        ) from exc
    if not isinstance(out, bytes):
        raise RenderError("typst returned more than one page", path=sheet.layout_id)
    return out if format == "pdf" else _flatten_png(out)


def render_to_file(
    layout: SheetLayout | str, out_path: str | Path, *, dpi: int = 200, serial: int | None = None
) -> Path:
    """Print a layout to ``out_path``, PDF or PNG by the file's suffix.

    Returns
    -------
    Path
        The written file.
    """
    path = Path(out_path)
    suffix = path.suffix.lower()
    if suffix not in (".pdf", ".png"):
        raise RenderError(f"output must end in .pdf or .png, got {path.name!r}", path=path)
    fmt: Literal["pdf", "png"] = "pdf" if suffix == ".pdf" else "png"
    data = render_sheet(layout, format=fmt, dpi=dpi, serial=serial)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise RenderError(f"cannot write the sheet ({exc.strerror})", path=path) from exc
    return path


# -- elements -------------------------------------------------------------------------------
def _mm(value: float) -> str:
    return f"{value:.4f}mm"


def _at(x_mm: float, y_mm: float, body: str) -> str:
    return f"#place(top + left, dx: {_mm(x_mm)}, dy: {_mm(y_mm)}, {body})"


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _square(x_mm: float, y_mm: float, side_mm: float) -> str:
    half = side_mm / 2
    rect = f"rect(width: {_mm(side_mm)}, height: {_mm(side_mm)}, fill: black, stroke: none)"
    return _at(x_mm - half, y_mm - half, rect)


def _box(box: PrintedBox) -> str:
    paint = "dropout" if box.dropout else "black"
    rect = (
        f"rect(width: {_mm(box.width_mm)}, height: {_mm(box.height_mm)},"
        f" stroke: {box.stroke_pt}pt + {paint})"
    )
    return _at(box.x_mm, box.y_mm, rect)


def _text(t: PrintedText) -> str:
    weight = ', weight: "bold"' if t.bold else ""
    paint = "dropout" if t.dropout else "black"
    body = f"text(size: {t.size_pt}pt, fill: {paint}{weight}, {_string(t.text)})"
    return _anchored(t.x_mm, t.y_mm, t.anchor, body)


def _anchored(x_mm: float, y_mm: float, anchor: str, body: str) -> str:
    """``body`` with its left edge, centre or right edge at ``x_mm`` and its middle at ``y_mm``.

    The body is aligned inside a zero-height strip ``_ANCHOR_SPAN_MM`` wide (twice
    that when centred), wide enough that no caption wraps.
    """
    left = {"left": x_mm, "center": x_mm - _ANCHOR_SPAN_MM, "right": x_mm - _ANCHOR_SPAN_MM}
    width = 2 * _ANCHOR_SPAN_MM if anchor == "center" else _ANCHOR_SPAN_MM
    strip = f"box(width: {_mm(width)}, height: 0pt, place({anchor} + horizon, {body}))"
    return _at(left[anchor], y_mm, strip)


def _bubble(b: Bubble) -> str:
    r = b.radius_mm
    ring = _at(b.x_mm - r, b.y_mm - r, f"circle(radius: {_mm(r)}, stroke: ring)")
    label = b.symbol if b.printed is None else b.printed
    if not label:
        return ring
    size = SYMBOL_PT_PER_RADIUS_MM * r
    body = f"text(size: {size:.2f}pt, fill: dropout, {_string(label)})"
    return ring + "\n" + _anchored(b.x_mm, b.y_mm, "center", body)


def _prefills(layout: SheetLayout) -> list[str]:
    bubbles = {(f.id, s.id, b.symbol): b for f, s, b in layout.iter_bubbles()}
    return [
        _prefill(p, bubbles[(p.field_id, p.slot_id, p.symbol)])
        for p in layout.prefills
        if p.fraction > 0
    ]


def _prefill(p: Prefill, b: Bubble) -> str:
    """A pie slice covering exactly ``p.fraction`` of the bubble's inner disc.

    Notes
    -----
    The slice starts at twelve o'clock and runs clockwise. Drawn as a polygon
    of ``k`` triangles fanned from the centre, each of area
    ``r'^2 sin(theta) / 2``; the radius ``r'`` is solved so the polygon's area
    equals the target exactly instead of approximating the arc (an inscribed
    polygon would fall short by about ``(theta^2 / 6)`` of the area).
    """
    inner = b.radius_mm - OUTLINE_STROKE_MM / 2
    target = p.fraction * math.pi * inner**2
    full = p.fraction >= 1.0
    k = PREFILL_ARC_STEPS if full else max(2, math.ceil(PREFILL_ARC_STEPS * p.fraction))
    theta = 2 * math.pi * p.fraction / k
    radius = math.sqrt(2 * target / (k * math.sin(theta)))
    angles = [i * theta for i in range(k if full else k + 1)]
    points = [(b.x_mm + radius * math.sin(a), b.y_mm - radius * math.cos(a)) for a in angles]
    if not full:
        points.insert(0, (b.x_mm, b.y_mm))
    grey = PREFILL_TONE_GREY[p.tone]
    vertices = ", ".join(f"({_mm(x)}, {_mm(y)})" for x, y in points)
    return f"#place(top + left, polygon(fill: luma({grey}), stroke: none, {vertices}))"


def _target(t: PrintedTarget) -> list[str]:
    """A test target's shapes: a turned black rectangle, grey steps, or black bars."""
    if t.kind is TargetKind.EDGE:
        vertices = ", ".join(f"({_mm(x)}, {_mm(y)})" for x, y in edge_corners_mm(t))
        return [f"#place(top + left, polygon(fill: black, stroke: none, {vertices}))"]
    if t.kind is TargetKind.WEDGE:
        top = t.y_mm - t.height_mm / 2
        return [
            _at(x0, top, f"rect(width: {_mm(w)}, height: {_mm(t.height_mm)},"
                f" fill: luma({grey}), stroke: none)")
            for x0, w, _, grey in wedge_steps(t)
        ]  # fmt: skip
    return [
        _at(x, y, f"rect(width: {_mm(w)}, height: {_mm(h)}, fill: black, stroke: none)")
        for x, y, w, h in bar_rects_mm(t)
    ]


def _bit_code(code: BitCode, value: int) -> list[str]:
    cells = code.encode(value)
    centres = code.cell_centers_mm()
    return [
        _square(float(x), float(y), code.cell_mm)
        for (x, y), black in zip(centres, cells, strict=True)
        if black
    ]


def _serial(layout: SheetLayout, serial: int | None) -> list[str]:
    if serial is None:
        return []
    code = layout.serial_code
    if code is None:
        raise RenderError(
            f"layout {layout.layout_id!r} has no serial code to print a serial in", field="serial"
        )
    valid = isinstance(serial, int) and not isinstance(serial, bool)
    if not valid or not 0 <= serial < (1 << code.bits):
        raise RenderError(
            f"serial must be an integer in 0..{(1 << code.bits) - 1}, got {serial!r}",
            field="serial",
        )
    x_end = code.x_mm + code.n_cells * code.pitch_mm
    label = PrintedText(
        x_mm=x_end,
        y_mm=code.y_mm,
        text=f"№ {serial:0{SERIAL_DIGITS}d}",
        size_pt=SERIAL_TEXT_PT,
        bold=True,
    )
    return [*_bit_code(code, serial), _text(label)]


def _check_colour(colour: str) -> str:
    if parse_hex_colour(colour) is None:
        raise RenderError(
            f"dropout colour must be '#rrggbb', got {colour!r}", field="dropout_color"
        )
    return colour


def _flatten_png(data: bytes) -> bytes:
    """typst's RGBA page as 8-bit RGB on white, so every reader sees the same pixels."""
    with Image.open(io.BytesIO(data)) as image:
        rgba = image.convert("RGBA")
    alpha = rgba.getchannel("A")
    if alpha.getextrema()[0] == OPAQUE:  # the page is filled white: nothing to blend
        flat = rgba.convert("RGB")
    else:
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=alpha)
    out = io.BytesIO()
    flat.save(out, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return out.getvalue()
