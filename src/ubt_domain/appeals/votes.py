"""The appeal commission: its members and how it votes.

A commission has at least two teachers per test subject (UNT-APL-2). It
decides by a majority of *all* its members, not of those present, and on a
tie the chair's vote decides (UNT-APL-14).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from pydantic import Field, model_validator

from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel

__all__ = ["MIN_TEACHERS_PER_SUBJECT", "Commission", "Member", "VoteResult", "tally"]

#: UNT-APL-2: at least two teachers per test subject.
MIN_TEACHERS_PER_SUBJECT = 2


class Member(DomainModel):
    """A commission member and the subject they teach."""

    malformed_rule: ClassVar[str] = "UNT-APL-2"

    name: str = Field(min_length=1)
    subject: str = Field(min_length=1)


class Commission(DomainModel):
    """The testing point's appeal commission.

    Parameters
    ----------
    chair : str
        The chair's name; the chair is one of ``members``.
    members : tuple of Member
        Every member, the chair included.
    subjects : tuple of str
        The test subjects it must cover.
    """

    malformed_rule: ClassVar[str] = "UNT-APL-2"

    chair: str = Field(min_length=1)
    members: tuple[Member, ...] = Field(min_length=1)
    subjects: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _composition(self) -> Commission:
        names = [m.name for m in self.members]
        if len(names) != len(set(names)):
            raise DomainError("UNT-APL-2", "a member is listed twice")
        if self.chair not in names:
            raise DomainError("UNT-APL-14", f"the chair {self.chair!r} is not a member")
        short = [
            s
            for s in self.subjects
            if sum(m.subject == s for m in self.members) < MIN_TEACHERS_PER_SUBJECT
        ]
        if short:
            raise DomainError(
                "UNT-APL-2", f"fewer than {MIN_TEACHERS_PER_SUBJECT} teachers for {short}"
            )
        return self

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.members)


class VoteResult(DomainModel):
    """How a vote went and whether it carried."""

    malformed_rule: ClassVar[str] = "UNT-APL-14"

    carried: bool
    votes_for: int = Field(ge=0)
    votes_against: int = Field(ge=0)
    absent: int = Field(ge=0)
    chair_decided: bool = Field(description="a tie the chair's vote settled")


def tally(commission: Commission, votes: Mapping[str, bool]) -> VoteResult:
    """Count a vote on upholding an appeal.

    Implements UNT-APL-14.

    Parameters
    ----------
    commission : Commission
    votes : mapping of str to bool
        Each present member's vote (True: uphold); absent members are missing.

    Returns
    -------
    VoteResult
        Carried when more than half of *all* members vote for; on a tie
        (as many for as against) the chair's vote decides.

    Raises
    ------
    DomainError
        (UNT-APL-14) A vote by someone who is not a member, or a tie the
        chair did not vote in.

    Examples
    --------
    >>> c = Commission(chair="A", subjects=("m",),
    ...     members=tuple(Member(name=n, subject="m") for n in "ABCDEFGH"))
    >>> tally(c, {n: n in "ABCD" for n in "ABCDEFGH"}).carried
    True
    """
    outsiders = sorted(set(votes) - set(commission.names))
    if outsiders:
        raise DomainError("UNT-APL-14", f"{outsiders} are not members of the commission")
    votes_for = sum(1 for v in votes.values() if v)
    votes_against = len(votes) - votes_for
    absent = len(commission.members) - len(votes)
    tie = votes_for == votes_against
    if tie and commission.chair not in votes:
        raise DomainError("UNT-APL-14", "a tied vote needs the chair's vote")
    # The base is all members: an absent member counts against a majority.
    carried = votes[commission.chair] if tie else 2 * votes_for > len(commission.members)
    return VoteResult(
        carried=carried,
        votes_for=votes_for,
        votes_against=votes_against,
        absent=absent,
        chair_decided=tie,
    )
