"""Appeals: file applications, decide them (a technical one by re-measuring the stored scan), close.

Implements, through :mod:`ubt_domain.appeals`: UNT-APL-5…7 (filing, in time
and in person), UNT-APL-20 and D-2 (a technical appeal decided from the fills
omrkit re-measures on the stored test-day scan and on the appeal-day scan,
never from the test day's record: :func:`review_technical`), UNT-APL-25 (the
register) and UNT-APL-31 (closing, once, with the statement with appeal).
Every change of points is a ledger entry appended in the transaction that
records the decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

import omrkit
from omrkit.annotate import slot_crops
from omrkit.decode.images import content_id, decode_image
from omrkit.layout.models import BubbleArrays, SheetLayout
from omrkit.read.sheet import page_sheet_id, read_image
from omrkit.types import SheetReading
from testing_point.steps.identification import closed_identification
from testing_point.steps.key import opened_key
from testing_point.steps.scoring import append_ledger, ledger
from testing_point.steps.sheets import ANSWER_LAYOUT, room_readings
from testing_point.store import Store
from ubt_domain.appeals.applications import (
    AppealKind,
    AppealRegister,
    AppealStatus,
    Application,
    file_application,
)
from ubt_domain.appeals.closing import close_appeals
from ubt_domain.appeals.decisions import Hearing, decide_application
from ubt_domain.appeals.statement import StatementWithAppeal, statement_with_appeal
from ubt_domain.appeals.technical import (
    FILL_RULE,
    SlotEvidence,
    TechnicalFinding,
    technical_finding,
)
from ubt_domain.appeals.votes import Commission

__all__ = [
    "REGISTER",
    "Remeasured",
    "TechnicalReview",
    "close_stream_appeals",
    "decide",
    "file",
    "recorded_marks",
    "register",
    "remeasure",
    "review_technical",
    "technical_evidence",
]

REGISTER = "appeal-register"  # key: stream
STEP = "appeals"


def register(store: Store, stream: int, announced_at: dt.datetime) -> AppealRegister:
    """The stream's appeal register (empty until the first application)."""
    body = store.get(REGISTER, str(stream))
    if body is None:
        return AppealRegister(stream=stream, announced_at=announced_at)
    return AppealRegister.model_validate_json(body)


def file(
    store: Store,
    application: Application,
    *,
    announced_at: dt.datetime,
    zone: dt.tzinfo,
) -> int | None:
    """Hand in an application; returns its register row, or ``None`` if refused.

    The same application handed in again (a rerun) keeps its first row.
    """
    with store.transaction():
        book = register(store, application.stream, announced_at)
        for row in book.rows:
            if row.application == application:
                return row.number
        filing = file_application(book, application, zone=zone)
        store.put(REGISTER, str(application.stream), filing.appeal_register.model_dump_json(),
                  at=application.filed_at)  # fmt: skip
        return filing.number


def decide(store: Store, stream: int, hearing: Hearing, *, announced_at: dt.datetime) -> None:
    """Enter the hearing's decision and append its ledger entries; a decided row is left alone."""
    with store.transaction():
        book = register(store, stream, announced_at)
        if book.row(hearing.number).status is not AppealStatus.FILED:
            return
        scored = ledger(store, stream)
        if scored is None:
            raise RuntimeError(f"stream {stream} is not scored: nothing to appeal")
        book, scored = decide_application(book, scored, hearing)
        append_ledger(store, scored)
        store.put(REGISTER, str(stream), book.model_dump_json(), at=hearing.decided_at)


@dataclass(frozen=True)
class Remeasured:
    """One slot of one stored scan, measured again by omrkit."""

    fills: tuple[float, ...]  # per option, in layout order
    options: tuple[str, ...]
    image_sha256: str
    crop_png: bytes  # the slot as scanned, for the answer-analysis card


@dataclass(frozen=True)
class _MeasuredScan:
    """A stored scan read once by omrkit: every appealed slot is taken from it."""

    reading: SheetReading
    crops: dict[str, npt.NDArray[np.uint8]]  # by slot id (omrkit.annotate.slot_crops)
    sha256: str


