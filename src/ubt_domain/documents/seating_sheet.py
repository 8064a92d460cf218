"""The seating sheet («Отырғызу парағы», Rules appx 5) of a room, as PDF bytes.

Printed on the morning of the exam for each room of the stream (UNT-SEAT-1),
ordered by seat number (UNT-SEAT-2). The sheet also carries the SHA-256
commitment of the seed the seats were drawn from, so the draw can be audited
later by anyone given the seed (UNT-SEAT-3, UNT-SEAT-4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ubt_domain.documents.markup import (
    Markup,
    compile_pdf,
    document,
    escape,
    facts,
    signature_lines,
    table,
)
from ubt_domain.errors import DomainError
from ubt_domain.models import ExamLanguage
from ubt_domain.rooms.seating import SeatingPlan

__all__ = ["SEATING_SHEET_TITLE", "seating_sheet_pdf", "seating_sheet_source"]

SEATING_SHEET_TITLE = "Отырғызу парағы"
_LANGUAGE_NAMES = {ExamLanguage.KAZAKH: "қазақ тілі", ExamLanguage.RUSSIAN: "орыс тілі"}
_HEADER = ("Орын №", "ТЖК", "Тегі, аты, әкесінің аты", "Ескерту", "Қолы")
_COLUMNS = ("auto", "auto", "1fr", "auto", "30mm")
_ADDITIONAL_NOTE = "Қосымша отырғызу, хаттама"
_SIGNATURES = ("Министрлік өкілі", "Аудитория кезекшісі")


def seating_sheet_source(
    plan: SeatingPlan,
    *,
    names: Mapping[str, str],
    testing_point: str,
    exam_date: dt.date,
) -> str:
    """Return the typst source of a room's seating sheet.

    Implements UNT-SEAT-1, UNT-SEAT-2.

    Parameters
    ----------
    plan : SeatingPlan
        The sealed seating of the room.
    names : mapping of str to str
        Full name (surname, name, patronymic) by ТЖК; every seated ТЖК needs one.
    testing_point : str
        Code or name of the testing point.
    exam_date : datetime.date
        The exam day printed on the sheet (the domain never reads the clock).

    Returns
    -------
    str
        typst source: one row per seated applicant, ascending seat number;
        additionally seated applicants carry the protocol reference.

    Raises
    ------
    DomainError
        (UNT-SEAT-1) A seated ТЖК has no name, or the testing point is blank.
    """
    if not isinstance(plan, SeatingPlan):
        raise DomainError("UNT-SEAT-1", f"plan must be a SeatingPlan, got {type(plan).__name__}")
    if not isinstance(exam_date, dt.date):
        raise DomainError(
            "UNT-SEAT-1", f"exam_date must be a datetime.date, got {type(exam_date).__name__}"
        )
    if not testing_point.strip():
        raise DomainError("UNT-SEAT-1", "the seating sheet needs the testing point")
    missing = [a.tzhk for a in plan.assignments if not names.get(a.tzhk, "").strip()]
    if missing:
        raise DomainError(
            "UNT-SEAT-1",
            f"room {plan.label}, stream {plan.stream}: no name for ТЖК {', '.join(missing)}",
        )
    rows = [
        (
            str(a.seat),
            a.tzhk,
            names[a.tzhk],
            f"{_ADDITIONAL_NOTE} {a.protocol_ref}" if a.additional else "",
            "",
        )
        for a in sorted(plan.assignments, key=lambda a: a.seat)
    ]
    header = [
        ("ҰБТ өткізу пункті", testing_point),
        ("Күні", exam_date.strftime("%d.%m.%Y")),
        ("Лек", str(plan.stream)),
        ("Аудитория", plan.label),
        ("Тестілеу тілі", _LANGUAGE_NAMES[plan.language]),
        ("Орындар саны", str(plan.seats)),
        ("Отырғызылғандар саны", str(len(rows))),
    ]
    body = [
        facts(header),
        table(_HEADER, rows, columns=_COLUMNS),
        Markup(
            f"#text(size: 8pt)[{escape('Орындарды кездейсоқ бөлу кілтінің SHA-256 коды:')} "
            f'#raw("{plan.seed_commitment}")]'
        ),
        signature_lines(_SIGNATURES),
    ]
    return document(body, title=SEATING_SHEET_TITLE, lang="kk")


def seating_sheet_pdf(
    plan: SeatingPlan,
    *,
    names: Mapping[str, str],
    testing_point: str,
    exam_date: dt.date,
) -> bytes:
    """Return a room's seating sheet as PDF bytes, ordered by seat.

    Implements UNT-SEAT-1, UNT-SEAT-2.

    Parameters
    ----------
    plan, names, testing_point, exam_date
        As for :func:`seating_sheet_source`.

    Returns
    -------
    bytes
        The PDF; the same arguments always give the same bytes.

    Examples
    --------
    >>> plan = SeatingPlan(stream=1, room=1, language="kk", seats=30,
    ...     seed_commitment="0" * 64, assignments=())
    >>> seating_sheet_pdf(plan, names={}, testing_point="031",
    ...     exam_date=dt.date(2026, 6, 20))[:5]
    b'%PDF-'
    """
    source = seating_sheet_source(
        plan, names=names, testing_point=testing_point, exam_date=exam_date
    )
    return compile_pdf(source)
