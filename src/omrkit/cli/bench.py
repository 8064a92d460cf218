"""``omrkit bench``: the speed numbers of the README, measured on this machine.

Everything is measured in one run on the same files, so the numbers compare:
for grey and colour JPEGs at 200 and 300 dpi with a feeder's geometry and a
document scanner's compression (:data:`~omrkit.cli.bench_sets.BENCH_FEEDER`),
and for 300 dpi grey scans compressed as densely as the accuracy tests'
(:data:`~omrkit.cli.bench_sets.FEEDER`, twice the bits per pixel): the
decode-only floor (the same files decoded and nothing else, same threads:
to grey for grey scans, to colour for colour scans) against the end-to-end
batch (:func:`~omrkit.read.batch.write_batch`: hash, decode, measure, decide,
Parquet parts); for grey sets, the batch's first (coarse) decode alone against
the same floor, which is the ceiling of the read / decode ratio, since
entropy decoding takes the same time at any scale; the per-stage
milliseconds; the fill kernel's throughput on one and all threads (it
releases the GIL); one thread against all; and the peak resident memory of a
whole batch at two sizes, each in its own process.

Sets are a few simulated sheets written many times under distinct bytes
(simulation would otherwise dominate); decoding and reading cost the same
per file either way. How rates are timed so that they compare is
:mod:`omrkit.cli.bench_timing`; pytest-benchmark suites in ``benchmarks/``
measure single stages.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import platform
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import cv2
import numba
import numpy as np
import numpy.typing as npt

from omrkit._kernels import _fill_ratios_sheet
from omrkit.cli import bench_timing as timing
from omrkit.cli.bench_sets import FEEDER, BenchSet, make_set, peak_rss_mb
from omrkit.decode.headers import ImageFormat, parse_header
from omrkit.decode.images import decode_image
from omrkit.layout.models import OUTLINE_STROKE_MM, SheetLayout, load_layout
from omrkit.measure.fill import INK_RAMP, INK_THRESHOLD, _credit_line
from omrkit.read.batch import read_batch
from omrkit.read.sheet import ReadOptions, measure_sheet
from omrkit.registration.codes import estimate_levels
from omrkit.registration.register import register

__all__ = ["BenchResult", "format_json", "format_table", "run_bench"]

#: Sheets per set, distinct simulated sheets per set, and the two batch sizes of
#: the memory rows: full, and ``--quick``.
FULL_SHEETS, FULL_DISTINCT, FULL_RSS = 1000, 40, (1000, 5000)
QUICK_SHEETS, QUICK_DISTINCT, QUICK_RSS = 60, 6, (100, 500)
#: Timed repetitions of each per-sheet measurement; the median is reported.
REPEATS = 15
#: Ink of the set that shows what a sheet the coarse read refuses costs
#: (:mod:`omrkit.read.coarse`): decoded twice.
LIGHT_INK = "pencil-light"
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


def _cpu_model() -> str:
    """The CPU's name as the kernel gives it, or what :mod:`platform` knows."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    return platform.processor() or platform.machine()


def _machine_row(threads: int) -> BenchResult:
    """What the ratios depend on beside the code: the CPU and the JPEG decoder.

    How much a reduced decode saves against a full one is the CPU's, and it
    sets every ceiling: the same files gave a 300 dpi sheet's first decode
    alone 1.22-1.43 times the floor on one 2-core machine, 1.26-1.29 on another.
    """
    jpeg = next(
        (
            line.partition(":")[2].strip()
            for line in cv2.getBuildInformation().splitlines()
            if line.strip().startswith("JPEG:")
        ),
        "unknown",
    )
    note = (
        f"{_cpu_model()}; {threads} threads; OpenCV {cv2.__version__} (JPEG {jpeg}),"
        f" numba {numba.__version__}, numpy {np.__version__}"
    )
    return BenchResult("machine", float(os.cpu_count() or 1), "CPUs", note)


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


