"""Helpers that build sheet layouts from a few numbers instead of thousands.

Each sector builder takes the frame's top-left corner and a few counts, in
millimetres, and returns a :class:`~omrkit.layout_blocks.Block`: the field
with its bubbles, its frame, captions and write-in boxes. A sheet is designed
by placing blocks (side by side with :func:`hstack`) and handing them to
:func:`assemble_layout`, which validates the whole sheet. The sheet furniture
of :mod:`omrkit.layout_blocks` is re-exported here, so one import suffices.

Examples
--------
>>> from omrkit.layout_builder import answer_block
>>> block = answer_block("answers_1", x_mm=14, y_mm=120, n_questions=25)
>>> len(block.fields[0].slots), len(block.fields[0].slots[0].bubbles)
(25, 5)
"""

from __future__ import annotations

from collections.abc import Sequence

from omrkit.errors import LayoutError
from omrkit.layout import Bubble, FieldKind, PrintedBox, PrintedText
from omrkit.layout_blocks import (
    BILINGUAL_STYLE,
    CONTENT_LEFT_MM,
    CONTENT_RIGHT_MM,
    DEFAULT_STYLE,
    LAYOUT_ID_BITS,
    SERIAL_BITS,
    Block,
    SectorStyle,
    assemble_layout,
    hstack,
    layout_id_code,
    make_field,
    registration_marks,
    sector_frame,
    serial_code,
    title_text,
)

__all__ = [
    "BILINGUAL_STYLE",
    "BUBBLE_PITCH_MM",
    "BUBBLE_RADIUS_MM",
    "CONTENT_LEFT_MM",
    "CONTENT_RIGHT_MM",
    "DEFAULT_STYLE",
    "DIGITS",
    "KAZAKH_LETTERS",
    "LAYOUT_ID_BITS",
    "SERIAL_BITS",
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
