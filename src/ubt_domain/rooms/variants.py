"""Booklet variants for МАБ and ОЖСБ classrooms: neighbours never share one.

МАБ and paper ОЖСБ have no seat numbers (C-14); the one seating rule is that
students sitting side by side must not get the same variant when booklets are
handed out (MAB-S-17, OZH-10). A classroom is modelled as rows of two-seat
desks, front row first; a seat is (row, column) with column ``2 * desk + side``
counted from the same wall in every row.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel, Programme
from ubt_domain.rooms.fund import SEATS_PER_DESK

__all__ = [
    "ClassroomShape",
    "Neighbourhood",
    "VariantClash",
    "VariantPlan",
    "VariantSeat",
    "assign_variants",
    "find_variant_clashes",
    "neighbours",
]

_RULE_BY_PROGRAMME = {Programme.MAB: "MAB-S-17", Programme.OZHSB: "OZH-10"}
_MIN_VARIANTS_NEARBY = 2  # a row or column of seats is 2-colourable
_MIN_VARIANTS_SURROUNDING = 4  # with diagonals each 2x2 block of seats is a clique

Seat = tuple[int, int]  # (row, column)


class Neighbourhood(StrEnum):
    """Which seats count as a student's neighbours."""

    SIDE_BY_SIDE = "side_by_side"  # same row, next seat: deskmate or across the aisle
    ADJACENT = "adjacent"  # also the seats straight in front and behind
    SURROUNDING = "surrounding"  # also the four diagonal seats


class ClassroomShape(DomainModel):
    """Rows of two-seat desks, front row first.

    Parameters
    ----------
    desks_per_row : tuple of int
        Number of desks in each row; rows may differ (a ragged back row).
    """

    malformed_rule: ClassVar[str] = "MAB-S-17"

    desks_per_row: tuple[int, ...] = Field(min_length=1)

    def seats(self) -> Iterator[Seat]:
        """Every seat, row by row, left to right."""
        for row, desks in enumerate(self.desks_per_row):
            for column in range(SEATS_PER_DESK * desks):
                yield row, column

    def has_seat(self, row: int, column: int) -> bool:
        """Whether (row, column) is a seat of the classroom."""
        return 0 <= row < len(self.desks_per_row) and (
            0 <= column < SEATS_PER_DESK * self.desks_per_row[row]
        )


class VariantSeat(DomainModel):
    """The variant handed out at one seat."""

    malformed_rule: ClassVar[str] = "MAB-S-17"

    row: int = Field(ge=0)
    column: int = Field(ge=0)
    variant: str = Field(min_length=1)


class VariantPlan(DomainModel):
    """Which variant each seat of a classroom receives."""

    malformed_rule: ClassVar[str] = "MAB-S-17"

    shape: ClassroomShape
    neighbourhood: Neighbourhood
    seats: tuple[VariantSeat, ...]

    def variant_at(self, row: int, column: int) -> str | None:
        """The variant of a seat, ``None`` for a seat the classroom lacks."""
        return next((s.variant for s in self.seats if (s.row, s.column) == (row, column)), None)


class VariantClash(DomainModel):
    """Two neighbouring seats that received the same variant."""

    malformed_rule: ClassVar[str] = "MAB-S-17"

    first: Seat
    second: Seat
    variant: str


def neighbours(
    shape: ClassroomShape, row: int, column: int, neighbourhood: Neighbourhood
) -> tuple[Seat, ...]:
    """Return the seats that neighbour (row, column), in row-major order.

    Implements MAB-S-17, OZH-10: who sits "side by side".

    Parameters
    ----------
    shape : ClassroomShape
        The classroom.
    row, column : int
        A seat of the classroom.
    neighbourhood : Neighbourhood
        Which seats count as neighbours.

    Returns
    -------
    tuple of (int, int)
        Neighbouring seats that exist in the classroom.

    Examples
    --------
    >>> neighbours(ClassroomShape(desks_per_row=(2, 1)), 0, 2, Neighbourhood.ADJACENT)
    ((0, 1), (0, 3))
    """
    steps = [(0, -1), (0, 1)]
    if neighbourhood is not Neighbourhood.SIDE_BY_SIDE:
        steps += [(-1, 0), (1, 0)]
    if neighbourhood is Neighbourhood.SURROUNDING:
        steps += [(-1, -1), (-1, 1), (1, -1), (1, 1)]
    found = {(row + dr, column + dc) for dr, dc in steps}
    return tuple(sorted(seat for seat in found if shape.has_seat(*seat)))


