"""Running the demo: every procedure step of a testing point, in order, on one store.

:func:`run_demo` is the public API's walk-through: a sample testing point
(:mod:`testing_point.sample`), its simulated scans (:mod:`testing_point.simulate`)
and each procedure step (:mod:`testing_point.steps`) in the order a testing
point runs them. Every document it prints lands beside the store as PDF.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from omrkit.read.failure import SheetFailure
from omrkit.read.stream import read_batch
from omrkit.types import SheetReading
from testing_point import simulate
from testing_point.demo.appeal_day import run_appeals
from testing_point.demo.setting import (
    BLANKS,
    CLOSING_PASSWORD,
    DESKS,
    EXAM_DAY,
    KEY_PASSWORDS,
    OPTIONS,
    SEATING_PASSWORD,
    SEATS,
    STREAMS,
    SUBJECT_FIELDS,
    TASKS,
    ZONE,
    june,
    subject_titles,
)
from testing_point.demo.summary import Clock, DemoSummary
from testing_point.passwords import make_verifier, verifier_of
from testing_point.sample import SamplePoint, sample_point
from testing_point.steps import (
    applications,
    certificates,
    identification,
    key,
    rooms,
    scanner,
    scoring,
    sheets,
)
from testing_point.store import Store
from ubt_domain.application.applicants import Applicant
from ubt_domain.application.names import PersonName
from ubt_domain.identification.outcomes import CommissionRow, Decision
from ubt_domain.identification.roster import VariantAllocation, roster_from_seating
from ubt_domain.key.answer_key import AnswerKey, SubjectKey, VariantKey
from ubt_domain.key.sealing import seal_key
from ubt_domain.models import ExamLanguage, Programme
from ubt_domain.rooms.fund import Room, RoomEquipment, RoomFund, RoomOpening
from ubt_domain.rooms.seating import SeatingPlan
from ubt_domain.scoring.answers import ReviewDecision

__all__ = ["answer_key", "run_demo"]


def run_demo(
    out_dir: str | Path,
    *,
    applicants: int = 240,
    seed: int = 0,
    echo: Callable[[str], None] = print,
) -> DemoSummary:
    """Run a testing point's whole stream on simulated data into ``out_dir``.

    Parameters
    ----------
    out_dir : path
        Receives ``point.sqlite`` (the store), ``readings/`` (Parquet parts),
        ``scans/`` (the simulated scans) and ``documents/`` (every PDF).
    applicants : int
        How many people apply; they sit in two streams.
    seed : int
        Everything simulated follows from it: two runs give the same store tables.
    echo : callable
        Where progress lines go.
    """
    out = Path(out_dir)
    docs = out / "documents"
    docs.mkdir(parents=True, exist_ok=True)
    summary = DemoSummary()
    clock = Clock(summary, echo)
    point = sample_point(applicants=applicants, seed=seed)
    salt = hashlib.sha256(f"demo salt {seed}".encode()).digest()[:16]
    with Store.open(out / "point.sqlite") as store:
        with store.transaction():
            store.put(*applications.CLOSING_VERIFIER, make_verifier(CLOSING_PASSWORD, salt),
                      at=june(1, 9))  # fmt: skip
        with clock.step("application forms"):
            _applications(store, point, out, docs, seed, summary)
        people = applications.applicants(store)
        names = {p.tzhk: p.full_name for p in people}
        with clock.step("rooms and seating"):
            plans = _seat(store, point, people, seed, salt)
            summary.files += rooms.seating_sheets(
                store, docs, names=names, testing_point=point.code, exam_date=EXAM_DAY
            )
        with clock.step("scanner check"):
            summary.files.append(_scanner_check(store, out, docs, seed))
        with clock.step("answer sheets"):
            truths = _answer_sheets(store, out, plans, seed, summary)
        with clock.step("identification"):
            _identify(store, out, plans, names, truths, point.code, docs, summary)
        with clock.step("key and scoring"):
            _score(store, out, names, truths, point.code, docs, seed, summary)
        with clock.step("appeals"):
            run_appeals(store, out, names, point.code, docs, seed, summary)
        with clock.step("certificates"):
            for stream in STREAMS:
                issued = certificates.issue(
                    store, stream, BLANKS, names=names, subjects=subject_titles(), at=june(23, 10),
                    testing_point=point.code, documents=docs,
                )  # fmt: skip
                summary.counts[f"certificates, stream {stream}"] = len(issued)
        for stream in STREAMS:
            scored = scoring.ledger(store, stream)
            if scored is None or not scored.verify().intact:
                raise RuntimeError(f"the ledger of stream {stream} is missing or broken")
            summary.ledger_heads[stream] = scored.head
    summary.files = sorted(docs.glob("*.pdf"))
    summary.counts["documents (PDF)"] = len(summary.files)
    for line in summary.lines():
        echo(line)
    return summary


def _applications(
    store: Store, point: SamplePoint, out: Path, docs: Path, seed: int, summary: DemoSummary
) -> None:
    from ubt_domain.documents.error_protocol import error_protocol_pdf

    names = [
        (p.institution_code, PersonName(surname=p.surname, name=p.name, patronymic=p.patronymic))
        for p in point.people
    ]
    tzhks = applications.register_names(
        store, names, tzhk_prefix=lambda school: f"{point.code}{school[-3:]}",
        as_of=june(1, 10), deadline=june(10, 18),
    )  # fmt: skip
    forms = {f"form-{t}": p.form_values(t) for t, p in zip(tzhks, point.people, strict=True)}
    read = _read_forms(store, point, simulate.render_forms(forms, out / "scans" / "forms",
                                                            seed=seed))  # fmt: skip
    summary.counts["forms read"] = len(forms)
    summary.counts["forms with mistakes"] = len(read.protocols)
    if read.protocols:
        (docs / "error-protocol.pdf").write_bytes(error_protocol_pdf(list(read.protocols)))
    # The technical secretary corrects the mistaken forms; they are scanned again.
    wrong = {t: p.corrected() for t, p in zip(tzhks, point.people, strict=True) if p.mistake}
    again = {f"form-{t}-corrected": p.form_values(t) for t, p in wrong.items()}
    fixed = _read_forms(store, point, simulate.render_forms(again, out / "scans" / "forms",
                                                             seed=seed))  # fmt: skip
    summary.counts["forms corrected"] = len(fixed.accepted)
    applications.close_journals(
        store, as_of=june(11, 10), closing_date=EXAM_DAY.replace(day=11), zone=ZONE,
        password=CLOSING_PASSWORD, director="Мектеп директоры", head="Бөлім басшысы",
    )  # fmt: skip
    summary.counts["applicants"] = len(applications.applicants(store))


def _read_forms(store: Store, point: SamplePoint, paths: list[Path]) -> applications.FormsRead:
    results = read_batch(paths, simulate.FORM_LAYOUT, progress=False)
    readings: list[SheetReading | tuple[Path, str]] = []
    for r in results:
        if isinstance(r, SheetReading):
            readings.append(r)
        elif isinstance(r, SheetFailure):
            readings.append((Path(str(r.source)), r.message))
    return applications.read_forms(
        store, readings, directories=point.directories, exam_year=EXAM_DAY.year, as_of=june(5, 12)
    )


def _seat(
    store: Store, point: SamplePoint, people: list[Applicant], seed: int, salt: bytes
) -> list[SeatingPlan]:
    half = math.ceil(len(people) / len(STREAMS))
    by_stream = {s: people[(s - 1) * half : s * half] for s in STREAMS}
    openings: list[RoomOpening] = []
    numbers: set[int] = set()
    for stream, group in by_stream.items():
        number = 0
        for language in (ExamLanguage.KAZAKH, ExamLanguage.RUSSIAN):
            count = sum(p.exam_language is language for p in group)
            for _ in range(math.ceil(count / SEATS)):
                number += 1
                openings.append(RoomOpening(stream=stream, room=number, language=language))
        numbers.update(range(1, number + 1))
    kit = RoomEquipment(ventilation=True, jammers=1, video_cameras=2)
    fund = RoomFund(testing_point=point.code, building="A", rooms=tuple(
        Room(number=n, building="A", desks=DESKS, seats=SEATS, equipment=kit)
        for n in sorted(numbers)))  # fmt: skip
    verifier = verifier_of(make_verifier(SEATING_PASSWORD, salt))
    return rooms.seat_rooms(
        store, fund, openings, by_stream, seed=f"demo seating {seed}".encode(),
        password=SEATING_PASSWORD, verifier=verifier, at=june(15, 9),
    )  # fmt: skip


def _scanner_check(store: Store, out: Path, docs: Path, seed: int) -> Path:
    from omrkit.synth.scanners import BLANK_FILL, SCANNERS, scan_sheet

    scan = scan_sheet("calibration/scanner-check", SCANNERS["good"], seed=seed, fill=BLANK_FILL)
    path = out / "scans" / "scanner-check.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), scan.image)
    report = scanner.check(store, [path], scanner="demo scanner", at=june(20, 8), documents=docs)
    if report.verdict != "pass":
        raise RuntimeError(f"the scanner failed its check: {report.reasons}")
    return docs / "scanner-check.pdf"


def _answer_sheets(
    store: Store, out: Path, plans: list[SeatingPlan], seed: int, summary: DemoSummary
) -> dict[int, simulate.SheetTruth]:
    truths: dict[int, simulate.SheetTruth] = {}
    for plan in plans:
        room = out / "scans" / f"s{plan.stream}-r{plan.room:02d}"
        folders = (room / "scan1", room / "scan2")
        for truth in simulate.scan_room(plan, folders, seed=seed):
            truths[truth.serial] = truth
        for scan, folder in enumerate(folders, start=1):
            sheets.read_room(store, out, folder, stream=plan.stream, room=plan.room, scan=scan)
    summary.counts["answer sheets read"] = 2 * len(truths)
    summary.counts["answer sheets (applicants)"] = len(truths)
    return truths


def _identify(
    store: Store,
    out: Path,
    plans: list[SeatingPlan],
    names: dict[str, str],
    truths: dict[int, simulate.SheetTruth],
    code: str,
    docs: Path,
    summary: DemoSummary,
) -> None:
    pending = 0
    for plan in plans:
        seated = Counter(simulate.variant_of(a.seat) for a in plan.assignments)
        roster = roster_from_seating(
            plan, [simulate.serial_of(plan.stream, plan.room, s) for s in range(1, SEATS + 1)],
            full_names=names, profile_subjects={t: simulate.subjects_of(t) for t in names},
            variants=[VariantAllocation(variant=v, count=n) for v, n in sorted(seated.items())],
        )  # fmt: skip
        protocol = identification.identify(
            store, out, roster, at=june(20, 15), testing_point=code, documents=docs
        )
        rows = []
        for row in protocol.lower:
            if row.resolved or row.serial not in truths:
                continue
            truth = truths[row.serial]
            rows.append(CommissionRow(
                sheet_id=row.sheet_id, decision=Decision.CORRECTION,
                name_on_sheet=names[truth.tzhk], tzhk=truth.tzhk, seat=truth.seat,
                variant=simulate.variant_of(truth.seat),
                profile_subjects=simulate.subjects_of(truth.tzhk),
            ))  # fmt: skip
        pending += len(rows)
        if rows:
            identification.decide(store, plan.stream, plan.room, rows, at=june(20, 16),
                                  testing_point=code, documents=docs)  # fmt: skip
    for stream in STREAMS:
        rooms_of = [p.room for p in plans if p.stream == stream]
        identification.close_identification(store, stream, expected_rooms=rooms_of,
                                            at=june(20, 17))  # fmt: skip
    summary.counts["protocol rows decided"] = pending


def answer_key(seed: int) -> AnswerKey:
    """The stream's answer key NTC sends: one correct option per task, drawn from the seed."""
    rng = np.random.default_rng(seed)
    return AnswerKey(exam="ubt", variants=tuple(
        VariantKey(variant=v, subjects=tuple(
            SubjectKey(subject=f, accepted=tuple((OPTIONS[int(i)],) for i in
                                                rng.integers(0, len(OPTIONS), TASKS)))
            for f in SUBJECT_FIELDS))
        for v in simulate.VARIANTS))  # fmt: skip


