"""The allocator tuning the ``omrkit`` command applies: decoded pages come from the heap."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from omrkit.allocator import tune_allocator

# The file decoded at half scale in a worker thread, as a batch decodes, in a
# fresh process (what it freed before decides the untuned case); prints page
# faults per decode.
_PROBE = """
import resource, sys, threading
from pathlib import Path
import cv2
import numpy as np
if sys.argv[2] == "tuned":
    from omrkit.allocator import tune_allocator
    assert tune_allocator()
path = Path(sys.argv[1])
def work():
    for _ in range(20):
        cv2.imdecode(np.frombuffer(path.read_bytes(), np.uint8), cv2.IMREAD_REDUCED_GRAYSCALE_2)
work()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
t = threading.Thread(target=work)
t.start()
t.join()
print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 20)
"""


def _faults_per_decode(path: Path, mode: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path), mode], check=True, capture_output=True, text=True
    )
    return float(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_tuned_process_reuses_decode_buffers_instead_of_faulting_them_in(tmp_path: Path) -> None:
    """Untuned, a decoded page's memory faults in anew each time; tuned, the heap keeps it."""
    # A 200 dpi A4 scan's size and density: paper, scanner noise, some dark boxes.
    page = np.random.default_rng(0).normal(235, 2.0, (2496, 1811))
    page[200:2300:40, 150:1650] = 40
    path = tmp_path / "scan.jpg"
    path.write_bytes(cv2.imencode(".jpg", page.clip(0, 255).astype(np.uint8))[1].tobytes())
    plain, tuned = _faults_per_decode(path, "plain"), _faults_per_decode(path, "tuned")
    assert plain > 200  # a 1.1 MB page is 276 pages of memory
    assert tuned < 0.1 * plain


def test_tuning_is_done_once_and_says_whether_it_took() -> None:
    first = tune_allocator()
    assert isinstance(first, bool)
    assert tune_allocator() is first
    if platform.libc_ver()[0] == "glibc":
        assert first
