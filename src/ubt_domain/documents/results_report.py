"""The posted answer key and the statistics summary, as PDF.

The key printout (UNT-KEY-6) is printed in 2 copies, one posted for
everyone and one for the appeal commission: per variant and subject the
correct option of each task. The statistics summary prints the daily (or
final) figures per unit and the per-subject results that NTC collects
(UNT-STAT-2, UNT-STAT-3, OZH-32, MAB-S-23).
"""

from __future__ import annotations

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
from ubt_domain.key.printout import KeyPrintout

__all__ = ["KEY_PRINTOUT_TITLE", "STATISTICS_TITLE", "key_printout_pdf", "statistics_pdf"]

KEY_PRINTOUT_TITLE = "Дұрыс жауаптар коды / Коды правильных ответов"
STATISTICS_TITLE = "Статистикалық мәліметтер / Статистические данные"
_KEY_SIGNATURES = ("Министрлік өкілі / Представитель Министерства", "Программист")
_UNIT_HEADER = [
    "№",
    "Бірлік / Единица",
    "Тіркелген / Зарегистр.",
    "Қатысты / Участв.",
    "Келмеді / Неявка",
    "Шеттетілді / Удалены",
    "Орта балл / Средний балл",
    "Ең төмен / Мин.",
    "Ең жоғары / Макс.",
]
_UNIT_COLUMNS = [
    "unit",
    "registered",
    "sat",
    "absent",
    "excluded",
    "points_mean",
    "points_min",
    "points_max",
]


def key_printout_pdf(
    printout: KeyPrintout, *, testing_point: str, exam_date: date, stream: int | None = None
) -> bytes:
    """Print the opened key in its 2 copies (posted; appeal commission).

    Implements UNT-KEY-6, UNT-KEY-7.
    """
    if not testing_point.strip():
        raise DomainError("UNT-KEY-6", "testing_point must be given")
    header = ["Нұсқа / Вариант", "Пән / Предмет", "Жауаптар / Ответы (1, 2, 3 …)"]
    rows = [[line.variant, line.subject, " ".join(line.answers)] for line in printout.lines]
    details = [
        ("Емтихан / Экзамен", printout.exam),
        ("ҰБТӨП / ППЕНТ", testing_point),
        ("Күні / Дата", f"{exam_date:%d.%m.%Y}"),
    ]
    if stream is not None:
        details.append(("Лек / Поток", str(stream)))
    blocks = [
        facts(details),
        small(table(header, rows, columns=["auto", "auto", "1fr"])),
        signature_lines(_KEY_SIGNATURES),
    ]
    return compile_pdf(document(in_copies(printout.copies, blocks), title=KEY_PRINTOUT_TITLE))


def statistics_pdf(
    units: pl.DataFrame, subjects: pl.DataFrame, *, testing_point: str, period: str
) -> bytes:
    """Print the statistics summary: figures per unit, then results per subject.

    Implements UNT-STAT-2, UNT-STAT-3, OZH-32, MAB-S-23.

    Parameters
    ----------
    units : polars.DataFrame
        ``daily_statistics`` or ``final_statistics``.
    subjects : polars.DataFrame
        ``subject_statistics``; only the subjects' own rows are printed.
    testing_point : str
    period : str
        What the figures cover («20.06.2026, 1-лек», «қорытынды / итоговые»).
    """
    if not testing_point.strip() or not period.strip():
        raise DomainError("UNT-STAT-2", "testing_point and period must be given")
    per_subject = subjects.filter(pl.col("task").is_null()).with_columns(
        correct_percent=pl.col("correct_share") * 100
    )
    blocks = [
        facts((("ҰБТӨП / ППЕНТ", testing_point), ("Кезең / Период", period))),
        heading("Қатысушылар / Участники", level=2),
        small(table(_UNIT_HEADER, text_rows(units, _UNIT_COLUMNS))),
        heading("Пәндер бойынша / По предметам", level=2),
        table(
            [
                "№",
                "Пән / Предмет",
                "Қатысты / Участв.",
                "Дұрыс, % / Верно, %",
                "Орта балл / Средний балл",
            ],
            text_rows(per_subject, ["subject", "sat", "correct_percent", "points_mean"]),
        ),
    ]
    return compile_pdf(document(blocks, title=STATISTICS_TITLE))
