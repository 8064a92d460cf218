"""The letter-grid alphabet, Ё/Ъ folding and change-journal conditions of names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omrkit.layout.builder import KAZAKH_LETTERS
from omrkit.layout.models import FieldKind
from tests.ubt_domain.readings import MULTIPLE, field_reading
from ubt_domain.application.names import (
    GRID_ALPHABET,
    NAME_LETTERS,
    NameIssue,
    PersonName,
    check_spelling,
    fold_to_grid,
    grid_key,
    read_letter_grid,
    spelling_issues,
)
from ubt_domain.errors import DomainError

spellings = st.lists(
    st.text(alphabet=sorted(NAME_LETTERS), min_size=1, max_size=8), min_size=1, max_size=3
).flatmap(lambda words: st.sampled_from([" ", "-"]).map(lambda sep: sep.join(words)))


def test_unt_form_5_grid_alphabet_has_no_yo_and_no_hard_sign() -> None:
    """The grid offers the 40 Kazakh letters without «Ё» and «Ъ», as the printed layout."""
    assert "Ё" not in GRID_ALPHABET
    assert "Ъ" not in GRID_ALPHABET
    assert len(GRID_ALPHABET) == len(set(GRID_ALPHABET)) == 40
    assert GRID_ALPHABET == KAZAKH_LETTERS


def test_unt_form_5_yo_folds_to_ye_and_hard_sign_to_soft_sign() -> None:
    """«Ё» is painted as «Е» and «Ъ» as «Ь»; every other letter stays."""
    assert fold_to_grid("ПОДЪЯЧЁВ") == "ПОДЬЯЧЕВ"


@given(spellings)
def test_unt_form_5_folding_keeps_length_and_lands_in_the_grid(spelling: str) -> None:
    """A folded name has the same length, only grid letters, and folding again changes nothing."""
    folded = fold_to_grid(spelling)
    assert len(folded) == len(spelling)
    assert set(folded) <= set(GRID_ALPHABET) | {" ", "-"}
    assert fold_to_grid(folded) == folded


@given(spellings)
def test_unt_form_23_issues_are_exactly_the_conditions_present(spelling: str) -> None:
    """Each issue is reported exactly when its character or overflow is present."""
    positions = 10
    issues = set(spelling_issues(spelling, positions=positions))
    assert (NameIssue.YO in issues) == ("Ё" in spelling)
    assert (NameIssue.HARD_SIGN in issues) == ("Ъ" in spelling)
    assert (NameIssue.SPACE in issues) == (" " in spelling)
    assert (NameIssue.HYPHEN in issues) == ("-" in spelling)
    assert (NameIssue.OVERFLOW in issues) == (len(spelling) > positions)


def test_unt_form_23_plain_name_needs_no_change_journal() -> None:
    """A name of grid letters that fits needs no change-journal line."""
    assert spelling_issues("АБАЙ", positions=20) == ()


def test_unt_form_23_grid_key_compares_painted_and_true_spellings() -> None:
    """Painted and true spellings compare equal modulo Ё/Ъ, hyphens and blank runs."""
    assert grid_key("ӘЛ-ФАРАБИ") == grid_key("ӘЛ  ФАРАБИ")
    assert grid_key("СЕМЁНОВ") == grid_key("СЕМЕНОВ")
    assert grid_key("СЕМЕНОВ") != grid_key("СЕМЕНОВА")


def test_unt_form_4_grid_reading_becomes_text() -> None:
    """Marked positions give letters, blank runs one space, trailing blanks nothing."""
    grid = read_letter_grid(field_reading("name", "ӘЛ  ФАРАБИ", kind=FieldKind.TEXT, positions=15))
    assert grid is not None
    assert (grid.text, grid.leading_blank, grid.full) == ("ӘЛ ФАРАБИ", False, False)
    assert grid.issues == (NameIssue.SPACE,)


def test_unt_form_4_blank_grid_reads_as_none() -> None:
    """A grid with no mark at all is not a name."""
    assert read_letter_grid(field_reading("name", "", kind=FieldKind.TEXT, positions=5)) is None


def test_unt_form_4_multiple_position_is_not_read() -> None:
    """A grid with a double mark must not reach the letter reader."""
    with pytest.raises(DomainError):
        read_letter_grid(field_reading("name", "А" + MULTIPLE, kind=FieldKind.TEXT))


def test_unt_form_4_only_text_fields_are_letter_grids() -> None:
    """A code field given as a letter grid is refused."""
    with pytest.raises(DomainError):
        read_letter_grid(field_reading("tzhk", "123", kind=FieldKind.CODE))


@pytest.mark.parametrize("bad", ["", "абай", "АБАЙ1", "-АБАЙ", "АБАЙ ", "АБ  АЙ", "ABAI", 7])
def test_unt_form_18_true_spelling_is_capital_cyrillic(bad: object) -> None:
    """Lower case, digits, Latin or separators not between letters are refused."""
    with pytest.raises(DomainError) as caught:
        check_spelling(bad, what="surname")  # type: ignore[arg-type]
    assert caught.value.rule_id == "UNT-FORM-18"


def test_unt_form_18_person_name_keeps_the_exact_spelling() -> None:
    """A person's name keeps «Ё», «Ъ», spaces and hyphens exactly."""
    person = PersonName(surname="ПОДЪЯЧЁВ", name="ӘЛ-ФАРАБИ", patronymic="ИБН САИД")
    assert person.full == "ПОДЪЯЧЁВ ӘЛ-ФАРАБИ ИБН САИД"
