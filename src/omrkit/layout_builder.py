"""Helpers that build sheet layouts from a few numbers instead of thousands.

Every helper works in millimetres from the page's top-left corner and returns
the models of :mod:`omrkit.layout`. A sector helper returns a :class:`Block`:
the field it defines together with its printed frame, captions and write-in
boxes, so a sheet is designed by placing blocks and handing them to
:func:`assemble_layout`, which validates the whole sheet.

Every sector is drawn the same way: a frame in the dropout colour whose top
strip holds the sector number in a small box and the caption beside it; the
bubbles sit below, centred in the frame.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from omrkit.errors import LayoutError
from omrkit.layout import (
    BitCode,
    Bubble,
    FieldKind,
    LayoutField,
    Page,
    Prefill,
    PrintedBox,
    PrintedText,
    RegistrationMark,
    SheetLayout,
    Slot,
)

__all__ = [
    "BILINGUAL_STYLE",
    "DEFAULT_STYLE",
    "DIGITS",
    "KAZAKH_LETTERS",
    "Block",
    "SectorStyle",
    "answer_block",
    "assemble_layout",
    "choice_field",
    "code_grid",
    "hstack",
    "layout_id_code",
    "letter_grid",
    "make_field",
    "registration_marks",
    "sector_frame",
    "serial_code",
    "title_text",
    "write_in_field",
]

#: The Kazakh alphabet of the letter grids, with Ё folded into Е and Ъ into Ь
#: (UNT-FORM-4, UNT-FORM-5): 40 letters, no Ё, no Ъ.
KAZAKH_LETTERS: tuple[str, ...] = tuple("АӘБВГҒДЕЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЫІЬЭЮЯ")
DIGITS: tuple[str, ...] = tuple("0123456789")

#: Registration marks sit inside the ~8 mm margin every office printer keeps.
MARK_INSET_MM = 12.0
MARK_SIZE_MM = 6.0
#: Where the orientation mark sits on the top edge, from the left page edge.
ORIENTATION_MARK_X_MM = 36.0
#: Left and right edges of the printed content on A4: inside the corner marks'
#: columns, at least 8 mm from the paper edge.
CONTENT_LEFT_MM = 14.0
CONTENT_RIGHT_MM = 196.0
#: Baseline row of a sheet's title, below the top marks.
TITLE_Y_MM = 20.5
TITLE_PT = 11.0
#: Default bubble geometry of answer and code sectors: 4.2 mm circles are
#: about 33 px across at 200 dpi and 25 px at 150 dpi.
BUBBLE_RADIUS_MM = 2.1
BUBBLE_PITCH_MM = 5.0
#: Height of the boxes above code and letter columns where the digit or
#: letter is written by hand before its circle is painted.
WRITE_IN_MM = 5.0
#: Width kept left of each answer row for its printed question number.
NUMBER_COLUMN_MM = 5.0
CAPTION_PT = 6.5
#: Average advance of a caption character, in font sizes; used only to size
#: frames around captions, never to place anything that is read.
_CHAR_WIDTH_EM = 0.55
_MM_PER_PT = 25.4 / 72
#: Bits of the layout-id code (up to 4095 layouts) and of the per-sheet serial
#: (16.7 million sheets, far beyond one exam session's print run).
LAYOUT_ID_BITS = 12
SERIAL_BITS = 24


@dataclass(frozen=True, slots=True)
class SectorStyle:
    """How sector frames are drawn; all lengths in mm, font sizes in pt."""

    header_mm: float = 5.5
    pad_mm: float = 1.5
    badge_mm: float = 4.0
    label_pt: float = 6.5
    badge_pt: float = 7.5
    frame_pt: float = 0.6


DEFAULT_STYLE = SectorStyle()
#: Sectors captioned in two languages, one line each ("Тегі\nФамилия").
BILINGUAL_STYLE = SectorStyle(header_mm=8.0, label_pt=5.5)


@dataclass(frozen=True, slots=True)
class Block:
    """A piece of a sheet: fields with their frames, captions and boxes."""

    fields: tuple[LayoutField, ...] = ()
    texts: tuple[PrintedText, ...] = ()
    boxes: tuple[PrintedBox, ...] = ()

    def __add__(self, other: Block) -> Block:
        return Block(self.fields + other.fields, self.texts + other.texts, self.boxes + other.boxes)

    def bounds_mm(self) -> tuple[float, float, float, float]:
        """``(left, top, right, bottom)`` of every box and bubble of the block, mm."""
        xs: list[float] = []
        ys: list[float] = []
        for box in self.boxes:
            xs += [box.x_mm, box.x_mm + box.width_mm]
            ys += [box.y_mm, box.y_mm + box.height_mm]
        for f in self.fields:
            for s in f.slots:
                for b in s.bubbles:
                    xs += [b.x_mm - b.radius_mm, b.x_mm + b.radius_mm]
                    ys += [b.y_mm - b.radius_mm, b.y_mm + b.radius_mm]
        if not xs:
            raise LayoutError("an empty block has no bounds", field="block")
        return min(xs), min(ys), max(xs), max(ys)


def sector_frame(
    *,
    x_mm: float,
    y_mm: float,
    width_mm: float,
    height_mm: float,
    label: str,
    sector: int | None = None,
    style: SectorStyle = DEFAULT_STYLE,
) -> Block:
    """The printed frame of one sector: outline, sector-number badge, caption.

    Parameters
    ----------
    x_mm, y_mm : float
        Top-left corner of the frame.
    width_mm, height_mm : float
        Size of the frame, header strip included.
    label : str
        Caption printed in the header strip.
    sector : int, optional
        Sector number printed in the badge; no badge when None.
    style : SectorStyle
        Frame geometry and font sizes.

    Returns
    -------
    Block
        Boxes and texts only; no fields.
    """
    if width_mm <= 0 or height_mm <= style.header_mm:
        raise LayoutError(
            f"frame {width_mm}x{height_mm} mm has no room below its {style.header_mm} mm header",
            field=label or "frame",
        )
    boxes = [
        PrintedBox(
            x_mm=x_mm, y_mm=y_mm, width_mm=width_mm, height_mm=height_mm, stroke_pt=style.frame_pt
        )
    ]
    texts: list[PrintedText] = []
    mid_y = y_mm + style.header_mm / 2
    label_x = x_mm + style.pad_mm
    if sector is not None:
        top = mid_y - style.badge_mm / 2
        boxes.append(
            PrintedBox(
                x_mm=label_x,
                y_mm=top,
                width_mm=style.badge_mm,
                height_mm=style.badge_mm,
                stroke_pt=style.frame_pt,
            )
        )
        texts.append(
            PrintedText(
                x_mm=label_x + style.badge_mm / 2,
                y_mm=mid_y,
                text=str(sector),
                size_pt=style.badge_pt,
                bold=True,
                anchor="center",
            )
        )
        label_x += style.badge_mm + style.pad_mm
    if label:
        texts.append(
            PrintedText(x_mm=label_x, y_mm=mid_y, text=label, size_pt=style.label_pt, bold=True)
        )
    return Block(texts=tuple(texts), boxes=tuple(boxes))


def registration_marks(
    page: Page | None = None,
    *,
    inset_mm: float = MARK_INSET_MM,
    size_mm: float = MARK_SIZE_MM,
    orientation_x_mm: float = ORIENTATION_MARK_X_MM,
) -> tuple[RegistrationMark, ...]:
    """Four corner marks and one orientation mark on the top edge.

    Parameters
    ----------
    page : Page, optional
        The page; A4 portrait when None.
    inset_mm : float
        Distance of each corner mark's centre from the two nearest page edges.
    size_mm : float
        Side of every mark.
    orientation_x_mm : float
        Centre of the orientation mark from the left edge, on the top marks' line.
        Off the page's vertical centre line, so a sheet fed upside down shows
        it near the bottom-right instead.

    Returns
    -------
    tuple of RegistrationMark
        ``tl``, ``tr``, ``br``, ``bl`` (corners, clockwise) then ``orient``.
    """
    page = page or Page()
    right, bottom = page.width_mm - inset_mm, page.height_mm - inset_mm
    corners = {
        "tl": (inset_mm, inset_mm),
        "tr": (right, inset_mm),
        "br": (right, bottom),
        "bl": (inset_mm, bottom),
    }
    marks = [
        RegistrationMark(id=name, x_mm=x, y_mm=y, size_mm=size_mm)
        for name, (x, y) in corners.items()
    ]
    marks.append(
        RegistrationMark(
            id="orient", x_mm=orientation_x_mm, y_mm=inset_mm, size_mm=size_mm, role="orientation"
        )
    )
    return tuple(marks)


def layout_id_code(*, x_mm: float, y_mm: float, bits: int = LAYOUT_ID_BITS) -> BitCode:
    """The bit code that prints the layout's ``layout_code``, left cell centred at (x, y)."""
    return BitCode(id="layout_id", x_mm=x_mm, y_mm=y_mm, bits=bits)


