"""The error protocol section of the form-scanning report, as PDF.

Implements the printed side of UNT-FORM-20: for each form with faults, the
sectors of the form are drawn as a map in which every faulty sector stands in
a bold frame with ``sector/code1,code2`` after it, followed by a table that
spells each code out in Kazakh. Other documents live beside the functions that
build their data (STYLE: one concept per module).
"""

from __future__ import annotations

from collections.abc import Sequence

from ubt_domain.application.protocol import (
    ERROR_CODE_TEXT,
    SECTOR_TITLE,
    ErrorProtocol,
    FormSector,
)
from ubt_domain.documents.markup import (
    GRID_STROKE_PT,
    Markup,
    compile_pdf,
    document,
    framed,
    grid,
    heading,
    table,
)
from ubt_domain.errors import DomainError

__all__ = ["error_protocol_pdf", "error_protocol_source"]

TITLE = "Өтініш бланкілерін сканерлеу есебі: Қателер хаттамасы"
# The printed sectors in form order, four to a row like the form's own blocks.
_MAP_SECTORS = tuple(s for s in FormSector if s != FormSector.WHOLE_FORM)
_MAP_COLUMNS = 4
_SHEET_ID_SHOWN = 12  # leading hex digits of the sheet hash, enough to find the form


def _sector_map(protocol: ErrorProtocol) -> Markup:
    faulty = set(protocol.sectors)
    cells = []
    for sector in _MAP_SECTORS:
        label = f"{int(sector)}. {SECTOR_TITLE[sector]}"
        if sector in faulty:
            codes = ",".join(protocol.codes(sector))
            cells.append(framed(f"{label}  {int(sector)}/{codes}"))
        else:
            cells.append(framed(label, stroke_pt=GRID_STROKE_PT))
    return grid(cells, columns=_MAP_COLUMNS)


def _protocol_blocks(protocol: ErrorProtocol) -> list[str]:
    tzhk = protocol.tzhk or "оқылмады"
    blocks: list[str] = [
        heading(f"Бланк {protocol.sheet_id[:_SHEET_ID_SHOWN]}, ТЖК {tzhk}", level=2),
    ]
    if FormSector.WHOLE_FORM in protocol.sectors:
        codes = ",".join(protocol.codes(FormSector.WHOLE_FORM))
        blocks.append(framed(f"{SECTOR_TITLE[FormSector.WHOLE_FORM]}: 0/{codes}"))
    blocks.append(_sector_map(protocol))
    rows = [
        [
            f"{int(sector)}. {SECTOR_TITLE[sector]}",
            f"{int(sector)}/{','.join(protocol.codes(sector))}",
            "; ".join(ERROR_CODE_TEXT[code] for code in protocol.codes(sector)),
        ]
        for sector in protocol.sectors
    ]
    blocks.append(
        table(
            ["Сектор", "Қате", "Түсіндірме"],
            rows,
            columns=["auto", "auto", "1fr"],
            framed_rows=range(len(rows)),
        )
    )
    return blocks


def error_protocol_source(
    protocols: ErrorProtocol | Sequence[ErrorProtocol], *, school: str | None = None
) -> str:
    """The typst source of :func:`error_protocol_pdf` (for inspection and tests).

    Implements UNT-FORM-20.
    """
    items = [protocols] if isinstance(protocols, ErrorProtocol) else list(protocols)
    if not items or not all(isinstance(p, ErrorProtocol) for p in items):
        raise DomainError("UNT-FORM-20", "expected one or more ErrorProtocol records")
    used = sorted({e.code for p in items for e in p.errors})
    body: list[str] = []
    if school is not None:
        body.append(f"Мектеп: {school}")
    body.append(f"Қатесі бар бланкілер саны: {len(items)}")
    for protocol in items:
        body.extend(_protocol_blocks(protocol))
    body.append(heading("Қате кодтары", level=2))
    body.append(table(["Код", "Сипаттамасы"], [[code, ERROR_CODE_TEXT[code]] for code in used]))
    return document(body, title=TITLE)


def error_protocol_pdf(
    protocols: ErrorProtocol | Sequence[ErrorProtocol], *, school: str | None = None
) -> bytes:
    """The «Қателер хаттамасы» of one form or of a school's scanning session.

    Implements UNT-FORM-20, UNT-FORM-24.

    Parameters
    ----------
    protocols : ErrorProtocol or sequence of ErrorProtocol
        The forms that could not be accepted.
    school : str, optional
        The school whose forms were scanned, printed in the header.

    Returns
    -------
    bytes
        A PDF in Kazakh: per form, the map of sectors with the faulty ones in a
        bold frame followed by ``/`` and their codes, and a table spelling the
        codes out; at the end, the legend of the codes used.
    """
    return compile_pdf(error_protocol_source(protocols, school=school))
