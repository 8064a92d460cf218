"""What a room was given before the exam, as identification sees it (UNT-ID-4).

A :class:`RoomRoster` holds the serials of the answer sheets allocated to a
room, the variants sent to it and its seating sheet, plus the applicants the
state commission seated there additionally. :func:`roster_from_seating`
builds one from a sealed ``SeatingPlan``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import ClassVar, Self

from pydantic import Field, model_validator

from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel
from ubt_domain.rooms.seating import SeatingPlan

__all__ = [
    "RoomRoster",
    "SeatingRow",
    "VariantAllocation",
    "check_roster",
    "roster_from_seating",
]

_DIGITS = r"^[0-9]+$"


class SeatingRow(DomainModel):
    """One applicant of a room's seating sheet (Rules appx 5).

    Parameters
    ----------
    tzhk : str
        The applicant's ТЖК, as on the application form.
    seat : int
        Seat number from the seating sheet.
    full_name : str
        Surname, name and patronymic, as printed on the seating sheet.
    profile_subjects : tuple of str
        Codes of the applicant's profile subjects (empty on the creative track).
    """

    malformed_rule: ClassVar[str] = "UNT-ID-4"

    tzhk: str = Field(pattern=_DIGITS)
    seat: int = Field(ge=1)
    full_name: str = Field(min_length=1)
    profile_subjects: tuple[str, ...] = ()


class VariantAllocation(DomainModel):
    """How many booklets of one variant were sent to a room."""

    malformed_rule: ClassVar[str] = "UNT-ID-4"

    variant: str = Field(pattern=_DIGITS)
    count: int = Field(ge=0)


class RoomRoster(DomainModel):
    """What a room was given before the exam: sheets, variants, applicants.

    Parameters
    ----------
    stream : int
        Stream (лек) number, from 1.
    room : int
        Room number, from 1 (printed ``01``, ``02``, ...).
    sheet_serials : tuple of int
        Serials of the answer sheets allocated to the room (UNT-ID-1 (1)),
        including sheets issued to it by act in place of damaged ones
        (appx 35), so that those are identified like the rest.
    variants : tuple of VariantAllocation
        Variants allocated to the room with their counts (UNT-ID-12); at
        least one, since without them every sheet's variant would count as
        over-allocated and block the stream.
    seating : tuple of SeatingRow
        The seating sheet (UNT-ID-1 (3)).
    additional_seatings : tuple of SeatingRow
        Applicants seated in the room by the state commission's protocol
        (UNT-SEAT-9); they are not on the seating sheet (UNT-ID-10).
    """

    malformed_rule: ClassVar[str] = "UNT-ID-4"

    stream: int = Field(ge=1)
    room: int = Field(ge=1)
    sheet_serials: tuple[int, ...]
    variants: tuple[VariantAllocation, ...]
    seating: tuple[SeatingRow, ...]
    additional_seatings: tuple[SeatingRow, ...] = ()

    @model_validator(mode="after")
    def _has_variant_allocation(self) -> Self:
        # Implements UNT-ID-12: the check of a sheet's variant compares it with
        # the room's allocation, so a roster without one is refused here, not
        # discovered later as every sheet "over-allocated".
        if not self.variants:
            raise DomainError(
                "UNT-ID-12",
                f"stream {self.stream}, room {self.room:02d}: no variant allocation; "
                f"give the variants sent to the room with their counts",
            )
        return self

    def applicant(self, tzhk: str) -> SeatingRow | None:
        """Return the seating-sheet row with this ТЖК, or ``None``."""
        return next((row for row in self.seating if row.tzhk == tzhk), None)

    def additional(self, tzhk: str) -> SeatingRow | None:
        """Return the additionally seated applicant with this ТЖК, or ``None``."""
        return next((row for row in self.additional_seatings if row.tzhk == tzhk), None)

    def allocated(self, variant: str) -> int:
        """Return how many booklets of ``variant`` the room was given (0 if none)."""
        return sum(v.count for v in self.variants if v.variant == variant)


def roster_from_seating(
    plan: SeatingPlan,
    sheet_serials: Sequence[int],
    *,
    full_names: Mapping[str, str],
    profile_subjects: Mapping[str, tuple[str, ...]] | None = None,
    variants: Sequence[VariantAllocation],
) -> RoomRoster:
    """Build a room's roster from its sealed seating plan.

    Implements UNT-ID-4.

    Parameters
    ----------
    plan : ubt_domain.seating.SeatingPlan
        The room's seating, with any additional seatings added (UNT-SEAT-9).
    sheet_serials : sequence of int
        Serials of the answer sheets allocated to the room.
    full_names : mapping of str to str
        «Аты-жөні» by ТЖК, for every applicant of the plan.
    profile_subjects : mapping of str to tuple of str, optional
        Profile-subject codes by ТЖК; missing ТЖК have none (creative track).
    variants : sequence of VariantAllocation
        The variants sent to the room.

    Returns
    -------
    RoomRoster
        Seating rows from the drawn seats; additional seatings apart, as the
        state commission's record (UNT-ID-10).

    Raises
    ------
    DomainError
        (``UNT-ID-4``) when an applicant of the plan has no name;
        (``UNT-ID-12``) when no variant allocation is given.

    Examples
    --------
    >>> from ubt_domain.rooms.seating import SeatAssignment
    >>> plan = SeatingPlan(stream=2, room=4, language="ru", seats=30, seed_commitment="0" * 64,
    ...     assignments=(SeatAssignment(tzhk="000000007", stream=2, room=4, seat=1),))
    >>> roster = roster_from_seating(plan, (4001,), full_names={"000000007": "Ким Анна"},
    ...     variants=(VariantAllocation(variant="0101", count=1),))
    >>> [(r.seat, r.full_name) for r in roster.seating]
    [(1, 'Ким Анна')]
    """
    subjects = profile_subjects or {}
    missing = sorted(a.tzhk for a in plan.assignments if a.tzhk not in full_names)
    if missing:
        raise DomainError(
            "UNT-ID-4",
            f"stream {plan.stream}, room {plan.room:02d}: no name for ТЖК {', '.join(missing)}; "
            f"the seating sheet needs every applicant's «аты-жөні»",
        )
    rows = [
        (
            a.additional,
            SeatingRow(
                tzhk=a.tzhk,
                seat=a.seat,
                full_name=full_names[a.tzhk],
                profile_subjects=subjects.get(a.tzhk, ()),
            ),
        )
        for a in plan.assignments
    ]
    return RoomRoster(
        stream=plan.stream,
        room=plan.room,
        sheet_serials=tuple(sheet_serials),
        variants=tuple(variants),
        seating=tuple(row for additional, row in rows if not additional),
        additional_seatings=tuple(row for additional, row in rows if additional),
    )


def check_roster(roster: RoomRoster) -> None:
    """Refuse a roster whose serials, ТЖК, seats or variants repeat.

    Implements UNT-ID-1.
    """
    where = f"stream {roster.stream}, room {roster.room:02d}"
    groups: tuple[tuple[str, Sequence[object]], ...] = (
        ("allocated sheet serial", roster.sheet_serials),
        ("ТЖК", [r.tzhk for r in (*roster.seating, *roster.additional_seatings)]),
        ("seating-sheet seat", [r.seat for r in roster.seating]),
        ("additional-seating seat", [r.seat for r in roster.additional_seatings]),
        ("allocated variant", [v.variant for v in roster.variants]),
    )
    for what, values in groups:
        repeated = sorted(str(v) for v, n in Counter(values).items() if n > 1)
        if repeated:
            raise DomainError(
                "UNT-ID-1",
                f"{where}: {what} {', '.join(repeated)} appears more than once; "
                f"each must name exactly one sheet, applicant or seat",
            )
