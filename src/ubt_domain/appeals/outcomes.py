"""What the commission and the Republic commission decided on each appealed task."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import AwareDatetime, Field

from ubt_domain.appeals.technical import TechnicalFinding
from ubt_domain.appeals.votes import VoteResult
from ubt_domain.models import DomainModel

__all__ = ["AppealDecision", "RepublicVerdict", "TaskDecision"]


class AppealDecision(StrEnum):
    """The decision written on the application (UNT-APL-21, UNT-APL-23)."""

    SATISFIED = "қанағаттандырылды"
    NOT_SATISFIED = "қанағаттандырылмайды"


class RepublicVerdict(DomainModel):
    """The Republic commission's final decision on a proposal (UNT-APL-26, UNT-APL-28)."""

    malformed_rule: ClassVar[str] = "UNT-APL-28"

    confirmed: bool
    points: int = Field(ge=0, description="the task's final points")
    decided_at: AwareDatetime
    protocol_ref: str = Field(min_length=1)


class TaskDecision(DomainModel):
    """The decision on one appealed task and what it rests on.

    Parameters
    ----------
    task : int
    decision : AppealDecision
    rule_id : str
        The rule the decision rests on (e.g. UNT-APL-21 for a task already
        answered correctly, UNT-APL-20 or D-2 for a technical case).
    points_before : int
        The task's points when the commission met.
    points_proposed : int
        Points the commission proposes (equal to ``points_before`` when not satisfied).
    vote : VoteResult or None
        The commission's vote, where one was taken.
    finding : TechnicalFinding or None
        The evidence of a technical appeal.
    republic : RepublicVerdict or None
        The final decision, once the Republic commission gave it.
    """

    malformed_rule: ClassVar[str] = "UNT-APL-23"

    task: int = Field(ge=1)
    decision: AppealDecision
    rule_id: str
    reason: str
    points_before: int = Field(ge=0)
    points_proposed: int = Field(ge=0)
    vote: VoteResult | None = None
    finding: TechnicalFinding | None = None
    republic: RepublicVerdict | None = None
