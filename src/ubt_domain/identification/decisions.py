"""The commission's work on a room's identification protocol (UNT-ID-3, -9…-12, D-8).

:func:`apply_commission_rows` enters the lower-table rows the commission
filled: «Түзету» and «Қосымша отырғызу» identify a sheet when the conditions
of UNT-ID-3 hold, otherwise the sheet goes into the protocol again; «Жою»
removes a sheet that was not allocated to the room. :func:`variant_excesses`
finds the variants a room has more sheets of than it was given (UNT-ID-12,
appx 37) and :func:`apply_variant_checks` enters the booklet variants the
commission read for them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import ClassVar

from pydantic import Field

from ubt_domain.errors import DomainError
from ubt_domain.identification.auto import RoomIdentification
from ubt_domain.identification.outcomes import (
    CommissionRow,
    Decision,
    Deleted,
    Identified,
    Reason,
    SheetOutcome,
    Unfilled,
    Unidentified,
)
from ubt_domain.identification.roster import RoomRoster
from ubt_domain.identification.sheets import AnswerSheetData
from ubt_domain.models import DomainModel

__all__ = [
    "VariantCheck",
    "VariantExcess",
    "apply_commission_rows",
    "apply_variant_checks",
    "pending_variant_checks",
    "variant_excesses",
]


_CONFIRMED = {"variant_confirmed": True}


class VariantExcess(DomainModel):
    """A variant a room has more sheets of than it was allocated (UNT-ID-12).

    Parameters
    ----------
    variant : str
        The variant number.
    allocated : int
        Booklets of this variant sent to the room.
    found : int
        Sheets (identified or in the protocol) bearing this variant.
    sheet_ids : tuple of str
        Those sheets, in scan order: the rows of the variant-identification
        table (appx 37).
    serials : tuple of (int or None)
        Their printed numbers, aligned with ``sheet_ids``.
    """

    malformed_rule: ClassVar[str] = "UNT-ID-12"

    variant: str
    allocated: int = Field(ge=0)
    found: int = Field(ge=1)
    sheet_ids: tuple[str, ...]
    serials: tuple[int | None, ...]


class VariantCheck(DomainModel):
    """The variant printed on a sheet's booklet, as the commission read it."""

    malformed_rule: ClassVar[str] = "UNT-ID-12"

    sheet_id: str = Field(min_length=1)
    booklet_variant: str = Field(pattern=r"^[0-9]+$")


def apply_commission_rows(
    state: RoomIdentification, rows: Sequence[CommissionRow]
) -> RoomIdentification:
    """Enter the commission's lower-table rows and re-check each sheet.

    Implements UNT-ID-3, UNT-ID-9, UNT-ID-10, UNT-ID-11, D-8.

    Parameters
    ----------
    state : RoomIdentification
        The room's current identification.
    rows : sequence of CommissionRow
        At most one row per sheet, each for a sheet in the protocol
        (unidentified or unfilled); entered in order.

    Returns
    -------
    RoomIdentification
        A new state, marked as entered (``protocol_entered``). A «Түзету» row
        identifies its sheet when the sheet is in the room's list, the ТЖК is
        a seating-sheet applicant's and seat, variant and profile subjects
        are all supplied; a «Қосымша отырғызу» row when the ТЖК is an
        additionally seated applicant's, whatever the sheet's serial (D-8).
        A row failing these goes back into the protocol with its reasons.

    Raises
    ------
    DomainError
        (``UNT-ID-8``) for a row about an unknown sheet, a sheet not in the
        protocol, a repeated sheet or a serial contradicting the scanned one;
        (``UNT-ID-11``) for «Жою» on a sheet in the room's list;
        (``D-8``) for «Жою» on an additionally seated applicant's sheet.

    Notes
    -----
    No applicant may hold two sheets and no seat two applicants: a row that
    would break either goes back into the protocol rather than displacing an
    earlier identification, so the commission sees the conflict.
    """
    _check_rows(state, rows)
    outcomes = {s.sheet_id: o for s, o in zip(state.sheets, state.outcomes, strict=True)}
    for row in rows:
        sheet = state.sheet(row.sheet_id)
        others = [o for sid, o in outcomes.items() if sid != row.sheet_id]
        outcomes[row.sheet_id] = _decide(row, sheet, outcomes[row.sheet_id], state.roster, others)
    return RoomIdentification(
        roster=state.roster,
        sheets=state.sheets,
        outcomes=tuple(outcomes[s.sheet_id] for s in state.sheets),
        rows_applied=(*state.rows_applied, *rows),
        protocol_entered=True,
    )


