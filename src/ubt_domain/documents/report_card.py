"""The student's quarter report card (EJ-8) as PDF bytes, for the director's signature and seal."""

from __future__ import annotations

from ubt_domain.documents.markup import compile_pdf, document, facts, signature_lines, table
from ubt_domain.gradebook.report_card import ReportCard

__all__ = ["REPORT_CARD_TITLE", "report_card_pdf", "report_card_source"]

REPORT_CARD_TITLE = "Білім алушының үлгерім табелі"


def report_card_source(card: ReportCard) -> str:
    """Return typst source of the report card.

    Implements EJ-8.
    """
    rows = [
        (
            r.subject,
            ", ".join(str(g) for g in r.unit_summatives) or "—",
            "—" if r.quarter_summative is None else str(r.quarter_summative),
            "—" if r.quarter_final is None else str(r.quarter_final),
        )
        for r in card.rows
    ]
    body = [
        facts(
            [
                ("Білім беру ұйымы", card.school),
                ("Білім алушы", card.student_name),
                ("Сынып", str(card.grade_level)),
                ("Тоқсан", str(card.quarter.number)),
                ("Жүйеден алынды", card.exported_on.strftime("%d.%m.%Y")),
            ]
        ),
        table(("Пән", "БЖБ", "ТЖБ", "Тоқсандық баға"), rows),
        signature_lines((f"Директор {card.director}", "М.О. (ұйымның мөрі)")),
    ]
    return document(body, title=REPORT_CARD_TITLE, lang="kk")


def report_card_pdf(card: ReportCard) -> bytes:
    """Return the report card as PDF bytes.

    Implements EJ-8.
    """
    return compile_pdf(report_card_source(card))
