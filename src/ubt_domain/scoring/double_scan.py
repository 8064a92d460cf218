"""Both scans of a room: pair them by serial, send every disagreement to review (UNT-SCAN-4).

Each room's answer sheets are scanned twice (UNT-SCAN-4). The second scan is
free evidence: where both scans read a slot the same way the reading is
final; where they differ (a mark one scan sees and the other does not, a
`multiple` against a single mark) the slot goes to the review list with the
fills of both scans, and a sheet found in one scan only is held back until
a recorded decision accepts its single reading. Nothing is picked silently.

How often the scans disagree, per room, is also a scanner-health signal: a
rate well above the usual points at a dirty glass or a drifting lamp.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import ClassVar, Literal

from pydantic import Field

from omrkit.layout.models import SheetLayout
from omrkit.types import SheetReading
from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel
from ubt_domain.scoring.slot_fills import SlotRanges, slot_fills, slot_ranges

__all__ = [
    "RoomScans",
    "SingleScanDecision",
    "SlotDisagreement",
    "UnpairedSheet",
    "accept_single_scans",
    "pair_scans",
]

_RULE = "UNT-SCAN-4"


class SlotDisagreement(DomainModel):
    """One slot the two scans of a sheet read differently.

    ``task`` is the slot's 1-based position in its field; states are
    ``omrkit.SlotState`` values; fills are the slot's bubbles' fill ratios.
    """

    malformed_rule: ClassVar[str] = _RULE

    serial: int
    sheet_id: str
    field_id: str
    task: int = Field(ge=1)
    state_first: str
    state_second: str
    symbol_first: str | None
    symbol_second: str | None
    fills_first: tuple[float, ...]
    fills_second: tuple[float, ...]


class UnpairedSheet(DomainModel):
    """A sheet found in one scan only (or with an unreadable serial)."""

    malformed_rule: ClassVar[str] = _RULE

    serial: int | None
    sheet_id: str
    scan: Literal[1, 2]


class SingleScanDecision(DomainModel):
    """A recorded decision to score a sheet on its one scan (after checking the sheet)."""

    malformed_rule: ClassVar[str] = _RULE

    sheet_id: str = Field(min_length=1)
    decided_by: str = Field(min_length=1)


class RoomScans(DomainModel):
    """The two scans of one room, compared.

    Parameters
    ----------
    room : int
        The room.
    final : tuple of SheetReading
        The first scan's reading of every sheet whose two scans were paired
        (with its disagreeing slots in ``disagreements``), plus single scans
        accepted by a decision.
    disagreements : tuple of SlotDisagreement
        Every slot the scans read differently: the review list's share.
    unpaired : tuple of UnpairedSheet
        Sheets in one scan only, not yet accepted.
    sheets_paired, sheets_disagreeing, slots_compared, slots_disagreeing : int
        Counts behind the rates.
    """

    malformed_rule: ClassVar[str] = _RULE

    room: int = Field(ge=1)
    final: tuple[SheetReading, ...]
    disagreements: tuple[SlotDisagreement, ...]
    unpaired: tuple[UnpairedSheet, ...]
    sheets_paired: int = Field(ge=0)
    sheets_disagreeing: int = Field(ge=0)
    slots_compared: int = Field(ge=0)
    slots_disagreeing: int = Field(ge=0)

    @property
    def slot_disagreement_rate(self) -> float:
        """Share of compared slots the scans read differently (0 when none compared)."""
        return self.slots_disagreeing / self.slots_compared if self.slots_compared else 0.0

    @property
    def sheet_disagreement_rate(self) -> float:
        """Share of paired sheets with at least one disagreeing slot."""
        return self.sheets_disagreeing / self.sheets_paired if self.sheets_paired else 0.0


def pair_scans(
    first: Sequence[SheetReading],
    second: Sequence[SheetReading],
    *,
    room: int,
    layout: SheetLayout,
) -> RoomScans:
    """Pair a room's two scans by serial and compare every slot.

    Implements UNT-SCAN-4.

    Parameters
    ----------
    first, second : sequence of omrkit.SheetReading
        The readings of the first and the second scan of the room.
    room : int
        The room's number.
    layout : omrkit SheetLayout
        The layout both scans were read with.

    Returns
    -------
    RoomScans

    Raises
    ------
    DomainError
        (``UNT-SCAN-4``) when one scan shows a serial twice or a reading was
        made with another layout.
    """
    by_serial = [_by_serial(scan, number) for number, scan in ((1, first), (2, second))]
    for reading in (*first, *second):
        if reading.layout_id != layout.layout_id:
            raise DomainError(
                _RULE,
                f"reading {reading.sheet_id} has layout {reading.layout_id}, "
                f"not {layout.layout_id}",
            )
    ranges = slot_ranges(layout)
    final: list[SheetReading] = []
    disagreements: list[SlotDisagreement] = []
    compared = disagreeing_sheets = 0
    unpaired = [
        UnpairedSheet(serial=r.serial, sheet_id=r.sheet_id, scan=scan)
        for scan, readings in ((1, first), (2, second))
        for r in readings
        if r.serial is None or r.serial not in by_serial[2 - scan]
    ]
    for serial, one in by_serial[0].items():
        two = by_serial[1].get(serial)
        if two is None:
            continue
        found, n_slots = _compare(one, two, serial, ranges)
        compared += n_slots
        disagreements += found
        disagreeing_sheets += bool(found)
        final.append(one)
    return RoomScans(
        room=room,
        final=tuple(final),
        disagreements=tuple(disagreements),
        unpaired=tuple(unpaired),
        sheets_paired=len(final),
        sheets_disagreeing=disagreeing_sheets,
        slots_compared=compared,
        slots_disagreeing=len(disagreements),
    )


def accept_single_scans(
    scans: RoomScans,
    decisions: Sequence[SingleScanDecision],
    readings: Sequence[SheetReading],
) -> RoomScans:
    """Add the single-scan sheets a recorded decision accepts to the final readings.

    Implements UNT-SCAN-4.

    Raises
    ------
    DomainError
        (``UNT-SCAN-4``) when a decision names a sheet that is not unpaired, or
        its reading is not given.
    """
    waiting = {u.sheet_id: u for u in scans.unpaired}
    given = {r.sheet_id: r for r in readings}
    accepted = []
    for decision in decisions:
        if decision.sheet_id not in waiting or decision.sheet_id not in given:
            raise DomainError(
                _RULE,
                f"sheet {decision.sheet_id} is not a single scan of room {scans.room} "
                "with its reading given",
            )
        accepted.append(given[decision.sheet_id])
    chosen = {d.sheet_id for d in decisions}
    return scans.evolve(
        final=(*scans.final, *accepted),
        unpaired=tuple(u for u in scans.unpaired if u.sheet_id not in chosen),
    )


def _by_serial(readings: Sequence[SheetReading], scan: int) -> dict[int, SheetReading]:
    counts = Counter(r.serial for r in readings if r.serial is not None)
    twice = sorted(s for s, n in counts.items() if n > 1)
    if twice:
        raise DomainError(_RULE, f"scan {scan} shows serial(s) {twice} more than once")
    return {r.serial: r for r in readings if r.serial is not None}


def _compare(
    one: SheetReading, two: SheetReading, serial: int, ranges: SlotRanges
) -> tuple[list[SlotDisagreement], int]:
    found: list[SlotDisagreement] = []
    compared = 0
    for field_id, a in one.fields.items():
        b = two.fields.get(field_id)
        if b is None:
            raise DomainError(_RULE, f"serial {serial}: the second scan lacks field {field_id}")
        for index, (state_a, state_b, sym_a, sym_b) in enumerate(
            zip(a.states, b.states, a.symbols, b.symbols, strict=True)
        ):
            compared += 1
            if state_a == state_b and sym_a == sym_b:
                continue
            found.append(
                SlotDisagreement(
                    serial=serial,
                    sheet_id=one.sheet_id,
                    field_id=field_id,
                    task=index + 1,
                    state_first=state_a.value,
                    state_second=state_b.value,
                    symbol_first=sym_a,
                    symbol_second=sym_b,
                    fills_first=slot_fills(one, ranges, field_id, index),
                    fills_second=slot_fills(two, ranges, field_id, index),
                )
            )
    return found, compared
