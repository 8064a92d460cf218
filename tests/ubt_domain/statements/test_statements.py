"""Statements of ҰБТ, МАБ/ОЖСБ schools and university groups, with their copies."""

from __future__ import annotations

import polars as pl
import pytest

from tests.ubt_domain.school_readings import SCHOOL
from tests.ubt_domain.scored_readings import layout
from tests.ubt_domain.statement_data import (
    listed,
    school_key,
    school_scores,
    scores_of,
    university_scores,
    unt_scores,
)
from ubt_domain.errors import DomainError
from ubt_domain.key.printout import key_printout
from ubt_domain.scoring.spec import mab_grade9_spec, ozhsb_spec
from ubt_domain.scoring.thresholds import MasteryBasis
from ubt_domain.statements.copies import (
    KEY_COPIES,
    SCHOOL_STATEMENT_COPIES,
    UNT_STATEMENT_COPIES,
)
from ubt_domain.statements.school import (
    school_statement,
    school_statement_schema,
    school_summary,
)
from ubt_domain.statements.university import (
    ExamStatus,
    UniversityStudent,
    organisation_summary,
    university_exam_lists,
)
from ubt_domain.statements.unt import unt_statement, unt_statement_schema


def test_unt_stmt_1_statement_rows_and_four_copies_with_recipients() -> None:
    """One row per applicant, by room and seat, points per subject and total; 4 copies."""
    scores, spec, roster = unt_scores()
    names = {row.tzhk: row.full_name for row in roster.seating}
    statement = unt_statement(scores, spec=spec, names=names)
    assert statement.schema == pl.Schema(unt_statement_schema(spec))
    assert statement["total"].to_list() == [25, 50, 75]
    assert statement["full_name"].to_list() == ["Тестіленуші 1", "Тестіленуші 2", "Тестіленуші 3"]
    assert [c.recipient_kk for c in UNT_STATEMENT_COPIES] == [
        "көпшіліктің назарына ілінеді",
        "Министрлік өкіліне",
        "апелляциялық комиссия төрағасына",
        "ҰБТӨП-те қалады",
    ]


def test_unt_stmt_1_a_scored_applicant_without_a_name_is_refused() -> None:
    """The statement names everyone it lists."""
    scores, spec, _ = unt_scores(1)
    with pytest.raises(DomainError) as refused:
        unt_statement(scores, spec=spec, names={})
    assert refused.value.rule_id == "UNT-STMT-1"


def test_unt_stmt_4_sheets_not_scored_are_not_in_the_statement() -> None:
    """Only scored applicants appear: a «Жою» sheet never reaches the scores."""
    scores, spec, roster = unt_scores(2)
    names = {row.tzhk: row.full_name for row in roster.seating}
    only_first = scores.filter(pl.col("candidate") == roster.seating[0].tzhk)
    assert unt_statement(only_first, spec=spec, names=names).height == 1


def test_unt_key_6_key_printout_has_two_copies_public_and_appeal_commission() -> None:
    """The key is printed twice: posted publicly and for the appeal commission."""
    _, spec, _ = unt_scores(1)
    printout = key_printout(school_key(spec, "C"))
    assert [c.recipient_kk for c in printout.copies] == [
        "көпшіліктің назарына ілінеді",
        "апелляциялық комиссияға",
    ]
    assert printout.copies == KEY_COPIES
    assert len(printout.lines) == 5
    assert printout.lines[0].answers == ("C",) * 25


def test_mab_s_22_school_statement_rows_and_four_copies() -> None:
    """Every listed student is a row; absent students are not scored 0; 4 copies."""
    scores, spec, students = school_scores([5, 6, None, 20])
    statement = school_statement(scores, spec=spec, students=students)
    assert statement["student_id"].to_list() == ["s0", "s1", "s2", "s3"]
    assert statement["total"].to_list() == [5, 6, None, 20]
    assert statement["present"].to_list() == [True, True, False, True]
    assert [c.recipient_kk for c in SCHOOL_STATEMENT_COPIES] == [
        "мектеп әкімшілігіне",
        "АББ (ҚББ)",
        "Министрлік өкіліне",
        "ҰБТӨП-ке",
    ]


def test_mab_s_28_grade_4_statement_masters_at_6_of_20_not_5() -> None:
    """The statement's «игерді» follows the 30 % boundary exactly."""
    scores, spec, students = school_scores([5, 6])
    statement = school_statement(scores, spec=spec, students=students)
    assert statement["mastered"].to_list() == [False, True]


def test_d_5_grade_9_statement_total_versus_per_subject() -> None:
    """Grade 9 with 30+0+0 correct: 30 ≥ 27 masters on the total, fails per subject."""
    spec = mab_grade9_spec(layout("mab-grade9"))
    scores = scores_of(spec, "mab-grade9", [30, 27, 26], SCHOOL, "s")
    students = [listed(i) for i in range(3)]
    on_total = school_statement(scores, spec=spec, students=students)
    assert on_total["mastered"].to_list() == [True, True, False]
    per_subject = school_statement(
        scores, spec=spec, students=students, basis=MasteryBasis.PER_SUBJECT
    )
    assert per_subject["mastered"].to_list() == [False, False, False]


