"""Decoding an application form's codes and circles: sectors 6-16.

Directory codes of sectors 6-10 checked against the directories passed in
(UNT-FORM-8 to -12, -26), the gender and language circles of sectors 11-13
(UNT-FORM-13 to -15), and the changed, deleted and spoiled circles of sectors
14-16 (UNT-FORM-16, UNT-REG-6).
"""

from __future__ import annotations

from tests.ubt_domain.application.form_decoding import (
    DIRECTORIES,
    EXAM_YEAR,
    TZHK,
    accepted,
    decode,
    protocol,
)
from tests.ubt_domain.readings import VALID_APPLICATION, application_reading, sheet_reading
from ubt_domain.application.applicants import InstitutionType
from ubt_domain.application.fields import FormFieldIds
from ubt_domain.application.form import (
    AcceptedApplication,
    FormDeletion,
    FormMark,
    SpoiledForm,
    decode_application,
)
from ubt_domain.application.protocol import ErrorProtocol
from ubt_domain.models import ExamLanguage, Gender

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
