"""Order statistics as numpy computes them, bit for bit, without its per-call cost.

The ink measurement takes a few quantiles and medians of small arrays on every
sheet; numpy's argument handling then costs more than the arithmetic. These
give numpy's results to the last bit (``tests/omrkit/measure/test_order.py``
holds them to it), so readings do not depend on which is used.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

__all__ = ["quantiles", "sorted_median"]


def quantiles(values: npt.NDArray[np.float64], qs: tuple[float, ...]) -> list[float]:
    """``np.quantile(values, qs)`` (linear method, finite values), bit for bit, at less cost.

    Two sheets' worth of ``np.quantile`` calls cost a third of the ink
    measurement in argument handling; one partition and scalar arithmetic do
    the same: numpy's index ``q (n - 1)`` and its two-sided interpolation.
    """
    n = values.size
    last = n - 1
    positions = [last * q for q in qs]
    lows = [min(math.floor(p), last) for p in positions]
    part = np.partition(values, sorted({i for lo in lows for i in (lo, min(lo + 1, last))}))
    out = []
    for p, lo in zip(positions, lows, strict=True):
        if lo >= last:
            out.append(float(part[last]))
            continue
        a, b, t = float(part[lo]), float(part[lo + 1]), p - lo
        diff = b - a
        out.append(b - diff * (1.0 - t) if t >= 0.5 else a + diff * t)
    return out


def sorted_median(ordered: list[float]) -> float:
    """``np.median`` of ascending, non-empty ``ordered``, bit for bit, without its array calls.

    The middle value, or the mean of the middle two: numpy's sum of the two
    then its division by two. NaN sorts last, and makes the median NaN.
    """
    if math.isnan(ordered[-1]):
        return math.nan
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2
