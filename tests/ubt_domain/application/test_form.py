"""Decoding scanned application forms: sectors 1-16 (UNT-FORM-*), D-1, D-9."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omrkit.layout.models import FieldKind, load_layout
from tests.ubt_domain.readings import (
    APPLICATION_KINDS,
    APPLICATION_POSITIONS,
    MULTIPLE,
    VALID_APPLICATION,
    application_reading,
    field_reading,
    sample_directories,
    sheet_reading,
)
from ubt_domain.application.applicants import InstitutionType
from ubt_domain.application.fields import ROLE_SECTOR, FormFieldIds, FormSymbols
from ubt_domain.application.form import (
    APPLICATION_LAYOUT_ID,
    AcceptedApplication,
    FormDeletion,
    FormMark,
    SpoiledForm,
    decode_application,
)
from ubt_domain.application.names import GRID_ALPHABET, NameIssue, PersonName
from ubt_domain.application.protocol import ErrorCode, ErrorProtocol, FormSector
from ubt_domain.errors import DomainError
from ubt_domain.models import ExamLanguage, Gender

EXAM_YEAR = 2017
DIRECTORIES = sample_directories()
TZHK = VALID_APPLICATION["tzhk"]


Changes = Mapping[str, str | None]


def decode(
    changes: Changes | None = None,
    *,
    registered: Mapping[str, PersonName] | None = None,
    school_id: str | None = None,
    review: dict[str, list[int]] | None = None,
    poor: bool = False,
    layout_id: str = "ubt-application",
) -> AcceptedApplication | FormDeletion | SpoiledForm | ErrorProtocol:
    """Decode ``VALID_APPLICATION`` with ``changes`` applied."""
    reading = application_reading(changes, review=review, poor=poor, layout_id=layout_id)
    return decode_application(
        reading, DIRECTORIES, exam_year=EXAM_YEAR, registered=registered, school_id=school_id
    )


def accepted(changes: Changes | None = None, **options: Any) -> AcceptedApplication:
    """Decode and insist on an accepted form."""
    result = decode(changes, **options)
    assert isinstance(result, AcceptedApplication), getattr(result, "lines", result)
    return result


def protocol(changes: Changes | None = None, **options: Any) -> ErrorProtocol:
    """Decode and insist on an error protocol."""
    result = decode(changes, **options)
    assert isinstance(result, ErrorProtocol), result
    return result


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


# --- sectors 6-10: directory codes ----------------------------------------------------


def test_unt_form_8_unknown_citizenship_code() -> None:
    """A citizenship code missing from the directory is E11."""
    assert protocol({"citizenship": "999"}).lines == ("6/E11",)


def test_unt_form_9_unknown_nationality_code() -> None:
    """A nationality code missing from the directory is E12."""
    assert protocol({"nationality": "777"}).lines == ("7/E12",)


def test_unt_form_10_one_of_three_institution_kinds() -> None:
    """Sector 8 decodes to the kind; blank is E01; a kind the directory contradicts is E16."""
    college = accepted({"institution_type": "college", "institution_code": "010002"})
    assert college.applicant.institution_type == InstitutionType.COLLEGE
    assert protocol({"institution_type": None}).lines == ("8/E01",)
    assert protocol({"institution_type": "college"}).lines == ("8/E16", "10/E16")


def test_unt_form_11_region_is_two_directory_digits() -> None:
    """An unknown region is E13; one the institution is not in is E15 on 9 and 10."""
    assert protocol({"region": "77"}).lines == ("9/E13",)
    assert protocol({"region": "02"}).lines == ("9/E15", "10/E15")
    assert protocol({"region": "0"}).lines == ("9/E04",)


def test_unt_form_12_unknown_institution_code() -> None:
    """An institution code missing from the directory is E14."""
    assert protocol({"institution_code": "999999"}).lines == ("10/E14",)


def test_unt_form_26_codes_come_from_the_directory_passed_in() -> None:
    """The same form is accepted or refused depending only on the directory given."""
    reading = application_reading({"citizenship": "643"})
    assert isinstance(
        decode_application(reading, DIRECTORIES, exam_year=EXAM_YEAR), AcceptedApplication
    )
    narrower = DIRECTORIES.model_copy(update={"citizenships": {"398": "Қазақстан"}})
    result = decode_application(reading, narrower, exam_year=EXAM_YEAR)
    assert isinstance(result, ErrorProtocol)
    assert result.lines == ("6/E11",)


# --- sectors 11-13 ----------------------------------------------------------------------


def test_unt_form_13_gender_circle() -> None:
    """Sector 11 decodes to the gender; blank is E01 (and the ИИН cannot be checked)."""
    assert accepted().applicant.gender == Gender.MALE
    assert protocol({"gender": None}).lines == ("11/E01",)


def test_unt_form_14_exam_language_kazakh_russian_or_english() -> None:
    """Sector 12 decodes to Kazakh, Russian or English (C-13); blank is E01."""
    assert accepted({"exam_language": "ru"}).applicant.exam_language == ExamLanguage.RUSSIAN
    english = accepted({"exam_language": "en", "history_language": "kk"}).applicant
    assert english.exam_language == ExamLanguage.ENGLISH
    assert protocol({"exam_language": None}).lines == ("12/E01",)


def test_unt_form_15_english_track_takes_history_in_kazakh_or_russian() -> None:
    """An English-track form names the History language in sector 13; without it, E01."""
    for symbol, language in (("kk", ExamLanguage.KAZAKH), ("ru", ExamLanguage.RUSSIAN)):
        applicant = accepted({"exam_language": "en", "history_language": symbol}).applicant
        assert applicant.history_language == language
        assert applicant.room_language == language
    assert protocol({"exam_language": "en", "history_language": None}).lines == ("13/E01",)


def test_unt_form_15_sector_13_need_not_equal_sector_12() -> None:
    """Sector 13 is read for the English track only: on a Kazakh form it is no error."""
    applicant = accepted({"history_language": "ru"}).applicant
    assert applicant.exam_language == ExamLanguage.KAZAKH
    assert applicant.history_language is None


# --- sectors 14-16: changed / deleted ----------------------------------------------------


def test_unt_form_16_changed_circle_marks_a_replacement() -> None:
    """A form with «өзгертілді» is accepted as a change of the record."""
    assert accepted({"changed": "yes"}).mark == FormMark.CHANGED
    assert accepted().mark == FormMark.ENTERED


def test_unt_form_16_deleted_circle_deletes_the_tzhk() -> None:
    """A form with «жойылды» asks to delete its ТЖК, whatever else it holds."""
    result = decode({"deleted": "yes", "gender": None, "region": "99"})
    assert isinstance(result, FormDeletion)
    assert result.tzhk == TZHK


def test_unt_form_16_deletion_needs_a_readable_tzhk() -> None:
    """A deletion form whose ТЖК cannot be read lists only that fault."""
    result = protocol({"deleted": "yes", "tzhk": "0420", "gender": None})
    assert result.lines == ("4/E04",)


def test_unt_form_16_changed_and_deleted_together_is_an_error() -> None:
    """Both circles painted is E19 on sectors 14 and 15."""
    assert protocol({"changed": "yes", "deleted": "yes"}).lines == ("14/E19", "15/E19")
    assert protocol({"damaged": "yes", "deleted": "yes"}).lines == ("15/E19", "16/E19")


def test_unt_reg_6_spoiled_form_is_filed_not_entered() -> None:
    """A form with «бүлінген» changes nothing, whatever else it holds."""
    result = decode({"damaged": "yes", "tzhk": "04200", "gender": None})
    assert isinstance(result, SpoiledForm)
    assert result.tzhk is None
    clean = decode({"damaged": "yes"})
    assert isinstance(clean, SpoiledForm)
    assert clean.tzhk == TZHK


def test_unt_form_16_layout_without_sector_16_is_supported() -> None:
    """A layout with no «бүлінген» sector decodes when its field id is set to None."""
    values = {k: v for k, v in VALID_APPLICATION.items() if k != "damaged"}
    result = decode_application(
        sheet_reading(values),
        DIRECTORIES,
        exam_year=EXAM_YEAR,
        field_ids=FormFieldIds(damaged=None),
    )
    assert isinstance(result, AcceptedApplication)


# --- never a guess --------------------------------------------------------------------------

_CODE_ROLES = ["tzhk", "iin", "citizenship", "nationality", "region", "institution_code"]
_NAME_ROLES = ["surname", "name", "patronymic"]
_CHOICE_ROLES = ["gender", "exam_language", "institution_type"]
_MARK_ROLES = ["history_language", "changed", "deleted", "damaged"]


@given(st.sampled_from(_CODE_ROLES + _NAME_ROLES), st.data())
def test_d_1_a_double_mark_anywhere_is_an_error(role: str, data: st.DataObject) -> None:
    """Any position with two marks puts exactly its sector in the protocol with E02."""
    value = VALID_APPLICATION[role] or ""
    position = data.draw(st.integers(min_value=0, max_value=len(value) - 1))
    result = protocol({role: value[:position] + MULTIPLE + value[position + 1 :]})
    doubled = {e.sector for e in result.errors if e.code == ErrorCode.MULTIPLE}
    assert doubled == {ROLE_SECTOR[role]}


@pytest.mark.parametrize("role", _CHOICE_ROLES)
def test_d_1_a_double_mark_in_a_choice_sector_is_an_error(role: str) -> None:
    """A choice sector with two circles is E02, never one of them."""
    result = protocol({role: MULTIPLE})
    assert {e.sector for e in result.errors if e.code == ErrorCode.MULTIPLE} == {ROLE_SECTOR[role]}


@given(st.sampled_from(sorted(VALID_APPLICATION)), st.data())
def test_unt_form_20_fill_near_threshold_is_an_error(role: str, data: st.DataObject) -> None:
    """A position flagged for review is E03 on its sector, never a guessed value."""
    positions = APPLICATION_POSITIONS.get(role, 1)
    position = data.draw(st.integers(min_value=0, max_value=positions - 1))
    result = protocol(review={role: [position]})
    unclear = {e.sector for e in result.errors if e.code == ErrorCode.UNCLEAR}
    assert unclear == {ROLE_SECTOR[role]}


def test_unt_form_20_poor_scan_is_a_whole_form_error() -> None:
    """Registration too poor to trust puts the whole form (sector 0) in the protocol."""
    assert protocol(poor=True).lines == ("0/E03",)


def _damaged_value(role: str) -> st.SearchStrategy[str | None]:
    """Plausible bad or good readings of one sector."""
    if role in _CHOICE_ROLES + _MARK_ROLES:
        return st.sampled_from([None, MULTIPLE, VALID_APPLICATION[role]])
    positions = APPLICATION_POSITIONS[role]
    if role in _NAME_ROLES:
        letters = st.sampled_from(["А", "Ә", "Ь", "-", " ", MULTIPLE])
        return st.lists(letters, max_size=positions).map("".join)
    return st.lists(st.sampled_from([*"0123456789", " ", MULTIPLE]), max_size=positions).map(
        "".join
    )


@given(
    st.sets(st.sampled_from(sorted(VALID_APPLICATION)), max_size=6).flatmap(
        lambda roles: st.fixed_dictionaries({r: _damaged_value(r) for r in roles})
    )
)
def test_unt_form_20_any_damage_gives_a_result_not_a_crash(damage: Changes) -> None:
    """Blanks, double marks and odd digits anywhere always give one of the four outcomes."""
    result = decode(damage)
    assert isinstance(result, AcceptedApplication | FormDeletion | SpoiledForm | ErrorProtocol)
    if isinstance(result, ErrorProtocol):
        assert all(line.count("/") == 1 for line in result.lines)


# --- malformed input ------------------------------------------------------------------------


def test_unt_gen_12_reading_of_another_layout_is_refused() -> None:
    """An answer-sheet reading given as an application form raises DomainError."""
    with pytest.raises(DomainError, match="layout"):
        decode(layout_id="ubt-answer")


def test_unt_gen_12_missing_sector_is_refused() -> None:
    """A reading without a sector's field is malformed input, named by field id."""
    values = {k: v for k, v in VALID_APPLICATION.items() if k != "nationality"}
    with pytest.raises(DomainError, match="nationality"):
        decode_application(sheet_reading(values), DIRECTORIES, exam_year=EXAM_YEAR)


