"""МАБ/ОЖСБ booklet variants: students side by side never share one (MAB-S-17, OZH-10)."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ubt_domain.errors import DomainError
from ubt_domain.models import Programme
from ubt_domain.rooms.variants import (
    ClassroomShape,
    Neighbourhood,
    assign_variants,
    find_variant_clashes,
    neighbours,
)

shapes = st.builds(
    ClassroomShape, desks_per_row=st.lists(st.integers(1, 6), min_size=1, max_size=8).map(tuple)
)


def variant_names(count: int) -> list[str]:
    """Four-digit variant numbers 0101, 0102, ... (D-13)."""
    return [f"01{i:02d}" for i in range(1, count + 1)]


def test_mab_s_17_deskmates_get_different_variants() -> None:
    """Two variants alternate along a row of desks."""
    shape = ClassroomShape(desks_per_row=(3,))
    plan = assign_variants(shape, ["A", "B"], programme=Programme.MAB)
    assert [s.variant for s in plan.seats] == ["A", "B", "A", "B", "A", "B"]
    assert plan.variant_at(0, 1) == "B"
    assert plan.variant_at(1, 0) is None


@given(
    shape=shapes,
    count=st.integers(2, 6),
    neighbourhood=st.sampled_from([Neighbourhood.SIDE_BY_SIDE, Neighbourhood.ADJACENT]),
)
def test_mab_s_17_no_neighbours_share_a_variant_in_any_room(
    shape: ClassroomShape, count: int, neighbourhood: Neighbourhood
) -> None:
    """For random ragged classrooms, no neighbouring seats receive the same variant."""
    plan = assign_variants(
        shape, variant_names(count), programme=Programme.MAB, neighbourhood=neighbourhood
    )
    by_seat = {(s.row, s.column): s.variant for s in plan.seats}
    assert set(by_seat) == set(shape.seats())
    assert (
        find_variant_clashes(shape, by_seat, programme=Programme.MAB, neighbourhood=neighbourhood)
        == ()
    )


@given(shape=shapes, count=st.integers(4, 7))
def test_ozh_10_diagonal_neighbours_also_differ_with_four_variants(
    shape: ClassroomShape, count: int
) -> None:
    """With diagonals counted, four or more variants keep all eight neighbours apart."""
    plan = assign_variants(
        shape,
        variant_names(count),
        programme=Programme.OZHSB,
        neighbourhood=Neighbourhood.SURROUNDING,
    )
    by_seat = {(s.row, s.column): s.variant for s in plan.seats}
    assert (
        find_variant_clashes(
            shape, by_seat, programme=Programme.OZHSB, neighbourhood=Neighbourhood.SURROUNDING
        )
        == ()
    )


@given(shape=shapes, count=st.integers(2, 5))
def test_mab_s_17_variants_are_spread_evenly_in_each_row(shape: ClassroomShape, count: int) -> None:
    """Within a row, variant counts differ by at most one."""
    plan = assign_variants(shape, variant_names(count), programme=Programme.MAB)
    for row in range(len(shape.desks_per_row)):
        counts = Counter(s.variant for s in plan.seats if s.row == row)
        in_row = [counts.get(v, 0) for v in variant_names(count)]
        assert max(in_row) - min(in_row) <= 1


@given(shape=shapes, data=st.data())
def test_mab_s_17_clash_finder_reports_exactly_the_equal_neighbour_pairs(
    shape: ClassroomShape, data: st.DataObject
) -> None:
    """The clash finder agrees with a brute-force scan of all seat pairs."""
    seats = list(shape.seats())
    given_out = {
        seat: data.draw(st.sampled_from(["A", "B"])) for seat in seats if data.draw(st.booleans())
    }
    found = find_variant_clashes(shape, given_out, programme=Programme.MAB)
    expected = {
        (a, b)
        for a in given_out
        for b in given_out
        if a < b and a[0] == b[0] and abs(a[1] - b[1]) == 1 and given_out[a] == given_out[b]
    }
    assert {(c.first, c.second) for c in found} == expected


def test_mab_s_17_neighbourhoods_grow_as_documented() -> None:
    """A middle seat has 2, 4 and 8 neighbours in a full 3x3-desk room."""
    shape = ClassroomShape(desks_per_row=(2, 2, 2))
    counts = [len(neighbours(shape, 1, 1, n)) for n in Neighbourhood]
    assert counts == [2, 4, 8]
    assert neighbours(shape, 0, 0, Neighbourhood.ADJACENT) == ((0, 1), (1, 0))


def test_ozh_10_ragged_back_row_has_no_phantom_neighbours() -> None:
    """A seat past the end of a shorter row is not a neighbour."""
    shape = ClassroomShape(desks_per_row=(3, 1))
    assert neighbours(shape, 0, 4, Neighbourhood.ADJACENT) == ((0, 3), (0, 5))


@pytest.mark.parametrize(
    ("variants", "neighbourhood"),
    [
        (["A"], Neighbourhood.SIDE_BY_SIDE),
        (["A", "B", "C"], Neighbourhood.SURROUNDING),
        (["A", "A"], Neighbourhood.SIDE_BY_SIDE),
        (["A", ""], Neighbourhood.SIDE_BY_SIDE),
    ],
)
def test_mab_s_17_too_few_or_bad_variants_are_refused(
    variants: list[str], neighbourhood: Neighbourhood
) -> None:
    """Variants that cannot keep neighbours apart raise DomainError naming MAB-S-17."""
    with pytest.raises(DomainError) as caught:
        assign_variants(
            ClassroomShape(desks_per_row=(2,)),
            variants,
            programme=Programme.MAB,
            neighbourhood=neighbourhood,
        )
    assert caught.value.rule_id == "MAB-S-17"


def test_ozh_10_errors_name_the_ozhsb_rule() -> None:
    """For ОЖСБ the same refusal names OZH-10."""
    with pytest.raises(DomainError) as caught:
        assign_variants(ClassroomShape(desks_per_row=(2,)), ["A"], programme=Programme.OZHSB)
    assert caught.value.rule_id == "OZH-10"


def test_mab_s_17_unt_is_refused_since_it_seats_by_number() -> None:
    """Variant alternation is not the ҰБТ seating rule (C-14)."""
    with pytest.raises(DomainError, match="seat_room"):
        assign_variants(ClassroomShape(desks_per_row=(2,)), ["A", "B"], programme=Programme.UNT)


def test_ozh_10_seat_outside_the_classroom_is_refused() -> None:
    """A reported variant at a seat the classroom lacks raises DomainError."""
    with pytest.raises(DomainError, match=r"\(0, 9\)") as caught:
        find_variant_clashes(
            ClassroomShape(desks_per_row=(2,)), {(0, 9): "A"}, programme=Programme.OZHSB
        )
    assert caught.value.rule_id == "OZH-10"
