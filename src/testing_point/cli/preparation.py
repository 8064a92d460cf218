"""``ubt init``, ``ubt applicants``, ``ubt journal close`` and ``ubt seat``: before the exam.

In: the operator's options, passwords (environment variable, else asked
without echo) and JSON files, each validated by the domain model named in its
option's help. Out: the steps of :mod:`testing_point.steps.applications` and
:mod:`testing_point.steps.rooms` run on the store; their documents as PDF.
"""

from __future__ import annotations

import argparse
import math
import os
from pathlib import Path
from typing import Any

from testing_point.cli.common import (
    POINT,
    InputError,
    PointSettings,
    documents,
    now,
    open_store,
    point_settings,
    read_list,
    read_model,
)

__all__ = ["SEATING_VERIFIER", "add_commands"]

SEATING_VERIFIER = ("verifier", "seating")
SALT_BYTES = 16  # scrypt salt of each stored verifier
SEED_BYTES = 32  # randomness of the seating draw when no --seed-hex is given
CLOSING_PASSWORD = ("NTC's journal-closing password", "UBT_JOURNAL_PASSWORD")
SEATING_PASSWORD = ("NTC's seating password", "UBT_SEATING_PASSWORD")


def _init(args: argparse.Namespace) -> int:
    from testing_point.passwords import ask_password, make_verifier
    from testing_point.steps.applications import CLOSING_VERIFIER

    with open_store(args) as store:
        if store.get(*POINT) is not None:
            print(f"testing point {point_settings(store).code}: set up already, nothing changed")
            return 0
        closing, seating = ask_password(*CLOSING_PASSWORD), ask_password(*SEATING_PASSWORD)
        settings = PointSettings(code=args.point, utc_offset_hours=args.utc_offset)
        at = now()
        with store.transaction():  # verifiers only: the passwords themselves are never stored
            store.put(*CLOSING_VERIFIER, make_verifier(closing, os.urandom(SALT_BYTES)), at=at)
            store.put(*SEATING_VERIFIER, make_verifier(seating, os.urandom(SALT_BYTES)), at=at)
            store.put(*POINT, settings.model_dump_json(), at=at)
    print(f"testing point {args.point}: set up, password verifiers recorded")
    return 0


def _register(args: argparse.Namespace) -> int:
    from testing_point.steps.applications import register_names
    from ubt_domain.application.names import PersonName

    names = read_list(args.names, tuple[str, PersonName], "[school id, PersonName] pairs")
    with open_store(args) as store:
        code = point_settings(store).code
        tzhks = register_names(store, names, tzhk_prefix=lambda school: f"{code}{school[-3:]}",
                               as_of=now(), deadline=args.deadline)  # fmt: skip
    for (school, person), tzhk in zip(names, tzhks, strict=True):
        print(f"{tzhk}\t{school}\t{person.model_dump_json()}")
    return 0


def _read_forms(args: argparse.Namespace) -> int:
    from omrkit.read.failure import SheetFailure
    from omrkit.read.stream import read_batch
    from omrkit.types import SheetReading
    from testing_point.steps.applications import APPLICATION_LAYOUT, read_forms
    from ubt_domain.application.applicants import Directories
    from ubt_domain.documents.error_protocol import error_protocol_pdf

    directories = read_model(args.directories, Directories)
    readings: list[SheetReading | tuple[Path, str]] = []
    for result in read_batch([Path(p) for p in args.forms], APPLICATION_LAYOUT, progress=True):
        if isinstance(result, SheetReading):
            readings.append(result)
        elif isinstance(result, SheetFailure):
            readings.append((Path(str(result.source)), result.message))
    at = now()
    with open_store(args) as store:
        point_settings(store)
        read = read_forms(store, readings, directories=directories,
                          exam_year=args.exam_year or at.year, as_of=at)  # fmt: skip
    if read.protocols:
        docs = documents(args)
        docs.mkdir(parents=True, exist_ok=True)
        (docs / "error-protocol.pdf").write_bytes(error_protocol_pdf(list(read.protocols)))
    print(f"forms: {len(read.accepted)} accepted, {len(read.protocols)} with mistakes "
          f"(documents/error-protocol.pdf), {len(read.failures)} unreadable")  # fmt: skip
    for failure in read.failures:
        print(f"  re-scan {failure}")
    return 0


def _journal_close(args: argparse.Namespace) -> int:
    from testing_point.passwords import ask_password
    from testing_point.steps.applications import close_journals, journals

    with open_store(args) as store:
        zone = point_settings(store).zone
        if journals(store) and all(book.closed for book in journals(store).values()):
            print("journals: closed already, nothing changed")
            return 0
        password = ask_password(*CLOSING_PASSWORD)
        closed = close_journals(store, as_of=now(), closing_date=args.closing_date, zone=zone,
                                password=password, director=args.director,
                                head=args.head)  # fmt: skip
    print(f"journals closed: {', '.join(closed) or 'none open'}")
    return 0