def _check_rows(state: RoomIdentification, rows: Sequence[CommissionRow]) -> None:
    where = f"stream {state.roster.stream}, room {state.roster.room:02d}"
    known = {s.sheet_id: (s, o) for s, o in zip(state.sheets, state.outcomes, strict=True)}
    read_serials = {s.serial for s in state.sheets if s.serial is not None}
    for sheet_id, count in Counter(r.sheet_id for r in rows).items():
        if count > 1:
            raise DomainError("UNT-ID-8", f"{where}: {count} rows for sheet {sheet_id}; give one")
    for row in rows:
        if row.sheet_id not in known:
            raise DomainError("UNT-ID-8", f"{where}: no scanned sheet {row.sheet_id}")
        sheet, outcome = known[row.sheet_id]
        if not isinstance(outcome, Unidentified | Unfilled):
            raise DomainError(
                "UNT-ID-8",
                f"{where}: sheet {sheet.serial} is {outcome.kind}, not in the protocol; "
                f"an identified sheet is corrected by re-identification (UNT-ID-14)",
            )
        if None not in (row.serial, sheet.serial) and row.serial != sheet.serial:
            raise DomainError(
                "UNT-ID-8",
                f"{where}: the row gives serial {row.serial} for sheet {row.sheet_id}, "
                f"whose printed serial was read as {sheet.serial}",
            )
        if sheet.serial is None and row.serial in read_serials:
            raise DomainError(
                "UNT-ID-8",
                f"{where}: the row gives serial {row.serial} for sheet {row.sheet_id}, but "
                f"another scanned sheet of the room bears that serial",
            )


def _decide(
    row: CommissionRow,
    sheet: AnswerSheetData,
    current: SheetOutcome,
    roster: RoomRoster,
    others: Sequence[SheetOutcome],
) -> SheetOutcome:
    reasons, sectors = (
        (current.reasons, current.error_sectors) if isinstance(current, Unidentified) else ((), ())
    )
    serial = sheet.serial if sheet.serial is not None else row.serial
    if row.decision is Decision.DELETION:
        _check_deletion(row, sheet, serial, roster)
        return Deleted(
            sheet_id=sheet.sheet_id, serial=serial, reasons=reasons, error_sectors=sectors, row=row
        )
    failures = _identification_failures(row, serial, roster, others, creative=sheet.creative)
    tzhk, seat, variant, subjects = row.tzhk, row.seat, row.variant, row.profile_subjects
    if (
        failures
        or serial is None
        or tzhk is None
        or seat is None
        or variant is None
        or subjects is None
    ):
        return Unidentified(
            sheet_id=sheet.sheet_id,
            serial=serial,
            reasons=failures or (Reason.MISSING_COMMISSION_DATA,),
            error_sectors=sectors,
            rejected_row=row,
        )
    return Identified(
        sheet_id=sheet.sheet_id,
        serial=serial,
        tzhk=tzhk,
        seat=seat,
        variant=variant,
        profile_subjects=subjects,
        creative=sheet.creative,
        decision=row.decision,
        reasons=reasons,
        error_sectors=sectors,
        row=row,
        variant_confirmed=True,
    )


def _check_deletion(
    row: CommissionRow, sheet: AnswerSheetData, serial: int | None, roster: RoomRoster
) -> None:
    where = f"stream {roster.stream}, room {roster.room:02d}, sheet {serial}"
    for tzhk in (t for t in (row.tzhk, sheet.tzhk) if t is not None):
        if roster.additional(tzhk) is not None:
            raise DomainError(
                "D-8",
                f"{where}: ТЖК {tzhk} was additionally seated in this room by the state "
                f"commission; its sheet is «Қосымша отырғызу», not «Жою»",
            )
    if serial is None:
        raise DomainError(
            "UNT-ID-11",
            f"{where}: the printed serial is unknown, so the sheet cannot be shown to lie "
            f"outside the room's list; the row must give the serial",
        )
    if serial in roster.sheet_serials:
        raise DomainError(
            "UNT-ID-11",
            f"{where}: the sheet is in the room's allocated list; «Жою» applies only to "
            f"sheets outside it",
        )


