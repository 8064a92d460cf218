"""The demo: one testing point runs a whole ҰБТ stream on its store, from forms to scores.

:func:`run_demo` is the public API's walk-through: a sample testing point
(:mod:`testing_point.sample`), its simulated scans (:mod:`testing_point.simulate`)
and each procedure step (:mod:`testing_point.steps`) in the order a testing
point runs them. Every document it prints lands beside the store as PDF.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import cv2
import numpy as np

from omrkit.read.failure import SheetFailure
from omrkit.read.stream import read_batch
from omrkit.types import SheetReading
from testing_point import simulate
from testing_point.passwords import make_verifier, verifier_of
from testing_point.sample import SamplePoint, sample_point
from testing_point.steps import (
    appeals,
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
from ubt_domain.appeals.applications import (
    AppealedTask,
    AppealKind,
    Application,
    ContentGround,
    TechnicalGround,
)
from ubt_domain.appeals.decisions import Hearing, TaskHearing
from ubt_domain.appeals.votes import Commission, Member, tally
from ubt_domain.application.applicants import Applicant
from ubt_domain.application.names import PersonName
from ubt_domain.certificates.numbers import NumberRange
from ubt_domain.identification.outcomes import CommissionRow, Decision
from ubt_domain.identification.roster import VariantAllocation, roster_from_seating
from ubt_domain.key.answer_key import AnswerKey, SubjectKey, VariantKey
from ubt_domain.key.sealing import UNT_KEY_ROLES, seal_key
from ubt_domain.models import ExamLanguage, Programme
from ubt_domain.rooms.fund import Room, RoomEquipment, RoomFund, RoomOpening
from ubt_domain.rooms.seating import SeatingPlan
from ubt_domain.scoring.answers import ReviewDecision

__all__ = ["DemoSummary", "run_demo"]

ZONE = ZoneInfo("Asia/Almaty")
EXAM_DAY = dt.date(2026, 6, 20)
STREAMS = (1, 2)
SEATS, DESKS = simulate.SEATS_PER_ROOM, simulate.SEATS_PER_ROOM // 2
OPTIONS = "ABCDE"
SUBJECT_FIELDS = tuple(f"answers_{s}" for s in range(1, 6))
TASKS = 25
# Demo passwords; a real testing point is handed them by NTC and types them without echo.
SEATING_PASSWORD = "ntc-seating-2026"
CLOSING_PASSWORD = "ntc-journal-2026"
KEY_PASSWORDS = dict(zip(UNT_KEY_ROLES, ("chair-Ә1", "nsc-Қ2", "ministry-Ұ3"), strict=True))


ANNOUNCED = dt.datetime(2026, 6, 20, 20, 0, tzinfo=ZONE)
BLANKS = NumberRange(series="ҰБТ", first=100_001, last=109_999)
NEAR_FILL = (0.40, 0.60)  # a key option filled this much is what a technical appeal is about
SIGNATORIES = ("апелляциялық комиссия хатшысы", "МК төрағасы", "Министрлік өкілі")


def _at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 6, day, hour, 0, tzinfo=ZONE)


@dataclass
class DemoSummary:
    """What the demo did: counts, timings and the files it wrote."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    ledger_heads: dict[int, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The summary as printed."""
        read = self.counts.get("answer sheets read", 0)
        reading = self.seconds.get("answer sheets", 0.0)
        out = [f"{name:>28}: {n}" for name, n in self.counts.items()]
        out += [f"{name:>28}: {s:.1f} s" for name, s in self.seconds.items()]
        if reading > 0:
            out.append(f"{'sheets/s (simulate + read)':>28}: {read / reading:.1f}")
        out += [f"{'ledger head, stream ' + str(s):>28}: {h[:16]}…" for s, h in
                self.ledger_heads.items()]  # fmt: skip
        return out


class _Clock:
    def __init__(self, summary: DemoSummary, echo: Callable[[str], None]) -> None:
        self.summary, self.echo = summary, echo

    def step(self, name: str) -> _Timer:
        self.echo(f"· {name}")
        return _Timer(self.summary, name)


