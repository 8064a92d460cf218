"""Scoring a stream: the answers frame against the opened key, as polars expressions.

1 point per correct answer in every programme (D-3, MAB-S-26, MAB-U-6); a
blank or `multiple` slot earns nothing, also when one of its marks is the
key's option (D-1, UNT-SCORE-2, MAB-S-12). A final score exists only when no
slot is left under review (UNT-SCORE-1): :func:`score_answers` refuses
otherwise, naming how many wait.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from ubt_domain.errors import DomainError
from ubt_domain.key.answer_key import AnswerKey, key_frame
from ubt_domain.scoring.answers import ANSWERS_SCHEMA
from ubt_domain.scoring.scores import SheetScore, SubjectScore, TaskScore
from ubt_domain.scoring.spec import ExamSpec

__all__ = [
    "SUBJECT_TOTALS_SCHEMA",
    "TASK_SCORES_SCHEMA",
    "score_answers",
    "sheet_scores",
    "subject_totals",
    "totals",
]

_IDENTITY = ["candidate", "sheet_id", "serial", "unit", "seat", "variant"]
#: Per-task scores: one row per candidate, subject and task.
TASK_SCORES_SCHEMA: dict[str, Any] = {
    **{name: ANSWERS_SCHEMA[name] for name in (*_IDENTITY, "subject", "task", "state", "symbol")},
    "correct": pl.Boolean,
    "points": pl.Int32,
    "decided_by": pl.String,
}
#: Per-subject totals: one row per candidate and subject.
SUBJECT_TOTALS_SCHEMA: dict[str, Any] = {
    **{name: ANSWERS_SCHEMA[name] for name in (*_IDENTITY, "subject")},
    "correct": pl.Int32,
    "points": pl.Int32,
    "tasks": pl.Int32,
}


def score_answers(answers: pl.DataFrame, key: AnswerKey, *, spec: ExamSpec) -> pl.DataFrame:
    """Score every task of every candidate against the key.

    Implements UNT-SCORE-1, UNT-SCORE-2, UNT-SCORE-3, D-1, D-3, MAB-S-12, MAB-S-26, MAB-U-6.

    Parameters
    ----------
    answers : polars.DataFrame
        From ``answers_frame``, with every review resolved.
    key : AnswerKey
        The opened key of ``spec``'s exam (``open_key`` is the only way past
        the gate, UNT-SCORE-3).
    spec : ExamSpec

    Returns
    -------
    polars.DataFrame
        Columns :data:`TASK_SCORES_SCHEMA`, in the answers' order.

    Raises
    ------
    DomainError
        (``UNT-SCORE-1``) while slots are under review; (``UNT-SCAN-2``) when
        a sheet's variant or subject is not in the key; (``D-3``) when the
        key is for another exam.
    """
    if key.exam != spec.name:
        raise DomainError("D-3", f"the key is for exam {key.exam}, the spec is {spec.name}")
    waiting = answers.filter(pl.col("review")).height
    if waiting:
        raise DomainError(
            "UNT-SCORE-1",
            f"{waiting} slot(s) are under review; record a decision for each before scoring",
        )
    keyed = key_frame(key)
    missing = (
        answers.select("variant", "subject")
        .unique()
        .join(keyed.select("variant", "subject").unique(), on=["variant", "subject"], how="anti")
    )
    if missing.height:
        pairs = ", ".join(f"{r['variant']}/{r['subject']}" for r in missing.iter_rows(named=True))
        raise DomainError("UNT-SCAN-2", f"the key has no variant/subject {pairs}")
    hits = keyed.rename({"option": "symbol"}).with_columns(hit=pl.lit(value=True))
    marked = pl.col("state") == "marked"
    return (
        answers.join(
            hits, on=["variant", "subject", "task", "symbol"], how="left", maintain_order="left"
        )
        .with_columns(correct=marked & pl.col("hit").fill_null(value=False))
        .with_columns(
            points=pl.when(pl.col("correct")).then(pl.col("points")).otherwise(0).cast(pl.Int32)
        )
        .select(list(TASK_SCORES_SCHEMA))
    )


def subject_totals(task_scores: pl.DataFrame) -> pl.DataFrame:
    """Correct tasks and points per candidate and subject.

    Implements UNT-SCORE-5.
    """
    return (
        task_scores.group_by([*_IDENTITY, "subject"], maintain_order=True)
        .agg(
            correct=pl.col("correct").sum().cast(pl.Int32),
            points=pl.col("points").sum().cast(pl.Int32),
            tasks=pl.len().cast(pl.Int32),
        )
        .select(list(SUBJECT_TOTALS_SCHEMA))
    )


def totals(task_scores: pl.DataFrame) -> pl.DataFrame:
    """Correct tasks, points and tasks per candidate over all their subjects.

    Implements UNT-SCORE-5, MAB-S-26.
    """
    return task_scores.group_by(_IDENTITY, maintain_order=True).agg(
        correct=pl.col("correct").sum().cast(pl.Int32),
        points=pl.col("points").sum().cast(pl.Int32),
        tasks=pl.len().cast(pl.Int32),
    )


def sheet_scores(task_scores: pl.DataFrame) -> tuple[SheetScore, ...]:
    """The typed :class:`SheetScore` of every candidate, for appeals and certificates.

    Implements UNT-SCORE-5.
    """
    scores = []
    by_subject = subject_totals(task_scores)
    subjects_of = {
        key[0]: group for key, group in by_subject.group_by("sheet_id", maintain_order=True)
    }
    for key, group in task_scores.group_by("sheet_id", maintain_order=True):
        first = group.row(0, named=True)
        scores.append(
            SheetScore(
                candidate=first["candidate"],
                sheet_id=first["sheet_id"],
                serial=first["serial"],
                unit=first["unit"],
                variant=first["variant"],
                subjects=tuple(
                    SubjectScore(**{k: r[k] for k in ("subject", "correct", "points", "tasks")})
                    for r in subjects_of[key[0]].iter_rows(named=True)
                ),
                tasks=tuple(
                    TaskScore(**{k: r[k] for k in TaskScore.model_fields})
                    for r in group.iter_rows(named=True)
                ),
            )
        )
    return tuple(scores)
