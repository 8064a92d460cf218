"""The exam statements as PDF: ҰБТ without appeal, МАБ/ОЖСБ per school, university lists.

Each takes the frame :mod:`ubt_domain.statements` built and prints it with
Kazakh and Russian headings, once per copy with the copy's recipient
(UNT-STMT-1: 4 copies; MAB-S-22, OZH-19: 4 copies), and signature lines.
The same frame always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from ubt_domain.documents.markup import (
    compile_pdf,
    document,
    facts,
    heading,
    signature_lines,
    table,
)
from ubt_domain.documents.printed_copies import in_copies, small, text_rows
from ubt_domain.errors import DomainError
from ubt_domain.models import Programme
from ubt_domain.scoring.candidates import Exclusion, ExclusionReason
from ubt_domain.scoring.spec import ExamSpec
from ubt_domain.statements.copies import SCHOOL_STATEMENT_COPIES, UNT_STATEMENT_COPIES

__all__ = [
    "SCHOOL_STATEMENT_TITLE",
    "UNIVERSITY_LIST_TITLE",
    "UNT_STATEMENT_TITLE",
    "school_statement_pdf",
    "university_exam_lists_pdf",
    "unt_statement_pdf",
]

UNT_STATEMENT_TITLE = (
    "ҰБТ емтихан ведомосы (апелляцияны есепке алмағанда) / "
    "Экзаменационная ведомость ЕНТ (без учёта апелляции)"
)
SCHOOL_STATEMENT_TITLE = "Тестілеудің емтихан ведомосы / Экзаменационная ведомость тестирования"
UNIVERSITY_LIST_TITLE = "МАБ емтихан тізімдемесі / Экзаменационная ведомость ПГК"
EXCLUDED_HEADING = "Нәтижесі өңделмейтіндер / Результаты не обрабатываются"
REASON_TEXT = {
    ExclusionReason.REMOVED: "шығарылды / удалён",
    ExclusionReason.MATERIALS_NOT_HANDED_IN: "материалдарды тапсырмады / не сдал материалы",
    ExclusionReason.OUTSIDER: "бөгде адам / постороннее лицо",
}
_PROGRAMME = {Programme.MAB: "МАБ / ПГК", Programme.OZHSB: "ОЖСБ / ВОУД"}
_UNT_SIGNATURES = (
    "Мемлекеттік комиссия төрағасы / Председатель государственной комиссии",
    "Министрлік өкілі / Представитель Министерства",
)
_SCHOOL_SIGNATURES = (
    "ҰБТӨП басшысы / Руководитель ППЕНТ",
    "Министрлік өкілі / Представитель Министерства",
    "БСБД өкілі / Представитель ДКОН",
)
_UNIVERSITY_SIGNATURES = ("Мемлекеттік комиссия төрағасы / Председатель государственной комиссии",)


def _need(text: str, what: str, rule: str) -> None:
    if not text.strip():
        raise DomainError(rule, f"{what} must be given")


def unt_statement_pdf(
    statement: pl.DataFrame,
    *,
    spec: ExamSpec,
    stream: int,
    testing_point: str,
    exam_date: date,
    excluded: Sequence[Exclusion] = (),
) -> bytes:
    """Print the ҰБТ statement without appeal, in 4 copies with their recipients.

    Implements UNT-STMT-1, UNT-STMT-3, UNT-STMT-4.

    Parameters
    ----------
    statement : polars.DataFrame
        From ``unt_statement``.
    spec : ExamSpec
        Its subjects name the columns.
    stream : int
    testing_point : str
    exam_date : datetime.date
    excluded : sequence of Exclusion
        Applicants whose work is not processed, listed apart.

    Returns
    -------
    bytes
        The PDF.
    """
    _need(testing_point, "testing_point", "UNT-STMT-1")
    subjects = [s.field_id for s in spec.subjects]
    header = [
        "№",
        "Аудитория",
        "Орын / Место",
        "ТЖК",
        "Аты-жөні / ФИО",
        "Нұсқа / Вариант",
        *spec.subject_titles().values(),
        "Барлығы / Итого",
    ]
    columns = ["room", "seat", "tzhk", "full_name", "variant", *subjects, "total"]
    blocks: list[str] = [
        facts(
            (
                ("ҰБТӨП / ППЕНТ", testing_point),
                ("Күні / Дата", f"{exam_date:%d.%m.%Y}"),
                ("Лек / Поток", str(stream)),
                ("Тестіленушілер / Тестируемых", str(statement.height)),
            )
        ),
        small(table(header, text_rows(statement, columns))),
    ]
    if excluded:
        blocks += [
            heading(EXCLUDED_HEADING, level=2),
            table(
                ["ТЖК", "Себебі / Причина", "Акт"],
                [[e.candidate, REASON_TEXT[e.reason], e.act] for e in excluded],
            ),
        ]
    blocks.append(signature_lines(_UNT_SIGNATURES))
    source = document(
        in_copies(UNT_STATEMENT_COPIES, blocks), title=UNT_STATEMENT_TITLE, landscape=True
    )
    return compile_pdf(source)


def school_statement_pdf(
    statement: pl.DataFrame,
    summary: pl.DataFrame,
    *,
    spec: ExamSpec,
    school: str,
    testing_point: str,
    exam_date: date,
) -> bytes:
    """Print a school's МАБ or ОЖСБ statement in 4 copies with their recipients.

    Implements MAB-S-22, OZH-19, OZH-33, MAB-S-29.

    Parameters
    ----------
    statement, summary : polars.DataFrame
        From ``school_statement`` and ``school_summary``.
    spec : ExamSpec
    school, testing_point : str
    exam_date : datetime.date
    """
    rule = "MAB-S-22" if spec.programme is Programme.MAB else "OZH-19"
    _need(school, "school", rule)
    _need(testing_point, "testing_point", rule)
    subjects = [s.field_id for s in spec.subjects]
    header = [
        "№",
        "Тегі / Фамилия",
        "Аты / Имя",
        "Сынып / Класс",
        "Нұсқа / Вариант",
        *spec.subject_titles().values(),
        "Барлығы / Итого",
        "Игерді / Усвоил",
    ]
    columns = ["surname", "name", "class_name", "variant", *subjects, "total", "mastered"]
    line = summary.row(0, named=True)
    blocks = [
        facts(
            (
                ("Бағалау / Оценивание", _PROGRAMME[spec.programme]),
                ("Мектеп / Школа", school),
                ("ҰБТӨП / ППЕНТ", testing_point),
                ("Күні / Дата", f"{exam_date:%d.%m.%Y}"),
                ("Тізімде / По списку", str(line["listed"])),
                ("Қатысты / Участвовали", str(line["sat"])),
                (
                    "Игермеді / Не усвоили",
                    f"{line['not_mastered']} ({line['not_mastered_percent']:.1f} %)",
                ),
            )
        ),
        small(table(header, text_rows(statement, columns))),
        signature_lines(_SCHOOL_SIGNATURES),
    ]
    source = document(
        in_copies(SCHOOL_STATEMENT_COPIES, blocks), title=SCHOOL_STATEMENT_TITLE, landscape=True
    )
    return compile_pdf(source)


def university_exam_lists_pdf(
    lists: pl.DataFrame, summary: pl.DataFrame, *, organisation: str, exam_date: date
) -> bytes:
    """Print the university МАБ exam lists, one section per group.

    Implements MAB-U-11, MAB-U-13, MAB-U-12.

    Parameters
    ----------
    lists, summary : polars.DataFrame
        From ``university_exam_lists`` and ``organisation_summary``.
    organisation : str
    exam_date : datetime.date
    """
    _need(organisation, "organisation", "MAB-U-11")
    line = summary.row(0, named=True)
    blocks: list[str] = [
        facts(
            (
                ("Білім беру ұйымы / Организация образования", organisation),
                ("Күні / Дата", f"{exam_date:%d.%m.%Y}"),
                ("Тізімде / По списку", str(line["rostered"])),
                (
                    "Қатысты / Участвовали",
                    f"{line['present']} ({line['attendance_percent']:.1f} %)",
                ),
            )
        )
    ]
    header = ["№", "Аты-жөні / ФИО", "Мамандық / Специальность", "Балл", "Нәтиже / Результат"]
    for (group,), rows in lists.group_by("group", maintain_order=True):
        blocks += [
            heading(f"Топ / Группа {group}", level=2),
            table(header, text_rows(rows, ["full_name", "specialty", "points", "status"])),
        ]
    blocks.append(signature_lines(_UNIVERSITY_SIGNATURES))
    return compile_pdf(document(blocks, title=UNIVERSITY_LIST_TITLE))
