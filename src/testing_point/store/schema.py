"""The store's schema as ordered migrations, with the rules it enforces itself.

Each migration is applied once, in order, inside one transaction;
``PRAGMA user_version`` records how many have run. A migration is never edited
after it ships: a change is a new migration appended to :data:`MIGRATIONS`.

What must happen once or never change is a constraint of the database, not a
check in Python, so that no caller (another tool, a second operator, a rerun
after a crash) can get round it:

- a room's seating is drawn once: ``seatings`` is keyed by (stream, room, draw)
  and a draw after the first needs a recorded override, each used once
  (UNT-SEAT-4, UNT-SEAT-5);
- a step closes once per stream: ``closings`` is keyed by (step, stream)
  (UNT-REG-15, UNT-ID-13, UNT-APL-31);
- the key opens once per stream: ``key_openings`` is keyed by stream (UNT-KEY-4);
- ledger rows are append-only: triggers refuse UPDATE and DELETE;
- certificate numbers are unique per series (UNT-CERT-4, UNT-CERT-9).
"""

from __future__ import annotations

__all__ = ["MIGRATIONS", "SCHEMA_VERSION"]

_INITIAL = """
CREATE TABLE state (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE TABLE overrides (
    id INTEGER PRIMARY KEY,
    rule_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (length(reason) > 0),
    verified_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE TABLE seatings (
    stream INTEGER NOT NULL,
    room INTEGER NOT NULL,
    draw INTEGER NOT NULL CHECK (draw >= 1),
    plan TEXT NOT NULL,
    commitment TEXT NOT NULL,
    sealed_at TEXT NOT NULL,
    override_id INTEGER UNIQUE REFERENCES overrides (id),
    PRIMARY KEY (stream, room, draw),
    CHECK (draw = 1 OR override_id IS NOT NULL)
);
CREATE TABLE sheets (
    content_id TEXT PRIMARY KEY,
    stream INTEGER NOT NULL,
    room INTEGER NOT NULL,
    scan INTEGER NOT NULL CHECK (scan IN (1, 2)),
    source TEXT NOT NULL,
    part TEXT NOT NULL,
    serial INTEGER,
    error_kind TEXT
);
CREATE TABLE closings (
    step TEXT NOT NULL,
    stream INTEGER NOT NULL,
    closed_at TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (step, stream)
);
CREATE TABLE sealed_keys (
    stream INTEGER PRIMARY KEY,
    sealed BLOB NOT NULL,
    stored_at TEXT NOT NULL
);
CREATE TABLE key_openings (
    stream INTEGER PRIMARY KEY REFERENCES sealed_keys (stream),
    opened_at TEXT NOT NULL
);
CREATE TABLE ledger (
    seq INTEGER PRIMARY KEY,
    stream INTEGER NOT NULL,
    entry TEXT NOT NULL,
    previous_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE
);
CREATE TRIGGER ledger_append_only_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only'); END;
CREATE TRIGGER ledger_append_only_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only'); END;
CREATE TABLE appeals (
    id TEXT PRIMARY KEY,
    stream INTEGER NOT NULL,
    body TEXT NOT NULL,
    filed_at TEXT NOT NULL
);
CREATE TABLE certificates (
    series TEXT NOT NULL,
    number INTEGER NOT NULL,
    stream INTEGER NOT NULL,
    holder TEXT,
    status TEXT NOT NULL CHECK (status IN ('issued', 'spoiled')),
    PRIMARY KEY (series, number)
);
"""

MIGRATIONS: tuple[str, ...] = (_INITIAL,)
"""Every migration, oldest first; the schema version is their count."""

SCHEMA_VERSION = len(MIGRATIONS)
