"""Build ``omrkit`` sheet readings by hand, for domain tests.

Domain tests never scan a sheet: they state what the engine read. A field's
value is written as a string, one character per slot position:

- a symbol (digit, letter) is a slot with that one mark;
- ``BLANK`` (a space) is a slot with no mark;
- ``MULTIPLE`` (``*``) is a slot with more marks than it accepts.

``choice`` fields take one symbol, ``None`` (blank) or ``MULTIPLE``;
``answers`` fields take a sequence with one entry per question. Review flags
(fills near the 50 % threshold) are given per position.

>>> reading = sheet_reading({"tzhk": "123456789", "gender": "M"})
>>> reading.field("tzhk").value
'123456789'
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from omrkit.layout.models import FieldKind
from omrkit.sheet_layouts.application import APPLICATION_DIGITS, APPLICATION_LETTERS
from omrkit.types import FieldReading, RegistrationQuality, SheetReading, SlotState
from ubt_domain.application.applicants import Applicant, Directories, Institution, InstitutionType
from ubt_domain.application.form import ROLE_KIND
from ubt_domain.models import ExamLanguage, Gender

__all__ = [
    "APPLICATION_KINDS",
    "APPLICATION_POSITIONS",
    "BLANK",
    "MULTIPLE",
    "VALID_APPLICATION",
    "applicant_fields",
    "application_reading",
    "field_reading",
    "sample_applicant",
    "sample_directories",
    "sheet_reading",
]

BLANK = " "
MULTIPLE = "*"

# Field kinds and slot counts of the bundled ``ubt-application`` layout, whose
# field ids are the role names (the ``FormFieldIds`` defaults): the kinds the
# decoder requires, the slot counts the layout is designed with.
APPLICATION_KINDS: dict[str, FieldKind] = dict(ROLE_KIND)
APPLICATION_POSITIONS: dict[str, int] = {**APPLICATION_LETTERS, **APPLICATION_DIGITS}

_GOOD_QUALITY = RegistrationQuality(residual_px=0.4, skew_deg=0.2, scale=7.87, upside_down=False)
_POOR_QUALITY = RegistrationQuality(
    residual_px=4.0, skew_deg=2.5, scale=7.87, upside_down=False, poor=True
)


def _slot(entry: str | None) -> tuple[str | None, SlotState]:
    if entry is None or entry == BLANK:
        return None, SlotState.BLANK
    if entry == MULTIPLE:
        return None, SlotState.MULTIPLE
    return entry, SlotState.MARKED


def _field_value(
    kind: FieldKind, symbols: Sequence[str | None], states: Sequence[SlotState]
) -> str | None:
    """The decoded value exactly as ``FieldReading`` documents it."""
    if kind == FieldKind.CODE:
        if all(s == SlotState.MARKED for s in states):
            return "".join(s or "" for s in symbols)
        return None
    if kind == FieldKind.TEXT:
        if SlotState.MULTIPLE in states:
            return None
        return "".join(s or BLANK for s in symbols).rstrip(BLANK)
    if kind == FieldKind.CHOICE:
        return symbols[0] if symbols else None
    return None


def field_reading(
    field_id: str,
    value: str | Sequence[str | None] | None,
    *,
    kind: FieldKind,
    positions: int | None = None,
    review: Collection[int] = (),
) -> FieldReading:
    """One field as the engine would report it.

    Parameters
    ----------
    field_id : str
        The layout field id.
    value : str, sequence of str or None, or None
        See the module docstring.
    kind : FieldKind
        How the field decodes.
    positions : int, optional
        Slot count of ``code``/``text`` fields; ``value`` is padded with blanks.
    review : collection of int
        Zero-based positions whose fill was near the threshold.
    """
    if kind == FieldKind.CHOICE:
        if not (value is None or isinstance(value, str)):
            raise TypeError(f"choice field {field_id!r} takes one symbol or None")
        entries: list[str | None] = [value]
    elif kind == FieldKind.ANSWERS:
        if isinstance(value, str) or value is None:
            raise TypeError(f"answers field {field_id!r} takes a sequence")
        entries = list(value)
    else:
        if not isinstance(value, str):
            raise TypeError(f"{kind} field {field_id!r} takes a string")
        length = positions if positions is not None else len(value)
        if len(value) > length:
            raise ValueError(f"{field_id!r}: {len(value)} characters for {length} positions")
        entries = list(value.ljust(length, BLANK))
    pairs = [_slot(entry) for entry in entries]
    symbols = tuple(symbol for symbol, _ in pairs)
    states = tuple(state for _, state in pairs)
    flags = tuple(i in review for i in range(len(entries)))
    return FieldReading(
        field_id=field_id,
        kind=kind,
        value=_field_value(kind, symbols, states),
        symbols=symbols,
        states=states,
        review=flags,
    )


def sheet_reading(
    values: Mapping[str, FieldReading | str | Sequence[str | None] | None],
    *,
    layout_id: str = "ubt-application",
    kinds: Mapping[str, FieldKind] | None = None,
    positions: Mapping[str, int] | None = None,
    review: Mapping[str, Collection[int]] | None = None,
    serial: int | None = None,
    poor: bool = False,
    sheet_id: str | None = None,
) -> SheetReading:
    """A whole sheet reading from field values.

    Parameters
    ----------
    values : mapping of str to value
        Field id to a value (see :func:`field_reading`) or a ready
        :class:`FieldReading`.
    layout_id : str
        The layout the sheet was read with.
    kinds, positions : mapping, optional
        Field kinds and slot counts; default to the bundled application
        form's (``APPLICATION_KINDS``, ``APPLICATION_POSITIONS``).
    review : mapping of str to collection of int, optional
        Per field, the positions flagged for review.
    serial : int, optional
        Printed sheet serial.
    poor : bool
        Registration quality too low to trust near-threshold fills.
    sheet_id : str, optional
        Defaults to a hash of the field values, so distinct sheets differ.
    """
    kinds = APPLICATION_KINDS if kinds is None else kinds
    positions = APPLICATION_POSITIONS if positions is None else positions
    review = review or {}
    fields: dict[str, FieldReading] = {}
    for field_id, value in values.items():
        if isinstance(value, FieldReading):
            fields[field_id] = value
            continue
        if field_id not in kinds:
            raise KeyError(f"no kind known for field {field_id!r}: pass kinds=")
        fields[field_id] = field_reading(
            field_id,
            value,
            kind=kinds[field_id],
            positions=positions.get(field_id),
            review=review.get(field_id, ()),
        )
    digest = hashlib.sha256(repr(sorted(values.items(), key=lambda kv: kv[0])).encode())
    return SheetReading(
        sheet_id=sheet_id if sheet_id is not None else digest.hexdigest(),
        layout_id=layout_id,
        serial=serial,
        quality=_POOR_QUALITY if poor else _GOOD_QUALITY,
        fill_ratios=(),
        fields=fields,
    )


# --- A clean application form and the directory it is coded from ---------------

#: Field values of a correctly filled ``ubt-application`` form (ИИН worked by
#: hand: 2000-01-01, male, check digit 1).
VALID_APPLICATION: dict[str, str | None] = {
    "surname": "СЕМЕНОВ",
    "name": "ӘЛІ",
    "patronymic": "ҚАЙРАТҰЛЫ",
    "tzhk": "042000001",
    "iin": "000101500011",
    "citizenship": "398",
    "nationality": "005",
    "institution_type": "school",
    "region": "01",
    "institution_code": "010001",
    "gender": "male",
    "exam_language": "kk",
    "history_language": None,
    "changed": None,
    "deleted": None,
    "damaged": None,
}


def sample_directories() -> Directories:
    """A small information directory that codes ``VALID_APPLICATION``."""
    return Directories(
        citizenships={"398": "Қазақстан", "643": "Ресей"},
        nationalities={"005": "қазақ", "001": "орыс"},
        regions={"01": "Ақмола облысы", "02": "Ақтөбе облысы"},
        institutions={
            "010001": Institution(
                code="010001", name="№1 орта мектеп", kind=InstitutionType.SCHOOL, region_code="01"
            ),
            "010002": Institution(
                code="010002",
                name="Көкшетау колледжі",
                kind=InstitutionType.COLLEGE,
                region_code="01",
            ),
            "020001": Institution(
                code="020001", name="№7 орта мектеп", kind=InstitutionType.SCHOOL, region_code="02"
            ),
        },
    )


def application_reading(
    changes: Mapping[str, str | None] | None = None, **options: Any
) -> SheetReading:
    """``VALID_APPLICATION`` with ``changes`` applied, as a sheet reading."""
    return sheet_reading({**VALID_APPLICATION, **(changes or {})}, **options)


def applicant_fields(**changes: Any) -> dict[str, Any]:
    """Fields of a valid applicant (ИИН worked by hand: 2000-01-01, male), with changes."""
    fields: dict[str, Any] = {
        "tzhk": "042000001",
        "surname": "СЕМЁНОВ",
        "name": "ӘЛ-ФАРАБИ",
        "patronymic": None,
        "iin": "000101500011",
        "birth_date": dt.date(2000, 1, 1),
        "gender": Gender.MALE,
        "citizenship_code": "398",
        "nationality_code": "005",
        "institution_type": InstitutionType.SCHOOL,
        "region_code": "01",
        "institution_code": "010001",
        "exam_language": ExamLanguage.KAZAKH,
        "school_id": "S-042",
    }
    return fields | changes


def sample_applicant(**changes: Any) -> Applicant:
    """A «Талапкер» record built from :func:`applicant_fields` with ``changes``."""
    return Applicant(**applicant_fields(**changes))
