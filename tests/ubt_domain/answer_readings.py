"""Hand-built readings of ҰБТ answer sheets and rosters, for identification tests.

``answer_reading`` fills every field of the bundled ``ubt-answer`` layout
(blank unless given), so a test states only the sectors it is about.
``room`` builds a small :class:`RoomRoster` whose applicant ``k`` (from 1)
has ТЖК ``tzhk(k, room)``, seat ``k`` and sheet serial ``serial_of(room, k)``;
``clean_sheet`` is that applicant's correctly filled sheet.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from typing import Literal

from omrkit.layout.models import FieldKind
from omrkit.sheet_layouts.ubt import UBT_SERVICE_DIGITS, UBT_SUBJECTS, UBT_TASKS
from omrkit.types import SheetReading
from tests.ubt_domain.readings import sheet_reading
from ubt_domain.identification.roster import RoomRoster, SeatingRow, VariantAllocation
from ubt_domain.identification.sheets import AnswerSheetData, answer_sheet_data

TASKS = UBT_TASKS
# Fields of the bundled ``ubt-answer`` layout: its code sectors as designed,
# the two choices, and one answers field per subject.
ANSWER_KINDS: dict[str, FieldKind] = {
    **dict.fromkeys(UBT_SERVICE_DIGITS, FieldKind.CODE),
    "creative": FieldKind.CHOICE,
    "exam_language": FieldKind.CHOICE,
    **{f"answers_{k}": FieldKind.ANSWERS for k in range(1, UBT_SUBJECTS + 1)},
}
ANSWER_POSITIONS: dict[str, int] = dict(UBT_SERVICE_DIGITS)
SUBJECTS = ("02", "05")
VARIANTS = ("0101", "0102")


def answer_reading(
    values: Mapping[str, str | Sequence[str | None] | None],
    *,
    serial: int | None,
    review: Mapping[str, Collection[int]] | None = None,
    poor: bool = False,
) -> SheetReading:
    """A ``ubt-answer`` reading: given fields as stated, the rest blank."""
    blank: dict[str, str | Sequence[str | None] | None] = {
        field: None
        if kind is FieldKind.CHOICE
        else [None] * TASKS
        if kind is FieldKind.ANSWERS
        else ""
        for field, kind in ANSWER_KINDS.items()
    }
    merged = {**blank, **values}
    digest = hashlib.sha256(repr((serial, sorted(merged.items()), poor)).encode()).hexdigest()
    return sheet_reading(
        merged,
        layout_id="ubt-answer",
        kinds=ANSWER_KINDS,
        positions=ANSWER_POSITIONS,
        review=review,
        serial=serial,
        poor=poor,
        sheet_id=digest,
    )


def tzhk(k: int, room_number: int = 3) -> str:
    """ТЖК of applicant ``k`` of room ``room_number``."""
    return f"{room_number:03d}{k:06d}"


def serial_of(room: int, k: int) -> int:
    """Serial of the ``k``-th sheet allocated to ``room``."""
    return room * 1000 + k


def room(
    applicants: int = 5,
    *,
    number: int = 3,
    stream: int = 1,
    spare_sheets: int = 2,
    additional: Sequence[SeatingRow] = (),
) -> RoomRoster:
    """A roster: ``applicants`` seated, sheets for them plus spares, two variants."""
    per_variant = -(-applicants // len(VARIANTS))
    return RoomRoster(
        stream=stream,
        room=number,
        sheet_serials=tuple(serial_of(number, k) for k in range(1, applicants + spare_sheets + 1)),
        variants=tuple(VariantAllocation(variant=v, count=per_variant) for v in VARIANTS),
        seating=tuple(
            SeatingRow(
                tzhk=tzhk(k, number),
                seat=k,
                full_name=f"Тестіленуші {k}",
                profile_subjects=SUBJECTS,
            )
            for k in range(1, applicants + 1)
        ),
        additional_seatings=tuple(additional),
    )


def variant_of(k: int) -> str:
    """The variant applicant ``k`` sits (alternating, so neighbours differ)."""
    return VARIANTS[(k - 1) % len(VARIANTS)]


def clean_values(k: int, *, room_number: int = 3) -> dict[str, str | Sequence[str | None] | None]:
    """The service sectors applicant ``k`` fills correctly, and a few answers."""
    return {
        "tzhk": tzhk(k, room_number),
        "room": f"{room_number:02d}",
        "seat": f"{k:03d}",
        "variant": variant_of(k),
        "profile_subject_1": SUBJECTS[0],
        "profile_subject_2": SUBJECTS[1],
        "exam_language": "kk",
        "answers_1": ["A", "B", None, "C"] + [None] * (TASKS - 4),
    }


def clean_sheet(
    k: int,
    *,
    room_number: int = 3,
    serial: int | Literal["allocated"] | None = "allocated",
    **changes: str | None,
) -> AnswerSheetData:
    """Applicant ``k``'s sheet, correctly filled unless ``changes`` say otherwise.

    The sheet is the ``k``-th one allocated to the room unless ``serial`` is given.
    """
    values = {**clean_values(k, room_number=room_number), **changes}
    printed = serial_of(room_number, k) if serial == "allocated" else serial
    return answer_sheet_data(answer_reading(values, serial=printed))


def unfilled_sheet(serial: int) -> AnswerSheetData:
    """A spare sheet with nothing marked."""
    return answer_sheet_data(answer_reading({}, serial=serial))
