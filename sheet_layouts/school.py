"""School answer sheets: МАБ grade 4 and 9 (003-I §16) and ОЖСБ (OZH-6, OZH-7).

Both carry the same service rows, captioned in Kazakh and Russian as the
sources quote them, numbered here in the order the sources list them:

====  =====================================  ================================
  1   Тегі — Фамилия                         letter grid, 16 letters
  2   Аты — Имя                              letter grid, 12 letters
  3   Жынысы — Пол                           choice ``male`` / ``female``
  4   Туған жылы — Год рождения              code, last 2 digits (G-10)
  5   Ұлты — Национальность                  code, 2 digits (01 Kazakh, ...)
  6   Мектептің атауы — Название школы       handwritten with the class, not
                                             read (G-9)
  7   Нұсқа — Вариант                        code, 4 digits (D-13)
  8   Қолтаңба — Подпись                     ОЖСБ only, not read
 9..  subject answer sectors                 ``answers_1``, ``answers_2``, ...
====  =====================================  ================================

The sheets carry no serial: identification matches the name, gender, birth
year and nationality against the school's list (D-12). Surname and name
lengths are ours (16 and 12 letters: school pupils' names; longer ones are
cut and matched tolerantly). Grade 9's foreign-language sector has a choice
``foreign_language`` (``en`` / ``de`` / ``fr``) with the sector's number.

ОЖСБ gives no subject or task counts (OZH-34, G-13): :func:`ozhsb_answer`
takes them as parameters; the bundled sheet has 4 subjects (four 30-minute
parts of the 120-minute test, C-22) x 20 tasks x 5 options.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial

from omrkit.errors import LayoutError
from omrkit.layout.builder import (
    BILINGUAL_STYLE,
    CONTENT_LEFT_MM,
    CONTENT_RIGHT_MM,
    SECTOR_GAP_MM,
    Block,
    answer_block,
    assemble_layout,
    choice_field,
    code_row,
    hstack,
    layout_id_code,
    letter_row,
    registration_marks,
    shared_width_mm,
    title_text,
    write_in_field,
)
from omrkit.layout.models import SheetLayout

__all__ = [
    "MAB4_CODE",
    "MAB4_OPTIONS",
    "MAB4_TASKS",
    "MAB9_CODE",
    "MAB9_OPTIONS",
    "MAB9_SUBJECTS",
    "MAB9_TASKS",
    "OPTION_LETTERS",
    "OZHSB_CODE",
    "OZHSB_OPTIONS",
    "OZHSB_SUBJECTS",
    "OZHSB_TASKS",
    "SCHOOL_CHOICES",
    "SCHOOL_DIGITS",
    "SCHOOL_LETTERS",
    "mab_grade4",
    "mab_grade9",
    "ozhsb_answer",
]

MAB4_CODE = 3
MAB9_CODE = 4
OZHSB_CODE = 5
OPTION_LETTERS = ("A", "B", "C", "D", "E")
#: МАБ-S-9, MAB-S-11: grade 4 has one subject of 20 tasks with 4 options.
MAB4_TASKS = 20
MAB4_OPTIONS = 4
#: MAB-S-10, MAB-S-11: grade 9 has three subjects of 30 tasks with 5 options.
MAB9_SUBJECTS = (
    ("answers_1", "Қазақ тілі — Русский язык"),
    ("answers_2", "Шет тілі\nИностранный язык"),
    ("answers_3", "Дүниежүзі тарихы\nВсемирная история"),
)
MAB9_TASKS = 30
MAB9_OPTIONS = 5
FOREIGN_LANGUAGES = (("en", "Ағылшын / Англ."), ("de", "Неміс / Нем."), ("fr", "Француз / Фр."))
OZHSB_SUBJECTS = 4
OZHSB_TASKS = 20
OZHSB_OPTIONS = 5

SCHOOL_LETTERS = {"surname": 16, "name": 12}
SCHOOL_DIGITS = {"birth_year": 2, "nationality": 2, "variant": 4}
#: Choice sectors every school sheet has; grade 9 adds ``foreign_language``.
SCHOOL_CHOICES = {"gender": 2}
_LETTER_CAPTIONS = {"surname": ("Тегі\nФамилия", 1), "name": ("Аты\nИмя", 2)}
_CODE_CAPTIONS = {
    "birth_year": ("Туған жылы\nГод рождения", 4),
    "nationality": ("Ұлты\nНациональность", 5),
    "variant": ("Нұсқа\nВариант", 7),
}
_CODE_WIDTHS = {"birth_year": 22.0, "nationality": 25.5, "variant": 23.0}
CODE_GAP_MM = 1.5
GENDERS = (("male", "Ер / Муж."), ("female", "Әйел / Жен."))

TOP_MM = 25.0
SIDE_X_MM = 122.0
SIDE_CHOICE_Y_MM = 93.0
SCHOOL_BOX_H_MM = 22.0
SIGNATURE_H_MM = 16.0
ANSWER_TOP_MM = 176.5
ANSWER_BOTTOM_MM = 279.0
ANSWER_GAP_MM = 1.25
#: Answer grids tried from the roomiest down to the tightest that still keeps
#: 0.5 mm between 4 mm circles: (horizontal pitch, vertical pitch), mm.
_ANSWER_PITCHES = ((5.0, 5.5), (5.0, 5.0), (4.55, 5.0), (4.55, 4.5))
_ANSWER_RADIUS_MM = 2.0
_NUMBER_MM = 4.5
_COLUMN_GAP_MM = 2.0


def mab_grade4() -> SheetLayout:
    """МАБ grade 4: service rows and one answer sector of 20 tasks x A-D."""
    return _school_sheet(
        "mab-grade4",
        layout_code=MAB4_CODE,
        title="МАБ · 4-СЫНЫП · ЖАУАП ПАРАҒЫ — ЛИСТ ОТВЕТОВ",
        subjects=[("answers_1", "Жауаптар секторы\nСектор ответов")],
        tasks=MAB4_TASKS,
        options=OPTION_LETTERS[:MAB4_OPTIONS],
    )


def mab_grade9() -> SheetLayout:
    """МАБ grade 9: service rows, foreign-language choice, 3 sectors of 30 tasks x A-E."""
    return _school_sheet(
        "mab-grade9",
        layout_code=MAB9_CODE,
        title="МАБ · 9-СЫНЫП · ЖАУАП ПАРАҒЫ — ЛИСТ ОТВЕТОВ",
        subjects=MAB9_SUBJECTS,
        tasks=MAB9_TASKS,
        options=OPTION_LETTERS[:MAB9_OPTIONS],
        foreign_language_sector=10,
    )


def ozhsb_answer(
    *,
    subjects: int = OZHSB_SUBJECTS,
    tasks: int = OZHSB_TASKS,
    options: int = OZHSB_OPTIONS,
    layout_id: str = "ozhsb-answer",
    layout_code: int = OZHSB_CODE,
) -> SheetLayout:
    """An ОЖСБ answer sheet: OZH-6 service rows and ``subjects`` answer sectors.

    Raises
    ------
    LayoutError
        If the answer sectors do not fit on the page, or ``options`` is not 2..5.
    """
    if not 2 <= options <= len(OPTION_LETTERS):
        raise LayoutError(
            f"options must be 2..{len(OPTION_LETTERS)}, got {options}", field="options"
        )
    names = [(f"answers_{k + 1}", f"{k + 1}-пән\nПредмет {k + 1}") for k in range(subjects)]
    return _school_sheet(
        layout_id,
        layout_code=layout_code,
        title="ОЖСБ · ЖАУАП ПАРАҒЫ — ЛИСТ ОТВЕТОВ",
        subjects=names,
        tasks=tasks,
        options=OPTION_LETTERS[:options],
        signature=True,
    )


def _school_sheet(
    layout_id: str,
    *,
    layout_code: int,
    title: str,
    subjects: Sequence[tuple[str, str]],
    tasks: int,
    options: Sequence[str],
    foreign_language_sector: int | None = None,
    signature: bool = False,
) -> SheetLayout:
    blocks = [
        letter_row(
            SCHOOL_LETTERS,
            _LETTER_CAPTIONS,
            x_mm=CONTENT_LEFT_MM,
            y_mm=TOP_MM,
            style=BILINGUAL_STYLE,
        ),
        code_row(
            SCHOOL_DIGITS,
            _CODE_CAPTIONS,
            x_mm=SIDE_X_MM,
            y_mm=TOP_MM,
            gap_mm=CODE_GAP_MM,
            widths=_CODE_WIDTHS,
            style=BILINGUAL_STYLE,
        ),
        _side_column(foreign_language_sector=foreign_language_sector, signature=signature),
        _answer_row(subjects, tasks, options),
    ]
    return assemble_layout(
        layout_id,
        layout_code=layout_code,
        title=title,
        marks=registration_marks(),
        id_code=layout_id_code(),
        blocks=blocks,
        texts=[title_text(title)],
    )


def _side_column(*, foreign_language_sector: int | None, signature: bool) -> Block:
    """Gender (and foreign language) choices, then the handwritten boxes, right column."""
    width = CONTENT_RIGHT_MM - SIDE_X_MM

    def gender(x: float) -> Block:
        return choice_field(
            "gender",
            x_mm=x,
            y_mm=SIDE_CHOICE_Y_MM,
            options=GENDERS,
            label="Жынысы\nПол",
            sector=3,
            style=BILINGUAL_STYLE,
        )

    def foreign_language(x: float) -> Block:
        return choice_field(
            "foreign_language",
            x_mm=x,
            y_mm=SIDE_CHOICE_Y_MM,
            options=FOREIGN_LANGUAGES,
            label="Шет тілі\nИностр. язык",
            sector=foreign_language_sector,
            style=BILINGUAL_STYLE,
        )

    makers = [gender] if foreign_language_sector is None else [gender, foreign_language]
    choices = hstack(makers, x_mm=SIDE_X_MM)
    y = choices.bounds_mm()[3] + SECTOR_GAP_MM
    column = choices + write_in_field(
        x_mm=SIDE_X_MM,
        y_mm=y,
        width_mm=width,
        height_mm=SCHOOL_BOX_H_MM,
        sector=6,
        label="Мектептің атауы, сынып\nНазвание школы, класс",
        style=BILINGUAL_STYLE,
    )
    if signature:
        column += write_in_field(
            x_mm=SIDE_X_MM,
            y_mm=y + SCHOOL_BOX_H_MM + SECTOR_GAP_MM,
            width_mm=width,
            height_mm=SIGNATURE_H_MM,
            sector=8,
            label="Қолтаңба\nПодпись",
            style=BILINGUAL_STYLE,
        )
    return column


def _answer_row(subjects: Sequence[tuple[str, str]], tasks: int, options: Sequence[str]) -> Block:
    """One answer sector per subject, side by side, in the roomiest grid that fits.

    Raises
    ------
    LayoutError
        If even the tightest grid does not fit the subjects across the page.
    """
    style = BILINGUAL_STYLE
    n = len(subjects)
    if n < 1 or tasks < 1:
        raise LayoutError(f"need at least one subject and task, got {n} x {tasks}", field="answers")
    room_w = CONTENT_RIGHT_MM - CONTENT_LEFT_MM
    room_h = ANSWER_BOTTOM_MM - ANSWER_TOP_MM - style.header_mm - 2 * style.pad_mm
    for pitch_x, pitch_y in _ANSWER_PITCHES:
        rows_fit = math.floor(room_h / pitch_y)
        columns = math.ceil(tasks / rows_fit)
        rows = math.ceil(tasks / columns)
        column_w = _NUMBER_MM + len(options) * pitch_x
        width = columns * column_w + (columns - 1) * _COLUMN_GAP_MM + 2 * style.pad_mm
        if n * width + (n - 1) * ANSWER_GAP_MM <= room_w:
            break
    else:
        raise LayoutError(
            f"{n} subjects x {tasks} tasks x {len(options)} options do not fit across {room_w} mm",
            field="answers",
        )
    share = shared_width_mm(n, gap_mm=ANSWER_GAP_MM)

    def sector(k: int, x: float) -> Block:
        field_id, label = subjects[k]
        return answer_block(
            field_id,
            x_mm=x,
            y_mm=ANSWER_TOP_MM,
            n_questions=tasks,
            options=options,
            rows_per_column=rows,
            label=label,
            sector=9 + k,
            radius_mm=_ANSWER_RADIUS_MM,
            pitch_x_mm=pitch_x,
            pitch_y_mm=pitch_y,
            column_gap_mm=_COLUMN_GAP_MM,
            number_mm=_NUMBER_MM,
            width_mm=min(share, 2 * width),
            style=style,
        )

    makers = [partial(sector, k) for k in range(n)]
    return hstack(makers, x_mm=CONTENT_LEFT_MM, gap_mm=ANSWER_GAP_MM)
