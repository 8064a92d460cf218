"""Build МАБ/ОЖСБ school sheets and approved-list students by hand, for domain tests.

Student ``i`` of :data:`SURNAMES`/:data:`NAMES` is listed by :func:`student`
and fills :func:`school_sheet` correctly unless told otherwise; odd ``i`` are
girls. Every student was born in 2011 and has nationality ``01``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from omrkit.layout.models import FieldKind
from omrkit.sheet_layouts.school import MAB4_TASKS, SCHOOL_DIGITS, SCHOOL_LETTERS
from omrkit.types import SheetReading
from tests.ubt_domain.readings import sheet_reading
from ubt_domain.identification.school import ListedStudent, SchoolIdentification, identify_school
from ubt_domain.identification.school_sheets import SchoolSheetData, school_sheet_data
from ubt_domain.models import Gender, Programme

__all__ = [
    "NAMES",
    "SCHOOL",
    "SCHOOL_KINDS",
    "SCHOOL_POSITIONS",
    "SURNAMES",
    "identify",
    "school_reading",
    "school_sheet",
    "student",
]

SCHOOL_KINDS = {
    "surname": FieldKind.TEXT,
    "name": FieldKind.TEXT,
    "gender": FieldKind.CHOICE,
    "birth_year": FieldKind.CODE,
    "nationality": FieldKind.CODE,
    "variant": FieldKind.CODE,
    "answers_1": FieldKind.ANSWERS,
}
SCHOOL_POSITIONS = SCHOOL_LETTERS | SCHOOL_DIGITS
SURNAMES = ("АХМЕТОВ", "БЕКОВА", "ЖАНҰЗАҚ", "ҚАСЫМОВА", "НҰРЛАНОВ", "СЕЙІТОВА", "ТЕМІРХАН")
NAMES = ("АСҚАР", "ДАНА", "ЕРЛАН", "ӘЙГЕРІМ", "МАРАТ", "ЖАНАР", "БОЛАТ")
SCHOOL = "560001"


def student(i: int, **over: object) -> ListedStudent:
    """Student ``i`` as the school's approved list holds them, with fields overridden."""
    data: dict[str, object] = {
        "student_id": f"s{i}",
        "surname": SURNAMES[i].capitalize(),
        "name": NAMES[i].capitalize(),
        "gender": Gender.FEMALE if i % 2 else Gender.MALE,
        "birth_year": 2011,
        "nationality": "01",
        "class_name": "4 «А»",
    }
    return ListedStudent.model_validate(data | over)


def school_reading(
    surname: str,
    name: str,
    *,
    gender: str | None = "male",
    birth_year: str = "11",
    nationality: str = "01",
    variant: str = "0001",
    review: dict[str, Collection[int]] | None = None,
    tag: str = "",
) -> SheetReading:
    """A ``mab-grade4`` reading of the given service sectors; ``tag`` varies the sheet id."""
    values = {
        "surname": surname,
        "name": name,
        "gender": gender,
        "birth_year": birth_year,
        "nationality": nationality,
        "variant": variant,
        "answers_1": ["A"] + [None] * (MAB4_TASKS - 1),
    }
    return sheet_reading(
        values,
        layout_id="mab-grade4",
        kinds=SCHOOL_KINDS,
        positions=SCHOOL_POSITIONS,
        review=review,
        sheet_id="|".join((surname, name, str(gender), birth_year, nationality, variant, tag)),
    )


def school_sheet(
    i: int,
    *,
    surname: str | None = None,
    gender: str | None = None,
    birth_year: str = "11",
    nationality: str = "01",
    variant: str = "0001",
    review: dict[str, Collection[int]] | None = None,
    tag: str = "",
) -> SchoolSheetData:
    """Student ``i``'s sheet, filled correctly unless told otherwise."""
    reading = school_reading(
        SURNAMES[i] if surname is None else surname,
        NAMES[i],
        gender=gender or ("female" if i % 2 else "male"),
        birth_year=birth_year,
        nationality=nationality,
        variant=variant,
        review=review,
        tag=tag,
    )
    return school_sheet_data(reading)


def identify(
    *sheets: SchoolSheetData, students: int = 4, programme: Programme = Programme.MAB
) -> SchoolIdentification:
    """Identify the sheets against a list of the first ``students`` students."""
    roster: Sequence[ListedStudent] = [student(i) for i in range(students)]
    return identify_school(roster, sheets, school=SCHOOL, programme=programme)
