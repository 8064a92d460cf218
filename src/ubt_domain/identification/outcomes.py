"""The values identification produces: per-sheet outcomes and the commission's rows.

Each scanned ҰБТ answer sheet ends in exactly one outcome, a tagged union on
``kind``:

- :class:`Identified`: its applicant, seat, variant and profile subjects are
  established, automatically (UNT-ID-1) or by the commission (UNT-ID-3);
- :class:`Unidentified`: it waits in the identification protocol, with the
  reasons and the sectors to frame in bold (UNT-ID-2, UNT-ID-8);
- :class:`Deleted`: decided «Жою», not evaluated (UNT-ID-11);
- :class:`Unfilled`: a spare sheet nobody wrote on (UNT-SCAN-3).

A :class:`CommissionRow` is one filled row of the protocol's lower table.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import Field

from ubt_domain.identification.sheets import Sector
from ubt_domain.models import DomainModel

__all__ = [
    "CommissionRow",
    "Decision",
    "Deleted",
    "Identified",
    "Reason",
    "ReidentificationRow",
    "ReidentificationTrigger",
    "SheetOutcome",
    "Unfilled",
    "Unidentified",
]

_DIGITS = r"^[0-9]+$"


class Reason(StrEnum):
    """Why a sheet is (or was) in the identification protocol.

    The order of the members is the order reasons are listed in.
    """

    POOR_REGISTRATION = "poor_registration"  # fills near 50 % cannot be trusted
    SECTOR_UNREADABLE = "sector_unreadable"  # blank, multiple, review or invalid sector
    SERIAL_UNREADABLE = "serial_unreadable"  # printed serial not decoded
    NOT_ALLOCATED = "not_allocated"  # UNT-ID-1 (1): not in the room's list
    DUPLICATE_SERIAL = "duplicate_serial"  # two scanned sheets show one serial
    TZHK_NOT_IN_ROOM = "tzhk_not_in_room"  # UNT-ID-1 (2): no such applicant here
    DUPLICATE_TZHK = "duplicate_tzhk"  # two sheets claim one applicant
    SEAT_MISMATCH = "seat_mismatch"  # UNT-ID-1 (3): not the seating-sheet seat
    MISSING_COMMISSION_DATA = "missing_commission_data"  # UNT-ID-3 (3) not supplied
    TZHK_ALREADY_IDENTIFIED = "tzhk_already_identified"  # applicant has a sheet already
    SEAT_TAKEN = "seat_taken"  # another identified sheet holds the seat
    NOT_ADDITIONALLY_SEATED = "not_additionally_seated"  # UNT-ID-10: not in the record
    RESCAN_CONFLICT = "rescan_conflict"  # UNT-ID-13: a re-scan reads against the decision


class Decision(StrEnum):
    """The commission's decision in the «Шешім» column (UNT-ID-9, -10, -11)."""

    CORRECTION = "Түзету"
    ADDITIONAL_SEATING = "Қосымша отырғызу"
    DELETION = "Жою"


class CommissionRow(DomainModel):
    """One lower-table row as the commission filled it (UNT-ID-8).

    Parameters
    ----------
    sheet_id : str
        The sheet the row is about (its reading id).
    decision : Decision
        What the commission wrote in «Шешім».
    serial : int or None
        The printed sheet number, read by eye when the bit code was not.
    name_on_sheet : str
        «жауап парағындағы аты-жөні»: the handwritten surname and name.
    tzhk : str or None
        «ТЖК дұрыс коды», from the seating sheet.
    seat : int or None
        «Орнының дұрыс нөмірі», from the booklet.
    variant : str or None
        «кітапшадағы нұсқа №».
    profile_subjects : tuple of str or None
        «кітапшадағы пәндер бойынша пәндер» (empty on the creative track).
    """

    malformed_rule: ClassVar[str] = "UNT-ID-8"

    sheet_id: str = Field(min_length=1)
    decision: Decision
    serial: int | None = Field(default=None, ge=0)
    name_on_sheet: str = ""
    tzhk: str | None = Field(default=None, pattern=_DIGITS)
    seat: int | None = Field(default=None, ge=1)
    variant: str | None = Field(default=None, pattern=_DIGITS)
    profile_subjects: tuple[str, ...] | None = None


