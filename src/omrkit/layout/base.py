"""The base every layout and reading model shares: frozen, no unknown keys.

In: nothing. Out: ``_Frozen`` (the model base, also of :mod:`omrkit.types`),
``_Mm`` (a finite length in millimetres) and ``_Identifier`` (a layout id).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

__all__: list[str] = []  # private to omrkit: the layout models re-export what users see

_Mm = Annotated[float, Field(allow_inf_nan=False)]
_Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]


class _Frozen(BaseModel):  # the base of every omrkit model, readings (omrkit.types) too
    model_config = ConfigDict(frozen=True, extra="forbid")
