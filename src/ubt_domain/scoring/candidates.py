"""Who is scored: identified sheets with their candidate, less the exclusions (UNT-SCORE-4).

Scoring works on :class:`ScoringSheet` values, one per identified sheet,
whatever the programme: for ҰБТ the candidate is the ТЖК and the unit the
room; for МАБ/ОЖСБ the candidate is the listed student and the unit the
school. Sheets decided «Жою» never become a scoring sheet (UNT-ID-11), nor
do the sheets of applicants whose work is not processed (UNT-EXCL-2,
UNT-EXCL-4) or who were removed and so not scanned (UNT-SCAN-5).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from ubt_domain.errors import DomainError
from ubt_domain.identification.closing import StreamIdentification
from ubt_domain.identification.roster import RoomRoster
from ubt_domain.identification.school import SchoolIdentification
from ubt_domain.models import DomainModel, Programme

__all__ = [
    "Exclusion",
    "ExclusionReason",
    "ScoringSheet",
    "ScoringSheets",
    "school_scoring_sheets",
    "unt_scoring_sheets",
]


class ExclusionReason(StrEnum):
    """Why an applicant's work is not scored (UNT-SCORE-4, UNT-SCAN-5)."""

    REMOVED = "removed"  # UNT-EXCL-1, UNT-SCAN-5 (a): removed for breaking conduct rules
    MATERIALS_NOT_HANDED_IN = "materials_not_handed_in"  # UNT-EXCL-4, UNT-SCAN-5 (b)
    OUTSIDER = "outsider"  # UNT-EXCL-2, UNT-SCAN-5 (c): an impersonator sat the test


class Exclusion(DomainModel):
    """An act recording that a candidate's work is not processed.

    Parameters
    ----------
    candidate : str
        ТЖК (ҰБТ) or listed student id (МАБ/ОЖСБ).
    reason : ExclusionReason
    act : str
        The number of the act drawn up (Rules appx 9, 10, 11).
    """

    malformed_rule: ClassVar[str] = "UNT-SCORE-4"

    candidate: str = Field(min_length=1)
    reason: ExclusionReason
    act: str = Field(min_length=1)


class ScoringSheet(DomainModel):
    """One identified sheet to score.

    Parameters
    ----------
    candidate : str
        ТЖК or listed student id.
    sheet_id : str
        The reading's id.
    serial : int or None
        The printed serial (МАБ/ОЖСБ sheets have none).
    unit : str
        Room (``"01"``) or school the sheet belongs to.
    seat : int or None
        ҰБТ seat.
    variant : str
        The identified variant (нұсқа).
    creative : bool
        ҰБТ sector 6: scored on the creative track's subjects only.
    """

    malformed_rule: ClassVar[str] = "UNT-SCORE-4"

    candidate: str = Field(min_length=1)
    sheet_id: str = Field(min_length=1)
    serial: int | None = None
    unit: str = Field(min_length=1)
    seat: int | None = None
    variant: str = Field(pattern=r"^[0-9]+$")
    creative: bool = False


class ScoringSheets(DomainModel):
    """The sheets to score and the exclusions that kept others out."""

    malformed_rule: ClassVar[str] = "UNT-SCORE-4"

    sheets: tuple[ScoringSheet, ...]
    excluded: tuple[Exclusion, ...]


def unt_scoring_sheets(
    identification: StreamIdentification,
    *,
    rosters: Sequence[RoomRoster],
    exclusions: Sequence[Exclusion] = (),
) -> ScoringSheets:
    """The scoring sheets of a closed ҰБТ stream.

    Implements UNT-SCORE-4, UNT-SCAN-5, UNT-ID-11.

    Parameters
    ----------
    identification : StreamIdentification
        The closed stream (the key's gate; «Жою» sheets are not in ``identified``).
    rosters : sequence of RoomRoster
        The stream's rooms, to know each sheet's room by its serial.
    exclusions : sequence of Exclusion
        Acts of applicants whose work is not processed.

    Returns
    -------
    ScoringSheets
    """
    room_of: dict[int, int] = {}
    for roster in rosters:
        if roster.stream != identification.stream:
            raise DomainError("UNT-SCORE-4", f"room {roster.room} is not of this stream")
        room_of.update(dict.fromkeys(roster.sheet_serials, roster.room))
    excluded = {e.candidate for e in exclusions}
    sheets = []
    for outcome in identification.identified:
        if outcome.tzhk in excluded:
            continue
        if outcome.serial not in room_of:
            raise DomainError(
                "UNT-SCORE-4", f"sheet {outcome.serial} is in none of the rooms given"
            )
        sheets.append(
            ScoringSheet(
                candidate=outcome.tzhk,
                sheet_id=outcome.sheet_id,
                serial=outcome.serial,
                unit=f"{room_of[outcome.serial]:02d}",
                seat=outcome.seat,
                variant=outcome.variant,
                creative=outcome.creative,
            )
        )
    return ScoringSheets(sheets=tuple(sheets), excluded=tuple(exclusions))


def school_scoring_sheets(
    state: SchoolIdentification, *, exclusions: Sequence[Exclusion] = ()
) -> ScoringSheets:
    """The scoring sheets of one school's МАБ/ОЖСБ identification.

    Implements MAB-S-21, OZH-18: evaluation runs once identification is done,
    so a sheet still in the protocol refuses the whole school.
    """
    rule = "MAB-S-21" if state.programme is Programme.MAB else "OZH-18"
    if state.unmatched:
        raise DomainError(
            rule,
            f"school {state.school}: {len(state.unmatched)} sheet(s) are still in the "
            "identification protocol; enter the commission's rows first",
        )
    excluded = {e.candidate for e in exclusions}
    sheets = tuple(
        ScoringSheet(
            candidate=o.student_id, sheet_id=o.sheet_id, unit=state.school, variant=o.variant
        )
        for o in state.matched
        if o.student_id not in excluded
    )
    return ScoringSheets(sheets=sheets, excluded=tuple(exclusions))
