"""The exam day of the end-to-end test: 300 applicants in 2 streams, built to be identified.

Applicants are distributed to rooms, seated by a sealed draw, three are seated
additionally by the state commission, and every room's answer sheets are built
by hand as the engine would report them, with 5 % planted errors: wrong ТЖК,
wrong seat, an extra sheet not allocated to the room, and additionally seated
applicants (two on reserve sheets, one on an absent applicant's). ``World``
holds the plans, the rosters, the sheets and, per planted sheet, the ``Truth``
the commission finds from the booklet and the seating sheet.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from tests.ubt_domain.answer_readings import TASKS, answer_reading
from tests.ubt_domain.readings import sample_applicant
from ubt_domain.application.applicants import Applicant
from ubt_domain.identification.roster import RoomRoster, VariantAllocation, roster_from_seating
from ubt_domain.identification.sheets import AnswerSheetData, answer_sheet_data
from ubt_domain.models import ExamLanguage
from ubt_domain.passwords import password_verifier
from ubt_domain.rooms.additional import (
    AdditionalSeatingRequest,
    MaterialsSource,
    seat_additionally,
)
from ubt_domain.rooms.allocation import Allocation, allocate
from ubt_domain.rooms.fund import Room, RoomEquipment, RoomFund, RoomOpening
from ubt_domain.rooms.sealed import SeatingRegistry
from ubt_domain.rooms.seating import SeatingPlan, seat_room

APPLICANTS = 300
STREAMS = (1, 2)
ROOMS = (1, 2, 3, 4)
KAZAKH_ROOMS = (1, 2, 3)
RUSSIAN_ROOM = 4
SEATS, DESKS = 40, 20
RUSSIAN_PER_STREAM = 30
PLANTED_SHARE = 0.05
VARIANTS = ("1001", "1002", "1003", "1004")
RESERVE_VARIANT = "1099"  # a reserve booklet: allocated to no room
RESERVE_SERIALS = (90001, 90002)  # room 01's envelope of additional sheets
SUBJECT_PAIRS = (("02", "05"), ("03", "04"), ("06", "07"))
MOVED_SEAT = 5  # the stream-1 applicants seated again in stream 2 sit here in rooms 01-03
ABSENT_SEAT = 7  # stays away in stream 2, room 04; the third moved applicant gets the sheet
SURNAMES = (
    "ӘБДІРОВ",
    "АХМЕТОВ",
    "БЕКОВ",
    "ДӘУЛЕТОВ",
    "ЕРМЕКОВ",
    "ЖАНОВ",
    "ИСАЕВ",
    "ҚАСЫМОВ",
    "ЛЕБЕДЕВ",
    "МҰХАНОВ",
    "НҰРОВ",
    "ОМАРОВ",
    "ПЕТРОВ",
    "РАХИМОВ",
    "СЕЙІТОВ",
    "ТЕМІРОВ",
    "ҮСЕНОВ",
    "ХАСЕНОВ",
    "ШӘКІРОВ",
    "ЫСҚАҚОВ",
)
NAMES = (
    "АЙДОС",
    "АСҚАР",
    "БОЛАТ",
    "ДАНИЯР",
    "ЕРЛАН",
    "ЖАНДОС",
    "ИЛЬЯС",
    "ҚАЙРАТ",
    "МАРАТ",
    "НҰРЛАН",
    "ОЛЖАС",
    "РУСЛАН",
    "САЯН",
    "ТИМУР",
    "ЧИНГИЗ",
)
PASSWORD = "ntc-seating-2026"
#: What NTC gives the testing point at set-up: the password's salted hash.
_VERIFIER = password_verifier(PASSWORD, salt=b"testing point 042")


class Plant(StrEnum):
    """The errors planted on sheets."""

    WRONG_TZHK = "wrong_tzhk"
    WRONG_SEAT = "wrong_seat"
    EXTRA = "extra"
    ADDITIONAL = "additional"


@dataclass(frozen=True)
class Truth:
    """What the commission finds from the booklet and the seating sheet."""

    plant: Plant
    tzhk: str
    seat: int
    variant: str
    subjects: tuple[str, ...]
    name: str


def _applicants() -> list[Applicant]:
    people = []
    for k in range(APPLICANTS):
        language = (
            ExamLanguage.RUSSIAN
            if k % (APPLICANTS // len(STREAMS)) >= APPLICANTS // len(STREAMS) - RUSSIAN_PER_STREAM
            else ExamLanguage.KAZAKH
        )
        people.append(
            sample_applicant(
                tzhk=f"{100000 + k:09d}",
                surname=SURNAMES[k % len(SURNAMES)],
                name=NAMES[k // len(SURNAMES)],
                iin=None,
                birth_date=dt.date(2008, 1 + k % 12, 1 + k % 28),
                region_code="35",
                institution_code="350001",
                exam_language=language,
                school_id="S-350001",
            )
        )
    return people


def _allocation(people: Sequence[Applicant]) -> Allocation:
    kit = RoomEquipment(ventilation=True, jammers=1, video_cameras=2)
    fund = RoomFund(
        testing_point="035",
        building="A",
        rooms=tuple(
            Room(number=n, building="A", desks=DESKS, seats=SEATS, equipment=kit) for n in ROOMS
        ),
    )
    openings = [
        RoomOpening(
            stream=s,
            room=n,
            language=ExamLanguage.RUSSIAN if n == RUSSIAN_ROOM else ExamLanguage.KAZAKH,
        )
        for s in STREAMS
        for n in ROOMS
    ]
    half = len(people) // len(STREAMS)
    return allocate(fund, openings, {1: people[:half], 2: people[half:]})


def _plans(allocation: Allocation) -> list[SeatingPlan]:
    registry, plans = SeatingRegistry(verifier=_VERIFIER), []
    for room in allocation.rooms:
        seed = hashlib.sha256(f"seed {room.stream} {room.room}".encode()).digest()
        plan, registry = seat_room(room, seed=seed, password=PASSWORD, registry=registry)
        plans.append(plan)
    return plans


def _serial(stream: int, room: int, seat: int) -> int:
    return stream * 10000 + room * 100 + seat


def _variant(seat: int) -> str:
    return VARIANTS[(seat - 1) % len(VARIANTS)]


def _subjects(tzhk: str) -> tuple[str, ...]:
    return SUBJECT_PAIRS[int(tzhk) % len(SUBJECT_PAIRS)]


def _sheet(serial: int, *, tzhk: str, seat: int, variant: str, room: int) -> AnswerSheetData:
    values: dict[str, str | Sequence[str | None] | None] = {
        "tzhk": tzhk,
        "room": f"{room:02d}",
        "seat": f"{seat:03d}",
        "variant": variant,
        "profile_subject_1": _subjects(tzhk)[0],
        "profile_subject_2": _subjects(tzhk)[1],
        "exam_language": "kk",
        **{
            f"answers_{j}": [("A", "B", "C", "D", "E")[(seat + i) % 5] for i in range(TASKS)]
            for j in range(1, 6)
        },
    }
    return answer_sheet_data(answer_reading(values, serial=serial))


class World:
    """The whole exam day: plans, rosters, scanned sheets and the planted truth."""

    def __init__(self) -> None:
        self.people = {p.tzhk: p for p in _applicants()}
        plans = _plans(_allocation(list(self.people.values())))
        self.moved = [
            a.tzhk
            for p in plans
            if p.stream == 1 and p.room in KAZAKH_ROOMS
            for a in p.assignments
            if a.seat == MOVED_SEAT
        ]
        s2r4 = next(p for p in plans if (p.stream, p.room) == (2, RUSSIAN_ROOM))
        stays_away = next(a.tzhk for a in s2r4.assignments if a.seat == ABSENT_SEAT)
        self.absent = {stays_away} | set(self.moved)
        materials = [
            MaterialsSource.RESERVE,
            MaterialsSource.RESERVE,
            MaterialsSource.ABSENT_APPLICANT,
        ]
        for tzhk, source in zip(self.moved, materials, strict=True):
            request = AdditionalSeatingRequest(
                tzhk=tzhk,
                stream=1,
                recorded_language=ExamLanguage.KAZAKH,
                needed_language=ExamLanguage.RUSSIAN,
                protocol_ref="МК-2026-1",
                materials=source,
            )
            _, updated = seat_additionally(request, plans=plans)
            plans = [updated if (p.stream, p.room) == (2, RUSSIAN_ROOM) else p for p in plans]
        self.plans = plans
        self.truth: dict[str, Truth] = {}
        self.sheets = {(p.stream, p.room): self._room_sheets(p) for p in plans}

    def roster(self, plan: SeatingPlan) -> RoomRoster:
        names = {t: self.people[t].full_name for t in self.people}
        regular = [a for a in plan.assignments if not a.additional]
        counts = {v: sum(_variant(a.seat) == v for a in regular) + 1 for v in VARIANTS}
        return roster_from_seating(
            plan,
            [_serial(plan.stream, plan.room, s) for s in range(1, SEATS + 1)],
            full_names=names,
            profile_subjects={t: _subjects(t) for t in self.people},
            variants=[VariantAllocation(variant=v, count=n) for v, n in counts.items()],
        )

    def _plant(self, sheet: AnswerSheetData, truth: Truth) -> AnswerSheetData:
        self.truth[sheet.sheet_id] = truth
        return sheet

    def _room_sheets(self, plan: SeatingPlan) -> list[AnswerSheetData]:
        stream, room = plan.stream, plan.room
        sheets, used = [], set()
        absent_serial = None
        for a in plan.assignments:
            if a.additional:
                continue
            serial = _serial(stream, room, a.seat)
            if a.tzhk in self.absent:
                absent_serial = serial if stream == 2 else absent_serial
                continue
            sheets.append(self._regular_sheet(plan, a.tzhk, a.seat, serial))
            used.add(serial)
        reserve = iter(RESERVE_SERIALS)
        for a in (a for a in plan.assignments if a.additional):
            on_reserve = a.tzhk != self.moved[-1]
            given = next(reserve) if on_reserve else absent_serial
            assert given is not None
            variant = RESERVE_VARIANT if on_reserve else _variant(ABSENT_SEAT)
            truth = Truth(
                Plant.ADDITIONAL,
                a.tzhk,
                a.seat,
                variant,
                _subjects(a.tzhk),
                self.people[a.tzhk].full_name,
            )
            sheet = _sheet(given, tzhk=a.tzhk, seat=a.seat, variant=variant, room=room)
            sheets.append(self._plant(sheet, truth))
            used.add(given)
        if (stream, room) in EXTRA_IN:
            stray = 70000 + stream * 10 + room
            extra = _sheet(stray, tzhk=f"8{stray:08d}", seat=39, variant="1001", room=room)
            sheets.append(self._plant(extra, Truth(Plant.EXTRA, "", 0, "", (), "")))
        spares = [_serial(stream, room, s) for s in range(1, SEATS + 1)]
        sheets += [answer_sheet_data(answer_reading({}, serial=s)) for s in spares if s not in used]
        return sheets

    def _regular_sheet(
        self, plan: SeatingPlan, tzhk: str, seat: int, serial: int
    ) -> AnswerSheetData:
        key = (plan.stream, plan.room, seat)
        truth = Truth(
            Plant.WRONG_TZHK,
            tzhk,
            seat,
            _variant(seat),
            _subjects(tzhk),
            self.people[tzhk].full_name,
        )
        if key in WRONG_TZHK_AT:
            wrong = "9" + tzhk[1:]
            sheet = _sheet(serial, tzhk=wrong, seat=seat, variant=_variant(seat), room=plan.room)
            return self._plant(sheet, truth)
        if key in WRONG_SEAT_AT:
            sheet = _sheet(serial, tzhk=tzhk, seat=seat + 1, variant=_variant(seat), room=plan.room)
            return self._plant(sheet, replace(truth, plant=Plant.WRONG_SEAT))
        return _sheet(serial, tzhk=tzhk, seat=seat, variant=_variant(seat), room=plan.room)


# (stream, room, seat) of the sheets whose ТЖК or seat is painted wrong.
WRONG_TZHK_AT = {(1, 1, 10), (1, 3, 20), (2, 2, 3), (2, 4, 12), (1, 4, 2)}
WRONG_SEAT_AT = {(1, 2, 15), (2, 1, 25), (2, 3, 33), (1, 4, 21)}
# (stream, room) whose envelope holds a stray filled sheet allocated to no room.
EXTRA_IN = {(1, 2), (2, 1), (2, 3)}
