"""Crash safety: the workflow killed with SIGKILL mid-step, then rerun, equals an uninterrupted run.

A subprocess runs the demo; it is killed while a room's answer sheets are
being read, rerun and killed again while the stream is being scored, then
rerun to the end. The store must then hold what an uninterrupted run holds:
no sheet lost or doubled, the same ledger rows with their chain intact.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from testing_point.demo import run_demo
from testing_point.steps.scoring import ledger
from testing_point.store import Store

APPLICANTS = 16
SEED = 3
TABLES = ("seatings", "sheets", "closings", "ledger", "certificates", "sealed_keys")
_RUN = (
    "import sys; from testing_point.demo import run_demo; "
    "run_demo(sys.argv[1], applicants={n}, seed={s})"
)
_WAIT_S = 600.0
_POLL_S = 0.05


def _tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    db = sqlite3.connect(path)
    try:
        found = {t: db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in TABLES}
        found["state"] = db.execute("SELECT kind, key, body FROM state ORDER BY 1, 2").fetchall()
        return found
    finally:
        db.close()


def _run_until(out: Path, ready: str, *, delay_s: float, begun: Path | None = None) -> bool:
    """Run the demo in a subprocess; SIGKILL it ``delay_s`` after it prints ``ready``
    (and, if given, after the path ``begun`` appears).

    Returns whether it was killed (False if it finished first).
    """
    code = _RUN.format(n=APPLICANTS, s=SEED)
    with subprocess.Popen(
        [sys.executable, "-u", "-c", code, str(out)], stdout=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        deadline = time.monotonic() + _WAIT_S
        for line in process.stdout:
            if ready in line:
                if begun is not None:
                    _wait_for(begun)
                time.sleep(delay_s)
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
                return True
            if time.monotonic() > deadline:
                break
        process.wait()
    return False


def _wait_for(path: Path) -> None:
    deadline = time.monotonic() + _WAIT_S
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(_POLL_S)


@pytest.mark.slow
def test_killed_while_reading_and_while_scoring_then_rerun_equals_an_uninterrupted_run(
    tmp_path: Path,
) -> None:
    """SIGKILL mid-read and mid-scoring; the reruns lose no sheet, double none, keep the chain."""
    baseline, crashed = tmp_path / "baseline", tmp_path / "crashed"
    run_demo(baseline, applicants=APPLICANTS, seed=SEED, echo=lambda _: None)
    # Killed while the first room's first scan is being read.
    first_room = crashed / "readings" / "s1-r01-scan1"
    assert _run_until(crashed, "· answer sheets", delay_s=0.2, begun=first_room)
    # Killed during scoring: the key is open or opening, the ledger mid-write or not begun.
    assert _run_until(crashed, "· key and scoring", delay_s=0.5)
    run_demo(crashed, applicants=APPLICANTS, seed=SEED, echo=lambda _: None)
    expected, found = _tables(baseline / "point.sqlite"), _tables(crashed / "point.sqlite")
    assert len(found["sheets"]) == len({row[0] for row in found["sheets"]})
    assert found == expected
    with Store.open(crashed / "point.sqlite") as store:
        for stream in (1, 2):
            scored = ledger(store, stream)
            assert scored is not None
            assert scored.verify().intact