def test_mab_s_29_school_summary_flags_at_seven_percent_of_those_who_sat() -> None:
    """1 of 14 (7.1 %) below threshold flags; 1 of 15 (6.7 %) does not; the absent don't count."""
    flagged, spec, students = school_scores([5] + [10] * 13 + [None])
    summary = school_summary(school_statement(flagged, spec=spec, students=students), school="x")
    assert summary.select("listed", "sat", "not_mastered", "flagged").row(0) == (15, 14, 1, True)
    fine, spec, students = school_scores([5] + [10] * 14)
    summary = school_summary(school_statement(fine, spec=spec, students=students), school="x")
    assert summary["flagged"].to_list() == [False]


def test_ozh_19_ozhsb_statement_has_no_mastery_threshold() -> None:
    """ОЖСБ has no threshold in the sources (OZH-34): mastery stays empty."""
    spec = ozhsb_spec(layout("ozhsb-answer"))
    scores = scores_of(spec, "ozhsb-answer", [40, 70], SCHOOL, "s")
    statement = school_statement(scores, spec=spec, students=[listed(0), listed(1)])
    assert statement["total"].to_list() == [40, 70]
    assert statement["mastered"].to_list() == [None, None]


def test_ozh_33_statements_are_per_school() -> None:
    """A school's statement lists only its own students, whatever else was scored."""
    scores, spec, students = school_scores([7, 8])
    statement = school_statement(scores, spec=spec, students=students[:1])
    assert statement["student_id"].to_list() == ["s0"]


def _roster(n: int, *, medical: bool = False) -> list[UniversityStudent]:
    return [
        UniversityStudent(
            student_id=f"u{i}",
            full_name=f"Студент {i:02d}",
            group=f"G-{i % 2 + 1}",
            specialty="Емдеу ісі" if medical else "Физика",
            medical=medical,
        )
        for i in range(n)
    ]


def test_mab_u_10_exam_list_pass_marks_at_49_50_of_125() -> None:
    """Other specialties pass at 50 of 125, fail at 49."""
    scores, spec = university_scores([49, 50])
    lists = university_exam_lists(scores, roster=_roster(2), max_points=spec.max_points)
    by_id = dict(zip(lists["student_id"], lists["status"], strict=True))
    assert by_id == {"u0": ExamStatus.FAILED.value, "u1": ExamStatus.PASSED.value}


def test_mab_u_10_medical_pass_mark_at_74_75_of_125() -> None:
    """Medical specialties pass at 75 of 125, fail at 74."""
    scores, spec = university_scores([74, 75])
    assert spec.max_points == 125
    lists = university_exam_lists(
        scores, roster=_roster(2, medical=True), max_points=spec.max_points
    )
    assert sorted(lists["status"].to_list()) == ["өтпеді", "өтті"]
    assert lists.filter(pl.col("student_id") == "u1")["status"].to_list() == ["өтті"]


def test_mab_u_11_exam_lists_are_by_group() -> None:
    """The lists are sorted by group, each student once."""
    scores, spec = university_scores([60, 61, 62])
    lists = university_exam_lists(scores, roster=_roster(3), max_points=spec.max_points)
    assert lists["group"].to_list() == ["G-1", "G-1", "G-2"]


def test_mab_u_13_absent_student_is_kelgen_zhok_not_zero() -> None:
    """A rostered student with no sheet is «келген жоқ» with no points."""
    scores, spec = university_scores([60, None])
    lists = university_exam_lists(scores, roster=_roster(2), max_points=spec.max_points)
    row = lists.filter(pl.col("student_id") == "u1").row(0, named=True)
    assert (row["status"], row["points"]) == ("келген жоқ", None)


def test_mab_u_12_attendance_boundary_in_the_organisation_summary() -> None:
    """7 of 10 present reaches 70 %; 6 of 10 does not."""
    scores, spec = university_scores([60] * 7 + [None] * 3)
    lists = university_exam_lists(scores, roster=_roster(10), max_points=spec.max_points)
    assert organisation_summary(lists)["attendance_reached"].to_list() == [True]
    scores, spec = university_scores([60] * 6 + [None] * 4)
    lists = university_exam_lists(scores, roster=_roster(10), max_points=spec.max_points)
    assert organisation_summary(lists)["attendance_reached"].to_list() == [False]


def test_mab_u_14_organisation_flagged_when_a_specialty_fails_over_seven_percent() -> None:
    """One specialty of one with 1 of 10 failing (10 %) flags the organisation."""
    scores, spec = university_scores([40] + [60] * 9)
    lists = university_exam_lists(scores, roster=_roster(10), max_points=spec.max_points)
    summary = organisation_summary(lists).row(0, named=True)
    assert (summary["specialties_over_failure_share"], summary["flagged"]) == (1, True)
    scores, spec = university_scores([60] * 10)
    lists = university_exam_lists(scores, roster=_roster(10), max_points=spec.max_points)
    assert organisation_summary(lists)["flagged"].to_list() == [False]


def test_mab_s_22_a_school_where_nobody_sat_still_has_its_statement() -> None:
    """Every listed student absent: rows with empty scores, the schema unchanged."""
    scores, spec, students = school_scores([None, None])
    statement = school_statement(scores, spec=spec, students=students)
    assert statement["present"].to_list() == [False, False]
    assert statement.schema == pl.Schema(school_statement_schema(spec))
    assert school_summary(statement, school="x")["flagged"].to_list() == [False]
