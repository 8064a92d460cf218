"""What an exam is made of: subjects, tasks, options, points and time (D-3, OZH-34).

An :class:`ExamSpec` is data. Each preset is generated from the sheet layout
it reads (the answer fields give tasks and options) and checked against the
numbers the rules give, so a layout and a rule that drift apart fail loudly
instead of scoring the wrong tasks:

============================  =====================  ============  =========
preset                        subjects × tasks       options       minutes
============================  =====================  ============  =========
ҰБТ (D-3)                     5 × 25 (creative: 2)   A–E           (G-2)
МАБ grade 4 (MAB-S-9, -11)    1 × 20                 A–D           45
МАБ grade 9 (MAB-S-10, -11)   3 × 30                 A–E           135
university МАБ (MAB-U-6)      5 × 25                 A–E           180
ОЖСБ (OZH-34)                 from the layout        from layout   120
============================  =====================  ============  =========

The domain takes the layout as data (an ``omrkit`` ``SheetLayout``); it never
loads a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from pydantic import Field, model_validator

from omrkit.layout.models import FieldKind, SheetLayout
from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel, Programme

__all__ = [
    "MAB_GRADE4_MINUTES",
    "MAB_GRADE9_MINUTES",
    "OZHSB_MINUTES",
    "POINTS_PER_CORRECT",
    "UNIVERSITY_MAB_MINUTES",
    "UNT_CREATIVE_SUBJECTS",
    "ExamSpec",
    "SubjectSpec",
    "check_spec_against_layout",
    "mab_grade4_spec",
    "mab_grade9_spec",
    "ozhsb_spec",
    "spec_from_layout",
    "university_mab_spec",
    "unt_spec",
]

#: Every programme gives 1 point per correct answer (MAB-S-26, MAB-U-6, D-3).
POINTS_PER_CORRECT = 1
#: Creative-track ҰБТ applicants sit the two compulsory subjects only (UNT-SCORE-5, D-3).
UNT_CREATIVE_SUBJECTS = 2
MAB_GRADE4_MINUTES = 45  # MAB-S-18
MAB_GRADE9_MINUTES = 135  # MAB-S-18: 2 h 15 min, 45 min a subject
UNIVERSITY_MAB_MINUTES = 180  # MAB-U-6
OZHSB_MINUTES = 120  # OZH-11
_UNT_SHAPE = (5, 25, ("A", "B", "C", "D", "E"))
_MAB4_SHAPE = (1, 20, ("A", "B", "C", "D"))
_MAB9_SHAPE = (3, 30, ("A", "B", "C", "D", "E"))
_UNIVERSITY_SHAPE = (5, 25, ("A", "B", "C", "D", "E"))
#: The grade-9 choice of foreign language (MAB-S-10): English, German, French.
MAB9_FOREIGN_LANGUAGE_FIELD = "foreign_language"


class SubjectSpec(DomainModel):
    """One subject of an exam and the answer field it is read from.

    Parameters
    ----------
    field_id : str
        The layout's ``answers`` field (``answers_1`` …).
    name_kk, name_ru : str
        The subject as printed in statements.
    tasks : int
        Number of tasks.
    options : tuple of str
        The option symbols of every task, in layout order.
    """

    malformed_rule: ClassVar[str] = "UNT-SCORE-6"

    field_id: str = Field(min_length=1)
    name_kk: str = Field(min_length=1)
    name_ru: str = Field(min_length=1)
    tasks: int = Field(ge=1)
    options: tuple[str, ...] = Field(min_length=2)


class ExamSpec(DomainModel):
    """An exam: its subjects, points, time and the layout that carries it (D-3).

    Parameters
    ----------
    name : str
        The preset's name; an ``AnswerKey`` names the spec it keys.
    programme : Programme
        ҰБТ, МАБ or ОЖСБ (university МАБ is МАБ).
    layout_id : str
        The sheet layout the answers are read from.
    subjects : tuple of SubjectSpec
        In sheet order.
    points_per_correct : int
        Points a correct task earns.
    minutes : int or None
        Net testing time; ``None`` where the sources give none (G-2).
    creative_subjects : int or None
        ҰБТ: how many leading subjects a creative-track sheet (sector 6) is
        scored on; ``None`` where there is no creative track.
    choice_fields : tuple of str
        ``choice`` fields recorded with the score (grade 9's foreign language).
    """

    malformed_rule: ClassVar[str] = "UNT-SCORE-6"

    name: str = Field(min_length=1)
    programme: Programme
    layout_id: str = Field(min_length=1)
    subjects: tuple[SubjectSpec, ...] = Field(min_length=1)
    points_per_correct: int = Field(default=POINTS_PER_CORRECT, ge=1)
    minutes: int | None = Field(default=None, ge=1)
    creative_subjects: int | None = Field(default=None, ge=1)
    choice_fields: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> ExamSpec:
        ids = [s.field_id for s in self.subjects]
        if len(set(ids)) != len(ids):
            raise DomainError("UNT-SCORE-6", f"spec {self.name}: a subject field repeats: {ids}")
        if self.creative_subjects is not None and self.creative_subjects > len(self.subjects):
            raise DomainError(
                "D-3",
                f"spec {self.name}: {self.creative_subjects} creative subjects of "
                f"{len(self.subjects)}",
            )
        return self

    @property
    def total_tasks(self) -> int:
        """Tasks of the whole sheet (the base of D-5's 30 %)."""
        return sum(s.tasks for s in self.subjects)

    @property
    def max_points(self) -> int:
        """The highest score a sheet can earn."""
        return self.total_tasks * self.points_per_correct

    def subject_titles(self) -> dict[str, str]:
        """«name_kk / name_ru» of every subject by its field id, in sheet order.

        What documents print where the data holds a field id (UNT-CERT-1,
        UNT-STMT-2): a certificate names its subjects, not its sheet's fields.
        """
        return {s.field_id: f"{s.name_kk} / {s.name_ru}" for s in self.subjects}

    def subjects_for(self, *, creative: bool) -> tuple[SubjectSpec, ...]:
        """The subjects a sheet is scored on: all, or the creative track's leading ones."""
        if creative and self.creative_subjects is not None:
            return self.subjects[: self.creative_subjects]
        return self.subjects


def spec_from_layout(
    layout: SheetLayout,
    *,
    name: str,
    programme: Programme,
    subject_names: Sequence[tuple[str, str]] | None = None,
    minutes: int | None = None,
    creative_subjects: int | None = None,
    choice_fields: Sequence[str] = (),
) -> ExamSpec:
    """Generate a spec from a layout's ``answers`` fields, in layout order.

    Implements D-3, OZH-34.

    Parameters
    ----------
    layout : omrkit SheetLayout
        The sheet the exam is read from.
    name, programme, minutes, creative_subjects, choice_fields
        As in :class:`ExamSpec`.
    subject_names : sequence of (str, str), optional
        Kazakh and Russian name of each subject; default: the field's printed
        label (its first line in Kazakh, second in Russian).

    Returns
    -------
    ExamSpec
    """
    fields = [f for f in layout.fields if f.kind is FieldKind.ANSWERS]
    if subject_names is not None and len(subject_names) != len(fields):
        raise DomainError(
            "UNT-SCORE-6",
            f"layout {layout.layout_id} has {len(fields)} answer fields, "
            f"{len(subject_names)} subject names given",
        )
    subjects = []
    for index, field in enumerate(fields):
        label_lines = (field.label or field.id).split("\n")
        kk, ru = subject_names[index] if subject_names else (label_lines[0], label_lines[-1])
        options = tuple(b.symbol for b in field.slots[0].bubbles)
        subjects.append(
            SubjectSpec(
                field_id=field.id, name_kk=kk, name_ru=ru, tasks=len(field.slots), options=options
            )
        )
    spec = ExamSpec(
        name=name,
        programme=programme,
        layout_id=layout.layout_id,
        subjects=tuple(subjects),
        minutes=minutes,
        creative_subjects=creative_subjects,
        choice_fields=tuple(choice_fields),
    )
    check_spec_against_layout(spec, layout)
    return spec


def check_spec_against_layout(spec: ExamSpec, layout: SheetLayout) -> None:
    """Refuse a spec the layout cannot carry: fields, task counts, options, one mark a task.

    Implements D-3.

    Raises
    ------
    DomainError
        (``D-3``) naming the first disagreement.
    """

    def refuse(what: str) -> DomainError:
        return DomainError("D-3", f"spec {spec.name} vs layout {layout.layout_id}: {what}")

    if spec.layout_id != layout.layout_id:
        raise refuse(f"the spec is for layout {spec.layout_id}")
    fields = {f.id: f for f in layout.fields}
    for choice in spec.choice_fields:
        if choice not in fields or fields[choice].kind is not FieldKind.CHOICE:
            raise refuse(f"no choice field {choice!r}")
    for subject in spec.subjects:
        field = fields.get(subject.field_id)
        if field is None or field.kind is not FieldKind.ANSWERS:
            raise refuse(f"no answers field {subject.field_id!r}")
        if len(field.slots) != subject.tasks:
            raise refuse(f"{subject.field_id} has {len(field.slots)} tasks, not {subject.tasks}")
        for slot in field.slots:
            symbols = tuple(b.symbol for b in slot.bubbles)
            if symbols != subject.options or slot.max_marks != 1:
                raise refuse(
                    f"{subject.field_id} task {slot.id} offers {symbols} "
                    f"(max {slot.max_marks} mark), not {subject.options} (one mark)"
                )


def _numbered(count: int) -> tuple[tuple[str, str], ...]:
    """«1-пән / Предмет 1» …: the names where the sources name no subject (G-2, OZH-34)."""
    return tuple((f"{n}-пән", f"Предмет {n}") for n in range(1, count + 1))


_MAB9_NAMES = (
    ("Қазақ тілі / Орыс тілі", "Казахский / Русский язык"),
    ("Шет тілі", "Иностранный язык"),
    ("Дүниежүзі тарихы", "Всемирная история"),
)


def _shaped(spec: ExamSpec, shape: tuple[int, int, tuple[str, ...]], rule: str) -> ExamSpec:
    n_subjects, tasks, options = shape
    actual = [(s.tasks, s.options) for s in spec.subjects]
    if actual != [(tasks, options)] * n_subjects:
        raise DomainError(
            rule,
            f"layout {spec.layout_id} gives {actual}, the rule asks {n_subjects} subject(s) of "
            f"{tasks} tasks with options {options}",
        )
    return spec


def unt_spec(layout: SheetLayout) -> ExamSpec:
    """ҰБТ: 5 subjects × 25 tasks × A–E, 1 point each (max 125); creative track: 2 subjects.

    Implements D-3, UNT-SCORE-5, UNT-SCORE-6.
    """
    spec = spec_from_layout(
        layout,
        name="ubt",
        programme=Programme.UNT,
        subject_names=_numbered(_answer_fields(layout)),
        creative_subjects=UNT_CREATIVE_SUBJECTS,
    )
    return _shaped(spec, _UNT_SHAPE, "D-3")


def mab_grade4_spec(layout: SheetLayout) -> ExamSpec:
    """МАБ grade 4: one subject of 20 tasks with options A–D, 45 minutes.

    Implements MAB-S-9, MAB-S-11, MAB-S-25, MAB-S-26.
    """
    spec = spec_from_layout(
        layout,
        name="mab-4",
        programme=Programme.MAB,
        subject_names=_numbered(_answer_fields(layout)),
        minutes=MAB_GRADE4_MINUTES,
    )
    return _shaped(spec, _MAB4_SHAPE, "MAB-S-9")


def mab_grade9_spec(layout: SheetLayout) -> ExamSpec:
    """МАБ grade 9: 3 subjects × 30 tasks × A–E, the foreign language chosen on the sheet.

    Implements MAB-S-10, MAB-S-11, MAB-S-25, MAB-S-26.
    """
    spec = spec_from_layout(
        layout,
        name="mab-9",
        programme=Programme.MAB,
        subject_names=_MAB9_NAMES if _answer_fields(layout) == len(_MAB9_NAMES) else None,
        minutes=MAB_GRADE9_MINUTES,
        choice_fields=(MAB9_FOREIGN_LANGUAGE_FIELD,),
    )
    return _shaped(spec, _MAB9_SHAPE, "MAB-S-10")


def university_mab_spec(layout: SheetLayout) -> ExamSpec:
    """University МАБ: complex testing in 5 subjects × 25 tasks, 180 minutes (max 125).

    Implements MAB-U-6.

    Notes
    -----
    The sources name no university sheet; the complex test has the ҰБТ
    sheet's shape (D-3 takes its numbers from 003-R §25), so the bundled
    ``ubt-answer`` layout carries it.
    """
    spec = spec_from_layout(
        layout,
        name="mab-university",
        programme=Programme.MAB,
        subject_names=_numbered(_answer_fields(layout)),
        minutes=UNIVERSITY_MAB_MINUTES,
    )
    return _shaped(spec, _UNIVERSITY_SHAPE, "MAB-U-6")


def ozhsb_spec(
    layout: SheetLayout,
    *,
    subject_names: Sequence[tuple[str, str]] | None = None,
    minutes: int = OZHSB_MINUTES,
) -> ExamSpec:
    """ОЖСБ: the sources give no subjects, tasks or options (OZH-34), so the layout does.

    Implements OZH-34, OZH-11.
    """
    return spec_from_layout(
        layout,
        name="ozhsb",
        programme=Programme.OZHSB,
        subject_names=subject_names or _numbered(_answer_fields(layout)),
        minutes=minutes,
    )


def _answer_fields(layout: SheetLayout) -> int:
    return sum(f.kind is FieldKind.ANSWERS for f in layout.fields)
