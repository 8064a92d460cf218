"""Sheet layouts: the single source of truth for printing and reading a sheet.

A :class:`SheetLayout` says, in millimetres from the page's top-left corner,
where every bubble, registration mark and machine-readable code is printed.
The renderer draws exactly these coordinates and the reader looks exactly
there, so a layout that validates here prints and reads consistently.

Vocabulary (DESIGN.md "slots"): a *bubble* is a printed circle standing for one
symbol; a *slot* is a place where one answer is expected (a question, one digit
of a code, one letter of a name) and says how many marks it accepts; a *field*
groups slots and says how to decode them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from omrkit.errors import LayoutError

__all__ = [
    "BitCode",
    "Bubble",
    "BubbleArrays",
    "FieldKind",
    "LayoutField",
    "Page",
    "Prefill",
    "PrefillTone",
    "PrintedBox",
    "PrintedText",
    "RegistrationMark",
    "SheetLayout",
    "Slot",
    "bundled_layout_names",
    "load_layout",
    "parse_layout",
    "save_layout",
]

#: Smallest and largest bubble radius accepted, in mm. Outside this range the
#: numbers are almost certainly in the wrong unit (pixels, points, inches).
MIN_BUBBLE_RADIUS_MM = 1.0
MAX_BUBBLE_RADIUS_MM = 6.0
#: Printed bubbles closer than this (edge to edge) blur into each other on a 150 dpi scan.
MIN_BUBBLE_GAP_MM = 0.5
#: Clear margin kept between a registration mark and any bubble, so mark
#: detection never sees a filled bubble as part of a mark.
MARK_CLEARANCE_MM = 3.0
#: Width of the printed bubble outline (0.25 pt). The reader measures ink only
#: inside ``radius_mm - OUTLINE_STROKE_MM / 2``: the outline is print, not ink.
OUTLINE_STROKE_MM = 0.25 * 25.4 / 72
#: Longest symbol a bubble may stand for (choice symbols such as "vocational").
MAX_SYMBOL_CHARS = 16
#: Light red for everything printed that is not meant to be read: bubble
#: outlines, the symbols inside them, frames. Its grey level
#: (0.299 R + 0.587 G + 0.114 B = 188) keeps printed outlines far above a
#: mid-grey ink threshold on a grey-scale scanner, and a red-channel scan
#: (R = 255) loses it entirely.
DEFAULT_DROPOUT_COLOR = "#ffa0a0"

_Mm = Annotated[float, Field(allow_inf_nan=False)]
_Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Page(_Frozen):
    """The printed page, in mm. Defaults to A4 portrait."""

    width_mm: _Mm = Field(default=210.0, gt=50, le=500)
    height_mm: _Mm = Field(default=297.0, gt=50, le=500)


class Bubble(_Frozen):
    """One printed circle standing for one symbol.

    ``printed`` is what the renderer prints inside the circle, in the dropout
    colour: ``None`` prints the symbol itself, ``""`` leaves the circle empty
    (choice rows whose options are captioned beside the circle).
    """

    x_mm: _Mm
    y_mm: _Mm
    radius_mm: _Mm
    symbol: str = Field(min_length=1, max_length=MAX_SYMBOL_CHARS)
    printed: str | None = Field(default=None, max_length=3)


class Slot(_Frozen):
    """A place where one answer is expected; accepts up to ``max_marks`` marks."""

    id: _Identifier
    bubbles: tuple[Bubble, ...]
    max_marks: int = Field(default=1, ge=1)


class FieldKind(StrEnum):
    """How a field's slots decode into a value."""

    ANSWERS = "answers"  # question block -> one symbol (or none) per question
    CODE = "code"  # digit positions -> a digit string (ТЖК, ИИН, variant, seat)
    TEXT = "text"  # letter positions -> a string (surname, name grids)
    CHOICE = "choice"  # a single slot -> one of a few options (gender, language)


class LayoutField(_Frozen):
    """A group of slots decoded together.

    ``sector`` is the sector number printed on the form (RULES.md cites sectors
    by number); ``label`` is the printed caption, in the sheet's language.
    """

    id: _Identifier
    kind: FieldKind
    label: str = ""
    sector: int | None = Field(default=None, ge=0)
    slots: tuple[Slot, ...]


