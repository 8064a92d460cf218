"""The printed key: one row per task of every variant, made in two copies (UNT-KEY-6).

The programmer prints the opened key (UNT-KEY-7); one copy is posted for
everyone to check their answers, the other goes to the appeal commission.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from ubt_domain.key.answer_key import AnswerKey
from ubt_domain.models import DomainModel
from ubt_domain.statements.copies import KEY_COPIES, PrintedCopy

__all__ = ["KeyPrintout", "KeyPrintoutLine", "key_printout"]


class KeyPrintoutLine(DomainModel):
    """The correct options of one subject of one variant, task by task."""

    malformed_rule: ClassVar[str] = "UNT-KEY-6"

    variant: str
    subject: str
    answers: tuple[str, ...] = Field(min_length=1)


class KeyPrintout(DomainModel):
    """What the key printout holds: the lines and the copies with their recipients."""

    malformed_rule: ClassVar[str] = "UNT-KEY-6"

    exam: str
    lines: tuple[KeyPrintoutLine, ...]
    copies: tuple[PrintedCopy, ...]


def key_printout(key: AnswerKey) -> KeyPrintout:
    """The content of the posted key, in :data:`KEY_COPIES` (2 copies).

    Implements UNT-KEY-6, UNT-KEY-7.

    Examples
    --------
    >>> from ubt_domain.key.answer_key import SubjectKey, VariantKey
    >>> key = AnswerKey(exam="e", variants=(VariantKey(variant="1", subjects=(
    ...     SubjectKey(subject="answers_1", accepted=(("A",), ("B", "C"))),)),))
    >>> printout = key_printout(key)
    >>> printout.lines[0].answers, len(printout.copies)
    (('A', 'B/C'), 2)
    """
    lines = tuple(
        KeyPrintoutLine(
            variant=v.variant,
            subject=s.subject,
            answers=tuple("/".join(options) for options in s.accepted),
        )
        for v in key.variants
        for s in v.subjects
    )
    return KeyPrintout(exam=key.exam, lines=lines, copies=KEY_COPIES)
