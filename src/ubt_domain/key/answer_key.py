"""The answer key of one exam: the accepted option(s) of every task of every variant.

NTC forms the variants file and the key and sends both (UNT-KEY-1,
UNT-SCAN-2). A key is data: per variant, per subject (the layout's answer
field), per task the option(s) that earn the task's points. Exactly one
option is correct as printed (MAB-S-11); a task may accept more than one
only when the key itself says so (a corrected key), never because a sheet
holds several marks (D-1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from pydantic import Field, model_validator

from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel

if TYPE_CHECKING:
    import polars as pl

__all__ = ["KEY_FRAME_SCHEMA", "AnswerKey", "SubjectKey", "VariantKey", "key_frame"]

_RULE = "UNT-KEY-1"

#: Column name → polars dtype name of :func:`key_frame`, one row per accepted option.
KEY_FRAME_SCHEMA: dict[str, str] = {
    "variant": "String",
    "subject": "String",
    "task": "Int32",
    "option": "String",
    "points": "Int32",
}


class SubjectKey(DomainModel):
    """The key of one subject of one variant.

    Parameters
    ----------
    subject : str
        The answer field of the sheet layout this subject is read from
        (``answers_1`` …).
    accepted : tuple of tuple of str
        ``accepted[i]`` are the options that earn task ``i + 1``'s points;
        usually one.
    points_per_task : int
        Points a correct task earns (1 in every programme: MAB-S-26, MAB-U-6, D-3).
    """

    malformed_rule: ClassVar[str] = _RULE

    subject: str = Field(min_length=1)
    accepted: tuple[tuple[str, ...], ...] = Field(min_length=1)
    points_per_task: int = Field(default=1, ge=1)

    @model_validator(mode="after")
    def _one_option_at_least(self) -> SubjectKey:
        empty = [i + 1 for i, options in enumerate(self.accepted) if not options]
        if empty:
            raise DomainError(_RULE, f"subject {self.subject}: tasks {empty} accept no option")
        return self


class VariantKey(DomainModel):
    """The key of one variant (нұсқа): one :class:`SubjectKey` per subject."""

    malformed_rule: ClassVar[str] = _RULE

    variant: str = Field(pattern=r"^[0-9]+$")
    subjects: tuple[SubjectKey, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _subjects_once(self) -> VariantKey:
        names = [s.subject for s in self.subjects]
        if len(set(names)) != len(names):
            raise DomainError(_RULE, f"variant {self.variant}: a subject is keyed twice: {names}")
        return self


class AnswerKey(DomainModel):
    """The correct-answer key (дұрыс жауаптар коды) of one exam.

    Parameters
    ----------
    exam : str
        Name of the :class:`~ubt_domain.scoring.spec.ExamSpec` the key belongs to.
    variants : tuple of VariantKey
        Every variant of the exam, each once.

    Examples
    --------
    >>> key = AnswerKey(exam="mab-4", variants=(VariantKey(variant="0001", subjects=(
    ...     SubjectKey(subject="answers_1", accepted=(("A",), ("C",))),)),))
    >>> key.variant("0001").subjects[0].accepted[1]
    ('C',)
    """

    malformed_rule: ClassVar[str] = _RULE

    exam: str = Field(min_length=1)
    variants: tuple[VariantKey, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _variants_once(self) -> AnswerKey:
        names = [v.variant for v in self.variants]
        if len(set(names)) != len(names):
            raise DomainError(_RULE, f"exam {self.exam}: a variant is keyed twice: {names}")
        return self

    def variant(self, variant: str) -> VariantKey:
        """The key of ``variant``; a variant the key lacks is a broken variants file."""
        for candidate in self.variants:
            if candidate.variant == variant:
                return candidate
        raise DomainError("UNT-SCAN-2", f"exam {self.exam}: variant {variant} is not in the key")


def key_frame(key: AnswerKey) -> pl.DataFrame:
    """The key as a polars frame: one row per (variant, subject, task, accepted option).

    Implements UNT-KEY-1.

    Returns
    -------
    polars.DataFrame
        Columns :data:`KEY_FRAME_SCHEMA`; tasks are numbered from 1.
    """
    import polars as pl

    rows = [
        (v.variant, s.subject, task, option, s.points_per_task)
        for v in key.variants
        for s in v.subjects
        for task, options in enumerate(s.accepted, start=1)
        for option in options
    ]
    return pl.DataFrame(
        rows,
        schema={name: getattr(pl, dtype) for name, dtype in KEY_FRAME_SCHEMA.items()},
        orient="row",
    )
