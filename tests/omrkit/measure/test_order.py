"""Order statistics of the ink measurement are numpy's, bit for bit, at less cost."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from omrkit.measure._order import quantiles, sorted_median
from omrkit.measure.ink import _LOW_QUANTILE, BASELINE_QUANTILE

_FINITE = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)
_QS = st.sampled_from([0.0, 0.5, 1.0, BASELINE_QUANTILE, _LOW_QUANTILE, 1.0 - _LOW_QUANTILE])


@settings(max_examples=300, deadline=None)
@given(
    values=arrays(np.float64, st.integers(1, 400), elements=_FINITE),
    qs=st.lists(_QS, min_size=1, max_size=3),
)
def test_quantiles_equal_numpy_quantiles_exactly(values: np.ndarray, qs: list[float]) -> None:
    expected = np.quantile(values, qs).tolist()
    assert quantiles(values, tuple(qs)) == expected


def test_quantiles_leave_their_input_in_order() -> None:
    values = np.array([3.0, 1.0, 2.0])
    assert quantiles(values, (0.5,)) == [2.0]
    assert values.tolist() == [3.0, 1.0, 2.0]


@settings(max_examples=300, deadline=None)
@given(values=arrays(np.float64, st.integers(1, 200), elements=_FINITE))
def test_sorted_median_equals_numpy_median_exactly(values: np.ndarray) -> None:
    """The median of sorted levels is np.median's, to the last bit."""
    ordered = np.sort(values)
    assert sorted_median(ordered.tolist()) == float(np.median(ordered))


def test_sorted_median_of_levels_holding_nan_is_nan() -> None:
    """A NaN sorts last and makes the median NaN, as in numpy."""
    ordered = np.sort(np.array([0.3, np.nan, 0.1]))
    assert np.isnan(np.median(ordered))
    assert np.isnan(sorted_median(ordered.tolist()))
