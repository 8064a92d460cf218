"""The commission: two teachers per subject, majority of all members, the chair on a tie."""

from __future__ import annotations

import pytest

from tests.ubt_domain.appeals.sample import commission
from ubt_domain.appeals.votes import Commission, Member, tally
from ubt_domain.errors import DomainError


@pytest.mark.parametrize("chair_for", [True, False], ids=["chair-for", "chair-against"])
def test_unt_apl_14_a_4_4_vote_goes_the_chairs_way(chair_for: bool) -> None:
    """Eight members split 4-4: the side the chair voted on carries."""
    c = commission()
    # The chair and three others vote one way, the other four the other way.
    votes = {m: (i < 4) == chair_for for i, m in enumerate(c.names)}
    assert c.names[0] == c.chair
    assert sum(votes.values()) == 4
    result = tally(c, votes)
    assert result.chair_decided
    assert result.carried is chair_for


def test_unt_apl_14_the_base_is_all_members_not_those_present() -> None:
    """Nine members, 4 for, 3 against, 2 absent: a majority of those present, not of all."""
    c = Commission(
        chair="m0",
        members=tuple(Member(name=f"m{i}", subject="math") for i in range(9)),
        subjects=("math",),
    )
    votes = {f"m{i}": i < 4 for i in range(7)}
    result = tally(c, votes)
    assert (result.votes_for, result.votes_against, result.absent) == (4, 3, 2)
    assert not result.carried
    assert tally(c, {**votes, "m7": True}).carried  # five of nine


def test_unt_apl_14_a_tie_needs_the_chairs_vote() -> None:
    """A 3-3 tie with the chair absent cannot be settled."""
    c = commission()
    votes = {m: i < 3 for i, m in enumerate(c.names[1:7])}
    with pytest.raises(DomainError, match="chair"):
        tally(c, votes)


def test_unt_apl_14_only_members_vote() -> None:
    """A vote from outside the commission is refused."""
    with pytest.raises(DomainError, match="not members"):
        tally(commission(), {"stranger": True})


def test_unt_apl_2_at_least_two_teachers_per_subject() -> None:
    """A commission with one history teacher is refused."""
    members = (
        Member(name="a", subject="math"),
        Member(name="b", subject="math"),
        Member(name="c", subject="history"),
    )
    with pytest.raises(DomainError) as caught:
        Commission(chair="a", members=members, subjects=("math", "history"))
    assert caught.value.rule_id == "UNT-APL-2"
    with pytest.raises(DomainError, match="not a member"):
        Commission(chair="z", members=members[:2], subjects=("math",))
