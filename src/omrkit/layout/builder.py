"""Helpers that build sheet layouts from a few numbers instead of thousands.

Each sector builder takes the frame's top-left corner and a few counts, in
millimetres, and returns a :class:`~omrkit.layout_blocks.Block`: the field
with its bubbles, its frame, captions and write-in boxes. A sheet is designed
by placing blocks (side by side with :func:`hstack`, a row of grids at once
with :func:`code_row` or :func:`letter_row`, equal sectors across the page
:func:`shared_width_mm` wide) and handing them to :func:`assemble_layout`,
which validates the whole sheet. The sheet furniture of
:mod:`omrkit.layout.blocks` and the column grids of :mod:`omrkit.layout.grids`
are re-exported here, so one import suffices.

Parameters every sector builder takes:

- ``field_id``: the id of the field the sector defines;
- ``x_mm, y_mm``: top-left corner of the sector's frame;
- ``label``, ``sector``: caption and sector number printed in the frame header;
- ``radius_mm``, ``pitch_x_mm``, ``pitch_y_mm``: circle radius and centre
  spacing across and down;
- ``width_mm``: a frame wider than the content needs (content stays centred),
  so sectors of a row line up; ``style``: frame geometry and font sizes.

Builders raise :class:`~omrkit.errors.LayoutError` naming ``field_id`` when
asked for a sector with nothing in it; overlaps and off-page circles are
caught when the sheet is assembled.

Examples
--------
>>> from omrkit.layout.builder import answer_block
>>> block = answer_block("answers_1", x_mm=14, y_mm=120, n_questions=25)
>>> len(block.fields[0].slots), len(block.fields[0].slots[0].bubbles)
(25, 5)
"""

from __future__ import annotations

from collections.abc import Sequence

from omrkit.layout.blocks import (
    BILINGUAL_STYLE,
    CONTENT_LEFT_MM,
    CONTENT_RIGHT_MM,
    DEFAULT_STYLE,
    LAYOUT_ID_BITS,
    LAYOUT_ID_X_MM,
    SECTOR_GAP_MM,
    SERIAL_BITS,
    Block,
    SectorStyle,
    assemble_layout,
    centred_content,
    framed_field,
    hstack,
    layout_id_code,
    make_field,
    registration_marks,
    require_count,
    sector_frame,
    serial_code,
    title_text,
    write_in_box,
)
from omrkit.layout.grids import (
    BUBBLE_PITCH_MM,
    BUBBLE_RADIUS_MM,
    DIGITS,
    KAZAKH_LETTERS,
    code_grid,
    code_row,
    letter_grid,
    letter_row,
)
from omrkit.layout.models import Bubble, FieldKind, PrintedText

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
    "LAYOUT_ID_X_MM",
    "SECTOR_GAP_MM",
    "SERIAL_BITS",
    "Block",
    "SectorStyle",
    "answer_block",
    "assemble_layout",
    "centred_content",
    "choice_field",
    "code_grid",
    "code_row",
    "framed_field",
    "hstack",
    "layout_id_code",
    "letter_grid",
    "letter_row",
    "make_field",
    "registration_marks",
    "sector_frame",
    "serial_code",
    "shared_width_mm",
    "title_text",
    "write_in_box",
    "write_in_field",
]

#: Width kept left of each answer row for its printed question number.
NUMBER_COLUMN_MM = 5.0
CAPTION_PT = 6.5
#: Average advance of a caption character, in font sizes; used only to size
#: frames around captions, never to place anything that is read.
_CHAR_WIDTH_EM = 0.55
_MM_PER_PT = 25.4 / 72


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

    Parameters
    ----------
    n_questions : int
        Questions; slot ids are the question numbers ``"1"``..``str(n_questions)``.
    options : sequence of str
        Option symbols of every question, printed inside the circles.
    rows_per_column : int, optional
        Questions run down a column of this many rows, then on to the next
        column; all in one column when None.
    column_gap_mm, number_mm : float
        Space between question columns, and kept left of each row for its
        printed number.
    **others
        As described in the module docstring.

    Returns
    -------
    Block
        One ``answers`` field, its frame and the question numbers.
    """
    require_count(field_id, "questions", n_questions)
    require_count(field_id, "options", len(options))
    rows = rows_per_column or n_questions
    require_count(field_id, "rows per column", rows)
    n_cols = -(-n_questions // rows)
    col_w = number_mm + len(options) * pitch_x_mm
    content_w = n_cols * col_w + (n_cols - 1) * column_gap_mm
    frame_w, left = centred_content(x_mm, content_w, width_mm=width_mm, style=style)
    top = y_mm + style.header_mm + style.pad_mm
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
    return framed_field(
        field_id,
        FieldKind.ANSWERS,
        slots,
        x_mm=x_mm,
        y_mm=y_mm,
        width_mm=frame_w,
        content_top_mm=top,
        content_h_mm=rows * pitch_y_mm,
        label=label,
        sector=sector,
        style=style,
        texts=texts,
    )


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

    Parameters
    ----------
    options : sequence of (str, str)
        ``(symbol, caption)`` pairs: the symbol is what the reader reports
        (e.g. ``"kk"``), the caption is printed right of an empty circle. A
        single option makes a flag sector (painted or not).
    pitch_mm : float
        Distance between the circles' centres, down the sector.
    **others
        As described in the module docstring; the frame grows to hold the
        longest caption unless ``width_mm`` is wider.

    Returns
    -------
    Block
        One ``choice`` field with a single slot, its frame and captions.
    """
    require_count(field_id, "options", len(options))
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
    return framed_field(
        field_id,
        FieldKind.CHOICE,
        [("1", bubbles)],
        x_mm=x_mm,
        y_mm=y_mm,
        width_mm=frame_w,
        content_top_mm=top,
        content_h_mm=len(options) * pitch_mm,
        label=label,
        sector=sector,
        style=style,
        texts=texts,
    )


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

    Parameters
    ----------
    width_mm, height_mm : float
        Size of the frame, header included.
    n_cells : int, optional
        Split the writing area into this many letter cells; one box when None.
    **others
        As described in the module docstring.

    Returns
    -------
    Block
        Boxes and the caption only: nothing in it is read.
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
        write_in_box(
            x_mm=inner_x + k * cell_w, y_mm=inner_y, width_mm=cell_w, height_mm=inner_h, style=style
        )
        for k in range(cells)
    )
    return frame + Block(boxes=boxes)


def shared_width_mm(n_sectors: int, *, gap_mm: float = SECTOR_GAP_MM) -> float:
    """Width of each of ``n_sectors`` equal sectors filling the content width, ``gap_mm`` apart.

    Raises
    ------
    LayoutError
        If ``n_sectors`` is less than 1.

    Examples
    --------
    >>> shared_width_mm(2, gap_mm=2.0)
    90.0
    """
    require_count("row", "sectors", n_sectors)
    return (CONTENT_RIGHT_MM - CONTENT_LEFT_MM - (n_sectors - 1) * gap_mm) / n_sectors


def _text_width_mm(text: str, size_pt: float) -> float:
    longest = max(len(line) for line in text.split("\n"))
    return longest * _CHAR_WIDTH_EM * size_pt * _MM_PER_PT
