"""``omrkit bench``: the speed numbers of the README, measured on this machine.

Everything is measured in one run on one simulated set, so the numbers are
comparable with each other: the end-to-end read against the decode-only floor
(the engine should add little on top of decoding), the per-sheet measuring
cost with the image already decoded, and the fill kernel's raw throughput on
one and on all threads (it releases the GIL). pytest-benchmark suites in
``benchmarks/`` measure the same stages one at a time.
"""

from __future__ import annotations

import math
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import numpy.typing as npt

from omrkit._kernels import _fill_ratios_sheet
from omrkit.decode.images import decode_image
from omrkit.layout.models import OUTLINE_STROKE_MM, SheetLayout, load_layout
from omrkit.measure.fill import INK_RAMP, INK_THRESHOLD, _credit_line
from omrkit.read.batch import read_batch
from omrkit.read.sheet import measure_sheet
from omrkit.registration.codes import estimate_levels
from omrkit.registration.register import register
from omrkit.render import render_sheet
from omrkit.synth.simulate import ImageFormat, synthesize_batch

__all__ = ["BenchResult", "format_table", "run_bench"]

#: Timed repetitions of each per-sheet measurement; the median is reported.
REPEATS = 15
#: Passes over the set per timed round of the kernel throughput, and rounds.
KERNEL_PASSES = 8
KERNEL_ROUNDS = 5


@dataclass(frozen=True, slots=True)
class BenchResult:
    """One line of the benchmark table."""

    name: str
    value: float
    unit: str
    note: str = ""


def _median_ms(fn: Callable[[], object], repeats: int = REPEATS) -> float:
    fn()  # warm caches and compiled code
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return 1e3 * statistics.median(samples)


def _kernel_rate(layout: SheetLayout, images: list[npt.NDArray[np.uint8]], threads: int) -> float:
    """Bubbles per second of the compiled driver alone, threads over sheets (best of rounds).

    The public wrapper's argument checks and allocation (about 5 % of a
    sheet) are left out, as they are per call, not per bubble.
    """
    arrays = layout.bubbles
    inset = OUTLINE_STROKE_MM / 2
    jobs: list[tuple[npt.NDArray[np.uint8], npt.NDArray[np.float64], float, float]] = []
    for image in images:
        reg = register(image, layout)
        levels = estimate_levels(image, reg, layout)
        offset, slope = _credit_line(levels.paper, levels.ink, INK_THRESHOLD, INK_RAMP)
        jobs.append((image, np.ascontiguousarray(reg.homography), offset, slope))

    def one(job: tuple[npt.NDArray[np.uint8], npt.NDArray[np.float64], float, float]) -> None:
        image, h, offset, slope = job
        out = np.empty(arrays.n_bubbles)
        _fill_ratios_sheet(image, h, arrays.centers_mm, arrays.radii_mm, inset, offset, slope, out)

    work = jobs * KERNEL_PASSES
    best = math.inf
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, jobs))
        for _ in range(KERNEL_ROUNDS):
            t0 = time.perf_counter()
            list(pool.map(one, work))
            best = min(best, time.perf_counter() - t0)
    return len(work) * arrays.n_bubbles / best


def run_bench(
    *,
    count: int = 40,
    dpi: int = 200,
    seed: int = 7,
    threads: int | None = None,
    image_format: ImageFormat = "jpeg",
) -> list[BenchResult]:
    """Measure every stage on ``count`` simulated ubt-answer sheets.

    Returns
    -------
    list of BenchResult
        Rows in the order of the README's benchmark table.
    """
    layout = load_layout("ubt-answer")
    n_threads = threads or os.cpu_count() or 1
    rows: list[BenchResult] = []
    rows.append(BenchResult("render PDF", _median_ms(lambda: render_sheet(layout), 5), "ms"))
    rows.append(
        BenchResult(
            f"render PNG {dpi} dpi",
            _median_ms(lambda: render_sheet(layout, format="png", dpi=dpi), 5),
            "ms",
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        synthesize_batch(
            layout,
            count=count,
            seed=seed,
            out_dir=folder,
            dpi=dpi,
            image_format=image_format,
            workers=n_threads,
        )
        rows.append(
            BenchResult(
                "synthesize",
                count / (time.perf_counter() - t0),
                "sheets/s",
                f"{image_format}, {n_threads} threads",
            )
        )
        files = sorted(p for p in folder.iterdir() if p.name.startswith("sheet-"))
        blobs = [p.read_bytes() for p in files]
        with ThreadPoolExecutor(max_workers=n_threads) as pool:
            list(pool.map(decode_image, blobs[:2]))
            t0 = time.perf_counter()
            images = list(pool.map(decode_image, blobs))
            decode_rate = count / (time.perf_counter() - t0)
        t0 = time.perf_counter()
        read_batch(files, layout, workers=n_threads)
        read_rate = count / (time.perf_counter() - t0)
    rows.append(BenchResult("decode only (floor)", decode_rate, "sheets/s", f"{n_threads} threads"))
    rows.append(
        BenchResult(
            "read end to end",
            read_rate,
            "sheets/s",
            f"{read_rate / decode_rate:.0%} of the decode floor",
        )
    )
    per_sheet = [_median_ms(partial(measure_sheet, im, layout)) for im in images[:12]]
    rows.append(
        BenchResult(
            "measure one sheet",
            statistics.median(per_sheet),
            "ms",
            f"register+kernel+decide, worst {max(per_sheet):.2f} ms",
        )
    )
    for t in sorted({1, n_threads}):
        rate = _kernel_rate(layout, images[:8], t)
        rows.append(BenchResult(f"fill kernel, {t} thread(s)", rate / 1e6, "M bubbles/s"))
    return rows


def format_table(rows: list[BenchResult]) -> str:
    """The rows as a Markdown table."""
    lines = ["| stage | result | note |", "|---|---|---|"]
    for r in rows:
        lines.append(f"| {r.name} | {r.value:.2f} {r.unit} | {r.note} |")
    return "\n".join(lines)
