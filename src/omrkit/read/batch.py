"""Reading many sheets: every input yields a reading or a failure row, never nothing.

The public face of batch reading; the parts live beside it:

- :mod:`~omrkit.read.sources`: files, directories and patterns to file paths;
- :mod:`~omrkit.read.stream`: :func:`read_batch`, the worker's unit of work;
- :mod:`~omrkit.read.executors`: threads, any ``Executor``, or a Dask cluster;
- :mod:`~omrkit.read.failure`: :class:`SheetFailure`, a sheet that could not be read;
- :mod:`~omrkit.read.frame`: the fixed schema of the batch frame;
- :mod:`~omrkit.read.sink`: :func:`write_batch`, Parquet parts with exactly-once resume.
"""

from __future__ import annotations

from omrkit.read.failure import SheetFailure
from omrkit.read.frame import BatchResult, frame_schema, readings_frame
from omrkit.read.sink import BatchSummary, load_results, write_batch
from omrkit.read.sources import expand_sources
from omrkit.read.stream import read_batch

__all__ = [
    "BatchResult",
    "BatchSummary",
    "SheetFailure",
    "expand_sources",
    "frame_schema",
    "load_results",
    "read_batch",
    "readings_frame",
    "write_batch",
]
