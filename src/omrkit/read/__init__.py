"""Reading: the whole flow for one sheet and for batches.

``sheet`` runs decode → register → measure → decide → fields for one image and
returns a :class:`~omrkit.types.SheetReading`; ``batch`` streams it over many
files (``sources`` → ``stream`` on ``executors`` → ``frame`` rows → ``sink``
parts), turning each failure into a row (``failure``); ``coarse`` decides when a
reading at a half or a quarter of the scan's resolution stands; ``photo`` reads
a phone photo of a sheet.
"""

from omrkit.read.batch import (
    SheetFailure,
    load_results,
    read_batch,
    readings_frame,
    write_batch,
)
from omrkit.read.sheet import ReadOptions, read_image, read_sheet

__all__ = [
    "ReadOptions",
    "SheetFailure",
    "load_results",
    "read_batch",
    "read_image",
    "read_sheet",
    "readings_frame",
    "write_batch",
]
