"""Sheet furniture shared by every layout: sector frames, marks, codes, assembly.

A :class:`Block` is a piece of a sheet (fields with their frames, captions
and boxes); sector builders in :mod:`omrkit.layout.builder` return blocks and
:func:`assemble_layout` joins them into one validated
:class:`~omrkit.layout.SheetLayout`. Everything is in millimetres from the
page's top-left corner.

Every sector is drawn the same way: a frame in the dropout colour whose top
strip holds the sector number in a small box and the caption beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from omrkit.errors import LayoutError
from omrkit.layout.models import (
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
    "CONTENT_LEFT_MM",
    "CONTENT_RIGHT_MM",
    "DEFAULT_STYLE",
    "LAYOUT_ID_BITS",
    "LAYOUT_ID_X_MM",
    "SECTOR_GAP_MM",
    "SERIAL_BITS",
    "Block",
    "SectorStyle",
    "assemble_layout",
    "centred_content",
    "framed_field",
    "hstack",
    "layout_id_code",
    "make_field",
    "registration_marks",
    "require_count",
    "sector_frame",
    "serial_code",
    "title_text",
    "write_in_box",
]

#: Registration marks sit inside the ~8 mm margin every office printer keeps.
MARK_INSET_MM = 12.0
MARK_SIZE_MM = 6.0
#: Where the orientation mark sits on the top edge, from the left page edge.
ORIENTATION_MARK_X_MM = 36.0
#: Left and right edges of the printed content on A4: inside the corner marks'
#: columns, at least 8 mm from the paper edge.
CONTENT_LEFT_MM = 14.0
CONTENT_RIGHT_MM = 196.0
#: Space between neighbouring sectors of a row.
SECTOR_GAP_MM = 2.0
#: Where the layout-id code's left cell sits on the top marks' line: right of
#: the orientation mark, clear of the title.
LAYOUT_ID_X_MM = 120.0
#: Middle of a sheet's title line, just below the top marks.
TITLE_Y_MM = 20.5
TITLE_PT = 11.0
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


def framed_field(
    field_id: str,
    kind: FieldKind,
    slots: Sequence[tuple[str, Sequence[Bubble]]],
    *,
    x_mm: float,
    y_mm: float,
    width_mm: float,
    content_top_mm: float,
    content_h_mm: float,
    label: str,
    sector: int | None,
    style: SectorStyle,
    texts: Sequence[PrintedText] = (),
    boxes: Sequence[PrintedBox] = (),
) -> Block:
    """A field of bubbles in its sector frame: what every bubble sector returns.

    The field is built as by :func:`make_field`, the frame as by
    :func:`sector_frame`, closing ``style.pad_mm`` below the content that
    starts at ``content_top_mm`` and is ``content_h_mm`` tall. The sector's own
    ``texts`` and ``boxes`` are drawn after the frame's.
    """
    frame = sector_frame(
        x_mm=x_mm,
        y_mm=y_mm,
        width_mm=width_mm,
        height_mm=content_top_mm - y_mm + content_h_mm + style.pad_mm,
        label=label,
        sector=sector,
        style=style,
    )
    field = make_field(field_id, kind, slots, label=label, sector=sector)
    return frame + Block(fields=(field,), texts=tuple(texts), boxes=tuple(boxes))


def centred_content(
    x_mm: float, content_w_mm: float, *, width_mm: float | None, style: SectorStyle
) -> tuple[float, float]:
    """``(frame width, content's left edge)``: content centred in a frame ``width_mm`` wide.

    The frame widens to fit the padded content; None asks for just that width.
    """
    frame_w = max(width_mm or 0.0, content_w_mm + 2 * style.pad_mm)
    return frame_w, x_mm + (frame_w - content_w_mm) / 2


def write_in_box(
    *, x_mm: float, y_mm: float, width_mm: float, height_mm: float, style: SectorStyle
) -> PrintedBox:
    """A box written in by hand, drawn at half the frame's stroke so it reads as part of it."""
    return PrintedBox(
        x_mm=x_mm, y_mm=y_mm, width_mm=width_mm, height_mm=height_mm, stroke_pt=style.frame_pt / 2
    )


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


def layout_id_code(
    *, x_mm: float = LAYOUT_ID_X_MM, y_mm: float = MARK_INSET_MM, bits: int = LAYOUT_ID_BITS
) -> BitCode:
    """The bit code printing the layout's ``layout_code``, left cell centred at (x, y), mm."""
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


def hstack(
    makers: Sequence[Callable[[float], Block]], *, x_mm: float, gap_mm: float = SECTOR_GAP_MM
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


def require_count(field_id: str, what: str, n: int) -> None:
    """Raise :class:`LayoutError` naming ``field_id`` unless ``n >= 1``."""
    if n < 1:
        raise LayoutError(f"a sector needs at least one of its {what}, got {n}", field=field_id)
