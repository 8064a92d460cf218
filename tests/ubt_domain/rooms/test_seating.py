"""Random, once-only seat numbers for a ҰБТ room (RULES 1.F)."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ubt_domain.errors import DomainError
from ubt_domain.models import ExamLanguage
from ubt_domain.passwords import MIN_LOG2_N, Override, password_verifier
from ubt_domain.rooms.allocation import RoomAllocation
from ubt_domain.rooms.sealed import SealedRoom, SeatingRegistry
from ubt_domain.rooms.seating import (
    MIN_SEED_BYTES,
    SeatAssignment,
    SeatingPlan,
    draw_seat_order,
    seat_room,
    seed_commitment,
)

PASSWORD = "ntc-2026-stream"
SEED = bytes(range(MIN_SEED_BYTES))


#: The testing point's record at set-up: NTC's verifier (cheapest admitted cost,
#: so the property tests stay fast) and no room seated yet.
EMPTY = SeatingRegistry(
    verifier=password_verifier(PASSWORD, salt=b"testing-point-01", log2_n=MIN_LOG2_N)
)
WHEN = datetime(2026, 6, 20, 8, 30, tzinfo=UTC)


def override(password: str = PASSWORD, *, reason: str = "printer jam") -> Override:
    """An NTC override of a sealed room's draw."""
    return Override(reason=reason, by="NTC duty officer", at=WHEN, password=password)


def room_of(count: int, *, stream: int = 1, room: int = 1, seats: int = 120) -> RoomAllocation:
    """A Kazakh room with ``count`` applicants of consecutive ТЖК."""
    tzhks = tuple(f"{i:09d}" for i in range(count))
    return RoomAllocation(
        stream=stream, room=room, language=ExamLanguage.KAZAKH, seats=seats, tzhks=tzhks
    )


def reference_words(seed: bytes, stream: int, room: int) -> Iterator[int]:
    """The word stream as the Notes of draw_seat_order describe it, written independently."""
    prefix = b"ubt_domain.seating.v1" + len(seed).to_bytes(8, "big") + seed
    prefix += stream.to_bytes(4, "big") + room.to_bytes(4, "big")
    block = 0
    while True:
        digest = hashlib.sha256(prefix + block.to_bytes(8, "big")).digest()
        yield from (int.from_bytes(digest[k : k + 8], "big") for k in range(0, 32, 8))
        block += 1


def reference_order(tzhks: list[str], seed: bytes, stream: int, room: int) -> list[str]:
    """Fisher-Yates with rejection sampling over the reference word stream."""
    order, words = sorted(tzhks), reference_words(seed, stream, room)
    for i in range(len(order) - 1, 0, -1):
        bound = i + 1
        word = next(words)
        while word >= 2**64 - 2**64 % bound:
            word = next(words)
        j = word % bound
        order[i], order[j] = order[j], order[i]
    return order


@given(count=st.integers(0, 120), seed=st.binary(min_size=MIN_SEED_BYTES, max_size=40))
def test_unt_seat_3_seats_are_a_permutation_of_one_to_n(count: int, seed: bytes) -> None:
    """The n applicants of a room hold seats 1..n, each exactly once."""
    plan, _ = seat_room(
        room_of(count),
        seed=seed,
        password=PASSWORD,
        registry=EMPTY,
    )
    assert [a.seat for a in plan.assignments] == list(range(1, count + 1))
    assert sorted(a.tzhk for a in plan.assignments) == list(room_of(count).tzhks)


@given(
    tzhks=st.lists(st.from_regex(r"[0-9]{9}", fullmatch=True), unique=True, max_size=60),
    seed=st.binary(min_size=MIN_SEED_BYTES, max_size=40),
    stream=st.integers(1, 9),
    room=st.integers(1, 99),
)
def test_unt_seat_3_draw_follows_the_documented_algorithm(
    tzhks: list[str], seed: bytes, stream: int, room: int
) -> None:
    """The draw equals an independent implementation of SHA-256 counter-mode Fisher-Yates."""
    order = draw_seat_order(tzhks, seed=seed, stream=stream, room=room)
    assert list(order) == reference_order(tzhks, seed, stream, room)


def test_unt_seat_3_draw_is_pinned_across_versions() -> None:
    """A fixed seed keeps giving the audited order (first checked by the reference above)."""
    order = draw_seat_order(
        [str(i) for i in range(1, 9)], seed=b"audit-vector-0001", stream=1, room=1
    )
    assert order == ("1", "4", "6", "3", "5", "2", "7", "8")