def _identification_failures(
    row: CommissionRow,
    serial: int | None,
    roster: RoomRoster,
    others: Sequence[SheetOutcome],
    *,
    creative: bool,
) -> tuple[Reason, ...]:
    """Which conditions of UNT-ID-3 (or UNT-ID-10 with D-8) the row fails.

    Implements UNT-ID-3, UNT-ID-9. Profile subjects are supplied only when
    the row names some: an empty list stands for the creative track, which
    the sheet itself must show (sector 6), or the sheet would be scored
    without its profile subjects.
    """
    failures: list[Reason] = []
    if serial is None:
        failures.append(Reason.SERIAL_UNREADABLE)
    elif row.decision is Decision.CORRECTION and serial not in roster.sheet_serials:
        failures.append(Reason.NOT_ALLOCATED)
    no_subjects = not row.profile_subjects and not creative
    if None in (row.tzhk, row.seat, row.variant, row.profile_subjects) or no_subjects:
        failures.append(Reason.MISSING_COMMISSION_DATA)
    if row.tzhk is not None:
        if row.decision is Decision.CORRECTION and roster.applicant(row.tzhk) is None:
            failures.append(Reason.TZHK_NOT_IN_ROOM)
        if row.decision is Decision.ADDITIONAL_SEATING and roster.additional(row.tzhk) is None:
            failures.append(Reason.NOT_ADDITIONALLY_SEATED)
    identified = [o for o in others if isinstance(o, Identified)]
    if row.tzhk is not None and any(o.tzhk == row.tzhk for o in identified):
        failures.append(Reason.TZHK_ALREADY_IDENTIFIED)
    if row.seat is not None and any(o.seat == row.seat for o in identified):
        failures.append(Reason.SEAT_TAKEN)
    return tuple(sorted(failures, key=list(Reason).index))


def variant_excesses(state: RoomIdentification) -> tuple[VariantExcess, ...]:
    """Find the variants a room has more sheets of than it was allocated.

    Implements UNT-ID-12.

    Parameters
    ----------
    state : RoomIdentification
        The room's current identification.

    Returns
    -------
    tuple of VariantExcess
        One per over-represented variant, by variant number. Identified
        sheets count with their established variant, sheets in the protocol
        with the variant read from them; deleted and unfilled sheets do not
        count.
    """
    by_variant: dict[str, list[AnswerSheetData]] = {}
    for sheet, outcome in zip(state.sheets, state.outcomes, strict=True):
        variant = (
            outcome.variant
            if isinstance(outcome, Identified)
            else sheet.variant
            if isinstance(outcome, Unidentified)
            else None
        )
        if variant is not None:
            by_variant.setdefault(variant, []).append(sheet)
    return tuple(
        VariantExcess(
            variant=variant,
            allocated=state.roster.allocated(variant),
            found=len(sheets),
            sheet_ids=tuple(s.sheet_id for s in sheets),
            serials=tuple(s.serial for s in sheets),
        )
        for variant, sheets in sorted(by_variant.items())
        if len(sheets) > state.roster.allocated(variant)
    )


def pending_variant_checks(state: RoomIdentification) -> tuple[Identified, ...]:
    """Return the identified sheets whose over-represented variant is unchecked.

    Implements UNT-ID-12.

    Sheets identified by the commission carry the booklet's variant already;
    automatically identified ones need the booklet compared (appx 37).
    """
    excess = {e.variant for e in variant_excesses(state)}
    return tuple(o for o in state.identified if o.variant in excess and not o.variant_confirmed)


def apply_variant_checks(
    state: RoomIdentification, checks: Sequence[VariantCheck]
) -> RoomIdentification:
    """Enter the booklet variants read during variant identification (appx 37).

    Implements UNT-ID-12.

    Parameters
    ----------
    state : RoomIdentification
        The room's current identification.
    checks : sequence of VariantCheck
        One per identified sheet the commission compared with its booklet.

    Returns
    -------
    RoomIdentification
        A new state where each checked sheet carries the booklet's variant,
        marked as confirmed.

    Raises
    ------
    DomainError
        (``UNT-ID-12``) for a check about a sheet that is not identified in
        this room, or two checks for one sheet.
    """
    where = f"stream {state.roster.stream}, room {state.roster.room:02d}"
    by_sheet = {c.sheet_id: c for c in checks}
    if len(by_sheet) < len(checks):
        raise DomainError("UNT-ID-12", f"{where}: two variant checks for one sheet")
    identified = {o.sheet_id for o in state.identified}
    unknown = sorted(set(by_sheet) - identified)
    if unknown:
        raise DomainError(
            "UNT-ID-12",
            f"{where}: sheets {', '.join(unknown)} are not identified here; variant "
            f"identification checks identified sheets",
        )
    outcomes = tuple(
        o.evolve(variant=by_sheet[o.sheet_id].booklet_variant, **_CONFIRMED)
        if isinstance(o, Identified) and o.sheet_id in by_sheet
        else o
        for o in state.outcomes
    )
    return state.evolve(outcomes=outcomes)
