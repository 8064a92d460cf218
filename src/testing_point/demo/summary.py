"""What the demo did: counts, timings and files, printed at the end."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Clock", "DemoSummary"]


@dataclass
class DemoSummary:
    """What the demo did: counts, timings and the files it wrote."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    ledger_heads: dict[int, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The summary as printed."""
        read = self.counts.get("answer sheets read", 0)
        reading = self.seconds.get("answer sheets", 0.0)
        out = [f"{name:>28}: {n}" for name, n in self.counts.items()]
        out += [f"{name:>28}: {s:.1f} s" for name, s in self.seconds.items()]
        if reading > 0:
            out.append(f"{'sheets/s (simulate + read)':>28}: {read / reading:.1f}")
        out += [f"{'ledger head, stream ' + str(s):>28}: {h[:16]}…" for s, h in
                self.ledger_heads.items()]  # fmt: skip
        return out


class Clock:
    """Names each step as it starts and times it into the summary."""

    def __init__(self, summary: DemoSummary, echo: Callable[[str], None]) -> None:
        self.summary, self.echo = summary, echo

    def step(self, name: str) -> _Timer:
        """Echo the step's name; the block it opens is timed into the summary."""
        self.echo(f"· {name}")
        return _Timer(self.summary, name)


class _Timer:
    def __init__(self, summary: DemoSummary, name: str) -> None:
        self.summary, self.name, self.start = summary, name, time.perf_counter()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        self.summary.seconds[self.name] = time.perf_counter() - self.start
