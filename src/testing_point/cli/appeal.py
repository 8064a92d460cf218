"""``ubt appeal file|decide|close``: the appeal day of a scored stream.

In: an appeal Application, a Hearing and the Commission as JSON files (each
validated by that domain model), the time results were announced. Out: the
steps of :mod:`testing_point.steps.appeals` on the store; the statement with
appeal as PDF.
"""

from __future__ import annotations

import argparse
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