def _seat(args: argparse.Namespace) -> int:
    from testing_point.passwords import ask_password, verifier_of
    from testing_point.steps.applications import applicants
    from testing_point.steps.rooms import plans, seat_rooms, seating_sheets
    from ubt_domain.rooms.fund import RoomFund, RoomOpening

    fund = read_model(args.fund, RoomFund)
    openings: list[RoomOpening] = read_list(args.openings, RoomOpening, "RoomOpening")
    seed = _seed(args.seed_hex)
    with open_store(args) as store:
        code = point_settings(store).code
        stored = store.get(*SEATING_VERIFIER)
        if stored is None:
            raise InputError("no seating password verifier: run `ubt init` first")
        people = applicants(store)
        streams = sorted({o.stream for o in openings})
        if not streams:
            raise InputError(f"{args.openings} opens no room")
        share = math.ceil(len(people) / len(streams))  # in ТЖК order, as many in each stream
        by_stream = {s: people[k * share : (k + 1) * share] for k, s in enumerate(streams)}
        held = {(p.stream, p.room) for p in plans(store)}
        to_draw = [o for o in openings if (o.stream, o.room) not in held]
        password = ask_password(*SEATING_PASSWORD) if to_draw else ""  # a rerun draws nothing
        sealed = seat_rooms(store, fund, openings, by_stream, seed=seed, password=password,
                           verifier=verifier_of(stored), at=now())  # fmt: skip
        names = {a.tzhk: a.full_name for a in people}
        sheets = seating_sheets(store, documents(args), names=names, testing_point=code,
                                exam_date=args.exam_date)  # fmt: skip
    fresh = len(sealed) - len(held)
    print(f"rooms sealed: {len(sealed)} ({fresh} new); {len(sheets)} seating sheets in documents/")
    return 0


def _seed(seed_hex: str | None) -> bytes:
    """The draw's randomness: given (to repeat a draw in a test), else the machine's."""
    if seed_hex is None:
        return os.urandom(SEED_BYTES)
    try:
        return bytes.fromhex(seed_hex)
    except ValueError:
        raise InputError(f"--seed-hex {seed_hex!r} is not hexadecimal") from None


def add_commands(sub: Any) -> None:
    """Add this module's sub-commands to the ``ubt`` parser's sub-parsers ``sub``."""
    import datetime as dt

    from testing_point.cli.common import parse_time

    p = sub.add_parser("init", help="set the testing point up: its code, NTC's password verifiers")
    p.add_argument("--point", required=True, help="the testing point's code")
    p.add_argument("--utc-offset", type=int, default=5, help="local time zone, hours from UTC")
    p.set_defaults(handler=_init)
    people = sub.add_parser("applicants", help="application forms").add_subparsers(required=True)
    p = people.add_parser("register", help="type names into the schools' journals (their ТЖК)")
    p.add_argument(
        "names", help="JSON list of [school id, ubt_domain.application.names.PersonName] pairs"
    )
    p.add_argument("--deadline", type=parse_time, required=True, help="registration deadline")
    p.set_defaults(handler=_register)
    p = people.add_parser("read", help="read scanned application forms into applicants")
    p.add_argument("forms", nargs="+", help="scan files of the forms")
    p.add_argument(
        "--directories",
        required=True,
        help="JSON file: ubt_domain.application.applicants.Directories",
    )
    p.add_argument("--exam-year", type=int, default=None, help="default: this year")
    p.set_defaults(handler=_read_forms)
    journal = sub.add_parser("journal", help="registration journals").add_subparsers(required=True)
    p = journal.add_parser("close", help="close the journals that agree with the database")
    p.add_argument("--closing-date", type=dt.date.fromisoformat, required=True)
    p.add_argument("--director", required=True, help="the school director who signs")
    p.add_argument("--head", required=True, help="the education department head who signs")
    p.set_defaults(handler=_journal_close)
    p = sub.add_parser("seat", help="allocate applicants to rooms and seal each room's seating")
    p.add_argument("--fund", required=True, help="JSON file: ubt_domain.rooms.fund.RoomFund")
    p.add_argument(
        "--openings", required=True, help="JSON list of ubt_domain.rooms.fund.RoomOpening"
    )
    p.add_argument("--exam-date", type=dt.date.fromisoformat, required=True)
    p.add_argument("--seed-hex", default=None, help="the draw's seed; default: os.urandom")
    p.set_defaults(handler=_seat)
