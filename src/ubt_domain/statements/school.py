"""The МАБ and ОЖСБ statement of one school, and the school's figures (MAB-S-22, OZH-19, D-5, D-6).

One row per student of the school's approved list: the correct answers of
each subject, the total, and for МАБ whether the student mastered
(«игерді», ≥ 30 %, D-5); a listed student without a sheet is marked absent,
not scored 0. :func:`school_summary` gives the school's line for the 7 %
rule (D-6): the students who sat, how many did not master, and whether the
school is flagged. Printed in 4 copies
(:data:`~ubt_domain.statements.copies.SCHOOL_STATEMENT_COPIES`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from ubt_domain.identification.school import ListedStudent
from ubt_domain.models import Programme
from ubt_domain.scoring.score import subject_totals
from ubt_domain.scoring.spec import ExamSpec
from ubt_domain.scoring.thresholds import (
    MASTERY_PERCENT,
    SCHOOL_FAIL_PERCENT,
    MasteryBasis,
    reaches_expr,
)

__all__ = ["SCHOOL_SUMMARY_SCHEMA", "school_statement", "school_statement_schema", "school_summary"]

#: One row per school: the figures behind the 7 % rule.
SCHOOL_SUMMARY_SCHEMA: dict[str, Any] = {
    "school": pl.String,
    "listed": pl.Int32,
    "sat": pl.Int32,
    "mastered": pl.Int32,
    "not_mastered": pl.Int32,
    "not_mastered_percent": pl.Float64,
    "flagged": pl.Boolean,
}


def school_statement_schema(spec: ExamSpec) -> dict[str, Any]:
    """The statement's columns: the student, correct answers per subject field, total, mastery."""
    return {
        "student_id": pl.String,
        "surname": pl.String,
        "name": pl.String,
        "class_name": pl.String,
        "present": pl.Boolean,
        "variant": pl.String,
        **{s.field_id: pl.Int32 for s in spec.subjects},
        "total": pl.Int32,
        "mastered": pl.Boolean,
    }


def school_statement(
    task_scores: pl.DataFrame,
    *,
    spec: ExamSpec,
    students: Sequence[ListedStudent],
    basis: MasteryBasis = MasteryBasis.TOTAL,
) -> pl.DataFrame:
    """The statement of one school, in list order.

    Implements MAB-S-22, MAB-S-28, OZH-19, OZH-33, D-5.

    Parameters
    ----------
    task_scores : polars.DataFrame
        ``score_answers`` of the school (student id as candidate).
    spec : ExamSpec
        The grade's (or ОЖСБ's) spec.
    students : sequence of ListedStudent
        The approved list (П-1).
    basis : MasteryBasis
        МАБ's 30 % on the total (default) or per subject (D-5's option).

    Returns
    -------
    polars.DataFrame
        Columns :func:`school_statement_schema`; absent students have
        ``present`` false and null scores; ``mastered`` is null for absent
        students and for ОЖСБ (which has no threshold, OZH-34).
    """
    schema = school_statement_schema(spec)
    per_subject = subject_totals(task_scores)
    mastered_by = per_subject.group_by("candidate").agg(
        total=pl.col("correct").sum(),
        tasks=pl.col("tasks").sum(),
        every=reaches_expr(pl.col("correct"), pl.col("tasks"), MASTERY_PERCENT).all(),
    )
    on_total = reaches_expr(pl.col("total"), pl.col("tasks"), MASTERY_PERCENT)
    verdict = on_total if basis is MasteryBasis.TOTAL else pl.col("every")
    wide = per_subject.pivot(on="subject", index=["candidate", "variant"], values="correct")
    # A subject nobody sat still has its column (a school where everyone was absent).
    wide = wide.with_columns(
        pl.lit(None, dtype=pl.Int32).alias(s.field_id)
        for s in spec.subjects
        if s.field_id not in wide.columns
    )
    listed = pl.DataFrame(
        [(s.student_id, s.surname, s.name, s.class_name) for s in students],
        schema={
            "candidate": pl.String,
            "surname": pl.String,
            "name": pl.String,
            "class_name": pl.String,
        },
        orient="row",
    )
    mab = spec.programme is Programme.MAB
    return (
        listed.join(wide, on="candidate", how="left", maintain_order="left")
        .join(mastered_by, on="candidate", how="left", maintain_order="left")
        .with_columns(
            present=pl.col("variant").is_not_null(),
            mastered=verdict if mab else pl.lit(None, dtype=pl.Boolean),
        )
        .rename({"candidate": "student_id"})
        .select([pl.col(c).cast(t) for c, t in schema.items()])
    )


def school_summary(statement: pl.DataFrame, *, school: str) -> pl.DataFrame:
    """The school's line for the 7 % rule: flagged when ≥ 7 % of those who sat did not master.

    Implements MAB-S-29, D-6.

    Returns
    -------
    polars.DataFrame
        One row, columns :data:`SCHOOL_SUMMARY_SCHEMA`.
    """
    sat = pl.col("present").sum()
    not_mastered = (pl.col("present") & ~pl.col("mastered").fill_null(value=False)).sum()
    return (
        statement.select(
            school=pl.lit(school),
            listed=pl.len(),
            sat=sat,
            mastered=pl.col("mastered").fill_null(value=False).sum(),
            not_mastered=not_mastered,
        )
        .with_columns(
            not_mastered_percent=pl.when(pl.col("sat") > 0)
            .then(pl.col("not_mastered") * 100.0 / pl.col("sat"))
            .otherwise(0.0),
            flagged=(pl.col("sat") > 0)
            & reaches_expr(pl.col("not_mastered"), pl.col("sat"), SCHOOL_FAIL_PERCENT),
        )
        .select([pl.col(c).cast(t) for c, t in SCHOOL_SUMMARY_SCHEMA.items()])
    )
