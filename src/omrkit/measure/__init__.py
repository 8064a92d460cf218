"""Measurement: the inked share of every bubble.

In: a grey page, the registration and the layout's bubble arrays. Out: fill
ratios in [0, 1], one per bubble. ``fill`` wraps the compiled kernel of
:mod:`omrkit._kernels`, ``ink`` sets the examinee's ink threshold from the sheet itself.
"""

from omrkit.measure.fill import fill_ratios
from omrkit.measure.ink import sheet_fill_ratios

__all__ = ["fill_ratios", "sheet_fill_ratios"]
