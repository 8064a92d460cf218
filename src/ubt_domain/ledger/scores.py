"""The score ledger of a stream: initial points, then changes, never an overwrite.

A score never changes in place (STYLE: "a score change is a new entry with
provenance"). The scoring of a stream opens the ledger with one entry holding
every applicant's points per subject and task; each later decision (a
commission's, the Republic commission's, a correction) appends an entry
that sets new points for some tasks, saying who, when, why, under which rule
and on what evidence. Current points are the latest value of each task.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import ClassVar

from pydantic import AwareDatetime, Field, model_validator

from ubt_domain.errors import DomainError
from ubt_domain.ledger.chain import ChainCheck, LinkedEntry, verify_chain
from ubt_domain.models import DomainModel

__all__ = [
    "ChangeKind",
    "Provenance",
    "ScoreEntry",
    "ScoreLedger",
    "TaskKey",
    "TaskPoints",
    "open_ledger",
    "record_change",
]

#: (ТЖК, subject, task number): one task of one applicant.
TaskKey = tuple[str, str, int]


class ChangeKind(StrEnum):
    """Why points were set."""

    INITIAL = "initial"  # the stream's scoring (statement without appeal)
    APPEAL = "appeal"  # the testing point's appeal commission
    REPUBLIC = "republic"  # the Republic commission's final decision (UNT-APL-28)
    CORRECTION = "correction"  # a correction of a recorded error


class TaskPoints(DomainModel):
    """Points of one applicant on one task of one subject.

    Parameters
    ----------
    tzhk : str
        The applicant's ТЖК.
    subject : str
        Subject code as in the exam specification.
    task : int
        Task number within the subject, from 1.
    points : int
        Points for the task, 0 or more.
    """

    malformed_rule: ClassVar[str] = "UNT-STMT-2"

    tzhk: str = Field(min_length=1)
    subject: str = Field(min_length=1)
    task: int = Field(ge=1)
    points: int = Field(ge=0)

    @property
    def key(self) -> TaskKey:
        return (self.tzhk, self.subject, self.task)


class Provenance(DomainModel):
    """Who changed points, when, why, under which rule and on what evidence."""

    malformed_rule: ClassVar[str] = "UNT-STMT-2"

    actor: str = Field(min_length=1, description="who decided or entered the change")
    at: AwareDatetime = Field(description="when, with its time zone")
    reason: str = Field(min_length=1)
    rule_id: str = Field(min_length=1, description="RULES.md id the change rests on")
    evidence_ref: str = Field(min_length=1, description="protocol row, image hash, file name")


class ScoreEntry(LinkedEntry):
    """One entry of a score ledger: the points it sets and their provenance."""

    chain_tag: ClassVar[bytes] = b"ubt_domain.score-ledger.v1"
    malformed_rule: ClassVar[str] = "UNT-STMT-2"

    kind: ChangeKind
    points: tuple[TaskPoints, ...] = Field(min_length=1)
    provenance: Provenance

    @model_validator(mode="after")
    def _one_value_per_task(self) -> ScoreEntry:
        keys = [p.key for p in self.points]
        if len(keys) != len(set(keys)):
            raise DomainError("UNT-STMT-2", f"entry {self.seq} sets a task twice")
        return self


class ScoreLedger(DomainModel):
    """The append-only ledger of one stream's scores.

    Parameters
    ----------
    stream : int
        Stream number.
    entries : tuple of ScoreEntry
        Oldest first; entry 0 is the initial scoring.
    """

    malformed_rule: ClassVar[str] = "UNT-STMT-2"

    stream: int = Field(ge=1)
    entries: tuple[ScoreEntry, ...] = Field(min_length=1)

    @property
    def head(self) -> str:
        """SHA-256 of the newest entry: printed on documents to anchor the chain."""
        return self.entries[-1].entry_hash

    def verify(self, *, head: str | None = None) -> ChainCheck:
        """Check the chain; see :func:`ubt_domain.ledger.chain.verify_chain`."""
        return verify_chain(self.entries, head=head)

    def initial_points(self) -> dict[TaskKey, int]:
        """Points per task as first scored (the statement without appeal)."""
        return {p.key: p.points for p in self.entries[0].points}

    def current_points(self) -> dict[TaskKey, int]:
        """Points per task after every change, the latest entry winning."""
        current: dict[TaskKey, int] = {}
        for entry in self.entries:
            current.update((p.key, p.points) for p in entry.points)
        return current

    def subject_scores(self, *, initial: bool = False) -> dict[str, dict[str, int]]:
        """Points per applicant (ТЖК) and subject, current or as first scored."""
        scores: dict[str, dict[str, int]] = {}
        points = self.initial_points() if initial else self.current_points()
        for (tzhk, subject, _), value in sorted(points.items()):
            per_subject = scores.setdefault(tzhk, {})
            per_subject[subject] = per_subject.get(subject, 0) + value
        return scores

    def changes_for(self, tzhk: str) -> list[ScoreEntry]:
        """The entries after the initial one that touch ``tzhk``'s tasks."""
        return [e for e in self.entries[1:] if any(p.tzhk == tzhk for p in e.points)]


def open_ledger(stream: int, initial: Iterable[TaskPoints], provenance: Provenance) -> ScoreLedger:
    """Open a stream's ledger with the initial scoring of every applicant and task.

    Implements UNT-SCORE-3 (the statement without appeal comes first).

    Parameters
    ----------
    stream : int
        Stream number.
    initial : iterable of TaskPoints
        Every task of every scored applicant, once each.
    provenance : Provenance
        Who scored, when, and the key opening it rests on.

    Returns
    -------
    ScoreLedger
        One entry of kind ``INITIAL``.

    Examples
    --------
    >>> import datetime as dt
    >>> at = dt.datetime(2026, 6, 20, 15, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    >>> who = Provenance(actor="programmer", at=at, reason="key opened",
    ...                  rule_id="UNT-SCORE-3", evidence_ref="key file")
    >>> ledger = open_ledger(1, [TaskPoints(tzhk="1", subject="m", task=1, points=1)], who)
    >>> ledger.subject_scores(), ledger.verify().intact
    ({'1': {'m': 1}}, True)
    """
    points = tuple(initial)
    entry = ScoreEntry.linked(None, kind=ChangeKind.INITIAL, points=points, provenance=provenance)
    return ScoreLedger(stream=stream, entries=(entry,))


def record_change(
    ledger: ScoreLedger,
    points: Sequence[TaskPoints],
    *,
    kind: ChangeKind,
    provenance: Provenance,
) -> ScoreLedger:
    """Append an entry setting new points for some tasks; the ledger before stays as it was.

    Implements UNT-APL-23 (a decision is entered, never written over).

    Raises
    ------
    DomainError
        (UNT-STMT-2) A second initial entry, a task the initial scoring does
        not hold, or a change dated before the newest entry.
    """
    if kind is ChangeKind.INITIAL:
        raise DomainError("UNT-STMT-2", "a ledger has one initial scoring; record a change")
    known = ledger.initial_points()
    unknown = [p.key for p in points if p.key not in known]
    if unknown:
        raise DomainError("UNT-STMT-2", f"no initial score for task(s) {unknown}")
    last = ledger.entries[-1]
    if provenance.at < last.provenance.at:
        raise DomainError(
            "UNT-STMT-2",
            f"a change dated {provenance.at.isoformat()} precedes entry {last.seq} "
            f"({last.provenance.at.isoformat()})",
        )
    entry = ScoreEntry.linked(last, kind=kind, points=tuple(points), provenance=provenance)
    return ScoreLedger(stream=ledger.stream, entries=(*ledger.entries, entry))
