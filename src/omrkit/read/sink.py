"""A batch written as it goes: Parquet parts, a manifest, and exactly-once resume.

::

    OUT_DIR/
        manifest.jsonl           one line per committed part (after a header line)
        part-000000.parquet      the frame's rows of the first files, in input order
        part-000001.parquet      ...

A part is written to a temporary file, flushed to disk (fsync), renamed into
place, and only then committed by appending its line to the manifest (and
fsyncing it): the part's name, the SHA-256 of its bytes, its row count and
the content hashes of the files it holds. Whatever moment the process dies
at, the manifest names only whole parts. A rerun of the same batch reads the
manifest, removes what it does not name (a part renamed but not committed, a
temporary file, a torn last line), and skips every file whose content hash is
committed: nothing is lost and nothing is read twice. Because results come in
input order and parts are committed in order, the resumed output equals an
uninterrupted run's row for row.

Parts are committed by one background thread while the workers go on
reading: building a part's frame, writing it and waiting on three fsyncs
would otherwise stop the stream for as long, and with a few files in flight
per worker the workers would sit idle through it. The stream waits only when
a part fills before the one before it is written, so at most two parts are
held at once, and a single committer keeps the parts in input order.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from omrkit.errors import DecodeError, OutputError
from omrkit.layout.models import SheetLayout, load_layout
from omrkit.read.failure import SheetFailure
from omrkit.read.frame import BatchResult, frame_schema, readings_frame
from omrkit.read.sheet import ReadOptions
from omrkit.read.sources import expand_sources
from omrkit.read.stream import SheetReader, stream_files

__all__ = ["MANIFEST", "BatchSummary", "committed_keys", "load_results", "write_batch"]

#: The manifest's file name in the output directory.
MANIFEST = "manifest.jsonl"
#: Files per part: large enough that Parquet compresses well and opening a part
#: is cheap next to reading it, small enough that a crash redoes little.
DEFAULT_PART_FILES = 256
_MANIFEST_VERSION = 1
_PART_GLOB = "part-*.parquet"
_TMP_SUFFIX = ".tmp"


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What :func:`write_batch` did."""

    out_dir: Path
    files: int
    skipped: int
    rows: int
    failures: int
    parts: int


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_manifest(out_dir: Path) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The header and the committed part records; a torn last line is no record."""
    path = out_dir / MANIFEST
    if not path.exists():
        return None, []
    header: dict[str, Any] | None = None
    parts: list[dict[str, Any]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            break  # the process died while appending: this and nothing after counts
        if header is None:
            header = record
        else:
            parts.append(record)
    return header, parts


def _append_line(path: Path, record: dict[str, Any]) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(record, separators=(",", ":")) + "\n")
        f.flush()
        os.fsync(f.fileno())


def _options_digest(options: ReadOptions) -> str:
    """SHA-256 of the options' JSON, as a scanner profile's hash is: what readings depend on."""
    return hashlib.sha256(options.model_dump_json().encode()).hexdigest()


class _Output:
    """The output directory of one run: recovered, then appended to part by part.

    Its manifest header names the layout and the digest of the read options;
    a run with another layout or other options (a threshold, a scanner
    profile, a decode setting) may not append to it, so that every reading
    in one output was made under the same rule.
    """

    def __init__(self, out_dir: Path, layout: SheetLayout, options: ReadOptions) -> None:
        self.dir = out_dir
        self.layout = layout
        self.options = _options_digest(options)
        out_dir.mkdir(parents=True, exist_ok=True)
        header, parts = _read_manifest(out_dir)
        if header is not None and header.get("layout_id") != layout.layout_id:
            raise OutputError(
                f"holds readings of layout {header.get('layout_id')!r},"
                f" not {layout.layout_id!r}: write to another directory",
                path=out_dir,
            )
        if header is not None and header.get("options", self.options) != self.options:
            raise OutputError(
                "holds readings made with other read options (a threshold, scanner profile or"
                " decode setting): rerun with the same options, or write to another directory",
                path=out_dir,
            )
        self._rewrite_manifest(header, parts)
        named = {p["part"] for p in parts}
        for stray in [*out_dir.glob(_PART_GLOB), *out_dir.glob("*" + _TMP_SUFFIX)]:
            if stray.name not in named:
                stray.unlink()  # written by a run that died before committing it
        self.keys: set[str] = {k for p in parts for k in p["keys"]}
        self.n_parts = len(parts)

    def _rewrite_manifest(self, header: dict[str, Any] | None, parts: list[dict[str, Any]]) -> None:
        path = self.dir / MANIFEST
        if header is None:
            header = {
                "version": _MANIFEST_VERSION,
                "layout_id": self.layout.layout_id,
                "options": self.options,
            }
        lines = [header, *parts]
        text = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in lines)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            return
        tmp = path.with_name(path.name + _TMP_SUFFIX)
        with tmp.open("w", encoding="utf-8") as f:  # drop a torn tail, atomically
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        tmp.replace(path)
        _fsync_dir(self.dir)

    def commit(self, results: list[BatchResult], keys: list[str]) -> int:
        """Write one part atomically and commit it; returns its row count."""
        frame = readings_frame(results, self.layout)
        name = f"part-{self.n_parts:06d}.parquet"
        final = self.dir / name
        tmp = final.with_name(name + _TMP_SUFFIX)
        with tmp.open("wb") as f:
            frame.write_parquet(f)
            f.flush()
            os.fsync(f.fileno())
        digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
        tmp.replace(final)
        _fsync_dir(self.dir)
        record = {"part": name, "sha256": digest, "rows": frame.height, "keys": keys}
        _append_line(self.dir / MANIFEST, record)
        self.n_parts += 1
        self.keys.update(keys)
        return frame.height


def write_batch(
    sources: str | Path | Iterable[str | Path],
    layout: SheetLayout | str | Path,
    out_dir: str | Path,
    *,
    options: ReadOptions | None = None,
    executor: Any = None,
    progress: bool | Callable[[int, int], None] = True,
    workers: int | None = None,
    annotate_dir: str | Path | None = None,
    part_files: int = DEFAULT_PART_FILES,
) -> BatchSummary:
    """Read a batch into ``out_dir`` as Parquet parts, resuming whatever is there.

    Parameters are those of :func:`~omrkit.read.stream.read_batch`, and:

    out_dir : path
        Created if missing. Files whose content hash it already holds are
        skipped (hashed, not decoded), as are repeats of a file within the run.
    part_files : int
        Input files per part.

    Returns
    -------
    BatchSummary

    Raises
    ------
    DecodeError
        If the inputs name no file at all, or a directory or pattern holds none.
    OutputError
        If ``out_dir`` holds readings of another layout, or made with other
        ``options`` (a ``ValueError``).
    """
    if part_files < 1:
        raise ValueError(f"part_files must be at least 1, got {part_files}")
    sheet_layout = load_layout(layout)
    files = expand_sources(sources)
    if not files:
        raise DecodeError("no input files given")
    read_options = options or ReadOptions()
    output = _Output(Path(out_dir), sheet_layout, read_options)
    reader = SheetReader(
        sheet_layout,
        read_options,
        Path(annotate_dir) if annotate_dir is not None else None,
        skip=frozenset(output.keys),
    )
    results: list[BatchResult] = []
    keys: list[str] = []
    seen = set(output.keys)  # committed, being committed, or in the part being filled
    skipped = failures = 0
    stream = stream_files(files, reader, executor=executor, workers=workers, progress=progress)
    with _Committer(output) as committer:
        for file in stream:
            if file.skipped or file.key in seen:
                skipped += 1
                continue
            results.extend(file.results)
            keys.append(file.key)
            seen.add(file.key)
            failures += sum(1 for r in file.results if isinstance(r, SheetFailure))
            if len(keys) >= part_files:
                committer.submit(results, keys)
                results, keys = [], []
        if keys:
            committer.submit(results, keys)
        rows = committer.drain()
    return BatchSummary(output.dir, len(files), skipped, rows, failures, output.n_parts)


class _Committer:
    """Commits parts on one background thread, in order, one at a time.

    An error of a commit (a full disk) is raised by the next :meth:`submit`
    or by :meth:`drain`; parts after it are not committed, so the manifest
    still names a prefix of the batch and a rerun resumes from there.
    """

    def __init__(self, output: _Output) -> None:
        self._output = output
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="omrkit-commit")
        self._running: Future[int] | None = None
        self._rows = 0

    def __enter__(self) -> _Committer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._pool.shutdown(wait=True)  # a part being written is finished, never torn

    def _wait(self) -> None:
        if self._running is not None:
            running, self._running = self._running, None
            self._rows += running.result()

    def submit(self, results: list[BatchResult], keys: list[str]) -> None:
        """Commit this part once the part before it is committed."""
        self._wait()
        self._running = self._pool.submit(self._output.commit, results, keys)

    def drain(self) -> int:
        """Wait for the last part; rows committed by this committer."""
        self._wait()
        return self._rows


def committed_keys(out_dir: str | Path) -> set[str]:
    """Content hashes of the files whose rows ``out_dir`` holds."""
    return {k for p in _read_manifest(Path(out_dir))[1] for k in p["keys"]}


def load_results(out_dir: str | Path, *, verify: bool = False) -> pl.DataFrame:
    """The whole batch in ``out_dir`` as one frame, in input order.

    Only parts the manifest commits are read. ``verify`` checks each part's
    SHA-256 against the manifest first.

    Raises
    ------
    DecodeError
        If ``out_dir`` holds no manifest, or (with ``verify``) a part does not
        match its hash.
    """
    folder = Path(out_dir)
    header, parts = _read_manifest(folder)
    if header is None:
        raise DecodeError("no batch manifest here", path=folder / MANIFEST)
    paths = [folder / p["part"] for p in parts]
    if verify:
        for path, p in zip(paths, parts, strict=True):
            if hashlib.sha256(path.read_bytes()).hexdigest() != p["sha256"]:
                raise DecodeError("the part does not match its manifest hash", path=path)
    if not paths:
        return pl.DataFrame(schema=frame_schema(header["layout_id"]))
    return pl.concat([pl.read_parquet(p) for p in paths], how="vertical")