class ReidentificationTrigger(StrEnum):
    """What the commission corrected wrongly, calling for re-identification (UNT-ID-14)."""

    TZHK = "tzhk"  # (1) the ТЖК
    VARIANT = "variant"  # (2) the variant
    PROFILE_SUBJECTS = "profile_subjects"  # (3) the profile subjects


class ReidentificationRow(DomainModel):
    """One row of the re-identification form (appx 42) for an identified sheet.

    Parameters
    ----------
    serial : int
        The printed number of the sheet being re-identified.
    triggers : tuple of ReidentificationTrigger
        What was corrected wrongly; each trigger comes with its right value.
    tzhk, variant : str or None
        The right ТЖК and variant, given exactly when their trigger is.
    profile_subjects : tuple of str or None
        The right profile subjects, given exactly when their trigger is.
    """

    malformed_rule: ClassVar[str] = "UNT-ID-14"

    serial: int = Field(ge=0)
    triggers: tuple[ReidentificationTrigger, ...] = Field(min_length=1)
    tzhk: str | None = Field(default=None, pattern=_DIGITS)
    variant: str | None = Field(default=None, pattern=_DIGITS)
    profile_subjects: tuple[str, ...] | None = None


class Identified(DomainModel):
    """A sheet whose applicant and processing data are established.

    ``decision`` is ``None`` for automatic identification (UNT-ID-1), else the
    commission's decision; ``reasons`` and ``error_sectors`` keep why the
    sheet was in the protocol, ``row`` the commission's row.
    ``variant_confirmed`` is set once the variant was checked against the
    booklet (manual rows, variant identification); ``reidentification`` is
    the appx-42 row that last changed the sheet.
    """

    malformed_rule: ClassVar[str] = "UNT-ID-1"

    kind: Literal["identified"] = "identified"
    sheet_id: str
    serial: int
    tzhk: str
    seat: int
    variant: str
    profile_subjects: tuple[str, ...]
    creative: bool = False
    decision: Decision | None = None
    reasons: tuple[Reason, ...] = ()
    error_sectors: tuple[Sector, ...] = ()
    row: CommissionRow | None = None
    variant_confirmed: bool = False
    reidentification: ReidentificationRow | None = None


class Unidentified(DomainModel):
    """A sheet waiting in the identification protocol (UNT-ID-2).

    ``rejected_row`` is the commission's last row for it, when that row did
    not satisfy UNT-ID-3 and the sheet went into the protocol again.
    """

    malformed_rule: ClassVar[str] = "UNT-ID-2"

    kind: Literal["unidentified"] = "unidentified"
    sheet_id: str
    serial: int | None
    reasons: tuple[Reason, ...] = Field(min_length=1)
    error_sectors: tuple[Sector, ...] = ()
    rejected_row: CommissionRow | None = None


class Deleted(DomainModel):
    """A sheet decided «Жою»: not evaluated, not in the statement (UNT-ID-11)."""

    malformed_rule: ClassVar[str] = "UNT-ID-11"

    kind: Literal["deleted"] = "deleted"
    sheet_id: str
    serial: int | None
    reasons: tuple[Reason, ...] = ()
    error_sectors: tuple[Sector, ...] = ()
    row: CommissionRow


class Unfilled(DomainModel):
    """A spare sheet with nothing marked; ``allocated`` if in the room's list."""

    malformed_rule: ClassVar[str] = "UNT-ID-6"

    kind: Literal["unfilled"] = "unfilled"
    sheet_id: str
    serial: int | None
    allocated: bool


SheetOutcome = Annotated[
    Identified | Unidentified | Deleted | Unfilled, Field(discriminator="kind")
]
