"""Scanner drift during a run: calibration sheets in a batch, and the readings they doubt.

An operator may put a scanner-check sheet anywhere in a batch. The batch
reader recognises it by its printed layout code (:func:`batch_check`) and
checks it instead of failing it as a wrong sheet; :func:`flag_suspects` then
marks every reading between a failing check and the last passing one (and
after the failing one, until a check passes again) as suspect. Nothing stops:
suspects are re-scanned or looked at by a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from omrkit.calibrate.check import CALIBRATION_LAYOUT, check_scanner
from omrkit.calibrate.measure import register_calibration
from omrkit.errors import CalibrationError
from omrkit.layout.models import load_layout
from omrkit.types import SheetReading

__all__ = ["SUSPECT_FLAG", "CalibrationCheck", "batch_check", "flag_suspects"]

#: Flag added to a reading taken while the scanner was not known to be good.
SUSPECT_FLAG = "scanner-suspect"


class CalibrationCheck(BaseModel):
    """A calibration sheet met inside a batch, and what its check said."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    page: int = 0
    passed: bool
    reasons: tuple[str, ...] = ()

    def to_row(self) -> dict[str, Any]:
        """Row of the batch frame: the layout id says what it is, flags say why it failed."""
        return {
            "source": self.source,
            "page": self.page,
            "layout_id": CALIBRATION_LAYOUT,
            "calibration_passed": self.passed,
            "flags": [f"calibration-{r}" for r in self.reasons],
        }


def batch_check(
    image: npt.NDArray[np.uint8], *, source: str, page: int = 0
) -> CalibrationCheck | None:
    """Check ``image`` as a calibration sheet, or None when it is not one.

    Called by the batch reader on a sheet whose layout code is not the
    batch's: a calibration sheet is checked, anything else stays a failure.
    """
    layout = load_layout(CALIBRATION_LAYOUT)
    try:
        register_calibration(image, layout, source=source)
    except CalibrationError:
        return None
    try:
        report = check_scanner([image], layout=layout)
    except CalibrationError as exc:
        return CalibrationCheck(source=source, page=page, passed=False, reasons=(exc.message,))
    return CalibrationCheck(
        source=source, page=page, passed=report.passed, reasons=tuple(report.reasons)
    )


R = TypeVar("R")


def flag_suspects(results: Sequence[R]) -> list[R]:
    """``results`` in order, readings taken under a failing scanner flagged :data:`SUSPECT_FLAG`.

    A reading is suspect when a failing check follows it with no passing
    check in between, or when it follows a failing check with no passing
    check in between. Readings of a batch without checks are left alone.

    Examples
    --------
    >>> ok = CalibrationCheck(source="a", passed=True)
    >>> bad = CalibrationCheck(source="b", passed=False)
    >>> flag_suspects([ok, bad]) == [ok, bad]
    True
    """
    suspect: set[int] = set()
    since_pass: list[int] = []
    failing = False
    for i, r in enumerate(results):
        if isinstance(r, CalibrationCheck):
            if r.passed:
                failing, since_pass = False, []
            else:
                failing = True
                suspect.update(since_pass)
                since_pass = []
        elif isinstance(r, SheetReading):
            (suspect.add if failing else since_pass.append)(i)
    out = list(results)
    for i in suspect:
        reading = out[i]
        assert isinstance(reading, SheetReading)
        out[i] = reading.model_copy(update={"flags": (*reading.flags, SUSPECT_FLAG)})
    return out
