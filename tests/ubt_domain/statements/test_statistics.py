"""Daily and final statistics frames: participants, absences, exclusions, results."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from tests.ubt_domain.statement_data import school_scores, unt_scores
from ubt_domain.scoring.candidates import Exclusion, ExclusionReason
from ubt_domain.statements.statistics import (
    DAILY_SCHEMA,
    FINAL_SCHEMA,
    SUBJECT_SCHEMA,
    daily_statistics,
    final_statistics,
    subject_statistics,
)

DAY = date(2026, 6, 20)


def test_unt_stat_2_daily_participants_per_room() -> None:
    """Registered, sat, absent and excluded per room, with the results' range."""
    scores, _, roster = unt_scores(3)
    registered = {row.tzhk: "03" for row in roster.seating}
    registered |= {"003000009": "03", "004000001": "04"}  # one excluded here, one absent in 04
    excluded = Exclusion(candidate="003000009", reason=ExclusionReason.OUTSIDER, act="10-2")
    daily = daily_statistics(
        scores, day=DAY, stream=1, registered=registered, exclusions=[excluded]
    )
    assert daily.schema == pl.Schema(DAILY_SCHEMA)
    rows = daily.select("unit", "registered", "sat", "absent", "excluded").rows()
    assert rows == [("03", 4, 3, 0, 1), ("04", 1, 0, 1, 0)]
    room3 = daily.row(0, named=True)
    assert (room3["points_min"], room3["points_max"], room3["points_mean"]) == (25, 75, 50.0)


def test_unt_stat_3_results_without_appeal_per_subject_and_task() -> None:
    """Per subject the mean points; per task the share answered correctly."""
    scores, _, _ = unt_scores(3)
    stats = subject_statistics(scores)
    assert stats.schema == pl.Schema(SUBJECT_SCHEMA)
    subject = stats.filter(pl.col("task").is_null() & (pl.col("subject") == "answers_1"))
    assert subject.select("sat", "points_mean").row(0) == (3, 10.0)
    tasks = stats.filter(pl.col("subject") == "answers_1").drop_nulls("task")
    shares = tasks.sort("task")["correct_share"].to_list()
    assert shares[:5] == [1.0] * 5  # everyone answers the first 5 right
    assert shares[5] == pytest.approx(2 / 3)
    assert shares[-1] == 0.0


def test_unt_stat_8_final_statistics_sum_the_days_per_unit() -> None:
    """Two days of one room add up; the mean is recomputed from the sums."""
    scores, _, roster = unt_scores(3)
    registered = {row.tzhk: "03" for row in roster.seating}
    first = daily_statistics(scores, day=DAY, stream=1, registered=registered)
    only_one = scores.filter(pl.col("candidate") == roster.seating[0].tzhk)
    second = daily_statistics(only_one, day=date(2026, 6, 21), stream=2, registered=registered)
    final = final_statistics([first, second])
    assert final.schema == pl.Schema(FINAL_SCHEMA)
    row = final.row(0, named=True)
    assert (row["days"], row["registered"], row["sat"], row["absent"]) == (2, 6, 4, 2)
    assert row["points_mean"] == pytest.approx((25 + 50 + 75 + 25) / 4)
    assert final_statistics([]).schema == pl.Schema(FINAL_SCHEMA)


def test_ozh_32_school_results_statistics_per_school() -> None:
    """The school's figures are the same frame, with the school as unit."""
    scores, _, students = school_scores([5, 6, None])
    registered = {s.student_id: "560001" for s in students}
    daily = daily_statistics(scores, day=DAY, stream=1, registered=registered)
    assert daily.select("unit", "registered", "sat", "absent").row(0) == ("560001", 3, 2, 1)


def test_mab_s_23_statistics_of_all_schools_together() -> None:
    """Schools' daily frames combine into one final frame, a row a school."""
    scores, _, students = school_scores([5, 6])
    one = daily_statistics(
        scores, day=DAY, stream=1, registered={s.student_id: "A" for s in students}
    )
    two = daily_statistics(scores.head(0), day=DAY, stream=1, registered={"x1": "B", "x2": "B"})
    final = final_statistics([one, two])
    assert final.select("unit", "sat", "absent").rows() == [("A", 2, 0), ("B", 0, 2)]
