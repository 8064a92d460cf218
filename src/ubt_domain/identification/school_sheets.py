"""What identification needs from a read МАБ or ОЖСБ answer sheet (MAB-S-5, OZH-15).

School sheets (``mab-grade4``, ``mab-grade9``, ``ozhsb-answer``) carry the
student's surname and name in letter grids, gender, the last two digits of
the birth year, a nationality code and the variant (MAB-S-8, OZH-7).
:func:`school_sheet_data` keeps each letter position as read, ``""`` for a
blank position and ``None`` for one that cannot be trusted (several marks,
or a fill in the review band), so matching can count doubtful letters as
possible mis-bubbles instead of guessing them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from omrkit.layout.models import FieldKind
from omrkit.types import FieldReading, SheetReading, SlotState
from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel, Gender

__all__ = [
    "DEFAULT_SCHOOL_SHEET_FIELDS",
    "SchoolSector",
    "SchoolSheetData",
    "SchoolSheetFieldIds",
    "school_sheet_data",
]

BLANK_LETTER = ""


class SchoolSector(StrEnum):
    """A service sector of a school answer sheet."""

    SURNAME = "surname"
    NAME = "name"
    GENDER = "gender"
    BIRTH_YEAR = "birth_year"
    NATIONALITY = "nationality"
    VARIANT = "variant"


class SchoolSheetFieldIds(DomainModel):
    """Layout field id of each service sector of a school answer sheet."""

    malformed_rule: ClassVar[str] = "MAB-S-5"

    surname: str = "surname"
    name: str = "name"
    gender: str = "gender"
    birth_year: str = "birth_year"
    nationality: str = "nationality"
    variant: str = "variant"


DEFAULT_SCHOOL_SHEET_FIELDS = SchoolSheetFieldIds()

_KINDS = {
    SchoolSector.SURNAME: FieldKind.TEXT,
    SchoolSector.NAME: FieldKind.TEXT,
    SchoolSector.GENDER: FieldKind.CHOICE,
    SchoolSector.BIRTH_YEAR: FieldKind.CODE,
    SchoolSector.NATIONALITY: FieldKind.CODE,
    SchoolSector.VARIANT: FieldKind.CODE,
}


class SchoolSheetData(DomainModel):
    """The identification data of one scanned school answer sheet.

    Parameters
    ----------
    sheet_id : str
        Id of the reading.
    surname, name : tuple of (str or None)
        One entry per grid position: the letter, ``""`` for blank, ``None``
        when the position cannot be trusted.
    gender : Gender or None
        ``None`` when not cleanly marked.
    birth_year : str or None
        The last two digits of the birth year (G-10).
    nationality, variant : str or None
        Digit codes; ``None`` when not cleanly readable.
    unsure : tuple of SchoolSector
        Sectors among gender, birth year, nationality and variant that are
        blank, hold several marks or lie in the review band.
    filled : bool
        Anything at all is marked.
    quality_poor : bool
        The engine could not register the sheet well.
    """

    malformed_rule: ClassVar[str] = "MAB-S-5"

    sheet_id: str = Field(min_length=1)
    surname: tuple[str | None, ...]
    name: tuple[str | None, ...]
    gender: Gender | None
    birth_year: str | None = Field(pattern=r"^[0-9]{2}$")
    nationality: str | None = Field(pattern=r"^[0-9]+$")
    variant: str | None = Field(pattern=r"^[0-9]+$")
    unsure: tuple[SchoolSector, ...] = ()
    filled: bool = True
    quality_poor: bool = False


def school_sheet_data(
    reading: SheetReading, *, field_ids: SchoolSheetFieldIds = DEFAULT_SCHOOL_SHEET_FIELDS
) -> SchoolSheetData:
    """Extract the identification data of a МАБ or ОЖСБ answer sheet.

    Implements MAB-S-5, MAB-S-8, OZH-7, OZH-15.

    Parameters
    ----------
    reading : omrkit.SheetReading
        The engine's reading of a school answer sheet.
    field_ids : SchoolSheetFieldIds, optional
        Which layout field holds which sector.

    Returns
    -------
    SchoolSheetData
        Letters per position and the exact-match sectors, with the sectors
        that cannot be trusted listed in ``unsure``.

    Raises
    ------
    DomainError
        (``MAB-S-5``) when a sector's field is missing or of the wrong kind,
        or the gender choice holds a symbol other than ``male``/``female``.
    """
    fields = {
        sector: _field(reading, getattr(field_ids, sector.value), sector) for sector in _KINDS
    }
    exact = (SchoolSector.GENDER, SchoolSector.BIRTH_YEAR, SchoolSector.NATIONALITY)
    unsure = tuple(
        s for s in (*exact, SchoolSector.VARIANT) if _doubtful(fields[s]) or fields[s].value is None
    )
    gender_symbol = None if SchoolSector.GENDER in unsure else fields[SchoolSector.GENDER].value
    return SchoolSheetData(
        sheet_id=reading.sheet_id,
        surname=_letters(fields[SchoolSector.SURNAME]),
        name=_letters(fields[SchoolSector.NAME]),
        gender=_gender(gender_symbol, reading.sheet_id),
        birth_year=_code(fields[SchoolSector.BIRTH_YEAR]),
        nationality=_code(fields[SchoolSector.NATIONALITY]),
        variant=_code(fields[SchoolSector.VARIANT]),
        unsure=unsure,
        filled=any(
            state is not SlotState.BLANK or review
            for field in reading.fields.values()
            for state, review in zip(field.states, field.review, strict=True)
        ),
        quality_poor=reading.quality.poor,
    )


def _field(reading: SheetReading, field_id: str, sector: SchoolSector) -> FieldReading:
    where = f"reading {reading.sheet_id} (layout {reading.layout_id})"
    field = reading.fields.get(field_id)
    if field is None:
        raise DomainError(
            "MAB-S-5", f"{where} has no field {field_id!r} for the {sector.value} sector"
        )
    if field.kind is not _KINDS[sector]:
        raise DomainError(
            "MAB-S-5",
            f"{where}: field {field_id!r} ({sector.value}) is a {field.kind.value} field, "
            f"expected {_KINDS[sector].value}",
        )
    return field


def _doubtful(field: FieldReading) -> bool:
    return field.has_multiple or field.needs_review


def _letters(field: FieldReading) -> tuple[str | None, ...]:
    return tuple(
        None
        if review or state is SlotState.MULTIPLE
        else BLANK_LETTER
        if state is SlotState.BLANK
        else symbol
        for symbol, state, review in zip(field.symbols, field.states, field.review, strict=True)
    )


def _code(field: FieldReading) -> str | None:
    value = field.value
    return None if _doubtful(field) or value is None or not value.isdigit() else value


def _gender(symbol: str | None, sheet_id: str) -> Gender | None:
    if symbol is None:
        return None
    try:
        return Gender(symbol)
    except ValueError:
        raise DomainError(
            "MAB-S-5",
            f"reading {sheet_id}: gender symbol {symbol!r} is neither "
            f"{Gender.MALE.value!r} nor {Gender.FEMALE.value!r}",
        ) from None
