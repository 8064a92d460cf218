"""Change versus delete (UNT-REG-9, -11) and the change journal (UNT-REG-15, UNT-FORM-5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.ubt_domain.readings import application_reading, sample_applicant, sample_directories
from ubt_domain.application.applicants import Applicant, InstitutionType
from ubt_domain.application.form import AcceptedApplication, FormMark, decode_application
from ubt_domain.application.iin import iin_check_digit
from ubt_domain.application.names import NAME_LETTERS, PersonName
from ubt_domain.errors import DomainError
from ubt_domain.journal.changes import (
    ChangeField,
    ChangeJournalEntry,
    CorrectionKind,
    apply_change_journal,
    change_journal_entries,
    correction_procedure,
    entries_for_names,
)
from ubt_domain.models import ExamLanguage, Gender

BEFORE = sample_applicant(surname="СЕМЕНОВ", name="ӘЛІ", iin=None)
WITH_IIN = BEFORE.model_copy(update={"iin": "000101500011"})


def changed(applicant: Applicant = BEFORE, **update: Any) -> Applicant:
    """A validated copy of ``applicant`` with ``update`` applied."""
    return Applicant.model_validate(applicant.model_dump() | update)


@pytest.mark.parametrize(
    "update",
    [
        {"exam_language": ExamLanguage.RUSSIAN},
        {"tzhk": "042000002"},
        {"exam_language": ExamLanguage.ENGLISH, "history_language": ExamLanguage.RUSSIAN},
        {"exam_language": ExamLanguage.RUSSIAN, "surname": "СЕМЕНОВА"},
    ],
)
def test_unt_reg_9_language_or_tzhk_change_means_delete_and_reenter(update: dict[str, Any]) -> None:
    """A new test language or ТЖК is never a change in place."""
    correction = correction_procedure(BEFORE, changed(**update))
    assert correction.kind == CorrectionKind.DELETE_AND_REENTER
    assert set(correction.fields) == set(update)


@pytest.mark.parametrize(
    "update",
    [
        {"surname": "СЕМЕНОВА", "gender": Gender.FEMALE},
        {"iin": "000101500011"},
        {"birth_date": dt.date(2000, 2, 1)},
        {"citizenship_code": "643", "nationality_code": "001"},
        {"institution_type": InstitutionType.COLLEGE, "institution_code": "010002"},
    ],
)
def test_unt_reg_9_personal_and_education_data_are_changed_by_replacement(
    update: dict[str, Any],
) -> None:
    """Name, gender, ЖСН, birth date, citizenship, nationality, education: a change."""
    correction = correction_procedure(BEFORE, changed(**update))
    assert correction.kind == CorrectionKind.CHANGE
    assert set(correction.fields) == set(update)


def test_unt_reg_9_identical_records_need_no_correction() -> None:
    """The same data twice needs no procedure; a new scan id is not a correction."""
    correction = correction_procedure(BEFORE, changed(sheet_id="another scan"))
    assert correction.kind == CorrectionKind.NONE
    assert correction.fields == ()


def test_unt_reg_9_a_correction_stays_in_its_school() -> None:
    """Moving an applicant to another school's journal is not a correction."""
    with pytest.raises(DomainError) as caught:
        correction_procedure(BEFORE, changed(school_id="S-999"))
    assert caught.value.rule_id == "UNT-REG-9"


def test_unt_reg_11_rescanned_changed_form_replaces_the_record() -> None:
    """A form re-scanned with «өзгертілді» carries the corrected data as a change."""
    reading = application_reading({"changed": "yes", "nationality": "001"})
    result = decode_application(reading, sample_directories(), exam_year=2017)
    assert isinstance(result, AcceptedApplication)
    assert result.mark == FormMark.CHANGED
    before = result.applicant.model_copy(update={"nationality_code": "005"})
    correction = correction_procedure(before, result.applicant)
    assert (correction.kind, correction.fields) == (CorrectionKind.CHANGE, ("nationality_code",))


def test_unt_reg_15_after_closing_errors_go_to_the_change_journal() -> None:
    """Allowed corrections become change-journal lines that the programmer applies."""
    after = changed(surname="СЕМЁНОВ", gender=Gender.FEMALE, birth_date=dt.date(2000, 3, 4))
    entries = change_journal_entries(BEFORE, after, reason="құжат бойынша")
    assert {e.field for e in entries} == {
        ChangeField.SURNAME,
        ChangeField.GENDER,
        ChangeField.BIRTH_DATE,
    }
    by_field = {e.field: e for e in entries}
    assert (
        by_field[ChangeField.BIRTH_DATE].old_value,
        by_field[ChangeField.BIRTH_DATE].new_value,
    ) == (
        "2000-01-01",
        "2000-03-04",
    )
    assert apply_change_journal(BEFORE, entries) == after


@pytest.mark.parametrize(
    "update",
    [
        {"iin": "000101500011"},
        {"exam_language": ExamLanguage.RUSSIAN},
        {"institution_code": "010002", "institution_type": InstitutionType.COLLEGE},
    ],
)
def test_unt_reg_15_other_fields_are_frozen_after_closing(update: dict[str, Any]) -> None:
    """ЖСН (C-21), language and education data cannot be corrected after closing."""
    with pytest.raises(DomainError) as caught:
        change_journal_entries(BEFORE, changed(**update), reason="кеш табылды")
    assert caught.value.rule_id == "UNT-REG-15"


