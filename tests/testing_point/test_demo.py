"""The demo end to end on a small testing point: it completes, and a seed fixes its outputs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from testing_point.demo import run_demo
from testing_point.steps.applications import applicants
from testing_point.steps.status import status_lines
from testing_point.store import Store

APPLICANTS = 24
TABLES = ("state", "seatings", "sheets", "closings", "ledger")


def _tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    db = sqlite3.connect(path)
    try:
        return {t: db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in TABLES}
    finally:
        db.close()


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    run_demo(first, applicants=APPLICANTS, seed=5, echo=lambda _: None)
    run_demo(second, applicants=APPLICANTS, seed=5, echo=lambda _: None)
    return first, second


@pytest.mark.slow
def test_the_demo_is_deterministic_for_a_seed(two_runs: tuple[Path, Path]) -> None:
    """Two runs with one seed hold the same store tables and ledger hashes."""
    first, second = two_runs
    a, b = _tables(first / "point.sqlite"), _tables(second / "point.sqlite")
    assert a["ledger"], "the demo scored nothing"
    assert [row[4] for row in a["ledger"]] == [row[4] for row in b["ledger"]]
    assert a == b


@pytest.mark.slow
def test_the_demo_reaches_the_statement_and_prints_its_documents(
    two_runs: tuple[Path, Path],
) -> None:
    """Both streams scored, their ledgers intact, every step's PDF printed."""
    out = two_runs[0]
    with Store.open(out / "point.sqlite") as store:
        lines = status_lines(store)
        assert all("done: certificates issued" in line for line in lines[1:]), lines
        assert len(applicants(store)) == APPLICANTS  # every form's person, none merged
        assert store.key_opened(1)
        assert store.key_opened(2)
    names = {p.name for p in (out / "documents").glob("*.pdf")}
    assert {"error-protocol.pdf", "scanner-check.pdf", "statement-s1.pdf"} <= names
    assert any(n.startswith("seating-") for n in names)
    assert any(n.startswith("identification-") for n in names)
