"""The ҰБТ answer sheet (D-3, UNT-ID-15).

The sources name what the sheet carries but give no sector map (G-3), so the
map is ours. Sector numbers, fixed where the sources fix them (variant = 4,
creative exam = 6) and chosen here otherwise:

====  =======================  ==========================================
  1   ТЖК                      code, 9 digits (D-13)
  2   Аудитория (room)         code, 2 digits (D-13; rooms are 01, 02, ...)
  3   Орын (seat)              code, 3 digits (D-13)
  4   Нұсқа (variant)          code, 4 digits (D-13, UNT-EXAM-10)
  5   Бейіндік пәндер          two 2-digit subject codes from the NTC
                               directory (``profile_subject_1``, ``_2``):
                               a code row fits any subject list, where a
                               choice row would fix it in print
  6   Шығармашылық емтихан     flag: one circle (UNT-EXAM-11)
  7   Тест тілі                choice ``kk`` / ``ru`` (UNT-FORM-14)
  8   Аты-жөні                 handwritten, not read (UNT-ID-8)
 9-13 answer sectors           ``answers_1`` .. ``answers_5``: 25 tasks x A-E
====  =======================  ==========================================

Every sheet carries a printed serial (the ``serial`` bit code, bottom edge):
sheets are pre-allocated to rooms (UNT-ID-1).
"""

from __future__ import annotations

from functools import partial

from omrkit.layout.builder import (
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
    registration_marks,
    serial_code,
    shared_width_mm,
    title_text,
    write_in_field,
)
from omrkit.layout.models import PrintedText, SheetLayout

__all__ = [
    "UBT_ANSWER_CODE",
    "UBT_OPTIONS",
    "UBT_SERVICE_DIGITS",
    "UBT_SUBJECTS",
    "UBT_TASKS",
    "ubt_answer",
]

UBT_ANSWER_CODE = 1
#: D-3: 5 subjects x 25 tasks x 5 options.
UBT_SUBJECTS = 5
UBT_TASKS = 25
UBT_OPTIONS = ("A", "B", "C", "D", "E")
#: Digit count and (caption, sector) of every code sector (D-13), in print order.
UBT_SERVICE_DIGITS = {
    "tzhk": 9,
    "room": 2,
    "seat": 3,
    "variant": 4,
    "profile_subject_1": 2,
    "profile_subject_2": 2,
}
_CODE_CAPTIONS = {
    "tzhk": ("ТЖК", 1),
    "room": ("Аудитория", 2),
    "seat": ("Орын", 3),
    "variant": ("Нұсқа", 4),
    "profile_subject_1": ("Бейіндік пән 1", 5),
    "profile_subject_2": ("Бейіндік пән 2", 5),
}
_CODE_WIDTHS = {
    "room": 23.0,
    "seat": 21.0,
    "variant": 26.0,
    "profile_subject_1": 27.0,
    "profile_subject_2": 27.0,
}

FIRST_ANSWER_SECTOR = 9
NAME_ROW_Y_MM = 25.0
NAME_ROW_H_MM = 20.0
NAME_W_MM = 104.0
LANGUAGE_W_MM = 28.0
CODE_ROW_Y_MM = 47.0
ANSWER_ROW_Y_MM = 114.0
ANSWER_PITCH_Y_MM = 5.5
NOTE_Y_MM = 266.0
SERIAL_X_MM = 45.0


def ubt_answer() -> SheetLayout:
    """The bundled ҰБТ answer sheet: 5 answer sectors x 25 tasks x A-E."""
    marks = registration_marks()
    note = PrintedText(
        x_mm=105.0,
        y_mm=NOTE_Y_MM,
        anchor="center",
        size_pt=7.5,
        text="Дөңгелекшені қара қаламмен толық бояңыз. Әр тапсырмаға бір ғана жауап. "
        "Екі белгі қойылған тапсырма есептелмейді.",
    )
    return assemble_layout(
        "ubt-answer",
        layout_code=UBT_ANSWER_CODE,
        title="ҰБТ жауап парағы",
        marks=marks,
        id_code=layout_id_code(),
        serial=serial_code(x_mm=SERIAL_X_MM, y_mm=marks[2].y_mm),
        blocks=[_name_row(), _code_row(), _answer_row()],
        texts=[title_text("ҰЛТТЫҚ БІРЫҢҒАЙ ТЕСТІЛЕУ  ·  ЖАУАП ПАРАҒЫ"), note],
    )


def _name_row() -> Block:
    """Handwritten name (8), exam language (7) and creative-exam flag (6)."""
    creative_w = CONTENT_RIGHT_MM - CONTENT_LEFT_MM - NAME_W_MM - LANGUAGE_W_MM - 2 * SECTOR_GAP_MM

    def name(x: float) -> Block:
        return write_in_field(
            x_mm=x,
            y_mm=NAME_ROW_Y_MM,
            width_mm=NAME_W_MM,
            height_mm=NAME_ROW_H_MM,
            sector=8,
            label="Тегі, аты, әкесінің аты (баспа әріппен)",
        )

    def language(x: float) -> Block:
        return choice_field(
            "exam_language",
            x_mm=x,
            y_mm=NAME_ROW_Y_MM,
            options=[("kk", "Қазақша"), ("ru", "Орысша")],
            sector=7,
            label="Тест тілі",
            width_mm=LANGUAGE_W_MM,
        )

    def creative(x: float) -> Block:
        return choice_field(
            "creative",
            x_mm=x,
            y_mm=NAME_ROW_Y_MM,
            options=[("yes", "Екі пән тапсырамын")],
            sector=6,
            label="Шығармашылық емтихан",
            width_mm=creative_w,
        )

    return hstack([name, language, creative], x_mm=CONTENT_LEFT_MM)


def _code_row() -> Block:
    """Sectors 1-5: the digit codes, left to right."""
    return code_row(
        UBT_SERVICE_DIGITS,
        _CODE_CAPTIONS,
        x_mm=CONTENT_LEFT_MM,
        y_mm=CODE_ROW_Y_MM,
        widths=_CODE_WIDTHS,
    )


def _answer_row() -> Block:
    """Sectors 9-13: one answer sector per subject, sharing the row equally."""
    width = shared_width_mm(UBT_SUBJECTS)

    def sector(k: int, x: float) -> Block:
        return answer_block(
            f"answers_{k + 1}",
            x_mm=x,
            y_mm=ANSWER_ROW_Y_MM,
            n_questions=UBT_TASKS,
            options=UBT_OPTIONS,
            label=f"{k + 1}-пән",
            sector=FIRST_ANSWER_SECTOR + k,
            width_mm=width,
            pitch_y_mm=ANSWER_PITCH_Y_MM,
        )

    makers = [partial(sector, k) for k in range(UBT_SUBJECTS)]
    return hstack(makers, x_mm=CONTENT_LEFT_MM)