class RegistrationMark(_Frozen):
    """A solid black square printed for registration; centre and side in mm.

    ``role`` is ``"corner"`` for the marks that fix the transform and
    ``"orientation"`` for the extra mark whose position breaks the page's
    180° symmetry.
    """

    id: _Identifier
    x_mm: _Mm
    y_mm: _Mm
    size_mm: _Mm = Field(gt=2, le=20)
    role: Literal["corner", "orientation"] = "corner"


class BitCode(_Frozen):
    """A row of square cells encoding an integer (layout id, sheet serial).

    Cell ``i`` is centred at ``(x_mm + i * pitch_mm, y_mm)``. The first and
    last cells are always black guards; between them sit ``bits`` data cells,
    most significant first, then one even-parity cell.
    """

    id: _Identifier
    x_mm: _Mm
    y_mm: _Mm
    cell_mm: _Mm = Field(default=2.0, gt=0.8, le=6)
    pitch_mm: _Mm = Field(default=3.0, gt=0.8, le=10)
    bits: int = Field(default=24, ge=4, le=48)

    @property
    def n_cells(self) -> int:
        """Guards + data + parity."""
        return self.bits + 3

    def cell_centers_mm(self) -> npt.NDArray[np.float64]:
        """Centres of all cells, (n_cells, 2) in mm."""
        xs = self.x_mm + self.pitch_mm * np.arange(self.n_cells, dtype=np.float64)
        return np.column_stack([xs, np.full(self.n_cells, self.y_mm)])

    def encode(self, value: int) -> npt.NDArray[np.bool_]:
        """Cells to blacken for ``value``: (n_cells,) bool."""
        if not 0 <= value < (1 << self.bits):
            raise LayoutError(f"value {value} does not fit in {self.bits} bits", field=self.id)
        data = [(value >> (self.bits - 1 - i)) & 1 == 1 for i in range(self.bits)]
        parity = sum(data) % 2 == 1
        return np.array([True, *data, parity, True], dtype=bool)

    def decode(self, cells: npt.NDArray[np.bool_]) -> int | None:
        """Value of read cells, or None when guards or parity disagree."""
        if cells.shape != (self.n_cells,) or not (cells[0] and cells[-1]):
            return None
        data = cells[1 : 1 + self.bits]
        if bool(data.sum() % 2) != bool(cells[1 + self.bits]):
            return None
        return int(sum(int(b) << (self.bits - 1 - i) for i, b in enumerate(data)))


class PrintedText(_Frozen):
    """A caption printed on the sheet; never read.

    ``(x_mm, y_mm)`` is the anchor point: the text's left edge, centre or right
    edge lies on ``x_mm`` as ``anchor`` says, and the middle of its line on
    ``y_mm``. ``dropout`` prints it in the dropout colour instead of black.
    """

    x_mm: _Mm
    y_mm: _Mm
    text: str
    size_pt: float = Field(default=8.0, gt=2, le=40)
    bold: bool = False
    anchor: Literal["left", "center", "right"] = "left"
    dropout: bool = False


class PrintedBox(_Frozen):
    """A rectangle printed on the sheet (sector frame, handwriting box); never read."""

    x_mm: _Mm
    y_mm: _Mm
    width_mm: _Mm = Field(gt=0)
    height_mm: _Mm = Field(gt=0)
    stroke_pt: float = Field(default=0.5, gt=0, le=5)
    dropout: bool = True


class PrefillTone(StrEnum):
    """The ink a pre-printed calibration fill imitates."""

    DARK = "dark"  # black pen or marker: the darkest ink the reader meets
    PENCIL = "pencil"  # graphite: the lightest ink that must still read as a mark


#: Nominal grey level (0 black .. 255 white) printed for each prefill tone; the
#: calibration reads these back to check a scanner's ink response.
PREFILL_TONE_GREY: dict[PrefillTone, int] = {PrefillTone.DARK: 0, PrefillTone.PENCIL: 100}


