"""Automatic distribution of applicants to opened rooms (UNT-ROOM-17..20)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.ubt_domain.readings import sample_applicant
from ubt_domain.errors import DomainError
from ubt_domain.models import HISTORY_LANGUAGES, ExamLanguage
from ubt_domain.rooms.allocation import (
    MIN_ROOM_APPLICANTS,
    Allocation,
    allocate,
    small_group_warnings,
)
from ubt_domain.rooms.fund import Room, RoomEquipment, RoomFund, RoomOpening

EQUIPPED = RoomEquipment(ventilation=True, jammers=1, video_cameras=2)
KK = ExamLanguage.KAZAKH
RU = ExamLanguage.RUSSIAN


@dataclass(frozen=True)
class Candidate:
    """The three attributes allocation reads, without a whole application."""

    tzhk: str
    exam_language: ExamLanguage
    special_needs: bool = False


def make_fund(seats: list[int], *, special: frozenset[int] = frozenset()) -> RoomFund:
    """Rooms numbered 1.. with the given seat counts; ``special`` rooms set apart."""
    rooms = tuple(
        Room(
            number=n,
            building="A",
            desks=s // 2,
            seats=s,
            equipment=EQUIPPED,
            special_needs=n in special,
            special_needs_decision="МК-1" if n in special else None,
        )
        for n, s in enumerate(seats, start=1)
    )
    return RoomFund(testing_point="031", building="A", rooms=rooms)


def candidates(count: int, language: ExamLanguage, *, start: int = 0) -> list[Candidate]:
    """``count`` applicants with consecutive nine-digit ТЖК."""
    return [Candidate(f"{start + i:09d}", language) for i in range(count)]


def test_unt_room_17_applicants_fill_rooms_in_number_order_by_tzhk() -> None:
    """Ascending ТЖК fill room 01 first, then room 02, each with its balanced share."""
    fund = make_fund([30, 30])
    openings = [RoomOpening(stream=1, room=r, language=KK) for r in (2, 1)]
    people = candidates(45, KK)[::-1]
    result = allocate(fund, openings, {1: people})
    assert [r.room for r in result.rooms] == [1, 2]
    assert result.rooms[0].tzhks == tuple(f"{i:09d}" for i in range(23))
    assert result.rooms[1].tzhks == tuple(f"{i:09d}" for i in range(23, 45))
    assert result.rooms[1].free_seats == 8


def test_d_15_no_room_is_left_with_one_or_two_applicants() -> None:
    """31 Kazakh and 2 Russian applicants: 16 + 15, not 30 + 1; the 2 sit in one room, warned."""
    fund = make_fund([30, 30, 30, 30])
    openings = [
        RoomOpening(stream=1, room=1, language=KK),
        RoomOpening(stream=1, room=2, language=KK),
        RoomOpening(stream=1, room=3, language=RU),
        RoomOpening(stream=1, room=4, language=RU),
    ]
    result = allocate(fund, openings, {1: candidates(31, KK) + candidates(2, RU, start=100)})
    assert [len(r.tzhks) for r in result.rooms] == [16, 15, 2, 0]
    assert small_group_warnings(result) == (
        "stream 1, room 03 (ru): 2 applicant(s), fewer than 5; the group sits in one room",
    )


def test_d_15_fewest_rooms_are_used_and_balanced() -> None:
    """61 applicants, rooms of 30, 30, 40, 30: two rooms hold them (the 40 and room 01)."""
    fund = make_fund([30, 30, 40, 30])
    openings = [RoomOpening(stream=1, room=r, language=KK) for r in (1, 2, 3, 4)]
    result = allocate(fund, openings, {1: candidates(61, KK)})
    sizes = [len(r.tzhks) for r in result.rooms]
    assert sizes == [30, 0, 31, 0]
    assert small_group_warnings(result) == ()


@settings(max_examples=60, deadline=None)
@given(
    seats=st.lists(st.sampled_from([30, 40, 60, 120]), min_size=1, max_size=5),
    data=st.data(),
)
def test_d_15_rooms_hold_five_or_more_and_differ_by_at_most_two(
    seats: list[int], data: st.DataObject
) -> None:
    """Any group of five or more fills the fewest rooms, none under five, sizes within 2."""
    count = data.draw(st.integers(MIN_ROOM_APPLICANTS, sum(seats)))
    openings = [RoomOpening(stream=1, room=r, language=KK) for r in range(1, len(seats) + 1)]
    result = allocate(make_fund(seats), openings, {1: candidates(count, KK)})
    used = [len(r.tzhks) for r in result.rooms if r.tzhks]
    fewest = next(k for k in range(1, len(seats) + 1) if sum(sorted(seats)[-k:]) >= count)
    assert len(used) == fewest
    assert min(used) >= MIN_ROOM_APPLICANTS
    unsaturated = [len(r.tzhks) for r in result.rooms if r.tzhks and r.free_seats]
    assert max(unsaturated, default=0) - min(unsaturated, default=0) <= 2


def test_unt_room_3_languages_go_to_rooms_of_their_status() -> None:
    """Kazakh applicants sit in the Kazakh room and Russian ones in the Russian room."""
    fund = make_fund([30, 30])
    openings = [
        RoomOpening(stream=1, room=1, language=RU),
        RoomOpening(stream=1, room=2, language=KK),
    ]
    result = allocate(fund, openings, {1: candidates(5, KK) + candidates(7, RU, start=100)})
    assert result.rooms[0].tzhks == tuple(c.tzhk for c in candidates(7, RU, start=100))
    assert result.rooms[1].tzhks == tuple(c.tzhk for c in candidates(5, KK))


def test_unt_room_18_too_few_seats_for_a_language_is_refused() -> None:
    """31 Kazakh applicants for one 30-seat Kazakh room is refused, naming the shortfall."""
    fund = make_fund([30, 30])
    openings = [
        RoomOpening(stream=1, room=1, language=KK),
        RoomOpening(stream=1, room=2, language=RU),
    ]
    with pytest.raises(DomainError, match="31 applicants for 30 seats") as caught:
        allocate(fund, openings, {1: candidates(31, KK)})
    assert caught.value.rule_id == "UNT-ROOM-18"


def test_unt_room_18_stream_without_opened_rooms_is_refused() -> None:
    """Applicants of a stream that has no opened room cannot be distributed."""
    fund = make_fund([30])
    with pytest.raises(DomainError, match="stream 2") as caught:
        allocate(fund, [RoomOpening(stream=1, room=1, language=KK)], {2: candidates(1, KK)})
    assert caught.value.rule_id == "UNT-ROOM-18"


def test_unt_room_18_reserve_rooms_do_not_count_as_seats() -> None:
    """A reserve room's seats are kept free, so they cannot cover a shortfall."""
    fund = make_fund([30, 30])
    openings = [
        RoomOpening(stream=1, room=1, language=KK),
        RoomOpening(stream=1, room=2, language=KK, reserve=True),
    ]
    with pytest.raises(DomainError) as caught:
        allocate(fund, openings, {1: candidates(40, KK)})
    assert caught.value.rule_id == "UNT-ROOM-18"
    result = allocate(fund, openings, {1: candidates(30, KK)})
    assert result.rooms[1].tzhks == ()


