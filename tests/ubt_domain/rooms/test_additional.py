"""Additional seating by state-commission decision (UNT-SEAT-9, D-8)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ubt_domain.errors import DomainError
from ubt_domain.models import ExamLanguage
from ubt_domain.rooms.additional import (
    AdditionalSeatingRequest,
    MaterialsSource,
    additional_seating_options,
    seat_additionally,
)
from ubt_domain.rooms.seating import SeatAssignment, SeatingPlan

KK = ExamLanguage.KAZAKH
RU = ExamLanguage.RUSSIAN


def plan(
    stream: int, room: int, language: ExamLanguage, *, seats: int = 30, taken: int = 0
) -> SeatingPlan:
    """A sealed plan whose first ``taken`` seats are held."""
    held = tuple(
        SeatAssignment(tzhk=f"{stream}{room:02d}{seat:06d}", stream=stream, room=room, seat=seat)
        for seat in range(1, taken + 1)
    )
    return SeatingPlan(
        stream=stream,
        room=room,
        language=language,
        seats=seats,
        seed_commitment="ab" * 32,
        assignments=held,
    )


def request(**changes: object) -> AdditionalSeatingRequest:
    """A stream-1 applicant recorded as Kazakh who sits in Russian, with a protocol."""
    fields: dict[str, object] = {
        "tzhk": "000000777",
        "stream": 1,
        "recorded_language": KK,
        "needed_language": RU,
        "protocol_ref": "МК хаттама №3",
        "materials": MaterialsSource.ABSENT_APPLICANT,
    }
    fields.update(changes)
    return AdditionalSeatingRequest.model_validate(fields)


def test_unt_seat_9_applicant_takes_the_first_free_seat_of_a_later_stream() -> None:
    """The earliest later stream's first room with the language and a free seat is used."""
    plans = [
        plan(1, 1, RU),
        plan(2, 1, KK),
        plan(2, 2, RU, taken=30),
        plan(2, 3, RU, taken=12),
        plan(3, 1, RU),
    ]
    assignment, updated = seat_additionally(request(), plans=plans)
    assert (assignment.stream, assignment.room, assignment.seat) == (2, 3, 13)
    assert assignment.additional
    assert assignment.protocol_ref == "МК хаттама №3"
    assert updated.seat_of("000000777") == 13
    assert len(updated.assignments) == 13
    assert updated.seed_commitment == plans[3].seed_commitment


def test_unt_seat_9_commission_may_choose_the_room() -> None:
    """A room named in the request is used when it can take the applicant."""
    plans = [plan(2, 1, RU), plan(2, 4, RU, taken=3)]
    assignment, _ = seat_additionally(request(room=4), plans=plans)
    assert (assignment.room, assignment.seat) == (4, 4)


def test_unt_seat_9_same_language_is_not_a_ground() -> None:
    """Additional seating is only for a wrongly recorded exam language."""
    with pytest.raises(DomainError, match="wrongly recorded") as caught:
        seat_additionally(request(needed_language=KK), plans=[plan(2, 1, KK)])
    assert caught.value.rule_id == "UNT-SEAT-9"


def test_unt_seat_9_protocol_reference_is_required() -> None:
    """Without the state-commission protocol reference the seating is refused."""
    with pytest.raises(DomainError, match="protocol") as caught:
        seat_additionally(request(protocol_ref="  "), plans=[plan(2, 1, RU)])
    assert caught.value.rule_id == "UNT-SEAT-9"


def test_unt_seat_9_no_later_stream_is_refused() -> None:
    """A testing point whose last stream is the applicant's cannot seat additionally."""
    with pytest.raises(DomainError, match="no seated stream after stream 2") as caught:
        seat_additionally(request(stream=2), plans=[plan(1, 1, RU), plan(2, 1, RU)])
    assert caught.value.rule_id == "UNT-SEAT-9"


def test_unt_seat_9_no_free_seat_with_the_language_is_refused() -> None:
    """Later rooms that are full or of the other language give no seat."""
    plans = [plan(2, 1, RU, taken=30), plan(2, 2, KK)]
    assert additional_seating_options(request(), plans) == ()
    with pytest.raises(DomainError, match="no free seat") as caught:
        seat_additionally(request(), plans=plans)
    assert caught.value.rule_id == "UNT-SEAT-9"


def test_unt_seat_9_chosen_room_that_cannot_take_the_applicant_is_refused() -> None:
    """A commission-chosen room of the wrong language is refused, naming the room."""
    with pytest.raises(DomainError, match="room 02") as caught:
        seat_additionally(request(room=2), plans=[plan(2, 1, RU), plan(2, 2, KK)])
    assert caught.value.rule_id == "UNT-SEAT-9"


def test_unt_seat_9_applicant_cannot_be_seated_twice() -> None:
    """An applicant already seated in a later stream is refused a second seat."""
    _, updated = seat_additionally(request(), plans=[plan(2, 1, RU)])
    with pytest.raises(DomainError, match="already holds") as caught:
        seat_additionally(request(), plans=[updated])
    assert caught.value.rule_id == "UNT-SEAT-9"


def test_unt_seat_9_options_list_every_room_that_can_take_the_applicant() -> None:
    """Options are the later rooms of the needed language with free seats, in order."""
    plans = [plan(3, 2, RU, taken=29), plan(2, 1, RU, taken=5), plan(2, 2, KK), plan(1, 1, RU)]
    options = additional_seating_options(request(), plans)
    assert [(o.stream, o.room, o.seat, o.free_seats) for o in options] == [
        (2, 1, 6, 25),
        (3, 2, 30, 1),
    ]


@given(taken=st.lists(st.integers(0, 30), min_size=1, max_size=6), count=st.integers(1, 40))
def test_unt_seat_9_repeated_additional_seating_never_double_books(
    taken: list[int], count: int
) -> None:
    """Seating applicants one by one fills free seats exactly once, then refuses."""
    plans = {r: plan(2, r, RU, taken=t) for r, t in enumerate(taken, start=1)}
    free = sum(30 - t for t in taken)
    for k in range(count):
        ask = request(tzhk=f"{900000000 + k}")
        if k >= free:
            with pytest.raises(DomainError):
                seat_additionally(ask, plans=list(plans.values()))
            continue
        assignment, updated = seat_additionally(ask, plans=list(plans.values()))
        plans[assignment.room] = updated
    for p in plans.values():
        assert len({a.seat for a in p.assignments}) == len(p.assignments) <= p.seats


def test_d_8_reserve_material_seating_is_recorded_as_additional() -> None:
    """A seat given with reserve materials is flagged additional with its protocol."""
    ask = request(materials=MaterialsSource.RESERVE, protocol_ref=" МК-9 ")
    assignment, updated = seat_additionally(ask, plans=[plan(2, 1, RU, taken=4)])
    assert assignment.additional
    assert assignment.protocol_ref == "МК-9"
    assert [a.additional for a in updated.assignments] == [False] * 4 + [True]
