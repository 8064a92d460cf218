"""ИИН validation (D-9) and the birth-date fallback of sector 5 (UNT-FORM-7)."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ubt_domain.application.iin import (
    IinProblem,
    birth_date_from_prefix,
    iin_birth_date,
    iin_century,
    iin_check_digit,
    iin_gender,
    validate_iin,
)
from ubt_domain.errors import DomainError
from ubt_domain.models import Gender

# Worked by hand: weights 1..11 give 0+0+0+4+0+6+35+0+0+0+11 = 56 = 5*11 + 1.
VALID_2000_MALE = "000101500011"
# Worked by hand: weights 1..11 give 109 = 9*11 + 10, so weights 3..11,1,2
# are used: 158 = 14*11 + 4.
VALID_SECOND_WEIGHTS = "950615300104"
# Both weighted sums leave 10: no check digit exists for these 11 digits.
NO_CHECK_DIGIT_PREFIX = "95061530013"


def _reference_check_digit(first_digits: str) -> int | None:
    """Independent check digit: weights built by modular arithmetic, not tables."""
    values = [int(c) for c in first_digits]
    for shift in (0, 2):
        weights = [(i + shift) % 11 + 1 for i in range(11)]
        total = 0
        for value, weight in zip(values, weights, strict=True):
            total += value * weight
        if total % 11 < 10:
            return total % 11
    return None


def _reference_problems(iin: str, gender: Gender | None) -> set[IinProblem]:
    """Independent validity check: calendar arithmetic instead of datetime."""
    if len(iin) != 12 or not iin.isascii() or not iin.isdigit():
        return {IinProblem.FORMAT}
    problems = set()
    digit7 = int(iin[6])
    if not 1 <= digit7 <= 6:
        problems.add(IinProblem.CENTURY)
    year = 1800 + 100 * ((digit7 - 1) // 2) + int(iin[:2]) if 1 <= digit7 <= 6 else 2000
    month, day = int(iin[2:4]), int(iin[4:6])
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
        problems.add(IinProblem.DATE)
    if _reference_check_digit(iin[:11]) != int(iin[11]):
        problems.add(IinProblem.CHECK_DIGIT)
    if gender is not None and 1 <= digit7 <= 6:
        is_male = digit7 % 2 == 1
        if is_male != (gender == Gender.MALE):
            problems.add(IinProblem.GENDER)
    return problems


@st.composite
def valid_iins(draw: st.DrawFn) -> tuple[str, dt.date, Gender]:
    """A well-formed ИИН with its birth date and gender."""
    born = draw(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2099, 12, 31)))
    gender = draw(st.sampled_from(list(Gender)))
    digit7 = (born.year // 100 - 18) * 2 + (1 if gender == Gender.MALE else 2)
    serial = draw(st.integers(min_value=0, max_value=9999))
    first = f"{born:%y%m%d}{digit7}{serial:04d}"
    check = _reference_check_digit(first)
    assume(check is not None)
    return f"{first}{check}", born, gender


def test_d_9_check_digit_with_first_weights() -> None:
    """A hand-computed ИИН whose first weighted sum gives the check digit is valid."""
    assert iin_check_digit(VALID_2000_MALE[:11]) == 1
    assert validate_iin(VALID_2000_MALE).valid


def test_d_9_check_digit_falls_back_to_second_weights() -> None:
    """When weights 1..11 leave 10, weights 3..11,1,2 give the check digit."""
    assert iin_check_digit(VALID_SECOND_WEIGHTS[:11]) == 4
    assert validate_iin(VALID_SECOND_WEIGHTS).valid


def test_d_9_number_is_invalid_when_both_sums_leave_ten() -> None:
    """No last digit makes a number valid whose two weighted sums both leave 10."""
    assert iin_check_digit(NO_CHECK_DIGIT_PREFIX) is None
    for last in "0123456789":
        assert IinProblem.CHECK_DIGIT in validate_iin(NO_CHECK_DIGIT_PREFIX + last).problems


def test_d_9_wrong_check_digit_is_reported() -> None:
    """Changing the last digit of a valid ИИН makes only the check digit wrong."""
    assert validate_iin(VALID_2000_MALE[:11] + "2").problems == (IinProblem.CHECK_DIGIT,)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.sampled_from([None, *Gender]))
def test_d_9_agrees_with_independent_implementation(iin: str, gender: Gender | None) -> None:
    """On random 12-digit strings the verdict matches an independently written check."""
    assert set(validate_iin(iin, gender=gender).problems) == _reference_problems(iin, gender)


@given(valid_iins())
def test_d_9_generated_valid_iins_pass_with_their_date_and_gender(
    case: tuple[str, dt.date, Gender],
) -> None:
    """Every ИИН built from a date, gender and serial validates and gives them back."""
    iin, born, gender = case
    check = validate_iin(iin, gender=gender)
    assert check.valid
    assert (iin_birth_date(iin), iin_gender(iin)) == (born, gender)
    assert iin_century(iin) == born.year // 100 * 100


@given(st.text(max_size=20))
def test_d_9_any_text_gets_a_verdict_not_a_crash(text: str) -> None:
    """Arbitrary text is judged (format problem or not), never raises."""
    check = validate_iin(text)
    assert check.valid == (_reference_problems(text, None) == set())


@pytest.mark.parametrize(
    ("digit7", "century", "gender"),
    [
        ("1", 1800, Gender.MALE),
        ("2", 1800, Gender.FEMALE),
        ("3", 1900, Gender.MALE),
        ("4", 1900, Gender.FEMALE),
        ("5", 2000, Gender.MALE),
        ("6", 2000, Gender.FEMALE),
    ],
)
def test_d_9_digit_7_gives_century_and_gender(digit7: str, century: int, gender: Gender) -> None:
    """Digit 7 is 1/2 for the 1800s, 3/4 for the 1900s, 5/6 for the 2000s; odd is male."""
    first = f"050505{digit7}0001"
    check_digit = _reference_check_digit(first)
    assert check_digit is not None
    check = validate_iin(first + str(check_digit))
    assert (check.century, check.gender) == (century, gender)
    assert check.birth_date == dt.date(century + 5, 5, 5)


@pytest.mark.parametrize("digit7", ["0", "7", "8", "9"])
def test_d_9_digit_7_outside_1_to_6_is_invalid(digit7: str) -> None:
    """A seventh digit that names no century makes the ИИН invalid."""
    first = f"050505{digit7}0001"
    check_digit = _reference_check_digit(first)
    assert check_digit is not None
    assert validate_iin(first + str(check_digit)).problems == (IinProblem.CENTURY,)


def test_d_9_feb_29_depends_on_the_century_of_digit_7() -> None:
    """29 Feb '00 is a date in 2000 (digit 7 = 5) but not in 1900 (digit 7 = 3)."""
    for digit7, real in (("5", True), ("3", False)):
        first = f"000229{digit7}0001"
        check_digit = _reference_check_digit(first)
        assert check_digit is not None
        problems = validate_iin(first + str(check_digit)).problems
        assert (IinProblem.DATE not in problems) == real