class Prefill(_Frozen):
    """A bubble printed already filled, covering ``fraction`` of its inner disc.

    Calibration sheets carry bubbles at known fill fractions so a scanner's
    measured fill can be checked against the truth. The inner disc is the
    bubble less half the outline stroke (``OUTLINE_STROKE_MM``), the same area
    the reader measures.
    """

    field_id: _Identifier
    slot_id: _Identifier
    symbol: str = Field(min_length=1, max_length=MAX_SYMBOL_CHARS)
    fraction: float = Field(ge=0.0, le=1.0, allow_inf_nan=False)
    tone: PrefillTone = PrefillTone.DARK


@dataclass(frozen=True, slots=True)
class BubbleArrays:
    """The layout expanded into flat arrays: all the hot path ever sees.

    Attributes
    ----------
    centers_mm : (N, 2) ndarray of float64
        Bubble centres, x then y, in mm from the page's top-left corner.
    radii_mm : (N,) ndarray of float64
        Printed bubble radii in mm.
    slot_offsets : (S + 1,) ndarray of int64
        CSR offsets: slot ``s`` owns bubbles ``slot_offsets[s]:slot_offsets[s+1]``.
    symbols : (N,) ndarray of str
        The symbol each bubble stands for.
    slot_max_marks : (S,) ndarray of int64
        How many marks each slot accepts.
    field_offsets : (F + 1,) ndarray of int64
        CSR offsets from fields to slots, in layout order.
    slot_ids : tuple of str
        ``"<field id>.<slot id>"`` for each slot.
    """

    centers_mm: npt.NDArray[np.float64]
    radii_mm: npt.NDArray[np.float64]
    slot_offsets: npt.NDArray[np.int64]
    symbols: npt.NDArray[np.str_]
    slot_max_marks: npt.NDArray[np.int64]
    field_offsets: npt.NDArray[np.int64]
    slot_ids: tuple[str, ...]

    @property
    def n_bubbles(self) -> int:
        return int(self.radii_mm.shape[0])

    @property
    def n_slots(self) -> int:
        return int(self.slot_offsets.shape[0] - 1)


class SheetLayout(_Frozen):
    """A printable, readable sheet: page, registration marks, codes and fields.

    Validation happens on construction and raises :class:`~omrkit.errors.LayoutError`
    naming the offending field: overlapping bubbles, bubbles off the page or
    too close to a registration mark, duplicate ids, empty slots, bubble radii
    in the wrong unit, too few corner marks, a code that does not fit.
    """

    layout_id: _Identifier
    layout_code: int = Field(ge=1, description="number printed in the layout-id bit code")
    title: str = ""
    version: int = Field(default=1, ge=1)
    page: Page = Page()
    dropout_color: str = Field(default=DEFAULT_DROPOUT_COLOR, pattern=r"^#[0-9a-fA-F]{6}$")
    marks: tuple[RegistrationMark, ...]
    layout_id_code: BitCode
    serial_code: BitCode | None = None
    fields: tuple[LayoutField, ...]
    texts: tuple[PrintedText, ...] = ()
    boxes: tuple[PrintedBox, ...] = ()
    prefills: tuple[Prefill, ...] = ()

    def __init__(self, **data: object) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _layout_error(exc) from exc

    @classmethod
    def model_validate(cls, obj: object, **kwargs: object) -> SheetLayout:  # type: ignore[override]
        """Validate ``obj``; every failure is a :class:`LayoutError` naming the field."""
        try:
            return super().model_validate(obj, **kwargs)  # type: ignore[arg-type]
        except ValidationError as exc:
            raise _layout_error(exc) from exc

    @model_validator(mode="after")
    def _check_geometry(self) -> SheetLayout:
        _validate(self)
        return self

    # -- derived views -----------------------------------------------------------------
    @cached_property
    def bubbles(self) -> BubbleArrays:
        """The layout expanded once into flat arrays (see :class:`BubbleArrays`)."""
        return _expand(self)

    @property
    def corner_marks(self) -> tuple[RegistrationMark, ...]:
        return tuple(m for m in self.marks if m.role == "corner")

    def field(self, field_id: str) -> LayoutField:
        """The field called ``field_id``; ``LayoutError`` if there is none."""
        for f in self.fields:
            if f.id == field_id:
                return f
        raise LayoutError(f"layout {self.layout_id!r} has no field {field_id!r}", field=field_id)

    def iter_bubbles(self) -> Iterator[tuple[LayoutField, Slot, Bubble]]:
        """Every bubble with its field and slot, in array order."""
        for f in self.fields:
            for s in f.slots:
                for b in s.bubbles:
                    yield f, s, b

    def to_json(self) -> str:
        """Canonical JSON (indent 1, fields in declaration order)."""
        return self.model_dump_json(indent=1)


