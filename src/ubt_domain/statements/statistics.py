"""Daily and final statistics of participants and results (UNT-STAT-2, -3, OZH-32, MAB-S-23).

NTC collects daily and final statistics on the number of participants
(UNT-STAT-2), the results without appeal during testing (UNT-STAT-3), and
from ОЖСБ/МАБ the results per school (OZH-32, MAB-S-23). The frames here are
those figures, per unit (a ҰБТ room or a school) with a stable schema; the
sending is the testing point's I/O, outside the domain.

:func:`daily_statistics` counts one stream's (or one school's) day;
:func:`final_statistics` sums the daily frames per unit, recomputing means
from sums so that they stay exact; :func:`subject_statistics` is the
per-subject and per-task share of correct answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import polars as pl

from ubt_domain.scoring.candidates import Exclusion
from ubt_domain.scoring.score import totals

__all__ = [
    "DAILY_SCHEMA",
    "FINAL_SCHEMA",
    "SUBJECT_SCHEMA",
    "daily_statistics",
    "final_statistics",
    "subject_statistics",
]

_COUNTS: dict[str, Any] = {
    "registered": pl.Int32,
    "sat": pl.Int32,
    "absent": pl.Int32,
    "excluded": pl.Int32,
    "points_sum": pl.Int64,
    "points_min": pl.Int32,
    "points_max": pl.Int32,
    "points_mean": pl.Float64,
}
#: One row per unit of one day and stream.
DAILY_SCHEMA: dict[str, Any] = {
    "day": pl.Date,
    "stream": pl.Int32,
    "unit": pl.String,
    **_COUNTS,
}
#: One row per unit over every day and stream.
FINAL_SCHEMA: dict[str, Any] = {"unit": pl.String, "days": pl.Int32, **_COUNTS}
#: One row per subject and task; ``task`` null on the subject's own row.
SUBJECT_SCHEMA: dict[str, Any] = {
    "subject": pl.String,
    "task": pl.Int32,
    "sat": pl.Int32,
    "correct_share": pl.Float64,
    "points_mean": pl.Float64,
}


def daily_statistics(
    task_scores: pl.DataFrame,
    *,
    day: date,
    stream: int,
    registered: Mapping[str, str],
    exclusions: Sequence[Exclusion] = (),
) -> pl.DataFrame:
    """Participants and results of one day's stream, per unit.

    Implements UNT-STAT-2, UNT-STAT-3, OZH-32, MAB-S-23.

    Parameters
    ----------
    task_scores : polars.DataFrame
        ``score_answers`` of the stream (or school).
    day : datetime.date
        The testing day (data, never the clock).
    stream : int
        The stream (1 for МАБ/ОЖСБ, which have one sitting a school).
    registered : mapping of str to str
        Candidate → unit for everyone due to sit (the seating sheets; the
        school's approved list).
    exclusions : sequence of Exclusion
        Acts of applicants whose work is not processed.

    Returns
    -------
    polars.DataFrame
        Columns :data:`DAILY_SCHEMA`, one row per unit in ``registered``,
        sorted; ``absent`` counts the registered without a score or an act.
    """
    people = pl.DataFrame(
        {"candidate": list(registered), "unit": list(registered.values())},
        schema={"candidate": pl.String, "unit": pl.String},
    )
    excluded = pl.DataFrame(
        {"candidate": [e.candidate for e in exclusions]}, schema={"candidate": pl.String}
    ).with_columns(is_excluded=pl.lit(value=True))
    points = totals(task_scores).select("candidate", "points")
    sat = pl.col("points").is_not_null()
    is_excluded = pl.col("is_excluded").fill_null(value=False)
    return (
        people.join(points, on="candidate", how="left")
        .join(excluded, on="candidate", how="left")
        .group_by("unit")
        .agg(
            registered=pl.len(),
            sat=sat.sum(),
            absent=(~sat & ~is_excluded).sum(),
            excluded=is_excluded.sum(),
            points_sum=pl.col("points").sum(),
            points_min=pl.col("points").min(),
            points_max=pl.col("points").max(),
            points_mean=pl.col("points").mean(),
        )
        .with_columns(day=pl.lit(day), stream=pl.lit(stream))
        .select([pl.col(c).cast(t) for c, t in DAILY_SCHEMA.items()])
        .sort("unit")
    )


def final_statistics(daily: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """The final statistics: every daily frame summed per unit.

    Implements UNT-STAT-2, UNT-STAT-8, OZH-32.

    Returns
    -------
    polars.DataFrame
        Columns :data:`FINAL_SCHEMA`; the mean is the points sum over those who sat.
    """
    frames = [frame.select(list(DAILY_SCHEMA)) for frame in daily]
    if not frames:
        return pl.DataFrame(schema=FINAL_SCHEMA)
    return (
        pl.concat(frames)
        .group_by("unit")
        .agg(
            days=pl.col("day").n_unique(),
            registered=pl.col("registered").sum(),
            sat=pl.col("sat").sum(),
            absent=pl.col("absent").sum(),
            excluded=pl.col("excluded").sum(),
            points_sum=pl.col("points_sum").sum(),
            points_min=pl.col("points_min").min(),
            points_max=pl.col("points_max").max(),
        )
        .with_columns(
            points_mean=pl.when(pl.col("sat") > 0).then(pl.col("points_sum") / pl.col("sat"))
        )
        .select([pl.col(c).cast(t) for c, t in FINAL_SCHEMA.items()])
        .sort("unit")
    )


def subject_statistics(task_scores: pl.DataFrame) -> pl.DataFrame:
    """Share of correct answers per subject and per task; mean points per subject.

    Implements UNT-STAT-3, OZH-32, MAB-S-23.

    Returns
    -------
    polars.DataFrame
        Columns :data:`SUBJECT_SCHEMA`: each subject's row (``task`` null)
        followed by its tasks.
    """
    per_task = task_scores.group_by("subject", "task").agg(
        sat=pl.col("candidate").n_unique(),
        correct_share=pl.col("correct").mean(),
        points_mean=pl.col("points").mean(),
    )
    per_subject = (
        task_scores.group_by("subject", "candidate")
        .agg(points=pl.col("points").sum(), correct=pl.col("correct").mean())
        .group_by("subject")
        .agg(
            sat=pl.len(),
            correct_share=pl.col("correct").mean(),
            points_mean=pl.col("points").mean(),
        )
        .with_columns(task=pl.lit(None, dtype=pl.Int32))
    )
    return (
        pl.concat(
            [per_subject.select(list(SUBJECT_SCHEMA)), per_task.select(list(SUBJECT_SCHEMA))],
            how="vertical_relaxed",
        )
        .select([pl.col(c).cast(t) for c, t in SUBJECT_SCHEMA.items()])
        .sort("subject", "task", nulls_last=False)
    )
