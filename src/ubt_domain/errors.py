"""The exception ubt_domain raises when an invariant of the procedures is broken.

::

    DomainError (ValueError)     carries the rule id (RULES.md) it enforces
    └── DocumentError            typst refused a generated document: a bug, not bad data
            (RuntimeError)       (ubt_domain.documents.markup, outside the pure core)

Expected outcomes (an unidentified sheet, a rejected appeal) are values, not
exceptions; ``DomainError`` is for input that breaks a rule: a malformed
record, an unknown code, a duplicate ТЖК, a second seating attempt.
"""

from __future__ import annotations

__all__ = ["DomainError"]


class DomainError(ValueError):
    """A rule of the national testing procedures was violated.

    Parameters
    ----------
    rule_id : str
        The RULES.md id (e.g. ``"UNT-SEAT-4"``) or decision id (``"D-9"``).
    message : str
        What was wrong and what the rule expects.
    """

    def __init__(self, rule_id: str, message: str) -> None:
        self.rule_id = rule_id
        self.message = message
        super().__init__(f"[{rule_id}] {message}")