# -- validation ---------------------------------------------------------------------------
def _validate(layout: SheetLayout) -> None:
    _check_ids(layout)
    _check_marks(layout)
    for code in (layout.layout_id_code, layout.serial_code):
        if code is not None:
            _check_code_on_page(layout, code)
    if layout.layout_code >= (1 << layout.layout_id_code.bits):
        raise LayoutError(
            f"layout_code {layout.layout_code} does not fit in the {layout.layout_id_code.bits}"
            " bits of layout_id_code",
            field="layout_code",
        )
    _check_bubbles(layout)
    _check_prefills(layout)


def _check_ids(layout: SheetLayout) -> None:
    if not layout.fields:
        raise LayoutError("a layout needs at least one field", field="fields")
    seen_fields: set[str] = set()
    for f in layout.fields:
        if f.id in seen_fields:
            raise LayoutError("duplicate field id", field=f.id)
        seen_fields.add(f.id)
        if not f.slots:
            raise LayoutError("field has no slots", field=f.id)
        if f.kind is FieldKind.CHOICE and len(f.slots) != 1:
            raise LayoutError("a choice field has exactly one slot", field=f.id)
        seen_slots: set[str] = set()
        for s in f.slots:
            where = f"{f.id}.{s.id}"
            if s.id in seen_slots:
                raise LayoutError("duplicate slot id", field=where)
            seen_slots.add(s.id)
            if not s.bubbles:
                raise LayoutError("slot has no bubbles", field=where)
            if s.max_marks > len(s.bubbles):
                raise LayoutError(
                    f"max_marks {s.max_marks} exceeds the slot's {len(s.bubbles)} bubbles",
                    field=where,
                )
            symbols = [b.symbol for b in s.bubbles]
            if len(set(symbols)) != len(symbols):
                raise LayoutError(f"duplicate symbols {symbols}", field=where)
            if f.kind is FieldKind.CODE and not all(sym.isdigit() for sym in symbols):
                raise LayoutError(f"a code slot holds digits only, got {symbols}", field=where)
    mark_ids = [m.id for m in layout.marks]
    dupes = {i for i in mark_ids if mark_ids.count(i) > 1}
    if dupes:
        raise LayoutError("duplicate registration mark id", field=sorted(dupes)[0])


def _check_marks(layout: SheetLayout) -> None:
    corners = layout.corner_marks
    if len(corners) < 4:
        raise LayoutError(
            f"need at least 4 corner registration marks, got {len(corners)}", field="marks"
        )
    if sum(m.role == "orientation" for m in layout.marks) != 1:
        raise LayoutError("need exactly one orientation mark", field="marks")
    for m in layout.marks:
        half = m.size_mm / 2
        if not _inside_page(layout.page, m.x_mm, m.y_mm, half):
            raise LayoutError(
                f"mark at ({m.x_mm}, {m.y_mm}) mm lies off the "
                f"{layout.page.width_mm}x{layout.page.height_mm} mm page",
                field=m.id,
            )
    # The orientation mark must break 180° symmetry: its rotated position may not
    # coincide with any mark.
    orient = next(m for m in layout.marks if m.role == "orientation")
    rx, ry = layout.page.width_mm - orient.x_mm, layout.page.height_mm - orient.y_mm
    for m in layout.marks:
        if math.hypot(m.x_mm - rx, m.y_mm - ry) < m.size_mm + orient.size_mm:
            raise LayoutError(
                "orientation mark is symmetric with another mark under a 180° turn",
                field=orient.id,
            )