def _iin(birth: dt.date, gender: Gender, *, first_serial: int = 1) -> str:
    """A valid ЖСН for this birth date and gender (first serial with a check digit)."""
    century = {Gender.MALE: "5", Gender.FEMALE: "6"}[gender]
    for serial in range(first_serial, first_serial + 100):
        head = f"{birth:%y%m%d}{century}{serial:04d}"
        digit = iin_check_digit(head)
        if digit is not None:
            return f"{head}{digit}"
    raise AssertionError("no check digit")


def test_d_14_birth_date_and_gender_corrected_with_the_iin_after_closing() -> None:
    """With a ЖСН, a post-closing birth-date or gender correction carries the new ЖСН."""
    before = changed(iin=_iin(dt.date(2000, 1, 1), Gender.MALE))
    after = changed(
        before,
        birth_date=dt.date(2000, 3, 4),
        gender=Gender.FEMALE,
        iin=_iin(dt.date(2000, 3, 4), Gender.FEMALE),
    )
    entries = change_journal_entries(before, after, reason="куәлік бойынша")
    assert {e.field for e in entries} == {
        ChangeField.BIRTH_DATE,
        ChangeField.GENDER,
        ChangeField.IIN,
    }
    assert apply_change_journal(before, entries) == after


def test_d_14_birth_date_correction_must_keep_a_corrected_iin() -> None:
    """Dropping the ЖСН to change what it encodes is refused; a lone ЖСН change stays frozen."""
    before = changed(iin=_iin(dt.date(2000, 1, 1), Gender.MALE))
    without = changed(before, iin=None, birth_date=dt.date(2000, 3, 4))
    with pytest.raises(DomainError, match="corrected ЖСН") as caught:
        change_journal_entries(before, without, reason="r")
    assert caught.value.rule_id == "D-14"
    other = changed(before, iin=_iin(dt.date(2000, 1, 1), Gender.MALE, first_serial=500))
    with pytest.raises(DomainError) as caught:
        change_journal_entries(before, other, reason="r")
    assert caught.value.rule_id == "UNT-REG-15"


def test_unt_reg_15_stale_change_journal_line_is_refused() -> None:
    """A line whose old value is not the record's current value is not applied."""
    stale = ChangeJournalEntry(
        tzhk=BEFORE.tzhk,
        field=ChangeField.SURNAME,
        old_value="ПЕТРОВ",
        new_value="ПЕТРОВА",
        reason="r",
    )
    with pytest.raises(DomainError, match="ПЕТРОВ"):
        apply_change_journal(BEFORE, [stale])


def test_unt_reg_15_change_that_contradicts_the_iin_is_refused() -> None:
    """A gender change the ЖСН contradicts cannot be applied (the ЖСН itself is frozen)."""
    entry = ChangeJournalEntry(
        tzhk=WITH_IIN.tzhk,
        field=ChangeField.GENDER,
        old_value="male",
        new_value="female",
        reason="r",
    )
    with pytest.raises(DomainError) as caught:
        apply_change_journal(WITH_IIN, [entry])
    assert caught.value.rule_id == "UNT-REG-15"


def test_unt_reg_15_lines_of_other_applicants_are_ignored() -> None:
    """Applying the whole change journal to one record uses only its own lines."""
    other = ChangeJournalEntry(
        tzhk="042000002", field=ChangeField.NAME, old_value="АННА", new_value="АНА", reason="r"
    )
    assert apply_change_journal(BEFORE, [other]) == BEFORE


names = st.text(alphabet=sorted(NAME_LETTERS), min_size=1, max_size=12)


@given(
    surname=names,
    name=names,
    patronymic=st.none() | names,
    gender=st.sampled_from(list(Gender)),
    born=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2005, 12, 31)),
    citizenship=st.sampled_from(["398", "643"]),
)
def test_unt_reg_15_entries_applied_to_the_old_record_give_the_new(
    surname: str, name: str, patronymic: str | None, gender: Gender, born: dt.date, citizenship: str
) -> None:
    """Any correction of the allowed fields round-trips through the change journal."""
    after = changed(
        surname=surname,
        name=name,
        patronymic=patronymic,
        gender=gender,
        birth_date=born,
        citizenship_code=citizenship,
    )
    entries = change_journal_entries(BEFORE, after, reason="түзету")
    assert apply_change_journal(BEFORE, entries) == after
    assert len(entries) == len(correction_procedure(BEFORE, after).fields)


def test_unt_form_5_true_spelling_restored_from_change_journal_lines() -> None:
    """Notices of a decoded form become lines that restore «Ё» in the database."""
    reading = application_reading()
    registered = {"042000001": PersonName(surname="СЕМЁНОВ", name="ӘЛІ", patronymic="ҚАЙРАТҰЛЫ")}
    result = decode_application(
        reading, sample_directories(), exam_year=2017, registered=registered
    )
    assert isinstance(result, AcceptedApplication)
    (entry,) = entries_for_names(result.change_journal)
    assert (entry.field, entry.old_value, entry.new_value) == (
        ChangeField.SURNAME,
        "СЕМЕНОВ",
        "СЕМЁНОВ",
    )
    painted = result.applicant.model_copy(update={"surname": "СЕМЕНОВ"})
    assert apply_change_journal(painted, [entry]).surname == "СЕМЁНОВ"
