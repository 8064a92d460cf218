"""The typed score values that statements, appeals and certificates consume.

The frames of :mod:`ubt_domain.scoring.score` are the bulk form; these are
the same numbers for one candidate, typed: :class:`TaskScore` per task,
:class:`SubjectScore` per subject, :class:`SheetScore` per sheet. A later
change (an appeal) is a new value with its provenance, never an overwrite.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from ubt_domain.models import DomainModel

__all__ = ["SheetScore", "SubjectScore", "TaskScore"]


class TaskScore(DomainModel):
    """One task of one candidate: what was read, whether it matches the key, the points.

    Parameters
    ----------
    subject : str
        The answer field (``answers_1`` …).
    task : int
        1-based.
    state : str
        ``blank``, ``marked`` or ``multiple`` (omrkit ``SlotState``), after review.
    symbol : str or None
        The marked option; ``None`` for blank or multiple.
    correct : bool
        The mark is an accepted option of the key.
    points : int
        Points earned (0 unless correct; D-1).
    decided_by : str or None
        Who resolved the slot's review, if it was under review.
    """

    malformed_rule: ClassVar[str] = "UNT-SCORE-1"

    subject: str
    task: int = Field(ge=1)
    state: str
    symbol: str | None
    correct: bool
    points: int = Field(ge=0)
    decided_by: str | None = None


class SubjectScore(DomainModel):
    """Points of one subject: the certificate's number (UNT-SCORE-5)."""

    malformed_rule: ClassVar[str] = "UNT-SCORE-5"

    subject: str
    correct: int = Field(ge=0)
    points: int = Field(ge=0)
    tasks: int = Field(ge=1)


class SheetScore(DomainModel):
    """The score of one candidate's sheet.

    Parameters
    ----------
    candidate : str
        ТЖК (ҰБТ) or listed student id (МАБ/ОЖСБ).
    sheet_id, serial, unit, variant
        Where the score comes from.
    subjects : tuple of SubjectScore
        In the spec's order (two on the creative track).
    tasks : tuple of TaskScore
        Every task, subject by subject.
    """

    malformed_rule: ClassVar[str] = "UNT-SCORE-5"

    candidate: str
    sheet_id: str
    serial: int | None
    unit: str
    variant: str
    subjects: tuple[SubjectScore, ...]
    tasks: tuple[TaskScore, ...]

    @property
    def total_points(self) -> int:
        """Sum of the subjects' points."""
        return sum(s.points for s in self.subjects)

    @property
    def total_correct(self) -> int:
        """Correct tasks over all subjects."""
        return sum(s.correct for s in self.subjects)
