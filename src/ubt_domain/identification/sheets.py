"""What identification needs from a read ҰБТ answer sheet (UNT-ID-15).

:func:`answer_sheet_data` turns an engine reading (``omrkit.SheetReading``)
into an :class:`AnswerSheetData`: the printed serial, the service sectors the
applicant filled (ТЖК, room, seat, variant, profile subjects, creative exam,
exam language) and, per sector, what made it untrustworthy. Field ids are
not hard-wired: :class:`AnswerSheetFieldIds` maps each sector to the layout's
field id, with defaults matching the bundled ``ubt-answer`` layout.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from omrkit.layout.models import FieldKind
from omrkit.types import FieldReading, SheetReading, SlotState
from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel

__all__ = [
    "DEFAULT_ANSWER_SHEET_FIELDS",
    "AnswerSheetData",
    "AnswerSheetFieldIds",
    "IssueKind",
    "Sector",
    "SectorIssue",
    "answer_sheet_data",
]

_RULE_FIELDS = "UNT-ID-15"


class Sector(StrEnum):
    """A service sector of the answer sheet that identification looks at."""

    SERIAL = "serial"  # printed sheet number (bit code), pre-allocated to a room
    TZHK = "tzhk"
    ROOM = "room"
    SEAT = "seat"
    VARIANT = "variant"  # sector 4
    PROFILE_SUBJECTS = "profile_subjects"
    CREATIVE = "creative"  # sector 6
    EXAM_LANGUAGE = "exam_language"


class IssueKind(StrEnum):
    """Why a sector's reading cannot be trusted as it stands."""

    BLANK = "blank"  # a required sector is empty or incomplete
    MULTIPLE = "multiple"  # a position holds two or more marks (D-1)
    REVIEW = "review"  # a fill lies in the review band around 50 %
    INVALID = "invalid"  # read cleanly, but not a possible value (seat 000)


class SectorIssue(DomainModel):
    """One untrustworthy sector of one sheet.

    Parameters
    ----------
    sector : Sector
        The sector concerned.
    kind : IssueKind
        What is wrong with its reading.
    """

    malformed_rule: ClassVar[str] = "UNT-ID-15"

    sector: Sector
    kind: IssueKind


class AnswerSheetFieldIds(DomainModel):
    """Layout field id of each service sector of the ҰБТ answer sheet.

    Parameters
    ----------
    tzhk, room, seat, variant : str
        ``code`` fields (digit positions).
    profile_subjects : tuple of str
        One field per profile subject, in order; each ``choice`` or ``code``.
    creative, exam_language : str
        ``choice`` fields.
    """

    malformed_rule: ClassVar[str] = "UNT-ID-15"

    tzhk: str = "tzhk"
    room: str = "room"
    seat: str = "seat"
    variant: str = "variant"
    profile_subjects: tuple[str, ...] = ("profile_subject_1", "profile_subject_2")
    creative: str = "creative"
    exam_language: str = "exam_language"


DEFAULT_ANSWER_SHEET_FIELDS = AnswerSheetFieldIds()


class AnswerSheetData(DomainModel):
    """The identification data of one scanned answer sheet (UNT-ID-15).

    Parameters
    ----------
    sheet_id : str
        Id of the reading (hash of the scanned image); unique per scan.
    serial : int or None
        Printed sheet number; ``None`` when the bit code could not be read.
    tzhk, variant : str or None
        Digit strings as bubbled; ``None`` when not cleanly readable.
    room, seat : int or None
        Numbers as bubbled; ``None`` when not cleanly readable or zero.
    profile_subjects : tuple of str
        Codes of the marked profile subjects, in field order.
    creative : bool
        Sector 6 (creative exam) is marked.
    exam_language : str or None
        The marked exam-language symbol.
    filled : bool
        Anything at all is marked on the sheet; unfilled sheets are spare
        material, scanned too (UNT-SCAN-3).
    quality_poor : bool
        The engine could not register the sheet well enough to trust fills
        near the threshold.
    issues : tuple of SectorIssue
        The sectors whose reading cannot be trusted, at most one per sector.
    """

    malformed_rule: ClassVar[str] = "UNT-ID-15"

    sheet_id: str = Field(min_length=1)
    serial: int | None = Field(default=None, ge=0)
    tzhk: str | None = None
    room: int | None = Field(default=None, ge=1)
    seat: int | None = Field(default=None, ge=1)
    variant: str | None = None
    profile_subjects: tuple[str, ...] = ()
    creative: bool = False
    exam_language: str | None = None
    filled: bool = True
    quality_poor: bool = False
    issues: tuple[SectorIssue, ...] = ()

    def issue(self, sector: Sector) -> IssueKind | None:
        """Return the issue recorded for ``sector``, or ``None`` if it read cleanly."""
        return next((i.kind for i in self.issues if i.sector is sector), None)


