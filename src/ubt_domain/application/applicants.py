"""Applicants of the ҰБТ and the information directory their forms are coded from.

An :class:`Applicant` is one row of the «Талапкер» database: what the scanned
application form (sectors 1-13) says, with the name in its true spelling, plus
the ТЖК the registration journal assigned and the school whose technical
secretary registered the applicant. The :class:`Directories` are the NTC
information directory (UNT-FORM-26) that sectors 6, 7, 9 and 10 are coded from;
they are data passed in, never read from a file here.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, ClassVar, Self

from pydantic import Field, StringConstraints, field_validator, model_validator

from ubt_domain.application.iin import validate_iin
from ubt_domain.application.names import check_spelling
from ubt_domain.errors import DomainError
from ubt_domain.models import HISTORY_LANGUAGES, DomainModel, ExamLanguage, Gender

__all__ = [
    "CITIZENSHIP_DIGITS",
    "INSTITUTION_DIGITS",
    "NATIONALITY_DIGITS",
    "REGION_DIGITS",
    "TZHK_DIGITS",
    "Applicant",
    "CitizenshipCode",
    "Directories",
    "Institution",
    "InstitutionCode",
    "InstitutionType",
    "NationalityCode",
    "RegionCode",
    "Tzhk",
]

# Field lengths the sources leave open are D-13 defaults; the region code's
# two digits are stated (UNT-FORM-11).
TZHK_DIGITS = 9
CITIZENSHIP_DIGITS = 3
NATIONALITY_DIGITS = 3
REGION_DIGITS = 2
INSTITUTION_DIGITS = 6


Tzhk = Annotated[str, StringConstraints(pattern=rf"^[0-9]{{{TZHK_DIGITS}}}$")]
CitizenshipCode = Annotated[str, StringConstraints(pattern=rf"^[0-9]{{{CITIZENSHIP_DIGITS}}}$")]
NationalityCode = Annotated[str, StringConstraints(pattern=rf"^[0-9]{{{NATIONALITY_DIGITS}}}$")]
RegionCode = Annotated[str, StringConstraints(pattern=rf"^[0-9]{{{REGION_DIGITS}}}$")]
InstitutionCode = Annotated[str, StringConstraints(pattern=rf"^[0-9]{{{INSTITUTION_DIGITS}}}$")]


class InstitutionType(StrEnum):
    """Sector 8: the kind of institution the applicant completed (UNT-FORM-10)."""

    SCHOOL = "school"  # жалпы білім беретін мектеп
    VOCATIONAL = "vocational"  # кәсіптік мектеп (лицей)
    COLLEGE = "college"  # колледж


class Applicant(DomainModel):
    """One applicant of the «Талапкер» database.

    Implements UNT-GEN-6, UNT-FORM-18, D-13.

    Parameters
    ----------
    tzhk : str
        Personal code from the registration journal (sector 4), 9 digits (D-13).
    surname, name : str
        True spelling as in the identity document (UNT-FORM-18): capital
        letters, possibly with «Ё», «Ъ», a space or a hyphen.
    patronymic : str or None
        True spelling, or ``None`` for an applicant without one.
    iin : str or None
        ЖСН (sector 5); ``None`` for an applicant without one (UNT-FORM-7).
    birth_date : datetime.date
        From the ИИН, or from the six digits painted in its place.
    gender : Gender
        Sector 11.
    citizenship_code, nationality_code : str
        Sectors 6 and 7, directory codes (3 digits, D-13).
    institution_type : InstitutionType
        Sector 8.
    region_code : str
        Sector 9, two digits.
    institution_code : str
        Sector 10, directory code (6 digits, D-13).
    exam_language : ExamLanguage
        Sector 12.
    history_language : ExamLanguage or None
        Sector 13: the language (Kazakh or Russian) of the History of
        Kazakhstan test, required for an English-track applicant and only
        for one (UNT-FORM-15, C-13); ``None`` means the exam language.
    special_needs : bool
        Sits in a room set apart (UNT-ROOM-19); not on the form.
    school_id : str
        The school whose technical secretary registered the applicant (its
        registration journal); forms are scanned grouped by it (UNT-FORM-24).
    sheet_id : str or None
        The scanned form this record was decoded from, for audit.
    """

    malformed_rule: ClassVar[str] = "UNT-GEN-6"

    tzhk: Tzhk
    surname: str
    name: str
    patronymic: str | None = None
    iin: str | None = None
    birth_date: dt.date
    gender: Gender
    citizenship_code: CitizenshipCode
    nationality_code: NationalityCode
    institution_type: InstitutionType
    region_code: RegionCode
    institution_code: InstitutionCode
    exam_language: ExamLanguage
    history_language: ExamLanguage | None = None
    special_needs: bool = False
    school_id: str = Field(min_length=1)
    sheet_id: str | None = None

    @field_validator("surname", "name", "patronymic")
    @classmethod
    def _true_spelling(cls, value: str | None) -> str | None:
        return None if value is None else check_spelling(value, what="name part")

    @model_validator(mode="after")
    def _history_language(self) -> Self:
        # Implements UNT-FORM-15: only the English track chooses, and only
        # between Kazakh and Russian.
        english = self.exam_language is ExamLanguage.ENGLISH
        if english and self.history_language not in HISTORY_LANGUAGES:
            raise DomainError(
                "UNT-FORM-15",
                f"ТЖК {self.tzhk}: an English-track applicant takes History of Kazakhstan "
                f"in Kazakh or Russian (sector 13), got {self.history_language}",
            )
        if not english and self.history_language is not None:
            raise DomainError(
                "UNT-FORM-15",
                f"ТЖК {self.tzhk}: sector 13 applies to the English track only",
            )
        return self

    @property
    def room_language(self) -> ExamLanguage:
        """The language status of the room the applicant sits in (C-13, UNT-ROOM-3)."""
        if self.exam_language is ExamLanguage.ENGLISH and self.history_language is not None:
            return self.history_language
        return self.exam_language

    @model_validator(mode="after")
    def _iin_agrees(self) -> Self:
        if self.iin is None:
            return self
        check = validate_iin(self.iin, gender=self.gender)
        if not check.valid:
            problems = ", ".join(p.value for p in check.problems)
            raise DomainError(
                "D-9", f"ИИН {self.iin!r} of ТЖК {self.tzhk} is not valid: {problems}"
            )
        if check.birth_date != self.birth_date:
            raise DomainError(
                "D-9",
                f"birth_date {self.birth_date} disagrees with ИИН {self.iin!r} "
                f"({check.birth_date})",
            )
        return self

    @property
    def full_name(self) -> str:
        """«Аты-жөні»: surname, name and patronymic (UNT-GEN-6)."""
        return " ".join(p for p in (self.surname, self.name, self.patronymic) if p)


class Institution(DomainModel):
    """One completed-institution entry of the information directory (UNT-FORM-26)."""

    malformed_rule: ClassVar[str] = "UNT-FORM-26"

    code: InstitutionCode
    name: str = Field(min_length=1)
    kind: InstitutionType
    region_code: RegionCode
    district: str | None = Field(default=None, description="implied by the institution code")


class Directories(DomainModel):
    """The NTC information directory the form sectors are coded from.

    Implements UNT-FORM-26.

    Parameters
    ----------
    citizenships : dict of str to str
        Sector 6 codes to country names.
    nationalities : dict of str to str
        Sector 7 codes to nationality names.
    regions : dict of str to str
        Sector 9 codes to region (oblast) names.
    institutions : dict of str to Institution
        Sector 10 codes to institutions; each names its region, which must be
        one of ``regions``.
    """

    malformed_rule: ClassVar[str] = "UNT-FORM-26"

    citizenships: dict[CitizenshipCode, str]
    nationalities: dict[NationalityCode, str]
    regions: dict[RegionCode, str]
    institutions: dict[InstitutionCode, Institution]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        for code, institution in self.institutions.items():
            if institution.code != code:
                raise DomainError(
                    "UNT-FORM-26", f"institution listed under {code} has code {institution.code}"
                )
            if institution.region_code not in self.regions:
                raise DomainError(
                    "UNT-FORM-26",
                    f"institution {code} names region {institution.region_code}, "
                    "which the directory does not list",
                )
        return self
