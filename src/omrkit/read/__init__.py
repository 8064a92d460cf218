"""Reading: the whole flow for one sheet and for batches.

``sheet`` runs decode → register → measure → decide → fields for one image and
returns a :class:`~omrkit.types.SheetReading`; ``batch`` maps it over many files,
turning each failure into a row.
"""

from omrkit.read.batch import SheetFailure, read_batch, readings_frame
from omrkit.read.sheet import ReadOptions, read_image, read_sheet

__all__ = [
    "ReadOptions",
    "SheetFailure",
    "read_batch",
    "read_image",
    "read_sheet",
    "readings_frame",
]
