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
                               directory (``profile_1``, ``profile_2``):
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

from omrkit.layout import PrintedText, SheetLayout
from omrkit.layout_builder import (
    Block,
    answer_block,
    assemble_layout,
    choice_field,
    code_grid,
    layout_id_code,
    registration_marks,
    serial_code,
    write_in_field,
)

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
#: Digit count of every code sector (D-13), in print order.
UBT_SERVICE_DIGITS = {"tjk": 9, "room": 2, "seat": 3, "variant": 4, "profile_1": 2, "profile_2": 2}

LEFT_MM = 14.0
RIGHT_MM = 196.0
GAP_MM = 2.0
TITLE_Y_MM = 20.5
NAME_ROW_Y_MM = 25.0
NAME_ROW_H_MM = 20.0
CODE_ROW_Y_MM = 47.0
ANSWER_ROW_Y_MM = 114.0
ANSWER_PITCH_Y_MM = 5.5
NOTE_Y_MM = 266.0
ID_CODE_X_MM = 120.0
SERIAL_X_MM = 45.0
BOTTOM_CODE_Y_MM = 285.0


def ubt_answer() -> SheetLayout:
    """The bundled ҰБТ answer sheet: 5 answer sectors x 25 tasks x A-E."""
    marks = registration_marks()
    top_y = marks[0].y_mm
    blocks = [_name_row(), _code_row(), _answer_row()]
    texts = [
        PrintedText(
            x_mm=105.0,
            y_mm=TITLE_Y_MM,
            text="ҰЛТТЫҚ БІРЫҢҒАЙ ТЕСТІЛЕУ  ·  ЖАУАП ПАРАҒЫ",
            size_pt=11.0,
            bold=True,
            anchor="center",
        ),
        PrintedText(
            x_mm=105.0,
            y_mm=NOTE_Y_MM,
            anchor="center",
            size_pt=7.5,
            text="Дөңгелекшені қара қаламмен толық бояңыз. Әр тапсырмаға бір ғана жауап. "
            "Екі белгі қойылған тапсырма есептелмейді.",
        ),
    ]
    return assemble_layout(
        "ubt-answer",
        layout_code=UBT_ANSWER_CODE,
        title="ҰБТ жауап парағы",
        marks=marks,
        id_code=layout_id_code(x_mm=ID_CODE_X_MM, y_mm=top_y),
        serial=serial_code(x_mm=SERIAL_X_MM, y_mm=BOTTOM_CODE_Y_MM),
        blocks=blocks,
        texts=texts,
    )


def _name_row() -> Block:
    name = write_in_field(
        x_mm=LEFT_MM,
        y_mm=NAME_ROW_Y_MM,
        width_mm=112.0,
        height_mm=NAME_ROW_H_MM,
        sector=8,
        label="Тегі, аты, әкесінің аты (баспа әріппен)",
    )
    language = choice_field(
        "language",
        x_mm=LEFT_MM + 112.0 + GAP_MM,
        y_mm=NAME_ROW_Y_MM,
        options=[("kk", "Қазақша"), ("ru", "Орысша")],
        sector=7,
        label="Тест тілі",
        width_mm=30.0,
    )
    creative_x = LEFT_MM + 112.0 + 30.0 + 2 * GAP_MM
    creative = choice_field(
        "creative",
        x_mm=creative_x,
        y_mm=NAME_ROW_Y_MM,
        options=[("yes", "Екі пән тапсырамын")],
        sector=6,
        label="Шығармашылық емтихан",
        width_mm=RIGHT_MM - creative_x,
    )
    return name + language + creative


def _code_row() -> Block:
    labels = {
        "tjk": ("ТЖК", 1),
        "room": ("Аудитория", 2),
        "seat": ("Орын", 3),
        "variant": ("Нұсқа", 4),
        "profile_1": ("Бейін. пән 1", 5),
        "profile_2": ("Бейін. пән 2", 5),
    }
    widths = {"room": 20.0, "profile_1": 22.0, "profile_2": 22.0}
    row = Block()
    x = LEFT_MM
    for field_id, n_digits in UBT_SERVICE_DIGITS.items():
        label, sector = labels[field_id]
        grid = code_grid(
            field_id,
            x_mm=x,
            y_mm=CODE_ROW_Y_MM,
            n_digits=n_digits,
            label=label,
            sector=sector,
            width_mm=widths.get(field_id),
        )
        row += grid
        x = grid.bounds_mm()[2] + GAP_MM
    return row


def _answer_row() -> Block:
    width = (RIGHT_MM - LEFT_MM - (UBT_SUBJECTS - 1) * GAP_MM) / UBT_SUBJECTS
    row = Block()
    for k in range(UBT_SUBJECTS):
        row += answer_block(
            f"answers_{k + 1}",
            x_mm=LEFT_MM + k * (width + GAP_MM),
            y_mm=ANSWER_ROW_Y_MM,
            n_questions=UBT_TASKS,
            options=UBT_OPTIONS,
            label=f"{k + 1}-пән",
            sector=9 + k,
            width_mm=width,
            pitch_y_mm=ANSWER_PITCH_Y_MM,
        )
    return row