def assign_variants(
    shape: ClassroomShape,
    variants: Sequence[str],
    *,
    programme: Programme,
    neighbourhood: Neighbourhood = Neighbourhood.SIDE_BY_SIDE,
) -> VariantPlan:
    """Hand out variants so that no two neighbouring seats share one.

    Implements MAB-S-17, OZH-10.

    Parameters
    ----------
    shape : ClassroomShape
        The classroom.
    variants : sequence of str
        The distinct variant numbers in the box, in hand-out order.
    programme : Programme
        ``MAB`` or ``OZHSB``; names the rule in errors.
    neighbourhood : Neighbourhood
        Which seats count as neighbours; the rule's "side by side" is the
        default.

    Returns
    -------
    VariantPlan
        A variant for every seat, row-major.

    Raises
    ------
    DomainError
        Variants are empty, repeated, or too few for the neighbourhood (2,
        or 4 with diagonals), or the programme seats by number (ҰБТ).

    Notes
    -----
    Seat (r, c) gets ``variants[(c + r) % k]``: side-by-side and front/back
    neighbours differ by 1 in ``c + r``, never a multiple of ``k >= 2``. With
    diagonals it gets ``variants[(c + 2 r) % k]``: neighbours differ by 1, 2
    or 3, never a multiple of ``k >= 4``. Both spread the variants evenly
    over each row, and empty seats cannot create a clash.

    Examples
    --------
    >>> plan = assign_variants(ClassroomShape(desks_per_row=(2,)), ["0101", "0102"],
    ...     programme=Programme.MAB)
    >>> [s.variant for s in plan.seats]
    ['0101', '0102', '0101', '0102']
    """
    rule = _rule(programme)
    needed = (
        _MIN_VARIANTS_SURROUNDING
        if neighbourhood is Neighbourhood.SURROUNDING
        else _MIN_VARIANTS_NEARBY
    )
    names = list(variants)
    if any(not isinstance(v, str) or not v.strip() for v in names) or len(set(names)) != len(names):
        raise DomainError(rule, f"variants must be distinct non-empty strings, got {names!r}")
    if len(names) < needed:
        raise DomainError(
            rule,
            f"{len(names)} variant(s) cannot keep {neighbourhood.value} "
            f"neighbours apart; at least {needed} are needed",
        )
    row_step = 2 if neighbourhood is Neighbourhood.SURROUNDING else 1
    seats = tuple(
        VariantSeat(row=row, column=column, variant=names[(column + row_step * row) % len(names)])
        for row, column in shape.seats()
    )
    return VariantPlan(shape=shape, neighbourhood=neighbourhood, seats=seats)


def find_variant_clashes(
    shape: ClassroomShape,
    variant_by_seat: Mapping[Seat, str],
    *,
    programme: Programme,
    neighbourhood: Neighbourhood = Neighbourhood.SIDE_BY_SIDE,
) -> tuple[VariantClash, ...]:
    """Return every pair of neighbouring students holding the same variant.

    Implements MAB-S-17, OZH-10.

    Parameters
    ----------
    shape : ClassroomShape
        The classroom.
    variant_by_seat : mapping of (int, int) to str
        The variant at each occupied seat, e.g. as copied from the sheets.
    programme : Programme
        ``MAB`` or ``OZHSB``; names the rule in errors.
    neighbourhood : Neighbourhood
        Which seats count as neighbours.

    Returns
    -------
    tuple of VariantClash
        Each clashing pair once, ordered by its first seat; empty when the
        rule holds. Empty seats never clash.

    Raises
    ------
    DomainError
        A seat is not in the classroom.

    Examples
    --------
    >>> shape = ClassroomShape(desks_per_row=(1,))
    >>> [c.variant for c in find_variant_clashes(shape, {(0, 0): "A", (0, 1): "A"},
    ...     programme=Programme.MAB)]
    ['A']
    """
    rule = _rule(programme)
    for seat in variant_by_seat:
        if not shape.has_seat(*seat):
            raise DomainError(
                rule, f"seat {seat} is not in the classroom of rows {shape.desks_per_row} desks"
            )
    clashes = []
    for seat in sorted(variant_by_seat):
        for other in neighbours(shape, *seat, neighbourhood):
            if other > seat and variant_by_seat.get(other) == variant_by_seat[seat]:
                clashes.append(
                    VariantClash(first=seat, second=other, variant=variant_by_seat[seat])
                )
    return tuple(clashes)


def _rule(programme: Programme) -> str:
    rule = _RULE_BY_PROGRAMME.get(programme)
    if rule is None:
        raise DomainError(
            "MAB-S-17",
            f"variant alternation is the МАБ/ОЖСБ seating rule; "
            f"{programme!r} seats by drawn seat numbers (seat_room)",
        )
    return rule
