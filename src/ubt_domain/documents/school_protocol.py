"""The МАБ/ОЖСБ answer-sheet identification protocol of a school, as PDF.

School sheets are scanned school by school and matched to the approved list
(D-12); what cannot be matched goes to the identification protocol, form П-4
of МАБ (MAB-S-21) or appendix 11 of ОЖСБ (OZH-18), for the commission to
identify by hand. The protocol prints, in Kazakh with the sheet's own Russian
captions (the school sheets are bilingual):

* the unresolved sheets in scan order, with what was read from each sector,
  the doubtful sectors in a bold frame, why the sheet was not matched and
  the listed students it might be, and blank columns for the commission;
* the listed students no sheet was matched to, so that the commission can
  pair them with the sheets above;
* the sheets the commission has already identified, once their rows are
  entered (the protocol data entered in the base).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ubt_domain.documents.identification_protocol import REASON_TEXT as UNT_REASON_TEXT
from ubt_domain.documents.markup import (
    Markup,
    compile_pdf,
    document,
    facts,
    framed,
    heading,
    signature_lines,
    table,
)
from ubt_domain.errors import DomainError
from ubt_domain.identification.outcomes import Reason
from ubt_domain.identification.school import (
    ListedStudent,
    MatchReason,
    SchoolIdentification,
    SchoolMatched,
    SchoolUnfilled,
    SchoolUnmatched,
)
from ubt_domain.identification.school_sheets import SchoolSector, SchoolSheetData
from ubt_domain.models import Gender, Programme

__all__ = [
    "SCHOOL_PROTOCOL_TITLE",
    "school_identification_protocol_pdf",
    "school_identification_protocol_source",
]

SCHOOL_PROTOCOL_TITLE = "Жауап парақтарын сәйкестендіру хаттамасы / Протокол идентификации"
NOTHING = "—"
# How a letter position prints: a doubtful one as «?», a blank inside a name as «_».
DOUBTFUL_LETTER = "?"
BLANK_POSITION = "_"
REASON_TEXT: dict[MatchReason, str] = {
    # The same words as the ҰБТ protocol for the same troubles.
    MatchReason.POOR_REGISTRATION: UNT_REASON_TEXT[Reason.POOR_REGISTRATION],
    MatchReason.SECTOR_UNREADABLE: UNT_REASON_TEXT[Reason.SECTOR_UNREADABLE],
    MatchReason.NO_MATCH: "тізімде сәйкес оқушы жоқ",
    MatchReason.TIE: "тізімде бірнеше сәйкес оқушы бар",
    MatchReason.DUPLICATE: "бір оқушыға екі жауап парағы сәйкес келді",
    MatchReason.NEEDS_CONFIRMATION: "бір белгі айырмашылығымен сәйкес келді: растау керек",
}
GENDER_TEXT = {Gender.MALE: "Ер / Муж.", Gender.FEMALE: "Әйел / Жен."}
PROGRAMME_TEXT = {Programme.MAB: "МАБ", Programme.OZHSB: "ОЖСБ"}
FORM_TEXT = {Programme.MAB: "П-4 нысаны / Форма П-4", Programme.OZHSB: "11-қосымша / Приложение 11"}
SIGNATURES = {
    Programme.MAB: ("Министрлік өкілі / Представитель Министерства", "ҰБТӨП инженері / Инженер"),
    Programme.OZHSB: (
        "Базалық ҰБТӨП басшысы / Руководитель базового ППЕНТ",
        "Министрлік өкілі / Представитель Министерства",
        "БСБД өкілі / Представитель ДКОН",
    ),
}
_RULE = {Programme.MAB: "MAB-S-21", Programme.OZHSB: "OZH-18"}
_SHEET_ID_SHOWN = 12  # leading characters of a sheet id, enough to find the scan
_UNRESOLVED_HEADER = (
    "№",
    "Жауап парағы / Лист ответов",
    "Тегі, аты / Фамилия, имя",
    "Жынысы / Пол",
    "Туған жылы / Год рождения",
    "Ұлты / Национальность",
    "Нұсқа / Вариант",
    "Себебі / Причина",
    "Мүмкін оқушылар / Возможные ученики",
    "Оқушы (тізім бойынша) / Ученик по списку",
    "Кітапшадағы нұсқа / Вариант в буклете",
)
_COMMISSION_COLUMNS = 2  # the student the commission names, the variant from the booklet
# Fixed widths for the read sectors (auto tracks would take the whole page for their
# captions); reasons and candidates share the rest; the commission writes in wide cells.
_UNRESOLVED_TRACKS = (
    "7mm", "24mm", "30mm", "17mm", "17mm", "26mm", "16mm", "1fr", "1.4fr", "30mm", "23mm",
)  # fmt: skip
# The protocol's tables are wide: a smaller type keeps a row of them on one landscape page.
TABLE_FONT_SIZE_PT = 8.0
_ABSENT_HEADER = (
    "№",
    "Оқушы коды / Код ученика",
    "Тегі, аты / Фамилия, имя",
    "Сынып / Класс",
    "Жынысы / Пол",
    "Туған жылы / Год рождения",
    "Ұлты / Национальность",
    "Жауап парағының № / № листа ответов",
)
_MANUAL_HEADER = ("№", "Жауап парағы / Лист ответов", "Оқушы / Ученик", "Нұсқа / Вариант")


def school_identification_protocol_source(
    state: SchoolIdentification, *, testing_point: str, exam_date: date
) -> str:
    """The typst source of :func:`school_identification_protocol_pdf` (for inspection).

    Implements MAB-S-21, OZH-18.
    """
    if not isinstance(state, SchoolIdentification):
        raise DomainError("D-12", f"expected a SchoolIdentification, got {type(state).__name__}")
    rule = _RULE[state.programme]  # identify_school admits no other programme
    if not testing_point.strip():
        raise DomainError(rule, "testing_point must name the ҰБТӨП printing the protocol")
    if not isinstance(exam_date, date):
        raise DomainError(rule, f"exam_date must be a date, got {type(exam_date).__name__}")
    position = {sheet.sheet_id: line for line, sheet in enumerate(state.sheets, start=1)}
    sheets = {sheet.sheet_id: sheet for sheet in state.sheets}
    students = {student.student_id: student for student in state.students}
    unresolved = [_unresolved_cells(o, position, sheets, students) for o in state.unmatched]
    body: list[str] = [
        _header(state, testing_point, exam_date),
        heading("Сәйкестендірілмеген жауап парақтары / Неидентифицированные листы", level=2),
        f"{DOUBTFUL_LETTER}: әріп оқылмады / буква не прочитана. "
        "Оқылмаған секторлар қалың жақтаумен қоршалған.",
        _table(_UNRESOLVED_HEADER, unresolved, tracks=_UNRESOLVED_TRACKS),
        heading("Жауап парағы табылмаған оқушылар / Ученики без листа ответов", level=2),
        _table(_ABSENT_HEADER, [_absent_cells(k, s) for k, s in enumerate(state.absent, 1)]),
    ]
    manual = [o for o in state.matched if o.manual]
    if manual:
        body += [
            heading("Комиссия сәйкестендірген / Идентифицированы комиссией", level=2),
            _table(_MANUAL_HEADER, [_manual_cells(o, position, students) for o in manual]),
        ]
    body.append(signature_lines(SIGNATURES[state.programme]))
    return document(body, title=SCHOOL_PROTOCOL_TITLE, landscape=True)


def school_identification_protocol_pdf(
    state: SchoolIdentification, *, testing_point: str, exam_date: date
) -> bytes:
    """Print a school's МАБ/ОЖСБ answer-sheet identification protocol (П-4, appx 11).

    Implements MAB-S-21, OZH-18.

    Parameters
    ----------
    state : SchoolIdentification
        The school's identification, from ``identify_school`` and, once the
        commission's rows are entered, ``apply_school_rows``.
    testing_point : str
        The ҰБТӨП (for ОЖСБ the base ҰБТӨП) printing the protocol.
    exam_date : datetime.date
        The testing day (data, never the clock).

    Returns
    -------
    bytes
        A landscape A4 PDF: the unresolved sheets with their candidates, the
        listed students without a sheet, the sheets identified by the
        commission, and signature lines. The same state always gives the
        same bytes.

    Raises
    ------
    DomainError
        (``MAB-S-21`` or ``OZH-18``) when the testing point is blank or the
        date is not a date; (``D-12``) when ``state`` is not a school's
        identification.

    Notes
    -----
    School sheets carry no serial number (C-15), so a sheet is found in the
    stack by its scan position, printed in the first column, and by the
    leading characters of its reading's id.

    Examples
    --------
    >>> from ubt_domain.identification.school import identify_school
    >>> state = identify_school([], [], school="560001", programme=Programme.MAB)
    >>> school_identification_protocol_pdf(
    ...     state, testing_point="031", exam_date=date(2026, 5, 12))[:5]
    b'%PDF-'
    """
    source = school_identification_protocol_source(
        state, testing_point=testing_point, exam_date=exam_date
    )
    return compile_pdf(source)


def _header(state: SchoolIdentification, testing_point: str, exam_date: date) -> Markup:
    unfilled = sum(isinstance(o, SchoolUnfilled) for o in state.outcomes)
    manual = sum(o.manual for o in state.matched)
    pairs = (
        (
            "Бағалау / Оценивание",
            f"{PROGRAMME_TEXT[state.programme]}, {FORM_TEXT[state.programme]}",
        ),
        ("ҰБТӨП / ППЕНТ", testing_point),
        ("Күні / Дата", f"{exam_date:%d.%m.%Y}"),
        ("Мектеп / Школа", state.school),
        ("Сканерленген парақтар / Отсканировано листов", str(len(state.sheets))),
        ("Автоматты сәйкестендірілген / Автоматически", str(len(state.matched) - manual)),
        ("Комиссия сәйкестендірген / Комиссией", str(manual)),
        ("Хаттамада / В протоколе", str(len(state.unmatched))),
        ("Толтырылмаған / Незаполненные", str(unfilled)),
    )
    return facts(pairs)


def _table(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, tracks: Sequence[str] | None = None
) -> str:
    if not rows:
        return "Жоқ / Нет."
    ruled = table(header, rows, columns=tracks)
    return Markup(f"#[#set text(size: {TABLE_FONT_SIZE_PT}pt)\n{ruled}]")


def _unresolved_cells(
    outcome: SchoolUnmatched,
    position: dict[str, int],
    sheets: dict[str, SchoolSheetData],
    students: dict[str, ListedStudent],
) -> list[str]:
    sheet = sheets[outcome.sheet_id]

    def read(sector: SchoolSector, value: str) -> str:
        return framed(value) if sector in sheet.unsure else value

    candidates = [_student_text(students[sid]) for sid in outcome.candidates]
    return [
        str(position[sheet.sheet_id]),
        sheet.sheet_id[:_SHEET_ID_SHOWN],
        f"{_letters(sheet.surname)}\n{_letters(sheet.name)}",
        read(SchoolSector.GENDER, GENDER_TEXT[sheet.gender] if sheet.gender else NOTHING),
        read(SchoolSector.BIRTH_YEAR, sheet.birth_year or NOTHING),
        read(SchoolSector.NATIONALITY, sheet.nationality or NOTHING),
        read(SchoolSector.VARIANT, sheet.variant or NOTHING),
        "; ".join(REASON_TEXT[r] for r in outcome.reasons),
        "\n".join(candidates) if candidates else NOTHING,
        *[""] * _COMMISSION_COLUMNS,
    ]


def _absent_cells(line: int, student: ListedStudent) -> list[str]:
    return [
        str(line),
        student.student_id,
        f"{student.surname} {student.name}",
        student.class_name or NOTHING,
        GENDER_TEXT[student.gender],
        str(student.birth_year),
        student.nationality,
        "",
    ]


def _manual_cells(
    outcome: SchoolMatched, position: dict[str, int], students: dict[str, ListedStudent]
) -> list[str]:
    return [
        str(position[outcome.sheet_id]),
        outcome.sheet_id[:_SHEET_ID_SHOWN],
        _student_text(students[outcome.student_id]),
        outcome.variant,
    ]


def _student_text(student: ListedStudent) -> str:
    school_class = f", {student.class_name}" if student.class_name else ""
    return f"{student.student_id}: {student.surname} {student.name}{school_class}"


def _letters(read: Sequence[str | None]) -> str:
    """The painted letters as read; trailing blank positions are the unused grid."""
    shown = "".join(DOUBTFUL_LETTER if c is None else c or BLANK_POSITION for c in read)
    return shown.rstrip(BLANK_POSITION) or NOTHING