def test_d_9_gender_must_agree_with_sector_11() -> None:
    """A male ИИН checked against a female sector 11 reports the disagreement."""
    assert validate_iin(VALID_2000_MALE, gender=Gender.FEMALE).problems == (IinProblem.GENDER,)
    assert validate_iin(VALID_2000_MALE, gender=Gender.MALE).valid


@pytest.mark.parametrize(
    "text", ["", "00010150001", "0001015000111", "00010150001X", "０００１０１５０００１１"]
)
def test_d_9_wrong_length_or_non_digits_is_a_format_problem(text: str) -> None:
    """Anything but exactly twelve ASCII digits is a format problem, not an exception."""
    assert validate_iin(text).problems == (IinProblem.FORMAT,)


@pytest.mark.parametrize("value", [None, 12345678901, b"000101500011"])
def test_d_9_non_string_is_refused(value: object) -> None:
    """Passing something that is not text raises DomainError naming D-9."""
    with pytest.raises(DomainError) as caught:
        validate_iin(value)  # type: ignore[arg-type]
    assert caught.value.rule_id == "D-9"


def test_d_9_accessors_refuse_an_invalid_iin() -> None:
    """Birth date, gender and century are only read from a valid ИИН."""
    for accessor in (iin_birth_date, iin_gender, iin_century):
        with pytest.raises(DomainError, match="not valid"):
            accessor(VALID_2000_MALE[:11] + "9")


def test_d_9_check_digit_needs_eleven_digits() -> None:
    """The check-digit helper refuses input of the wrong length."""
    with pytest.raises(DomainError):
        iin_check_digit("123")


def test_unt_form_7_birth_date_prefix_takes_century_from_exam_year() -> None:
    """YYMMDD without an ИИН resolves to the latest plausible century for the exam year."""
    assert birth_date_from_prefix("010203", exam_year=2017) == dt.date(2001, 2, 3)
    assert birth_date_from_prefix("990203", exam_year=2017) == dt.date(1999, 2, 3)
    assert birth_date_from_prefix("150203", exam_year=2030) == dt.date(2015, 2, 3)


@given(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2010, 12, 31)))
def test_unt_form_7_birth_date_prefix_round_trips(born: dt.date) -> None:
    """A real birth date written as YYMMDD comes back for an applicant aged 10 to 99."""
    exam_year = born.year + 17
    assert birth_date_from_prefix(f"{born:%y%m%d}", exam_year=exam_year) == born


def test_unt_form_7_birth_date_prefix_that_is_no_date_gives_none() -> None:
    """Digits that are not a calendar date are an expected outcome, not an error."""
    assert birth_date_from_prefix("011332", exam_year=2017) is None


@pytest.mark.parametrize("prefix", ["01020", "0102034", "01O203"])
def test_unt_form_7_malformed_prefix_is_refused(prefix: str) -> None:
    """A prefix that is not six digits raises DomainError naming UNT-FORM-7."""
    with pytest.raises(DomainError) as caught:
        birth_date_from_prefix(prefix, exam_year=2017)
    assert caught.value.rule_id == "UNT-FORM-7"
