"""The bench times two rates in turn on the same slices, so a passing load weighs on both."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from omrkit.cli.bench import PAIRED_ROUNDS, _paired


def test_paired_rates_alternate_and_take_the_median_slice_ratio() -> None:
    files = [Path(f"sheet-{n}.jpg") for n in range(2 * PAIRED_ROUNDS)]
    calls: list[str] = []
    # A load that doubles every call: whoever goes first in a slice is cheaper.
    clock = {"load": 1.0}

    def timed(name: str, per_file: float) -> Callable[[list[Path]], float]:
        def run(part: list[Path]) -> float:
            calls.append(name)
            seconds = per_file * len(part) * clock["load"]
            clock["load"] *= 2.0
            return seconds

        return run

    pair = _paired(files, timed("floor", 1.0), timed("batch", 2.0))
    slices = len(calls) // 2
    assert slices == PAIRED_ROUNDS
    # The order alternates slice by slice.
    assert calls[:4] == ["floor", "batch", "batch", "floor"]
    # Per slice the ratio is 1/4 (batch went second) or 1 (batch went first): median of them.
    ratios = sorted([0.25 if n % 2 == 0 else 1.0 for n in range(slices)])
    assert pair.ratio == pytest.approx(ratios[len(ratios) // 2])
    total_floor = sum(2 * 4.0**n * (1 if n % 2 == 0 else 2) for n in range(slices))
    assert pair.first == pytest.approx(len(files) / total_floor)
