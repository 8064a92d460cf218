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

import functools
import json
from collections.abc import Iterator
from enum import StrEnum
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, ValidationError, model_validator

from omrkit.errors import LayoutError
from omrkit.layout._checks import (
    MARK_CLEARANCE_MM,
    MAX_BUBBLE_RADIUS_MM,
    MIN_BUBBLE_GAP_MM,
    MIN_BUBBLE_RADIUS_MM,
    BubbleArrays,
    expand_bubbles,
    validate_layout,
)
from omrkit.layout.base import _Frozen, _Identifier, _Mm
from omrkit.layout.codes import BitCode
from omrkit.layout.colour import HEX_COLOUR_PATTERN
from omrkit.layout.targets import PrintedTarget

if TYPE_CHECKING:
    pass

__all__ = [
    "DEFAULT_DROPOUT_COLOR",
    "MARK_CLEARANCE_MM",
    "MAX_BUBBLE_RADIUS_MM",
    "MAX_SYMBOL_CHARS",
    "MIN_BUBBLE_GAP_MM",
    "MIN_BUBBLE_RADIUS_MM",
    "OUTLINE_STROKE_MM",
    "PREFILL_TONE_GREY",
    "BitCode",
    "Bubble",
    "BubbleArrays",
    "FieldKind",
    "LayoutField",
    "Page",
    "Prefill",
    "PrefillTone",
    "PrintedBox",
    "PrintedTarget",
    "PrintedText",
    "RegistrationMark",
    "SheetLayout",
    "Slot",
    "bundled_layout_names",
    "load_layout",
    "parse_layout",
    "save_layout",
]

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


class SheetLayout(_Frozen):
    """A printable, readable sheet: page, registration marks, codes and fields.

    Validation happens on construction and raises :class:`~omrkit.errors.LayoutError`
    naming the offending field: overlapping bubbles, bubbles off the page or
    too close to a registration mark, duplicate ids, empty slots, bubble radii
    in the wrong unit, too few corner marks, a code that does not fit, a
    prefill of a bubble the layout does not have.

    ``prefills`` is empty except on calibration sheets, whose bubbles are
    printed already filled to a known fraction (see :class:`Prefill`), and
    so is ``targets``, their test targets (see :class:`PrintedTarget`).
    """

    layout_id: _Identifier
    layout_code: int = Field(ge=1, description="number printed in the layout-id bit code")
    title: str = ""
    version: int = Field(default=1, ge=1)
    page: Page = Page()
    dropout_color: str = Field(default=DEFAULT_DROPOUT_COLOR, pattern=HEX_COLOUR_PATTERN)
    marks: tuple[RegistrationMark, ...]
    layout_id_code: BitCode
    serial_code: BitCode | None = None
    fields: tuple[LayoutField, ...]
    texts: tuple[PrintedText, ...] = ()
    boxes: tuple[PrintedBox, ...] = ()
    prefills: tuple[Prefill, ...] = ()
    targets: tuple[PrintedTarget, ...] = ()

    def __init__(self, **data: object) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _layout_error(exc) from exc

    @classmethod
    def model_validate(cls, obj: object, **kwargs: object) -> SheetLayout:
        """Validate ``obj``; every failure is a :class:`LayoutError` naming the field."""
        try:
            return super().model_validate(obj, **kwargs)  # type: ignore[arg-type]
        except ValidationError as exc:
            raise _layout_error(exc) from exc

    @model_validator(mode="after")
    def _check_geometry(self) -> SheetLayout:
        validate_layout(self)
        return self

    # -- derived views -----------------------------------------------------------------
    @cached_property
    def bubbles(self) -> BubbleArrays:
        """The layout expanded once into flat arrays (see :class:`BubbleArrays`)."""
        return expand_bubbles(self)

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
        """Canonical JSON (indent 1, fields in declaration order; no ``targets`` when none)."""
        return self.model_dump_json(indent=1, exclude=None if self.targets else {"targets"})


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
        return _bundled_layout(kind, name, str(source))
    return _read_layout(path)


@functools.cache
def _bundled_layout(
    kind: Literal["sheet_layouts", "calibration"], name: str, source: str
) -> SheetLayout:
    """A bundled layout, parsed and validated once a process: the files ship with
    the package and never change under it, and the model is frozen, so every
    caller may share it (validating ubt-application alone takes ~0.3 s)."""
    path = _bundled_dir(kind) / f"{name}.json"
    if not path.exists():
        raise LayoutError(
            f"no bundled layout {source!r}; bundled: {', '.join(bundled_layout_names())}",
            path=source,
        )
    return _read_layout(path)


def _read_layout(path: Path) -> SheetLayout:
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