def test_unt_gen_12_field_of_the_wrong_kind_is_refused() -> None:
    """A sector read with another field kind than the form defines is refused."""
    values = {**VALID_APPLICATION, "gender": field_reading("gender", "1", kind=FieldKind.CODE)}
    with pytest.raises(DomainError, match="gender"):
        decode_application(sheet_reading(values), DIRECTORIES, exam_year=EXAM_YEAR)


def test_unt_gen_12_choice_symbol_the_layout_cannot_have_is_refused() -> None:
    """A choice symbol outside the configured symbols raises instead of guessing."""
    with pytest.raises(DomainError, match="symbol"):
        decode({"gender": "Е"})


def test_unt_gen_12_field_ids_and_symbols_are_parameters() -> None:
    """A layout with other field ids and symbols decodes once they are supplied."""
    values = {k: v for k, v in VALID_APPLICATION.items() if k != "gender"} | {"sex": "M"}
    reading = sheet_reading(values, kinds=APPLICATION_KINDS | {"sex": FieldKind.CHOICE})
    symbols = FormSymbols(gender={"M": Gender.MALE, "F": Gender.FEMALE})
    result = decode_application(
        reading,
        DIRECTORIES,
        exam_year=EXAM_YEAR,
        field_ids=FormFieldIds(gender="sex"),
        symbols=symbols,
    )
    assert isinstance(result, AcceptedApplication)
    assert result.applicant.gender == Gender.MALE


