"""A small stream run through the ``ubt`` command alone, from ``ubt init`` to the certificates.

Every input an operator holds is written as the JSON of its domain model; the
store is only ever changed by the command. Reruns of once-only steps say so
(exit 0) or are refused with their rule (exit 2); bad files exit 2 with a message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections import Counter
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from testing_point import simulate
from testing_point.cli import STORE_FILE, main
from testing_point.demo.run import answer_key
from testing_point.demo.setting import (
    ANNOUNCED,
    DESKS,
    KEY_PASSWORDS,
    SEATS,
    SIGNATORIES,
    SUBJECT_FIELDS,
    june,
)
from testing_point.sample import sample_point
from testing_point.steps import identification, rooms, sheets
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
from ubt_domain.identification.outcomes import CommissionRow, Decision
from ubt_domain.identification.roster import VariantAllocation, roster_from_seating
from ubt_domain.key.sealing import seal_key
from ubt_domain.models import ExamLanguage, Programme
from ubt_domain.rooms.fund import Room, RoomEquipment, RoomFund, RoomOpening
from ubt_domain.scoring.answers import ReviewDecision

APPLICANTS = 24
SEED = 5
STREAM = 1
PASSWORDS = {"UBT_JOURNAL_PASSWORD": "journal-pw", "UBT_SEATING_PASSWORD": "seating-pw"}
PASSWORDS.update({f"UBT_KEY_{role.upper()}": pw for role, pw in KEY_PASSWORDS.items()})


def _ubt(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().out


def _set_clock(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> None:
    """The command's clock, fixed: the procedure's deadlines are days of June."""
    for module in ("preparation", "exam", "appeal"):
        monkeypatch.setattr(f"testing_point.cli.{module}.now", lambda: moment)
    monkeypatch.setattr("testing_point.cli._now", lambda: moment)


def _write(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


def _models(path: Path, models: list[object]) -> Path:
    return _write(path, "[" + ",".join(m.model_dump_json() for m in models) + "]")  # type: ignore[attr-defined]


def test_a_stream_end_to_end_through_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Implements the operator's run: every new sub-command, each once-only one twice."""
    for variable, password in PASSWORDS.items():
        monkeypatch.setenv(variable, password)
    d = ("--dir", tmp_path)
    _set_clock(monkeypatch, june(1, 9))
    point = sample_point(applicants=APPLICANTS, seed=SEED, mistakes=0)
    assert _ubt(capsys, "init", "--point", point.code, *d)[0] == 0
    code, out = _ubt(capsys, "init", "--point", point.code, *d)
    assert (code, "set up already" in out) == (0, True)

    # Names into the journals, forms read, journals closed.
    deadline = june(10, 18).isoformat()
    names = _write(tmp_path / "names.json", json.dumps([
        [p.institution_code, {"surname": p.surname, "name": p.name, "patronymic": p.patronymic}]
        for p in point.people]))  # fmt: skip
    code, out = _ubt(capsys, "applicants", "register", names, "--deadline", deadline, *d)
    assert code == 0
    tzhks = [line.split("\t")[0] for line in out.splitlines()]
    assert len(tzhks) == APPLICANTS
    forms = {f"form-{t}": p.form_values(t) for t, p in zip(tzhks, point.people, strict=True)}
    scans = simulate.render_forms(forms, tmp_path / "forms", seed=SEED)
    directories = _write(tmp_path / "directories.json", point.directories.model_dump_json())
    code, out = _ubt(capsys, "applicants", "read", *scans, "--directories", directories,
                     "--exam-year", "2026", *d)  # fmt: skip
    assert (code, f"forms: {APPLICANTS} accepted" in out) == (0, True), out
    _set_clock(monkeypatch, june(11, 10))  # the last day of acceptance, before 18:00
    close = ("journal", "close", "--closing-date", "2026-06-11", "--director", "D", "--head", "H")
    code, out = _ubt(capsys, *close, *d)
    assert code == 0, out
    assert "journals closed: 35000" in out, out
    assert _ubt(capsys, *close, *d) == (0, "journals: closed already, nothing changed\n")

    # Rooms: the fund and openings as JSON, seated once.
    _set_clock(monkeypatch, june(15, 9))
    with Store.open(tmp_path / STORE_FILE) as store:
        from testing_point.steps.applications import applicants

        people = applicants(store)
    count = Counter(p.exam_language for p in people)
    openings, number = [], 0
    for language in (ExamLanguage.KAZAKH, ExamLanguage.RUSSIAN):
        for _ in range(math.ceil(count[language] / SEATS)):
            number += 1
            openings.append(RoomOpening(stream=STREAM, room=number, language=language))
    kit = RoomEquipment(ventilation=True, jammers=1, video_cameras=2)
    fund = RoomFund(testing_point=point.code, building="A", rooms=tuple(
        Room(number=n, building="A", desks=DESKS, seats=SEATS, equipment=kit)
        for n in range(1, number + 1)))  # fmt: skip
    seat = ("seat", "--fund", _write(tmp_path / "fund.json", fund.model_dump_json()),
            "--openings", _models(tmp_path / "openings.json", list(openings)),
            "--exam-date", "2026-06-20", "--seed-hex", "00ff", *d)  # fmt: skip
    code, out = _ubt(capsys, *seat)
    assert code == 0, out
    assert f"rooms sealed: {number} ({number} new)" in out, out
    assert f"({0} new)" in _ubt(capsys, *seat)[1]
    docs = tmp_path / "documents"
    assert (docs / "seating-s1-r01.pdf").read_bytes().startswith(b"%PDF")

    # Answer sheets scanned twice, read, identified, the commission's rows entered.
    _set_clock(monkeypatch, june(20, 15))
    with Store.open(tmp_path / STORE_FILE) as store:
        plans = rooms.plans(store)
    full = {p.tzhk: p.full_name for p in people}
    truths = {}
    for plan in plans:
        folders = (tmp_path / f"r{plan.room}" / "scan1", tmp_path / f"r{plan.room}" / "scan2")
        for truth in simulate.scan_room(plan, folders, seed=SEED):
            truths[truth.serial] = truth
        for scan, folder in enumerate(folders, start=1):
            assert _ubt(capsys, "sheets", "read", folder, "--stream", STREAM, "--room",
                        plan.room, "--scan", scan, *d)[0] == 0  # fmt: skip
        seated = Counter(simulate.variant_of(a.seat) for a in plan.assignments)
        roster = roster_from_seating(
            plan, [simulate.serial_of(STREAM, plan.room, s) for s in range(1, SEATS + 1)],
            full_names=full, profile_subjects={t: simulate.subjects_of(t) for t in full},
            variants=[VariantAllocation(variant=v, count=n) for v, n in sorted(seated.items())],
        )  # fmt: skip
        path = _write(tmp_path / f"roster-{plan.room}.json", roster.model_dump_json())
        code, out = _ubt(capsys, "identify", "run", "--roster", path, *d)
        assert code == 0, out
        with Store.open(tmp_path / STORE_FILE) as store:  # a rerun: the stored protocol
            protocol = identification.identify(
                store, tmp_path, roster, at=june(20, 15), testing_point=point.code, documents=docs
            )
        rows = []
        for row in protocol.lower:
            if row.resolved or row.serial not in truths:
                continue
            truth = truths[row.serial]
            rows.append(CommissionRow(
                sheet_id=row.sheet_id, decision=Decision.CORRECTION,
                name_on_sheet=full[truth.tzhk], tzhk=truth.tzhk, seat=truth.seat,
                variant=simulate.variant_of(truth.seat),
                profile_subjects=simulate.subjects_of(truth.tzhk)))  # fmt: skip
        decided = _models(tmp_path / f"rows-{plan.room}.json", list(rows))
        decide = ("identify", "decide", decided, "--stream", STREAM, "--room", plan.room, *d)
        code, out = _ubt(capsys, *decide)
        assert code == 0, out
        assert _ubt(capsys, *decide) == (0, f"stream 1, room {plan.room:02d}: 0 protocol rows "
                                            "still open\n")  # fmt: skip
    room_numbers = [str(p.room) for p in plans]
    assert (
        _ubt(capsys, "identify", "close", "--stream", STREAM, "--rooms", *room_numbers, *d)[0] == 0
    )

    assert "next: receive the sealed key (ubt key receive)" in _ubt(capsys, "status", *d)[1]

    # The key: received (twice, the same), opened once.
    sealed = seal_key(answer_key(SEED), KEY_PASSWORDS, programme=Programme.UNT, stream=STREAM,
                      salt=bytes(16), nonce=bytes(12))  # fmt: skip
    key_file = _write(tmp_path / "key.json", sealed.model_dump_json())
    assert _ubt(capsys, "key", "receive", key_file, "--stream", STREAM, *d)[0] == 0
    code, out = _ubt(capsys, "key", "receive", key_file, "--stream", STREAM, *d)
    assert (code, "received already" in out) == (0, True)
    assert _ubt(capsys, "key", "open", "--stream", STREAM, *d)[0] == 0
    code, out = _ubt(capsys, "key", "open", "--stream", STREAM, *d)
    assert (code, out.startswith("refused: [UNT-KEY-4]")) == (2, True)

    # Scoring: without the commission's decisions it names the slots; with them it scores.
    code, out = _ubt(capsys, "score", "--stream", STREAM, *d)
    by_source = {f"sheet-{t.serial}.jpg": t for t in truths.values()}
    ids = {r.sheet_id: by_source[Path(str(r.source)).name]
           for p in plans for r in sheets.room_readings(tmp_path, STREAM, p.room, 1)}  # fmt: skip
    assert code == 2, out
    assert "slots need the commission's decision" in out, out
    decisions = []
    for line in out.splitlines()[1:]:
        sheet_id, subject, _, task = line.split()
        truth, slot = ids[sheet_id], f"{subject}.{task}"
        meant = truth.intended.get(slot, ())
        double = slot in truth.doubled or len(meant) > 1
        decisions.append(ReviewDecision(
            sheet_id=sheet_id, subject=subject, task=int(task), multiple=double,
            symbol=None if double or not meant else meant[0], decided_by="комиссия"))  # fmt: skip
    review = _models(tmp_path / "review.json", list(decisions))
    code, out = _ubt(capsys, "score", "--stream", STREAM, "--review", review, *d)
    assert code == 0, out
    assert f"{APPLICANTS} applicants on the statement" in out, out
    assert "scored already" in _ubt(capsys, "score", "--stream", STREAM, *d)[1]

    # Appeals: one content appeal heard and voted down; the stream's appeals closed once.
    _set_clock(monkeypatch, june(22, 18))
    tzhk = people[0].tzhk
    application = Application(
        tzhk=tzhk, stream=STREAM, subject=SUBJECT_FIELDS[1], variant=simulate.variant_of(
            next(a.seat for p in plans for a in p.assignments if a.tzhk == tzhk)),
        kind=AppealKind.CONTENT, filed_at=june(21, 10), in_person=True, id_document=True,
        admission_pass=True, received_by="Министрлік өкілі",
        tasks=(AppealedTask(task=1, ground=ContentGround.KEY_MISMATCH, stated_options=("A",),
                            justification="the key's option is wrong"),))  # fmt: skip
    announced = ("--announced", ANNOUNCED.isoformat())
    filed = _write(tmp_path / "appeal.json", application.model_dump_json())
    assert _ubt(capsys, "appeal", "file", filed, *announced, *d) == (
        0, "stream 1: appeal number 1 in the register\n")  # fmt: skip
    assert _ubt(capsys, "appeal", "file", filed, *announced, *d)[1].endswith(
        "number 1 in the register\n"
    )
    late = application.evolve(filed_at=june(25, 10))  # days after the results: too late
    code, out = _ubt(capsys, "appeal", "file", _write(tmp_path / "late.json",
                     late.model_dump_json()), *announced, *d)  # fmt: skip
    assert code == 2, out
    assert out.startswith("refused: [UNT-APL-"), out
    members = tuple(
        Member(name=f"{s} мүшесі {k}", subject=s) for s in SUBJECT_FIELDS for k in (1, 2)
    )
    commission = Commission(chair=members[0].name, members=members, subjects=SUBJECT_FIELDS)
    votes = tally(commission, {m: k < 2 for k, m in enumerate(commission.names)})
    hearing = Hearing(number=1, subject=SUBJECT_FIELDS[1], variant=application.variant,
                      tasks=(TaskHearing(task=1, vote=votes),), chair_present=True,
                      decided_at=june(21, 15), decided_by=commission.chair)  # fmt: skip
    heard = _write(tmp_path / "hearing.json", hearing.model_dump_json())
    hear = ("appeal", "decide", heard, "--stream", STREAM, *announced, *d)
    code, out = _ubt(capsys, *hear)
    assert code == 0, out
    assert "stream 1, appeal 1: " in out, out
    assert "decided already" in _ubt(capsys, *hear)[1]

    # A technical appeal: the tasks re-measured on the stored scan and the scan at the hearing.
    scans = {a.tzhk: f"r{p.room}/scan{{}}/sheet-{simulate.serial_of(STREAM, p.room, a.seat)}.jpg"
             for p in plans for a in p.assignments}  # fmt: skip
    other, tzhk = people[0].tzhk, people[1].tzhk
    variant = simulate.variant_of(next(a.seat for p in plans for a in p.assignments
                                       if a.tzhk == tzhk))  # fmt: skip
    technical = application.evolve(
        tzhk=tzhk, subject=SUBJECT_FIELDS[2], variant=variant, kind=AppealKind.TECHNICAL,
        tasks=(AppealedTask(task=3, ground=TechnicalGround.READ_AS_EMPTY),
               AppealedTask(task=7, ground=TechnicalGround.READ_AS_TWO)))  # fmt: skip
    filed = _write(tmp_path / "technical.json", technical.model_dump_json())
    assert _ubt(capsys, "appeal", "file", filed, *announced, *d)[0] == 0
    measure = ("appeal", "measure", "--stream", STREAM, "--appeal", 2, *announced, *d)
    day = ("--appeal-day", tmp_path / scans[tzhk].format(2))
    code, out = _ubt(capsys, *measure, "--test-day", tmp_path / scans[other].format(1), *day)
    assert (code, f"is not the test-day scan of ТЖК {tzhk}" in out) == (2, True), out
    code, out = _ubt(capsys, *measure, "--test-day", tmp_path / scans[tzhk].format(1), *day)
    assert code == 0, out
    assert [line.split(":")[0] for line in out.splitlines() if line.startswith("task")] == [
        "task 3", "task 7"]  # fmt: skip
    cards = sorted(p.name for p in docs.glob("answer-analysis-card-s1-a2-t*.pdf"))
    assert cards == ["answer-analysis-card-s1-a2-t3.pdf", "answer-analysis-card-s1-a2-t7.pdf"]
    tasks = TypeAdapter(list[TaskHearing]).validate_json(
        (docs / "technical-findings-s1-a2.json").read_text(encoding="utf-8")
    )
    assert [(t.task, t.finding is not None) for t in tasks] == [(3, True), (7, True)]
    digests = [
        hashlib.sha256((tmp_path / scans[tzhk].format(n)).read_bytes()).hexdigest() for n in (1, 2)
    ]
    for t in tasks:
        assert t.finding is not None
        evidence = t.finding.evidence
        assert [evidence.test_day_image, evidence.appeal_day_image] == digests
        accepted = {(v.variant, k.subject): k.accepted for v in answer_key(SEED).variants
                    for k in v.subjects}[(variant, technical.subject)]  # fmt: skip
        assert evidence.key == accepted[t.task - 1][0]
    code, out = _ubt(capsys, *measure[:4], "--appeal", 1, *announced, *d,
                     "--test-day", tmp_path / scans[other].format(1), *day)  # fmt: skip
    assert (code, "the commission votes" in out) == (2, True), out
    technical_hearing = Hearing(number=2, subject=technical.subject, variant=variant,
                                tasks=tuple(tasks), chair_present=True, decided_at=june(21, 16),
                                decided_by=commission.chair)  # fmt: skip
    heard = _write(tmp_path / "technical-hearing.json", technical_hearing.model_dump_json())
    code, out = _ubt(capsys, "appeal", "decide", heard, "--stream", STREAM, *announced, *d)
    assert code == 0, out

    members_file = _write(tmp_path / "commission.json", commission.model_dump_json())
    close_appeals = ("appeal", "close", "--stream", STREAM, "--commission", members_file,
                     "--signatories", *SIGNATORIES, *announced, *d)  # fmt: skip
    assert _ubt(capsys, *close_appeals)[0] == 0
    assert "closed already" in _ubt(capsys, *close_appeals)[1]
    assert (docs / "statement-with-appeal-s1.pdf").read_bytes().startswith(b"%PDF")

    _set_clock(monkeypatch, june(23, 10))
    certificates = ("certificates", "--stream", STREAM, "--series", "ҰБТ", "--first", "100001",
                    "--last", "109999", "--point", point.code, *d)  # fmt: skip
    assert _ubt(capsys, *certificates)[0] == 0
    code, out = _ubt(capsys, "status", *d)
    assert "stream 1: " in out, out
    assert "done: certificates issued" in out, out
    assert "ledger of 1 entry;" in out, out  # scored; neither appeal changed a point
    assert "stream 2: rooms sealed 0" in out


