"""The testing point's seating record: which rooms are sealed, under whose password.

The seat numbers of a room are drawn once (UNT-SEAT-4) and only with the NTC
password (UNT-SEAT-5). The record holds the NTC password's verifier, given at
set-up, and one :class:`SealedRoom` per draw; a second draw of a room is
admitted only with an :class:`~ubt_domain.passwords.Override` whose password
the verifier accepts, each override once. The record is a value: the caller
keeps the one each seating returns (the store holds it durably), and its
validator refuses any record, however built, where a room is drawn again
without an override or an override is used twice.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, model_validator

from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel
from ubt_domain.passwords import Override, OverrideRecord, PasswordVerifier
from ubt_domain.rooms.fund import room_label

__all__ = ["SealedRoom", "SeatingRegistry"]


class SealedRoom(DomainModel):
    """One draw of a (stream, room): the seed's commitment, and the override of a re-draw.

    Parameters
    ----------
    stream, room : int
        The seated room of a stream.
    seed_commitment : str
        Hex SHA-256 of the seed the seats were drawn from.
    override : OverrideRecord or None
        ``None`` for the room's first draw; the NTC override of a re-draw.
    """

    malformed_rule: ClassVar[str] = "UNT-SEAT-4"

    stream: int = Field(ge=1)
    room: int = Field(ge=1)
    seed_commitment: str = Field(pattern=r"^[0-9a-f]{64}$")
    override: OverrideRecord | None = None


class SeatingRegistry(DomainModel):
    """The seating record of a testing point: a value, replaced on each seating.

    Parameters
    ----------
    verifier : PasswordVerifier
        The NTC seating password's verifier, given at set-up.
    sealed : tuple of SealedRoom
        One entry per draw, in seating order.
    """

    malformed_rule: ClassVar[str] = "UNT-SEAT-4"

    verifier: PasswordVerifier
    sealed: tuple[SealedRoom, ...] = ()

    @model_validator(mode="after")
    def _drawn_once_unless_overridden(self) -> SeatingRegistry:
        seen: set[tuple[int, int]] = set()
        used: set[OverrideRecord] = set()
        for entry in self.sealed:
            key = (entry.stream, entry.room)
            if key in seen and entry.override is None:
                raise DomainError(
                    "UNT-SEAT-4",
                    f"room {room_label(entry.room)} of stream {entry.stream} is drawn "
                    "again without an NTC override",
                )
            if key not in seen and entry.override is not None:
                raise DomainError(
                    "UNT-SEAT-4",
                    f"room {room_label(entry.room)} of stream {entry.stream}: an override "
                    "stands on a first draw",
                )
            if entry.override is not None:
                if entry.override in used:
                    raise DomainError("UNT-SEAT-4", "an NTC override is used only once")
                used.add(entry.override)
            seen.add(key)
        return self

    def is_sealed(self, stream: int, room: int) -> bool:
        """Return whether the room's seats have been drawn in this stream."""
        return any((s.stream, s.room) == (stream, room) for s in self.sealed)

    def sealing(
        self, stream: int, room: int, commitment: str, *, override: Override | None = None
    ) -> SeatingRegistry:
        """Return a record that also holds this draw.

        Implements UNT-SEAT-4.

        Parameters
        ----------
        stream, room : int
            The room drawn.
        commitment : str
            Hex SHA-256 of the draw's seed.
        override : Override or None
            Required exactly when the room is already sealed; its password
            must be the NTC's and it must not have been used before.

        Raises
        ------
        DomainError
            (``UNT-SEAT-4``) a re-draw without an override, with a refused or
            used one, or an override on a first draw.
        """
        where = f"room {room_label(room)} of stream {stream}"
        if not self.is_sealed(stream, room):
            if override is not None:
                raise DomainError("UNT-SEAT-4", f"{where} has not been drawn: nothing to override")
            entry = SealedRoom(stream=stream, room=room, seed_commitment=commitment)
        elif override is None:
            raise DomainError(
                "UNT-SEAT-4",
                f"{where} is already seated; seat numbers are drawn only once "
                "unless the NTC overrides",
            )
        else:
            record = override.check(self.verifier, "UNT-SEAT-4", f"re-drawing {where}")
            entry = SealedRoom(
                stream=stream, room=room, seed_commitment=commitment, override=record
            )
        return self.evolve(sealed=(*self.sealed, entry))
