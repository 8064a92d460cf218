"""Scoring a closed ҰБТ stream and school sheets: answers, review, key, totals."""

from __future__ import annotations

import polars as pl
import pytest

from tests.ubt_domain.answer_readings import room
from tests.ubt_domain.scored_readings import layout, marks_for, reading_from_fills
from tests.ubt_domain.unt_stream import (
    ROOM,
    UNT_LAYOUT,
    answers_of,
    correct_option,
    key_for,
    stream,
    unt_reading,
)
from ubt_domain.errors import DomainError
from ubt_domain.key.answer_key import AnswerKey, SubjectKey, VariantKey
from ubt_domain.scoring.answers import (
    NEAR_THRESHOLD,
    ReviewDecision,
    answers_frame,
    apply_review_decisions,
    review_list,
)
from ubt_domain.scoring.candidates import (
    Exclusion,
    ExclusionReason,
    ScoringSheet,
    unt_scoring_sheets,
)
from ubt_domain.scoring.score import score_answers, sheet_scores, subject_totals, totals
from ubt_domain.scoring.spec import ExamSpec, mab_grade4_spec, unt_spec

KEY = key_for(["0101", "0102"])


def _spec() -> ExamSpec:
    return unt_spec(layout(UNT_LAYOUT))


def _scored(readings: list, exclusions: tuple[Exclusion, ...] = ()) -> pl.DataFrame:
    roster = room(len(readings), number=ROOM)
    closed, roster = stream(readings, roster)
    sheets = unt_scoring_sheets(closed, rosters=[roster], exclusions=exclusions)
    answers = answers_frame(
        sheets.sheets, {r.sheet_id: r for r in readings}, spec=_spec(), layout=layout(UNT_LAYOUT)
    )
    return score_answers(answers, KEY, spec=_spec())


def test_unt_score_5_points_per_subject_one_per_correct_answer() -> None:
    """Applicant k answers 5k tasks of each subject right: 5k points a subject."""
    roster = room(3, number=ROOM)
    scores = _scored([unt_reading(k, roster) for k in (1, 2, 3)])
    by_candidate = totals(scores).sort("candidate")
    assert by_candidate["points"].to_list() == [25, 50, 75]
    per_subject = subject_totals(scores).filter(pl.col("candidate") == roster.seating[1].tzhk)
    assert per_subject["points"].to_list() == [10] * 5
    assert per_subject["tasks"].to_list() == [25] * 5


def test_d_1_multiple_mark_on_the_key_option_scores_zero() -> None:
    """Two marks on a task, one of them the key's option, earn nothing; a single mark does."""
    roster = room(1, number=ROOM)
    answers = answers_of(1, "0101")
    right = correct_option("0101", 1, 1)
    other = next(o for o in "ABCDE" if o != right)
    answers["answers_1"] = [(right, other), *answers["answers_1"][1:]]
    scores = _scored([unt_reading(1, roster, answers=answers)])
    first_two = scores.filter(pl.col("subject") == "answers_1").head(2)
    assert first_two["state"].to_list() == ["multiple", "marked"]
    assert first_two["points"].to_list() == [0, 1]


def test_unt_score_2_multiple_and_blank_earn_nothing() -> None:
    """Blank tasks score 0; a doubly marked task is 'multiple', never credited."""
    roster = room(1, number=ROOM)
    scores = _scored([unt_reading(1, roster)])
    blank = scores.filter(pl.col("state") == "blank")
    assert blank.height == 5 * 20
    assert blank["points"].sum() == 0


def test_mab_s_12_two_marks_are_not_counted_on_a_school_sheet() -> None:
    """МАБ grade 4: the rule is written there; a double mark scores 0."""
    sheet = layout("mab-grade4")
    spec = mab_grade4_spec(sheet)
    reading = reading_from_fills(
        sheet, marks_for(sheet, {"variant": "0001", "answers_1": [("A", "B"), "A"]}), serial=None
    )
    scoring = ScoringSheet(candidate="s1", sheet_id=reading.sheet_id, unit="560001", variant="0001")
    key = AnswerKey(
        exam="mab-4",
        variants=(
            VariantKey(
                variant="0001",
                subjects=(SubjectKey(subject="answers_1", accepted=(("A",),) * 20),),
            ),
        ),
    )
    answers = answers_frame([scoring], {reading.sheet_id: reading}, spec=spec, layout=sheet)
    scores = score_answers(answers, key, spec=spec)
    assert scores["points"].head(2).to_list() == [0, 1]


def test_unt_score_1_slots_near_fifty_percent_form_a_review_list_before_scoring() -> None:
    """A fill in the review band blocks the score until a recorded decision resolves it."""
    roster = room(1, number=ROOM)
    near = {("answers_2", 9, "C"): 0.52}  # task 10 of subject 2: just over 50 %
    reading = unt_reading(1, roster, extra=near)
    closed, roster = stream([reading], roster)
    sheets = unt_scoring_sheets(closed, rosters=[roster]).sheets
    answers = answers_frame(
        sheets, {reading.sheet_id: reading}, spec=_spec(), layout=layout(UNT_LAYOUT)
    )
    waiting = review_list(answers)
    assert waiting.select("subject", "task", "review_reason").rows() == [
        ("answers_2", 10, NEAR_THRESHOLD)
    ]
    assert waiting["fills"].to_list()[0][2] == pytest.approx(0.52)
    with pytest.raises(DomainError, match="1 slot") as refused:
        score_answers(answers, KEY, spec=_spec())
    assert refused.value.rule_id == "UNT-SCORE-1"
    decision = ReviewDecision(
        sheet_id=reading.sheet_id, subject="answers_2", task=10, symbol="C", decided_by="МК"
    )
    resolved = apply_review_decisions(answers, [decision], spec=_spec())
    assert review_list(resolved).height == 0
    scores = score_answers(resolved, KEY, spec=_spec())
    row = scores.filter((pl.col("subject") == "answers_2") & (pl.col("task") == 10)).row(
        0, named=True
    )
    assert (row["symbol"], row["decided_by"]) == ("C", "МК")
    assert row["points"] == int(correct_option("0101", 2, 10) == "C")