def serial_code(*, x_mm: float, y_mm: float, bits: int = SERIAL_BITS) -> BitCode:
    """The bit code that prints each sheet's serial number, left cell centred at (x, y)."""
    return BitCode(id="serial", x_mm=x_mm, y_mm=y_mm, bits=bits)


def assemble_layout(
    layout_id: str,
    *,
    layout_code: int,
    title: str,
    marks: Sequence[RegistrationMark],
    id_code: BitCode,
    blocks: Sequence[Block],
    serial: BitCode | None = None,
    texts: Sequence[PrintedText] = (),
    prefills: Sequence[Prefill] = (),
    page: Page | None = None,
    version: int = 1,
) -> SheetLayout:
    """Join blocks into a validated :class:`SheetLayout`.

    Raises
    ------
    LayoutError
        If the joined sheet is invalid (overlapping bubbles, bubbles near a
        mark, duplicate field ids, ...); the error names the offending field.
    """
    joined = sum(blocks, Block())
    return SheetLayout(
        layout_id=layout_id,
        layout_code=layout_code,
        title=title,
        version=version,
        page=page or Page(),
        marks=tuple(marks),
        layout_id_code=id_code,
        serial_code=serial,
        fields=joined.fields,
        texts=tuple(texts) + joined.texts,
        boxes=joined.boxes,
        prefills=tuple(prefills),
    )


