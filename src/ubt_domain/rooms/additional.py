"""Additional seating («Қосымша отырғызу») by state-commission decision (UNT-SEAT-9).

When the technical secretary recorded the wrong exam language on an
application, the applicant may ask the state-commission chair to sit the
exam in a later stream, in a room with the needed language. The commission
decides with the Ministry representatives and records the decision in its
meeting protocol; the applicant then takes a free seat of that room, with the
materials of an absent applicant or reserve materials (001 §130, §43(8)).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel, ExamLanguage
from ubt_domain.rooms.fund import room_label
from ubt_domain.rooms.seating import SeatAssignment, SeatingPlan

__all__ = [
    "AdditionalSeatingRequest",
    "MaterialsSource",
    "SeatOption",
    "additional_seating_options",
    "seat_additionally",
]

_RULE = "UNT-SEAT-9"


class MaterialsSource(StrEnum):
    """Whose exam materials an additionally seated applicant uses (001 §130)."""

    ABSENT_APPLICANT = "absent_applicant"  # materials of an applicant who did not come
    RESERVE = "reserve"  # reserve materials (room 01's envelope, D-8)


class AdditionalSeatingRequest(DomainModel):
    """An applicant's application for additional seating and the commission's record.

    Parameters
    ----------
    tzhk : str
        The applicant's ТЖК.
    stream : int
        The stream the applicant was distributed to.
    recorded_language : ExamLanguage
        The exam language on the application.
    needed_language : ExamLanguage
        The language the applicant actually sits the exam in.
    protocol_ref : str
        Reference of the state-commission meeting protocol recording the decision.
    materials : MaterialsSource
        Whose materials the applicant receives.
    room : int or None
        The room the commission chose; ``None`` takes the first room with a
        free seat in the earliest later stream.
    """

    malformed_rule: ClassVar[str] = "UNT-SEAT-9"

    tzhk: str = Field(min_length=1)
    stream: int = Field(ge=1)
    recorded_language: ExamLanguage
    needed_language: ExamLanguage
    protocol_ref: str
    materials: MaterialsSource
    room: int | None = None


class SeatOption(DomainModel):
    """A room of a later stream that can take the applicant, and its first free seat."""

    malformed_rule: ClassVar[str] = "UNT-SEAT-9"

    stream: int = Field(ge=1)
    room: int = Field(ge=1)
    seat: int = Field(ge=1)
    free_seats: int = Field(ge=1)


def additional_seating_options(
    request: AdditionalSeatingRequest, plans: Sequence[SeatingPlan]
) -> tuple[SeatOption, ...]:
    """Return the rooms where the applicant could be seated additionally.

    Implements UNT-SEAT-9.

    Parameters
    ----------
    request : AdditionalSeatingRequest
        The application.
    plans : sequence of SeatingPlan
        The sealed seatings of the testing point's rooms (any streams).

    Returns
    -------
    tuple of SeatOption
        Rooms of streams later than ``request.stream`` whose language status
        is the needed language and that have a free seat, ordered by stream
        then room; empty when additional seating is not possible.

    Notes
    -----
    Seats are taken from sealed seatings: the random draw covers the room's
    list only, and an additionally seated applicant takes a free seat
    afterwards, so the once-only draw (UNT-SEAT-4) is never repeated. A later
    stream not yet seated is seated first, then offers its free seats.

    Examples
    --------
    >>> full = SeatingPlan(stream=2, room=1, language="ru", seats=30,
    ...     seed_commitment="0" * 64, assignments=())
    >>> request = AdditionalSeatingRequest(tzhk="7", stream=1, recorded_language="kk",
    ...     needed_language="ru", protocol_ref="МК-3", materials="reserve")
    >>> [(o.stream, o.room, o.seat) for o in additional_seating_options(request, [full])]
    [(2, 1, 1)]
    """
    return tuple(
        SeatOption(stream=plan.stream, room=plan.room, seat=free[0], free_seats=len(free))
        for plan in sorted(plans, key=lambda p: (p.stream, p.room))
        if plan.stream > request.stream
        and plan.language == request.needed_language
        and (free := plan.free_seats())
    )


def seat_additionally(
    request: AdditionalSeatingRequest, *, plans: Sequence[SeatingPlan]
) -> tuple[SeatAssignment, SeatingPlan]:
    """Seat an applicant in a later stream by state-commission decision.

    Implements UNT-SEAT-9 and D-8.

    Parameters
    ----------
    request : AdditionalSeatingRequest
        The application with the commission's protocol reference.
    plans : sequence of SeatingPlan
        The sealed seatings of the testing point's rooms.

    Returns
    -------
    assignment : SeatAssignment
        The new seat, marked ``additional`` with the protocol reference, so
        identification decides «Қосымша отырғызу» rather than «Жою» (D-8).
    plan : SeatingPlan
        The room's seating with the assignment added; store it in place of
        the old one.

    Raises
    ------
    DomainError
        (UNT-SEAT-9) The recorded and needed languages agree, the protocol
        reference is missing, the applicant already holds a seat in a later
        stream, there is no later stream or free seat with the needed
        language, or the room the commission chose cannot take the applicant.

    Examples
    --------
    >>> plan = SeatingPlan(stream=2, room=1, language="ru", seats=30,
    ...     seed_commitment="0" * 64, assignments=())
    >>> request = AdditionalSeatingRequest(tzhk="7", stream=1, recorded_language="kk",
    ...     needed_language="ru", protocol_ref="МК-3", materials="reserve")
    >>> seat_additionally(request, plans=[plan])[0].seat
    1
    """
    _check_request(request, plans)
    options = additional_seating_options(request, plans)
    if request.room is not None:
        options = tuple(o for o in options if o.room == request.room)
    if not options:
        raise DomainError(_RULE, _no_option_message(request, plans))
    chosen = options[0]
    assignment = SeatAssignment(
        tzhk=request.tzhk,
        stream=chosen.stream,
        room=chosen.room,
        seat=chosen.seat,
        additional=True,
        protocol_ref=request.protocol_ref.strip(),
    )
    plan = next(p for p in plans if (p.stream, p.room) == (chosen.stream, chosen.room))
    seated = tuple(sorted((*plan.assignments, assignment), key=lambda a: a.seat))
    return assignment, plan.evolve(assignments=seated)


def _check_request(request: AdditionalSeatingRequest, plans: Sequence[SeatingPlan]) -> None:
    if not isinstance(request, AdditionalSeatingRequest):
        raise DomainError(
            _RULE, f"request must be an AdditionalSeatingRequest, got {type(request).__name__}"
        )
    if request.recorded_language == request.needed_language:
        raise DomainError(
            _RULE,
            f"applicant {request.tzhk}: additional seating is only for a "
            f"wrongly recorded exam language, and {request.needed_language.value} "
            "is the recorded one",
        )
    if not request.protocol_ref.strip():
        raise DomainError(
            _RULE, f"applicant {request.tzhk}: the state-commission protocol reference is missing"
        )
    held = [p for p in plans if p.stream > request.stream and p.seat_of(request.tzhk)]
    if held:
        raise DomainError(
            _RULE,
            f"applicant {request.tzhk} already holds a seat in room "
            f"{held[0].label} of stream {held[0].stream}",
        )


def _no_option_message(request: AdditionalSeatingRequest, plans: Sequence[SeatingPlan]) -> str:
    later = sorted({p.stream for p in plans if p.stream > request.stream})
    who = f"applicant {request.tzhk} (stream {request.stream})"
    if not later:
        return f"{who}: the testing point has no seated stream after stream {request.stream}"
    where = f"room {room_label(request.room)} of " if request.room is not None else "any room of "
    return (
        f"{who}: no free seat in {where}streams {', '.join(map(str, later))} with "
        f"language status {request.needed_language.value}"
    )