def test_unt_form_7_exam_year_must_be_an_int() -> None:
    """The exam year is required data, checked like any argument."""
    with pytest.raises(DomainError) as caught:
        decode_application(application_reading(), DIRECTORIES, exam_year="2017")  # type: ignore[arg-type]
    assert caught.value.rule_id == "UNT-FORM-7"


# --- scanning by school, correction and re-scan -------------------------------------------


def test_unt_form_24_applicant_belongs_to_the_school_being_scanned() -> None:
    """The school of the scanning session is recorded; by default the institution's code."""
    assert accepted(school_id="S-042").applicant.school_id == "S-042"
    assert accepted().applicant.school_id == VALID_APPLICATION["institution_code"]


def test_unt_form_21_corrected_form_is_accepted_on_rescan() -> None:
    """A form listed in the protocol is accepted once the faulty sectors are corrected."""
    faulty = {"gender": "female", "region": "7*"}
    first = protocol(faulty)
    assert first.sectors == (FormSector.IIN, FormSector.REGION, FormSector.GENDER)
    corrected = {**faulty, "gender": "male", "region": "01"}
    assert accepted(corrected).applicant.tzhk == first.tzhk == TZHK


# --- the contract with the bundled layout ----------------------------------------------------


def test_unt_gen_12_defaults_match_the_bundled_application_layout() -> None:
    """Default field ids, kinds, slot counts and choice symbols are those the form prints."""
    layout = load_layout(APPLICATION_LAYOUT_ID)
    fields = {f.id: f for f in layout.fields}
    ids = FormFieldIds()
    symbols = FormSymbols()
    choices = {
        "gender": set(symbols.gender),
        "exam_language": set(symbols.exam_language),
        "history_language": set(symbols.history_language),
        "institution_type": set(symbols.institution_type),
    }
    for role, field_id in ids.model_dump().items():
        field = fields[field_id]
        assert field.kind == APPLICATION_KINDS[role], role
        assert field.sector == int(ROLE_SECTOR[role]), role
        printed = {b.symbol for slot in field.slots for b in slot.bubbles}
        if role in choices:
            assert printed == choices[role], role
        if role in APPLICATION_POSITIONS:
            assert len(field.slots) == APPLICATION_POSITIONS[role], role
        if field.kind == FieldKind.TEXT:
            assert printed == set(GRID_ALPHABET), role
