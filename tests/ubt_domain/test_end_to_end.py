"""End to end: 300 applicants in 2 streams, from applications to a closed identification.

On the exam day of ``exam_day`` (rooms, a sealed seating draw, additional
seating by the state commission, and every room's sheets with 5 % planted
errors), the identification protocol must hold exactly the planted cases; the
commission's rows must then give each the right decision, and both streams
must close.
"""

from __future__ import annotations

import datetime as dt

from tests.ubt_domain.exam_day import (
    APPLICANTS,
    EXTRA_IN,
    PLANTED_SHARE,
    RESERVE_SERIALS,
    ROOMS,
    STREAMS,
    Plant,
    Truth,
    World,
)
from ubt_domain.documents.identification_protocol import identification_protocol_pdf
from ubt_domain.identification.auto import RoomIdentification, identify_room
from ubt_domain.identification.closing import close_stream_identification
from ubt_domain.identification.decisions import apply_commission_rows, pending_variant_checks
from ubt_domain.identification.outcomes import CommissionRow, Decision, Deleted, Identified
from ubt_domain.identification.roster import RoomRoster
from ubt_domain.identification.tables import IdentificationProtocol, identification_protocol


def _commission_row(sheet_id: str, truth: Truth) -> CommissionRow:
    if truth.plant is Plant.EXTRA:
        return CommissionRow(sheet_id=sheet_id, decision=Decision.DELETION)
    decision = (
        Decision.ADDITIONAL_SEATING if truth.plant is Plant.ADDITIONAL else Decision.CORRECTION
    )
    return CommissionRow(
        sheet_id=sheet_id,
        decision=decision,
        name_on_sheet=truth.name,
        tzhk=truth.tzhk,
        seat=truth.seat,
        variant=truth.variant,
        profile_subjects=truth.subjects,
    )


_EXPECTED_DECISION = {
    Plant.WRONG_TZHK: Decision.CORRECTION,
    Plant.WRONG_SEAT: Decision.CORRECTION,
    Plant.EXTRA: Decision.DELETION,
    Plant.ADDITIONAL: Decision.ADDITIONAL_SEATING,
}


def _check_protocol(world: World, roster: RoomRoster, protocol: IdentificationProtocol) -> None:
    sheets = world.sheets[(roster.stream, roster.room)]
    planted = {s.sheet_id for s in sheets if s.sheet_id in world.truth}
    pending = {r.sheet_id for r in protocol.lower if not r.resolved}
    assert pending == planted
    assert {r.serial for r in protocol.lower if r.unfilled} == {
        s.serial for s in sheets if not s.filled
    }
    wrong_owners = {
        t.tzhk
        for sid, t in world.truth.items()
        if sid in planted and t.plant in {Plant.WRONG_TZHK, Plant.WRONG_SEAT}
    }
    seated = {r.tzhk for r in roster.seating}
    assert {r.tzhk for r in protocol.upper} == wrong_owners | (world.absent & seated)


def test_unt_id_2_end_to_end_protocol_holds_exactly_the_planted_cases() -> None:
    """From 300 applications to two closed streams: the protocol holds the planted cases
    and nothing else, and the commission's rows give each its right decision."""
    world = World()
    assert len(world.truth) == round(APPLICANTS * PLANTED_SHARE)
    closed_rooms: dict[int, list[RoomIdentification]] = {s: [] for s in STREAMS}
    for plan in world.plans:
        roster = world.roster(plan)
        state = identify_room(roster, world.sheets[(plan.stream, plan.room)])
        protocol = identification_protocol(state)
        _check_protocol(world, roster, protocol)
        rows = [
            _commission_row(r.sheet_id, world.truth[r.sheet_id])
            for r in protocol.lower
            if not r.resolved
        ]
        decided = apply_commission_rows(state, rows)
        for sheet_id in (r.sheet_id for r in rows):
            outcome = decided.outcome(sheet_id)
            expected = _EXPECTED_DECISION[world.truth[sheet_id].plant]
            assert isinstance(outcome, Identified | Deleted)
            assert outcome.row is not None
            assert outcome.row.decision is expected
            if isinstance(outcome, Identified):
                assert outcome.tzhk == world.truth[sheet_id].tzhk
        assert decided.unidentified == ()
        assert pending_variant_checks(decided) == ()
        after = identification_protocol(decided)
        assert all((r.sheet_serial is None) == (r.tzhk in world.absent) for r in after.upper)
        for outcome in decided.identified:
            if (
                outcome.decision is Decision.ADDITIONAL_SEATING
                and outcome.serial in RESERVE_SERIALS
            ):
                assert outcome.serial not in roster.sheet_serials  # D-8: not «Жою»
        closed_rooms[plan.stream].append(decided)
        if rows:
            day = dt.date(2026, 6, 20)
            pdf = identification_protocol_pdf(after, testing_point="035", exam_date=day)
            assert pdf.startswith(b"%PDF-")
    closed = [
        close_stream_identification(closed_rooms[s], stream=s, expected_rooms=ROOMS)
        for s in STREAMS
    ]
    identified = {o.tzhk for c in closed for o in c.identified}
    assert len([o for c in closed for o in c.identified]) == len(identified)
    assert identified == set(world.people) - (world.absent - set(world.moved))
    assert {r.tzhk for c in closed for r in c.without_sheet} == world.absent
    assert {o.serial for c in closed for o in c.deleted} == {
        70000 + stream * 10 + room for stream, room in EXTRA_IN
    }