def _score(
    store: Store,
    out: Path,
    names: dict[str, str],
    truths: dict[int, simulate.SheetTruth],
    code: str,
    docs: Path,
    seed: int,
    summary: DemoSummary,
) -> None:
    by_source: dict[str, simulate.SheetTruth] = {f"sheet-{s}.jpg": t for s, t in truths.items()}
    ids = {}
    for stream in STREAMS:
        for room_key in store.keys(identification.ROSTER):
            s, r = (int(x) for x in room_key.split("-"))
            if s == stream:
                for reading in sheets.room_readings(out, s, r, 1):
                    ids[reading.sheet_id] = by_source[Path(str(reading.source)).name]

    def commission(review: object) -> list[ReviewDecision]:
        import polars as pl

        assert isinstance(review, pl.DataFrame)
        decisions = []
        for row in review.iter_rows(named=True):
            truth = ids[row["sheet_id"]]
            slot = f"{row['subject']}.{row['task']}"
            meant = truth.intended.get(slot, ())
            double = slot in truth.doubled or len(meant) > 1
            decisions.append(ReviewDecision(
                sheet_id=row["sheet_id"], subject=row["subject"], task=row["task"],
                symbol=None if double or not meant else meant[0], multiple=double,
                decided_by="апелляциялық комиссия",
            ))  # fmt: skip
        summary.counts["slots reviewed"] = summary.counts.get("slots reviewed", 0) + len(decisions)
        return decisions

    for stream in STREAMS:
        sealed = seal_key(answer_key(seed), KEY_PASSWORDS, programme=Programme.UNT, stream=stream,
                          salt=bytes(16), nonce=stream.to_bytes(12, "big"))  # fmt: skip
        key.receive_key(store, stream, sealed, at=june(20, 8))
        if key.opened_key(store, stream) is None:
            key.open_stream_key(store, stream, KEY_PASSWORDS, at=june(20, 18))
        scoring.score_stream(store, out, stream, review=commission, names=names,
                             actor="Министрлік программисі", at=june(20, 19), testing_point=code,
                             documents=docs)  # fmt: skip
        scored = scoring.ledger(store, stream)
        assert scored is not None
        assert scored.verify().intact
        summary.ledger_heads[stream] = scored.head
