"""How ``omrkit bench`` times rates so that they compare on a shared machine.

A rate is seconds over a slice of a set's files: the decode floor (reading and
decoding, to grey or to colour, and nothing else), the batch's own first
decode, and the whole batch (:func:`~omrkit.read.batch.write_batch`).
Rates that are compared are timed in turn on the same slices, the order
reversed every other slice (:func:`in_turn`), so that a load that comes and
goes weighs on all alike; a ratio is the median of the slices' ratios.
"""

from __future__ import annotations

import math
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import cv2
import numpy as np

from omrkit.decode.reduced import decode_pages
from omrkit.layout.models import SheetLayout
from omrkit.read.batch import write_batch
from omrkit.read.sheet import ReadOptions
from omrkit.read.stream import first_decode_dpi

__all__ = [
    "PAIRED_ROUNDS",
    "Paired",
    "batch_seconds",
    "coarse_decoder",
    "coarse_seconds",
    "floor_seconds",
    "in_turn",
    "paired",
]

#: Slices of a set over which rates are timed in turn, in alternating order.
PAIRED_ROUNDS = 5

#: Seconds a rate takes over a slice of files.
Timer = Callable[[list[Path]], float]


def _threaded_seconds(one: Callable[[Path], None], files: list[Path], threads: int) -> float:
    """Seconds of ``one`` over the files on a pool of ``threads`` (warmed on a few first)."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, files[:threads]))
        t0 = time.perf_counter()
        list(pool.map(one, files))
        return time.perf_counter() - t0


def floor_seconds(files: list[Path], colour: bool, threads: int) -> float:
    """Seconds of reading and decoding the files and nothing else: to colour or to grey."""
    flag = cv2.IMREAD_COLOR if colour else cv2.IMREAD_GRAYSCALE

    def one(path: Path) -> None:
        cv2.imdecode(np.frombuffer(path.read_bytes(), np.uint8), flag)

    return _threaded_seconds(one, files, threads)


def coarse_decoder(layout: SheetLayout) -> Callable[[Path], None]:
    """Read and decode one file as a batch first does (:func:`first_decode_dpi`), nothing more."""
    page_mm = (layout.page.width_mm, layout.page.height_mm)
    min_dpi = first_decode_dpi(layout, ReadOptions())

    def one(path: Path) -> None:
        for _ in decode_pages(
            path.read_bytes(), dropout_color=layout.dropout_color, page_mm=page_mm, min_dpi=min_dpi
        ):
            pass

    return one


def coarse_seconds(files: list[Path], layout: SheetLayout, threads: int) -> float:
    """Seconds of the batch's first decode of the files and nothing else.

    What no batch can beat: its ratio to the floor is the ceiling of the
    read / decode ratio, set by the entropy decoding no reduced decode skips.
    """
    return _threaded_seconds(coarse_decoder(layout), files, threads)


def batch_seconds(
    files: list[Path], layout: SheetLayout, threads: int, options: ReadOptions | None = None
) -> float:
    """Seconds of the whole batch (kernels loaded and threads warm beforehand)."""
    run = partial(write_batch, layout=layout, options=options, workers=threads, progress=False)
    with tempfile.TemporaryDirectory() as warm:
        run(files[: 2 * threads], out_dir=warm)
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        summary = run(files, out_dir=out)
        seconds = time.perf_counter() - t0
    if summary.failures:
        raise RuntimeError(f"{summary.failures} bench sheets failed to read")
    return seconds


@dataclass(frozen=True, slots=True)
class Paired:
    """Two rates timed in turn on the same slices, and the median ratio of their slices."""

    first: float
    second: float
    ratio: float


def in_turn(files: list[Path], first: Timer, *others: Timer) -> list[Paired]:
    """``first`` against each of ``others``: sheets/s of both, and the median slice ratio.

    The set is cut into :data:`PAIRED_ROUNDS` slices; each slice is timed by
    all of them, the order reversed every other slice.
    """
    timers = (first, *others)
    size = max(1, math.ceil(len(files) / PAIRED_ROUNDS))
    slices = [files[i : i + size] for i in range(0, len(files), size)]
    totals = [0.0] * len(timers)
    ratios: list[list[float]] = [[] for _ in others]
    for n, part in enumerate(slices):
        order = range(len(timers)) if n % 2 == 0 else reversed(range(len(timers)))
        seconds = [0.0] * len(timers)
        for k in order:
            seconds[k] = timers[k](part)
            totals[k] += seconds[k]
        for k in range(len(others)):
            ratios[k].append(seconds[0] / seconds[k + 1])
    return [
        Paired(len(files) / totals[0], len(files) / totals[k + 1], statistics.median(ratios[k]))
        for k in range(len(others))
    ]


def paired(files: list[Path], first: Timer, second: Timer) -> Paired:
    """Sheets/s of ``first`` and ``second``, timed in turn (:func:`in_turn`), and second/first."""
    return in_turn(files, first, second)[0]
