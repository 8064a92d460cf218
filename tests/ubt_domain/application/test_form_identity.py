"""Decoding an application form's identity: the clean form and sectors 1-5.

A correctly filled form becomes an applicant and each outcome names its kind;
the letter grids of sectors 1-3 (UNT-FORM-4, -5, -23: surname, name and
patronymic against the change journal), the ТЖК of sector 4 (UNT-FORM-6) and
the ИИН or birth date of sector 5 (UNT-FORM-7, D-9).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.ubt_domain.application.form_decoding import TZHK, accepted, decode, protocol
from tests.ubt_domain.readings import APPLICATION_POSITIONS, VALID_APPLICATION, application_reading
from ubt_domain.application.applicants import InstitutionType
from ubt_domain.application.names import NameIssue, PersonName
from ubt_domain.application.protocol import FormSector
from ubt_domain.errors import DomainError
from ubt_domain.models import ExamLanguage, Gender

# --- a clean form ----------------------------------------------------------------


def test_unt_gen_12_clean_form_becomes_an_applicant() -> None:
    """Every sector of a correctly filled form lands in the applicant record."""
    applicant = accepted().applicant
    assert (applicant.surname, applicant.name, applicant.patronymic) == (
        "СЕМЕНОВ",
        "ӘЛІ",
        "ҚАЙРАТҰЛЫ",
    )
    assert applicant.tzhk == TZHK
    assert applicant.iin == VALID_APPLICATION["iin"]
    assert applicant.birth_date == dt.date(2000, 1, 1)
    assert applicant.gender == Gender.MALE
    assert (applicant.citizenship_code, applicant.nationality_code) == ("398", "005")
    assert applicant.institution_type == InstitutionType.SCHOOL
    assert (applicant.region_code, applicant.institution_code) == ("01", "010001")
    assert applicant.exam_language == ExamLanguage.KAZAKH
    assert applicant.history_language is None
    assert applicant.sheet_id == application_reading().sheet_id


def test_unt_gen_12_result_is_a_tagged_union() -> None:
    """Each outcome names itself in ``kind`` so a stored result can be told apart."""
    assert accepted().kind == "accepted"
    assert protocol({"gender": None}).kind == "errors"
    assert decode({"deleted": "yes"}).kind == "deletion"
    assert decode({"damaged": "yes"}).kind == "spoiled"


# --- sectors 1-3: letter grids -----------------------------------------------------


def test_unt_form_4_letter_grids_hold_surname_name_and_patronymic() -> None:
    """Sectors 1, 2 and 3 are read letter by letter back to text."""
    applicant = accepted({"surname": "ҒАЛЫМЖАНОВА", "name": "ӘЙГЕРІМ", "patronymic": ""}).applicant
    assert applicant.full_name == "ҒАЛЫМЖАНОВА ӘЙГЕРІМ"
    assert applicant.patronymic is None


@pytest.mark.parametrize(("role", "sector"), [("surname", 1), ("name", 2)])
def test_unt_form_4_blank_surname_or_name_is_an_error(role: str, sector: int) -> None:
    """A surname or name grid with no letter is listed as blank (E01)."""
    assert protocol({role: ""}).lines == (f"{sector}/E01",)


def test_unt_form_4_letters_must_start_in_the_first_position() -> None:
    """A grid whose letters begin after a blank column is a layout error (E05)."""
    assert protocol({"name": "  ӘЛІ"}).lines == ("2/E05",)


def test_unt_form_4_hyphen_must_stand_between_letters() -> None:
    """A painted hyphen at the end of a name is a layout error, not a name."""
    assert protocol({"surname": "СЕМЕНОВ-"}).lines == ("1/E05",)


def test_unt_form_5_yo_is_painted_as_ye_and_kept_in_true_spelling() -> None:
    """«Ё» painted as «Е» keeps the journal's true spelling and asks for a change-journal line."""
    result = accepted(
        registered={TZHK: PersonName(surname="СЕМЁНОВ", name="ӘЛІ", patronymic="ҚАЙРАТҰЛЫ")}
    )
    assert result.applicant.surname == "СЕМЁНОВ"
    (notice,) = result.change_journal
    assert (notice.sector, notice.painted, notice.spelling) == (
        FormSector.SURNAME,
        "СЕМЕНОВ",
        "СЕМЁНОВ",
    )
    assert notice.issues == (NameIssue.YO,)


def test_unt_form_5_hard_sign_is_painted_as_soft_sign() -> None:
    """«Ъ» painted as «Ь» is accepted against the true spelling with a HARD_SIGN notice."""
    registered = {TZHK: PersonName(surname="ПОДЪЯЧЕВ", name="ӘЛІ", patronymic="ҚАЙРАТҰЛЫ")}
    result = accepted({"surname": "ПОДЬЯЧЕВ"}, registered=registered)
    assert result.applicant.surname == "ПОДЪЯЧЕВ"
    assert result.change_journal[0].issues == (NameIssue.HARD_SIGN,)


def test_unt_form_5_reading_a_yo_symbol_is_refused() -> None:
    """A grid cannot hold «Ё»; a reading that claims it did is malformed input."""
    with pytest.raises(DomainError) as caught:
        decode({"surname": "СЕМЁНОВ"})
    assert caught.value.rule_id == "UNT-FORM-5"


