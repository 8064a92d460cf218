"""Identification of МАБ and ОЖСБ answer sheets against the school's list (D-12).

School sheets carry no serial and no personal code (C-15): only the surname
and name painted in letter grids, gender, the last two digits of the birth
year and the nationality code. :func:`identify_school` matches each sheet to
the school's approved list (form П-1 for МАБ, appx 2 for ОЖСБ): gender, birth
year and nationality must agree exactly, the letters may differ in at most
one position (one mis-bubbled letter). A sheet with no such student, or with
more than one, goes to the identification protocol (П-4, appx 11) with its
candidates; :func:`apply_school_rows` enters the commission's assignments.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import Field

from ubt_domain.application.names import GRID_ALPHABET, fold_to_grid
from ubt_domain.errors import DomainError
from ubt_domain.identification.school_sheets import BLANK_LETTER, SchoolSector, SchoolSheetData
from ubt_domain.models import DomainModel, Gender, Programme

__all__ = [
    "LETTER_TOLERANCE",
    "ListedStudent",
    "MatchReason",
    "SchoolIdentification",
    "SchoolMatched",
    "SchoolOutcome",
    "SchoolProtocolRow",
    "SchoolUnfilled",
    "SchoolUnmatched",
    "apply_school_rows",
    "identify_school",
]

#: D-12: one mis-bubbled letter, over surname and name together.
LETTER_TOLERANCE = 1
_LAST_TWO_DIGITS = 100  # the sheet holds the birth year's last two digits (MAB-S-8, G-10)
_RULE = {Programme.MAB: "MAB-S-21", Programme.OZHSB: "OZH-18"}
_LETTERS = frozenset(GRID_ALPHABET)
# D-12: Kazakh letters and the Russian letters they are confused with. When
# looking for competitors of a match, a pair counts as no difference, since a
# child may paint either for the same sound.
_PAIRED_LETTERS = ("ҰҮУ", "ҚК", "ҒГ", "ҢН", "ӨО", "ӘА", "ІИ", "ҺХ")
_PAIR_OF = {letter: group[0] for group in _PAIRED_LETTERS for letter in group}


class ListedStudent(DomainModel):
    """One student of the school's approved list (П-1, appx 2)."""

    malformed_rule: ClassVar[str] = "D-12"

    student_id: str = Field(min_length=1)
    surname: str = Field(min_length=1)
    name: str = Field(min_length=1)
    gender: Gender
    birth_year: int = Field(ge=1900, le=2100)
    nationality: str = Field(pattern=r"^[0-9]+$")
    class_name: str = ""


class MatchReason(StrEnum):
    """Why a school sheet is in the identification protocol."""

    POOR_REGISTRATION = "poor_registration"
    SECTOR_UNREADABLE = "sector_unreadable"  # gender, birth year, nationality or variant
    NO_MATCH = "no_match"  # no listed student within the tolerance
    TIE = "tie"  # several listed students within the tolerance
    DUPLICATE = "duplicate"  # another sheet matched the same student
    NEEDS_CONFIRMATION = "needs_confirmation"  # matched only with the one-mark allowance


class SchoolMatched(DomainModel):
    """A sheet identified as a listed student's.

    ``letter_mismatches`` is how many letter positions differed (at most the
    tolerance for an automatic match); ``manual`` marks the commission's.
    """

    malformed_rule: ClassVar[str] = "D-12"

    kind: Literal["matched"] = "matched"
    sheet_id: str
    student_id: str
    variant: str
    letter_mismatches: int = Field(ge=0)
    manual: bool = False


class SchoolUnmatched(DomainModel):
    """A sheet in the protocol, with the listed students it might be."""

    malformed_rule: ClassVar[str] = "D-12"

    kind: Literal["unmatched"] = "unmatched"
    sheet_id: str
    reasons: tuple[MatchReason, ...] = Field(min_length=1)
    candidates: tuple[str, ...] = ()


class SchoolUnfilled(DomainModel):
    """A spare sheet with nothing marked."""

    malformed_rule: ClassVar[str] = "D-12"

    kind: Literal["unfilled"] = "unfilled"
    sheet_id: str


SchoolOutcome = Annotated[
    SchoolMatched | SchoolUnmatched | SchoolUnfilled, Field(discriminator="kind")
]


class SchoolProtocolRow(DomainModel):
    """The commission's assignment of a protocol sheet to a listed student.

    ``variant`` is required when the sheet's own variant could not be read.
    """

    malformed_rule: ClassVar[str] = "D-12"

    sheet_id: str = Field(min_length=1)
    student_id: str = Field(min_length=1)
    variant: str | None = Field(default=None, pattern=r"^[0-9]+$")


