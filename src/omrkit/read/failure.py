"""A sheet that could not be read, as a value: what, where, at which stage, and why.

A batch never raises for one sheet: an :class:`~omrkit.errors.OmrError` (a bad
input) and any other exception (a bug, kind ``InternalError``) both become a
:class:`SheetFailure`, and the batch goes on.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from omrkit.errors import DecodeError, LayoutError, OmrError, RegistrationError

__all__ = ["INTERNAL_ERROR", "SheetFailure", "failure_from"]

#: Error kind of an exception omrkit did not raise on purpose: a bug to report.
INTERNAL_ERROR = "InternalError"
#: The stage an omrkit error names by its class, wherever it was raised.
_STAGE_OF_KIND: dict[type[OmrError], str] = {
    DecodeError: "decode",
    RegistrationError: "registration",
    LayoutError: "layout",
}


class SheetFailure(BaseModel):
    """A sheet (or file) that could not be read.

    Attributes
    ----------
    source : str
        The input path as given.
    page : int or None
        Zero-based page, or None when the file itself could not be opened.
    error_kind : str
        The error class (``DecodeError``, ``RegistrationError``, ...) or
        ``InternalError`` for an unexpected exception.
    message : str
        What was wrong; for ``InternalError`` also where it was raised.
    field : str or None
        The layout field or parameter concerned, if any.
    stage : str
        Where the flow stopped: ``read``, ``decode``, ``registration``,
        ``layout``, ``measure`` or ``annotate``.
    sheet_id : str or None
        Content id of the page when the file's bytes could be read.
    layout_id : str or None
        The layout the sheet was read against.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    page: int | None = None
    error_kind: str
    message: str
    field: str | None = None
    stage: str = "read"
    sheet_id: str | None = None
    layout_id: str | None = None


def failure_from(
    exc: BaseException,
    *,
    source: str | Path,
    page: int | None,
    stage: str,
    sheet_id: str | None = None,
    layout_id: str | None = None,
) -> SheetFailure:
    """The failure row of ``exc`` raised at ``stage`` while reading ``source``.

    An :class:`OmrError` keeps its kind, message, page and field, and names its
    own stage when its class does (a ``RegistrationError`` is ``registration``
    wherever it came from). Any other exception is ``InternalError`` with its
    type, message and the last frame of its traceback.
    """
    if isinstance(exc, OmrError):
        return SheetFailure(
            source=str(source),
            page=exc.page if exc.page is not None else page,
            error_kind=exc.kind,
            message=exc.message,
            field=exc.field,
            stage=next((s for k, s in _STAGE_OF_KIND.items() if isinstance(exc, k)), stage),
            sheet_id=sheet_id,
            layout_id=layout_id,
        )
    frames = traceback.extract_tb(exc.__traceback__)
    # An exception that was never raised has no frames to name.
    where = (
        f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name})"
        if frames
        else ""
    )
    return SheetFailure(
        source=str(source),
        page=page,
        error_kind=INTERNAL_ERROR,
        message=f"{type(exc).__name__}: {exc}{where}",
        stage=stage,
        sheet_id=sheet_id,
        layout_id=layout_id,
    )