@given(seed=st.binary(min_size=MIN_SEED_BYTES, max_size=40), data=st.data())
def test_unt_seat_3_same_seed_same_seats_whatever_the_input_order(
    seed: bytes, data: st.DataObject
) -> None:
    """The draw depends on the seed and the set of ТЖК, not on their order."""
    tzhks = [f"{i:09d}" for i in range(40)]
    shuffled = data.draw(st.permutations(tzhks))
    assert draw_seat_order(tzhks, seed=seed, stream=1, room=3) == draw_seat_order(
        shuffled, seed=seed, stream=1, room=3
    )


@given(
    seeds=st.lists(
        st.binary(min_size=MIN_SEED_BYTES, max_size=32), min_size=2, max_size=2, unique=True
    )
)
def test_unt_seat_3_different_seeds_give_different_seats(seeds: list[bytes]) -> None:
    """Two seeds give two orders of 30 applicants (a clash has odds 1 in 30!)."""
    tzhks = [f"{i:09d}" for i in range(30)]
    first, second = (draw_seat_order(tzhks, seed=s, stream=1, room=1) for s in seeds)
    assert first != second


def test_unt_seat_3_rooms_and_streams_draw_independently() -> None:
    """One seed gives different orders for different rooms and streams."""
    tzhks = [f"{i:09d}" for i in range(30)]
    orders = {draw_seat_order(tzhks, seed=SEED, stream=s, room=r) for s in (1, 2) for r in (1, 2)}
    assert len(orders) == 4


def test_unt_seat_3_every_order_of_three_is_equally_likely() -> None:
    """Over 6000 fixed seeds, each of the 6 orders of 3 applicants appears 1000 +- 150 times."""
    counts = Counter(
        draw_seat_order(["a", "b", "c"], seed=i.to_bytes(MIN_SEED_BYTES, "big"), stream=1, room=1)
        for i in range(6000)
    )
    assert len(counts) == 6
    assert all(850 <= n <= 1150 for n in counts.values())


@pytest.mark.parametrize("seed", [b"", b"short", "a text seed of 20 ch"])
def test_unt_seat_3_unusable_seed_is_refused(seed: object) -> None:
    """A seed shorter than MIN_SEED_BYTES or not bytes raises DomainError UNT-SEAT-3."""
    with pytest.raises(DomainError) as caught:
        draw_seat_order(["1"], seed=seed, stream=1, room=1)  # type: ignore[arg-type]
    assert caught.value.rule_id == "UNT-SEAT-3"


def test_unt_reg_2_duplicate_tzhk_in_a_draw_is_refused() -> None:
    """The same ТЖК twice in one room raises DomainError."""
    with pytest.raises(DomainError) as caught:
        draw_seat_order(["1", "1"], seed=SEED, stream=1, room=1)
    assert caught.value.rule_id == "UNT-REG-2"


def test_unt_seat_4_second_seating_is_refused() -> None:
    """Seating a sealed room again, even with another seed, raises DomainError UNT-SEAT-4."""
    room = room_of(10)
    _, registry = seat_room(room, seed=SEED, password=PASSWORD, registry=EMPTY)
    with pytest.raises(DomainError, match="already seated") as caught:
        seat_room(room, seed=SEED[::-1], password=PASSWORD, registry=registry)
    assert caught.value.rule_id == "UNT-SEAT-4"


def test_unt_seat_4_registry_is_a_value_and_other_rooms_stay_open() -> None:
    """Sealing returns a new registry; other rooms and streams can still be seated."""
    empty = EMPTY
    _, registry = seat_room(room_of(5), seed=SEED, password=PASSWORD, registry=empty)
    assert empty.sealed == ()
    assert registry.is_sealed(1, 1)
    assert registry.sealed[0].seed_commitment == seed_commitment(SEED)
    for other in (room_of(5, room=2), room_of(5, stream=2)):
        _, registry = seat_room(other, seed=SEED, password=PASSWORD, registry=registry)
    assert len(registry.sealed) == 3


def test_unt_seat_4_plan_records_the_seed_commitment_not_the_seed() -> None:
    """The sealed plan carries SHA-256 of the seed, which the seed reproduces."""
    plan, _ = seat_room(room_of(3), seed=SEED, password=PASSWORD, registry=EMPTY)
    assert plan.seed_commitment == hashlib.sha256(SEED).hexdigest()
    assert SEED.hex() not in plan.model_dump_json()


def test_unt_seat_5_wrong_password_is_refused_and_nothing_is_sealed() -> None:
    """A refused NTC password raises DomainError UNT-SEAT-5 before any draw."""
    with pytest.raises(DomainError, match="password") as caught:
        seat_room(
            room_of(3),
            seed=SEED,
            password="guess",
            registry=EMPTY,
        )
    assert caught.value.rule_id == "UNT-SEAT-5"