def _measure_scan(scan: Path, layout: SheetLayout) -> _MeasuredScan:
    data = scan.read_bytes()  # once: the fills, the crops and the hash are of the same bytes
    digest = content_id(data)
    image = decode_image(data, dropout_color=layout.dropout_color, path=scan)
    # The sheet id a batch gives the file, not read_image's default hash of the pixels.
    reading = read_image(image, layout, source=str(scan), sheet_id=page_sheet_id(digest, 0))
    crops = slot_crops(image, layout, reading)
    return _MeasuredScan(reading, crops, digest)


def _slot_bubbles(arrays: BubbleArrays, slot_id: str) -> range:
    """Indices of one slot's bubbles, in layout order."""
    s = list(arrays.slot_ids).index(slot_id)
    return range(int(arrays.slot_offsets[s]), int(arrays.slot_offsets[s + 1]))


def _remeasured(scan: _MeasuredScan, layout: SheetLayout, slot_id: str) -> Remeasured:
    arrays = layout.bubbles
    bubbles = _slot_bubbles(arrays, slot_id)
    ok, png = cv2.imencode(".png", scan.crops[slot_id])
    if not ok:
        raise RuntimeError(f"could not encode the crop of {slot_id}")
    return Remeasured(
        fills=tuple(scan.reading.fill_ratios[i] for i in bubbles),
        options=tuple(str(arrays.symbols[i]) for i in bubbles),
        image_sha256=scan.sha256,
        crop_png=png.tobytes(),
    )


def remeasure(scan: Path, slot_id: str) -> Remeasured:
    """Read the stored scan file again with omrkit and measure the slot's bubbles."""
    layout = omrkit.load_layout(ANSWER_LAYOUT)
    return _remeasured(_measure_scan(scan, layout), layout, slot_id)


def recorded_marks(reading: SheetReading, slot_id: str) -> tuple[str, ...]:
    """The options of a slot the test day's reading holds as marked: its fills by the 50 % rule."""
    arrays = omrkit.load_layout(ANSWER_LAYOUT).bubbles
    return tuple(
        str(arrays.symbols[i])
        for i in _slot_bubbles(arrays, slot_id)
        if reading.fill_ratios[i] >= FILL_RULE
    )


def technical_evidence(
    task: int, key: str, recorded: tuple[str, ...], test_day: Remeasured, appeal_day: Remeasured
) -> tuple[SlotEvidence, TechnicalFinding]:
    """The evidence of one appealed task from the two re-measured scans, and its finding."""
    evidence = SlotEvidence(
        task=task, options=test_day.options, key=key, recorded=recorded,
        test_day_fills=test_day.fills, appeal_day_fills=appeal_day.fills,
        test_day_image=test_day.image_sha256, appeal_day_image=appeal_day.image_sha256,
    )  # fmt: skip
    return evidence, technical_finding(evidence)


def close_stream_appeals(
    store: Store,
    stream: int,
    *,
    commission: Commission,
    announced_at: dt.datetime,
    at: dt.datetime,
    names: Mapping[str, str],
    subjects: Mapping[str, str],
    signatories: tuple[str, str, str],
    testing_point: str,
    documents: Path,
) -> StatementWithAppeal:
    """Close the stream's appeals once (UNT-APL-31) and print the statement with appeal.

    ``subjects`` gives the title of every subject field id, in the
    statement's order (:meth:`~ubt_domain.scoring.spec.ExamSpec.subject_titles`).
    """
    from ubt_domain.appeals.closing import AppealsClosure
    from ubt_domain.documents.appeal_statement import statement_with_appeal_pdf

    with store.transaction():
        scored = ledger(store, stream)
        if scored is None:
            raise RuntimeError(f"stream {stream} is not scored")
        body = store.closing(STEP, stream)
        if body is None:
            closure = close_appeals(
                register(store, stream, announced_at), scored, commission=commission,
                closed_at=at, closed_by=signatories[0], state_commission_chair=signatories[1],
                ministry_representative=signatories[2],
            )  # fmt: skip
            store.close_step(STEP, stream, closure.model_dump_json(), at=at)
        else:
            closure = AppealsClosure.model_validate_json(body)
    statement = statement_with_appeal(scored, closure, names=names, subjects=list(subjects))
    documents.mkdir(parents=True, exist_ok=True)
    pdf = statement_with_appeal_pdf(statement, testing_point=testing_point, titles=subjects)
    (documents / f"statement-with-appeal-s{stream}.pdf").write_bytes(pdf)
    return statement


