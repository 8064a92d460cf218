"""What every compiled kernel shares: argument types and the compile decorator.

Kernels are compiled eagerly for one explicit signature each, release the
GIL, are cached on disk and never raise (``error_model="numpy"``); their
arguments are read-only, C-contiguous arrays, so a wrong dtype or layout fails
loudly instead of compiling a second specialisation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt
from numba import njit, types

__all__: list[str] = []

#: Pixel ``(i, j)`` covers ``[j, j + 1) x [i, i + 1)``: its centre is half a pixel in.
PIXEL_CENTER = 0.5
#: Fast-math for the pixel loop only; ``nnan``/``ninf`` are safe there because
#: every operand is finite once :func:`_bubble_fill_ratio` has checked the geometry.
_PIXEL_LOOP_FASTMATH = {"reassoc", "nsz", "contract", "nnan", "ninf"}

_F8 = types.float64
_I8 = types.int64
#: Read-only, C-contiguous argument types: a writeable array converts to them,
#: a wrong dtype or layout fails loudly instead of compiling a new specialisation.
_GREY_IMAGE = types.Array(types.uint8, 2, "C", readonly=True)
_MATRIX = types.Array(types.float64, 2, "C", readonly=True)
_VECTOR = types.Array(types.float64, 1, "C", readonly=True)
_OUT_VECTOR = types.Array(types.float64, 1, "C")

_F8_PAIR = types.UniTuple(_F8, 2)  # type: ignore[no-untyped-call]  # numba's partial stubs

_Function = TypeVar("_Function", bound=Callable[..., Any])
_Grey = npt.NDArray[np.uint8]
_Floats = npt.NDArray[np.float64]


def _kernel(
    signature: Any, *, fastmath: bool | set[str] = False
) -> Callable[[_Function], _Function]:
    """Compile eagerly for ``signature`` only: GIL released, cached on disk, no raising."""
    return cast(
        "Callable[[_Function], _Function]",
        njit(signature, nogil=True, cache=True, fastmath=fastmath, error_model="numpy"),
    )
