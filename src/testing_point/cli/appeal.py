"""``ubt appeal file|measure|decide|close``: the appeal day of a scored stream.

In: an appeal Application, a Hearing and the Commission as JSON files (each
validated by that domain model), the time results were announced, and for a
technical appeal the stored test-day scan and the sheet scanned again at the
hearing. Out: the steps of :mod:`testing_point.steps.appeals` on the store;
each technically appealed task's answer-analysis card and the findings the
hearing enters (the ``tasks`` of its Hearing); the statement with appeal as PDF.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from testing_point.cli.common import (
    InputError,
    documents,
    now,
    open_store,
    parse_time,
    point_settings,
    read_model,
)

__all__ = ["add_commands"]

ANNOUNCED_HELP = "when the stream's results were announced (ISO 8601 with offset)"


def _file(args: argparse.Namespace) -> int:
    from testing_point.steps import appeals
    from ubt_domain.appeals.applications import Application, file_application

    application = read_model(args.application, Application)
    with open_store(args) as store:
        zone = point_settings(store).zone
        number = appeals.file(store, application, announced_at=args.announced, zone=zone)
    if number is None:  # the domain says why; asking it again changes nothing in the store
        with open_store(args) as store:
            book = appeals.register(store, application.stream, args.announced)
        why = file_application(book, application, zone=zone)
        print(f"refused: [{why.refusal_rule}] {why.refusal}")
        return 2
    print(f"stream {application.stream}: appeal number {number} in the register")
    return 0


def _measure(args: argparse.Namespace) -> int:
    from omrkit.layout.models import load_layout
    from testing_point.steps import appeals
    from testing_point.steps.sheets import ANSWER_LAYOUT
    from ubt_domain.appeals.decisions import TaskHearing
    from ubt_domain.documents.answer_analysis_card import answer_analysis_card_pdf
    from ubt_domain.scoring.spec import unt_spec

    scans = (Path(args.test_day), Path(args.appeal_day))
    missing = [str(p) for p in scans if not p.is_file()]
    if missing:
        raise InputError(f"no scan file {', '.join(missing)}")
    with open_store(args) as store:
        try:
            application, reviews = appeals.review_technical(
                store, Path(args.dir), args.stream, args.appeal, announced_at=args.announced,
                test_day=scans[0], appeal_day=scans[1],
            )  # fmt: skip
        except ValueError as bad:
            raise InputError(str(bad)) from None
    title = unt_spec(load_layout(ANSWER_LAYOUT)).subject_titles()[application.subject]
    folder = documents(args)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"s{args.stream}-a{args.appeal}"
    for review in reviews:
        card = answer_analysis_card_pdf(
            review.finding, tzhk=application.tzhk, subject=title, variant=application.variant,
            test_day_png=review.test_day.crop_png, appeal_day_png=review.appeal_day.crop_png,
        )  # fmt: skip
        (folder / f"answer-analysis-card-{name}-t{review.task}.pdf").write_bytes(card)
        fills = "; ".join(
            f"{o} {100 * a:.1f} / {100 * b:.1f} %"
            for o, a, b in zip(review.test_day.options, review.test_day.fills,
                               review.appeal_day.fills, strict=True)
        )  # fmt: skip
        f = review.finding
        print(f"task {review.task}: {f.outcome.value} [{f.rule_id}] {f.explanation}")
        print(f"  fill, test day / appeal scan: {fills}")
    tasks = [TaskHearing(task=r.task, finding=r.finding).model_dump(mode="json") for r in reviews]
    out = Path(args.out) if args.out else folder / f"technical-findings-{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"stream {args.stream}, appeal {args.appeal}: cards in documents/"
          f"answer-analysis-card-{name}-t*.pdf; the hearing's tasks in {out}")  # fmt: skip
    return 0


def _decide(args: argparse.Namespace) -> int:
    from testing_point.steps import appeals
    from ubt_domain.appeals.applications import AppealStatus
    from ubt_domain.appeals.decisions import Hearing

    hearing = read_model(args.hearing, Hearing)
    with open_store(args) as store:
        point_settings(store)
        book = appeals.register(store, args.stream, args.announced)
        if hearing.number not in {row.number for row in book.rows}:
            raise InputError(f"stream {args.stream} has no appeal number {hearing.number}")
        if book.row(hearing.number).status is not AppealStatus.FILED:
            print(f"stream {args.stream}, appeal {hearing.number}: decided already, "
                  "nothing changed")  # fmt: skip
            return 0
        appeals.decide(store, args.stream, hearing, announced_at=args.announced)
        status = appeals.register(store, args.stream, args.announced).row(hearing.number).status
    print(f"stream {args.stream}, appeal {hearing.number}: {status.value}")
    return 0


def _close(args: argparse.Namespace) -> int:
    from omrkit.layout.models import load_layout
    from testing_point.steps import appeals
    from testing_point.steps.applications import applicants
    from testing_point.steps.sheets import ANSWER_LAYOUT
    from ubt_domain.appeals.votes import Commission
    from ubt_domain.scoring.spec import unt_spec

    commission = read_model(args.commission, Commission)
    subjects = unt_spec(load_layout(ANSWER_LAYOUT)).subject_titles()
    with open_store(args) as store:
        code = point_settings(store).code
        before = store.closing(appeals.STEP, args.stream)
        names = {a.tzhk: a.full_name for a in applicants(store)}
        appeals.close_stream_appeals(
            store, args.stream, commission=commission, announced_at=args.announced, at=now(),
            names=names, subjects=subjects, signatories=tuple(args.signatories),
            testing_point=code, documents=documents(args),
        )  # fmt: skip
    said = "closed already, statement printed again" if before is not None else "appeals closed"
    print(f"stream {args.stream}: {said} (documents/statement-with-appeal-s{args.stream}.pdf)")
    return 0


def add_commands(sub: Any) -> None:
    """Add ``ubt appeal`` and its sub-commands to the ``ubt`` parser's sub-parsers ``sub``."""
    group = sub.add_parser("appeal", help="the appeal day").add_subparsers(required=True)
    p = group.add_parser("file", help="hand an application in to the register")
    p.add_argument("application", help="JSON file: ubt_domain.appeals.applications.Application")
    p.set_defaults(handler=_file)
    p = group.add_parser(
        "measure",
        help="re-measure a technical appeal's tasks on the test-day scan and the appeal scan",
    )
    p.add_argument("--stream", type=int, required=True)
    p.add_argument("--appeal", type=int, required=True, help="the appeal's register number")
    p.add_argument("--test-day", required=True, help="the stored scan the sheet was identified by")
    p.add_argument("--appeal-day", required=True, help="the sheet scanned again for the hearing")
    p.add_argument("--out", help="JSON file of the hearing's tasks (default: in documents/)")
    p.set_defaults(handler=_measure)
    p = group.add_parser("decide", help="enter a hearing's decision (once per appeal)")
    p.add_argument("hearing", help="JSON file: ubt_domain.appeals.decisions.Hearing")
    p.add_argument("--stream", type=int, required=True)
    p.set_defaults(handler=_decide)
    p = group.add_parser("close", help="close a stream's appeals (once), print its statement")
    p.add_argument("--stream", type=int, required=True)
    p.add_argument(
        "--commission", required=True, help="JSON file: ubt_domain.appeals.votes.Commission"
    )
    p.add_argument("--signatories", nargs=3, required=True,
                   metavar=("SECRETARY", "STATE_CHAIR", "MINISTRY"))  # fmt: skip
    p.set_defaults(handler=_close)
    for command in group.choices.values():
        command.add_argument("--announced", type=parse_time, required=True, help=ANNOUNCED_HELP)
