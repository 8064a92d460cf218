"""Sector-by-sector rules of the ҰБТ application form (sectors 1-15).

:class:`SectorReader` holds one form's field readings while
:func:`ubt_domain.application_form.decode_application` asks it for each
sector's value; every fault it meets becomes a :class:`FormError` instead of a
value, so one pass collects the whole error protocol. Its state lives only for
that one call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import TypeVar

from omrkit.types import FieldReading, SlotState
from ubt_domain.application.applicants import Directories, InstitutionType
from ubt_domain.application.fields import ROLE_SECTOR, FormSymbols
from ubt_domain.application.iin import (
    DATE_PREFIX_DIGITS,
    IinProblem,
    birth_date_from_prefix,
    validate_iin,
)
from ubt_domain.application.names import (
    ChangeJournalNotice,
    GridName,
    NameIssue,
    PersonName,
    check_spelling,
    grid_key,
    read_letter_grid,
    spelling_issues,
)
from ubt_domain.application.protocol import ErrorCode, FormError, FormSector
from ubt_domain.errors import DomainError
from ubt_domain.models import ExamLanguage, Gender

__all__ = ["SectorReader"]

_T = TypeVar("_T")

_NAME_ROLES = ("surname", "name", "patronymic")
_IIN_PROBLEM_CODE = {
    IinProblem.CHECK_DIGIT: ErrorCode.IIN_CHECK_DIGIT,
    IinProblem.DATE: ErrorCode.IIN_DATE,
    IinProblem.CENTURY: ErrorCode.IIN_CENTURY,
    IinProblem.GENDER: ErrorCode.IIN_GENDER,
}
_DIGITS = frozenset("0123456789")
# Applicant fields a form must supply; patronymic, ИИН (UNT-FORM-7) and the
# History language (UNT-FORM-15) may be absent.
_REQUIRED_VALUES = (
    "surname",
    "name",
    "birth_date",
    "gender",
    "institution_type",
    "citizenship_code",
    "nationality_code",
    "region_code",
    "institution_code",
    "exam_language",
)


class SectorReader:
    """Reads the sectors of one form, collecting faults instead of raising.

    Parameters
    ----------
    fields : mapping of str to FieldReading
        Role (a :class:`FormFieldIds` attribute name) to the field read.
    symbols : FormSymbols
        Choice symbols of the layout.
    directories : Directories
        The information directory (UNT-FORM-26).
    """

    def __init__(
        self, fields: Mapping[str, FieldReading], symbols: FormSymbols, directories: Directories
    ) -> None:
        self.errors: list[FormError] = []
        self.notices: tuple[ChangeJournalNotice, ...] = ()
        self._symbols = symbols
        self._directories = directories
        self._fields = dict(fields)
        self._usable = {role: f for role, f in fields.items() if self._readable(role, f)}

    def error(self, sector: FormSector, code: ErrorCode, message: str) -> None:
        """Record one fault."""
        self.errors.append(FormError(sector=sector, code=code, message=message))

    def _readable(self, role: str, field: FieldReading) -> bool:
        """Multiple marks and near-threshold fills are faults, never guesses (D-1)."""
        sector = ROLE_SECTOR[role]
        multiple = [i + 1 for i, s in enumerate(field.states) if s == SlotState.MULTIPLE]
        unclear = [i + 1 for i, flag in enumerate(field.review) if flag]
        if multiple:
            self.error(sector, ErrorCode.MULTIPLE, f"two or more marks in positions {multiple}")
        if unclear:
            self.error(sector, ErrorCode.UNCLEAR, f"fill near 50 % in positions {unclear}")
        return not multiple and not unclear

    def _has_errors(self, sector: FormSector) -> bool:
        return any(e.sector == sector for e in self.errors)

    def marks(self) -> tuple[bool, bool, bool]:
        """Sectors 14-16: (changed, deleted, damaged); two at once is a fault.

        Implements UNT-FORM-16, UNT-REG-6.
        """
        painted = {
            role: self._choice_symbol(role) is not None
            for role in ("changed", "deleted", "damaged")
        }
        if sum(painted.values()) > 1:
            for role in (r for r, on in painted.items() if on):
                self.error(
                    ROLE_SECTOR[role], ErrorCode.CONFLICTING_MARKS, "another mark is also painted"
                )
        return painted["changed"], painted["deleted"], painted["damaged"]

    def _choice_symbol(self, role: str) -> str | None:
        field = self._usable.get(role)
        if field is None or field.states[0] != SlotState.MARKED:
            return None
        return field.symbols[0]

    def choice(self, role: str, options: Mapping[str, _T], *, required: bool = True) -> _T | None:
        """One circle of a choice sector, mapped to its value."""
        if role not in self._usable:
            return None
        symbol = self._choice_symbol(role)
        if symbol is None:
            if required:
                self.error(ROLE_SECTOR[role], ErrorCode.BLANK, "no circle is painted")
            return None
        if symbol not in options:
            raise DomainError(
                "UNT-GEN-12",
                f"field {self._fields[role].field_id!r} holds symbol {symbol!r}; "
                f"the layout's symbols are {sorted(options)}",
            )
        return options[symbol]

    def _digits(self, role: str) -> list[str | None] | None:
        """Per-position digits of a code sector (None = blank); None if unreadable."""
        field = self._usable.get(role)
        if field is None:
            return None
        digits = [
            s if st == SlotState.MARKED else None
            for s, st in zip(field.symbols, field.states, strict=True)
        ]
        bad = sorted({d for d in digits if d is not None and d not in _DIGITS})
        if bad:
            raise DomainError(
                "UNT-GEN-12", f"code field {field.field_id!r} holds non-digit symbols {bad}"
            )
        return digits

    def code(self, role: str) -> str | None:
        """A code sector with every position painted once; blank or partial is a fault."""
        digits = self._digits(role)
        if digits is None:
            return None
        sector = ROLE_SECTOR[role]
        blanks = [i + 1 for i, d in enumerate(digits) if d is None]
        if len(blanks) == len(digits):
            self.error(sector, ErrorCode.BLANK, "no digit is painted")
            return None
        if blanks:
            self.error(sector, ErrorCode.INCOMPLETE, f"positions {blanks} are blank")
            return None
        return "".join(d or "" for d in digits)

    def identity(
        self, gender: Gender | None, *, exam_year: int
    ) -> tuple[str | None, dt.date | None]:
        """Sector 5: (ИИН, birth date), or the birth-date fallback (None, date).

        Implements UNT-FORM-7, D-9.
        """
        digits = self._digits("iin")
        if digits is None:
            return None, None
        painted = [i for i, d in enumerate(digits) if d is not None]
        if painted == list(range(DATE_PREFIX_DIGITS)):
            prefix = "".join(d or "" for d in digits[:DATE_PREFIX_DIGITS])
            birth_date = birth_date_from_prefix(prefix, exam_year=exam_year)
            if birth_date is None:
                self.error(FormSector.IIN, ErrorCode.BIRTH_DATE, f"{prefix} is not a YYMMDD date")
            return None, birth_date
        iin = self.code("iin")
        if iin is None:
            return None, None
        check = validate_iin(iin, gender=gender)
        for problem in check.problems:
            code = _IIN_PROBLEM_CODE[problem]
            self.error(FormSector.IIN, code, f"ИИН {iin}: {problem.value}")
            if problem == IinProblem.GENDER:
                self.error(FormSector.GENDER, code, f"sector 11 disagrees with ИИН {iin}")
        return (iin, check.birth_date) if check.valid else (None, None)

    def names(self, tzhk: str | None, registered: PersonName | None) -> dict[str, str | None]:
        """Sectors 1-3 in true spelling, with change-journal notices.

        Implements UNT-FORM-4, UNT-FORM-5, UNT-FORM-23.
        """
        spelled: dict[str, str | None] = {}
        notices: list[ChangeJournalNotice] = []
        for role in _NAME_ROLES:
            if role not in self._usable:
                continue
            grid = read_letter_grid(self._usable[role])
            truth = getattr(registered, role) if registered is not None else None
            spelled[role] = self._name(role, grid, truth)
            if grid is None or spelled[role] is None:
                continue
            issues = set(grid.issues)
            if truth is not None:
                issues |= set(spelling_issues(truth, positions=grid.positions))
            if issues:
                notices.append(
                    ChangeJournalNotice(
                        tzhk=tzhk or "",
                        sector=ROLE_SECTOR[role],
                        painted=grid.text,
                        spelling=truth,
                        issues=tuple(i for i in NameIssue if i in issues),
                    )
                )
        self.notices = tuple(notices)
        return spelled

    def _name(self, role: str, grid: GridName | None, truth: str | None) -> str | None:
        sector = ROLE_SECTOR[role]
        if grid is None:
            if role != "patronymic":
                self.error(sector, ErrorCode.BLANK, "no letter is painted")
            elif truth is not None:
                self.error(sector, ErrorCode.NAME_JOURNAL, f"blank, the journal has {truth!r}")
            return None
        if grid.leading_blank:
            self.error(sector, ErrorCode.NAME_LAYOUT, "letters do not start in the first position")
            return None
        try:
            check_spelling(grid.text, what=role)
        except DomainError:
            self.error(sector, ErrorCode.NAME_LAYOUT, f"{grid.text!r}: hyphen not between letters")
            return None
        if truth is None:
            return grid.text
        # A name longer than the grid is painted as far as it fits (UNT-FORM-23).
        expected = truth[: grid.positions] if grid.full else truth
        if grid_key(expected) != grid_key(grid.text):
            self.error(
                sector, ErrorCode.NAME_JOURNAL, f"painted {grid.text!r}, journal has {truth!r}"
            )
            return None
        return truth

    def directory_codes(self, institution_type: InstitutionType | None) -> dict[str, str | None]:
        """Sectors 6, 7, 9, 10 checked against the directory. Implements UNT-FORM-26."""
        directory = self._directories
        lookups: dict[str, tuple[Collection[str], ErrorCode]] = {
            "citizenship": (directory.citizenships.keys(), ErrorCode.UNKNOWN_CITIZENSHIP),
            "nationality": (directory.nationalities.keys(), ErrorCode.UNKNOWN_NATIONALITY),
            "region": (directory.regions.keys(), ErrorCode.UNKNOWN_REGION),
            "institution_code": (directory.institutions.keys(), ErrorCode.UNKNOWN_INSTITUTION),
        }
        codes: dict[str, str | None] = {}
        for role, (known, unknown) in lookups.items():
            code = self.code(role)
            if code is not None and code not in known:
                self.error(ROLE_SECTOR[role], unknown, f"code {code} is not in the directory")
                code = None
            codes[role] = code
        institution = directory.institutions.get(codes["institution_code"] or "")
        if institution is not None and codes["region"] not in (None, institution.region_code):
            for sector in (FormSector.REGION, FormSector.INSTITUTION):
                self.error(
                    sector,
                    ErrorCode.INSTITUTION_REGION,
                    f"institution {institution.code} is in region {institution.region_code}, "
                    f"sector 9 says {codes['region']}",
                )
        if institution is not None and institution_type not in (None, institution.kind):
            for sector in (FormSector.INSTITUTION_TYPE, FormSector.INSTITUTION):
                self.error(
                    sector,
                    ErrorCode.INSTITUTION_TYPE,
                    f"institution {institution.code} is a {institution.kind.value}, "
                    f"sector 8 says {institution_type}",
                )
        return codes

    def languages(self) -> tuple[ExamLanguage | None, ExamLanguage | None]:
        """Sectors 12 and 13. Implements UNT-FORM-14, UNT-FORM-15.

        Sector 13 is read for the English track only (§94(11), C-13), where it
        is required: the History of Kazakhstan test is in Kazakh or Russian.
        On a Kazakh or Russian form the History test is in the test language
        whatever sector 13 holds, so the sector is not read there.
        """
        exam = self.choice("exam_language", self._symbols.exam_language)
        if exam is not ExamLanguage.ENGLISH:
            return exam, None
        history = self.choice("history_language", self._symbols.history_language)
        return exam, history

    def applicant_values(
        self, tzhk: str | None, *, exam_year: int, registered: PersonName | None
    ) -> dict[str, object] | None:
        """Every applicant field from sectors 1-13, or None when any is missing."""
        gender = self.choice("gender", self._symbols.gender)
        kind = self.choice("institution_type", self._symbols.institution_type)
        iin, birth_date = self.identity(gender, exam_year=exam_year)
        names = self.names(tzhk, registered)
        codes = self.directory_codes(kind)
        exam, history = self.languages()
        values: dict[str, object | None] = {
            **names,
            "iin": iin,
            "birth_date": birth_date,
            "gender": gender,
            "institution_type": kind,
            "citizenship_code": codes["citizenship"],
            "nationality_code": codes["nationality"],
            "region_code": codes["region"],
            "institution_code": codes["institution_code"],
            "exam_language": exam,
            "history_language": history,
        }
        if any(values.get(role) is None for role in _REQUIRED_VALUES):
            return None
        return {k: v for k, v in values.items() if v is not None}
