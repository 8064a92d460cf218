"""The Applicant record and the information directory, and FORM/REG rule coverage."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from tests.ubt_domain.readings import applicant_fields, sample_directories
from ubt_domain.application.applicants import Applicant, Directories, Institution, InstitutionType
from ubt_domain.errors import DomainError
from ubt_domain.models import ExamLanguage, Gender


def test_unt_gen_6_applicant_holds_the_application_data() -> None:
    """Name, institution, language and ИИН are kept, the full name in «Аты-жөні» order."""
    applicant = Applicant(**applicant_fields(patronymic="ҚАЙРАТҰЛЫ"))
    assert applicant.full_name == "СЕМЁНОВ ӘЛ-ФАРАБИ ҚАЙРАТҰЛЫ"
    assert applicant.exam_language == ExamLanguage.KAZAKH
    assert not applicant.special_needs


def test_unt_gen_6_applicant_is_frozen() -> None:
    """An applicant record cannot be edited in place; a change is a new record."""
    applicant = Applicant(**applicant_fields())
    with pytest.raises(ValidationError):
        applicant.surname = "СЕМЕНОВ"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tzhk", "42000001"),
        ("tzhk", "0420000010"),
        ("citizenship_code", "39"),
        ("nationality_code", "0005"),
        ("region_code", "1"),
        ("institution_code", "01000"),
        ("surname", "Семёнов"),
        ("school_id", ""),
    ],
)
def test_d_13_field_lengths_are_enforced(field: str, value: str) -> None:
    """ТЖК 9, citizenship and nationality 3, region 2, institution 6 digits; names in capitals."""
    with pytest.raises(DomainError, match=field) as info:
        Applicant(**applicant_fields(**{field: value}))
    assert info.value.rule_id in {"UNT-GEN-6", "UNT-FORM-18"}


def test_d_9_applicant_iin_must_be_valid() -> None:
    """An applicant cannot carry an ИИН with a wrong check digit."""
    with pytest.raises(DomainError, match="not valid") as info:
        Applicant(**applicant_fields(iin="000101500012"))
    assert info.value.rule_id == "D-9"


def test_d_9_applicant_iin_must_agree_with_gender_and_birth_date() -> None:
    """Digit 7 and digits 1-6 must agree with the recorded gender and birth date."""
    for changes in ({"gender": Gender.FEMALE}, {"birth_date": dt.date(2000, 1, 2)}):
        with pytest.raises(DomainError) as info:
            Applicant(**applicant_fields(**changes))
        assert info.value.rule_id == "D-9"


def test_unt_form_7_applicant_without_iin_keeps_the_birth_date() -> None:
    """Without an ИИН the record rests on the birth date alone."""
    applicant = Applicant(**applicant_fields(iin=None, birth_date=dt.date(2001, 2, 3)))
    assert applicant.iin is None
    assert applicant.birth_date == dt.date(2001, 2, 3)


def test_unt_form_26_directory_codes_and_regions_must_be_consistent() -> None:
    """An institution listed under another code, or in an unlisted region, is refused."""
    school = Institution(code="010001", name="№1", kind=InstitutionType.SCHOOL, region_code="01")
    for regions, institutions in (
        ({"01": "А"}, {"010002": school}),
        ({"02": "Б"}, {"010001": school}),
    ):
        with pytest.raises(DomainError, match="institution") as info:
            Directories(
                citizenships={}, nationalities={}, regions=regions, institutions=institutions
            )
        assert info.value.rule_id == "UNT-FORM-26"


def test_unt_form_26_directory_codes_have_the_sector_lengths() -> None:
    """Directory keys follow the sector lengths (D-13, UNT-FORM-11)."""
    with pytest.raises(DomainError, match="citizenships") as info:
        Directories(citizenships={"39": "x"}, nationalities={}, regions={}, institutions={})
    assert info.value.rule_id == "UNT-FORM-26"
    assert set(sample_directories().regions) == {"01", "02"}
