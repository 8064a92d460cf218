"""Correcting an applicant's data: change, delete-and-re-enter, or the change journal.

Before «Талапкер» is closed, a correction goes through the form: an error in
the name, gender, ЖСН, citizenship, nationality, birth date or education
information is changed in place (the «өзгертілді» circle, UNT-REG-11), while a
new exam language or ТЖК means deleting the form and registering again with a
new ТЖК (UNT-REG-9, UNT-REG-10).

After closing the database is frozen: errors in the name, birth date, gender,
citizenship or nationality go into the change journal (appx 14), which the
Ministry programmer applies when receiving «Талапкер» (UNT-REG-15). The same
journal carries the true spelling of names the letter grid cannot hold
(UNT-FORM-5, UNT-FORM-23).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from ubt_domain.application.applicants import Applicant, Tzhk
from ubt_domain.application.names import ChangeJournalNotice, check_spelling
from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel

__all__ = [
    "ChangeField",
    "ChangeJournalEntry",
    "Correction",
    "CorrectionKind",
    "apply_change_journal",
    "change_journal_entries",
    "correction_procedure",
    "entries_for_names",
]

# UNT-REG-9: these sectors cannot be corrected in place. The History language
# (sector 13) is a test language too, so it follows the exam language [DERIVED].
_DELETE_FIELDS = ("tzhk", "exam_language", "history_language")
# UNT-REG-9: corrected by replacement; the last three are "education information".
_CHANGE_FIELDS = (
    "surname",
    "name",
    "patronymic",
    "gender",
    "iin",
    "birth_date",
    "citizenship_code",
    "nationality_code",
    "institution_type",
    "region_code",
    "institution_code",
)


class CorrectionKind(StrEnum):
    """How a correction of entered data is made (UNT-REG-9)."""

    NONE = "none"  # nothing on the form differs
    CHANGE = "change"  # re-scan with «өзгертілді» (UNT-REG-11)
    DELETE_AND_REENTER = "delete_and_reenter"  # «жойылды», new line, new ТЖК (UNT-REG-10)


class Correction(DomainModel):
    """The procedure a correction needs and the applicant fields it touches."""

    malformed_rule: ClassVar[str] = "UNT-REG-9"

    kind: CorrectionKind
    fields: tuple[str, ...]


def _differing(before: Applicant, after: Applicant) -> tuple[str, ...]:
    if not isinstance(before, Applicant) or not isinstance(after, Applicant):
        raise DomainError("UNT-REG-9", "before and after must be Applicant records")
    if before.school_id != after.school_id:
        raise DomainError(
            "UNT-REG-9",
            f"ТЖК {before.tzhk}: a correction stays in the journal of {before.school_id}, "
            f"not {after.school_id}",
        )
    names = (*_DELETE_FIELDS, *_CHANGE_FIELDS)
    return tuple(n for n in names if getattr(before, n) != getattr(after, n))


def correction_procedure(before: Applicant, after: Applicant) -> Correction:
    """Whether correcting ``before`` into ``after`` is a change or a re-entry.

    Implements UNT-REG-9, UNT-REG-11.

    Examples
    --------
    A new exam language is never changed in place:

    >>> from ubt_domain.models import ExamLanguage
    >>> import datetime as dt
    >>> a = Applicant(tzhk="042000001", surname="АБАЙ", name="ӘЛІ",
    ...     birth_date=dt.date(2000, 1, 1), gender="male", citizenship_code="398",
    ...     nationality_code="005", institution_type="school", region_code="01",
    ...     institution_code="010001", exam_language="kk", school_id="S1")
    >>> b = a.evolve(exam_language=ExamLanguage.RUSSIAN)
    >>> correction_procedure(a, b).kind
    <CorrectionKind.DELETE_AND_REENTER: 'delete_and_reenter'>
    """
    fields = _differing(before, after)
    if not fields:
        kind = CorrectionKind.NONE
    elif any(f in _DELETE_FIELDS for f in fields):
        kind = CorrectionKind.DELETE_AND_REENTER
    else:
        kind = CorrectionKind.CHANGE
    return Correction(kind=kind, fields=fields)


class ChangeField(StrEnum):
    """What the change journal (appx 14) may correct (UNT-REG-15, UNT-FORM-5)."""

    SURNAME = "surname"
    NAME = "name"
    PATRONYMIC = "patronymic"
    BIRTH_DATE = "birth_date"
    GENDER = "gender"
    CITIZENSHIP = "citizenship_code"
    NATIONALITY = "nationality_code"
    IIN = "iin"  # only with a birth-date or gender correction it encodes (D-14)


class ChangeJournalEntry(DomainModel):
    """One line of the change journal: ТЖК, field, old and new value, why.

    Values are written as text: names in true spelling, birth dates
    ``YYYY-MM-DD``, gender as its enum value, codes as digits.
    """

    malformed_rule: ClassVar[str] = "UNT-REG-15"

    tzhk: Tzhk
    field: ChangeField
    old_value: str | None
    new_value: str
    reason: str = Field(min_length=1)


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return str(value)


def change_journal_entries(
    before: Applicant, after: Applicant, *, reason: str
) -> tuple[ChangeJournalEntry, ...]:
    """The change-journal lines that turn ``before`` into ``after`` after closing.

    Implements UNT-REG-15, D-14.

    Raises
    ------
    DomainError
        (``UNT-REG-15``) a field other than name, birth date, gender,
        citizenship or nationality differs: after closing it cannot be
        corrected (the ЖСН is left out of §108's list, C-21), except as
        below; (``D-14``) the birth date or gender of an applicant with a
        ЖСН changes without the corrected ЖСН.

    Notes
    -----
    The ЖСН encodes the birth date and gender (D-9), so correcting either
    for an applicant who has one is impossible without correcting the ЖСН
    too (D-14): the ЖСН then travels with the correction, and ``after``,
    an :class:`Applicant`, has already been checked against D-9.
    """
    changed = _differing(before, after)
    encoded = {ChangeField.BIRTH_DATE.value, ChangeField.GENDER.value} & set(changed)
    if encoded and before.iin is not None and after.iin is None:
        raise DomainError(
            "D-14",
            f"ТЖК {before.tzhk}: correcting {sorted(encoded)} needs the corrected ЖСН, "
            f"which encodes them",
        )
    allowed = {f.value for f in ChangeField} - (set() if encoded else {ChangeField.IIN.value})
    refused = [f for f in changed if f not in allowed]
    if refused:
        raise DomainError(
            "UNT-REG-15",
            f"ТЖК {before.tzhk}: {refused} cannot be corrected after «Талапкер» is closed",
        )
    return tuple(
        ChangeJournalEntry(
            tzhk=before.tzhk,
            field=ChangeField(f),
            old_value=_as_text(getattr(before, f)),
            new_value=_as_text(getattr(after, f)) or "",
            reason=reason,
        )
        for f in changed
    )


def entries_for_names(notices: Sequence[ChangeJournalNotice]) -> tuple[ChangeJournalEntry, ...]:
    """Change-journal lines restoring the true spelling of painted names.

    Implements UNT-FORM-5, UNT-FORM-23. Notices without a known true
    spelling give no line: the technical secretary writes it in by hand.
    """
    fields = {1: ChangeField.SURNAME, 2: ChangeField.NAME, 3: ChangeField.PATRONYMIC}
    return tuple(
        ChangeJournalEntry(
            tzhk=n.tzhk,
            field=fields[int(n.sector)],
            old_value=n.painted,
            new_value=check_spelling(n.spelling, what="true spelling", rule_id="UNT-FORM-5"),
            reason=", ".join(issue.value for issue in n.issues),
        )
        for n in notices
        if n.spelling is not None and n.spelling != n.painted
    )


def apply_change_journal(applicant: Applicant, entries: Sequence[ChangeJournalEntry]) -> Applicant:
    """The applicant with the change journal's lines for its ТЖК applied, in order.

    Implements UNT-REG-15, UNT-FORM-5.

    Raises
    ------
    DomainError
        A line's old value is not the applicant's current value (a stale or
        mistyped line), or the result breaks the record (a gender the ЖСН
        contradicts, a malformed value).
    """
    current = applicant.model_dump()
    for entry in entries:
        if entry.tzhk != applicant.tzhk:
            continue
        present = _as_text(current[entry.field.value])
        if present != entry.old_value:
            raise DomainError(
                "UNT-REG-15",
                f"ТЖК {entry.tzhk}: change journal says {entry.field.value} was "
                f"{entry.old_value!r}, the record has {present!r}",
            )
        current[entry.field.value] = entry.new_value or None
    try:
        return Applicant.model_validate(current)
    except DomainError as error:
        raise DomainError(
            "UNT-REG-15",
            f"ТЖК {applicant.tzhk}: the change journal breaks the record: {error}",
        ) from error
