"""The ``ubt`` command: a testing point's procedure steps on its store.

In: an operator's options, scans and JSON files; out: the steps of
:mod:`testing_point.steps` run on ``point.sqlite`` in ``--dir``, documents as
PDF in ``documents/`` beside it. Sub-commands, in procedure order: ``ubt init``
(the point's code, NTC's password verifiers), ``ubt applicants register|read``,
``ubt journal close``, ``ubt seat``, ``ubt scanner check``, ``ubt sheets read``
(one scan of a room, with a progress bar), ``ubt identify run|decide|close``,
``ubt key receive|open``, ``ubt score``, ``ubt appeal file|measure|decide|close``,
``ubt certificates``; ``ubt status`` says where the streams stand and what
blocks them, ``ubt demo`` runs the whole stream on simulated data.
A file an operator holds (room fund, directories, roster, sealed key, review
decisions, appeal, hearing, commission) is JSON validated by the domain model
named in the option's help, whose fields are its format. Each step is safe to
rerun: a rerun after success says so and exits 0, a refused once-only step
prints its rule id and exits 2, as does a bad file (its message, no traceback).
Passwords are read with :func:`testing_point.passwords.ask_password` (an
environment variable such as ``UBT_KEY_STATE_COMMISSION_CHAIR``, else asked
without echo) and never stored.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from testing_point.cli import appeal, exam, preparation
from testing_point.cli.common import DOCUMENTS, STORE_FILE, InputError

if TYPE_CHECKING:
    from testing_point.store import Store

__all__ = ["STORE_FILE", "main"]


def _demo(args: argparse.Namespace) -> int:
    from testing_point.demo import run_demo

    run_demo(Path(args.out), applicants=args.applicants, seed=args.seed)
    return 0


def _status(args: argparse.Namespace) -> int:
    from testing_point.steps.status import status_lines

    path = Path(args.dir) / STORE_FILE
    if not path.exists():
        print(f"no store at {path}: run `ubt demo` or set a testing point up first")
        return 1
    with _open(args) as store:
        for line in status_lines(store):
            print(line)
    return 0


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).astimezone()


def _open(args: argparse.Namespace) -> Store:
    from testing_point.store import Store

    return Store.open(Path(args.dir) / STORE_FILE)


def _sheets_read(args: argparse.Namespace) -> int:
    from testing_point.steps.sheets import read_room

    with _open(args) as store:
        added = read_room(store, Path(args.dir), Path(args.scans), stream=args.stream,
                          room=args.room, scan=args.scan, progress=True)  # fmt: skip
    print(f"stream {args.stream}, room {args.room:02d}, scan {args.scan}: {added} sheets new")
    return 0


def _identify_close(args: argparse.Namespace) -> int:
    from testing_point.steps.identification import close_identification

    with _open(args) as store:
        closed = close_identification(store, args.stream, expected_rooms=args.rooms, at=_now())
    print(f"stream {args.stream}: identification closed, {len(closed.identified)} identified")
    return 0


def _key_open(args: argparse.Namespace) -> int:
    from testing_point.passwords import ask_password
    from testing_point.steps.key import open_stream_key
    from ubt_domain.key.sealing import UNT_KEY_ROLES

    passwords = {
        role: ask_password(role.replace("_", " "), f"UBT_KEY_{role.upper()}")
        for role in UNT_KEY_ROLES
    }
    with _open(args) as store:
        open_stream_key(store, args.stream, passwords, at=_now())
    print(f"stream {args.stream}: key opened")
    return 0


def _scanner_check(args: argparse.Namespace) -> int:
    from testing_point.steps.scanner import check

    with _open(args) as store:
        report = check(store, [Path(p) for p in args.scans], scanner=args.scanner, at=_now(),
                       documents=Path(args.dir) / DOCUMENTS)  # fmt: skip
    print(f"scanner {args.scanner}: {report.verdict} {', '.join(report.reasons)}".rstrip())
    return 0 if report.verdict == "pass" else 1


def _certificates(args: argparse.Namespace) -> int:
    from omrkit.layout.models import load_layout
    from testing_point.steps.applications import applicants
    from testing_point.steps.certificates import issue
    from testing_point.steps.sheets import ANSWER_LAYOUT
    from ubt_domain.certificates.numbers import NumberRange
    from ubt_domain.scoring.spec import unt_spec

    blanks = NumberRange(series=args.series, first=args.first, last=args.last)
    subjects = unt_spec(load_layout(ANSWER_LAYOUT)).subject_titles()
    with _open(args) as store:
        names = {a.tzhk: a.full_name for a in applicants(store)}
        issued = issue(store, args.stream, blanks, names=names, subjects=subjects, at=_now(),
                       testing_point=args.point, documents=Path(args.dir) / DOCUMENTS)  # fmt: skip
    print(f"stream {args.stream}: {len(issued)} certificates")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ubt", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("demo", help="run a testing point's whole stream on simulated data")
    p.add_argument("--out", default="demo-output")
    p.add_argument("--applicants", type=int, default=240)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(handler=_demo)
    p = sub.add_parser("status", help="where each stream stands and what blocks it")
    p.set_defaults(handler=_status)
    sheets = sub.add_parser("sheets", help="answer sheets").add_subparsers(required=True)
    p = sheets.add_parser("read", help="read one scan of a room into the store")
    p.add_argument("scans", help="folder of the room's scan files")
    p.add_argument("--stream", type=int, required=True)
    p.add_argument("--room", type=int, required=True)
    p.add_argument("--scan", type=int, choices=(1, 2), required=True)
    p.set_defaults(handler=_sheets_read)
    preparation.add_commands(sub)
    ident = sub.add_parser("identify", help="identification").add_subparsers(required=True)
    p = ident.add_parser("close", help="close a stream's identification (once)")
    p.add_argument("--stream", type=int, required=True)
    p.add_argument("--rooms", type=int, nargs="+", required=True)
    p.set_defaults(handler=_identify_close)
    scanners = sub.add_parser("scanner", help="the scanner check").add_subparsers(required=True)
    p = scanners.add_parser("check", help="check a scanner on its calibration-sheet scans")
    p.add_argument("scans", nargs="+")
    p.add_argument("--scanner", required=True, help="the scanner's name")
    p.set_defaults(handler=_scanner_check)
    p = sub.add_parser("certificates", help="number a closed stream's certificates (once)")
    p.add_argument("--stream", type=int, required=True)
    p.add_argument("--series", required=True)
    p.add_argument("--first", type=int, required=True)
    p.add_argument("--last", type=int, required=True)
    p.add_argument("--point", required=True, help="the testing point's code")
    p.set_defaults(handler=_certificates)
    keys = sub.add_parser("key", help="the sealed answer key").add_subparsers(required=True)
    p = keys.add_parser("open", help="open a stream's key with the three passwords (once)")
    p.add_argument("--stream", type=int, required=True)
    p.set_defaults(handler=_key_open)
    exam.add_commands(sub, ident, keys)
    appeal.add_commands(sub)
    for name, command in sub.choices.items():
        if name != "demo":
            _add_dir(command)
    return parser


def _add_dir(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _add_dir(child)
            return
    parser.add_argument("--dir", default="demo-output", help="the folder holding point.sqlite")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``ubt`` command; returns its exit status."""
    from omrkit.errors import OmrError
    from testing_point.errors import StoreError
    from ubt_domain.errors import DomainError

    args = _parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except (StoreError, DomainError) as refused:  # a rule says no: name it, no traceback
        print(f"refused: {refused}")
        return 2
    except (InputError, OmrError) as bad:  # an operator's file, option or scans: say what
        print(f"error: {bad}")
        return 2
    except RuntimeError as blocked:  # a step's precondition: an earlier step is missing
        print(f"blocked: {blocked}")
        return 2
    return code
