"""Scored streams and schools for statement, statistics and document tests.

``unt_scores`` scores a ҰБТ room of three applicants (25, 50 and 75 points,
as ``unt_stream.answers_of`` fills them); ``school_scores`` scores a МАБ
grade-4 school whose student ``i`` answers ``correct[i]`` tasks right;
``university_scores`` does the same for university МАБ on the 5 × 25 sheet.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from tests.ubt_domain.answer_readings import room
from tests.ubt_domain.school_readings import SCHOOL, SURNAMES, student
from tests.ubt_domain.scored_readings import layout, marks_for, reading_from_fills
from tests.ubt_domain.unt_stream import ROOM, UNT_LAYOUT, key_for, stream, unt_reading
from ubt_domain.identification.roster import RoomRoster
from ubt_domain.identification.school import ListedStudent
from ubt_domain.key.answer_key import AnswerKey, SubjectKey, VariantKey
from ubt_domain.scoring.answers import answers_frame
from ubt_domain.scoring.candidates import ScoringSheet, unt_scoring_sheets
from ubt_domain.scoring.score import score_answers
from ubt_domain.scoring.spec import ExamSpec, mab_grade4_spec, university_mab_spec, unt_spec

__all__ = [
    "listed",
    "school_key",
    "school_scores",
    "scores_of",
    "university_scores",
    "unt_scores",
]

SCHOOL_VARIANT = "0001"


def unt_scores(applicants: int = 3) -> tuple[pl.DataFrame, ExamSpec, RoomRoster]:
    """Task scores of room 3, its spec and roster."""
    roster = room(applicants, number=ROOM)
    readings = [unt_reading(k, roster) for k in range(1, applicants + 1)]
    closed, roster = stream(readings, roster)
    spec = unt_spec(layout(UNT_LAYOUT))
    answers = answers_frame(
        unt_scoring_sheets(closed, rosters=[roster]).sheets,
        {r.sheet_id: r for r in readings},
        spec=spec,
        layout=layout(UNT_LAYOUT),
    )
    return score_answers(answers, key_for(["0101", "0102"]), spec=spec), spec, roster


def school_key(spec: ExamSpec, option: str = "A") -> AnswerKey:
    """A key whose every task's answer is ``option``."""
    return AnswerKey(
        exam=spec.name,
        variants=(
            VariantKey(
                variant=SCHOOL_VARIANT,
                subjects=tuple(
                    SubjectKey(subject=s.field_id, accepted=((option,),) * s.tasks)
                    for s in spec.subjects
                ),
            ),
        ),
    )


def scores_of(
    spec: ExamSpec, layout_id: str, correct: Sequence[int | None], unit: str, prefix: str
) -> pl.DataFrame:
    sheet = layout(layout_id)
    sheets, readings = [], {}
    for i, right in enumerate(correct):
        if right is None:
            continue
        values: dict[str, str | list[str | None]] = {"variant": SCHOOL_VARIANT}
        left = right
        for subject in spec.subjects:
            here = min(left, subject.tasks)
            values[subject.field_id] = ["A"] * here + ["B"] * (subject.tasks - here)
            left -= here
        reading = reading_from_fills(sheet, marks_for(sheet, values), serial=None)
        readings[reading.sheet_id] = reading
        sheets.append(
            ScoringSheet(
                candidate=f"{prefix}{i}",
                sheet_id=reading.sheet_id,
                unit=unit,
                variant=SCHOOL_VARIANT,
            )
        )
    answers = answers_frame(sheets, readings, spec=spec, layout=sheet)
    return score_answers(answers, school_key(spec), spec=spec)


def listed(i: int) -> ListedStudent:
    """Listed student ``s{i}``: the hand-built students of ``school_readings``, cycled."""
    return student(i % len(SURNAMES), student_id=f"s{i}")


def school_scores(
    correct: Sequence[int | None],
) -> tuple[pl.DataFrame, ExamSpec, list[ListedStudent]]:
    """МАБ grade 4 of a school; ``None`` is a listed student who did not sit."""
    spec = mab_grade4_spec(layout("mab-grade4"))
    students = [listed(i) for i in range(len(correct))]
    return scores_of(spec, "mab-grade4", correct, SCHOOL, "s"), spec, students


def university_scores(correct: Sequence[int | None]) -> tuple[pl.DataFrame, ExamSpec]:
    """University МАБ of students ``u0``…; ``None`` did not come."""
    spec = university_mab_spec(layout(UNT_LAYOUT))
    return scores_of(spec, UNT_LAYOUT, correct, "KZ-UNI", "u"), spec