def test_unt_room_18_invalid_fund_is_refused_naming_the_first_rule() -> None:
    """A fund with a 35-seat room is refused with UNT-ROOM-5 and every violation listed."""
    fund = RoomFund(
        testing_point="031",
        building="A",
        rooms=(Room(number=1, building="A", desks=17, seats=35, equipment=EQUIPPED),),
    )
    with pytest.raises(DomainError, match="2 planning rule") as caught:
        allocate(fund, [RoomOpening(stream=1, room=1, language=KK)], {1: []})
    assert caught.value.rule_id == "UNT-ROOM-5"


def test_unt_room_17_unknown_room_in_opening_file_is_refused() -> None:
    """Opening room 04 of a fund without it raises DomainError naming UNT-ROOM-17."""
    with pytest.raises(DomainError, match="04") as caught:
        allocate(make_fund([30]), [RoomOpening(stream=1, room=4, language=KK)], {1: []})
    assert caught.value.rule_id == "UNT-ROOM-17"


def test_unt_room_19_special_needs_applicants_sit_apart() -> None:
    """Special-needs applicants go to the room set apart and nobody else does."""
    fund = make_fund([30, 30], special=frozenset({2}))
    openings = [RoomOpening(stream=1, room=r, language=KK) for r in (1, 2)]
    people = [*candidates(10, KK), Candidate("000000500", KK, special_needs=True)]
    result = allocate(fund, openings, {1: people})
    assert result.rooms[1].tzhks == ("000000500",)
    assert "000000500" not in result.rooms[0].tzhks
    assert len(result.rooms[0].tzhks) == 10