def make_field(
    field_id: str,
    kind: FieldKind,
    slots: Sequence[tuple[str, Sequence[Bubble]]],
    *,
    label: str = "",
    sector: int | None = None,
) -> LayoutField:
    """A field from ``(slot id, bubbles)`` pairs, each slot accepting one mark."""
    return LayoutField(
        id=field_id,
        kind=kind,
        label=label,
        sector=sector,
        slots=tuple(Slot(id=slot_id, bubbles=tuple(bubbles)) for slot_id, bubbles in slots),
    )


def code_grid(
    field_id: str,
    *,
    x_mm: float,
    y_mm: float,
    n_digits: int,
    label: str = "",
    sector: int | None = None,
    radius_mm: float = BUBBLE_RADIUS_MM,
    pitch_x_mm: float = BUBBLE_PITCH_MM,
    pitch_y_mm: float = BUBBLE_PITCH_MM,
    width_mm: float | None = None,
    style: SectorStyle = DEFAULT_STYLE,
) -> Block:
    """A digit code sector: one column of circles 0..9 per digit position.

    Slot ids are the positions ``"1"``..``str(n_digits)``, left to right; each
    column has a write-in box on top. ``(x_mm, y_mm)`` is the frame's top-left
    corner; ``width_mm`` widens the frame (columns stay centred).
    """
    return _column_grid(
        field_id,
        FieldKind.CODE,
        DIGITS,
        x_mm=x_mm,
        y_mm=y_mm,
        n_columns=n_digits,
        label=label,
        sector=sector,
        radius_mm=radius_mm,
        pitch=(pitch_x_mm, pitch_y_mm),
        width_mm=width_mm,
        style=style,
    )


def letter_grid(
    field_id: str,
    *,
    x_mm: float,
    y_mm: float,
    n_letters: int,
    label: str = "",
    sector: int | None = None,
    alphabet: Sequence[str] = KAZAKH_LETTERS,
    radius_mm: float = 1.4,
    pitch_x_mm: float = 3.5,
    pitch_y_mm: float = 3.35,
    width_mm: float | None = None,
    style: SectorStyle = DEFAULT_STYLE,
) -> Block:
    """A name sector: one column of letter circles per letter position.

    Implements UNT-FORM-4 and UNT-FORM-5: the name is written in the boxes on
    top and each letter is painted in its column below, over an alphabet that
    has no Ё and no Ъ (they are painted as Е and Ь).
    """
    return _column_grid(
        field_id,
        FieldKind.TEXT,
        tuple(alphabet),
        x_mm=x_mm,
        y_mm=y_mm,
        n_columns=n_letters,
        label=label,
        sector=sector,
        radius_mm=radius_mm,
        pitch=(pitch_x_mm, pitch_y_mm),
        width_mm=width_mm,
        style=style,
    )


