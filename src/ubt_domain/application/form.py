"""Decoding a scanned ҰБТ application form into an applicant or an error protocol.

Scanning the application forms builds the «Талапкер» database (UNT-GEN-12).
:func:`decode_application` turns one form's :class:`~omrkit.reading.SheetReading`
into exactly one of four outcomes, a tagged union on ``kind``:

- :class:`AcceptedApplication`: every sector read cleanly; the applicant, the
  form's mark («енгізілді» or «өзгертілді») and the names that need a
  change-journal entry (UNT-FORM-5, UNT-FORM-23);
- :class:`FormDeletion`: the «жойылды» circle is painted and the ТЖК reads
  cleanly (UNT-REG-10 step 3);
- :class:`SpoiledForm`: the «бүлінген» circle is painted; the form is filed
  with the deleted and damaged ones (UNT-REG-6);
- :class:`~ubt_domain.error_protocol.ErrorProtocol`: the faults found, by
  sector and code, for the applicant to correct (UNT-FORM-20, UNT-FORM-21).

Nothing is guessed: a position with two marks, a fill near the threshold, a
partial code or a code the directory does not know is an error-protocol line.
A reading that is not an application form at all (missing fields, wrong kinds,
symbols the layout cannot produce) raises :class:`DomainError`.

The per-sector rules live in :mod:`ubt_domain.application.sectors`, where
each sector is printed in :mod:`ubt_domain.application.fields`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import Field

from omrkit.layout.models import FieldKind
from omrkit.types import FieldReading, SheetReading
from ubt_domain.application.applicants import Applicant, Directories, Tzhk
from ubt_domain.application.fields import ROLE_SECTOR, FormFieldIds, FormSymbols
from ubt_domain.application.names import ChangeJournalNotice, PersonName
from ubt_domain.application.protocol import ErrorCode, ErrorProtocol, FormError, FormSector
from ubt_domain.application.sectors import SectorReader
from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel

__all__ = [
    "APPLICATION_LAYOUT_ID",
    "ROLE_KIND",
    "AcceptedApplication",
    "ApplicationResult",
    "FormDeletion",
    "FormMark",
    "SpoiledForm",
    "decode_application",
]

APPLICATION_LAYOUT_ID = "ubt-application"
#: Roles whose fields a form must carry, and the kind each must have.
ROLE_KIND: dict[str, FieldKind] = {
    "surname": FieldKind.TEXT,
    "name": FieldKind.TEXT,
    "patronymic": FieldKind.TEXT,
    "tzhk": FieldKind.CODE,
    "iin": FieldKind.CODE,
    "citizenship": FieldKind.CODE,
    "nationality": FieldKind.CODE,
    "institution_type": FieldKind.CHOICE,
    "region": FieldKind.CODE,
    "institution_code": FieldKind.CODE,
    "gender": FieldKind.CHOICE,
    "exam_language": FieldKind.CHOICE,
    "history_language": FieldKind.CHOICE,
    "changed": FieldKind.CHOICE,
    "deleted": FieldKind.CHOICE,
    "damaged": FieldKind.CHOICE,
}
# What a deletion form must get right: the ТЖК to delete and the marks.
_MARK_SECTORS = frozenset({FormSector.CHANGED, FormSector.DELETED, FormSector.DAMAGED})
_DELETION_SECTORS = _MARK_SECTORS | {FormSector.WHOLE_FORM, FormSector.TZHK}


class FormMark(StrEnum):
    """What the form asks the database to do (UNT-REG-5, UNT-FORM-16)."""

    ENTERED = "entered"  # a new applicant: «енгізілді»
    CHANGED = "changed"  # the «өзгертілді» circle: replace the record (UNT-REG-11)


class AcceptedApplication(DomainModel):
    """A form read cleanly: the applicant and what to do with the record."""

    malformed_rule: ClassVar[str] = "UNT-GEN-12"

    kind: Literal["accepted"] = "accepted"
    applicant: Applicant
    mark: FormMark
    change_journal: tuple[ChangeJournalNotice, ...] = ()


class FormDeletion(DomainModel):
    """A form with the «жойылды» circle: delete ТЖК ``tzhk`` (UNT-REG-10)."""

    malformed_rule: ClassVar[str] = "UNT-REG-10"

    kind: Literal["deletion"] = "deletion"
    sheet_id: str
    tzhk: Tzhk


class SpoiledForm(DomainModel):
    """A form with the «бүлінген» circle: filed with the deleted and damaged forms.

    Nothing changes in the database: the applicant fills a new form.
    """

    malformed_rule: ClassVar[str] = "UNT-REG-6"

    kind: Literal["spoiled"] = "spoiled"
    sheet_id: str
    tzhk: str | None = Field(default=None, description="when sector 4 reads cleanly")


ApplicationResult = Annotated[
    AcceptedApplication | FormDeletion | SpoiledForm | ErrorProtocol, Field(discriminator="kind")
]


def _form_fields(
    reading: SheetReading, field_ids: FormFieldIds, layout_id: str
) -> dict[str, FieldReading]:
    """Role -> field reading; refuses a reading that is not an application form."""
    if reading.layout_id != layout_id:
        raise DomainError(
            "UNT-GEN-12",
            f"sheet {reading.sheet_id} was read with layout {reading.layout_id!r}, "
            f"expected the application form {layout_id!r}",
        )
    fields: dict[str, FieldReading] = {}
    for role, kind in ROLE_KIND.items():
        field_id = getattr(field_ids, role)
        if field_id is None:
            continue
        field = reading.fields.get(field_id)
        if field is None:
            raise DomainError(
                "UNT-GEN-12",
                f"sheet {reading.sheet_id} has no field {field_id!r} (sector "
                f"{int(ROLE_SECTOR[role])}, {role})",
            )
        if field.kind != kind:
            raise DomainError(
                "UNT-GEN-12",
                f"sheet {reading.sheet_id} field {field_id!r} is {field.kind}, expected {kind}",
            )
        lengths = {len(field.symbols), len(field.states), len(field.review)}
        if len(lengths) != 1 or not field.states:
            raise DomainError(
                "UNT-GEN-12",
                f"sheet {reading.sheet_id} field {field_id!r} has inconsistent slot arrays",
            )
        fields[role] = field
    return fields


def _check_arguments(
    reading: object, directories: object, exam_year: object, registered: object
) -> None:
    if not isinstance(reading, SheetReading):
        raise DomainError("UNT-GEN-12", f"reading must be a SheetReading, got {reading!r:.80}")
    if not isinstance(directories, Directories):
        raise DomainError("UNT-FORM-26", "directories must be a Directories model")
    if not isinstance(exam_year, int) or isinstance(exam_year, bool):
        raise DomainError("UNT-FORM-7", f"exam_year must be an int, got {exam_year!r}")
    if not isinstance(registered, Mapping):
        raise DomainError("UNT-FORM-5", "registered must map ТЖК to PersonName")


def decode_application(
    reading: SheetReading,
    directories: Directories,
    *,
    exam_year: int,
    registered: Mapping[str, PersonName] | None = None,
    school_id: str | None = None,
    field_ids: FormFieldIds | None = None,
    symbols: FormSymbols | None = None,
    layout_id: str = APPLICATION_LAYOUT_ID,
) -> AcceptedApplication | FormDeletion | SpoiledForm | ErrorProtocol:
    """Decode one scanned application form.

    Implements UNT-GEN-12, UNT-FORM-4, UNT-FORM-5, UNT-FORM-6, UNT-FORM-7, UNT-FORM-8.
    Implements UNT-FORM-9, UNT-FORM-10, UNT-FORM-11, UNT-FORM-12, UNT-FORM-13.
    Implements UNT-FORM-14, UNT-FORM-15, UNT-FORM-16, UNT-FORM-20, UNT-FORM-21.
    Implements UNT-FORM-23, UNT-FORM-24, UNT-FORM-26, UNT-REG-10, UNT-REG-11, D-1, D-9.

    Parameters
    ----------
    reading : SheetReading
        The engine's reading of the form.
    directories : Directories
        The NTC information directory (sectors 6, 7, 9, 10).
    exam_year : int
        Year of the testing: fixes the century of a birth date painted in
        place of an ИИН (UNT-FORM-7).
    registered : mapping of str to PersonName, optional
        ТЖК to the name typed into the registration journal (UNT-REG-2), in
        its true spelling. When the form's ТЖК is here, the painted name must
        agree with it and the applicant keeps the true spelling (UNT-FORM-5).
    school_id : str, optional
        The school whose forms are being scanned (UNT-FORM-24); defaults to
        the completed institution's code.
    field_ids : FormFieldIds, optional
        Layout field id of each sector; defaults match the bundled layout.
    symbols : FormSymbols, optional
        Bubble symbols of the choice sectors; defaults match the bundled layout.
    layout_id : str
        The layout the form must have been read with.

    Returns
    -------
    AcceptedApplication or FormDeletion or SpoiledForm or ErrorProtocol
        Discriminated by ``kind``.

    Raises
    ------
    DomainError
        The reading is not an application form read with ``layout_id``, or an
        argument has the wrong type.
    """
    registered = {} if registered is None else registered
    _check_arguments(reading, directories, exam_year, registered)
    fields = _form_fields(reading, field_ids or FormFieldIds(), layout_id)
    sectors = SectorReader(fields, symbols or FormSymbols(), directories)
    if reading.quality.poor:
        sectors.error(
            FormSector.WHOLE_FORM,
            ErrorCode.UNCLEAR,
            "registration quality is poor: near-threshold fills cannot be trusted, re-scan",
        )
    changed, deleted, damaged = sectors.marks()
    tzhk = sectors.code("tzhk")
    if damaged:
        return _spoiled(reading.sheet_id, tzhk, sectors.errors)
    if deleted:
        return _deletion(reading.sheet_id, tzhk, sectors.errors)
    values = sectors.applicant_values(
        tzhk, exam_year=exam_year, registered=registered.get(tzhk or "")
    )
    if sectors.errors or values is None:
        return _protocol(reading.sheet_id, tzhk, sectors.errors)
    applicant = Applicant.model_validate(
        {
            **values,
            "tzhk": tzhk,
            "school_id": school_id if school_id is not None else values["institution_code"],
            "sheet_id": reading.sheet_id,
        }
    )
    return AcceptedApplication(
        applicant=applicant,
        mark=FormMark.CHANGED if changed else FormMark.ENTERED,
        change_journal=sectors.notices,
    )


def _protocol(sheet_id: str, tzhk: str | None, errors: list[FormError]) -> ErrorProtocol:
    ordered = tuple(sorted(errors, key=lambda e: (e.sector, e.code)))
    return ErrorProtocol(sheet_id=sheet_id, tzhk=tzhk, errors=ordered)


def _deletion(
    sheet_id: str, tzhk: str | None, errors: list[FormError]
) -> FormDeletion | ErrorProtocol:
    """A deletion needs only a clean ТЖК; faults elsewhere on the form do not matter."""
    relevant = [e for e in errors if e.sector in _DELETION_SECTORS]
    if relevant or tzhk is None:
        return _protocol(sheet_id, tzhk, relevant)
    return FormDeletion(sheet_id=sheet_id, tzhk=tzhk)


def _spoiled(
    sheet_id: str, tzhk: str | None, errors: list[FormError]
) -> SpoiledForm | ErrorProtocol:
    """A spoiled form needs only an unambiguous mark; its ТЖК is kept when readable."""
    relevant = [e for e in errors if e.sector in _MARK_SECTORS | {FormSector.WHOLE_FORM}]
    if relevant:
        return _protocol(sheet_id, tzhk, relevant)
    return SpoiledForm(sheet_id=sheet_id, tzhk=tzhk)
