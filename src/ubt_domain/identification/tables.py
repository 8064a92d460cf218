"""The answer-sheet identification protocol of a room (appx 36): its two tables.

:func:`identification_protocol` lays a room's identification state out as the
form the commission works on (UNT-ID-5): the **upper table**, one row per
applicant of the seating sheet whose sheet was not identified automatically,
with the column «жауап парағының №» the commission fills (UNT-ID-7); and the
**lower table**, one row per sheet that was not identified automatically,
with the sectors in error to be framed in bold and the commission's columns
(UNT-ID-8). Unfilled sheets are rows too: they are stacked in lower-table
order with the rest (UNT-ID-6). The document itself is rendered by
``ubt_domain.documents.identification_protocol``.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from ubt_domain.identification.auto import RoomIdentification
from ubt_domain.identification.decisions import VariantExcess, variant_excesses
from ubt_domain.identification.outcomes import (
    CommissionRow,
    Decision,
    Identified,
    Reason,
    SheetOutcome,
    Unfilled,
    Unidentified,
)
from ubt_domain.identification.sheets import AnswerSheetData, Sector
from ubt_domain.models import DomainModel

__all__ = ["IdentificationProtocol", "LowerRow", "UpperRow", "identification_protocol"]


class UpperRow(DomainModel):
    """An applicant whose sheet must be found by name (UNT-ID-7).

    ``sheet_serial`` is «жауап парағының №»: the serial of the sheet the
    commission identified as this applicant's, ``None`` while none is.
    """

    malformed_rule: ClassVar[str] = "UNT-ID-7"

    line: int = Field(ge=1)
    tzhk: str
    full_name: str
    seat: int
    profile_subjects: tuple[str, ...]
    sheet_serial: int | None = None


class LowerRow(DomainModel):
    """A sheet that was not identified automatically (UNT-ID-8).

    Parameters
    ----------
    line : int
        Row number; sheets are stacked in this order (UNT-ID-6).
    sheet_id : str
        The sheet's reading id.
    serial : int or None
        Printed sheet number.
    tzhk, variant : str or None
        As read from the sheet.
    seat : int or None
        As read from the sheet.
    profile_subjects : tuple of str
        As read from the sheet.
    error_sectors : tuple of Sector
        Sectors to frame in bold.
    reasons : tuple of Reason
        Why the sheet is in the protocol (or why the last row was refused).
    unfilled : bool
        Nothing is marked on the sheet.
    row : CommissionRow or None
        The commission's row entered for it, accepted or refused.
    decision : Decision or None
        The decision in force: set once a row was accepted.
    resolved : bool
        Identified, deleted or unfilled: nothing more to do.
    """

    malformed_rule: ClassVar[str] = "UNT-ID-8"

    line: int = Field(ge=1)
    sheet_id: str
    serial: int | None
    tzhk: str | None
    seat: int | None
    variant: str | None
    profile_subjects: tuple[str, ...]
    error_sectors: tuple[Sector, ...]
    reasons: tuple[Reason, ...]
    unfilled: bool
    row: CommissionRow | None
    decision: Decision | None
    resolved: bool


class IdentificationProtocol(DomainModel):
    """Both tables of a room's protocol, and its variant excesses (appx 37)."""

    malformed_rule: ClassVar[str] = "UNT-ID-5"

    stream: int
    room: int
    upper: tuple[UpperRow, ...]
    lower: tuple[LowerRow, ...]
    variant_excesses: tuple[VariantExcess, ...]


def identification_protocol(state: RoomIdentification) -> IdentificationProtocol:
    """Lay out a room's identification state as the protocol's two tables.

    Implements UNT-ID-5, UNT-ID-6, UNT-ID-7, UNT-ID-8, UNT-SCAN-6.

    Parameters
    ----------
    state : RoomIdentification
        The room's identification, before or after the commission's rows.

    Returns
    -------
    IdentificationProtocol
        Upper rows in seating-sheet (seat) order; lower rows by serial, the
        sheets whose serial could not be read last.

    Examples
    --------
    >>> from ubt_domain.identification.sheets import AnswerSheetData
    >>> from ubt_domain.identification.auto import identify_room
    >>> from ubt_domain.identification.roster import RoomRoster, SeatingRow, VariantAllocation
    >>> roster = RoomRoster(stream=1, room=2, sheet_serials=(11, 12), seating=(
    ...     SeatingRow(tzhk="000000007", seat=1, full_name="Сейтқали Дана"),),
    ...     variants=(VariantAllocation(variant="0101", count=2),))
    >>> wrong = AnswerSheetData(sheet_id="s", serial=11, tzhk="000000008", seat=1,
    ...     variant="0101", creative=True)
    >>> protocol = identification_protocol(identify_room(roster, [wrong]))
    >>> [r.full_name for r in protocol.upper], [r.error_sectors for r in protocol.lower]
    (['Сейтқали Дана'], [(<Sector.TZHK: 'tzhk'>,)])
    """
    automatic = {o.tzhk for o in state.identified if o.decision is None}
    manual = {o.tzhk: o.serial for o in state.identified if o.decision is not None}
    applicants = sorted(
        (row for row in state.roster.seating if row.tzhk not in automatic), key=lambda r: r.seat
    )
    pairs = [
        (sheet, outcome)
        for sheet, outcome in zip(state.sheets, state.outcomes, strict=True)
        if not (isinstance(outcome, Identified) and outcome.decision is None)
    ]
    pairs.sort(key=lambda p: (p[0].serial is None, p[0].serial or 0))
    upper = (
        UpperRow(
            line=line,
            tzhk=row.tzhk,
            full_name=row.full_name,
            seat=row.seat,
            profile_subjects=row.profile_subjects,
            sheet_serial=manual.get(row.tzhk),
        )
        for line, row in enumerate(applicants, start=1)
    )
    return IdentificationProtocol(
        stream=state.roster.stream,
        room=state.roster.room,
        upper=tuple(upper),
        lower=tuple(_lower_row(line, *pair) for line, pair in enumerate(pairs, start=1)),
        variant_excesses=variant_excesses(state),
    )


def _lower_row(line: int, sheet: AnswerSheetData, outcome: SheetOutcome) -> LowerRow:
    row: CommissionRow | None
    reasons: tuple[Reason, ...]
    sectors: tuple[Sector, ...]
    if isinstance(outcome, Unfilled):
        row, reasons, sectors = None, (), ()
    elif isinstance(outcome, Unidentified):
        row, reasons, sectors = outcome.rejected_row, outcome.reasons, outcome.error_sectors
    else:
        row, reasons, sectors = outcome.row, outcome.reasons, outcome.error_sectors
    accepted = row is not None and not isinstance(outcome, Unidentified)
    return LowerRow(
        line=line,
        sheet_id=sheet.sheet_id,
        serial=outcome.serial,
        tzhk=sheet.tzhk,
        seat=sheet.seat,
        variant=sheet.variant,
        profile_subjects=sheet.profile_subjects,
        error_sectors=sectors,
        reasons=reasons,
        unfilled=isinstance(outcome, Unfilled),
        row=row,
        decision=row.decision if accepted and row is not None else None,
        resolved=not isinstance(outcome, Unidentified),
    )
