"""write_batch: Parquet parts committed through a manifest; a killed batch resumes exactly once."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import polars as pl
import pytest

from omrkit import DecodeError, OutputError, load_layout, render_sheet
from omrkit.read import sink
from omrkit.read.batch import load_results, write_batch
from omrkit.read.frame import frame_schema
from omrkit.read.sheet import ReadOptions
from omrkit.read.sink import MANIFEST

LAYOUT = load_layout("ubt-answer")
ROOT = Path(__file__).resolve().parents[3]
#: Sheets of the kill test, and files per part: many commits for the kill to land between.
KILL_SHEETS = 2000
KILL_PART_FILES = 50
#: The resolution of the kill test's sheets: the least that still reads, so the run is quick.
KILL_DPI = 100


def _distinct_jpegs(folder: Path, count: int, *, dpi: int = KILL_DPI) -> list[Path]:
    """One rendered sheet as ``count`` files of distinct bytes (a tag after the JPEG's end)."""
    png = render_sheet(LAYOUT, format="png", dpi=dpi, serial=5)
    grey = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    jpeg = cv2.imencode(".jpg", grey)[1].tobytes()
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"s{i:05d}.jpg" for i in range(count)]
    for i, path in enumerate(paths):
        path.write_bytes(jpeg + b"%05d" % i)
    return paths


def _parts(out: Path) -> int:
    if not (out / MANIFEST).exists():
        return 0
    return max(0, len((out / MANIFEST).read_text(encoding="utf-8").splitlines()) - 1)


def test_kill_9_at_a_random_moment_then_rerun_reads_every_sheet_exactly_once(
    tmp_path: Path,
) -> None:
    """SIGKILL mid-batch, rerun: every sheet once, and the frame equals an uninterrupted run's."""
    files = _distinct_jpegs(tmp_path / "scans", KILL_SHEETS)
    reference = tmp_path / "reference"
    write_batch(files[0].parent, LAYOUT, reference, progress=False, part_files=KILL_PART_FILES)
    expected = load_results(reference)
    assert expected.height == KILL_SHEETS

    out = tmp_path / "out"
    script = (
        "import sys; from omrkit.read.batch import write_batch; "
        "write_batch(sys.argv[1], 'ubt-answer', sys.argv[2], progress=False,"
        f" part_files={KILL_PART_FILES})"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-c", script, str(files[0].parent), str(out)], env=env)
    try:
        deadline = time.monotonic() + 120
        while _parts(out) < 1 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        delay = random.uniform(0.0, 1.0)
        time.sleep(delay)
        assert proc.poll() is None, "the batch ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    killed_at = _parts(out)
    print(f"killed {delay:.3f} s after the first part, with {killed_at} part(s) committed")
    assert 0 < killed_at < KILL_SHEETS // KILL_PART_FILES

    summary = write_batch(files[0].parent, LAYOUT, out, progress=False, part_files=KILL_PART_FILES)
    assert summary.skipped == killed_at * KILL_PART_FILES
    frame = load_results(out, verify=True)
    assert frame["sheet_id"].n_unique() == frame.height == KILL_SHEETS
    assert frame["source"].to_list() == [str(p) for p in files]
    assert frame.equals(expected)
    assert sorted(p.name for p in out.iterdir() if p.name != MANIFEST) == sorted(
        f"part-{i:06d}.parquet" for i in range(KILL_SHEETS // KILL_PART_FILES)
    )


def test_uncommitted_parts_and_a_torn_manifest_line_are_redone(tmp_path: Path) -> None:
    """A part renamed but not committed, a temporary file and a torn line: removed, redone once."""
    files = _distinct_jpegs(tmp_path / "scans", 6)
    out = tmp_path / "out"
    write_batch(files[:2], LAYOUT, out, progress=False, part_files=2)
    (out / "part-000001.parquet").write_bytes(b"half a part")
    (out / "part-000002.parquet.tmp").write_bytes(b"temporary")
    with (out / MANIFEST).open("a", encoding="utf-8") as f:
        f.write('{"part": "part-000001.parq')
    summary = write_batch(files, LAYOUT, out, progress=False, part_files=2)
    assert (summary.skipped, summary.rows, summary.parts) == (2, 4, 3)
    frame = load_results(out, verify=True)
    assert frame["source"].to_list() == [str(p) for p in files]
    lines = (out / MANIFEST).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line).get("rows") for line in lines] == [None, 2, 2, 2]


