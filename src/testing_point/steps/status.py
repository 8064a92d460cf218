"""Status: where each stream stands, and what blocks its next step.

Read-only: it opens no transaction and writes nothing, so an operator may run
it at any moment, even while another step is running.
"""

from __future__ import annotations

from testing_point.steps.applications import applicants, journals
from testing_point.steps.certificates import BOOK
from testing_point.steps.identification import closed_identification
from testing_point.steps.key import opened_key
from testing_point.store import Store

__all__ = ["status_lines"]


def status_lines(store: Store, streams: tuple[int, ...] = (1, 2)) -> list[str]:
    """One line per fact of the stream's progress, the first blocker named last."""
    books = journals(store)
    open_books = [s for s, b in books.items() if not b.closed]
    lines = [
        f"applicants: {len(applicants(store))}; journals: {len(books)} ({len(open_books)} open)",
    ]
    for stream in streams:
        read = len(store.sheet_ids(stream))
        sealed = [p for p in store.seating_plans() if f'"stream":{stream},' in p]
        facts = [f"stream {stream}: rooms sealed {len(sealed)}", f"sheet scans read {read}"]
        if open_books:
            blocker = "close the journals (ubt journal close)"
        elif not sealed:
            blocker = "seat the rooms (ubt seat)"
        elif read == 0:
            blocker = "read the answer sheets (ubt sheets read)"
        elif closed_identification(store, stream) is None:
            blocker = "decide the identification protocol and close it (ubt identify)"
        elif store.sealed_key(stream) is None:
            blocker = "receive the sealed key (ubt key receive)"
        elif opened_key(store, stream) is None:
            blocker = "open the key with the three passwords (ubt key open)"
        elif not store.ledger(stream):
            blocker = "score the stream (ubt score)"
        elif store.closing("appeals", stream) is None:
            blocker = "decide the appeals and close them (ubt appeal)"
        elif store.get(BOOK, "book") is None or f'"stream":{stream},' not in (
            store.get(BOOK, "book") or ""
        ):
            blocker = "issue the certificates (ubt certificates)"
        else:
            blocker = None
        entries = len(store.ledger(stream))
        if entries:
            facts.append(f"ledger of {entries} {'entry' if entries == 1 else 'entries'}")
        facts.append(f"next: {blocker}" if blocker else "done: certificates issued")
        lines.append("; ".join(facts))
    return lines
