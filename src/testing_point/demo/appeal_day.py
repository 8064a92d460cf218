"""The appeal day of the demo: a content appeal voted on, a technical one re-measured.

Implements, through :mod:`testing_point.steps.appeals`, UNT-APL-* as the demo
needs them: the commission, the applications and their hearings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from testing_point.demo.setting import (
    ANNOUNCED,
    NEAR_FILL,
    SIGNATORIES,
    STREAMS,
    SUBJECT_FIELDS,
    ZONE,
    june,
    subject_titles,
)
from testing_point.demo.summary import DemoSummary
from testing_point.steps import appeals, identification, key, sheets
from testing_point.store import Store
from ubt_domain.appeals.applications import (
    AppealedTask,
    AppealKind,
    Application,
    ContentGround,
    TechnicalGround,
)
from ubt_domain.appeals.decisions import Hearing, TaskHearing
from ubt_domain.appeals.votes import Commission, Member, tally

__all__ = ["near_key_mark", "run_appeals"]


def _commission() -> Commission:
    members = tuple(
        Member(name=f"{subject} мүшесі {k}", subject=subject)
        for subject in SUBJECT_FIELDS
        for k in (1, 2)
    )
    return Commission(chair=members[0].name, members=members, subjects=SUBJECT_FIELDS)


def _application(tzhk: str, subject: str, variant: str, task: AppealedTask) -> Application:
    kind = AppealKind.TECHNICAL if isinstance(task.ground, TechnicalGround) else AppealKind.CONTENT
    return Application(
        tzhk=tzhk, stream=1, subject=subject, variant=variant, kind=kind, tasks=(task,),
        filed_at=june(21, 10), in_person=True, id_document=True, admission_pass=True,
        received_by="Министрлік өкілі",
    )  # fmt: skip


def run_appeals(
    store: Store, out: Path, names: dict[str, str], code: str, docs: Path, seed: int,
    summary: DemoSummary,
) -> None:  # fmt: skip
    """Stream 1: a content appeal the commission votes down, and a technical appeal on a
    key option filled near the 50 % line, decided by re-measuring the stored scans."""
    from ubt_domain.documents.answer_analysis_card import answer_analysis_card_pdf

    closed = identification.closed_identification(store, 1)
    opened = key.opened_key(store, 1)
    if closed is None or opened is None:
        raise RuntimeError("appeals come after stream 1 is identified and its key opened")
    keys = {(v.variant, s.subject): s.accepted for v in opened.variants for s in v.subjects}
    by_id = {o.sheet_id: o for o in closed.identified}
    commission = _commission()
    number = 0
    near = near_key_mark(store, out, by_id, keys)
    if near is not None:
        outcome, slot, scan1, scan2, recorded = near
        subject, task = slot.split(".")
        correct = keys[(str(outcome.variant), subject)][int(task) - 1][0]
        ground = TechnicalGround.READ_AS_EMPTY if correct not in recorded else (
            TechnicalGround.READ_AS_TWO)  # fmt: skip
        application = _application(str(outcome.tzhk), subject, str(outcome.variant),
                                   AppealedTask(task=int(task), ground=ground))  # fmt: skip
        number = appeals.file(store, application, announced_at=ANNOUNCED, zone=ZONE) or 0
        _, (review,) = appeals.review_technical(store, out, 1, number, announced_at=ANNOUNCED,
                                                test_day=scan1, appeal_day=scan2)  # fmt: skip
        finding, test_day, appeal_day = review.finding, review.test_day, review.appeal_day
        hearing = Hearing(number=number, subject=subject, variant=str(outcome.variant),
                          tasks=(TaskHearing(task=int(task), finding=finding),),
                          chair_present=True, decided_at=june(21, 14),
                          decided_by=commission.chair)  # fmt: skip
        appeals.decide(store, 1, hearing, announced_at=ANNOUNCED)
        card = answer_analysis_card_pdf(
            finding, tzhk=str(outcome.tzhk), subject=subject_titles()[subject],
            variant=str(outcome.variant),
            test_day_png=test_day.crop_png, appeal_day_png=appeal_day.crop_png,
        )  # fmt: skip
        (docs / "answer-analysis-card.pdf").write_bytes(card)
        summary.counts["technical appeal upheld"] = int(finding.outcome.value == "upheld")
    first = closed.identified[0]
    content = _application(str(first.tzhk), SUBJECT_FIELDS[1], str(first.variant), AppealedTask(
        task=1, ground=ContentGround.KEY_MISMATCH, justification="the key's option is wrong",
        stated_options=("A",) if keys[(str(first.variant), SUBJECT_FIELDS[1])][0][0] != "A"
        else ("B",)))  # fmt: skip
    row = appeals.file(store, content, announced_at=ANNOUNCED, zone=ZONE)
    if row is not None:
        votes = tally(commission, {m: k < 2 for k, m in enumerate(commission.names)})
        hearing = Hearing(number=row, subject=SUBJECT_FIELDS[1], variant=str(first.variant),
                          tasks=(TaskHearing(task=1, vote=votes),), chair_present=True,
                          decided_at=june(21, 15), decided_by=commission.chair)  # fmt: skip
        appeals.decide(store, 1, hearing, announced_at=ANNOUNCED)
    summary.counts["appeals filed"] = int(number > 0) + int(row is not None)
    for stream in STREAMS:
        appeals.close_stream_appeals(
            store, stream, commission=commission, announced_at=ANNOUNCED, at=june(22, 18),
            names=names, subjects=subject_titles(), signatories=SIGNATORIES, testing_point=code,
            documents=docs,
        )  # fmt: skip


def near_key_mark(
    store: Store, out: Path, by_id: dict[str, Any], keys: dict[tuple[str, str], Any]
) -> tuple[Any, str, Path, Path, tuple[str, ...]] | None:
    """The first identified sheet of stream 1 with a key option filled near 50 %."""
    from omrkit.layout.models import load_layout

    arrays = load_layout(sheets.ANSWER_LAYOUT).bubbles
    for room_key in store.keys(identification.ROSTER):
        stream, room = (int(x) for x in room_key.split("-"))
        if stream != 1:
            continue
        for reading in sheets.room_readings(out, stream, room, 1):
            outcome = by_id.get(reading.sheet_id)
            if outcome is None:
                continue
            for s, slot in enumerate(str(x) for x in arrays.slot_ids):
                subject, _, task = slot.partition(".")
                accepted = keys.get((str(outcome.variant), subject))
                if accepted is None:
                    continue
                lo, hi = int(arrays.slot_offsets[s]), int(arrays.slot_offsets[s + 1])
                symbols = [str(arrays.symbols[i]) for i in range(lo, hi)]
                correct = accepted[int(task) - 1][0]
                fill = reading.fill_ratios[lo + symbols.index(correct)]
                if NEAR_FILL[0] <= fill <= NEAR_FILL[1]:
                    recorded = appeals.recorded_marks(reading, slot)
                    name = Path(str(reading.source)).name
                    folder = out / "scans" / f"s{stream}-r{room:02d}"
                    return outcome, slot, folder / "scan1" / name, folder / "scan2" / name, recorded
    return None
