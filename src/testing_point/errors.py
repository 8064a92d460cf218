"""The exception the testing point's store raises when a once-only step is repeated.

::

    StoreError (RuntimeError)      carries the rule id the refused write would break

The store enforces what must happen once (a room's seating draw, closing
identification, opening the key), what must never change (ledger rows) and what
must be unique (certificate numbers) in the database itself, by constraints and
triggers; :class:`StoreError` turns the database's refusal into a message naming
the rule.
"""

from __future__ import annotations

__all__ = ["StoreError"]


class StoreError(RuntimeError):
    """A write the procedures forbid was refused by the store.

    Parameters
    ----------
    rule_id : str
        The RULES.md id the write would break (e.g. ``"UNT-SEAT-4"``).
    message : str
        What was refused and why.
    """

    def __init__(self, rule_id: str, message: str) -> None:
        self.rule_id = rule_id
        self.message = message
        super().__init__(f"[{rule_id}] {message}")