def _floor_rows(kind: str, pair: timing.Paired, note: str) -> list[BenchResult]:
    """The three rows of one set: decode-only and end-to-end sheets/s, and their ratio."""
    return [
        BenchResult(f"decode only, {kind}", pair.first, "sheets/s", note),
        BenchResult(f"read end to end, {kind}", pair.second, "sheets/s", note),
        BenchResult(
            f"read / decode, {kind}",
            pair.ratio,
            "x",
            f"the floor ratio, median of {timing.PAIRED_ROUNDS} alternating slices",
        ),
    ]


def _ceiling_rows(kind: str, pair: timing.Paired) -> list[BenchResult]:
    """The batch's own first decode alone, and its ratio to the floor: read / decode's ceiling."""
    return [
        BenchResult(
            f"coarse decode only, {kind}", pair.second, "sheets/s", "the batch's first decode"
        ),
        BenchResult(
            f"coarse decode / decode, {kind}",
            pair.ratio,
            "x",
            "the ceiling of read / decode: entropy decoding is not reduced",
        ),
    ]


def _set_note(bench: BenchSet, threads: int) -> str:
    """Size of a set, threads, and its scans' mean bits per pixel (what entropy decoding costs)."""
    bits = []
    for data in bench.jpegs:
        header = parse_header(data, ImageFormat.JPEG)
        bits.append(8.0 * len(data) / (header.width * header.height))
    return f"{len(bench.files)} sheets, {threads} threads, {statistics.fmean(bits):.2f} bit/px"


def _grey_set_rows(
    root: Path, kind: str, layout: SheetLayout, threads: int, *, no_coarse: bool = False,
    **scans: Any,
) -> list[BenchResult]:  # fmt: skip
    """Floor rows of a further grey set (``scans``: :func:`make_set`'s), made, timed, removed.

    With ``no_coarse`` the batch is also timed as ``omrkit read --no-coarse`` reads it.
    """
    extra = make_set(root / kind.replace(" ", "-"), layout, **scans)
    floor = partial(timing.floor_seconds, colour=False, threads=threads)
    batch = partial(timing.batch_seconds, layout=layout, threads=threads)
    once = partial(batch, options=ReadOptions(coarse_decode_min_dpi=None))
    pairs = timing.in_turn(extra.files, floor, batch, *([once] if no_coarse else []))
    shutil.rmtree(extra.folder)
    rows = _floor_rows(kind, pairs[0], _set_note(extra, threads))
    if no_coarse:
        note = "omrkit read --no-coarse: one decode a file, never coarse first"
        rows += [
            BenchResult(f"read --no-coarse, {kind}", pairs[1].second, "sheets/s", note),
            BenchResult(f"read --no-coarse / decode, {kind}", pairs[1].ratio, "x", note),
        ]
    return rows


def _stage_ms(bench: BenchSet, layout: SheetLayout) -> dict[str, float]:
    """Median milliseconds of each stage on one thread: decode as the batch does, then measure.

    The decode is the batch's first one (at 100 dpi for a 200 dpi scan,
    :mod:`omrkit.read.coarse`); a sheet of light ink is decoded a second time.
    """
    readings = list(read_batch(bench.files[: bench.distinct], layout, workers=1, progress=False))
    stages: dict[str, list[float]] = {"decode_ms": []}
    decode = timing.coarse_decoder(layout)
    for path in bench.files[: bench.distinct]:
        t0 = time.perf_counter()
        decode(path)
        stages["decode_ms"].append(1e3 * (time.perf_counter() - t0))
    for r in readings:
        for name, ms in getattr(r, "timings_ms", {}).items():
            stages.setdefault(name, []).append(ms)
    return {k: statistics.median(v) for k, v in stages.items()}


