"""The connection to a testing point's store, its transactions and its refusals.

One SQLite file in WAL mode with ``synchronous=FULL`` (a committed step survives
a power cut) and foreign keys on. Every step of the workflow writes inside one
:meth:`Store.transaction`, so a crash leaves either the whole step or none of
it. The database's own constraints refuse what must happen once
(:mod:`testing_point.store.schema`); :class:`~testing_point.errors.StoreError`
names the rule such a refusal enforces.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from testing_point.errors import StoreError
from testing_point.store.schema import MIGRATIONS, SCHEMA_VERSION

__all__ = ["LedgerRow", "Store"]

LedgerRow = tuple[int, int, str, str, str]
"""``(seq, stream, entry, previous_hash, hash)`` as stored."""

_BUSY_TIMEOUT_S = 30.0  # a second operator's step waits for the first, it does not fail


def _instant(at: dt.datetime) -> str:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"time must be timezone-aware, got {at!r}")
    return at.isoformat()


class Store:
    """A testing point's durable state.

    Parameters
    ----------
    connection : sqlite3.Connection
        An open connection in autocommit mode; use :meth:`open`.

    Examples
    --------
    >>> store = Store.open(":memory:")
    >>> store.schema_version
    1
    >>> store.close()
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._in_transaction = False

    @classmethod
    def open(cls, path: str | Path) -> Store:
        """Open (creating and migrating if needed) the store at ``path``."""
        connection = sqlite3.connect(
            str(path), isolation_level=None, timeout=_BUSY_TIMEOUT_S, check_same_thread=False
        )
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA foreign_keys=ON")
        store = cls(connection)
        store._migrate()
        return store

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """How many migrations this file has run."""
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise StoreError(
                "STORE",
                f"the store has schema version {version}, newer than this program's "
                f"{SCHEMA_VERSION}: upgrade the program",
            )
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                for statement in _statements(script):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the block as one transaction: all of it is written, or none."""
        if self._in_transaction:
            raise RuntimeError("transactions do not nest: one step is one transaction")
        self._db.execute("BEGIN IMMEDIATE")
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")
        finally:
            self._in_transaction = False

    # -- current state of the procedure's documents ---------------------------------

    def put(self, kind: str, key: str, body: str, *, at: dt.datetime) -> None:
        """Record the current value of a document (applicants, journal, identification …)."""
        self._db.execute(
            "INSERT INTO state (kind, key, body, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (kind, key) DO UPDATE SET body = excluded.body, "
            "updated_at = excluded.updated_at",
            (kind, key, body, _instant(at)),
        )

    def get(self, kind: str, key: str) -> str | None:
        """The current value of a document, or ``None`` if it was never recorded."""
        row = self._db.execute(
            "SELECT body FROM state WHERE kind = ? AND key = ?", (kind, key)
        ).fetchone()
        return None if row is None else str(row[0])

    def keys(self, kind: str) -> list[str]:
        """The keys recorded for ``kind``, sorted."""
        rows = self._db.execute("SELECT key FROM state WHERE kind = ? ORDER BY key", (kind,))
        return [str(key) for (key,) in rows]

    # -- once-only steps ----------------------------------------------------------

    def record_override(
        self, rule_id: str, subject: str, reason: str, verified_by: str, *, at: dt.datetime
    ) -> int:
        """Record an NTC override (its password already verified); returns its id."""
        cursor = self._db.execute(
            "INSERT INTO overrides (rule_id, subject, reason, verified_by, recorded_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (rule_id, subject, reason, verified_by, _instant(at)),
        )
        return int(cursor.lastrowid or 0)

    def seal_seating(
        self,
        stream: int,
        room: int,
        plan: str,
        commitment: str,
        *,
        at: dt.datetime,
        override_id: int | None = None,
    ) -> int:
        """Seal a room's seating; returns the draw number (1, or more with an override).

        Implements UNT-SEAT-4 in the store: a second draw without a recorded
        override, or an override used twice, is refused.
        """
        (last,) = self._db.execute(
            "SELECT coalesce(max(draw), 0) FROM seatings WHERE stream = ? AND room = ?",
            (stream, room),
        ).fetchone()
        draw = int(last) + 1
        try:
            self._db.execute(
                "INSERT INTO seatings (stream, room, draw, plan, commitment, sealed_at, "
                "override_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (stream, room, draw, plan, commitment, _instant(at), override_id),
            )
        except sqlite3.IntegrityError as error:
            raise StoreError(
                "UNT-SEAT-4",
                f"stream {stream}, room {room:02d} is already seated; a new draw needs "
                "a recorded NTC override that was not used before",
            ) from error
        return draw

    def seating(self, stream: int, room: int) -> str | None:
        """The room's seating plan of its latest draw, or ``None`` before the draw."""
        row = self._db.execute(
            "SELECT plan FROM seatings WHERE stream = ? AND room = ? ORDER BY draw DESC LIMIT 1",
            (stream, room),
        ).fetchone()
        return None if row is None else str(row[0])

    def seating_plans(self) -> list[str]:
        """Every room's plan of its latest draw, by stream and room."""
        rows = self._db.execute(
            "SELECT plan FROM seatings AS s WHERE draw = (SELECT max(draw) FROM seatings "
            "WHERE stream = s.stream AND room = s.room) ORDER BY stream, room"
        )
        return [str(plan) for (plan,) in rows]

    def close_step(self, step: str, stream: int, body: str, *, at: dt.datetime) -> None:
        """Close a step of a stream (journal, identification, appeals) once."""
        try:
            self._db.execute(
                "INSERT INTO closings (step, stream, closed_at, body) VALUES (?, ?, ?, ?)",
                (step, stream, _instant(at), body),
            )
        except sqlite3.IntegrityError as error:
            raise StoreError(
                _CLOSING_RULES.get(step, "STORE"), f"{step} of stream {stream} is already closed"
            ) from error

    def closing(self, step: str, stream: int) -> str | None:
        """What was recorded when the step closed, or ``None`` while it is open."""
        row = self._db.execute(
            "SELECT body FROM closings WHERE step = ? AND stream = ?", (step, stream)
        ).fetchone()
        return None if row is None else str(row[0])

    def store_key(self, stream: int, sealed: bytes, *, at: dt.datetime) -> None:
        """Keep the stream's sealed answer key (received from NTC) until it is opened."""
        try:
            self._db.execute(
                "INSERT INTO sealed_keys (stream, sealed, stored_at) VALUES (?, ?, ?)",
                (stream, sealed, _instant(at)),
            )
        except sqlite3.IntegrityError as error:
            raise StoreError("UNT-KEY-4", f"stream {stream} already has its sealed key") from error

    def sealed_key(self, stream: int) -> bytes | None:
        """The stream's sealed key, or ``None`` before it was received."""
        row = self._db.execute(
            "SELECT sealed FROM sealed_keys WHERE stream = ?", (stream,)
        ).fetchone()
        return None if row is None else bytes(row[0])

    def record_key_opening(self, stream: int, *, at: dt.datetime) -> None:
        """Record that the stream's key was opened. Implements UNT-KEY-4: once."""
        try:
            self._db.execute(
                "INSERT INTO key_openings (stream, opened_at) VALUES (?, ?)",
                (stream, _instant(at)),
            )
        except sqlite3.IntegrityError as error:
            raise StoreError(
                "UNT-KEY-4", f"the key of stream {stream} was opened already, or never received"
            ) from error

    def key_opened(self, stream: int) -> bool:
        """Whether the stream's key was opened."""
        row = self._db.execute("SELECT 1 FROM key_openings WHERE stream = ?", (stream,))
        return row.fetchone() is not None

    # -- the score ledger -------------------------------------------------------

    def append_ledger(self, stream: int, entry: str, previous_hash: str, digest: str) -> int:
        """Append one ledger entry; returns its sequence number. Rows never change."""
        cursor = self._db.execute(
            "INSERT INTO ledger (stream, entry, previous_hash, hash) VALUES (?, ?, ?, ?)",
            (stream, entry, previous_hash, digest),
        )
        return int(cursor.lastrowid or 0)

    def ledger(self, stream: int | None = None) -> list[LedgerRow]:
        """The ledger's rows in order, of one stream or of all."""
        if stream is None:
            rows = self._db.execute("SELECT * FROM ledger ORDER BY seq")
        else:
            rows = self._db.execute("SELECT * FROM ledger WHERE stream = ? ORDER BY seq", (stream,))
        return [(int(a), int(b), str(c), str(d), str(e)) for a, b, c, d, e in rows]

    def execute_raw(self, sql: str, parameters: tuple[object, ...] = ()) -> None:
        """Run one statement as given, translating the database's refusals.

        For tools that maintain the file by hand; the ledger triggers still refuse
        UPDATE and DELETE (the rule of a tamper-evident ledger).
        """
        try:
            self._db.execute(sql, parameters)
        except sqlite3.IntegrityError as error:
            if "append-only" in str(error):
                raise StoreError("LEDGER", "ledger rows are append-only") from error
            raise StoreError("STORE", str(error)) from error

    # -- sheets and certificates ----------------------------------------------------

    def add_sheet(
        self,
        content_id: str,
        *,
        stream: int,
        room: int,
        scan: int,
        source: str,
        part: str,
        serial: int | None,
        error_kind: str | None,
    ) -> bool:
        """Reference a read sheet by content hash; ``False`` if it was there already."""
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO sheets (content_id, stream, room, scan, source, part, serial, "
            "error_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (content_id, stream, room, scan, source, part, serial, error_kind),
        )
        return cursor.rowcount == 1

    def sheet_ids(self, stream: int, room: int | None = None) -> list[str]:
        """Content ids of the sheets read for a stream (or one room), sorted."""
        if room is None:
            rows = self._db.execute(
                "SELECT content_id FROM sheets WHERE stream = ? ORDER BY content_id", (stream,)
            )
        else:
            rows = self._db.execute(
                "SELECT content_id FROM sheets WHERE stream = ? AND room = ? ORDER BY content_id",
                (stream, room),
            )
        return [str(c) for (c,) in rows]

    def issue_certificate(
        self, series: str, number: int, *, stream: int, holder: str | None, spoiled: bool = False
    ) -> None:
        """Record a certificate blank as issued to ``holder`` or spoiled (UNT-CERT-4, -9)."""
        try:
            self._db.execute(
                "INSERT INTO certificates (series, number, stream, holder, status) "
                "VALUES (?, ?, ?, ?, ?)",
                (series, number, stream, holder, "spoiled" if spoiled else "issued"),
            )
        except sqlite3.IntegrityError as error:
            raise StoreError(
                "UNT-CERT-4", f"certificate {series} {number} is already issued or spoiled"
            ) from error


_CLOSING_RULES = {"journal": "UNT-REG-15", "identification": "UNT-ID-13", "appeals": "UNT-APL-31"}


def _statements(script: str) -> Iterator[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    buffer: list[str] = []
    for line in script.strip().splitlines():
        buffer.append(line)
        joined = "\n".join(buffer).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            yield joined
            buffer = []
    if "\n".join(buffer).strip():
        yield "\n".join(buffer).strip()
