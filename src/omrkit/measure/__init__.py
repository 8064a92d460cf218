"""Measurement: the inked share of every bubble.

In: a grey page, the registration and the layout's bubble arrays. Out: fill
ratios in [0, 1], one per bubble, with the sheet's ink levels and the bubbles
read against weakly separated ink. ``fill`` wraps the compiled kernel of
:mod:`omrkit._kernels`, ``ink`` sets the examinee's ink threshold from the sheet itself.
"""

from omrkit.measure.fill import fill_ratios
from omrkit.measure.ink import InkMeasurement, measure_ink, sheet_fill_ratios

__all__ = ["InkMeasurement", "fill_ratios", "measure_ink", "sheet_fill_ratios"]
