"""The ``ubt`` command: a testing point's procedure steps on its store.

Sub-commands so far: ``ubt demo`` (the whole stream on simulated data) and
``ubt status`` (where the streams stand). Each step's function lives in
:mod:`testing_point.steps`; passwords are read with
:func:`testing_point.passwords.ask_password` (an environment variable, else
without echo).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]


def _demo(args: argparse.Namespace) -> int:
    from testing_point.demo import run_demo

    run_demo(Path(args.out), applicants=args.applicants, seed=args.seed)
    return 0


def _status(args: argparse.Namespace) -> int:
    from testing_point.steps.status import status_lines
    from testing_point.store import Store

    path = Path(args.store)
    if not path.exists():
        print(f"no store at {path}: run `ubt demo` or set a testing point up first")
        return 1
    with Store.open(path) as store:
        for line in status_lines(store):
            print(line)
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
    p.add_argument("--store", default="demo-output/point.sqlite")
    p.set_defaults(handler=_status)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``ubt`` command; returns its exit status."""
    args = _parser().parse_args(argv)
    code: int = args.handler(args)
    return code
