"""What every ``ubt`` sub-command shares: the store beside its documents, the clock, input files.

In: the ``--dir`` option, the operator's JSON files. Out: an open
:class:`~testing_point.store.Store`, validated domain models, or an
:class:`InputError` the command prints without a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

if TYPE_CHECKING:
    from testing_point.store import Store

__all__ = [
    "DOCUMENTS",
    "POINT",
    "STORE_FILE",
    "InputError",
    "PointSettings",
    "documents",
    "now",
    "open_store",
    "parse_time",
    "point_settings",
    "read_list",
    "read_model",
]

STORE_FILE = "point.sqlite"
DOCUMENTS = "documents"  # beside the store
POINT = ("point", "settings")  # the testing point's code and time zone, set by `ubt init`

M = TypeVar("M", bound=BaseModel)


class InputError(ValueError):
    """An operator's file or option the command cannot use; printed, exit status 2."""


class PointSettings(BaseModel):
    """What ``ubt init`` records about the testing point.

    Attributes
    ----------
    code : str
        The testing point's code, printed on its documents.
    utc_offset_hours : int
        The point's local time zone (Kazakhstan: +5), for deadlines counted in local days.
    """

    code: str
    utc_offset_hours: int

    @property
    def zone(self) -> dt.timezone:
        """The point's time zone."""
        return dt.timezone(dt.timedelta(hours=self.utc_offset_hours))


def now() -> dt.datetime:
    """The machine's clock, aware: the CLI is the only place the time comes from."""
    return dt.datetime.now(dt.UTC).astimezone()


def open_store(args: argparse.Namespace) -> Store:
    """The store in ``--dir``."""
    from testing_point.store import Store

    return Store.open(Path(args.dir) / STORE_FILE)


def documents(args: argparse.Namespace) -> Path:
    """The folder of printed documents, beside the store."""
    return Path(args.dir) / DOCUMENTS


def point_settings(store: Store) -> PointSettings:
    """The settings ``ubt init`` recorded; an :class:`InputError` before it ran."""
    body = store.get(*POINT)
    if body is None:
        raise InputError("the testing point is not set up: run `ubt init` first")
    return PointSettings.model_validate_json(body)


def _text(path: str | Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as unreadable:
        raise InputError(f"{path}: cannot read it ({unreadable})") from None


def read_model(path: str | Path, model: type[M]) -> M:
    """The JSON file at ``path`` validated as ``model`` (its fields are the file's format)."""
    from ubt_domain.errors import DomainError

    try:
        return model.model_validate_json(_text(path))
    except (ValidationError, DomainError) as bad:  # the domain's models name their rule (D-4)
        raise InputError(f"{path} is not a valid {model.__name__}:\n{bad}") from None


def read_list(path: str | Path, item: Any, what: str) -> list[Any]:
    """The JSON array at ``path``, each element validated as ``item`` (a model or type)."""
    from ubt_domain.errors import DomainError

    try:
        return list(TypeAdapter(list[item]).validate_json(_text(path)))
    except (ValidationError, DomainError) as bad:
        raise InputError(f"{path} is not a JSON list of {what}:\n{bad}") from None


def parse_time(text: str) -> dt.datetime:
    """An ISO 8601 time with its UTC offset (``2026-06-20T20:00+05:00``), for argparse."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} needs its UTC offset, e.g. +05:00")
    return moment
