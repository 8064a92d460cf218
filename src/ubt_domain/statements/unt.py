"""The ҰБТ exam statement without appeal (UNT-STMT-1, UNT-STMT-4).

One row per scored applicant of the stream, room by room and seat by seat:
points per subject and the total. Sheets decided «Жою» never reach scoring,
so they are not in it (UNT-STMT-4); applicants whose work is not processed
are listed apart by the document. Printed in 4 copies
(:data:`~ubt_domain.statements.copies.UNT_STATEMENT_COPIES`). The statement
with appeal is built from the same scores after the appeals.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from ubt_domain.errors import DomainError
from ubt_domain.scoring.score import subject_totals
from ubt_domain.scoring.spec import ExamSpec

__all__ = ["unt_statement", "unt_statement_schema"]

_RULE = "UNT-STMT-1"


def unt_statement_schema(spec: ExamSpec) -> dict[str, Any]:
    """The statement's columns: identity, one points column per subject field, the total.

    A subject an applicant did not sit (creative track) is null, not 0.
    """
    return {
        "room": pl.String,
        "seat": pl.Int64,
        "tzhk": pl.String,
        "full_name": pl.String,
        "variant": pl.String,
        **{s.field_id: pl.Int32 for s in spec.subjects},
        "total": pl.Int32,
    }


def unt_statement(
    task_scores: pl.DataFrame, *, spec: ExamSpec, names: Mapping[str, str]
) -> pl.DataFrame:
    """The statement without appeal of one stream.

    Implements UNT-STMT-1, UNT-STMT-4, UNT-SCORE-3, UNT-SCORE-5.

    Parameters
    ----------
    task_scores : polars.DataFrame
        ``score_answers`` of the stream (ТЖК as candidate, room as unit).
    spec : ExamSpec
        The ҰБТ spec: its subjects are the columns.
    names : mapping of str to str
        ТЖК → full name, from the seating sheets.

    Returns
    -------
    polars.DataFrame
        Columns :func:`unt_statement_schema`, sorted by room and seat.

    Raises
    ------
    DomainError
        (``UNT-STMT-1``) when a scored applicant has no name.
    """
    nameless = sorted(set(task_scores["candidate"].unique().to_list()) - set(names))
    if nameless:
        raise DomainError(_RULE, f"no name for ТЖК {', '.join(nameless)}")
    schema = unt_statement_schema(spec)
    per_subject = subject_totals(task_scores)
    wide = per_subject.pivot(
        on="subject", index=["candidate", "unit", "seat", "variant"], values="points"
    )
    subjects = [s.field_id for s in spec.subjects]
    missing = [pl.lit(None, dtype=pl.Int32).alias(f) for f in subjects if f not in wide.columns]
    name_frame = pl.DataFrame(
        {"candidate": list(names), "full_name": list(names.values())},
        schema={"candidate": pl.String, "full_name": pl.String},
    )
    return (
        wide.with_columns(missing)
        .join(name_frame, on="candidate", how="left")
        .with_columns(total=pl.sum_horizontal(subjects).cast(pl.Int32))
        .rename({"unit": "room", "candidate": "tzhk"})
        .select([pl.col(c).cast(t) for c, t in schema.items()])
        .sort("room", "seat")
    )