class _Timer:
    def __init__(self, summary: DemoSummary, name: str) -> None:
        self.summary, self.name, self.start = summary, name, time.perf_counter()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        self.summary.seconds[self.name] = time.perf_counter() - self.start


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
    clock = _Clock(summary, echo)
    point = sample_point(applicants=applicants, seed=seed)
    salt = hashlib.sha256(f"demo salt {seed}".encode()).digest()[:16]
    with Store.open(out / "point.sqlite") as store:
        with store.transaction():
            store.put(*applications.CLOSING_VERIFIER, make_verifier(CLOSING_PASSWORD, salt),
                      at=_at(1, 9))  # fmt: skip
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
            _appeals(store, out, names, point.code, docs, seed, summary)
        with clock.step("certificates"):
            for stream in STREAMS:
                issued = certificates.issue(
                    store, stream, BLANKS, names=names, subjects=SUBJECT_FIELDS, at=_at(23, 10),
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
        as_of=_at(1, 10), deadline=_at(10, 18),
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
        store, as_of=_at(11, 10), closing_date=dt.date(2026, 6, 11), zone=ZONE,
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
        store, readings, directories=point.directories, exam_year=EXAM_DAY.year, as_of=_at(5, 12)
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
        password=SEATING_PASSWORD, verifier=verifier, at=_at(15, 9),
    )  # fmt: skip


def _scanner_check(store: Store, out: Path, docs: Path, seed: int) -> Path:
    from omrkit.synth.scanners import BLANK_FILL, SCANNERS, scan_sheet

    scan = scan_sheet("calibration/scanner-check", SCANNERS["good"], seed=seed, fill=BLANK_FILL)
    path = out / "scans" / "scanner-check.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), scan.image)
    report = scanner.check(store, [path], scanner="demo scanner", at=_at(20, 8), documents=docs)
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
            store, out, roster, at=_at(20, 15), testing_point=code, documents=docs
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
            identification.decide(store, plan.stream, plan.room, rows, at=_at(20, 16),
                                  testing_point=code, documents=docs)  # fmt: skip
    for stream in STREAMS:
        rooms_of = [p.room for p in plans if p.stream == stream]
        identification.close_identification(store, stream, expected_rooms=rooms_of,
                                            at=_at(20, 17))  # fmt: skip
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
        key.receive_key(store, stream, sealed, at=_at(20, 8))
        if key.opened_key(store, stream) is None:
            key.open_stream_key(store, stream, KEY_PASSWORDS, at=_at(20, 18))
        scoring.score_stream(store, out, stream, review=commission, names=names,
                             actor="Министрлік программисі", at=_at(20, 19), testing_point=code,
                             documents=docs)  # fmt: skip
        scored = scoring.ledger(store, stream)
        assert scored is not None
        assert scored.verify().intact
        summary.ledger_heads[stream] = scored.head


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
        filed_at=_at(21, 10), in_person=True, id_document=True, admission_pass=True,
        received_by="Министрлік өкілі",
    )  # fmt: skip


def _appeals(
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
        test_day, appeal_day = appeals.remeasure(scan1, slot), appeals.remeasure(scan2, slot)
        _, finding = appeals.technical_evidence(int(task), correct, recorded, test_day,
                                                appeal_day)  # fmt: skip
        hearing = Hearing(number=number, subject=subject, variant=str(outcome.variant),
                          tasks=(TaskHearing(task=int(task), finding=finding),),
                          chair_present=True, decided_at=_at(21, 14),
                          decided_by=commission.chair)  # fmt: skip
        appeals.decide(store, 1, hearing, announced_at=ANNOUNCED)
        card = answer_analysis_card_pdf(
            finding, tzhk=str(outcome.tzhk), subject=subject, variant=str(outcome.variant),
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
                          decided_at=_at(21, 15), decided_by=commission.chair)  # fmt: skip
        appeals.decide(store, 1, hearing, announced_at=ANNOUNCED)
    summary.counts["appeals filed"] = int(number > 0) + int(row is not None)
    for stream in STREAMS:
        appeals.close_stream_appeals(
            store, stream, commission=commission, announced_at=ANNOUNCED, at=_at(22, 18),
            names=names, subjects=SUBJECT_FIELDS, signatories=SIGNATORIES, testing_point=code,
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
                    recorded = tuple(
                        sym for i, sym in zip(range(lo, hi), symbols, strict=True)
                        if reading.fill_ratios[i] >= 0.5
                    )  # fmt: skip
                    name = Path(str(reading.source)).name
                    folder = out / "scans" / f"s{stream}-r{room:02d}"
                    return outcome, slot, folder / "scan1" / name, folder / "scan2" / name, recorded
    return None
