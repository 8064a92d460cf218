"""DomainModel.evolve: the one way to change a model, validated like a new one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ubt_domain
from ubt_domain.application.names import PersonName
from ubt_domain.errors import DomainError
from ubt_domain.journal.entries import JournalRow, RegistrationJournal
from ubt_domain.models import ExamLanguage
from ubt_domain.rooms.fund import Room
from ubt_domain.rooms.seating import SeatAssignment, SeatingPlan

PACKAGE_DIR = Path(ubt_domain.__file__).parent
UNVALIDATED_COPY = re.compile(r"model_copy\(\s*update\s*=")
COMMITMENT = "0" * 64


def _unvalidated_copies(source: str) -> list[int]:
    """Line numbers of ``source`` that copy a model with an update, skipping validation."""
    return [n for n, line in enumerate(source.splitlines(), 1) if UNVALIDATED_COPY.search(line)]


def _journal() -> RegistrationJournal:
    rows = tuple(
        JournalRow(line=i, tzhk=f"04200000{i}", person=PersonName(surname="АБАЙ", name="ӘЛІ"))
        for i in (1, 2)
    )
    return RegistrationJournal(school_id="S-042", tzhk_prefix="0420", printed_lines=5, rows=rows)


def _plan() -> SeatingPlan:
    seated = tuple(
        SeatAssignment(tzhk=f"00000000{seat}", stream=1, room=2, seat=seat) for seat in (1, 2)
    )
    return SeatingPlan(
        stream=1,
        room=2,
        language=ExamLanguage.KAZAKH,
        seats=30,
        seed_commitment=COMMITMENT,
        assignments=seated,
    )


def test_no_module_copies_a_model_without_validation() -> None:
    """No source file of the domain uses ``model_copy(update=...)``; evolve is the way."""
    offenders = {
        str(path.relative_to(PACKAGE_DIR)): lines
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        if (lines := _unvalidated_copies(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_copy_check_sees_a_planted_copy() -> None:
    """The scan above would catch a copy with an update, however it is spaced."""
    assert _unvalidated_copies("x = 1\ny = row.model_copy( update = {'a': 1})\n") == [2]
    assert _unvalidated_copies("row.model_copy(deep=True)\nrow.evolve(a=1)\n") == []


def test_evolve_returns_a_new_model_and_keeps_the_old() -> None:
    """The copy has the change; the original is untouched."""
    room = Room(number=1, building="A", desks=15, seats=30)
    moved = room.evolve(building="B")
    assert (room.building, moved.building) == ("A", "B")
    assert moved.number == room.number
    assert type(moved) is Room


def test_evolve_refuses_an_unknown_field_as_the_callers_bug() -> None:
    """Naming a field the model does not have is a TypeError, not a domain error."""
    with pytest.raises(TypeError, match="no field"):
        Room(number=1, building="A", desks=15, seats=30).evolve(floor=2)


def test_unt_room_11_evolve_runs_field_validation() -> None:
    """A changed field is checked like a constructor argument."""
    with pytest.raises(DomainError) as info:
        Room(number=1, building="A", desks=15, seats=30).evolve(number=0)
    assert info.value.rule_id == "UNT-ROOM-11"


def test_unt_reg_2_evolve_refuses_an_inconsistent_journal() -> None:
    """A journal whose new rows repeat a ТЖК is refused: the journal's validator runs."""
    journal = _journal()
    twin = journal.rows[0].evolve(line=3)
    with pytest.raises(DomainError, match="two journal lines") as info:
        journal.evolve(rows=(*journal.rows, twin))
    assert info.value.rule_id == "UNT-REG-2"


def test_unt_reg_1_evolve_refuses_rows_beyond_the_printed_lines() -> None:
    """Shrinking the printed lines below the rows in use is refused."""
    with pytest.raises(DomainError, match="printed") as info:
        _journal().evolve(printed_lines=1)
    assert info.value.rule_id == "UNT-REG-1"


def test_unt_seat_2_evolve_refuses_an_inconsistent_seating_plan() -> None:
    """A plan whose new assignments share a seat, or exceed the room, is refused."""
    plan = _plan()
    clash = SeatAssignment(tzhk="000000009", stream=1, room=2, seat=2)
    with pytest.raises(DomainError, match="distinct") as info:
        plan.evolve(assignments=(*plan.assignments, clash))
    assert info.value.rule_id == "UNT-SEAT-2"
    with pytest.raises(DomainError, match="at most 1"):
        plan.evolve(seats=1)


def test_unt_seat_3_evolve_refuses_a_seat_in_another_room() -> None:
    """An assignment of another room cannot be slipped into a plan."""
    plan = _plan()
    stray = SeatAssignment(tzhk="000000009", stream=1, room=3, seat=3)
    with pytest.raises(DomainError, match="room 2") as info:
        plan.evolve(assignments=(*plan.assignments, stray))
    assert info.value.rule_id == "UNT-SEAT-3"
