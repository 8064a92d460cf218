"""Tests for testing_point.store: once-only steps, the append-only ledger, migrations."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from testing_point.errors import StoreError
from testing_point.store import Store
from testing_point.store.schema import SCHEMA_VERSION

NOW = dt.datetime(2026, 6, 20, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "point.sqlite")


def test_a_new_store_runs_every_migration_with_durable_settings(tmp_path: Path) -> None:
    """A new file is at the current schema version, in WAL mode, with foreign keys."""
    path = tmp_path / "point.sqlite"
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


def test_reopening_keeps_state_and_runs_no_migration_twice(tmp_path: Path) -> None:
    """A second open finds the state written by the first."""
    path = tmp_path / "point.sqlite"
    with Store.open(path) as store, store.transaction():
        store.put("journal", "035", '{"rows": 3}', at=NOW)
    with Store.open(path) as store:
        assert store.get("journal", "035") == '{"rows": 3}'
        assert store.schema_version == SCHEMA_VERSION


def test_a_store_newer_than_the_program_is_refused(tmp_path: Path) -> None:
    """A file migrated by a newer program is not silently misread."""
    path = tmp_path / "point.sqlite"
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(StoreError, match="newer"):
        Store.open(path)


def test_a_failed_step_writes_nothing(store: Store) -> None:
    """An exception inside a transaction rolls the whole step back."""

    def crashing_step() -> None:
        with store.transaction():
            store.put("journal", "035", "{}", at=NOW)
            raise KeyError("crash")

    with pytest.raises(KeyError):
        crashing_step()
    assert store.get("journal", "035") is None


def test_unt_seat_4_a_second_seating_draw_is_refused(store: Store) -> None:
    """The store refuses a second draw of a sealed room, naming the rule."""
    store.seal_seating(1, 2, '{"seats": []}', "c1", at=NOW)
    with pytest.raises(StoreError) as refused:
        store.seal_seating(1, 2, '{"seats": [1]}', "c2", at=NOW)
    assert refused.value.rule_id == "UNT-SEAT-4"
    assert store.seating(1, 2) == '{"seats": []}'


def test_unt_seat_5_a_redraw_needs_an_override_used_once(store: Store) -> None:
    """A recorded NTC override allows one new draw, and only one."""
    store.seal_seating(1, 2, "first", "c1", at=NOW)
    override = store.record_override(
        "UNT-SEAT-5", "stream 1 room 02", "seating sheet lost", "NTC", at=NOW
    )
    assert store.seal_seating(1, 2, "second", "c2", at=NOW, override_id=override) == 2
    assert store.seating(1, 2) == "second"
    with pytest.raises(StoreError, match="UNT-SEAT-4"):
        store.seal_seating(1, 2, "third", "c3", at=NOW, override_id=override)


def test_unt_key_4_the_key_opens_once(store: Store) -> None:
    """A second opening of a stream's key is refused."""
    store.store_key(1, b"sealed", at=NOW)
    store.record_key_opening(1, at=NOW)
    assert store.key_opened(1)
    with pytest.raises(StoreError) as refused:
        store.record_key_opening(1, at=NOW)
    assert refused.value.rule_id == "UNT-KEY-4"


def test_unt_key_4_a_key_never_received_cannot_be_opened(store: Store) -> None:
    """The opening references the stored sealed key."""
    with pytest.raises(StoreError, match="UNT-KEY-4"):
        store.record_key_opening(2, at=NOW)


def test_unt_id_13_identification_closes_once(store: Store) -> None:
    """Closing a stream's identification twice is refused."""
    store.close_step("identification", 1, "{}", at=NOW)
    with pytest.raises(StoreError, match="UNT-ID-13"):
        store.close_step("identification", 1, "{}", at=NOW)
    assert store.closing("identification", 1) == "{}"
    assert store.closing("identification", 2) is None


@pytest.mark.parametrize(
    "statement", ["UPDATE ledger SET entry = 'forged'", "DELETE FROM ledger WHERE seq = 1"]
)
def test_ledger_rows_refuse_update_and_delete(store: Store, statement: str) -> None:
    """The database itself keeps the score ledger append-only."""
    store.append_ledger(1, '{"points": 3}', "0" * 64, "a" * 64)
    with pytest.raises(StoreError, match="append-only"):
        store.execute_raw(statement)
    assert store.ledger(1) == [(1, 1, '{"points": 3}', "0" * 64, "a" * 64)]


def test_unt_cert_4_a_certificate_number_is_used_once(store: Store) -> None:
    """A number issued (or spoiled) once cannot be issued again, in any stream."""
    store.issue_certificate("KZ", 1001, stream=1, holder="100000001")
    store.issue_certificate("KZ", 1002, stream=1, holder=None, spoiled=True)
    for number, stream in ((1001, 2), (1002, 1)):
        with pytest.raises(StoreError) as refused:
            store.issue_certificate("KZ", number, stream=stream, holder="100000009")
        assert refused.value.rule_id == "UNT-CERT-4"


def test_sheets_are_referenced_once_by_content(store: Store) -> None:
    """Reading the same scan again after a crash adds no second row."""
    first = store.add_sheet(
        "abc", stream=1, room=1, scan=1, source="s.png", part="p0", serial=7, error_kind=None
    )
    again = store.add_sheet(
        "abc", stream=1, room=1, scan=1, source="s.png", part="p1", serial=7, error_kind=None
    )
    assert (first, again) == (True, False)
    assert store.sheet_ids(1) == ["abc"]


def test_times_must_be_aware(store: Store) -> None:
    """A naive time is the caller's bug: the testing point's zone matters (D-10)."""
    with pytest.raises(ValueError, match="timezone-aware"):
        store.put("journal", "035", "{}", at=dt.datetime(2026, 6, 20, 9, 0))
