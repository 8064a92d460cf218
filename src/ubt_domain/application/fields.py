"""Where the ҰБТ application form's sectors are printed: layout field ids and symbols.

In: nothing but the defaults of the bundled layout, or a caller's own layout.
Out: which layout field holds each sector (:class:`FormFieldIds`), which
bubble symbol means which value in the choice sectors (:class:`FormSymbols`),
and the sector each role reports its faults under (``ROLE_SECTOR``).
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from ubt_domain.application.applicants import InstitutionType
from ubt_domain.application.protocol import FormSector
from ubt_domain.models import HISTORY_LANGUAGES, DomainModel, ExamLanguage, Gender

__all__ = ["ROLE_SECTOR", "FormFieldIds", "FormSymbols"]

#: The error-protocol sector of each role (a :class:`FormFieldIds` attribute).
ROLE_SECTOR: dict[str, FormSector] = {
    "surname": FormSector.SURNAME,
    "name": FormSector.NAME,
    "patronymic": FormSector.PATRONYMIC,
    "tzhk": FormSector.TZHK,
    "iin": FormSector.IIN,
    "citizenship": FormSector.CITIZENSHIP,
    "nationality": FormSector.NATIONALITY,
    "institution_type": FormSector.INSTITUTION_TYPE,
    "region": FormSector.REGION,
    "institution_code": FormSector.INSTITUTION,
    "gender": FormSector.GENDER,
    "exam_language": FormSector.EXAM_LANGUAGE,
    "history_language": FormSector.HISTORY_LANGUAGE,
    "changed": FormSector.CHANGED,
    "deleted": FormSector.DELETED,
    "damaged": FormSector.DAMAGED,
}


class FormFieldIds(DomainModel):
    """Layout field id of each sector; defaults are the bundled layout's."""

    malformed_rule: ClassVar[str] = "UNT-GEN-12"

    surname: str = "surname"
    name: str = "name"
    patronymic: str = "patronymic"
    tzhk: str = "tzhk"
    iin: str = "iin"
    citizenship: str = "citizenship"
    nationality: str = "nationality"
    institution_type: str = "institution_type"
    region: str = "region"
    institution_code: str = "institution_code"
    gender: str = "gender"
    exam_language: str = "exam_language"
    history_language: str = "history_language"
    changed: str = "changed"
    deleted: str = "deleted"
    damaged: str | None = Field(default="damaged", description="None: the layout has no sector 16")


class FormSymbols(DomainModel):
    """Bubble symbols of the choice sectors; defaults are the bundled layout's."""

    malformed_rule: ClassVar[str] = "UNT-GEN-12"

    gender: dict[str, Gender] = Field(default_factory=lambda: {g.value: g for g in Gender})
    exam_language: dict[str, ExamLanguage] = Field(
        default_factory=lambda: {lang.value: lang for lang in ExamLanguage}
    )
    history_language: dict[str, ExamLanguage] = Field(
        default_factory=lambda: {lang.value: lang for lang in sorted(HISTORY_LANGUAGES)}
    )
    institution_type: dict[str, InstitutionType] = Field(
        default_factory=lambda: {t.value: t for t in InstitutionType}
    )
