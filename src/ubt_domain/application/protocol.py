"""The error protocol («Қателер хаттамасы») of application-form scanning.

A form whose reading cannot be trusted is not guessed at: each fault becomes a
:class:`FormError` (sector, code, message) and the form's
:class:`ErrorProtocol` is listed in the scanning report, the faulty sector in
a bold frame followed by ``/`` and its error codes separated by commas
(UNT-FORM-20). The applicant corrects the pencil marks and the form is
scanned again (UNT-FORM-21).

The sources cite the code tables of appx 29 and 30 without reproducing them,
so :class:`ErrorCode` is this project's table. Codes are stable: a code is
never renumbered or reused, new faults get new numbers.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel

__all__ = [
    "ERROR_CODE_TEXT",
    "SECTOR_TITLE",
    "ErrorCode",
    "ErrorProtocol",
    "FormError",
    "FormSector",
    "protocol_lines",
]


class FormSector(IntEnum):
    """Sectors of the ҰБТ application form (UNT-FORM-3 … UNT-FORM-16).

    ``WHOLE_FORM`` (0) is not printed on the form: it stands for faults of the
    sheet as a whole, such as a scan too poor to trust. Sectors 14-16 hold the
    «өзгертілді» and «жойылды» circles without saying which holds which
    (G-5); as on the bundled form, «өзгертілді» is 14, «жойылды» 15 and
    «бүлінген» (a spoiled form, filed with the deleted ones) 16.
    """

    WHOLE_FORM = 0
    SURNAME = 1
    NAME = 2
    PATRONYMIC = 3
    TZHK = 4
    IIN = 5
    CITIZENSHIP = 6
    NATIONALITY = 7
    INSTITUTION_TYPE = 8
    REGION = 9
    INSTITUTION = 10
    GENDER = 11
    EXAM_LANGUAGE = 12
    HISTORY_LANGUAGE = 13
    CHANGED = 14
    DELETED = 15
    DAMAGED = 16


SECTOR_TITLE: dict[FormSector, str] = {
    FormSector.WHOLE_FORM: "Бланк тұтас",
    FormSector.SURNAME: "Тегі",
    FormSector.NAME: "Аты",
    FormSector.PATRONYMIC: "Әкесінің аты",
    FormSector.TZHK: "ТЖК",
    FormSector.IIN: "ЖСН",
    FormSector.CITIZENSHIP: "Азаматтығы",
    FormSector.NATIONALITY: "Ұлты",
    FormSector.INSTITUTION_TYPE: "Оқу орнының түрі",
    FormSector.REGION: "Облыс",
    FormSector.INSTITUTION: "Оқу орнының коды",
    FormSector.GENDER: "Жынысы",
    FormSector.EXAM_LANGUAGE: "Тест тілі",
    FormSector.HISTORY_LANGUAGE: "Қазақстан тарихы тілі",
    FormSector.CHANGED: "Өзгертілді",
    FormSector.DELETED: "Жойылды",
    FormSector.DAMAGED: "Бүлінген",
}


class ErrorCode(StrEnum):
    """Error codes of the form-scanning error protocol (UNT-FORM-20)."""

    BLANK = "E01"  # a required sector holds no mark
    MULTIPLE = "E02"  # two or more marks in one position (D-1)
    UNCLEAR = "E03"  # a fill near the 50 % threshold, or a scan too poor to trust
    INCOMPLETE = "E04"  # a code sector with some positions left blank
    NAME_LAYOUT = "E05"  # letters start after a blank, or a hyphen not between letters
    IIN_CHECK_DIGIT = "E06"  # D-9 check digit disagrees
    IIN_DATE = "E07"  # ИИН digits 1-6 are not a real date
    IIN_CENTURY = "E08"  # ИИН digit 7 is not 1-6
    IIN_GENDER = "E09"  # ИИН digit 7 disagrees with sector 11
    BIRTH_DATE = "E10"  # the six digits painted instead of an ИИН are not a date
    UNKNOWN_CITIZENSHIP = "E11"
    UNKNOWN_NATIONALITY = "E12"
    UNKNOWN_REGION = "E13"
    UNKNOWN_INSTITUTION = "E14"
    INSTITUTION_REGION = "E15"  # the institution lies in another region than sector 9
    INSTITUTION_TYPE = "E16"  # sector 8 disagrees with the directory's kind
    NAME_JOURNAL = "E17"  # the painted name differs from the registration journal
    HISTORY_LANGUAGE = "E18"  # sector 13 contradicts sector 12
    CONFLICTING_MARKS = "E19"  # two of the «өзгертілді», «жойылды», «бүлінген» circles


ERROR_CODE_TEXT: dict[ErrorCode, str] = {
    ErrorCode.BLANK: "Сектор толтырылмаған",
    ErrorCode.MULTIPLE: "Бір позицияда бірнеше дөңгелекше боялған",
    ErrorCode.UNCLEAR: "Дөңгелекше анық боялмаған (сканер сенімді оқи алмады)",
    ErrorCode.INCOMPLETE: "Код толық толтырылмаған",
    ErrorCode.NAME_LAYOUT: "Әріптер бірінші позициядан басталмаған немесе сызықша орнында емес",
    ErrorCode.IIN_CHECK_DIGIT: "ЖСН бақылау саны сәйкес келмейді",
    ErrorCode.IIN_DATE: "ЖСН-ның алғашқы алты цифры туған күн емес",
    ErrorCode.IIN_CENTURY: "ЖСН-ның жетінші цифры 1–6 аралығында емес",
    ErrorCode.IIN_GENDER: "ЖСН-ның жетінші цифры жынысымен (11-сектор) сәйкес келмейді",
    ErrorCode.BIRTH_DATE: "ЖСН орнына жазылған туған күн (ЖЖААКК) қате",
    ErrorCode.UNKNOWN_CITIZENSHIP: "Азаматтық коды анықтамалықта жоқ",
    ErrorCode.UNKNOWN_NATIONALITY: "Ұлт коды анықтамалықта жоқ",
    ErrorCode.UNKNOWN_REGION: "Облыс коды анықтамалықта жоқ",
    ErrorCode.UNKNOWN_INSTITUTION: "Оқу орнының коды анықтамалықта жоқ",
    ErrorCode.INSTITUTION_REGION: "Оқу орны көрсетілген облысқа жатпайды",
    ErrorCode.INSTITUTION_TYPE: "Оқу орнының түрі анықтамалықпен сәйкес келмейді",
    ErrorCode.NAME_JOURNAL: "Аты-жөні тіркеу журналындағы жазуымен сәйкес келмейді",
    ErrorCode.HISTORY_LANGUAGE: "13-сектор тест тілімен (12-сектор) қайшы келеді",
    ErrorCode.CONFLICTING_MARKS: "«Өзгертілді», «жойылды», «бүлінген» бірнешеуі бірге боялған",
}


class FormError(DomainModel):
    """One fault of a scanned form: where, which code, and what exactly."""

    malformed_rule: ClassVar[str] = "UNT-FORM-20"

    sector: FormSector
    code: ErrorCode
    message: str = Field(min_length=1, description="what was read and what was expected")


class ErrorProtocol(DomainModel):
    """The error protocol of one scanned application form.

    Implements UNT-FORM-20.

    Parameters
    ----------
    sheet_id : str
        The scanned form.
    tzhk : str or None
        ТЖК of the form when sector 4 could be read, so the technical
        secretary can find the applicant.
    errors : tuple of FormError
        At least one; sorted by sector, then code.
    """

    malformed_rule: ClassVar[str] = "UNT-FORM-20"

    kind: Literal["errors"] = "errors"
    sheet_id: str
    tzhk: str | None = None
    errors: tuple[FormError, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _sorted(self) -> ErrorProtocol:
        keys = [(e.sector, e.code) for e in self.errors]
        if keys != sorted(keys):
            raise DomainError("UNT-FORM-20", "errors must be sorted by sector, then code")
        return self

    @property
    def sectors(self) -> tuple[FormSector, ...]:
        """The faulty sectors, ascending: the ones shown in a bold frame."""
        return tuple(sorted({e.sector for e in self.errors}))

    def codes(self, sector: FormSector) -> tuple[ErrorCode, ...]:
        """The distinct codes of one sector, ascending."""
        return tuple(sorted({e.code for e in self.errors if e.sector == sector}))

    @property
    def lines(self) -> tuple[str, ...]:
        """One ``sector/code1,code2`` line per faulty sector (UNT-FORM-20)."""
        return tuple(f"{int(s)}/{','.join(self.codes(s))}" for s in self.sectors)


def protocol_lines(errors: tuple[FormError, ...]) -> tuple[str, ...]:
    """``sector/code1,code2`` lines for a set of errors, sectors ascending.

    Implements UNT-FORM-20.

    Examples
    --------
    >>> errors = (
    ...     FormError(sector=FormSector.IIN, code=ErrorCode.IIN_GENDER, message="digit 7 is 5"),
    ...     FormError(sector=FormSector.IIN, code=ErrorCode.IIN_CHECK_DIGIT, message="12th is 3"),
    ... )
    >>> protocol_lines(errors)
    ('5/E06,E09',)
    """
    ordered = tuple(sorted(errors, key=lambda e: (e.sector, e.code)))
    return ErrorProtocol(sheet_id="-", errors=ordered).lines
