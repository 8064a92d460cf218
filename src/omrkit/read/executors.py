"""Where a batch runs: a thread pool by default, any ``Executor``, or a Dask cluster.

Threads, not processes, by default: decoding (OpenCV) and measuring (numba,
``nogil``) release the GIL, so threads scale on one machine without pickling
images. Whatever runs the work, results come back in input order with a
bounded number of files in flight, so memory does not grow with the batch.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from os import cpu_count
from typing import Any, Protocol, TypeVar

__all__ = ["IN_FLIGHT_PER_WORKER", "ordered_map"]

#: Files submitted per worker thread before the oldest result is awaited: one
#: being read and one queued keeps every worker busy without piling up images.
IN_FLIGHT_PER_WORKER = 2

_In = TypeVar("_In")
_Out = TypeVar("_Out")


class _Submitter(Protocol):
    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any: ...


def _dask_executor(client: Any) -> tuple[_Submitter, int]:
    """A ``distributed.Client``'s executor (impure: the same file is read again if asked)."""
    threads = sum(client.nthreads().values()) or 1
    return client.get_executor(pure=False), threads


def _workers(executor: object) -> int:
    n = getattr(executor, "_max_workers", None)
    return n if isinstance(n, int) and n > 0 else cpu_count() or 1


def ordered_map(
    fn: Callable[[_In], _Out],
    items: Iterable[_In],
    *,
    executor: Executor | Any | None = None,
    workers: int | None = None,
) -> Iterator[_Out]:
    """``fn`` over ``items`` on ``executor``, yielded in input order, a few at a time.

    Parameters
    ----------
    fn : callable
        Must not raise (a batch turns errors into rows first); with a process
        or Dask executor it must be picklable, as must the items.
    items : iterable
    executor : concurrent.futures.Executor or distributed.Client, optional
        Default: a thread pool of ``workers`` threads, shut down at the end.
    workers : int, optional
        Threads of the default pool (default: CPU count); ignored otherwise.

    Yields
    ------
    fn(item) for each item, in order. At most ``IN_FLIGHT_PER_WORKER`` items
    per worker are submitted and not yet yielded.
    """
    if executor is None:
        n_workers = max(1, workers or cpu_count() or 1)
        with ThreadPoolExecutor(max_workers=n_workers, thread_name_prefix="omrkit") as pool:
            yield from _bounded(fn, items, pool, n_workers)
        return
    if not isinstance(executor, Executor) and hasattr(executor, "get_executor"):
        submitter, n_workers = _dask_executor(executor)
        yield from _bounded(fn, items, submitter, n_workers)
        return
    if not hasattr(executor, "submit"):
        raise TypeError(
            f"executor must be a concurrent.futures.Executor or a distributed.Client,"
            f" got {type(executor).__name__}"
        )
    yield from _bounded(fn, items, executor, _workers(executor))


def _bounded(
    fn: Callable[[_In], _Out], items: Iterable[_In], submitter: _Submitter, n_workers: int
) -> Iterator[_Out]:
    limit = IN_FLIGHT_PER_WORKER * n_workers
    pending: deque[Future[_Out]] = deque()
    try:
        for item in items:
            pending.append(submitter.submit(fn, item))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        # An abandoned stream (the consumer stopped early) reads nothing more.
        for future in pending:
            future.cancel()