def run_bench(
    *,
    quick: bool = False,
    threads: int | None = None,
    seed: int = 7,
) -> list[BenchResult]:
    """Measure the stages and the floor ratios; rows in the order of the README's table.

    Parameters
    ----------
    quick : bool
        Small sets (:data:`QUICK_SHEETS`) and memory at (100, 500) sheets, for a smoke run.
    threads : int, optional
        Threads of every pool (default: CPU count).
    seed : int
        Seed of the simulated sheets.
    """
    layout = load_layout("ubt-answer")
    n_threads = threads or os.cpu_count() or 1
    count, distinct, rss_sizes = (
        (QUICK_SHEETS, QUICK_DISTINCT, QUICK_RSS)
        if quick
        else (FULL_SHEETS, FULL_DISTINCT, FULL_RSS)
    )
    rows = [_machine_row(n_threads)]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for dpi in (200, 300):
            grey = make_set(
                root / f"grey{dpi}", layout, dpi=dpi, count=count, distinct=distinct, seed=seed
            )
            colour = make_set(
                root / f"colour{dpi}",
                layout,
                dpi=dpi,
                count=count,
                distinct=distinct,
                seed=seed,
                colour=True,
                reuse=grey,
            )
            batch = partial(timing.batch_seconds, layout=layout, threads=n_threads)
            for bench in (grey, colour):
                floor = partial(timing.floor_seconds, colour=bench.colour, threads=n_threads)
                kind = f"{'colour' if bench.colour else 'grey'} JPEG {dpi} dpi"
                # A grey set also times the batch's first decode alone: its ceiling.
                coarse = partial(timing.coarse_seconds, layout=layout, threads=n_threads)
                timers = (batch,) if bench.colour else (batch, coarse)
                pairs = timing.in_turn(bench.files, floor, *timers)
                rows += _floor_rows(kind, pairs[0], _set_note(bench, n_threads))
                if not bench.colour:
                    rows += _ceiling_rows(kind, pairs[1])
            if dpi == 300:
                # The accuracy tests' compression: twice a scanner's bits per pixel.
                kind = f"dense grey JPEG {dpi} dpi"
                rows += _grey_set_rows(root, kind, layout, n_threads, dpi=dpi, count=count,
                                       distinct=distinct, seed=seed, profile=FEEDER)  # fmt: skip
            if dpi == 200:
                # Light pencil is read coarse, refused, and decoded again finer,
                # unless the batch is told not to try (--no-coarse).
                kind = f"{LIGHT_INK} grey JPEG {dpi} dpi"
                rows += _grey_set_rows(root, kind, layout, n_threads, no_coarse=True, dpi=dpi,
                                       count=count, distinct=distinct, seed=seed,
                                       ink=LIGHT_INK)  # fmt: skip
                single = partial(timing.batch_seconds, layout=layout, threads=1)
                threads_pair = timing.paired(grey.files, single, batch)
                rows.append(
                    BenchResult(
                        f"{n_threads} threads / 1 thread, grey 200 dpi",
                        threads_pair.ratio,
                        "x",
                        f"{threads_pair.first:.1f} sheets/s on one thread,"
                        f" {threads_pair.second:.1f} on {n_threads}",
                    )
                )
                for stage, ms in _stage_ms(grey, layout).items():
                    rows.append(BenchResult(f"stage {stage}", ms, "ms", "median, grey 200 dpi"))
                images = [decode_image(p.read_bytes()) for p in grey.files[:12]]
                per_sheet = [_median_ms(partial(measure_sheet, im, layout)) for im in images]
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
                    rows.append(
                        BenchResult(f"fill kernel, {t} thread(s)", rate / 1e6, "M bubbles/s")
                    )
                for size in rss_sizes:
                    big = make_set(
                        root / f"rss{size}",
                        layout,
                        dpi=dpi,
                        count=size,
                        distinct=distinct,
                        seed=seed,
                        reuse=grey,
                    )
                    rows.append(
                        BenchResult(
                            f"peak RSS, {size} sheets",
                            peak_rss_mb(big.folder, n_threads),
                            "MB",
                            "grey 200 dpi, whole batch in its own process",
                        )
                    )
                    shutil.rmtree(big.folder)
    return rows


def format_table(rows: list[BenchResult]) -> str:
    """The rows as a Markdown table."""
    lines = ["| stage | result | note |", "|---|---|---|"]
    for r in rows:
        lines.append(f"| {r.name} | {r.value:.2f} {r.unit} | {r.note} |")
    return "\n".join(lines)


def format_json(rows: list[BenchResult]) -> str:
    """The rows as a JSON list of ``{name, value, unit, note}``."""
    return json.dumps([dataclasses.asdict(r) for r in rows], indent=2)
