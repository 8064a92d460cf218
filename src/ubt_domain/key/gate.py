"""When a key may be opened: the gate of each programme (D-4, C-5).

ҰБТ opens a stream's key only once that stream's identification is closed
(UNT-KEY-2, UNT-KEY-4): the proof is the ``StreamIdentification`` value that
``close_stream_identification`` alone returns. МАБ and ОЖСБ open the key only
after the final file has been sent to NTC (MAB-S-24, OZH-20): the proof is a
recorded :class:`FinalFileSent`. The gate is checked before any password is
tried, so an early attempt learns nothing about the passwords.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import Field, field_validator

from ubt_domain.errors import DomainError
from ubt_domain.identification.closing import StreamIdentification
from ubt_domain.models import DomainModel, Programme

__all__ = ["FinalFileSent", "KeyGate", "check_gate", "gate_rule"]

_GATE_RULE = {Programme.UNT: "UNT-KEY-4", Programme.MAB: "MAB-S-24", Programme.OZHSB: "OZH-20"}


class FinalFileSent(DomainModel):
    """The record that a testing point's final file was sent to NTC (appx 12 of ОЖСБ).

    Parameters
    ----------
    programme : Programme
        МАБ or ОЖСБ.
    testing_point : str
        The ҰБТӨП that sent it.
    sent_at : datetime
        When it was sent, timezone-aware (data, never the clock; D-10).
    reference : str
        The dispatch's reference (file name or receipt number) for the record.
    """

    malformed_rule: ClassVar[str] = "D-4"

    programme: Programme
    testing_point: str = Field(min_length=1)
    sent_at: datetime
    reference: str = Field(min_length=1)

    @field_validator("sent_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise DomainError("D-10", "sent_at must be timezone-aware")
        return value

    @field_validator("programme")
    @classmethod
    def _school_programme(cls, value: Programme) -> Programme:
        if value is Programme.UNT:
            raise DomainError("D-4", "ҰБТ keys open on the closed identification, not a final file")
        return value


KeyGate = StreamIdentification | FinalFileSent
"""What proves the gate is passed: the closed stream (ҰБТ) or the sent final file."""


def gate_rule(programme: Programme) -> str:
    """The rule id of ``programme``'s key gate."""
    return _GATE_RULE[programme]


def check_gate(programme: Programme, stream: int | None, gate: KeyGate | None) -> None:
    """Refuse unless ``gate`` proves that the key of ``programme`` may be opened.

    Implements D-4, UNT-KEY-2, UNT-KEY-4, MAB-S-24, OZH-20.

    Parameters
    ----------
    programme : Programme
        The programme the sealed key belongs to.
    stream : int or None
        The ҰБТ stream the key belongs to; ``None`` for МАБ/ОЖСБ.
    gate : StreamIdentification or FinalFileSent or None
        The proof offered.

    Raises
    ------
    DomainError
        (``UNT-KEY-4``) when a ҰБТ key is offered no closed identification of
        its own stream; (``MAB-S-24`` / ``OZH-20``) when a school key is
        offered no final-file record of its programme.
    """
    rule = gate_rule(programme)
    if programme is Programme.UNT:
        if not isinstance(gate, StreamIdentification) or gate.stream != stream:
            raise DomainError(
                rule,
                f"the key of stream {stream} opens only after that stream's identification "
                "is closed; give the StreamIdentification that closing returned",
            )
        return
    if not isinstance(gate, FinalFileSent) or gate.programme is not programme:
        raise DomainError(
            rule,
            f"the {programme.value} key opens only after the final file is recorded as "
            "sent to NTC; give the FinalFileSent record",
        )
