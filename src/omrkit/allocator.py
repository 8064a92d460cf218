"""Decoded pages from the heap, not from fresh mappings: a batch stops paying page faults.

glibc serves an allocation above its mmap threshold with a fresh mapping,
every page of which faults on first touch and is handed back on free. The
threshold starts at 128 KiB and rises only to the largest block freed so far,
and a block of exactly that size is mapped again. A decoded page (0.6 MB at
75 dpi, 1.1 MB at 100, 4.5 MB for a full 200 dpi scan) is allocated and freed
once per sheet, so whether each one costs 150 to 1 100 page faults depends on
what the process happened to free before. Measured on 2 cores, paired slices
of the same files: a batch of 200 dpi JPEGs reads 7 % faster from the heap,
of 300 dpi JPEGs 3 %.

:func:`tune_allocator` fixes both thresholds for the process, so such
buffers come from the heap and stay there between sheets; memory stays flat
in the number of sheets (each worker's arena keeps about one sheet's
buffers). It changes the whole process, so the library never calls it on its
own: the ``omrkit`` command does, and so may an application that reads
batches (``omrkit.allocator.tune_allocator()``, once, before the first).
:func:`peak_rss_kib` reads what that memory came to: the process's own peak.
"""

from __future__ import annotations

import ctypes
import functools
import resource
import sys
from pathlib import Path

__all__ = ["MMAP_THRESHOLD", "TRIM_THRESHOLD", "peak_rss_kib", "tune_allocator"]

#: Blocks up to this size come from the heap: glibc's upper limit on 64-bit
#: (a 300 dpi A4 page decoded in full is about 10 MB).
MMAP_THRESHOLD = 32 * 1024 * 1024
#: Free memory at the top of the heap kept for the next sheets, not handed back.
TRIM_THRESHOLD = 128 * 1024 * 1024
_STATUS = Path("/proc/self/status")
# mallopt's parameter numbers (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


@functools.cache
def tune_allocator() -> bool:
    """Fix glibc's mmap and trim thresholds for this process; once is enough.

    Returns
    -------
    bool
        True when both thresholds were set; False where the C library is not
        glibc (musl, macOS, Windows), which is left as it is.
    """
    try:
        # The symbols the process already has: glibc's, where it is the C library.
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, TypeError, AttributeError):  # no mallopt here, or no such lookup
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    # mallopt returns 1 on success; trim first, so the heap never shrinks below a page.
    return bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) and mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    )


def peak_rss_kib() -> int:
    """This process's peak resident memory in KiB: its own high-water mark (VmHWM).

    Not getrusage's ``ru_maxrss`` where procfs tells VmHWM: on Linux that
    survives exec, so a child started by a large process reports its parent's
    size, and it cannot be reset (``/proc/self/clear_refs`` resets VmHWM).
    Without procfs, ``ru_maxrss`` (bytes on macOS).
    """
    if _STATUS.exists():
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak
