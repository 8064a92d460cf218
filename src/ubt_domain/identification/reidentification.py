"""Re-scan and re-identification of a room after its protocol was entered (UNT-ID-13, -14).

Once the identification protocol is entered, errors the checkers made can
only be undone by re-scanning the sheets, agreed with the NTC, which gives a
password (UNT-SCAN-8), and by re-identifying the sheets whose ТЖК, variant or
profile subjects were corrected wrongly (appx 42). :func:`reidentify` does
both and returns a new room state; whatever fails the identification
conditions goes into the protocol again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ubt_domain.errors import DomainError
from ubt_domain.identification.auto import RoomIdentification, auto_outcomes
from ubt_domain.identification.outcomes import (
    Decision,
    Identified,
    Reason,
    ReidentificationRow,
    ReidentificationTrigger,
    SheetOutcome,
    Unfilled,
    Unidentified,
)
from ubt_domain.identification.roster import RoomRoster
from ubt_domain.identification.sheets import AnswerSheetData, Sector
from ubt_domain.passwords import PasswordVerifier

__all__ = ["reidentify"]


def reidentify(
    state: RoomIdentification,
    rows: Sequence[ReidentificationRow] = (),
    *,
    rescanned: Sequence[AnswerSheetData] = (),
    password: str | None = None,
    verifier: PasswordVerifier | None = None,
) -> RoomIdentification:
    """Re-scan a room's sheets and re-identify wrongly corrected ones.

    Implements UNT-ID-13, UNT-ID-14, UNT-SCAN-8.

    Parameters
    ----------
    state : RoomIdentification
        A room whose protocol has been entered.
    rows : sequence of ReidentificationRow
        Appx-42 rows, at most one per identified sheet.
    rescanned : sequence of AnswerSheetData
        New readings of some of the room's sheets, matched by serial.
    password : str or None
        The password the NTC gave for the re-scan; needed only when
        ``rescanned`` is not empty (§173 ties it to re-scanning; §174's
        re-identification rows need none).
    verifier : PasswordVerifier or None
        The NTC re-scan password's verifier (a salted hash given at set-up;
        the domain never holds the password itself); needed with ``password``.

    Returns
    -------
    RoomIdentification
        A new state. A re-scanned sheet replaces the old reading; if it was
        still in the protocol it is identified afresh by UNT-ID-1; if it was
        identified and the new reading contradicts the identification where
        the old reading did not (a sector that changed between the scans and
        now disagrees), it goes back to the protocol with
        ``Reason.RESCAN_CONFLICT`` and those sectors. A
        re-identified sheet takes the row's values; if its ТЖК then belongs
        to no applicant of the room or to another identified sheet, it goes
        into the protocol again.

    Raises
    ------
    DomainError
        (``UNT-ID-13``) when the protocol has not been entered, nothing is
        asked, or a re-scanned sheet is not one of the room's; (``UNT-SCAN-8``)
        when sheets are re-scanned and the password is missing or refused;
        (``UNT-ID-14``) for a row about a sheet that is not identified, two
        rows for one sheet, or triggers that do not match the values given.
    """
    where = f"stream {state.roster.stream}, room {state.roster.room:02d}"
    if not state.protocol_entered:
        raise DomainError(
            "UNT-ID-13",
            f"{where}: the protocol has not been entered; correct it with the commission's "
            f"rows instead of a re-scan",
        )
    if not rows and not rescanned:
        raise DomainError("UNT-ID-13", f"{where}: no sheet to re-scan and no row to re-identify")
    if rescanned and (password is None or verifier is None or not verifier.accepts(password)):
        raise DomainError(
            "UNT-SCAN-8", f"{where}: the NTC password for the re-scan was not accepted"
        )
    sheets, outcomes = _rescan(state, rescanned, where)
    outcomes = _reidentify_rows(state.roster, outcomes, rows, where)
    return RoomIdentification(
        roster=state.roster,
        sheets=sheets,
        outcomes=outcomes,
        rows_applied=state.rows_applied,
        protocol_entered=True,
    )


def _rescan(
    state: RoomIdentification, rescanned: Sequence[AnswerSheetData], where: str
) -> tuple[tuple[AnswerSheetData, ...], tuple[SheetOutcome, ...]]:
    index = {s.serial: i for i, s in enumerate(state.sheets) if s.serial is not None}
    repeated = [
        s for s, n in Counter(r.serial for r in rescanned).items() if n > 1 and s is not None
    ]
    if repeated:
        raise DomainError("UNT-ID-13", f"{where}: sheet {repeated[0]} is re-scanned twice")
    sheets = list(state.sheets)
    for new in rescanned:
        if new.serial is None or new.serial not in index:
            raise DomainError(
                "UNT-ID-13",
                f"{where}: re-scanned sheet {new.sheet_id} (serial {new.serial}) is not one of "
                f"the room's scanned sheets",
            )
        sheets[index[new.serial]] = new
    fresh = auto_outcomes(state.roster, sheets)
    replaced = {index[new.serial] for new in rescanned if new.serial is not None}
    outcomes = [
        _rescanned_outcome(old, fresh[i], state.sheets[i], sheets[i]) if i in replaced else old
        for i, old in enumerate(state.outcomes)
    ]
    return tuple(sheets), tuple(outcomes)


def _rescanned_outcome(
    old: SheetOutcome, fresh: SheetOutcome, before: AnswerSheetData, sheet: AnswerSheetData
) -> SheetOutcome:
    """Decided sheets keep their decision unless the new reading contradicts it.

    Implements UNT-ID-13.

    A sector contradicts an identification when the re-scan reads it
    differently from the first scan and the new value is not the identified
    one. A sector the first scan already misread and the commission corrected
    (and the re-scan misreads alike) is no news; one that changed is
    evidence against the decision, so the sheet goes back to the commission
    with those sectors rather than keeping the old identification silently.
    """
    if isinstance(old, Unidentified | Unfilled):
        return fresh
    if isinstance(old, Identified):
        conflicts = _conflicting_sectors(old, before, sheet)
        if conflicts:
            return Unidentified(
                sheet_id=sheet.sheet_id,
                serial=sheet.serial,
                reasons=(Reason.RESCAN_CONFLICT,),
                error_sectors=conflicts,
            )
    return old.evolve(sheet_id=sheet.sheet_id)


def _conflicting_sectors(
    old: Identified, before: AnswerSheetData, after: AnswerSheetData
) -> tuple[Sector, ...]:
    identified: dict[Sector, object] = {
        Sector.TZHK: old.tzhk,
        Sector.SEAT: old.seat,
        Sector.VARIANT: old.variant,
        Sector.PROFILE_SUBJECTS: old.profile_subjects,
        Sector.CREATIVE: old.creative,
    }
    return tuple(
        sector
        for sector, value in identified.items()
        if getattr(after, sector.value) != getattr(before, sector.value)
        and getattr(after, sector.value) != value
    )


_TRIGGER_FIELD = {
    ReidentificationTrigger.TZHK: "tzhk",
    ReidentificationTrigger.VARIANT: "variant",
    ReidentificationTrigger.PROFILE_SUBJECTS: "profile_subjects",
}


def _reidentify_rows(
    roster: RoomRoster,
    outcomes: tuple[SheetOutcome, ...],
    rows: Sequence[ReidentificationRow],
    where: str,
) -> tuple[SheetOutcome, ...]:
    repeated = [s for s, n in Counter(r.serial for r in rows).items() if n > 1]
    if repeated:
        raise DomainError(
            "UNT-ID-14", f"{where}: two re-identification rows for sheet {repeated[0]}"
        )
    index = {o.serial: i for i, o in enumerate(outcomes) if isinstance(o, Identified)}
    changed = list(outcomes)
    for row in rows:
        if row.serial not in index:
            raise DomainError(
                "UNT-ID-14",
                f"{where}: sheet {row.serial} is not identified; re-identification corrects "
                f"identified sheets only",
            )
        changed[index[row.serial]] = _with_row(outcomes[index[row.serial]], row, where)
    touched = {index[row.serial] for row in rows}
    return tuple(
        _recheck(o, roster, changed, i) if i in touched else o for i, o in enumerate(changed)
    )


def _with_row(old: SheetOutcome, row: ReidentificationRow, where: str) -> SheetOutcome:
    update: dict[str, object] = {"reidentification": row}
    for trigger, name in _TRIGGER_FIELD.items():
        value = getattr(row, name)
        if (trigger in row.triggers) != (value is not None):
            raise DomainError(
                "UNT-ID-14",
                f"{where}: row for sheet {row.serial} must give the {name} exactly when it names "
                f"the {trigger.value} trigger",
            )
        if value is not None:
            update[name] = value
    if ReidentificationTrigger.VARIANT in row.triggers:
        update["variant_confirmed"] = True
    return old.evolve(**update)


def _recheck(
    outcome: SheetOutcome, roster: RoomRoster, outcomes: Sequence[SheetOutcome], position: int
) -> SheetOutcome:
    """Apply UNT-ID-3 again to a re-identified sheet; failing, back to the protocol."""
    if not isinstance(outcome, Identified):
        return outcome
    failures: list[Reason] = []
    if outcome.decision is Decision.ADDITIONAL_SEATING:
        if roster.additional(outcome.tzhk) is None:
            failures.append(Reason.NOT_ADDITIONALLY_SEATED)
    elif roster.applicant(outcome.tzhk) is None:
        failures.append(Reason.TZHK_NOT_IN_ROOM)
    if any(
        isinstance(o, Identified) and o.tzhk == outcome.tzhk
        for i, o in enumerate(outcomes)
        if i != position
    ):
        failures.append(Reason.TZHK_ALREADY_IDENTIFIED)
    if not failures:
        return outcome
    return Unidentified(
        sheet_id=outcome.sheet_id,
        serial=outcome.serial,
        reasons=tuple(failures),
        error_sectors=outcome.error_sectors,
    )
