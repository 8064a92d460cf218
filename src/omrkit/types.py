"""What reading one sheet produces: :class:`SheetReading` and its parts.

The models are the contract the domain layer (``ubt_domain``) consumes; the
per-sheet flow that fills them is :mod:`omrkit.read.sheet`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field

from omrkit.layout.base import _Frozen
from omrkit.layout.models import FieldKind

__all__ = [
    "FieldReading",
    "InkReport",
    "RegistrationQuality",
    "SheetReading",
    "SlotState",
]


class SlotState(StrEnum):
    """What a slot holds after the 50 % rule (UNT-SCORE-1, D-1)."""

    BLANK = "blank"  # no bubble reaches 0.50
    MARKED = "marked"  # between 1 and max_marks bubbles reach 0.50
    MULTIPLE = "multiple"  # more marks than the slot accepts: no answer, never credited


class RegistrationQuality(_Frozen):
    """How well the printed sheet was found in the image."""

    residual_px: float = Field(ge=0, description="RMS distance of marks from the fitted transform")
    skew_deg: float = Field(description="rotation of the page in the image, degrees")
    scale: float = Field(gt=0, description="image pixels per layout millimetre")
    upside_down: bool = Field(description="the sheet was fed turned by 180 degrees")
    poor: bool = Field(default=False, description="quality too low to trust near-threshold fills")


class InkReport(_Frozen):
    """How the examinee's ink stood out from the paper on one sheet.

    One entry per ink cluster (one, or two where a sheet mixes pressures),
    lightest first; empty when the sheet had no marks to measure them by.
    ``separation`` is the gap between the ink and paper modes in units of
    their summed spreads (scanner noise, graphite grain).
    """

    paper_grey: float = Field(description="grey level of the paper inside the bubbles")
    ink_grey: tuple[float, ...] = Field(default=(), description="grey level of each ink cluster")
    ink_darkness: tuple[float, ...] = Field(
        default=(), description="share of the paper-to-black range each cluster removes"
    )
    separation: tuple[float, ...] = Field(
        default=(), description="ink-to-paper gap of each cluster, in noise units"
    )
    faint: bool = Field(default=False, description="the sheet's marks cannot be read reliably")
    reason: str | None = Field(default=None, description="why, for an operator")


class FieldReading(_Frozen):
    """One decoded field.

    ``symbols[i]`` is the symbol(s) marked in slot ``i``: a single symbol for a
    marked one-mark slot, ``None`` for blank or multiple (D-1); slots accepting
    several marks give the marked symbols joined in layout order. ``value`` is
    the decoded field:

    - ``answers``: ``None`` (use ``symbols``)
    - ``code``: the digit string when every position holds exactly one digit, else ``None``
    - ``text``: the letters with blank positions as spaces, trailing blanks
      stripped; ``None`` if any position is ``multiple``
    - ``choice``: the chosen symbol, or ``None``
    """

    field_id: str
    kind: FieldKind
    value: str | None
    symbols: tuple[str | None, ...]
    states: tuple[SlotState, ...]
    review: tuple[bool, ...]

    @property
    def needs_review(self) -> bool:
        return any(self.review)

    @property
    def has_multiple(self) -> bool:
        return SlotState.MULTIPLE in self.states


class SheetReading(_Frozen):
    """Everything read from one sheet.

    ``fill_ratios`` is aligned with ``layout.bubbles``: entry ``i`` is the
    fraction (0..1) of bubble ``i``'s inner area that is inked.
    """

    sheet_id: str = Field(description="sha256 of the input bytes (or pixels), hex")
    source: str | None = Field(default=None, description="path the sheet was read from")
    page: int = 0
    layout_id: str
    serial: int | None = Field(
        default=None, description="printed sheet serial, if the layout has one"
    )
    quality: RegistrationQuality
    homography: tuple[float, ...] = Field(
        default=(),
        description="layout mm -> image px transform, 9 floats row-major (audit, overlays)",
    )
    fill_ratios: tuple[float, ...]
    fields: dict[str, FieldReading]
    flags: tuple[str, ...] = ()
    ink: InkReport | None = Field(default=None, description="the examinee's ink on this sheet")
    timings_ms: dict[str, float] = Field(default_factory=dict)
    profile_hash: str | None = Field(
        default=None, description="sha256 of the scanner profile the sheet was read with"
    )

    @property
    def needs_review(self) -> bool:
        faint = self.ink is not None and self.ink.faint
        return any(f.needs_review for f in self.fields.values()) or self.quality.poor or faint

    def field(self, field_id: str) -> FieldReading:
        return self.fields[field_id]

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python form (JSON-serialisable)."""
        return self.model_dump(mode="json")

    def to_row(self) -> dict[str, Any]:
        """Flat row for a polars frame: identity, quality, flags, fill ratios, one column per field.

        An ``answers`` field becomes a list of symbols (None for blank or
        multiple); other fields their decoded value.
        """
        row: dict[str, Any] = {
            "source": self.source,
            "page": self.page,
            "sheet_id": self.sheet_id,
            "layout_id": self.layout_id,
            "serial": self.serial,
            "needs_review": self.needs_review,
            "residual_px": self.quality.residual_px,
            "skew_deg": self.quality.skew_deg,
            "upside_down": self.quality.upside_down,
            "flags": list(self.flags),
            "fill_ratios": list(self.fill_ratios),
            "paper_grey": None if self.ink is None else self.ink.paper_grey,
            "ink_grey": None if self.ink is None else list(self.ink.ink_grey),
            "ink_separation": None if self.ink is None else list(self.ink.separation),
            "ink_faint": None if self.ink is None else self.ink.faint,
            "review_reason": None if self.ink is None else self.ink.reason,
        }
        for field_id, f in self.fields.items():
            row[field_id] = list(f.symbols) if f.kind is FieldKind.ANSWERS else f.value
        return row
