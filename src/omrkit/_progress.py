"""A small text progress bar for long batches, written to stderr.

Batch functions take ``progress: Callable[[int, int], None]``, called as
``progress(done, total)``; :class:`ProgressBar` is one such callable for the
command line::

    with ProgressBar("synth", total=200) as bar:
        synthesize_batch(layout, count=200, seed=0, out_dir="out", progress=bar.update)

On a terminal the bar redraws in place; in a log (not a terminal) it writes a
line every ``LOG_STEP`` of the work, so logs stay short.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

__all__ = ["ProgressBar"]

#: Characters of the bar itself.
BAR_WIDTH = 28
#: Shortest time between two redraws on a terminal, in seconds.
REDRAW_S = 0.1
#: Share of the work between two lines written to a log.
LOG_STEP = 0.1


class ProgressBar:
    """``label [#######-------]  37/200  18 %  3.2/s  ETA 51 s`` on stderr.

    Parameters
    ----------
    label : str
        What is being done, shown first.
    total : int
        Expected number of items; ``update`` may correct it.
    enabled : bool
        Draw nothing when False (``--quiet``), while keeping the interface.
    stream : text file, optional
        Where to draw; ``sys.stderr`` when None.
    """

    def __init__(
        self, label: str, *, total: int, enabled: bool = True, stream: TextIO | None = None
    ) -> None:
        if total < 0:
            raise ValueError(f"total must be >= 0, got {total}")
        self.label = label
        self.total = total
        self.done = 0
        self.enabled = enabled
        self._stream = stream if stream is not None else sys.stderr
        self._tty = bool(getattr(self._stream, "isatty", lambda: False)())
        self._started = time.monotonic()
        self._last_draw = float("-inf")
        self._last_logged_step = -1

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def update(self, done: int, total: int) -> None:
        """Record that ``done`` of ``total`` items are finished, and redraw if due."""
        self.done, self.total = done, total
        if not self.enabled:
            return
        now = time.monotonic()
        finished = done >= total
        if self._tty:
            if finished or now - self._last_draw >= REDRAW_S:
                self._stream.write("\r" + self.render(now))
                self._stream.flush()
                self._last_draw = now
            return
        step = int(done / total / LOG_STEP) if total else 0
        if step > self._last_logged_step or finished:
            self._last_logged_step = step
            self._stream.write(self.render(now) + "\n")
            self._stream.flush()

    def close(self) -> None:
        """End the bar's line on a terminal."""
        if self.enabled and self._tty and self._last_draw > float("-inf"):
            self._stream.write("\n")
            self._stream.flush()

    def render(self, now: float | None = None) -> str:
        """The bar as text, without line ending."""
        now = time.monotonic() if now is None else now
        share = self.done / self.total if self.total else 1.0
        filled = round(BAR_WIDTH * min(share, 1.0))
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        elapsed = max(now - self._started, 1e-9)
        rate = self.done / elapsed
        width = len(str(self.total))
        text = f"{self.label} [{bar}] {self.done:>{width}}/{self.total} {100 * share:3.0f} %"
        if self.done:
            remaining = max(self.total - self.done, 0) / rate if rate > 0 else 0.0
            text += f"  {rate:.1f}/s  ETA {remaining:.0f} s"
        return text
