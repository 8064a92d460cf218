"""``omrkit calibrate SCAN... -o report.pdf``: check a scanner, write its report and profile."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

__all__ = ["add_parser"]


def _run(args: argparse.Namespace) -> int:
    from omrkit.calibrate.check import check_scanner
    from omrkit.calibrate.report import render_report

    report = check_scanner([Path(p) for p in args.scans], scanner=args.scanner, dpi=args.dpi)
    render_report(report, args.output, run=args.run)
    print(f"scanner check: {report.verdict}" + (
        f" ({', '.join(r.value for r in report.reasons)})" if report.reasons else ""))  # fmt: skip
    for m in report.measurements:
        sign = "<=" if m.at_most else ">="
        mark = "" if m.ok else "  FAIL"
        limit = "(shown)" if m.limit is None else f"{sign} {m.limit:g}"
        # A line-pair group beyond the scan's resolution has no value: shown as "—".
        value = f"{'—':>9}" if math.isnan(m.value) else f"{m.value:9.4f}"
        print(f"  {m.name:30} {value} {limit} {m.unit}{mark}")
    print(f"wrote {args.output}")
    if args.profile is not None:
        report.profile.save(args.profile)
        print(f"wrote {args.profile} (profile {report.profile.hash[:16]})")
    return 0 if report.passed else 1


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``calibrate`` subcommand."""
    p = sub.add_parser("calibrate", help="check a scanner from scans of the calibration sheet")
    p.add_argument("scans", nargs="+", help="scans of calibration/scanner-check")
    p.add_argument("-o", "--output", type=Path, required=True, help="report.pdf (or .png)")
    p.add_argument("--profile", type=Path, default=None, help="also save the profile JSON here")
    p.add_argument("--scanner", default="", help="the scanner's name or inventory number")
    p.add_argument("--run", default="", help="the scanning run: date, testing point, room")
    p.add_argument("--dpi", type=float, default=None, help="nominal scan resolution")
    p.set_defaults(handler=_run)