def _check_code_on_page(layout: SheetLayout, code: BitCode) -> None:
    centers = code.cell_centers_mm()
    half = code.cell_mm / 2
    for x, y in centers:
        if not _inside_page(layout.page, float(x), float(y), half):
            raise LayoutError("bit code runs off the page", field=code.id)
    if code.pitch_mm < code.cell_mm + 0.5:
        raise LayoutError("bit code cells touch; pitch must exceed cell size", field=code.id)


def _check_bubbles(layout: SheetLayout) -> None:
    arrays = _expand(layout)
    where = _bubble_names(layout)
    for i, (x, y) in enumerate(arrays.centers_mm):
        r = float(arrays.radii_mm[i])
        if not MIN_BUBBLE_RADIUS_MM <= r <= MAX_BUBBLE_RADIUS_MM:
            raise LayoutError(
                f"bubble radius {r} mm outside {MIN_BUBBLE_RADIUS_MM}..{MAX_BUBBLE_RADIUS_MM} mm"
                " (coordinates are millimetres, not pixels or points)",
                field=where[i],
            )
        if not _inside_page(layout.page, float(x), float(y), r):
            raise LayoutError(f"bubble at ({x}, {y}) mm lies off the page", field=where[i])
    centers, radii = arrays.centers_mm, arrays.radii_mm
    # Grid-bucket neighbour search: O(N) for the few thousand bubbles a sheet has.
    cell = 2 * MAX_BUBBLE_RADIUS_MM + MIN_BUBBLE_GAP_MM
    buckets: dict[tuple[int, int], list[int]] = {}
    for i, (x, y) in enumerate(centers):
        buckets.setdefault((int(x // cell), int(y // cell)), []).append(i)
    for i, (x, y) in enumerate(centers):
        bx, by = int(x // cell), int(y // cell)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for j in buckets.get((bx + dx, by + dy), ()):
                    if j <= i:
                        continue
                    gap = math.hypot(x - centers[j, 0], y - centers[j, 1]) - radii[i] - radii[j]
                    if gap < MIN_BUBBLE_GAP_MM:
                        raise LayoutError(
                            f"bubble overlaps or touches {where[j]} (gap {gap:.2f} mm,"
                            f" need {MIN_BUBBLE_GAP_MM} mm)",
                            field=where[i],
                        )
    for m in layout.marks:
        half = m.size_mm / 2 + MARK_CLEARANCE_MM
        near = (np.abs(centers[:, 0] - m.x_mm) < half + radii) & (
            np.abs(centers[:, 1] - m.y_mm) < half + radii
        )
        if near.any():
            i = int(np.flatnonzero(near)[0])
            raise LayoutError(
                f"bubble within {MARK_CLEARANCE_MM} mm of registration mark {m.id!r}",
                field=where[i],
            )


def _check_prefills(layout: SheetLayout) -> None:
    symbols = {(f.id, s.id): {b.symbol for b in s.bubbles} for f in layout.fields for s in f.slots}
    seen: set[tuple[str, str, str]] = set()
    for p in layout.prefills:
        where = f"{p.field_id}.{p.slot_id}[{p.symbol}]"
        if p.symbol not in symbols.get((p.field_id, p.slot_id), ()):
            raise LayoutError("prefill names a bubble the layout does not have", field=where)
        if (p.field_id, p.slot_id, p.symbol) in seen:
            raise LayoutError("bubble prefilled twice", field=where)
        seen.add((p.field_id, p.slot_id, p.symbol))


def _inside_page(page: Page, x: float, y: float, half: float) -> bool:
    return half <= x <= page.width_mm - half and half <= y <= page.height_mm - half


def _bubble_names(layout: SheetLayout) -> list[str]:
    return [f"{f.id}.{s.id}[{b.symbol}]" for f, s, b in layout.iter_bubbles()]


def _expand(layout: SheetLayout) -> BubbleArrays:
    centers: list[tuple[float, float]] = []
    radii: list[float] = []
    symbols: list[str] = []
    slot_offsets = [0]
    max_marks: list[int] = []
    field_offsets = [0]
    slot_ids: list[str] = []
    for f in layout.fields:
        for s in f.slots:
            for b in s.bubbles:
                centers.append((b.x_mm, b.y_mm))
                radii.append(b.radius_mm)
                symbols.append(b.symbol)
            slot_offsets.append(len(radii))
            max_marks.append(s.max_marks)
            slot_ids.append(f"{f.id}.{s.id}")
        field_offsets.append(len(max_marks))
    arrays = BubbleArrays(
        centers_mm=np.ascontiguousarray(np.array(centers, dtype=np.float64).reshape(-1, 2)),
        radii_mm=np.array(radii, dtype=np.float64),
        slot_offsets=np.array(slot_offsets, dtype=np.int64),
        symbols=np.array(symbols, dtype=np.str_),
        slot_max_marks=np.array(max_marks, dtype=np.int64),
        field_offsets=np.array(field_offsets, dtype=np.int64),
        slot_ids=tuple(slot_ids),
    )
    for a in (arrays.centers_mm, arrays.radii_mm, arrays.slot_offsets, arrays.slot_max_marks):
        a.flags.writeable = False
    return arrays


# -- loading and saving -------------------------------------------------------------------
def bundled_layout_names() -> list[str]:
    """Names accepted by :func:`load_layout` without a path, e.g. ``"ubt-answer"``."""
    names = [
        p.name[: -len(".json")]
        for p in _bundled_dir("sheet_layouts").iterdir()
        if p.name.endswith(".json")
    ]
    names += [
        "calibration/" + p.name[: -len(".json")]
        for p in _bundled_dir("calibration").iterdir()
        if p.name.endswith(".json")
    ]
    return sorted(names)


def _bundled_dir(kind: Literal["sheet_layouts", "calibration"]) -> Path:
    try:
        return Path(str(resources.files(f"omrkit.{kind}")))
    except ModuleNotFoundError:  # running from a source tree without installation
        return Path(__file__).resolve().parents[2] / kind


def load_layout(source: str | Path | SheetLayout) -> SheetLayout:
    """Load a layout from a JSON file or a bundled name.

    Parameters
    ----------
    source : str, Path or SheetLayout
        A bundled name (``"ubt-answer"``, ``"calibration/scanner-check"``), a path
        to a JSON file, or an already loaded layout (returned as is).

    Returns
    -------
    SheetLayout

    Raises
    ------
    LayoutError
        If the file is missing, not JSON, or the layout is invalid; the message
        names the offending field.

    Examples
    --------
    >>> layout = load_layout("ubt-answer")
    >>> layout.layout_id
    'ubt-answer'
    """
    if isinstance(source, SheetLayout):
        return source
    path = Path(source)
    if not path.suffix and not path.exists():
        name = str(source)
        kind: Literal["sheet_layouts", "calibration"] = "sheet_layouts"
        if name.startswith("calibration/"):
            kind, name = "calibration", name.removeprefix("calibration/")
        path = _bundled_dir(kind) / f"{name}.json"
        if not path.exists():
            raise LayoutError(
                f"no bundled layout {source!r}; bundled: {', '.join(bundled_layout_names())}",
                path=str(source),
            )
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LayoutError(f"cannot read layout file ({exc.strerror})", path=path) from exc
    return parse_layout(text, path=path)


def parse_layout(text: str | bytes, *, path: str | Path | None = None) -> SheetLayout:
    """Parse layout JSON; ``LayoutError`` names the first offending field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LayoutError(f"not valid JSON: {exc}", path=path) from exc
    try:
        return SheetLayout.model_validate(data)
    except LayoutError as exc:
        raise LayoutError(exc.message, path=path, field=exc.field) from exc


def _layout_error(exc: ValidationError) -> LayoutError:
    """The first problem of a pydantic error as a LayoutError naming its field."""
    first = exc.errors()[0]
    ctx_err = (first.get("ctx") or {}).get("error")
    if isinstance(ctx_err, LayoutError):
        return LayoutError(ctx_err.message, field=ctx_err.field)
    loc = ".".join(str(p) for p in first["loc"])
    return LayoutError(first["msg"], field=loc or None)


def save_layout(layout: SheetLayout, path: str | Path) -> None:
    """Write ``layout`` as canonical JSON; :func:`load_layout` reads it back unchanged."""
    Path(path).write_text(layout.to_json() + "\n", encoding="utf-8")