def test_unt_score_1_a_decision_must_name_a_slot_under_review_and_a_real_option() -> None:
    """No silent overwrite of a clean slot; no option the subject lacks; one decision a slot."""
    roster = room(1, number=ROOM)
    reading = unt_reading(1, roster, extra={("answers_1", 20, "A"): 0.47})
    closed, roster = stream([reading], roster)
    answers = answers_frame(
        unt_scoring_sheets(closed, rosters=[roster]).sheets,
        {reading.sheet_id: reading},
        spec=_spec(),
        layout=layout(UNT_LAYOUT),
    )

    def decide(task: int, symbol: str | None) -> ReviewDecision:
        return ReviewDecision(
            sheet_id=reading.sheet_id,
            subject="answers_1",
            task=task,
            symbol=symbol,
            decided_by="МК",
        )

    for decisions in ([decide(1, "A")], [decide(21, "Z")], [decide(21, None)] * 2):
        with pytest.raises(DomainError):
            apply_review_decisions(answers, decisions, spec=_spec())
    resolved = apply_review_decisions(answers, [decide(21, None)], spec=_spec())
    assert resolved.filter(pl.col("task") == 21)["state"].to_list()[0] == "blank"


def test_unt_score_4_deleted_sheets_and_excluded_applicants_are_not_scored() -> None:
    """An act (outsider, materials not handed in) keeps the applicant out of the scores."""
    roster = room(3, number=ROOM)
    readings = [unt_reading(k, roster) for k in (1, 2, 3)]
    outsider = Exclusion(
        candidate=roster.seating[0].tzhk, reason=ExclusionReason.OUTSIDER, act="10-1"
    )
    late = Exclusion(
        candidate=roster.seating[2].tzhk,
        reason=ExclusionReason.MATERIALS_NOT_HANDED_IN,
        act="11-4",
    )
    scores = _scored(readings, (outsider, late))
    assert scores["candidate"].unique().to_list() == [roster.seating[1].tzhk]


def test_unt_scan_5_sheets_of_removed_applicants_are_not_scored() -> None:
    """A removed applicant's sheet, scanned anyway, is dropped by the act."""
    roster = room(2, number=ROOM)
    readings = [unt_reading(k, roster) for k in (1, 2)]
    closed, roster = stream(readings, roster)
    removed = Exclusion(candidate=roster.seating[1].tzhk, reason=ExclusionReason.REMOVED, act="9")
    sheets = unt_scoring_sheets(closed, rosters=[roster], exclusions=[removed])
    assert [s.candidate for s in sheets.sheets] == [roster.seating[0].tzhk]
    assert sheets.excluded == (removed,)


def test_unt_score_3_scoring_needs_the_key_of_this_exam_with_every_variant() -> None:
    """A key of another exam, or one lacking a sheet's variant, refuses to score."""
    roster = room(2, number=ROOM)
    readings = [unt_reading(k, roster) for k in (1, 2)]
    closed, roster = stream(readings, roster)
    answers = answers_frame(
        unt_scoring_sheets(closed, rosters=[roster]).sheets,
        {r.sheet_id: r for r in readings},
        spec=_spec(),
        layout=layout(UNT_LAYOUT),
    )
    with pytest.raises(DomainError) as missing:
        score_answers(answers, key_for(["0101"]), spec=_spec())
    assert missing.value.rule_id == "UNT-SCAN-2"
    other_exam = AnswerKey.model_validate({**dict(KEY), "exam": "mab-4"})
    with pytest.raises(DomainError):
        score_answers(answers, other_exam, spec=_spec())


def test_unt_scan_2_every_sheet_is_scored_with_its_own_variant_key() -> None:
    """Applicants on variants 0101 and 0102 are scored each against their own key."""
    roster = room(2, number=ROOM)
    scores = _scored([unt_reading(k, roster) for k in (1, 2)])
    assert sorted(scores["variant"].unique().to_list()) == ["0101", "0102"]
    assert totals(scores).sort("candidate")["points"].to_list() == [25, 50]


def test_unt_score_5_creative_sheet_is_scored_on_two_subjects() -> None:
    """A creative-track sheet's rows cover answers_1 and answers_2 only."""
    roster = room(1, number=ROOM)
    reading = unt_reading(1, roster, creative=True)
    scores = _scored([reading])
    assert scores["subject"].unique(maintain_order=True).to_list() == ["answers_1", "answers_2"]


def test_unt_score_5_sheet_scores_are_typed_per_subject_and_task() -> None:
    """SheetScore carries subject totals and every TaskScore, matching the frame."""
    roster = room(2, number=ROOM)
    scores = _scored([unt_reading(k, roster) for k in (1, 2)])
    typed = sheet_scores(scores)
    assert [s.total_points for s in typed] == [25, 50]
    assert len(typed[0].tasks) == 125
    assert typed[1].subjects[0].points == 10
    assert typed[0].tasks[0].correct is True