@dataclass(frozen=True)
class TechnicalReview:
    """One task of a technical appeal, measured again on both scans, and its finding."""

    task: int
    test_day: Remeasured
    appeal_day: Remeasured
    finding: TechnicalFinding


def review_technical(
    store: Store,
    store_dir: Path,
    stream: int,
    number: int,
    *,
    announced_at: dt.datetime,
    test_day: Path,
    appeal_day: Path,
) -> tuple[Application, tuple[TechnicalReview, ...]]:
    """Re-measure every task of the technical appeal in register row ``number``.

    Implements UNT-APL-18, UNT-APL-20, UNT-APL-27 and D-2: the fills come
    from omrkit reading ``test_day`` (the stored scan the sheet was identified
    by: its content id must be the applicant's sheet) and ``appeal_day`` (the
    sheet scanned again for the hearing); what the test day recorded comes
    from the stored reading, the key's option from the opened key for the
    variant the sheet was identified and scored with.

    Raises
    ------
    ValueError
        The row is not a technical appeal, or ``test_day`` is not the
        applicant's identified sheet.
    RuntimeError
        The stream is not identified or its key not opened.
    DomainError
        (UNT-APL-7) no such register row.
    """
    application = register(store, stream, announced_at).row(number).application
    if application.kind is not AppealKind.TECHNICAL:
        raise ValueError(f"appeal {number} is a {application.kind} appeal: the commission votes")
    closed, opened = closed_identification(store, stream), opened_key(store, stream)
    if closed is None or opened is None:
        raise RuntimeError(f"stream {stream}: identify it and open its key before the hearing")
    sheet = next((o for o in closed.identified if o.tzhk == application.tzhk), None)
    if sheet is None:
        raise ValueError(f"ТЖК {application.tzhk} has no identified sheet in stream {stream}")
    layout = omrkit.load_layout(ANSWER_LAYOUT)
    first = _measure_scan(test_day, layout)
    if first.reading.sheet_id != sheet.sheet_id:
        raise ValueError(
            f"{test_day} is not the test-day scan of ТЖК {application.tzhk}: its content id"
            f" {first.sha256[:12]}… is not the identified sheet's {sheet.sheet_id[:12]}…"
        )
    room = next(r for r in closed.rooms if sheet.sheet_id in store.sheet_ids(stream, r))
    reading = next(
        r for r in room_readings(store_dir, stream, room, 1) if r.sheet_id == sheet.sheet_id
    )
    accepted = {
        s.subject: s.accepted for v in opened.variants if v.variant == sheet.variant
        for s in v.subjects
    }.get(application.subject)  # fmt: skip
    if accepted is None:
        raise ValueError(f"the key has no {application.subject} for variant {sheet.variant}")
    beyond = [t.task for t in application.tasks if t.task > len(accepted)]
    if beyond:
        raise ValueError(f"{application.subject} has {len(accepted)} tasks, not task(s) {beyond}")
    second = _measure_scan(appeal_day, layout)
    reviews = []
    for appealed in application.tasks:
        slot = f"{application.subject}.{appealed.task}"
        on_test_day, on_appeal_day = (_remeasured(m, layout, slot) for m in (first, second))
        _, finding = technical_evidence(
            appealed.task, accepted[appealed.task - 1][0], recorded_marks(reading, slot),
            on_test_day, on_appeal_day,
        )  # fmt: skip
        reviews.append(TechnicalReview(appealed.task, on_test_day, on_appeal_day, finding))
    return application, tuple(reviews)
