"""The files ``omrkit bench`` reads: feeder-like scans, many copies, and a memory probe.

Simulating a thousand 300 dpi sheets takes longer than reading them, so a set
is ``distinct`` simulated sheets written ``count`` times in all, each copy
with its own bytes (a tag after the JPEG's end-of-image marker): every file
is hashed, decoded and measured as a new sheet, at the cost of a real one.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from omrkit.layout.models import SheetLayout
from omrkit.synth.inks import synthesize_ink_sheet
from omrkit.synth.profiles import DegradationProfile, degradation_profile
from omrkit.synth.simulate import synthesize_sheet

__all__ = ["BENCH_FEEDER", "FEEDER", "BenchSet", "make_set", "peak_rss_mb"]

#: What a sheet feeder gives: skew up to ±3°, scale ±2 %, the default profile's
#: perspective, one sheet in ten upside down; every scan a JPEG. Its noise and
#: JPEG quality are the default profile's (up to sigma 4 at quality 95), which
#: stress the accuracy tests: some 1.0 bit per pixel, twice a real scanner's.
FEEDER: DegradationProfile = degradation_profile("default").model_copy(
    update={
        "name": "feeder",
        "rotation_deg": 3.0,
        "scale_pct": 2.0,
        "upside_down_prob": 0.1,
        "jpeg_prob": 1.0,
    }
)
#: Sensor noise (grey levels) and JPEG quality of a document scanner's files.
#: The real A4 document scans of the test corpus (200 dpi, colour, quality
#: about 78) hold 0.50-0.57 bit per pixel; with these a simulated grey scan
#: holds 0.55-0.7 (200 dpi), still denser: decoding them is not made cheaper
#: than a real scanner's files (``tests/omrkit/cli/test_bench_sets.py``).
SCANNER_NOISE_SIGMA = (1.0, 2.5)
SCANNER_JPEG_QUALITY = (75, 85)
#: The files ``omrkit bench`` times: :data:`FEEDER`'s geometry, a scanner's files.
BENCH_FEEDER: DegradationProfile = FEEDER.model_copy(
    update={
        "name": "bench-feeder",
        "noise_sigma": SCANNER_NOISE_SIGMA,
        "jpeg_quality": SCANNER_JPEG_QUALITY,
    }
)
#: Colour scans: the grey scan in red (what a pink dropout is read in), green
#: and blue this much darker, so the chroma a colour JPEG carries is not empty.
COLOUR_TINT = 0.9
COLOUR_JPEG_QUALITY = 90
_KIB_PER_MIB = 1024


@dataclass(frozen=True, slots=True)
class BenchSet:
    """Files of one benchmark set."""

    folder: Path
    files: list[Path]
    colour: bool
    distinct: int
    jpegs: tuple[bytes, ...]


def _colour_jpeg(grey: npt.NDArray[np.uint8]) -> bytes:
    tinted = np.clip(grey * COLOUR_TINT, 0, 255).astype(np.uint8)
    bgr = cv2.merge([tinted, tinted, grey])
    ok, buf = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, COLOUR_JPEG_QUALITY])
    if not ok:  # pragma: no cover - cv2 only fails on impossible shapes
        raise RuntimeError("could not encode a colour bench sheet")
    return bytes(buf)


def make_set(
    folder: Path,
    layout: SheetLayout,
    *,
    dpi: int,
    count: int,
    distinct: int,
    seed: int,
    colour: bool = False,
    reuse: BenchSet | None = None,
    ink: str | None = None,
    profile: DegradationProfile = BENCH_FEEDER,
) -> BenchSet:
    """Write ``count`` files from ``distinct`` simulated ``profile`` scans (or ``reuse``'s).

    A colour set made from a grey ``reuse`` holds the same scans in colour;
    ``ink`` names a profile of :data:`omrkit.synth.inks.INK_PROFILES` to fill
    the sheets with (default: the simulator's pen and pencil).
    """
    if reuse is not None and colour and not reuse.colour:
        grey = [
            np.asarray(cv2.imdecode(np.frombuffer(j, np.uint8), cv2.IMREAD_GRAYSCALE), np.uint8)
            for j in reuse.jpegs
        ]
        jpegs = tuple(_colour_jpeg(g) for g in grey)
    elif reuse is not None:
        jpegs = reuse.jpegs
    else:
        sheets = [
            synthesize_sheet(layout, seed=seed + i, dpi=dpi, profile=profile)
            if ink is None
            else synthesize_ink_sheet(layout, ink, seed=seed + i, dpi=dpi, profile=profile)
            for i in range(distinct)
        ]
        jpegs = tuple(_colour_jpeg(s.image) if colour else (s.jpeg or b"") for s in sheets)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for n in range(count):
        path = folder / f"sheet-{n:06d}.jpg"
        path.write_bytes(jpegs[n % len(jpegs)] + b"copy%06d" % n)
        files.append(path)
    return BenchSet(folder, files, colour, len(jpegs), jpegs)


# As ``omrkit read`` runs a batch: with the allocator tuned; the peak is the
# process's own (peak_rss_kib), not the bench process's it was started from.
_PROBE = """
import sys, tempfile
from omrkit.allocator import peak_rss_kib, tune_allocator
from omrkit.read.batch import write_batch
tune_allocator()
with tempfile.TemporaryDirectory() as out:
    write_batch(sys.argv[1], "ubt-answer", out, workers=int(sys.argv[2]), progress=False)
print(peak_rss_kib())
"""


def peak_rss_mb(folder: Path, threads: int) -> float:
    """Peak resident memory (MiB) of a fresh process writing the batch of ``folder``."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(folder), str(threads)],
        check=True,
        capture_output=True,
        text=True,
    )
    kib = int(done.stdout.strip().splitlines()[-1])
    return kib / _KIB_PER_MIB