def _column_grid(
    field_id: str,
    kind: FieldKind,
    symbols: tuple[str, ...],
    *,
    x_mm: float,
    y_mm: float,
    n_columns: int,
    label: str,
    sector: int | None,
    radius_mm: float,
    pitch: tuple[float, float],
    width_mm: float | None,
    style: SectorStyle,
) -> Block:
    _check_count(field_id, "columns", n_columns)
    pitch_x, pitch_y = pitch
    content_w = n_columns * pitch_x
    frame_w = max(width_mm or 0.0, content_w + 2 * style.pad_mm)
    write_top = y_mm + style.header_mm
    grid_top = write_top + WRITE_IN_MM + style.pad_mm
    frame_h = grid_top - y_mm + len(symbols) * pitch_y + style.pad_mm
    left = x_mm + (frame_w - content_w) / 2
    slots = []
    boxes = []
    for c in range(n_columns):
        cx = left + (c + 0.5) * pitch_x
        bubbles = [
            Bubble(x_mm=cx, y_mm=grid_top + (r + 0.5) * pitch_y, radius_mm=radius_mm, symbol=sym)
            for r, sym in enumerate(symbols)
        ]
        slots.append((str(c + 1), bubbles))
        boxes.append(
            PrintedBox(
                x_mm=left + c * pitch_x,
                y_mm=write_top,
                width_mm=pitch_x,
                height_mm=WRITE_IN_MM,
                stroke_pt=style.frame_pt / 2,
            )
        )
    frame = sector_frame(
        x_mm=x_mm,
        y_mm=y_mm,
        width_mm=frame_w,
        height_mm=frame_h,
        label=label,
        sector=sector,
        style=style,
    )
    field = make_field(field_id, kind, slots, label=label, sector=sector)
    return frame + Block(fields=(field,), boxes=tuple(boxes))