def test_a_failed_commit_stops_the_batch_with_a_prefix_committed_and_a_rerun_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A part that cannot be written (a full disk) raises; the parts before it stand, none after."""
    files = _distinct_jpegs(tmp_path / "scans", 6)
    out = tmp_path / "out"
    real = sink._Output.commit
    calls = []

    def full_disk(self: sink._Output, results: list[object], keys: list[str]) -> int:
        calls.append(len(keys))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(self, results, keys)  # type: ignore[arg-type]

    monkeypatch.setattr(sink._Output, "commit", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_batch(files, LAYOUT, out, progress=False, part_files=2)
    assert _parts(out) == 1
    assert load_results(out, verify=True)["source"].to_list() == [str(p) for p in files[:2]]
    monkeypatch.setattr(sink._Output, "commit", real)
    summary = write_batch(files, LAYOUT, out, progress=False, part_files=2)
    assert (summary.skipped, summary.rows) == (2, 4)
    assert load_results(out, verify=True)["source"].to_list() == [str(p) for p in files]


def test_repeated_content_is_read_once_and_failures_count(tmp_path: Path) -> None:
    """The same bytes under two names are one sheet; a broken file is a row, kept once on rerun."""
    files = _distinct_jpegs(tmp_path / "scans", 2)
    twin = tmp_path / "scans" / "twin.jpg"
    twin.write_bytes(files[0].read_bytes())
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n")
    inputs = [*files, twin, broken, tmp_path / "missing.png"]
    first = write_batch(inputs, LAYOUT, tmp_path / "out", progress=False)
    assert (first.rows, first.failures, first.skipped) == (4, 2, 1)
    again = write_batch(inputs, LAYOUT, tmp_path / "out", progress=False)
    assert (again.rows, again.skipped) == (0, 5)
    assert load_results(tmp_path / "out").height == 4


def test_an_output_is_resumed_only_under_its_own_read_options(tmp_path: Path) -> None:
    """Readings made with one threshold, profile or decode setting are never mixed with another's.

    The manifest records the options' digest; an output written before it did is resumed as is.
    """
    files = _distinct_jpegs(tmp_path / "scans", 2)
    out = tmp_path / "out"
    write_batch(files[:1], LAYOUT, out, progress=False)
    for other in (ReadOptions(threshold=0.45), ReadOptions(coarse_decode_min_dpi=None)):
        with pytest.raises(OutputError, match="other read options") as refused:
            write_batch(files, LAYOUT, out, options=other, progress=False)
        assert refused.value.path == str(out)
    assert write_batch(files, LAYOUT, out, options=ReadOptions(), progress=False).rows == 1
    manifest = out / MANIFEST
    lines = manifest.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    del header["options"]  # as a manifest written before options were recorded
    manifest.write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n", encoding="utf-8")
    resumed = write_batch(files, LAYOUT, out, options=ReadOptions(threshold=0.45), progress=False)
    assert (resumed.rows, resumed.skipped) == (0, 2)


def test_outputs_keep_their_layout_and_schema(tmp_path: Path) -> None:
    """Another layout may not append to an output; an empty output has the fixed schema."""
    files = _distinct_jpegs(tmp_path / "scans", 1)
    write_batch(files, LAYOUT, tmp_path / "out", progress=False)
    with pytest.raises(OutputError, match="layout"):
        write_batch(files, "mab-grade9", tmp_path / "out", progress=False)
    assert load_results(tmp_path / "out").schema == frame_schema(LAYOUT)
    with pytest.raises(DecodeError, match="manifest"):
        load_results(tmp_path / "nothing")
    with pytest.raises(DecodeError, match="no input"):
        write_batch([], LAYOUT, tmp_path / "o2", progress=False)
    (tmp_path / "out" / "part-000000.parquet").write_bytes(b"tampered")
    with pytest.raises(DecodeError, match="hash"):
        load_results(tmp_path / "out", verify=True)
    assert pl.DataFrame(schema=frame_schema(LAYOUT)).height == 0
