"""The answer-sheet identification protocol of a room (appx 36), as PDF.

The programmer issues the protocol once a room is scanned (UNT-SCAN-6); the
commission works on it by hand and it is printed again once their rows are
entered. Upper table: applicants whose sheet was not identified
automatically, with «жауап парағының №» (UNT-ID-7). Lower table: the sheets
themselves, what was read from them, the sectors the applicant got wrong in
a bold frame, and the commission's columns (UNT-ID-8). When a room holds more
sheets of a variant than it was given, the variant-identification table
(appx 37) follows (UNT-ID-12).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ubt_domain.documents.markup import (
    Markup,
    compile_pdf,
    document,
    framed,
    heading,
    signature_lines,
    table,
)
from ubt_domain.errors import DomainError
from ubt_domain.identification.outcomes import Reason
from ubt_domain.identification.sheets import Sector
from ubt_domain.identification.tables import IdentificationProtocol, LowerRow, UpperRow

__all__ = ["identification_protocol_pdf", "identification_protocol_source"]

TITLE = "Жауап парақтарын сәйкестендіру хаттамасы"
NOTHING = "—"
UNFILLED = "толтырылмаған"
REASON_TEXT: dict[Reason, str] = {
    Reason.POOR_REGISTRATION: "сканерлеу сапасы төмен",
    Reason.SECTOR_UNREADABLE: "сектор оқылмады: бос, екі белгі немесе күмәнді белгі",
    Reason.SERIAL_UNREADABLE: "жауап парағының нөмірі оқылмады",
    Reason.NOT_ALLOCATED: "жауап парағы аудиторияға бөлінген тізімде жоқ",
    Reason.DUPLICATE_SERIAL: "бір нөмірлі екі жауап парағы",
    Reason.TZHK_NOT_IN_ROOM: "ТЖК аудиторияның отырғызу парағында жоқ",
    Reason.DUPLICATE_TZHK: "бір ТЖК екі жауап парағында",
    Reason.SEAT_MISMATCH: "орын нөмірі отырғызу парағымен сәйкес емес",
    Reason.MISSING_COMMISSION_DATA: "комиссия орнын, нұсқасын және пәндерін толық көрсетпеді",
    Reason.TZHK_ALREADY_IDENTIFIED: "бұл түсушінің жауап парағы сәйкестендірілген",
    Reason.SEAT_TAKEN: "бұл орын басқа жауап парағына берілген",
    Reason.NOT_ADDITIONALLY_SEATED: "түсуші қосымша отырғызу хаттамасында жоқ",
    Reason.RESCAN_CONFLICT: "қайта сканерлеу сәйкестендіруге қайшы келеді",
}
_UPPER_HEADER = ("№", "ТЖК", "Аты-жөні", "Орны", "Бейіндік пәндер", "Жауап парағының №")
_LOWER_HEADER = (
    "№",
    "Жауап парағының №",
    "ТЖК",
    "Орны",
    "Нұсқа",
    "Бейіндік пәндер",
    "Жауап парағындағы аты-жөні",
    "ТЖК дұрыс коды",
    "Орнының дұрыс нөмірі",
    "Кітапшадағы нұсқа №",
    "Кітапшадағы пәндер бойынша пәндер",
    "Шешім",
)
_COMMISSION_COLUMNS = 5  # name on sheet, right ТЖК, right seat, booklet variant, subjects
_VARIANT_HEADER = ("Нұсқа", "Бөлінген", "Табылған", "Жауап парақтарының №")
_SIGNATURES = ("Министрлік өкілі", "Мемлекеттік комиссия мүшесі", "Министрлік программисі")


def identification_protocol_source(
    protocol: IdentificationProtocol, *, testing_point: str, exam_date: date
) -> str:
    """The typst source of :func:`identification_protocol_pdf` (for inspection and tests).

    Implements UNT-SCAN-6, UNT-ID-5, UNT-ID-7, UNT-ID-8.
    """
    if not isinstance(protocol, IdentificationProtocol):
        raise DomainError("UNT-SCAN-6", "expected an IdentificationProtocol")
    if not testing_point.strip():
        raise DomainError("UNT-SCAN-6", "testing_point must name the ҰБТӨП printing the protocol")
    body: list[str] = [
        f"ҰБТӨП: {testing_point}",
        f"Тестілеу күні: {exam_date:%d.%m.%Y}. Лек: {protocol.stream}. "
        f"Аудитория: {protocol.room:02d}.",
        heading("Жоғарғы кесте: жауап парағы табылмаған түсушілер", level=2),
        _upper_table(protocol) if protocol.upper else "Жоқ.",
        heading("Төменгі кесте: сәйкестендірілмеген жауап парақтары", level=2),
        "Түсуші қате толтырған секторлар қалың жақтаумен қоршалған.",
        _lower_table(protocol.lower) if protocol.lower else "Жоқ.",
        *_reason_lines(protocol.lower),
    ]
    if protocol.variant_excesses:
        body += [
            heading("Нұсқаларды сәйкестендіру (37-қосымша)", level=2),
            _variant_table(protocol),
        ]
    body.append(signature_lines(_SIGNATURES))
    return document(body, title=TITLE, landscape=True)


def identification_protocol_pdf(
    protocol: IdentificationProtocol, *, testing_point: str, exam_date: date
) -> bytes:
    """Print a room's answer-sheet identification protocol (appx 36).

    Implements UNT-SCAN-6, UNT-ID-5, UNT-ID-7, UNT-ID-8.

    Parameters
    ----------
    protocol : IdentificationProtocol
        The room's tables, from ``identification_protocol``.
    testing_point : str
        The ҰБТӨП printing it.
    exam_date : datetime.date
        The testing day (data, never the clock).

    Returns
    -------
    bytes
        A landscape A4 PDF in Kazakh: upper table, lower table with the
        sectors in error in bold frames and the commission's columns, the
        reasons per line, the variant-identification table when needed, and
        signature lines. The same protocol always gives the same bytes.

    Raises
    ------
    DomainError
        (``UNT-SCAN-6``) when the protocol or the testing point is missing.
    """
    return compile_pdf(
        identification_protocol_source(protocol, testing_point=testing_point, exam_date=exam_date)
    )


def _text(value: object) -> str:
    return NOTHING if value is None or value == () else str(value)


def _subjects(codes: Sequence[str] | None) -> str:
    return NOTHING if not codes else ", ".join(codes)


def _upper_table(protocol: IdentificationProtocol) -> Markup:
    rows = [_upper_cells(r) for r in protocol.upper]
    return table(_UPPER_HEADER, rows, columns=["auto", "auto", "1fr", "auto", "auto", "auto"])


def _upper_cells(row: UpperRow) -> list[str]:
    subjects = _subjects(row.profile_subjects)
    return [
        str(row.line),
        row.tzhk,
        row.full_name,
        str(row.seat),
        subjects,
        _text(row.sheet_serial),
    ]


def _lower_cells(row: LowerRow) -> list[str]:
    def read(sector: Sector, value: str) -> str:
        return framed(value) if sector in row.error_sectors else value

    if row.unfilled:
        read_cells = [UNFILLED, NOTHING, NOTHING, NOTHING]
    else:
        read_cells = [
            read(Sector.TZHK, _text(row.tzhk)),
            read(Sector.SEAT, _text(row.seat)),
            read(Sector.VARIANT, _text(row.variant)),
            read(Sector.PROFILE_SUBJECTS, _subjects(row.profile_subjects)),
        ]
    decision = row.decision.value if row.decision is not None else NOTHING
    serial = read(Sector.SERIAL, _text(row.serial))
    return [str(row.line), serial, *read_cells, *_commission_cells(row), decision]


def _commission_cells(row: LowerRow) -> list[str]:
    """What the commission wrote (UNT-ID-8 (1)-(4)), blank until a row is entered."""
    given = row.row
    if given is None:
        return [NOTHING] * _COMMISSION_COLUMNS
    return [
        given.name_on_sheet or NOTHING,
        _text(given.tzhk),
        _text(given.seat),
        _text(given.variant),
        _subjects(given.profile_subjects),
    ]


def _lower_table(rows: Sequence[LowerRow]) -> Markup:
    widths = ["auto"] * len(_LOWER_HEADER)
    return table(_LOWER_HEADER, [_lower_cells(r) for r in rows], columns=widths)


def _reason_lines(rows: Sequence[LowerRow]) -> list[str]:
    return [
        f"{row.line}-жол: {'; '.join(REASON_TEXT[r] for r in row.reasons)}."
        for row in rows
        if row.reasons and not row.resolved
    ]


def _variant_table(protocol: IdentificationProtocol) -> Markup:
    rows = [
        [e.variant, str(e.allocated), str(e.found), ", ".join(_text(s) for s in e.serials)]
        for e in protocol.variant_excesses
    ]
    return table(_VARIANT_HEADER, rows, columns=["auto", "auto", "auto", "1fr"])
