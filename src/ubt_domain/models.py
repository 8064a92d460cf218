"""Shared base and vocabulary of the domain models.

Every model is frozen and forbids unknown keys; a change returns a new object
built by :meth:`DomainModel.evolve`, which validates it like any other.
Module-specific models live beside the functions that use them.

Bad input is a :class:`~ubt_domain.errors.DomainError` wherever it enters,
also when a model is built directly: :class:`DomainModel` turns pydantic's
``ValidationError`` into a ``DomainError`` naming a rule id. A validator that
raised a ``DomainError`` keeps its rule id; any other malformed field (a wrong
type, a bad pattern, an unknown key) takes the rule the model declares in
``malformed_rule``, and the message names the field path and what was
expected.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails

from ubt_domain.errors import DomainError

__all__ = [
    "HISTORY_LANGUAGES",
    "MALFORMED_INPUT",
    "DomainModel",
    "ExamLanguage",
    "Gender",
    "Programme",
]

#: The rule id of malformed input to a model that names no rule of its own.
MALFORMED_INPUT = "INPUT"
_ERRORS_SHOWN = 3  # a message spells out this many wrong fields and counts the rest
_INPUT_SHOWN = 60  # characters of a bad input's repr quoted in a message


class DomainModel(BaseModel):
    """Base of all domain models: frozen, strict about unknown keys.

    Construction (``Model(...)``, ``model_validate``, ``model_validate_json``,
    ``model_validate_strings``) raises :class:`~ubt_domain.errors.DomainError`,
    never pydantic's ``ValidationError``.

    Attributes
    ----------
    malformed_rule : ClassVar[str]
        The rule id a malformed record of this model breaks; subclasses name
        the rule their records carry. Defaults to :data:`MALFORMED_INPUT`.

    Notes
    -----
    pydantic wraps whatever a validator raises in its own ``ValidationError``;
    the original exception survives in each error's ``ctx["error"]``, which is
    where a validator's ``DomainError`` (and its precise rule id) is found.
    The ``ValidationError`` stays attached as ``__cause__`` for debugging.

    Examples
    --------
    >>> from ubt_domain.rooms.fund import Room
    >>> Room(number=0, building="A", desks=15, seats=30)
    Traceback (most recent call last):
    ...
    ubt_domain.errors.DomainError: [UNT-ROOM-11] malformed Room: number: Input should be \
greater than or equal to 1 (got 0)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    malformed_rule: ClassVar[str] = MALFORMED_INPUT

    def __init__(self, /, **data: Any) -> None:
        with _refusing_malformed(type(self)):
            super().__init__(**data)

    def evolve(self, **changes: Any) -> Self:
        """Return a copy with ``changes`` applied, validated as a new model.

        Parameters
        ----------
        **changes : Any
            New values of fields of this model, by name.

        Returns
        -------
        Self
            A new model of the same class; ``self`` is unchanged.

        Raises
        ------
        TypeError
            If a name is not a field of this model (the caller's bug).
        DomainError
            If the changed model breaks a field's or the model's own rule.

        Notes
        -----
        pydantic's ``model_copy`` with an update skips validation, so a copy could
        hold a state no constructor accepts (two journal lines with one ТЖК,
        a seat beyond the room). Here every field and model validator runs on
        the new object; unchanged nested models are kept as they are, since
        they were validated when built.

        Examples
        --------
        >>> from ubt_domain.rooms.fund import Room
        >>> room = Room(number=1, building="A", desks=15, seats=30)
        >>> room.evolve(seats=28).seats
        28
        >>> room.evolve(seats=0)
        Traceback (most recent call last):
        ...
        ubt_domain.errors.DomainError: [UNT-ROOM-11] malformed Room: seats: Input should be \
greater than or equal to 1 (got 0)
        """
        fields = type(self).model_fields
        unknown = sorted(name for name in changes if name not in fields)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field(s) {', '.join(unknown)}")
        data = {name: getattr(self, name) for name in fields}
        data.update(changes)
        return type(self)(**data)

    @classmethod
    def model_validate(cls, obj: Any, **options: Any) -> Self:
        """Validate ``obj`` into this model; see ``pydantic.BaseModel.model_validate``."""
        with _refusing_malformed(cls):
            return super().model_validate(obj, **options)

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **options: Any) -> Self:
        """Validate a JSON document into this model."""
        with _refusing_malformed(cls):
            return super().model_validate_json(json_data, **options)

    @classmethod
    def model_validate_strings(cls, obj: Any, **options: Any) -> Self:
        """Validate a tree of strings into this model."""
        with _refusing_malformed(cls):
            return super().model_validate_strings(obj, **options)


@contextmanager
def _refusing_malformed(model: type[DomainModel]) -> Iterator[None]:
    """Turn a ``ValidationError`` raised inside the block into a ``DomainError``."""
    try:
        yield
    except ValidationError as error:
        raise _domain_error(model, error) from error


def _domain_error(model: type[DomainModel], error: ValidationError) -> DomainError:
    """The ``DomainError`` a failed validation of ``model`` stands for.

    A ``DomainError`` a validator raised wins (the first one, in pydantic's
    order), since it names the precise rule; otherwise the model's own rule.
    """
    details = error.errors(include_url=False)
    for detail in details:
        cause = detail.get("ctx", {}).get("error")
        if isinstance(cause, DomainError):
            where = _path(detail["loc"])
            suffix = f" (at {where})" if where else ""
            return DomainError(cause.rule_id, f"{model.__name__}{suffix}: {cause.message}")
    missing = [_path(d["loc"]) for d in details if d["type"] == "missing"]
    wrong = [_describe(d) for d in details if d["type"] != "missing"]
    parts = wrong[:_ERRORS_SHOWN]
    if len(wrong) > _ERRORS_SHOWN:
        parts.append(f"and {len(wrong) - _ERRORS_SHOWN} more")
    if missing:
        parts.append(f"missing field(s) {', '.join(missing)}")
    return DomainError(model.malformed_rule, f"malformed {model.__name__}: {'; '.join(parts)}")


def _describe(detail: ErrorDetails) -> str:
    """``path: what was expected (got <input>)`` for one field error."""
    where = _path(detail["loc"]) or "the record"
    return f"{where}: {detail['msg']} (got {detail['input']!r:.{_INPUT_SHOWN}})"


def _path(loc: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in loc)


class Programme(StrEnum):
    """Which national testing procedure a record belongs to."""

    UNT = "ubt"  # ҰБТ
    OZHSB = "ozhsb"  # ОЖСБ
    MAB = "mab"  # МАБ


class ExamLanguage(StrEnum):
    """Exam language (UNT-FORM-14, UNT-FORM-15, UNT-ROOM-3).

    English is a test language (sector 13, C-13); a room's language status is
    Kazakh or Russian, and an English-track applicant takes the History of
    Kazakhstan, and sits, in the Kazakh or Russian language chosen in sector 13.
    """

    KAZAKH = "kk"
    RUSSIAN = "ru"
    ENGLISH = "en"


#: The languages the History of Kazakhstan test (and a room's status) can have.
HISTORY_LANGUAGES = frozenset({ExamLanguage.KAZAKH, ExamLanguage.RUSSIAN})


class Gender(StrEnum):
    """Sector 11 of the application form (UNT-FORM-13)."""

    MALE = "male"
    FEMALE = "female"
