"""ЖСН (ИИН), the individual identification number, and its birth-date fallback.

An ИИН has 12 digits: ``YYMMDD`` (birth date), one digit giving the century of
birth and the gender, four serial digits and a check digit (D-9). Applicants
without an ИИН paint only the birth date ``YYMMDD`` in the first six positions
of sector 5 and leave the rest blank (UNT-FORM-7).

Validation never raises on a wrong number: a wrong ИИН is an expected outcome
(an error-protocol line), reported as :class:`IinCheck` with its problems.
Only input that is not a string at all raises :class:`DomainError`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel, Gender

__all__ = [
    "IIN_DIGITS",
    "IinCheck",
    "IinProblem",
    "birth_date_from_prefix",
    "iin_birth_date",
    "iin_century",
    "iin_check_digit",
    "iin_gender",
    "validate_iin",
]

IIN_DIGITS = 12
DATE_PREFIX_DIGITS = 6
_CHECKED_DIGITS = IIN_DIGITS - 1
_MODULUS = 11
# A weighted sum of 10 cannot be a single check digit: try the second weights.
_NO_DIGIT = 10
_FIRST_WEIGHTS = tuple(range(1, _MODULUS + 1))  # 1..11
_SECOND_WEIGHTS = (*range(3, _MODULUS + 1), 1, 2)  # 3..11, 1, 2
_CENTURY_DIGIT_INDEX = 6
# Digit 7 -> (first year of the century, gender): odd digits are men (D-9).
_CENTURY_GENDER: dict[str, tuple[int, Gender]] = {
    "1": (1800, Gender.MALE),
    "2": (1800, Gender.FEMALE),
    "3": (1900, Gender.MALE),
    "4": (1900, Gender.FEMALE),
    "5": (2000, Gender.MALE),
    "6": (2000, Gender.FEMALE),
}
_YEARS_PER_CENTURY = 100
# The birth-date fallback has no century; a testing applicant is at least
# this old in the exam year (graduates under 16 exist, UNT-FORM-19).
YOUNGEST_APPLICANT_AGE_YEARS = 10


class IinProblem(StrEnum):
    """Why an ИИН is not valid (D-9)."""

    FORMAT = "format"  # not exactly 12 ASCII digits
    DATE = "date"  # digits 1-6 are not a real date
    CENTURY = "century"  # digit 7 is not 1-6
    CHECK_DIGIT = "check_digit"  # digit 12 disagrees with the weighted sums
    GENDER = "gender"  # digit 7's gender disagrees with sector 11


class IinCheck(DomainModel):
    """The outcome of checking one ИИН.

    ``birth_date`` and ``gender`` are filled whenever the digits that carry
    them are readable, even if another part of the number is wrong, so an
    error protocol can say what the number claims.
    """

    malformed_rule: ClassVar[str] = "D-9"

    iin: str
    problems: tuple[IinProblem, ...]
    birth_date: dt.date | None = None
    gender: Gender | None = None
    century: int | None = Field(default=None, description="first year of the birth century")

    @property
    def valid(self) -> bool:
        return not self.problems


def _is_digits(text: str, length: int) -> bool:
    return len(text) == length and all("0" <= c <= "9" for c in text)


def _require_str(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise DomainError("D-9", f"{name} must be a str of digits, got {type(value).__name__}")
    return value


def iin_check_digit(first_digits: str) -> int | None:
    """The check digit for the first 11 digits of an ИИН.

    Implements D-9.

    Parameters
    ----------
    first_digits : str
        Exactly 11 ASCII digits.

    Returns
    -------
    int or None
        0..9, or ``None`` when both weighted sums leave 10 (no valid ИИН
        starts with these digits).

    Notes
    -----
    The sum of digit times weight with weights 1..11 is taken mod 11; a
    remainder of 10 cannot be one digit, so the sum is redone with weights
    3..11, 1, 2. A second 10 means the serial was never issued.

    Examples
    --------
    >>> iin_check_digit("00010150001")
    1
    """
    _require_str(first_digits, "first_digits")
    if not _is_digits(first_digits, _CHECKED_DIGITS):
        raise DomainError("D-9", f"expected {_CHECKED_DIGITS} digits, got {first_digits!r}")
    digits = [int(c) for c in first_digits]
    for weights in (_FIRST_WEIGHTS, _SECOND_WEIGHTS):
        remainder = int(sum(d * w for d, w in zip(digits, weights, strict=True))) % _MODULUS
        if remainder != _NO_DIGIT:
            return remainder
    return None


def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def validate_iin(iin: str, *, gender: Gender | None = None) -> IinCheck:
    """Check an ИИН: format, check digit, birth date, century and gender.

    Implements D-9, UNT-FORM-7.

    Parameters
    ----------
    iin : str
        The number as read (sector 5).
    gender : Gender, optional
        Sector 11 of the same form; when given, digit 7 must agree with it.

    Returns
    -------
    IinCheck
        ``valid`` is true when no problem was found.

    Examples
    --------
    >>> validate_iin("000101500011").valid
    True
    >>> validate_iin("000101500012").problems
    (<IinProblem.CHECK_DIGIT: 'check_digit'>,)
    """
    _require_str(iin, "iin")
    if gender is not None and not isinstance(gender, Gender):
        raise DomainError("D-9", f"gender must be a Gender, got {gender!r}")
    if not _is_digits(iin, IIN_DIGITS):
        return IinCheck(iin=iin, problems=(IinProblem.FORMAT,))
    problems: list[IinProblem] = []
    century_gender = _CENTURY_GENDER.get(iin[_CENTURY_DIGIT_INDEX])
    century, iin_sex = century_gender if century_gender else (None, None)
    if century is None:
        problems.append(IinProblem.CENTURY)
    year_in_century, month, day = int(iin[0:2]), int(iin[2:4]), int(iin[4:6])
    # Without a century, test the date in a leap-year-safe century (2000).
    birth_date = _date_or_none((century or 2000) + year_in_century, month, day)
    if birth_date is None:
        problems.append(IinProblem.DATE)
    if iin_check_digit(iin[:_CHECKED_DIGITS]) != int(iin[-1]):
        problems.append(IinProblem.CHECK_DIGIT)
    if gender is not None and iin_sex is not None and iin_sex != gender:
        problems.append(IinProblem.GENDER)
    return IinCheck(
        iin=iin,
        problems=tuple(problems),
        birth_date=birth_date if century is not None else None,
        gender=iin_sex,
        century=century,
    )


def _valid_or_raise(iin: str) -> IinCheck:
    check = validate_iin(iin)
    if not check.valid:
        reasons = ", ".join(p.value for p in check.problems)
        raise DomainError("D-9", f"ИИН {iin!r} is not valid ({reasons})")
    return check


def iin_birth_date(iin: str) -> dt.date:
    """Birth date carried by a valid ИИН (digits 1-6 and the century of digit 7).

    Implements D-9. Raises :class:`DomainError` for an invalid ИИН.

    Examples
    --------
    >>> iin_birth_date("000101500011")
    datetime.date(2000, 1, 1)
    """
    birth_date = _valid_or_raise(iin).birth_date
    assert birth_date is not None  # a valid ИИН always has one
    return birth_date


def iin_gender(iin: str) -> Gender:
    """Gender carried by digit 7 of a valid ИИН (odd: male, even: female).

    Implements D-9. Raises :class:`DomainError` for an invalid ИИН.
    """
    gender = _valid_or_raise(iin).gender
    assert gender is not None
    return gender


def iin_century(iin: str) -> int:
    """First year of the birth century of a valid ИИН: 1800, 1900 or 2000.

    Implements D-9. Raises :class:`DomainError` for an invalid ИИН.
    """
    century = _valid_or_raise(iin).century
    assert century is not None
    return century


def birth_date_from_prefix(prefix: str, *, exam_year: int) -> dt.date | None:
    """Birth date painted in place of an ИИН (``YYMMDD``), or None if not a date.

    Implements UNT-FORM-7, D-9.

    Parameters
    ----------
    prefix : str
        The six digits of sector 5's first positions.
    exam_year : int
        Year of the testing; fixes the century the six digits leave out.

    Returns
    -------
    datetime.date or None
        The latest date with these digits whose holder is at least
        ``YOUNGEST_APPLICANT_AGE_YEARS`` old in ``exam_year``; ``None`` when
        the digits are not a real date in that year.

    Examples
    --------
    >>> birth_date_from_prefix("010203", exam_year=2017)
    datetime.date(2001, 2, 3)
    >>> birth_date_from_prefix("990203", exam_year=2017)
    datetime.date(1999, 2, 3)
    """
    _require_str(prefix, "prefix")
    if not isinstance(exam_year, int) or exam_year <= dt.MINYEAR + _YEARS_PER_CENTURY:
        raise DomainError("UNT-FORM-7", f"exam_year must be a plausible year, got {exam_year!r}")
    if not _is_digits(prefix, DATE_PREFIX_DIGITS):
        raise DomainError("UNT-FORM-7", f"expected {DATE_PREFIX_DIGITS} digits, got {prefix!r}")
    latest_year = exam_year - YOUNGEST_APPLICANT_AGE_YEARS
    year_in_century = int(prefix[0:2])
    year = latest_year - (latest_year - year_in_century) % _YEARS_PER_CENTURY
    return _date_or_none(year, int(prefix[2:4]), int(prefix[4:6]))
