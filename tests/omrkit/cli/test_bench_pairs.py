"""The bench times two rates in turn on the same slices, so a passing load weighs on both."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from omrkit.cli.bench_timing import PAIRED_ROUNDS, in_turn, paired


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

    pair = paired(files, timed("floor", 1.0), timed("batch", 2.0))
    slices = len(calls) // 2
    assert slices == PAIRED_ROUNDS
    # The order alternates slice by slice.
    assert calls[:4] == ["floor", "batch", "batch", "floor"]
    # Per slice the ratio is 1/4 (batch went second) or 1 (batch went first): median of them.
    ratios = sorted([0.25 if n % 2 == 0 else 1.0 for n in range(slices)])
    assert pair.ratio == pytest.approx(ratios[len(ratios) // 2])
    total_floor = sum(2 * 4.0**n * (1 if n % 2 == 0 else 2) for n in range(slices))
    assert pair.first == pytest.approx(len(files) / total_floor)


def test_several_rates_are_timed_in_turn_against_the_first() -> None:
    """Three rates: each slice times all, reversed every other slice; ratios to the first."""
    files = [Path(f"sheet-{n}.jpg") for n in range(PAIRED_ROUNDS)]
    calls: list[str] = []

    def timed(name: str, per_file: float) -> Callable[[list[Path]], float]:
        def run(part: list[Path]) -> float:
            calls.append(name)
            return per_file * len(part)

        return run

    batch, coarse = in_turn(files, timed("floor", 1.0), timed("batch", 2.0), timed("coarse", 0.5))
    assert calls[:6] == ["floor", "batch", "coarse", "coarse", "batch", "floor"]
    assert len(calls) == 3 * PAIRED_ROUNDS
    assert (batch.ratio, coarse.ratio) == (pytest.approx(0.5), pytest.approx(2.0))
    assert batch.first == coarse.first == pytest.approx(1.0)