def test_unt_room_19_special_needs_without_a_room_set_apart_is_refused() -> None:
    """A special-needs applicant cannot take an ordinary seat."""
    fund = make_fund([30])
    people = [Candidate("000000001", KK, special_needs=True)]
    with pytest.raises(DomainError, match="special needs") as caught:
        allocate(fund, [RoomOpening(stream=1, room=1, language=KK)], {1: people})
    assert caught.value.rule_id == "UNT-ROOM-18"


def test_unt_room_20_lowest_open_room_gets_the_special_envelope() -> None:
    """Without room 01 in a stream, the next open non-reserve room gets the envelope."""
    fund = make_fund([30, 30, 30])
    openings = [
        RoomOpening(stream=1, room=1, language=KK),
        RoomOpening(stream=1, room=3, language=RU),
        RoomOpening(stream=2, room=1, language=KK, reserve=True),
        RoomOpening(stream=2, room=2, language=RU),
        RoomOpening(stream=2, room=3, language=KK),
    ]
    result = allocate(fund, openings, {1: [], 2: []})
    assert result.special_envelope_room(1) == 1
    assert result.special_envelope_room(2) == 2
    assert sum(r.special_envelope for r in result.rooms) == 2
    assert result.special_envelope_room(3) is None
    assert result.streams == (1, 2)


def test_unt_room_17_openings_may_be_any_iterable_once() -> None:
    """A generator of opening rows is read once and still allocates every room."""
    rows = (RoomOpening(stream=1, room=r, language=KK) for r in (1, 2))
    result = allocate(make_fund([30, 30]), rows, {1: candidates(40, KK)})
    assert [len(r.tzhks) for r in result.rooms] == [20, 20]
    assert result.rooms[1].label == "02"


def test_unt_room_17_applicants_must_be_grouped_by_stream() -> None:
    """A flat list instead of a stream mapping is refused by rule."""
    with pytest.raises(DomainError, match="stream") as caught:
        allocate(make_fund([30]), [], candidates(1, KK))  # type: ignore[arg-type]
    assert caught.value.rule_id == "UNT-ROOM-17"


def test_unt_reg_2_duplicate_tzhk_is_refused() -> None:
    """The same ТЖК in two streams raises DomainError naming both streams."""
    fund = make_fund([30])
    openings = [RoomOpening(stream=s, room=1, language=KK) for s in (1, 2)]
    one = Candidate("000000001", KK)
    with pytest.raises(DomainError, match="streams 1 and 2") as caught:
        allocate(fund, openings, {1: [one], 2: [one]})
    assert caught.value.rule_id == "UNT-REG-2"


def test_unt_reg_2_blank_tzhk_is_refused() -> None:
    """An applicant without a ТЖК cannot be distributed."""
    with pytest.raises(DomainError) as caught:
        allocate(
            make_fund([30]), [RoomOpening(stream=1, room=1, language=KK)], {1: [Candidate(" ", KK)]}
        )
    assert caught.value.rule_id == "UNT-REG-2"


