"""Scanner check: the calibration sheet's scans measured, the report printed and kept.

Implements UNT-SCAN-1 on the service side through
:func:`omrkit.calibrate.check_scanner`: before a room's sheets are read, the
scanner reads the calibration sheet; the report (with the scanner profile it
learned) is kept in the store, so a later step can tell which scanner check
its readings rest on, and printed as PDF.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from omrkit.calibrate.check import ScannerReport, check_scanner
from omrkit.calibrate.report import render_report
from testing_point.store import Store

__all__ = ["SCANNER_CHECK", "check", "last_check"]

SCANNER_CHECK = "scanner-check"  # key: the scanner's name


def check(
    store: Store, scans: Sequence[Path], *, scanner: str, at: dt.datetime, documents: Path
) -> ScannerReport:
    """Check ``scanner`` on its calibration-sheet scans; keep and print the report."""
    # Given as bytes, so the kept report does not depend on where the scans lay.
    report = check_scanner([scan.read_bytes() for scan in scans], scanner=scanner)
    with store.transaction():
        store.put(SCANNER_CHECK, scanner, report.model_dump_json(), at=at)
    documents.mkdir(parents=True, exist_ok=True)
    render_report(report, documents / "scanner-check.pdf", run=at.isoformat())
    return report


def last_check(store: Store, scanner: str) -> ScannerReport | None:
    """The scanner's latest check, or ``None`` if it was never checked."""
    body = store.get(SCANNER_CHECK, scanner)
    return None if body is None else ScannerReport.model_validate_json(body)
