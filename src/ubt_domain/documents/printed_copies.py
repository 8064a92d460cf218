"""Printing a document once per copy, each copy headed by its number and recipient.

Statements and the key are made in several copies with fixed recipients
(UNT-STMT-1, MAB-S-22, OZH-19, UNT-KEY-6); every copy is the whole document
on its own pages, so each recipient's sheets can be handed over separately.
Also the shared cell formatting of the score tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from ubt_domain.documents.markup import Markup, bold, escape
from ubt_domain.statements.copies import PrintedCopy

__all__ = ["NOTHING", "TABLE_FONT_SIZE_PT", "cell", "in_copies", "small", "text_rows"]

NOTHING = "—"
# Score tables are wide; a smaller type keeps a row of them on one line.
TABLE_FONT_SIZE_PT = 8.5
_PAGE_BREAK = Markup("#pagebreak()\n")


def in_copies(copies: Sequence[PrintedCopy], blocks: Sequence[str]) -> list[str]:
    """``blocks`` repeated once per copy, each copy opened by «N-дана / экз. N: recipient»."""
    body: list[str] = []
    for copy in copies:
        if body:
            body.append(_PAGE_BREAK)
        label = (
            f"{copy.number}-дана / экз. {copy.number}: {copy.recipient_kk} / {copy.recipient_ru}"
        )
        body.append(bold(label))
        body.extend(blocks)
    return body


def cell(value: Any) -> str:
    """A frame value as printed: null as a dash, booleans in words, floats to one place."""
    if value is None:
        return NOTHING
    if isinstance(value, bool):
        return "иә / да" if value else "жоқ / нет"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def text_rows(frame: pl.DataFrame, columns: Sequence[str]) -> list[list[str]]:
    """The rows of ``frame``'s ``columns``, numbered from 1, as printed cells."""
    return [
        [str(line), *(cell(v) for v in row)]
        for line, row in enumerate(frame.select(columns).iter_rows(), start=1)
    ]


def small(table_markup: str) -> Markup:
    """A table in the smaller type."""
    return Markup(f"#[#set text(size: {TABLE_FONT_SIZE_PT}pt)\n{escape(table_markup)}]")
