"""The demo's fixed setting: the exam's dates, streams, passwords and document signatories.

A real testing point is handed its passwords by NTC and types them without
echo; the demo's are constants so that two runs give the same store.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from omrkit.layout.models import load_layout
from testing_point import simulate
from ubt_domain.certificates.numbers import NumberRange
from ubt_domain.key.sealing import UNT_KEY_ROLES
from ubt_domain.scoring.spec import unt_spec

ZONE = ZoneInfo("Asia/Almaty")
EXAM_DAY = dt.date(2026, 6, 20)
STREAMS = (1, 2)
SEATS, DESKS = simulate.SEATS_PER_ROOM, simulate.SEATS_PER_ROOM // 2
OPTIONS = "ABCDE"
SUBJECT_FIELDS = tuple(f"answers_{s}" for s in range(1, 6))
TASKS = 25
# Demo passwords; a real testing point is handed them by NTC and types them without echo.
SEATING_PASSWORD = "ntc-seating-2026"
CLOSING_PASSWORD = "ntc-journal-2026"
KEY_PASSWORDS = dict(zip(UNT_KEY_ROLES, ("chair-Ә1", "nsc-Қ2", "ministry-Ұ3"), strict=True))


ANNOUNCED = dt.datetime(2026, 6, 20, 20, 0, tzinfo=ZONE)
BLANKS = NumberRange(series="ҰБТ", first=100_001, last=109_999)
NEAR_FILL = (0.40, 0.60)  # a key option filled this much is what a technical appeal is about
SIGNATORIES = ("апелляциялық комиссия хатшысы", "МК төрағасы", "Министрлік өкілі")


def subject_titles() -> dict[str, str]:
    """The printed title of each of :data:`SUBJECT_FIELDS`, from the ҰБТ exam spec."""
    titles = unt_spec(load_layout(simulate.ANSWER_LAYOUT)).subject_titles()
    if tuple(titles) != SUBJECT_FIELDS:
        raise RuntimeError(f"the ҰБТ spec's subjects {tuple(titles)} are not {SUBJECT_FIELDS}")
    return titles


def june(day: int, hour: int) -> dt.datetime:
    """The demo's clock: ``hour``:00 on ``day`` June of the exam year, Almaty time."""
    return dt.datetime(2026, 6, day, hour, 0, tzinfo=ZONE)
