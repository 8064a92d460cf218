"""The statement with appeal (UNT-STMT-2) as PDF bytes: computed from the ledger, 2 copies."""

from __future__ import annotations

from collections.abc import Mapping

from ubt_domain.appeals.statement import StatementWithAppeal
from ubt_domain.documents.markup import (
    Markup,
    compile_pdf,
    document,
    escape,
    facts,
    signature_lines,
    subject_names,
    table,
)

__all__ = ["APPEAL_STATEMENT_TITLE", "statement_with_appeal_pdf", "statement_with_appeal_source"]

APPEAL_STATEMENT_TITLE = "Апелляция нәтижелерін ескерген емтихан ведомосы"
_SIGNATURES = (
    "Мемлекеттік комиссия төрағасы",
    "Министрлік өкілі",
    "Апелляциялық комиссия төрағасы",
)


def statement_with_appeal_source(
    statement: StatementWithAppeal, *, testing_point: str, titles: Mapping[str, str]
) -> str:
    """Return the typst source: one line per applicant, points without → with appeal.

    Implements UNT-STMT-2. ``titles`` names every subject field id
    (:meth:`~ubt_domain.scoring.spec.ExamSpec.subject_titles`).

    Raises
    ------
    DomainError
        (UNT-STMT-2) a subject has no title.
    """
    ids = [s.subject for s in statement.lines[0].subjects] if statement.lines else []
    subjects = subject_names(titles, ids, rule="UNT-STMT-2")
    header = ["№", "ТЖК", "Тегі, аты, әкесінің аты", *subjects, "Барлығы"]
    rows = [
        [
            str(i),
            line.tzhk,
            line.name,
            *(
                str(s.with_appeal)
                if s.with_appeal == s.without_appeal
                else f"{s.without_appeal} → {s.with_appeal}"
                for s in line.subjects
            ),
            str(line.total),
        ]
        for i, line in enumerate(statement.lines, start=1)
    ]
    copies = "; ".join(f"{i}-дана: {who}" for i, who in enumerate(statement.copies, start=1))
    body = [
        facts(
            [
                ("ҰБТ өткізу пункті", testing_point),
                ("Лек", str(statement.stream)),
                ("Апелляция жабылды", statement.closed_at.strftime("%d.%m.%Y %H:%M")),
                ("Даналар", copies),
            ]
        ),
        table(header, rows, columns=["auto", "auto", "1fr", *(["auto"] * (len(subjects) + 1))]),
        Markup(
            f"#text(size: 7pt)[{escape('Балл кітабының SHA-256 коды:')} "
            f'#raw("{statement.ledger_head}")]'
        ),
        signature_lines(_SIGNATURES),
    ]
    return document(body, title=APPEAL_STATEMENT_TITLE, lang="kk", landscape=True)


def statement_with_appeal_pdf(
    statement: StatementWithAppeal, *, testing_point: str, titles: Mapping[str, str]
) -> bytes:
    """Return the statement with appeal as PDF bytes (:func:`statement_with_appeal_source`).

    Implements UNT-STMT-2.
    """
    return compile_pdf(
        statement_with_appeal_source(statement, testing_point=testing_point, titles=titles)
    )
