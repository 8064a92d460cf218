"""A small ҰБТ stream read by the engine's 50 % rule, identified and closed, for scoring tests.

Room 3 seats applicants 1..N (roster of ``answer_readings.room``); applicant
``k`` answers as :func:`answers_of` says unless a test overrides tasks. The
stream's identification is closed with the real functions, so the key gate
and scoring see exactly what production would.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from omrkit.types import SheetReading
from tests.ubt_domain.answer_readings import clean_values, room
from tests.ubt_domain.scored_readings import Marks, layout, marks_for, reading_from_fills
from ubt_domain.identification.auto import identify_room
from ubt_domain.identification.closing import StreamIdentification, close_stream_identification
from ubt_domain.identification.roster import RoomRoster
from ubt_domain.identification.sheets import answer_sheet_data
from ubt_domain.key.answer_key import AnswerKey, SubjectKey, VariantKey

__all__ = ["ROOM", "UNT_LAYOUT", "answers_of", "key_for", "stream", "unt_reading"]

ROOM = 3
UNT_LAYOUT = "ubt-answer"
OPTIONS = "ABCDE"
TASKS = 25
SUBJECT_FIELDS = tuple(f"answers_{s}" for s in range(1, 6))


def correct_option(variant: str, subject: int, task: int) -> str:
    """The key's option: a fixed pattern that differs by variant, subject and task."""
    return OPTIONS[(int(variant) + subject + task) % len(OPTIONS)]


def key_for(variants: Sequence[str]) -> AnswerKey:
    """The ҰБТ key of ``variants`` following :func:`correct_option`."""
    return AnswerKey(
        exam="ubt",
        variants=tuple(
            VariantKey(
                variant=v,
                subjects=tuple(
                    SubjectKey(
                        subject=field,
                        accepted=tuple((correct_option(v, s, t),) for t in range(1, TASKS + 1)),
                    )
                    for s, field in enumerate(SUBJECT_FIELDS, start=1)
                ),
            )
            for v in variants
        ),
    )


def answers_of(k: int, variant: str) -> dict[str, list[str | tuple[str, ...] | None]]:
    """Applicant ``k`` answers the first ``5 * k`` tasks of each subject correctly, rest blank."""
    return {
        field: [correct_option(variant, s, t) if t <= 5 * k else None for t in range(1, 26)]
        for s, field in enumerate(SUBJECT_FIELDS, start=1)
    }


def unt_reading(
    k: int,
    roster: RoomRoster,
    *,
    answers: Mapping[str, Sequence[str | tuple[str, ...] | None]] | None = None,
    extra: Marks | None = None,
    creative: bool = False,
) -> SheetReading:
    """The engine's reading of applicant ``k``'s sheet (service sectors filled correctly)."""
    sheet = layout(UNT_LAYOUT)
    values = {
        key: value
        for key, value in clean_values(k, room_number=roster.room).items()
        if not key.startswith("answers_")
    }
    if creative:
        values = {key: v for key, v in values.items() if not key.startswith("profile_")}
        values["creative"] = "yes"
    variant = str(values["variant"])
    given = answers_of(k, variant) if answers is None else answers
    marks = marks_for(sheet, {**values, **given})
    serial = roster.sheet_serials[k - 1]
    return reading_from_fills(sheet, {**marks, **(extra or {})}, serial=serial)


def stream(
    readings: Sequence[SheetReading], roster: RoomRoster | None = None
) -> tuple[StreamIdentification, RoomRoster]:
    """Identify room 3 from ``readings`` and close stream 1."""
    roster = roster or room(len(readings), number=ROOM)
    identified = identify_room(roster, [answer_sheet_data(r) for r in readings])
    closed = close_stream_identification([identified], stream=1, expected_rooms=[ROOM])
    return closed, roster
