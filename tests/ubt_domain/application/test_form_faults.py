"""Faulty application forms and readings: never a guess, and the form's contract.

Double marks, fills near the threshold, poor scans and arbitrary damage give an
error protocol or another outcome, never a guessed value nor a crash (D-1,
UNT-FORM-20); malformed readings are refused (UNT-GEN-12); the scanning
school, correction and re-scan (UNT-FORM-24, -21); and the default field ids
and symbols against the bundled application layout.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omrkit.layout.models import FieldKind, load_layout
from tests.ubt_domain.application.form_decoding import (
    DIRECTORIES,
    EXAM_YEAR,
    TZHK,
    Changes,
    accepted,
    decode,
    protocol,
)
from tests.ubt_domain.readings import (
    APPLICATION_KINDS,
    APPLICATION_POSITIONS,
    MULTIPLE,
    VALID_APPLICATION,
    application_reading,
    field_reading,
    sheet_reading,
)
from ubt_domain.application.fields import ROLE_SECTOR, FormFieldIds, FormSymbols
from ubt_domain.application.form import (
    APPLICATION_LAYOUT_ID,
    AcceptedApplication,
    FormDeletion,
    SpoiledForm,
    decode_application,
)
from ubt_domain.application.names import GRID_ALPHABET
from ubt_domain.application.protocol import ErrorCode, ErrorProtocol, FormSector
from ubt_domain.errors import DomainError
from ubt_domain.models import Gender

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
