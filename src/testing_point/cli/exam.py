"""``ubt identify run|decide``, ``ubt key receive`` and ``ubt score``: after the sheets are read.

In: JSON files an operator holds (a room's roster, the commission's rows and
review decisions, the sealed key NTC sends), each validated by the domain
model named in its option's help. Out: the steps of
:mod:`testing_point.steps.identification`, :mod:`~testing_point.steps.key` and
:mod:`~testing_point.steps.scoring` on the store; protocols and statements as PDF.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from testing_point.cli.common import (
    InputError,
    documents,
    now,
    open_store,
    point_settings,
    read_list,
    read_model,
)

if TYPE_CHECKING:
    import polars as pl

    from ubt_domain.scoring.answers import ReviewDecision

__all__ = ["add_commands"]

SCORED_BY = "testing point operator"  # the ledger's actor when --actor is not given


def _identify_run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from testing_point.steps.identification import identify
    from ubt_domain.identification.roster import RoomRoster

    roster = read_model(args.roster, RoomRoster)
    with open_store(args) as store:
        code = point_settings(store).code
        protocol = identify(store, Path(args.dir), roster, at=now(), testing_point=code,
                            documents=documents(args))  # fmt: skip
    pending = [r for r in protocol.lower if not r.resolved]
    print(f"stream {roster.stream}, room {roster.room:02d}: {len(pending)} protocol rows "
          "for the commission (ubt identify decide)")  # fmt: skip
    for row in pending:
        print(f"  {row.sheet_id}")
    return 0


def _identify_decide(args: argparse.Namespace) -> int:
    from testing_point.steps.identification import ROOM_IDENTIFICATION, decide
    from ubt_domain.identification.outcomes import CommissionRow

    rows = read_list(args.rows, CommissionRow, "CommissionRow")
    with open_store(args) as store:
        code = point_settings(store).code
        if store.get(ROOM_IDENTIFICATION, f"{args.stream}-{args.room:02d}") is None:
            raise InputError(
                f"stream {args.stream}, room {args.room}: run `ubt identify run` first"
            )
        protocol = decide(store, args.stream, args.room, rows, at=now(), testing_point=code,
                          documents=documents(args))  # fmt: skip
    pending = sum(not r.resolved for r in protocol.lower)
    print(f"stream {args.stream}, room {args.room:02d}: {pending} protocol rows still open")
    return 0


def _key_receive(args: argparse.Namespace) -> int:
    from testing_point.steps.key import receive_key
    from ubt_domain.key.sealing import SealedKey

    sealed = read_model(args.key, SealedKey)
    with open_store(args) as store:
        before = store.sealed_key(args.stream)
        receive_key(store, args.stream, sealed, at=now())
    said = "received already, nothing changed" if before is not None else "sealed key received"
    print(f"stream {args.stream}: {said}")
    return 0


def _score(args: argparse.Namespace) -> int:
    from pathlib import Path

    from testing_point.steps.applications import applicants
    from testing_point.steps.scoring import ledger, score_stream
    from ubt_domain.scoring.answers import ReviewDecision

    decided: list[ReviewDecision] = (
        [] if args.review is None else read_list(args.review, ReviewDecision, "ReviewDecision")
    )
    with open_store(args) as store:
        code = point_settings(store).code
        before = ledger(store, args.stream)
        names = {a.tzhk: a.full_name for a in applicants(store)}
        statement = score_stream(store, Path(args.dir), args.stream, review=_review(decided),
                                 names=names, actor=args.actor, at=now(), testing_point=code,
                                 documents=documents(args))  # fmt: skip
    said = "scored already, statement printed again" if before is not None else "scored"
    print(f"stream {args.stream}: {said}; {statement.height} applicants on the statement")
    return 0


def _review(decided: list[ReviewDecision]) -> Any:
    """The commission as the file has it: every slot under review must have a decision."""

    def review(slots: pl.DataFrame) -> list[ReviewDecision]:
        by_slot = {(d.sheet_id, d.subject, d.task): d for d in decided}
        wanted = [(r["sheet_id"], r["subject"], r["task"]) for r in slots.iter_rows(named=True)]
        missing = [slot for slot in wanted if slot not in by_slot]
        if missing:
            listed = "\n".join(f"  {s} {subject} task {t}" for s, subject, t in missing)
            raise InputError(
                f"{len(missing)} slots need the commission's decision "
                f"(--review FILE, a JSON list of ReviewDecision):\n{listed}"
            )
        return [by_slot[slot] for slot in wanted]

    return review


def add_commands(sub: Any, ident: Any, keys: Any) -> None:
    """Add this module's sub-commands: ``score`` to ``sub``, the others to their groups."""
    p = ident.add_parser("run", help="identify a room's first scan and print its protocol")
    p.add_argument(
        "--roster", required=True, help="JSON file: ubt_domain.identification.roster.RoomRoster"
    )
    p.set_defaults(handler=_identify_run)
    p = ident.add_parser("decide", help="enter the commission's rows of a room's protocol")
    p.add_argument("rows", help="JSON list of ubt_domain.identification.outcomes.CommissionRow")
    p.add_argument("--stream", type=int, required=True)
    p.add_argument("--room", type=int, required=True)
    p.set_defaults(handler=_identify_decide)
    p = keys.add_parser("receive", help="keep the sealed key NTC sends for a stream")
    p.add_argument("key", help="JSON file: ubt_domain.key.sealing.SealedKey")
    p.add_argument("--stream", type=int, required=True)
    p.set_defaults(handler=_key_receive)
    p = sub.add_parser("score", help="score a stream whose key is open (once) and print it")
    p.add_argument("--stream", type=int, required=True)
    p.add_argument(
        "--review", default=None, help="JSON list of ubt_domain.scoring.answers.ReviewDecision"
    )
    p.add_argument("--actor", default=SCORED_BY, help="who scores, as the ledger records it")
    p.set_defaults(handler=_score)