def answer_block(
    field_id: str,
    *,
    x_mm: float,
    y_mm: float,
    n_questions: int,
    options: Sequence[str] = ("A", "B", "C", "D", "E"),
    rows_per_column: int | None = None,
    label: str = "",
    sector: int | None = None,
    radius_mm: float = BUBBLE_RADIUS_MM,
    pitch_x_mm: float = BUBBLE_PITCH_MM,
    pitch_y_mm: float = BUBBLE_PITCH_MM,
    column_gap_mm: float = 3.0,
    number_mm: float = NUMBER_COLUMN_MM,
    width_mm: float | None = None,
    style: SectorStyle = DEFAULT_STYLE,
) -> Block:
    """An answer sector: ``n_questions`` rows of option circles, numbered.

    Slot ids are the question numbers ``"1"``..``str(n_questions)``; questions
    run down a column of ``rows_per_column`` rows (all in one column when
    None), then on to the next column. The option letter is printed inside
    each circle and the question number left of its row.
    """
    _check_count(field_id, "questions", n_questions)
    _check_count(field_id, "options", len(options))
    rows = rows_per_column or n_questions
    _check_count(field_id, "rows per column", rows)
    n_cols = -(-n_questions // rows)
    col_w = number_mm + len(options) * pitch_x_mm
    content_w = n_cols * col_w + (n_cols - 1) * column_gap_mm
    frame_w = max(width_mm or 0.0, content_w + 2 * style.pad_mm)
    top = y_mm + style.header_mm + style.pad_mm
    left = x_mm + (frame_w - content_w) / 2
    slots = []
    texts = []
    for q in range(n_questions):
        col, row = divmod(q, rows)
        col_x = left + col * (col_w + column_gap_mm)
        cy = top + (row + 0.5) * pitch_y_mm
        texts.append(
            PrintedText(
                x_mm=col_x + number_mm - 1.0,
                y_mm=cy,
                text=str(q + 1),
                size_pt=CAPTION_PT,
                anchor="right",
            )
        )
        bubbles = [
            Bubble(
                x_mm=col_x + number_mm + (k + 0.5) * pitch_x_mm,
                y_mm=cy,
                radius_mm=radius_mm,
                symbol=sym,
            )
            for k, sym in enumerate(options)
        ]
        slots.append((str(q + 1), bubbles))
    frame_h = top - y_mm + rows * pitch_y_mm + style.pad_mm
    frame = sector_frame(
        x_mm=x_mm,
        y_mm=y_mm,
        width_mm=frame_w,
        height_mm=frame_h,
        label=label,
        sector=sector,
        style=style,
    )
    field = make_field(field_id, FieldKind.ANSWERS, slots, label=label, sector=sector)
    return frame + Block(fields=(field,), texts=tuple(texts))


def choice_field(
    field_id: str,
    *,
    x_mm: float,
    y_mm: float,
    options: Sequence[tuple[str, str]],
    label: str = "",
    sector: int | None = None,
    radius_mm: float = BUBBLE_RADIUS_MM,
    pitch_mm: float = BUBBLE_PITCH_MM + 0.5,
    width_mm: float | None = None,
    style: SectorStyle = DEFAULT_STYLE,
) -> Block:
    """A choice sector: one slot whose circles stand one under another.

    ``options`` are ``(symbol, caption)`` pairs; the symbol is what the reader
    reports (e.g. ``"kk"``), the caption is printed right of an empty circle.
    A single option makes a flag sector (painted or not).
    """
    _check_count(field_id, "options", len(options))
    top = y_mm + style.header_mm + style.pad_mm
    cx = x_mm + style.pad_mm + pitch_mm / 2
    caption_x = cx + radius_mm + 1.5
    widest = max(_text_width_mm(cap, CAPTION_PT) for _, cap in options)
    label_w = _text_width_mm(label, style.label_pt) + style.badge_mm + 3 * style.pad_mm
    frame_w = max(width_mm or 0.0, caption_x - x_mm + widest + style.pad_mm, label_w)
    bubbles = []
    texts = []
    for k, (symbol, caption) in enumerate(options):
        cy = top + (k + 0.5) * pitch_mm
        bubbles.append(Bubble(x_mm=cx, y_mm=cy, radius_mm=radius_mm, symbol=symbol, printed=""))
        texts.append(PrintedText(x_mm=caption_x, y_mm=cy, text=caption, size_pt=CAPTION_PT))
    frame_h = top - y_mm + len(options) * pitch_mm + style.pad_mm
    frame = sector_frame(
        x_mm=x_mm,
        y_mm=y_mm,
        width_mm=frame_w,
        height_mm=frame_h,
        label=label,
        sector=sector,
        style=style,
    )
    field = make_field(field_id, FieldKind.CHOICE, [("1", bubbles)], label=label, sector=sector)
    return frame + Block(fields=(field,), texts=tuple(texts))


def write_in_field(
    *,
    x_mm: float,
    y_mm: float,
    width_mm: float,
    height_mm: float,
    label: str,
    sector: int | None = None,
    n_cells: int | None = None,
    style: SectorStyle = DEFAULT_STYLE,
) -> Block:
    """A handwriting sector (name, school, signature): framed boxes, never read.

    With ``n_cells`` the writing area is split into that many letter cells.
    """
    frame = sector_frame(
        x_mm=x_mm,
        y_mm=y_mm,
        width_mm=width_mm,
        height_mm=height_mm,
        label=label,
        sector=sector,
        style=style,
    )
    inner_x = x_mm + style.pad_mm
    inner_y = y_mm + style.header_mm
    inner_w = width_mm - 2 * style.pad_mm
    inner_h = height_mm - style.header_mm - style.pad_mm
    cells = n_cells or 1
    cell_w = inner_w / cells
    boxes = tuple(
        PrintedBox(
            x_mm=inner_x + k * cell_w,
            y_mm=inner_y,
            width_mm=cell_w,
            height_mm=inner_h,
            stroke_pt=style.frame_pt / 2,
        )
        for k in range(cells)
    )
    return frame + Block(boxes=boxes)


def _text_width_mm(text: str, size_pt: float) -> float:
    longest = max(len(line) for line in text.split("\n"))
    return longest * _CHAR_WIDTH_EM * size_pt * _MM_PER_PT


def _check_count(field_id: str, what: str, n: int) -> None:
    if n < 1:
        raise LayoutError(f"a sector needs at least one of its {what}, got {n}", field=field_id)


def hstack(
    makers: Sequence[Callable[[float], Block]], *, x_mm: float, gap_mm: float = 2.0
) -> Block:
    """Sectors side by side: each maker gets its left edge, the next starts after it.

    ``makers[k](x)`` builds a sector whose frame starts at ``x``; the next
    sector starts ``gap_mm`` right of its bounds.
    """
    row = Block()
    for make in makers:
        block = make(x_mm)
        row += block
        x_mm = block.bounds_mm()[2] + gap_mm
    return row


def title_text(text: str, *, page: Page | None = None, y_mm: float = TITLE_Y_MM) -> PrintedText:
    """A sheet's title, bold, centred on the page."""
    page = page or Page()
    return PrintedText(
        x_mm=page.width_mm / 2, y_mm=y_mm, text=text, size_pt=TITLE_PT, bold=True, anchor="center"
    )
