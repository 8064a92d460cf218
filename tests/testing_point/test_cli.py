"""The ``ubt`` command on a store: status names the next step, refusals name their rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from testing_point.cli import STORE_FILE, main
from testing_point.store import Store

NOW = dt.datetime(2026, 6, 20, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))


def test_status_without_a_store_says_how_to_make_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "--dir", str(tmp_path)]) == 1
    assert "ubt demo" in capsys.readouterr().out


def test_status_of_a_new_store_names_the_first_blocker(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store.open(tmp_path / STORE_FILE).close()
    assert main(["status", "--dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "stream 1: rooms sealed 0" in out
    assert "next: seat the rooms" in out


def test_unt_key_4_a_second_key_opening_is_refused_with_its_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command prints the store's refusal (no traceback) and exits 2."""
    with Store.open(tmp_path / STORE_FILE) as store, store.transaction():
        store.store_key(1, b"sealed", at=NOW)
        store.record_key_opening(1, at=NOW)
    for role in ("STATE_COMMISSION_CHAIR", "NSC_REPRESENTATIVE", "MINISTRY_REPRESENTATIVE"):
        monkeypatch.setenv(f"UBT_KEY_{role}", "any")
    assert main(["key", "open", "--stream", "1", "--dir", str(tmp_path)]) == 2
    assert "refused: [UNT-KEY-4]" in capsys.readouterr().out


def test_unt_scan_1_scanner_check_keeps_its_report_and_prints_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A good scanner's calibration scan passes; the report is in the store and beside it."""
    import cv2

    from omrkit.synth.scanners import BLANK_FILL, SCANNERS, scan_sheet
    from testing_point.steps.scanner import last_check

    scan = scan_sheet("calibration/scanner-check", SCANNERS["good"], seed=3, fill=BLANK_FILL)
    path = tmp_path / "calibration.png"
    cv2.imwrite(str(path), scan.image)
    assert main(["scanner", "check", str(path), "--scanner", "A4", "--dir", str(tmp_path)]) == 0
    assert "scanner A4: pass" in capsys.readouterr().out
    assert (tmp_path / "documents" / "scanner-check.pdf").read_bytes().startswith(b"%PDF")
    with Store.open(tmp_path / STORE_FILE) as store:
        kept = last_check(store, "A4")
        assert kept is not None
        assert kept.verdict == "pass"
