"""Speed of simulated ҰБТ answer sheets: one sheet, and a batch written to disk.

Run with ``pytest benchmarks/bench_synth.py --benchmark-enable``. The batch
target: 200 sheets at 200 dpi, default profile, in under a minute on 2 cores.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from omrkit.layout.models import SheetLayout, load_layout
from omrkit.synth.page import page_template
from omrkit.synth.simulate import synthesize_batch, synthesize_sheet

DPI = 200
BATCH = 20


@pytest.fixture(scope="module")
def ubt_answer() -> SheetLayout:
    """The bundled ҰБТ answer sheet, its blank page rendered once."""
    layout = load_layout("ubt-answer")
    page_template(layout, DPI)
    return layout


@pytest.mark.parametrize("profile", ["none", "default", "harsh"])
def test_synthesize_sheet(benchmark: Any, ubt_answer: SheetLayout, profile: str) -> None:
    """Time one simulated sheet in memory, render cached."""
    seeds = iter(range(10**6))
    sheet = benchmark(
        lambda: synthesize_sheet(ubt_answer, seed=next(seeds), dpi=DPI, profile=profile)
    )
    assert sheet.image.ndim == 2


@pytest.mark.parametrize("image_format", ["png", "jpeg"])
def test_synthesize_batch(
    benchmark: Any, ubt_answer: SheetLayout, tmp_path: Path, image_format: str
) -> None:
    """Time a batch of sheets written to disk with ground truth, on all cores."""
    out = benchmark.pedantic(
        synthesize_batch,
        args=(ubt_answer,),
        kwargs={
            "count": BATCH,
            "seed": 0,
            "out_dir": tmp_path,
            "dpi": DPI,
            "image_format": image_format,
        },
        rounds=1,
        iterations=1,
    )
    assert len(list(out.glob("sheet-*"))) == BATCH
