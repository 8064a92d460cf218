"""The answer key: keep NTC's sealed key, open it once with the three passwords.

Implements UNT-KEY-4 and D-4 through :mod:`ubt_domain.key`: the key opens only
with all three passwords and only after the stream's identification closed;
the store records the opening once (``key_openings``), in the same
transaction as the opened key, so a crash leaves the key either sealed or
opened and recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from testing_point.errors import StoreError
from testing_point.steps.identification import closed_identification
from testing_point.store import Store
from ubt_domain.key.answer_key import AnswerKey
from ubt_domain.key.sealing import SealedKey, open_key

__all__ = ["OPENED_KEY", "open_stream_key", "opened_key", "receive_key"]

OPENED_KEY = "answer-key"  # key: stream


def receive_key(store: Store, stream: int, sealed: SealedKey, *, at: dt.datetime) -> None:
    """Keep the stream's sealed key; receiving the same key again changes nothing."""
    body = sealed.model_dump_json().encode()
    with store.transaction():
        kept = store.sealed_key(stream)
        if kept is None:
            store.store_key(stream, body, at=at)
        elif kept != body:
            store.store_key(stream, body, at=at)  # refused: UNT-KEY-4 names it


def open_stream_key(
    store: Store, stream: int, passwords: Mapping[str, str], *, at: dt.datetime
) -> AnswerKey:
    """Open the stream's key with the three passwords (once; a second opening is refused)."""
    with store.transaction():
        if store.key_opened(stream):  # refused before the passwords are even tried
            raise StoreError("UNT-KEY-4", f"the key of stream {stream} was opened already")
        sealed = store.sealed_key(stream)
        if sealed is None:
            raise RuntimeError(f"no sealed key of stream {stream} was received")
        gate = closed_identification(store, stream)
        key = open_key(SealedKey.model_validate_json(sealed), passwords, gate=gate)
        store.record_key_opening(stream, at=at)
        store.put(OPENED_KEY, str(stream), key.model_dump_json(), at=at)
    return key


def opened_key(store: Store, stream: int) -> AnswerKey | None:
    """The stream's opened key, or ``None`` before the opening."""
    body = store.get(OPENED_KEY, str(stream))
    return None if body is None else AnswerKey.model_validate_json(body)
