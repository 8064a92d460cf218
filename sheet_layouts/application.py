"""The ҰБТ application form, sectors 1-18 (UNT-FORM-3 .. UNT-FORM-17).

Decisions where the sources leave the form open (G-5, D-13):

- Name grids: surname 20 letters (sector 1), name 15 (sector 2), patronymic
  15 (sector 3), over the 40-letter Kazakh alphabet without Ё and Ъ. Longer
  names go to the change journal (UNT-FORM-23). To fit all three grids on A4
  the letter circles are 2.8 mm across (radius 1.4 mm) on a 3.4 x 3.35 mm grid.
- Code lengths: ТЖК 9, ИИН 12, citizenship 3, nationality 3, region 2,
  institution 6 digits.
- Sector 8 (institution type) choices: ``school``, ``vocational`` (lyceum),
  ``college`` (UNT-FORM-10).
- Sectors 14-16 are one-circle flags filled by the technical secretary:
  14 «Өзгертілді» (``changed``, §105), 15 «Жойылды» (``deleted``, §104(3)),
  16 «Бүлінген» (``damaged``: a spoiled form replaced by a new one, filed with
  the deleted ones, §101(4)).
- Sector 13 (History of Kazakhstan language, UNT-FORM-15): ``kk`` / ``ru``.
- Sectors 17 and 18 are signature boxes, never read.
"""

from __future__ import annotations

from functools import partial

from omrkit.layout.builder import (
    CONTENT_LEFT_MM,
    Block,
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
    "APPLICATION_CHOICES",
    "APPLICATION_CODE",
    "APPLICATION_DIGITS",
    "APPLICATION_LETTERS",
    "ubt_application",
]

APPLICATION_CODE = 2
#: Letter positions of the name grids, sectors 1-3.
APPLICATION_LETTERS = {"surname": 20, "name": 15, "patronymic": 15}
#: Digit positions of the code sectors (D-13), in print order.
APPLICATION_DIGITS = {
    "tzhk": 9,
    "iin": 12,
    "citizenship": 3,
    "nationality": 3,
    "region": 2,
    "institution_code": 6,
}
#: Choice sectors: field id -> (sector, caption, ((symbol, option caption), ...)).
APPLICATION_CHOICES: dict[str, tuple[int, str, tuple[tuple[str, str], ...]]] = {
    "institution_type": (
        8,
        "Оқу орнының түрі",
        (("school", "Жалпы орта мектеп"), ("vocational", "Кәсіптік лицей"), ("college", "Колледж")),
    ),
    "gender": (11, "Жынысы", (("male", "Ер"), ("female", "Әйел"))),
    "exam_language": (12, "Тест тілі", (("kk", "Қазақша"), ("ru", "Орысша"), ("en", "Ағылшынша"))),
    "history_language": (13, "Қаз. тарихы тілі", (("kk", "Қазақша"), ("ru", "Орысша"))),
    "changed": (14, "Өзгерту", (("yes", "Өзгертілді"),)),
    "deleted": (15, "Жою", (("yes", "Жойылды"),)),
    "damaged": (16, "Бүлінген", (("yes", "Бүлінген"),)),
}
_LETTER_CAPTIONS = {
    "surname": ("Тегі", 1),
    "name": ("Аты", 2),
    "patronymic": ("Әкесінің аты", 3),
}
_CODE_CAPTIONS = {
    "tzhk": ("ТЖК", 4),
    "iin": ("ЖСН (ИИН)", 5),
    "citizenship": ("Азаматтығы", 6),
    "nationality": ("Ұлты", 7),
    "region": ("Облыс", 9),
    "institution_code": ("Оқу орны коды", 10),
}
_CODE_WIDTHS = {"citizenship": 21.0, "nationality": 15.0, "region": 16.0}

LETTER_ROW_Y_MM = 25.0
LETTER_PITCH_X_MM = 3.4
CODE_ROW_Y_MM = 175.0
CODE_RADIUS_MM = 1.6
CODE_PITCH_MM = 4.0
CHOICE_ROW_Y_MM = 231.0
CHOICE_RADIUS_MM = 1.6
CHOICE_PITCH_MM = 4.5
SIGNATURE_Y_MM = 259.0
SIGNATURE_H_MM = 17.0


def ubt_application() -> SheetLayout:
    """The bundled ҰБТ application form, sectors 1-18 on one A4 page."""
    return assemble_layout(
        "ubt-application",
        layout_code=APPLICATION_CODE,
        title="ҰБТ-ға қатысуға өтініш",
        marks=registration_marks(),
        id_code=layout_id_code(),
        blocks=[_letter_row(), _code_row(), _choice_row(), _signature_row()],
        texts=[title_text("ҰЛТТЫҚ БІРЫҢҒАЙ ТЕСТІЛЕУГЕ ҚАТЫСУҒА ӨТІНІШ")],
    )


def _letter_row() -> Block:
    return letter_row(
        APPLICATION_LETTERS,
        _LETTER_CAPTIONS,
        x_mm=CONTENT_LEFT_MM,
        y_mm=LETTER_ROW_Y_MM,
        pitch_x_mm=LETTER_PITCH_X_MM,
    )


def _code_row() -> Block:
    return code_row(
        APPLICATION_DIGITS,
        _CODE_CAPTIONS,
        x_mm=CONTENT_LEFT_MM,
        y_mm=CODE_ROW_Y_MM,
        widths=_CODE_WIDTHS,
        radius_mm=CODE_RADIUS_MM,
        pitch_x_mm=CODE_PITCH_MM,
        pitch_y_mm=CODE_PITCH_MM,
    )


def _choice_row() -> Block:
    def choice(field_id: str, x: float) -> Block:
        sector, label, options = APPLICATION_CHOICES[field_id]
        return choice_field(
            field_id,
            x_mm=x,
            y_mm=CHOICE_ROW_Y_MM,
            options=options,
            label=label,
            sector=sector,
            radius_mm=CHOICE_RADIUS_MM,
            pitch_mm=CHOICE_PITCH_MM,
        )

    makers = [partial(choice, f) for f in APPLICATION_CHOICES]
    return hstack(makers, x_mm=CONTENT_LEFT_MM)


def _signature_row() -> Block:
    """Sectors 17 and 18, the secretary's and the applicant's signatures, sharing the row."""
    width = shared_width_mm(2)

    def signature(sector: int, label: str, x: float) -> Block:
        return write_in_field(
            x_mm=x,
            y_mm=SIGNATURE_Y_MM,
            width_mm=width,
            height_mm=SIGNATURE_H_MM,
            sector=sector,
            label=label,
        )

    makers = [
        partial(signature, 17, "Техникалық хатшының қолы"),
        partial(signature, 18, "Талапкердің қолы"),
    ]
    return hstack(makers, x_mm=CONTENT_LEFT_MM)
