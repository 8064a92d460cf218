"""Speed of the fill-ratio kernel and of deciding and decoding a sheet.

Run with ``pytest benchmarks/bench_kernels.py --benchmark-enable``; each
result carries ``bubbles_per_s`` in its extra info (``--benchmark-json``).
The sheets are simulated ҰБТ answer sheets (848 bubbles) at 200 dpi.

Targets: the kernel alone measures at least 3 million bubbles per second on
2 cores (threads over sheets: the kernel releases the GIL); deciding and
decoding one sheet takes well under 0.5 ms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from omrkit._kernels import _fill_ratios_sheet
from omrkit.decide import decide_slots, decode_fields
from omrkit.layout.models import OUTLINE_STROKE_MM, SheetLayout, load_layout
from omrkit.measure.fill import INK_RAMP, INK_THRESHOLD, _credit_line, fill_ratios
from omrkit.synth.simulate import synthesize_sheet

DPI = 200
#: Distinct simulated sheets; the throughput runs cycle through them.
DISTINCT_SHEETS = 4
#: Sheets per throughput round: 64 x 848 = 54 272 bubbles.
SHEETS_PER_ROUND = 64
#: Levels of the simulated scanner's default profile, roughly; speed does not depend on them.
PAPER_LEVEL = 240.0
INK_LEVEL = 20.0

_Sheet = tuple[npt.NDArray[np.uint8], npt.NDArray[np.float64]]


@pytest.fixture(scope="module")
def layout() -> SheetLayout:
    return load_layout("ubt-answer")


@pytest.fixture(scope="module")
def sheets(layout: SheetLayout) -> list[_Sheet]:
    """Scanned sheets (image, layout-to-image homography) with marks on them."""
    made = [synthesize_sheet(layout, seed=seed, dpi=DPI) for seed in range(DISTINCT_SHEETS)]
    return [(sheet.image, sheet.truth.homography) for sheet in made]


def _kernel_call(layout: SheetLayout) -> Callable[[_Sheet], None]:
    """Measure one sheet with the compiled driver alone, into a reused output."""
    arrays = layout.bubbles
    offset, slope = _credit_line(PAPER_LEVEL, INK_LEVEL, INK_THRESHOLD, INK_RAMP)
    inset = OUTLINE_STROKE_MM / 2

    def measure(sheet: _Sheet) -> None:
        out = np.empty(arrays.n_bubbles)
        image, homography = sheet
        _fill_ratios_sheet(
            image, homography, arrays.centers_mm, arrays.radii_mm, inset, offset, slope, out
        )

    return measure


def _public_fill_ratios(layout: SheetLayout, sheet: _Sheet) -> npt.NDArray[np.float64]:
    """Fill ratios of one sheet through the public wrapper, at the simulated levels."""
    arrays = layout.bubbles
    image, homography = sheet
    return fill_ratios(
        image,
        homography,
        arrays.centers_mm,
        arrays.radii_mm,
        paper_level=PAPER_LEVEL,
        ink_level=INK_LEVEL,
    )


def _cycle(sheets: list[_Sheet], n: int) -> Iterator[_Sheet]:
    return (sheets[i % len(sheets)] for i in range(n))


def test_fill_ratios_one_sheet(benchmark: Any, layout: SheetLayout, sheets: list[_Sheet]) -> None:
    """Time the public wrapper on one sheet: validation, allocation and kernel."""
    n_bubbles = layout.bubbles.n_bubbles
    ratios = benchmark(_public_fill_ratios, layout, sheets[0])
    if benchmark.stats is not None:  # None when run with --benchmark-disable
        benchmark.extra_info["bubbles_per_s"] = n_bubbles / benchmark.stats.stats.mean
    assert ratios.shape == (n_bubbles,)


@pytest.mark.parametrize("threads", [1, 2])
def test_kernel_throughput(
    benchmark: Any, layout: SheetLayout, sheets: list[_Sheet], threads: int
) -> None:
    """Bubbles per second of the kernel alone, threads over sheets."""
    measure = _kernel_call(layout)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(measure, sheets))  # compiled and warm before timing
        benchmark.pedantic(
            lambda: list(pool.map(measure, _cycle(sheets, SHEETS_PER_ROUND))),
            rounds=10,
            iterations=1,
        )
    bubbles = SHEETS_PER_ROUND * layout.bubbles.n_bubbles
    if benchmark.stats is not None:  # None when run with --benchmark-disable
        benchmark.extra_info["bubbles_per_s"] = bubbles / benchmark.stats.stats.mean
    benchmark.extra_info["threads"] = threads


def test_decide_and_decode_one_sheet(
    benchmark: Any, layout: SheetLayout, sheets: list[_Sheet]
) -> None:
    """Time the 50 % rule, slot states and field decoding for one sheet."""
    arrays = layout.bubbles
    ratios = _public_fill_ratios(layout, sheets[0])
    fields = benchmark(lambda: decode_fields(layout, decide_slots(ratios, arrays)))
    assert len(fields) == len(layout.fields)
