"""Scoring: pair the two scans, score the identified sheets, open the ledger, print the statement.

Implements, through :mod:`ubt_domain.scoring`, :mod:`ubt_domain.ledger` and
:mod:`ubt_domain.statements`: UNT-SCAN-4 (the two scans compared, their
disagreements reviewed), UNT-SCORE-1 (slots near the 50 % line reviewed by a
person), UNT-SCORE-3…5 and UNT-STMT-1 (the statement without appeal). The
ledger's initial entry and its rows in the store are written in one
transaction: a crash leaves the stream unscored or scored, never half.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import polars as pl

from omrkit.layout.models import load_layout
from omrkit.types import SheetReading
from testing_point.steps.identification import closed_identification, rosters
from testing_point.steps.key import opened_key
from testing_point.steps.sheets import ANSWER_LAYOUT, room_readings
from testing_point.store import Store
from ubt_domain.ledger.scores import Provenance, ScoreEntry, ScoreLedger, TaskPoints, open_ledger
from ubt_domain.scoring.answers import ReviewDecision, answers_frame, apply_review_decisions
from ubt_domain.scoring.candidates import unt_scoring_sheets
from ubt_domain.scoring.double_scan import SlotDisagreement, pair_scans
from ubt_domain.scoring.score import score_answers
from ubt_domain.scoring.spec import unt_spec
from ubt_domain.statements.unt import unt_statement

__all__ = ["TASK_SCORES", "append_ledger", "ledger", "score_stream"]

TASK_SCORES = "task-scores"  # key: stream; the scored frame the statement is printed from

Review = Callable[[pl.DataFrame], Sequence[ReviewDecision]]
"""The commission: given the slots under review, its decision on each."""


def ledger(store: Store, stream: int) -> ScoreLedger | None:
    """The stream's score ledger as stored, or ``None`` before scoring."""
    rows = store.ledger(stream)
    if not rows:
        return None
    return ScoreLedger(
        stream=stream, entries=tuple(ScoreEntry.model_validate_json(r[2]) for r in rows)
    )


def append_ledger(store: Store, updated: ScoreLedger) -> int:
    """Append the entries of ``updated`` the store does not hold yet; returns how many."""
    held = len(store.ledger(updated.stream))
    for entry in updated.entries[held:]:
        store.append_ledger(
            updated.stream, entry.model_dump_json(), entry.prev_hash, entry.entry_hash
        )
    return len(updated.entries) - held


def score_stream(
    store: Store,
    store_dir: Path,
    stream: int,
    *,
    review: Review,
    names: Mapping[str, str],
    actor: str,
    at: dt.datetime,
    testing_point: str,
    documents: Path,
) -> pl.DataFrame:
    """Score a stream whose key is open; returns its statement without appeal.

    A stream scored before is not scored again: its statement is computed from
    the stored ledger's initial entry and printed again.
    """
    layout = load_layout(ANSWER_LAYOUT)
    spec = unt_spec(layout)
    with store.transaction():
        closed = closed_identification(store, stream)
        key = opened_key(store, stream)
        if closed is None or key is None:
            raise RuntimeError(f"stream {stream}: close identification and open the key first")
        if ledger(store, stream) is None:
            final: list[SheetReading] = []
            disagreements: list[SlotDisagreement] = []
            for roster in rosters(store, stream):
                scans = pair_scans(
                    room_readings(store_dir, stream, roster.room, 1),
                    room_readings(store_dir, stream, roster.room, 2),
                    room=roster.room,
                    layout=layout,
                )
                final += scans.final
                disagreements += scans.disagreements
            sheets = unt_scoring_sheets(closed, rosters=rosters(store, stream))
            readings = {r.sheet_id: r for r in final}
            answers = answers_frame(
                sheets.sheets, readings, spec=spec, layout=layout, disagreements=disagreements
            )
            answers = apply_review_decisions(answers, review(answers.filter("review")), spec=spec)
            scores = score_answers(answers, key, spec=spec)
            points = [
                TaskPoints(tzhk=r["candidate"], subject=r["subject"], task=r["task"],
                           points=r["points"])
                for r in scores.select("candidate", "subject", "task", "points").iter_rows(
                    named=True
                )
            ]  # fmt: skip
            provenance = Provenance(
                actor=actor, at=at, reason="stream scored after the key was opened",
                rule_id="UNT-SCORE-3", evidence_ref=f"key of stream {stream}",
            )  # fmt: skip
            append_ledger(store, open_ledger(stream, points, provenance))
            store.put(TASK_SCORES, str(stream), scores.write_json(), at=at)
        scores = pl.read_json(io.StringIO(store.get(TASK_SCORES, str(stream)) or ""))
    statement = unt_statement(scores, spec=spec, names=names)
    _print(statement, spec, stream, testing_point, at.date(), documents)
    return statement


def _print(
    statement: pl.DataFrame,
    spec: object,
    stream: int,
    testing_point: str,
    day: dt.date,
    documents: Path,
) -> None:
    from ubt_domain.documents.statements import unt_statement_pdf
    from ubt_domain.scoring.spec import ExamSpec

    assert isinstance(spec, ExamSpec)
    documents.mkdir(parents=True, exist_ok=True)
    pdf = unt_statement_pdf(
        statement, spec=spec, stream=stream, testing_point=testing_point, exam_date=day
    )
    (documents / f"statement-s{stream}.pdf").write_bytes(pdf)