def test_a_bad_file_is_named_and_exits_2_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable, password in PASSWORDS.items():
        monkeypatch.setenv(variable, password)
    assert main(["init", "--point", "0123", "--dir", str(tmp_path)]) == 0
    capsys.readouterr()
    bad = _write(tmp_path / "key.json", '{"programme": "ubt"}')
    assert main(["key", "receive", str(bad), "--stream", "1", "--dir", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert out.startswith(f"error: {bad} is not a valid SealedKey")
    missing = tmp_path / "absent.json"
    assert main(["seat", "--fund", str(missing), "--openings", str(missing), "--exam-date",
                 "2026-06-20", "--dir", str(tmp_path)]) == 2  # fmt: skip
    assert f"error: {missing}: cannot read it" in capsys.readouterr().out
    empty = tmp_path / "room-scans"
    empty.mkdir()
    assert main(["sheets", "read", str(empty), "--stream", "1", "--room", "1", "--scan", "1",
                 "--dir", str(tmp_path)]) == 2  # fmt: skip
    said = capsys.readouterr().out
    assert said.startswith("error: "), said
    assert "holds no image files" in said


def test_a_step_before_init_says_to_run_init(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = _write(tmp_path / "names.json", "[]")
    code = main(["applicants", "register", str(names), "--deadline", "2026-06-10T18:00+05:00",
                 "--dir", str(tmp_path)])  # fmt: skip
    assert (code, capsys.readouterr().out) == (2, "error: the testing point is not set up: "
                                                  "run `ubt init` first\n")  # fmt: skip
