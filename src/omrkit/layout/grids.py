"""Column grids: digit codes and name letters, one column of circles per position.

A code grid (ТЖК, ИИН, variant, seat) has a column of circles 0..9 per
digit; a letter grid (surname, name) has a column of the 40-letter Kazakh
alphabet per letter. Both print a write-in box above each column, where the
digit or letter is written by hand before its circle is painted.
:func:`code_row` and :func:`letter_row` place several grids side by side,
captioned from a table. Common parameters are described in
:mod:`omrkit.layout.builder`, which re-exports these builders.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

from omrkit.errors import LayoutError
from omrkit.layout.blocks import (
    DEFAULT_STYLE,
    SECTOR_GAP_MM,
    Block,
    SectorStyle,
    centred_content,
    framed_field,
    hstack,
    require_count,
    write_in_box,
)
from omrkit.layout.models import Bubble, FieldKind

__all__ = [
    "BUBBLE_PITCH_MM",
    "BUBBLE_RADIUS_MM",
    "DIGITS",
    "KAZAKH_LETTERS",
    "LETTER_PITCH_X_MM",
    "LETTER_PITCH_Y_MM",
    "LETTER_RADIUS_MM",
    "WRITE_IN_MM",
    "code_grid",
    "code_row",
    "letter_grid",
    "letter_row",
]

#: The Kazakh alphabet of the letter grids, with Ё folded into Е and Ъ into Ь
#: (UNT-FORM-4, UNT-FORM-5): 40 letters, no Ё, no Ъ.
KAZAKH_LETTERS: tuple[str, ...] = tuple("АӘБВГҒДЕЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЫІЬЭЮЯ")
DIGITS: tuple[str, ...] = tuple("0123456789")
#: Default bubble geometry of answer and code sectors: 4.2 mm circles are
#: about 33 px across at 200 dpi and 25 px at 150 dpi.
BUBBLE_RADIUS_MM = 2.1
BUBBLE_PITCH_MM = 5.0
#: Letter circles: 2.8 mm across with 0.55 mm between them, so that 40 rows
#: fit in 134 mm and a name grid fits on A4 beside the other sectors.
LETTER_RADIUS_MM = 1.4
LETTER_PITCH_X_MM = 3.5
LETTER_PITCH_Y_MM = 3.35
#: Height of the boxes above code and letter columns where the digit or
#: letter is written by hand before its circle is painted.
WRITE_IN_MM = 5.0


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

    Parameters
    ----------
    n_digits : int
        Digit positions; slot ids are ``"1"``..``str(n_digits)``, left to right.
    **others
        As described in :mod:`omrkit.layout.builder`.

    Returns
    -------
    Block
        One ``code`` field, its frame and a write-in box above each column.
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
    radius_mm: float = LETTER_RADIUS_MM,
    pitch_x_mm: float = LETTER_PITCH_X_MM,
    pitch_y_mm: float = LETTER_PITCH_Y_MM,
    width_mm: float | None = None,
    style: SectorStyle = DEFAULT_STYLE,
) -> Block:
    """A name sector: one column of letter circles per letter position.

    Implements UNT-FORM-4 and UNT-FORM-5: the name is written in the boxes on
    top and each letter is painted in its column below, over an alphabet that
    has no Ё and no Ъ (they are painted as Е and Ь).

    Parameters
    ----------
    n_letters : int
        Letter positions; slot ids are ``"1"``..``str(n_letters)``.
    alphabet : sequence of str
        Symbols of each column, top to bottom; the folded Kazakh alphabet.
    **others
        As described in :mod:`omrkit.layout.builder`. The 40-letter columns are
        tall, so the defaults are small circles on a tight grid.

    Returns
    -------
    Block
        One ``text`` field, its frame and a write-in box above each column.
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