def test_unt_form_23_space_in_a_name_needs_the_change_journal() -> None:
    """A blank column between letters is a space, read as one and noted."""
    result = accepted({"name": "ӘЛ  ФАРАБИ"})
    assert result.applicant.name == "ӘЛ ФАРАБИ"
    assert result.change_journal[0].issues == (NameIssue.SPACE,)


def test_unt_form_23_hyphen_in_the_true_spelling_needs_the_change_journal() -> None:
    """A hyphenated name painted with a blank column agrees with the journal and is noted."""
    registered = {TZHK: PersonName(surname="СЕМЕНОВ", name="ӘЛ-ФАРАБИ", patronymic="ҚАЙРАТҰЛЫ")}
    result = accepted({"name": "ӘЛ ФАРАБИ"}, registered=registered)
    assert result.applicant.name == "ӘЛ-ФАРАБИ"
    assert set(result.change_journal[0].issues) == {NameIssue.SPACE, NameIssue.HYPHEN}


def test_unt_form_23_name_filling_every_position_may_overflow() -> None:
    """A grid with every position painted is noted as a possible overflow."""
    full = "А" * APPLICATION_POSITIONS["name"]
    assert accepted({"name": full}).change_journal[0].issues == (NameIssue.OVERFLOW,)


def test_unt_form_23_overflowing_true_spelling_matches_its_painted_start() -> None:
    """A name longer than the grid is painted as far as it fits and kept whole."""
    positions = APPLICATION_POSITIONS["surname"]
    long_name = "ШАЙМЕРДЕНҚАРАҚҰЛОВАСЫНДЫҚОВА"
    registered = {TZHK: PersonName(surname=long_name, name="ӘЛІ", patronymic="ҚАЙРАТҰЛЫ")}
    result = accepted({"surname": long_name[:positions]}, registered=registered)
    assert result.applicant.surname == long_name
    assert result.change_journal[0].issues == (NameIssue.OVERFLOW,)


def test_unt_form_23_painted_name_must_agree_with_the_journal() -> None:
    """A grid that spells another name than the journal is an error (E17), not a correction."""
    registered = {TZHK: PersonName(surname="СЕМЕНОВА", name="ӘЛІ", patronymic="ҚАЙРАТҰЛЫ")}
    assert protocol(registered=registered).lines == ("1/E17",)


def test_unt_form_23_blank_patronymic_against_journal_patronymic_is_an_error() -> None:
    """A patronymic in the journal but not on the form is a disagreement (E17)."""
    registered = {TZHK: PersonName(surname="СЕМЕНОВ", name="ӘЛІ", patronymic="ҚАЙРАТҰЛЫ")}
    assert protocol({"patronymic": ""}, registered=registered).lines == ("3/E17",)


# --- sector 4: ТЖК -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tzhk", "line"), [("", "4/E01"), ("04200000", "4/E04"), ("0420*0001", "4/E02")]
)
def test_unt_form_6_tzhk_must_be_fully_painted(tzhk: str, line: str) -> None:
    """Sector 4 blank, partial or double-marked is an error, never a guessed ТЖК."""
    result = protocol({"tzhk": tzhk})
    assert result.lines == (line,)
    assert result.tzhk is None


# --- sector 5: ИИН or birth date ---------------------------------------------------


def test_unt_form_7_birth_date_in_place_of_iin_is_accepted() -> None:
    """Six digits YYMMDD with the rest blank give a birth date and no ИИН."""
    applicant = accepted({"iin": "010203"}).applicant
    assert applicant.iin is None
    assert applicant.birth_date == dt.date(2001, 2, 3)


def test_unt_form_7_birth_date_that_is_not_a_date_is_an_error() -> None:
    """A fallback prefix that is no calendar date is listed as E10."""
    assert protocol({"iin": "011302"}).lines == ("5/E10",)


@pytest.mark.parametrize("iin", ["0001015", "00010150001", "000101 00011"])
def test_unt_form_7_other_partial_iins_are_incomplete(iin: str) -> None:
    """Only the six-digit date prefix may stand alone; other gaps are E04."""
    assert protocol({"iin": iin}).lines == ("5/E04",)


def test_unt_form_7_blank_iin_sector_is_an_error() -> None:
    """Sector 5 must hold an ИИН or at least the birth date."""
    assert protocol({"iin": ""}).lines == ("5/E01",)


def test_d_9_wrong_check_digit_goes_to_the_protocol() -> None:
    """An ИИН with a wrong check digit is listed as 5/E06."""
    assert protocol({"iin": "000101500012"}).lines == ("5/E06",)


def test_d_9_iin_gender_disagreeing_with_sector_11_frames_both_sectors() -> None:
    """Digit 7 against sector 11 is E09 on both sectors 5 and 11."""
    assert protocol({"gender": "female"}).lines == ("5/E09", "11/E09")


def test_d_9_iin_that_is_not_a_date_goes_to_the_protocol() -> None:
    """Digits 1-6 that are no date are E07 (the check digit is recomputed to isolate it)."""
    # 001301 5 0001: weights give 0+0+3+12+0+6+35+0+0+0+11 = 67 = 6*11 + 1.
    assert protocol({"iin": "001301500011"}).lines == ("5/E07",)