def answer_sheet_data(
    reading: SheetReading, *, field_ids: AnswerSheetFieldIds = DEFAULT_ANSWER_SHEET_FIELDS
) -> AnswerSheetData:
    """Extract the identification data of a ҰБТ answer sheet from a reading.

    Implements UNT-ID-15.

    Parameters
    ----------
    reading : omrkit.SheetReading
        The engine's reading of one answer sheet.
    field_ids : AnswerSheetFieldIds, optional
        Which layout field holds which sector.

    Returns
    -------
    AnswerSheetData
        Values of the service sectors and the issues found in them.

    Raises
    ------
    DomainError
        (``UNT-ID-15``) when the reading lacks a sector's field or the field
        has the wrong kind: the reading was made with another layout.

    Notes
    -----
    The ТЖК, seat and variant are required: a blank or incomplete one is an
    issue. Profile subjects are required unless sector 6 is marked, because
    creative-track applicants sit two compulsory subjects only (UNT-EXAM-11).
    Room and exam language are recorded but not required: the room follows
    from the sheet's serial (sheets are pre-allocated to rooms).

    Examples
    --------
    >>> from omrkit.types import FieldReading, RegistrationQuality, SheetReading
    >>> q = RegistrationQuality(residual_px=0.3, skew_deg=0.0, scale=8.0, upside_down=False)
    >>> r = SheetReading(sheet_id="ab", layout_id="ubt-answer", serial=7, quality=q,
    ...                  fill_ratios=(), fields={})
    >>> answer_sheet_data(r)
    Traceback (most recent call last):
    ...
    ubt_domain.errors.DomainError: [UNT-ID-15] reading ab (layout ubt-answer) has no field ...
    """
    fields = {
        sector: _field(reading, field_id, sector)
        for sector, field_id in (
            (Sector.TZHK, field_ids.tzhk),
            (Sector.ROOM, field_ids.room),
            (Sector.SEAT, field_ids.seat),
            (Sector.VARIANT, field_ids.variant),
            (Sector.CREATIVE, field_ids.creative),
            (Sector.EXAM_LANGUAGE, field_ids.exam_language),
        )
    }
    subjects = [_field(reading, fid, Sector.PROFILE_SUBJECTS) for fid in field_ids.profile_subjects]
    creative = fields[Sector.CREATIVE].value is not None
    room, room_issue = _number(fields[Sector.ROOM], required=False)
    seat, seat_issue = _number(fields[Sector.SEAT], required=True)
    issues = {
        Sector.TZHK: _issue(fields[Sector.TZHK], required=True),
        Sector.ROOM: room_issue,
        Sector.SEAT: seat_issue,
        Sector.VARIANT: _issue(fields[Sector.VARIANT], required=True),
        Sector.PROFILE_SUBJECTS: _subjects_issue(subjects, required=not creative),
        Sector.CREATIVE: _issue(fields[Sector.CREATIVE], required=False),
        Sector.EXAM_LANGUAGE: _issue(fields[Sector.EXAM_LANGUAGE], required=False),
    }
    return AnswerSheetData(
        sheet_id=reading.sheet_id,
        serial=reading.serial,
        tzhk=_clean(fields[Sector.TZHK]),
        room=room,
        seat=seat,
        variant=_clean(fields[Sector.VARIANT]),
        profile_subjects=tuple(s.value for s in subjects if s.value is not None),
        creative=creative,
        exam_language=fields[Sector.EXAM_LANGUAGE].value,
        filled=_is_filled(reading),
        quality_poor=reading.quality.poor,
        issues=tuple(
            SectorIssue(sector=sector, kind=kind) for sector, kind in issues.items() if kind
        ),
    )


_CODE_SECTORS = frozenset({Sector.TZHK, Sector.ROOM, Sector.SEAT, Sector.VARIANT})
_CHOICE_SECTORS = frozenset({Sector.CREATIVE, Sector.EXAM_LANGUAGE})
_SUBJECT_KINDS = frozenset({FieldKind.CHOICE, FieldKind.CODE})


def _field(reading: SheetReading, field_id: str, sector: Sector) -> FieldReading:
    where = f"reading {reading.sheet_id} (layout {reading.layout_id})"
    if field_id not in reading.fields:
        raise DomainError(
            _RULE_FIELDS,
            f"{where} has no field {field_id!r} for the {sector.value} sector; "
            f"read the sheet with the ҰБТ answer-sheet layout or pass field_ids",
        )
    field = reading.fields[field_id]
    expected = (
        {FieldKind.CODE}
        if sector in _CODE_SECTORS
        else {FieldKind.CHOICE}
        if sector in _CHOICE_SECTORS
        else _SUBJECT_KINDS
    )
    if field.kind not in expected:
        raise DomainError(
            _RULE_FIELDS,
            f"{where}: field {field_id!r} ({sector.value}) is a {field.kind.value} field, "
            f"expected {' or '.join(sorted(k.value for k in expected))}",
        )
    return field


def _issue(field: FieldReading, *, required: bool) -> IssueKind | None:
    """Classify a field: multiple marks first, then review, then blank."""
    if field.has_multiple:
        return IssueKind.MULTIPLE
    if field.needs_review:
        return IssueKind.REVIEW
    if required and field.value is None:
        return IssueKind.BLANK
    return None


def _clean(field: FieldReading) -> str | None:
    """The field's value unless a position holds several marks (never guess one)."""
    return None if field.has_multiple else field.value


def _number(field: FieldReading, *, required: bool) -> tuple[int | None, IssueKind | None]:
    issue = _issue(field, required=required)
    value = _clean(field)
    if value is None:
        return None, issue
    if not value.isdigit() or int(value) == 0:
        return None, issue or IssueKind.INVALID
    return int(value), issue


def _subjects_issue(fields: list[FieldReading], *, required: bool) -> IssueKind | None:
    kinds = [_issue(f, required=required) for f in fields]
    for kind in (IssueKind.MULTIPLE, IssueKind.REVIEW, IssueKind.BLANK):
        if kind in kinds:
            return kind
    codes = [f.value for f in fields if f.value is not None]
    # The same subject twice is no pair of profile subjects.
    return IssueKind.INVALID if len(set(codes)) < len(codes) else None


def _is_filled(reading: SheetReading) -> bool:
    # A faint mark in the review band still means someone wrote on the sheet.
    return any(
        state is not SlotState.BLANK or review
        for field in reading.fields.values()
        for state, review in zip(field.states, field.review, strict=True)
    )
