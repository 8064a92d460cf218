"""Automatic identification of a room's ҰБТ answer sheets (RULES 1.J).

A room's sheets are identified against a ``RoomRoster``
(``ubt_domain.identification.roster``): the serials of the sheets allocated
to the room, the variants sent to it and its seating sheet.
:func:`identify_room` applies the three conditions of UNT-ID-1 to every
scanned sheet and returns a :class:`RoomIdentification`, a value holding one
outcome per sheet: ``Identified``, ``Unidentified`` (in the protocol, with
its reasons and the sectors to frame in bold), ``Deleted`` or ``Unfilled``.
Later steps (``identification_decisions``) return new values; nothing is
changed in place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import ClassVar

from ubt_domain.errors import DomainError
from ubt_domain.identification.outcomes import (
    CommissionRow,
    Deleted,
    Identified,
    Reason,
    SheetOutcome,
    Unfilled,
    Unidentified,
)
from ubt_domain.identification.roster import RoomRoster, check_roster
from ubt_domain.identification.sheets import AnswerSheetData, Sector
from ubt_domain.models import DomainModel

__all__ = ["RoomIdentification", "auto_outcomes", "identify_room"]


class RoomIdentification(DomainModel):
    """The identification state of one room: one outcome per scanned sheet.

    Parameters
    ----------
    roster : RoomRoster
        What the room was given.
    sheets : tuple of AnswerSheetData
        Every scanned sheet of the room, filled and unfilled, in scan order.
    outcomes : tuple of SheetOutcome
        ``outcomes[i]`` is the outcome of ``sheets[i]``.
    rows_applied : tuple of CommissionRow
        The commission's rows entered so far, in order (provenance).
    protocol_entered : bool
        The protocol has been entered; a re-scan now needs a password
        (UNT-ID-13).
    """

    malformed_rule: ClassVar[str] = "UNT-ID-1"

    roster: RoomRoster
    sheets: tuple[AnswerSheetData, ...]
    outcomes: tuple[SheetOutcome, ...]
    rows_applied: tuple[CommissionRow, ...] = ()
    protocol_entered: bool = False

    @property
    def identified(self) -> tuple[Identified, ...]:
        """The identified sheets, in scan order."""
        return tuple(o for o in self.outcomes if isinstance(o, Identified))

    @property
    def unidentified(self) -> tuple[Unidentified, ...]:
        """The sheets waiting in the protocol, in scan order."""
        return tuple(o for o in self.outcomes if isinstance(o, Unidentified))

    @property
    def deleted(self) -> tuple[Deleted, ...]:
        """The sheets decided «Жою»: not evaluated (UNT-ID-11)."""
        return tuple(o for o in self.outcomes if isinstance(o, Deleted))

    @property
    def unfilled(self) -> tuple[Unfilled, ...]:
        """The spare sheets nobody wrote on."""
        return tuple(o for o in self.outcomes if isinstance(o, Unfilled))

    def sheet(self, sheet_id: str) -> AnswerSheetData:
        """Return the data of the sheet with this id (``KeyError`` if unknown)."""
        for sheet in self.sheets:
            if sheet.sheet_id == sheet_id:
                return sheet
        raise KeyError(sheet_id)

    def outcome(self, sheet_id: str) -> SheetOutcome:
        """Return the outcome of the sheet with this id (``KeyError`` if unknown)."""
        for sheet, outcome in zip(self.sheets, self.outcomes, strict=True):
            if sheet.sheet_id == sheet_id:
                return outcome
        raise KeyError(sheet_id)


def identify_room(roster: RoomRoster, sheets: Sequence[AnswerSheetData]) -> RoomIdentification:
    """Identify a room's scanned answer sheets automatically.

    Implements UNT-ID-1, UNT-ID-2, UNT-ID-4.

    Parameters
    ----------
    roster : RoomRoster
        The room's allocated sheets, variants and seating sheet.
    sheets : sequence of AnswerSheetData
        Every sheet scanned from the room's envelope, filled and unfilled.

    Returns
    -------
    RoomIdentification
        A sheet is :class:`Identified` when it is in the room's list, its
        ТЖК is a seating-sheet applicant's and its seat is that applicant's
        seat; every other filled sheet is :class:`Unidentified` with its
        reasons; sheets with nothing marked are :class:`Unfilled`.

    Raises
    ------
    DomainError
        (``UNT-ID-1``) when the roster repeats a serial, a ТЖК, a seat or a
        variant; (``UNT-ID-4``) when a sheet is given twice.

    Notes
    -----
    The three conditions are necessary, not sufficient. A sheet also goes to
    the protocol when a service sector is unreadable, holds several marks or
    lies in the review band, when its registration was poor, or when two
    sheets show the same serial or ТЖК: identification must establish all
    data needed to process the result (UNT-ID-5), and a guess here would put
    one applicant's answers under another's name. Additionally seated
    applicants are not on the seating sheet, so their sheets always reach the
    protocol (UNT-ID-10).

    Examples
    --------
    >>> from ubt_domain.identification.roster import SeatingRow, VariantAllocation
    >>> roster = RoomRoster(stream=1, room=3, sheet_serials=(501, 502),
    ...     variants=(VariantAllocation(variant="0101", count=2),),
    ...     seating=(SeatingRow(tzhk="000000001", seat=1, full_name="Ахметов Асқар",
    ...                         profile_subjects=("02", "05")),))
    >>> sheet = AnswerSheetData(sheet_id="a1", serial=501, tzhk="000000001", seat=1,
    ...     variant="0101", profile_subjects=("02", "05"))
    >>> identify_room(roster, [sheet]).identified[0].tzhk
    '000000001'
    """
    check_roster(roster)
    seen: set[str] = set()
    for sheet in sheets:
        if sheet.sheet_id in seen:
            raise DomainError(
                "UNT-ID-4",
                f"room {roster.room:02d}: sheet {sheet.sheet_id} is given twice; "
                f"pass each scanned sheet once",
            )
        seen.add(sheet.sheet_id)
    return RoomIdentification(
        roster=roster, sheets=tuple(sheets), outcomes=auto_outcomes(roster, sheets)
    )


def auto_outcomes(
    roster: RoomRoster, sheets: Sequence[AnswerSheetData]
) -> tuple[SheetOutcome, ...]:
    """Apply the automatic conditions to every sheet of a room.

    Implements UNT-ID-1.

    Parameters
    ----------
    roster : RoomRoster
        The room's allocated sheets and seating sheet (already checked).
    sheets : sequence of AnswerSheetData
        Every scanned sheet of the room.

    Returns
    -------
    tuple of SheetOutcome
        One per sheet, aligned with ``sheets``; repeated serials and ТЖК are
        counted over all the sheets, so re-running it on a re-scanned room
        judges each sheet against the others as they now read.
    """
    serials = Counter(s.serial for s in sheets if s.serial is not None)
    tzhks = Counter(s.tzhk for s in sheets if s.filled and s.tzhk is not None)
    return tuple(_auto_outcome(sheet, roster, serials, tzhks) for sheet in sheets)


def _auto_outcome(
    sheet: AnswerSheetData, roster: RoomRoster, serials: Counter[int], tzhks: Counter[str]
) -> SheetOutcome:
    if not sheet.filled:
        allocated = sheet.serial is not None and sheet.serial in roster.sheet_serials
        return Unfilled(sheet_id=sheet.sheet_id, serial=sheet.serial, allocated=allocated)
    reasons = _auto_reasons(sheet, roster, serials, tzhks)
    if (
        reasons
        or sheet.serial is None
        or sheet.tzhk is None
        or sheet.seat is None
        or sheet.variant is None
    ):
        return Unidentified(
            sheet_id=sheet.sheet_id,
            serial=sheet.serial,
            reasons=reasons,
            error_sectors=error_sectors(sheet, reasons),
        )
    return Identified(
        sheet_id=sheet.sheet_id,
        serial=sheet.serial,
        tzhk=sheet.tzhk,
        seat=sheet.seat,
        variant=sheet.variant,
        profile_subjects=sheet.profile_subjects,
        creative=sheet.creative,
    )


def _auto_reasons(
    sheet: AnswerSheetData, roster: RoomRoster, serials: Counter[int], tzhks: Counter[str]
) -> tuple[Reason, ...]:
    reasons: list[Reason] = []
    if sheet.quality_poor:
        reasons.append(Reason.POOR_REGISTRATION)
    if sheet.issues or _missing_sectors(sheet):
        reasons.append(Reason.SECTOR_UNREADABLE)
    if sheet.serial is None:
        reasons.append(Reason.SERIAL_UNREADABLE)
    elif sheet.serial not in roster.sheet_serials:
        reasons.append(Reason.NOT_ALLOCATED)
    elif serials[sheet.serial] > 1:
        reasons.append(Reason.DUPLICATE_SERIAL)
    if sheet.tzhk is not None:
        applicant = roster.applicant(sheet.tzhk)
        if applicant is None:
            reasons.append(Reason.TZHK_NOT_IN_ROOM)
        elif tzhks[sheet.tzhk] > 1:
            reasons.append(Reason.DUPLICATE_TZHK)
        elif sheet.seat is not None and sheet.seat != applicant.seat:
            reasons.append(Reason.SEAT_MISMATCH)
    return tuple(sorted(reasons, key=list(Reason).index))


_REASON_SECTOR = {
    Reason.SERIAL_UNREADABLE: Sector.SERIAL,
    Reason.NOT_ALLOCATED: Sector.SERIAL,
    Reason.DUPLICATE_SERIAL: Sector.SERIAL,
    Reason.TZHK_NOT_IN_ROOM: Sector.TZHK,
    Reason.DUPLICATE_TZHK: Sector.TZHK,
    Reason.SEAT_MISMATCH: Sector.SEAT,
}


def error_sectors(sheet: AnswerSheetData, reasons: Sequence[Reason]) -> tuple[Sector, ...]:
    """The sectors to frame in bold on the protocol's lower table (UNT-ID-8)."""
    sectors = {issue.sector for issue in sheet.issues} | _missing_sectors(sheet)
    sectors |= {_REASON_SECTOR[r] for r in reasons if r in _REASON_SECTOR}
    return tuple(s for s in Sector if s in sectors)


def _missing_sectors(sheet: AnswerSheetData) -> set[Sector]:
    """Required sectors without a value, whether or not an issue was recorded."""
    values = {Sector.TZHK: sheet.tzhk, Sector.SEAT: sheet.seat, Sector.VARIANT: sheet.variant}
    missing = {sector for sector, value in values.items() if value is None}
    if not sheet.profile_subjects and not sheet.creative:
        missing.add(Sector.PROFILE_SUBJECTS)
    return missing