class SchoolIdentification(DomainModel):
    """The identification state of one school's sheets: one outcome per sheet."""

    malformed_rule: ClassVar[str] = "D-12"

    programme: Programme
    school: str
    students: tuple[ListedStudent, ...]
    sheets: tuple[SchoolSheetData, ...]
    outcomes: tuple[SchoolOutcome, ...]

    @property
    def matched(self) -> tuple[SchoolMatched, ...]:
        """The identified sheets, in scan order."""
        return tuple(o for o in self.outcomes if isinstance(o, SchoolMatched))

    @property
    def unmatched(self) -> tuple[SchoolUnmatched, ...]:
        """The sheets in the protocol (П-4, appx 11), in scan order."""
        return tuple(o for o in self.outcomes if isinstance(o, SchoolUnmatched))

    @property
    def absent(self) -> tuple[ListedStudent, ...]:
        """Listed students no sheet is matched to."""
        taken = {o.student_id for o in self.matched}
        return tuple(s for s in self.students if s.student_id not in taken)


def identify_school(
    students: Sequence[ListedStudent],
    sheets: Sequence[SchoolSheetData],
    *,
    school: str,
    programme: Programme,
) -> SchoolIdentification:
    """Match a school's МАБ or ОЖСБ sheets to its approved list.

    Implements D-12, MAB-S-21, OZH-18.

    Parameters
    ----------
    students : sequence of ListedStudent
        The school's approved list.
    sheets : sequence of SchoolSheetData
        The school's scanned sheets (scanned school by school).
    school : str
        The school's code, for messages and the statement.
    programme : Programme
        ``Programme.MAB`` or ``Programme.OZHSB``.

    Returns
    -------
    SchoolIdentification
        A sheet is matched when one listed student agrees with every letter,
        its gender, birth year and nationality, no other student is within
        the one-mark allowance (paired letters counted as equal), and no
        other sheet matches that student. A sheet within the allowance of one
        student only goes to the protocol for confirmation.

    Raises
    ------
    DomainError
        (``D-12``) for a programme other than МАБ/ОЖСБ; (``MAB-S-21`` or
        ``OZH-18``) when the list repeats a student id or a sheet is given
        twice.

    Notes
    -----
    Every letter position counts: a position whose letter differs, is blank
    where a letter is expected, or cannot be trusted (several marks, a fill
    near 50 %) is one mismatch. Positions are compared in place because a
    mis-bubbled letter does not shift the others; the list spelling is
    folded to the grid alphabet (Ё→Е, Ъ→Ь, anything else blank) and cut to
    the grid's length, since a long name cannot be painted whole. A tie is
    never broken by picking the closer student: it goes to the commission.
    """
    rule = _rule(programme)
    _check_unique([s.student_id for s in students], rule, f"school {school}: student id")
    _check_unique([s.sheet_id for s in sheets], rule, f"school {school}: sheet")
    tentative = [_tentative(sheet, students) for sheet in sheets]
    chosen = Counter(o.student_id for o in tentative if isinstance(o, SchoolMatched))
    outcomes = tuple(_unless_shared(o, chosen) for o in tentative)
    return SchoolIdentification(
        programme=programme,
        school=school,
        students=tuple(students),
        sheets=tuple(sheets),
        outcomes=outcomes,
    )


def _tentative(sheet: SchoolSheetData, students: Sequence[ListedStudent]) -> SchoolOutcome:
    """Implements D-12: only an exact, uncontested match is made without people.

    Notes
    -----
    Gender, birth year and nationality disagreements share the one-mark
    allowance with the letters, so a mis-bubbled birth year that happens to
    be a sibling's leaves both siblings as candidates (a tie) instead of
    removing the true student. Competitors are looked for with the paired
    Kazakh/Russian letters counted as equal. A match that needed the
    allowance may be a student who is not on the list, or whose own sheet
    is out of reach, so it goes to the protocol (appx 11 / П-4) with its
    candidate for the commission to confirm.
    """
    if not sheet.filled:
        return SchoolUnfilled(sheet_id=sheet.sheet_id)
    distances = {s.student_id: _mismatches(sheet, s, paired=False) for s in students}
    competitors = tuple(
        s.student_id for s in students if _mismatches(sheet, s, paired=True) <= LETTER_TOLERANCE
    )
    candidates = tuple(sid for sid, d in distances.items() if d <= LETTER_TOLERANCE)
    reasons: list[MatchReason] = []
    if sheet.quality_poor:
        reasons.append(MatchReason.POOR_REGISTRATION)
    if sheet.unsure:
        reasons.append(MatchReason.SECTOR_UNREADABLE)
    if not candidates:
        reasons.append(MatchReason.NO_MATCH)
    elif len(set(candidates) | set(competitors)) > 1:
        reasons.append(MatchReason.TIE)
        candidates = tuple(sorted(set(candidates) | set(competitors)))
    elif distances[candidates[0]] > 0:
        reasons.append(MatchReason.NEEDS_CONFIRMATION)
    if reasons or sheet.variant is None:
        return SchoolUnmatched(
            sheet_id=sheet.sheet_id,
            reasons=tuple(reasons) or (MatchReason.SECTOR_UNREADABLE,),
            candidates=candidates,
        )
    (student_id,) = candidates
    return SchoolMatched(
        sheet_id=sheet.sheet_id,
        student_id=student_id,
        variant=sheet.variant,
        letter_mismatches=distances[student_id],
    )


