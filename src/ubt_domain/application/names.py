"""Names on the application form: the letter-grid alphabet and the change journal.

Sectors 1-3 of the application form are letter grids: one column of circles
per letter position, one circle per letter. The grid has no «Ё» and no «Ъ»:
applicants paint «Е» and «Ь» instead (UNT-FORM-5), and a name with «Ё», «Ъ»,
a space, a hyphen, or more letters than the grid has positions cannot be
painted as it is spelt; it goes into the change journal (appx 14) so that the
database can be corrected to the true spelling (UNT-FORM-23).

This module knows the alphabet, folds a true spelling to what the grid can
hold, and says which of those conditions a name meets.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import Field, field_validator

from omrkit.layout.models import FieldKind
from omrkit.types import FieldReading, SlotState
from ubt_domain.application.protocol import FormSector
from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel

__all__ = [
    "GRID_ALPHABET",
    "NAME_LETTERS",
    "ChangeJournalNotice",
    "GridName",
    "NameIssue",
    "PersonName",
    "check_spelling",
    "fold_to_grid",
    "grid_key",
    "read_letter_grid",
    "spelling_issues",
]

# The Kazakh Cyrillic alphabet (42 letters, which include all 33 Russian
# ones) in its official order, without Ё and Ъ (UNT-FORM-5).
GRID_ALPHABET: tuple[str, ...] = tuple("АӘБВГҒДЕЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЫІЬЭЮЯ")
_FOLDS = {"Ё": "Е", "Ъ": "Ь"}
NAME_LETTERS = frozenset(GRID_ALPHABET) | frozenset(_FOLDS)
SPACE = " "
HYPHEN = "-"
# A grid may print a hyphen circle; where it does not, a hyphen is a blank.
_GRID_SYMBOLS = frozenset(GRID_ALPHABET) | {HYPHEN}


class NameIssue(StrEnum):
    """Why a name needs a change-journal entry (UNT-FORM-5, UNT-FORM-23)."""

    YO = "yo"  # «Ё» painted as «Е»
    HARD_SIGN = "hard_sign"  # «Ъ» painted as «Ь»
    SPACE = "space"
    HYPHEN = "hyphen"
    OVERFLOW = "overflow"  # the name does not fit in the sector


def check_spelling(spelling: str, *, what: str, rule_id: str = "UNT-FORM-18") -> str:
    """Return ``spelling`` if it is a well-formed true spelling of a name part.

    Implements UNT-FORM-18: the name is kept exactly as in the identity
    document, so only capital Kazakh/Russian letters, single spaces and single
    hyphens between letters are accepted; anything else raises
    :class:`DomainError` naming ``what``.
    """
    if not isinstance(spelling, str) or not spelling:
        raise DomainError(rule_id, f"{what} must be a non-empty str, got {spelling!r}")
    words = spelling.replace(HYPHEN, SPACE).split(SPACE)
    if any(not word for word in words):
        raise DomainError(
            rule_id,
            f"{what} {spelling!r}: a space or hyphen must stand between two letters",
        )
    bad = sorted({c for c in "".join(words) if c not in NAME_LETTERS})
    if bad:
        raise DomainError(
            rule_id,
            f"{what} {spelling!r} has characters {bad} outside the capital Cyrillic letters",
        )
    return spelling


def fold_to_grid(spelling: str) -> str:
    """The spelling an applicant paints: «Ё» as «Е», «Ъ» as «Ь».

    Implements UNT-FORM-5.

    Examples
    --------
    >>> fold_to_grid("СЕМЁНОВ")
    'СЕМЕНОВ'
    """
    return "".join(_FOLDS.get(c, c) for c in spelling)


def grid_key(text: str) -> str:
    """A comparison key under which a grid reading and a spelling agree.

    Implements UNT-FORM-5.

    Folds «Ё»/«Ъ», treats a hyphen as a blank position and collapses runs of
    blanks, so a painted name and its true spelling can be compared.
    """
    return SPACE.join(fold_to_grid(text).replace(HYPHEN, SPACE).split())


def spelling_issues(spelling: str, *, positions: int) -> tuple[NameIssue, ...]:
    """Which change-journal conditions a true spelling meets.

    Implements UNT-FORM-5, UNT-FORM-23.

    Parameters
    ----------
    spelling : str
        The name as in the identity document.
    positions : int
        Letter positions in the grid of its sector.

    Examples
    --------
    >>> spelling_issues("ӘЛ-ФАРАБИ", positions=20)
    (<NameIssue.HYPHEN: 'hyphen'>,)
    """
    if not isinstance(positions, int) or positions < 1:
        raise DomainError("UNT-FORM-23", f"positions must be a positive int, got {positions!r}")
    found = {
        NameIssue.YO: "Ё" in spelling,
        NameIssue.HARD_SIGN: "Ъ" in spelling,
        NameIssue.SPACE: SPACE in spelling,
        NameIssue.HYPHEN: HYPHEN in spelling,
        NameIssue.OVERFLOW: len(spelling) > positions,
    }
    return tuple(issue for issue, present in found.items() if present)


class GridName(DomainModel):
    """A letter grid read back to text.

    ``text`` has one space per run of blank positions between letters;
    ``leading_blank`` is true when letters start after a blank position (the
    applicant began in the wrong column); ``full`` is true when every position
    holds a letter, so the name may not have fitted (UNT-FORM-23).
    """

    malformed_rule: ClassVar[str] = "UNT-FORM-4"

    text: str
    positions: int
    leading_blank: bool
    full: bool

    @property
    def issues(self) -> tuple[NameIssue, ...]:
        """Change-journal conditions visible on the grid itself (UNT-FORM-23)."""
        found = {
            NameIssue.SPACE: SPACE in self.text,
            NameIssue.HYPHEN: HYPHEN in self.text,
            NameIssue.OVERFLOW: self.full,
        }
        return tuple(issue for issue, present in found.items() if present)


def read_letter_grid(field: FieldReading) -> GridName | None:
    """Turn a letter-grid reading into text, or None when no position is marked.

    Implements UNT-FORM-4, UNT-FORM-5.

    Parameters
    ----------
    field : FieldReading
        A ``text`` field whose slots are letter positions. Every slot must be
        ``blank`` or ``marked`` with a grid symbol: a ``multiple`` slot is an
        error-protocol matter the caller handles before calling this.

    Raises
    ------
    DomainError
        The reading is not a letter grid: wrong kind, a multiple slot, or a
        symbol outside the grid alphabet.
    """
    if field.kind != FieldKind.TEXT:
        raise DomainError("UNT-FORM-4", f"field {field.field_id!r} is {field.kind}, not text")
    if len(field.symbols) != len(field.states):
        raise DomainError("UNT-FORM-4", f"field {field.field_id!r}: symbols and states differ")
    letters: list[str | None] = []
    for position, (symbol, state) in enumerate(zip(field.symbols, field.states, strict=True)):
        if state == SlotState.MULTIPLE:
            raise DomainError(
                "UNT-FORM-4", f"field {field.field_id!r} position {position + 1} is multiple"
            )
        if state == SlotState.MARKED and symbol not in _GRID_SYMBOLS:
            raise DomainError(
                "UNT-FORM-5",
                f"field {field.field_id!r} position {position + 1} holds {symbol!r}, "
                "not a letter of the grid alphabet",
            )
        letters.append(symbol if state == SlotState.MARKED else None)
    if all(letter is None for letter in letters):
        return None
    words = "".join(letter or SPACE for letter in letters).split()
    return GridName(
        text=SPACE.join(words),
        positions=len(letters),
        leading_blank=letters[0] is None,
        full=all(letter is not None for letter in letters),
    )


class PersonName(DomainModel):
    """Surname, name and patronymic in their true spelling (UNT-FORM-18).

    ``patronymic`` is ``None`` for a person without one.
    """

    malformed_rule: ClassVar[str] = "UNT-FORM-18"

    surname: str
    name: str
    patronymic: str | None = None

    @field_validator("surname", "name", "patronymic")
    @classmethod
    def _true_spelling(cls, value: str | None) -> str | None:
        return None if value is None else check_spelling(value, what="name part")

    @property
    def full(self) -> str:
        """«Аты-жөні» in one line."""
        return SPACE.join(p for p in (self.surname, self.name, self.patronymic) if p)


class ChangeJournalNotice(DomainModel):
    """A name part that must go into the change journal (appx 14).

    Implements UNT-FORM-5, UNT-FORM-23.

    ``painted`` is what the grid holds; ``spelling`` the true spelling when the
    registration journal supplied it, else ``None`` (the technical secretary
    writes it in the change journal).
    """

    malformed_rule: ClassVar[str] = "UNT-FORM-23"

    tzhk: str
    sector: FormSector
    painted: str
    spelling: str | None = None
    issues: tuple[NameIssue, ...] = Field(min_length=1)