def test_unt_room_3_unknown_exam_language_is_refused() -> None:
    """An exam language outside the enum raises DomainError naming UNT-ROOM-3."""
    odd = Candidate("000000001", "fr")  # type: ignore[arg-type]
    with pytest.raises(DomainError, match="'fr'") as caught:
        allocate(make_fund([30]), [RoomOpening(stream=1, room=1, language=KK)], {1: [odd]})
    assert caught.value.rule_id == "UNT-ROOM-3"


def test_unt_form_15_english_track_sits_in_a_room_of_its_history_language() -> None:
    """An English-track applicant (C-13) sits in the room of the History language chosen."""
    english = sample_applicant(
        tzhk="000000042",
        iin=None,
        exam_language=ExamLanguage.ENGLISH,
        history_language=RU,
    )
    openings = [
        RoomOpening(stream=1, room=1, language=KK),
        RoomOpening(stream=1, room=2, language=RU),
    ]
    result = allocate(make_fund([30, 30]), openings, {1: [english]})
    room = result.room_of("000000042")
    assert room is not None
    assert (room.room, room.language) == (2, RU)


def test_unt_room_17_the_applicants_model_fits_allocation() -> None:
    """A «Талапкер» Applicant record is distributed like any other applicant."""
    applicant = sample_applicant(tzhk="000000042", iin=None, exam_language=RU)
    result = allocate(
        make_fund([30]), [RoomOpening(stream=1, room=1, language=RU)], {1: [applicant]}
    )
    room = result.room_of("000000042")
    assert room is not None
    assert room.room == 1


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[RoomFund, list[RoomOpening], dict[int, list[Candidate]]]:
    """A valid fund, openings over up to 3 streams, and applicants that fit the seats."""
    n_rooms = draw(st.integers(1, 8))
    seats = draw(st.lists(st.sampled_from(range(30, 130, 10)), min_size=n_rooms, max_size=n_rooms))
    special = frozenset(draw(st.sets(st.integers(1, n_rooms), max_size=2)))
    fund = make_fund(seats, special=special)
    openings: list[RoomOpening] = []
    people: dict[int, list[Candidate]] = {}
    next_tzhk = 0
    for stream in range(1, draw(st.integers(1, 3)) + 1):
        chosen = draw(st.sets(st.integers(1, n_rooms), min_size=1))
        people[stream] = []
        for number in sorted(chosen):
            language = draw(st.sampled_from(sorted(HISTORY_LANGUAGES)))
            openings.append(RoomOpening(stream=stream, room=number, language=language))
            for _ in range(draw(st.integers(0, seats[number - 1]))):
                people[stream].append(Candidate(f"{next_tzhk:09d}", language, number in special))
                next_tzhk += 1
        people[stream] = draw(st.permutations(people[stream]))
    return fund, openings, people


@given(scenario=scenarios())
def test_unt_room_18_allocation_respects_capacity_language_and_counts(
    scenario: tuple[RoomFund, list[RoomOpening], dict[int, list[Candidate]]],
) -> None:
    """No room over capacity or mixed, and everyone placed once in their stream's language."""
    fund, openings, people = scenario
    result = allocate(fund, openings, people)
    placed = Counter(t for r in result.rooms for t in r.tzhks)
    everyone = {c.tzhk: (stream, c) for stream, group in people.items() for c in group}
    assert set(placed) == set(everyone)
    assert set(placed.values()) <= {1}
    for r in result.rooms:
        assert len(r.tzhks) <= r.seats
        for tzhk in r.tzhks:
            stream, who = everyone[tzhk]
            assert (r.stream, r.language, r.special_needs) == (
                stream,
                who.exam_language,
                who.special_needs,
            )


@given(scenario=scenarios(), data=st.data())
def test_unt_room_17_allocation_ignores_input_order(
    scenario: tuple[RoomFund, list[RoomOpening], dict[int, list[Candidate]]],
    data: st.DataObject,
) -> None:
    """Shuffling the applicants and the opening rows gives the same allocation."""
    fund, openings, people = scenario
    shuffled = {s: data.draw(st.permutations(group)) for s, group in people.items()}
    first: Allocation = allocate(fund, openings, people)
    assert allocate(fund, data.draw(st.permutations(openings)), shuffled) == first