def _unless_shared(outcome: SchoolOutcome, chosen: Counter[str]) -> SchoolOutcome:
    """Two sheets matching one student are both the commission's to sort out."""
    if isinstance(outcome, SchoolMatched) and chosen[outcome.student_id] > 1:
        return SchoolUnmatched(
            sheet_id=outcome.sheet_id,
            reasons=(MatchReason.DUPLICATE,),
            candidates=(outcome.student_id,),
        )
    return outcome


def _disagreements(sheet: SchoolSheetData, student: ListedStudent) -> int:
    """Gender, birth year and nationality that disagree; an unreadable one is not counted."""
    year = student.birth_year % _LAST_TWO_DIGITS
    checks = {
        SchoolSector.GENDER: sheet.gender is student.gender,
        SchoolSector.BIRTH_YEAR: sheet.birth_year is not None and int(sheet.birth_year) == year,
        SchoolSector.NATIONALITY: sheet.nationality is not None
        and int(sheet.nationality) == int(student.nationality),
    }
    return sum(1 for sector, ok in checks.items() if not ok and sector not in sheet.unsure)


def _mismatches(sheet: SchoolSheetData, student: ListedStudent, *, paired: bool) -> int:
    letters = _grid_distance(sheet.surname, student.surname, paired=paired)
    letters += _grid_distance(sheet.name, student.name, paired=paired)
    return letters + _disagreements(sheet, student)


def _grid_distance(read: Sequence[str | None], spelling: str, *, paired: bool = False) -> int:
    expected = [c if c in _LETTERS else BLANK_LETTER for c in fold_to_grid(spelling.upper())]
    expected = (expected + [BLANK_LETTER] * len(read))[: len(read)]

    def same(got: str, want: str) -> bool:
        return got == want or (paired and _PAIR_OF.get(got, got) == _PAIR_OF.get(want, want))

    return sum(
        1 for got, want in zip(read, expected, strict=True) if got is None or not same(got, want)
    )


def apply_school_rows(
    state: SchoolIdentification, rows: Sequence[SchoolProtocolRow]
) -> SchoolIdentification:
    """Enter the commission's assignments of protocol sheets to listed students.

    Implements MAB-S-21, OZH-18.

    Parameters
    ----------
    state : SchoolIdentification
        The school's current identification.
    rows : sequence of SchoolProtocolRow
        One per sheet the commission identified by hand.

    Returns
    -------
    SchoolIdentification
        A new state; a row without a variant for a sheet whose variant could
        not be read leaves the sheet in the protocol.

    Raises
    ------
    DomainError
        (``MAB-S-21`` or ``OZH-18``) for a sheet not in the protocol, a
        student not on the list or already matched, or two rows for one sheet
        or one student.
    """
    rule = _rule(state.programme)
    where = f"school {state.school}"
    _check_unique([r.sheet_id for r in rows], rule, f"{where}: protocol row for sheet")
    _check_unique([r.student_id for r in rows], rule, f"{where}: protocol row for student")
    waiting = {o.sheet_id for o in state.unmatched}
    listed = {s.student_id for s in state.students}
    taken = {o.student_id for o in state.matched}
    by_sheet = {r.sheet_id: r for r in rows}
    for row in rows:
        if row.sheet_id not in waiting:
            raise DomainError(rule, f"{where}: sheet {row.sheet_id} is not in the protocol")
        if row.student_id not in listed or row.student_id in taken:
            raise DomainError(
                rule, f"{where}: student {row.student_id} is not on the list or already matched"
            )
    sheets = {s.sheet_id: s for s in state.sheets}
    students = {s.student_id: s for s in state.students}
    outcomes = tuple(
        _assigned(o, by_sheet[o.sheet_id], sheets[o.sheet_id], students)
        if o.sheet_id in by_sheet
        else o
        for o in state.outcomes
    )
    return state.evolve(outcomes=outcomes)


def _assigned(
    outcome: SchoolOutcome,
    row: SchoolProtocolRow,
    sheet: SchoolSheetData,
    students: dict[str, ListedStudent],
) -> SchoolOutcome:
    variant = row.variant or sheet.variant
    if variant is None:
        return outcome
    return SchoolMatched(
        sheet_id=sheet.sheet_id,
        student_id=row.student_id,
        variant=variant,
        letter_mismatches=_mismatches(sheet, students[row.student_id], paired=False),
        manual=True,
    )


def _rule(programme: Programme) -> str:
    if programme not in _RULE:
        raise DomainError(
            "D-12", f"list matching is for МАБ and ОЖСБ sheets, not {programme.value}"
        )
    return _RULE[programme]


def _check_unique(values: Sequence[str], rule: str, what: str) -> None:
    repeated = sorted(v for v, n in Counter(values).items() if n > 1)
    if repeated:
        raise DomainError(rule, f"{what} {', '.join(repeated)} appears more than once")
