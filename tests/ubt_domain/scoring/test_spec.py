"""ExamSpec presets, each generated from and checked against the bundled layout it reads."""

from __future__ import annotations

import pytest

import omrkit
from ubt_domain.errors import DomainError
from ubt_domain.models import Programme
from ubt_domain.scoring.spec import (
    ExamSpec,
    check_spec_against_layout,
    mab_grade4_spec,
    mab_grade9_spec,
    ozhsb_spec,
    university_mab_spec,
    unt_spec,
)


def test_d_3_unt_preset_is_five_by_twenty_five_with_a_creative_track() -> None:
    """ҰБТ: 5 × 25 × A–E, max 125; a creative sheet is scored on 2 subjects."""
    spec = unt_spec(omrkit.load_layout("ubt-answer"))
    assert [(s.tasks, s.options) for s in spec.subjects] == [(25, tuple("ABCDE"))] * 5
    assert spec.max_points == 125
    assert spec.programme is Programme.UNT
    assert [s.field_id for s in spec.subjects_for(creative=True)] == ["answers_1", "answers_2"]
    assert len(spec.subjects_for(creative=False)) == 5


def test_unt_score_5_creative_track_scores_two_tested_subjects() -> None:
    """Sector 6 sheets sit the two compulsory subjects only."""
    spec = unt_spec(omrkit.load_layout("ubt-answer"))
    assert spec.creative_subjects == 2


def test_unt_cert_1_subject_titles_name_each_field_in_sheet_order() -> None:
    """What certificates and statements print for a subject: both names, never the field id."""
    titles = unt_spec(omrkit.load_layout("ubt-answer")).subject_titles()
    assert list(titles) == [f"answers_{n}" for n in range(1, 6)]
    assert titles["answers_4"] == "4-пән / Предмет 4"
    grade9 = mab_grade9_spec(omrkit.load_layout("mab-grade9")).subject_titles()
    assert grade9["answers_2"] == "Шет тілі / Иностранный язык"


def test_mab_s_9_grade_4_is_one_subject_of_twenty_tasks_a_to_d() -> None:
    """Grade 4: 1 × 20 × A–D, 45 minutes, max 20."""
    spec = mab_grade4_spec(omrkit.load_layout("mab-grade4"))
    assert [(s.tasks, s.options) for s in spec.subjects] == [(20, tuple("ABCD"))]
    assert (spec.max_points, spec.minutes) == (20, 45)


def test_mab_s_10_grade_9_is_three_by_thirty_with_foreign_language_choice() -> None:
    """Grade 9: 3 × 30 × A–E, 135 minutes, the foreign language recorded."""
    spec = mab_grade9_spec(omrkit.load_layout("mab-grade9"))
    assert [(s.tasks, s.options) for s in spec.subjects] == [(30, tuple("ABCDE"))] * 3
    assert (spec.max_points, spec.minutes) == (90, 135)
    assert spec.choice_fields == ("foreign_language",)
    assert spec.subjects[1].name_kk == "Шет тілі"


def test_mab_s_11_options_four_in_grade_4_and_five_in_grade_9() -> None:
    """The options come from the layout and match the rule for each grade."""
    four = mab_grade4_spec(omrkit.load_layout("mab-grade4"))
    nine = mab_grade9_spec(omrkit.load_layout("mab-grade9"))
    assert (len(four.subjects[0].options), len(nine.subjects[0].options)) == (4, 5)


def test_mab_s_25_tasks_per_subject_twenty_and_thirty() -> None:
    """Primary 20 tasks a subject, basic secondary 30."""
    assert mab_grade4_spec(omrkit.load_layout("mab-grade4")).subjects[0].tasks == 20
    assert mab_grade9_spec(omrkit.load_layout("mab-grade9")).subjects[0].tasks == 30


def test_mab_s_26_one_point_a_correct_answer_max_twenty_and_ninety() -> None:
    """1 point per correct answer: grade 4 max 20, grade 9 max 90."""
    assert mab_grade4_spec(omrkit.load_layout("mab-grade4")).points_per_correct == 1
    assert mab_grade9_spec(omrkit.load_layout("mab-grade9")).max_points == 90


def test_mab_u_6_university_complex_test_is_five_by_twenty_five_in_180_minutes() -> None:
    """University МАБ: 5 × 25, 180 minutes, max 125, on the 5 × 25 sheet."""
    spec = university_mab_spec(omrkit.load_layout("ubt-answer"))
    assert (spec.total_tasks, spec.max_points, spec.minutes) == (125, 125, 180)
    assert spec.creative_subjects is None


def test_ozh_34_ozhsb_spec_is_parametrised_by_its_layout() -> None:
    """ОЖСБ's numbers are not in the sources: they come from the layout, names optional."""
    sheet = omrkit.load_layout("ozhsb-answer")
    spec = ozhsb_spec(sheet)
    assert [s.tasks for s in spec.subjects] == [20, 20, 20, 20]
    assert spec.minutes == 120
    named = ozhsb_spec(sheet, subject_names=[("Математика", "Математика")] * 4)
    assert named.subjects[0].name_kk == "Математика"
    with pytest.raises(DomainError):
        ozhsb_spec(sheet, subject_names=[("Математика", "Математика")])


def test_d_3_a_preset_refuses_a_layout_of_another_shape() -> None:
    """Grade 4's preset on the grade-9 sheet, or ҰБТ's on a school sheet, fails loudly."""
    with pytest.raises(DomainError) as wrong:
        mab_grade4_spec(omrkit.load_layout("mab-grade9"))
    assert wrong.value.rule_id == "MAB-S-9"
    with pytest.raises(DomainError):
        unt_spec(omrkit.load_layout("ozhsb-answer"))


def test_d_3_a_spec_drifting_from_its_layout_is_refused() -> None:
    """Task counts, options or the layout id disagreeing with the sheet are refused."""
    sheet = omrkit.load_layout("mab-grade4")
    spec = mab_grade4_spec(sheet)
    subject = spec.subjects[0]
    for changed in (
        {"tasks": 21},
        {"options": ("A", "B", "C", "D", "E")},
        {"field_id": "answers_9"},
    ):
        drifted = ExamSpec.model_validate(
            {**dict(spec), "subjects": (subject.model_validate({**dict(subject), **changed}),)}
        )
        with pytest.raises(DomainError) as refused:
            check_spec_against_layout(drifted, sheet)
        assert refused.value.rule_id == "D-3"
    with pytest.raises(DomainError):
        check_spec_against_layout(spec, omrkit.load_layout("mab-grade9"))


def test_unt_score_6_unt_time_and_thresholds_are_not_invented() -> None:
    """The sources give no ҰБТ time or pass mark (G-2): the preset leaves time unset."""
    spec = unt_spec(omrkit.load_layout("ubt-answer"))
    assert spec.minutes is None


def test_mab_s_18_grade_4_has_45_minutes_and_grade_9_two_hours_15() -> None:
    """45 minutes a subject: 45 for grade 4, 135 for grade 9."""
    assert mab_grade4_spec(omrkit.load_layout("mab-grade4")).minutes == 45
    assert mab_grade9_spec(omrkit.load_layout("mab-grade9")).minutes == 135


def test_ozh_11_ozhsb_testing_time_is_120_minutes() -> None:
    """ОЖСБ's net testing time is 2 hours."""
    assert ozhsb_spec(omrkit.load_layout("ozhsb-answer")).minutes == 120