def test_unt_seat_5_verifier_is_data_not_a_callable_the_caller_picks() -> None:
    """A permissive checker cannot stand in for NTC's verifier: the record refuses it."""
    with pytest.raises(DomainError) as caught:
        SeatingRegistry(verifier=lambda _: True)
    assert caught.value.rule_id == "UNT-SEAT-4"


def test_unt_seat_4_redraw_needs_an_override_with_the_ntc_password() -> None:
    """A sealed room is drawn again only with a verified override, kept without its password."""
    room = room_of(6)
    first, sealed = seat_room(room, seed=SEED, password=PASSWORD, registry=EMPTY)
    with pytest.raises(DomainError, match="refused") as caught:
        seat_room(
            room, seed=SEED[::-1], password=PASSWORD, registry=sealed, override=override("guess")
        )
    assert caught.value.rule_id == "UNT-SEAT-4"
    again, after = seat_room(
        room, seed=SEED[::-1], password=PASSWORD, registry=sealed, override=override()
    )
    assert again.seed_commitment != first.seed_commitment
    redraw = after.sealed[-1]
    assert redraw.override == override().record()
    assert PASSWORD not in after.model_dump_json()
    assert PASSWORD not in repr(override())


def test_unt_seat_4_an_override_is_used_once() -> None:
    """The same override cannot authorise a second re-draw; a new one can."""
    room = room_of(4)
    _, sealed = seat_room(room, seed=SEED, password=PASSWORD, registry=EMPTY)
    _, once = seat_room(
        room, seed=SEED[::-1], password=PASSWORD, registry=sealed, override=override()
    )
    with pytest.raises(DomainError, match="only once") as caught:
        seat_room(room, seed=SEED, password=PASSWORD, registry=once, override=override())
    assert caught.value.rule_id == "UNT-SEAT-4"
    _, twice = seat_room(
        room, seed=SEED, password=PASSWORD, registry=once, override=override(reason="second jam")
    )
    assert len(twice.sealed) == 3


def test_unt_seat_4_override_on_a_first_draw_is_refused() -> None:
    """An override is for a sealed room only: it cannot dress up a first draw."""
    with pytest.raises(DomainError, match="nothing to override") as caught:
        seat_room(room_of(3), seed=SEED, password=PASSWORD, registry=EMPTY, override=override())
    assert caught.value.rule_id == "UNT-SEAT-4"


def test_unt_seat_4_a_record_with_an_unauthorised_redraw_cannot_be_built() -> None:
    """However the record is built, a second draw of a room without an override is refused."""
    entry = SealedRoom(stream=1, room=1, seed_commitment=seed_commitment(SEED))
    with pytest.raises(DomainError, match="without an NTC override") as caught:
        EMPTY.evolve(sealed=(entry, entry))
    assert caught.value.rule_id == "UNT-SEAT-4"
    with pytest.raises(DomainError, match="first draw"):
        SeatingRegistry(
            verifier=EMPTY.verifier, sealed=(entry.evolve(override=override().record()),)
        )


def test_unt_seat_2_plan_is_ordered_by_seat_and_answers_lookups() -> None:
    """Assignments ascend by seat; seat_of and free_seats agree with them."""
    plan, _ = seat_room(
        room_of(4, seats=30),
        seed=SEED,
        password=PASSWORD,
        registry=EMPTY,
    )
    seats = [a.seat for a in plan.assignments]
    assert seats == sorted(seats)
    first = plan.assignments[0]
    assert plan.seat_of(first.tzhk) == 1
    assert plan.seat_of("999999999") is None
    assert plan.free_seats() == tuple(range(5, 31))
    assert plan.label == "01"


def test_unt_seat_2_seating_plan_rejects_repeated_seats() -> None:
    """A plan with two applicants on one seat cannot be built."""
    twice = [SeatAssignment(tzhk=t, stream=1, room=1, seat=1) for t in ("1", "2")]
    with pytest.raises(DomainError, match="distinct") as info:
        SeatingPlan(
            stream=1,
            room=1,
            language=ExamLanguage.KAZAKH,
            seats=30,
            seed_commitment="0" * 64,
            assignments=tuple(twice),
        )
    assert info.value.rule_id == "UNT-SEAT-2"


def test_unt_seat_9_additional_assignment_needs_a_protocol_reference() -> None:
    """An additional seat without the state-commission protocol cannot be built."""
    with pytest.raises(DomainError, match="protocol") as info:
        SeatAssignment(tzhk="1", stream=2, room=1, seat=5, additional=True)
    assert info.value.rule_id == "UNT-SEAT-9"