def code_row(
    digits: Mapping[str, int],
    captions: Mapping[str, tuple[str, int]],
    *,
    x_mm: float,
    y_mm: float,
    gap_mm: float = SECTOR_GAP_MM,
    widths: Mapping[str, float] | None = None,
    radius_mm: float = BUBBLE_RADIUS_MM,
    pitch_x_mm: float = BUBBLE_PITCH_MM,
    pitch_y_mm: float = BUBBLE_PITCH_MM,
    style: SectorStyle = DEFAULT_STYLE,
) -> Block:
    """Code sectors side by side, one per entry of ``digits``, in its order.

    Parameters
    ----------
    digits : mapping of str to int
        Field id to its digit positions.
    captions : mapping of str to (str, int)
        Field id to the ``(label, sector)`` printed in its frame.
    x_mm : float
        Left edge of the first sector; each next one starts ``gap_mm`` after.
    widths : mapping of str to float, optional
        Frame widths of the sectors that need more than their content.
    **others
        As for :func:`code_grid`, the same for every sector of the row.

    Returns
    -------
    Block
        One ``code`` field per entry of ``digits``, with frames and write-in boxes.

    Raises
    ------
    LayoutError
        Naming the first field that has no caption.
    """
    return _grid_row(
        FieldKind.CODE,
        DIGITS,
        digits,
        captions,
        x_mm=x_mm,
        y_mm=y_mm,
        gap_mm=gap_mm,
        widths=widths or {},
        radius_mm=radius_mm,
        pitch=(pitch_x_mm, pitch_y_mm),
        style=style,
    )


def letter_row(
    letters: Mapping[str, int],
    captions: Mapping[str, tuple[str, int]],
    *,
    x_mm: float,
    y_mm: float,
    gap_mm: float = SECTOR_GAP_MM,
    widths: Mapping[str, float] | None = None,
    alphabet: Sequence[str] = KAZAKH_LETTERS,
    radius_mm: float = LETTER_RADIUS_MM,
    pitch_x_mm: float = LETTER_PITCH_X_MM,
    pitch_y_mm: float = LETTER_PITCH_Y_MM,
    style: SectorStyle = DEFAULT_STYLE,
) -> Block:
    """Name sectors side by side, one per entry of ``letters``, in its order.

    Parameters
    ----------
    letters : mapping of str to int
        Field id to its letter positions.
    **others
        As for :func:`code_row` and :func:`letter_grid`.

    Returns
    -------
    Block
        One ``text`` field per entry of ``letters``, with frames and write-in boxes.
    """
    return _grid_row(
        FieldKind.TEXT,
        tuple(alphabet),
        letters,
        captions,
        x_mm=x_mm,
        y_mm=y_mm,
        gap_mm=gap_mm,
        widths=widths or {},
        radius_mm=radius_mm,
        pitch=(pitch_x_mm, pitch_y_mm),
        style=style,
    )


def _grid_row(
    kind: FieldKind,
    symbols: tuple[str, ...],
    columns: Mapping[str, int],
    captions: Mapping[str, tuple[str, int]],
    *,
    x_mm: float,
    y_mm: float,
    gap_mm: float,
    widths: Mapping[str, float],
    radius_mm: float,
    pitch: tuple[float, float],
    style: SectorStyle,
) -> Block:
    uncaptioned = [field_id for field_id in columns if field_id not in captions]
    if uncaptioned:
        raise LayoutError(
            f"no (label, sector) caption for fields {uncaptioned}", field=uncaptioned[0]
        )

    def grid(field_id: str, x: float) -> Block:
        label, sector = captions[field_id]
        return _column_grid(
            field_id,
            kind,
            symbols,
            x_mm=x,
            y_mm=y_mm,
            n_columns=columns[field_id],
            label=label,
            sector=sector,
            radius_mm=radius_mm,
            pitch=pitch,
            width_mm=widths.get(field_id),
            style=style,
        )

    return hstack([partial(grid, field_id) for field_id in columns], x_mm=x_mm, gap_mm=gap_mm)


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
    require_count(field_id, "columns", n_columns)
    pitch_x, pitch_y = pitch
    content_w = n_columns * pitch_x
    frame_w, left = centred_content(x_mm, content_w, width_mm=width_mm, style=style)
    write_top = y_mm + style.header_mm
    grid_top = write_top + WRITE_IN_MM + style.pad_mm
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
            write_in_box(
                x_mm=left + c * pitch_x,
                y_mm=write_top,
                width_mm=pitch_x,
                height_mm=WRITE_IN_MM,
                style=style,
            )
        )
    return framed_field(
        field_id,
        kind,
        slots,
        x_mm=x_mm,
        y_mm=y_mm,
        width_mm=frame_w,
        content_top_mm=grid_top,
        content_h_mm=len(symbols) * pitch_y,
        label=label,
        sector=sector,
        style=style,
        boxes=boxes,
    )
