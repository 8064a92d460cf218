"""Progress of long batches on the command line, drawn by tqdm.

Batch functions take ``progress: Callable[[int, int], None]``, called as
``progress(done, total)``; :class:`ProgressBar` turns those calls into a
``tqdm.auto`` bar (a widget in a notebook, text on stderr elsewhere)::

    with ProgressBar("synth", total=200) as bar:
        synthesize_batch(layout, count=200, seed=0, out_dir="out", progress=bar.update)
"""

from __future__ import annotations

from types import TracebackType
from typing import TextIO

from tqdm.auto import tqdm

__all__ = ["ProgressBar"]


class ProgressBar:
    """A tqdm bar fed by ``update(done, total)`` calls.

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
        self.done = 0
        self.total = total
        self._bar = tqdm(desc=label, total=total, unit="sheet", disable=not enabled, file=stream)

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
        """Record that ``done`` of ``total`` items are finished; tqdm decides when to redraw."""
        if total != self.total:
            self._bar.total = total
        # tqdm counts increments; the batches report a running count.
        self._bar.update(done - self.done)
        self.done, self.total = done, total

    def close(self) -> None:
        """End the bar (its line on a terminal)."""
        self._bar.close()
