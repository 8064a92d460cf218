"""University МАБ: exam lists by group, attendance and the organisation's figures (MAB-U-10…14).

The state commission's report carries the exam lists by group (MAB-U-11):
every student of the roster with points and pass or fail against the
specialty's pass mark (60 % medical, 40 % other, MAB-U-10); a student who
did not come is «келген жоқ» (MAB-U-13), never a 0. The organisation's
figures give the 70 % attendance (MAB-U-12) and the extraordinary
attestation rule as T-18 reads it (MAB-U-14).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any, ClassVar

import polars as pl
from pydantic import Field

from ubt_domain.models import DomainModel
from ubt_domain.scoring.score import totals
from ubt_domain.scoring.thresholds import (
    ATTENDANCE_PERCENT,
    MEDICAL_PASS_PERCENT,
    OTHER_PASS_PERCENT,
    SCHOOL_FAIL_PERCENT,
    SPECIALTY_SHARE_PERCENT,
    reaches_expr,
)

__all__ = [
    "EXAM_LIST_SCHEMA",
    "ORGANISATION_SCHEMA",
    "ExamStatus",
    "UniversityStudent",
    "organisation_summary",
    "university_exam_lists",
]


class ExamStatus(StrEnum):
    """A student's line in the exam list."""

    PASSED = "өтті"
    FAILED = "өтпеді"
    ABSENT = "келген жоқ"  # MAB-U-13


class UniversityStudent(DomainModel):
    """One student of the organisation's roster for МАБ (MAB-U-2: the exempt are not listed)."""

    malformed_rule: ClassVar[str] = "MAB-U-11"

    student_id: str = Field(min_length=1)
    full_name: str = Field(min_length=1)
    group: str = Field(min_length=1)
    specialty: str = Field(min_length=1)
    medical: bool = False


#: The exam list: one row per rostered student, by group.
EXAM_LIST_SCHEMA: dict[str, Any] = {
    "group": pl.String,
    "specialty": pl.String,
    "student_id": pl.String,
    "full_name": pl.String,
    "points": pl.Int32,
    "max_points": pl.Int32,
    "status": pl.String,
}
#: The organisation: attendance and the specialties over 7 %.
ORGANISATION_SCHEMA: dict[str, Any] = {
    "rostered": pl.Int32,
    "present": pl.Int32,
    "attendance_percent": pl.Float64,
    "attendance_reached": pl.Boolean,
    "specialties": pl.Int32,
    "specialties_over_failure_share": pl.Int32,
    "flagged": pl.Boolean,
}


def university_exam_lists(
    task_scores: pl.DataFrame, *, roster: Sequence[UniversityStudent], max_points: int
) -> pl.DataFrame:
    """The exam lists by group: points and status of every rostered student.

    Implements MAB-U-10, MAB-U-11, MAB-U-13.

    Parameters
    ----------
    task_scores : polars.DataFrame
        ``score_answers`` of the organisation (student id as candidate).
    roster : sequence of UniversityStudent
    max_points : int
        The test's maximum (125, ``ExamSpec.max_points``).

    Returns
    -------
    polars.DataFrame
        Columns :data:`EXAM_LIST_SCHEMA`, sorted by group and name.
    """
    if max_points < 1:
        raise ValueError(f"max_points must be positive, got {max_points}")
    listed = pl.DataFrame(
        [(s.student_id, s.full_name, s.group, s.specialty, s.medical) for s in roster],
        schema={
            "candidate": pl.String,
            "full_name": pl.String,
            "group": pl.String,
            "specialty": pl.String,
            "medical": pl.Boolean,
        },
        orient="row",
    )
    percent = pl.when(pl.col("medical")).then(MEDICAL_PASS_PERCENT).otherwise(OTHER_PASS_PERCENT)
    passed = pl.col("points").cast(pl.Int64) * 100 >= percent * max_points
    return (
        listed.join(totals(task_scores).select("candidate", "points"), on="candidate", how="left")
        .with_columns(
            max_points=pl.lit(max_points),
            status=pl.when(pl.col("points").is_null())
            .then(pl.lit(ExamStatus.ABSENT.value))
            .when(passed)
            .then(pl.lit(ExamStatus.PASSED.value))
            .otherwise(pl.lit(ExamStatus.FAILED.value)),
        )
        .rename({"candidate": "student_id"})
        .select([pl.col(c).cast(t) for c, t in EXAM_LIST_SCHEMA.items()])
        .sort("group", "full_name")
    )


def organisation_summary(lists: pl.DataFrame) -> pl.DataFrame:
    """Attendance (≥ 70 %) and the attestation rule over the exam lists.

    Implements MAB-U-12, MAB-U-14, D-6.

    Notes
    -----
    MAB-U-14 reads (T-18): flagged when, in 25 % or more of the specialties,
    7 % or more of the students who sat failed the threshold.
    """
    present = pl.col("status") != ExamStatus.ABSENT.value
    failed = pl.col("status") == ExamStatus.FAILED.value
    by_specialty = lists.group_by("specialty").agg(sat=present.sum(), failed=failed.sum())
    over = by_specialty.filter(
        (pl.col("sat") > 0) & reaches_expr(pl.col("failed"), pl.col("sat"), SCHOOL_FAIL_PERCENT)
    ).height
    specialties = by_specialty.height
    return (
        lists.select(rostered=pl.len(), present=present.sum())
        .with_columns(
            attendance_percent=pl.col("present") * 100.0 / pl.col("rostered"),
            attendance_reached=reaches_expr(
                pl.col("present"), pl.col("rostered"), ATTENDANCE_PERCENT
            ),
            specialties=pl.lit(specialties),
            specialties_over_failure_share=pl.lit(over),
            flagged=pl.lit(specialties > 0 and over * 100 >= SPECIALTY_SHARE_PERCENT * specialties),
        )
        .select([pl.col(c).cast(t) for c, t in ORGANISATION_SCHEMA.items()])
    )
