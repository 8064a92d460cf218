"""``omrkit read --omrchecker-template`` and ``omrkit bench --omrchecker``."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from omrkit.cli.main import main
from omrkit.cli.omrchecker import bench_folder, wants_omrchecker

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "omrchecker"
SAMPLE = CORPUS / "sample2"

needs_corpus = pytest.mark.skipif(not SAMPLE.is_dir(), reason="the shared corpus is not here")


def test_only_the_omrchecker_flags_take_the_hook() -> None:
    """The plain read and bench commands are left to their own parser."""
    assert wants_omrchecker(["read", "--omrchecker-template", "t.json", "a.png"])
    assert wants_omrchecker(["bench", "--omrchecker=dir"])
    assert not wants_omrchecker(["read", "ubt-answer", "a.png"])
    assert not wants_omrchecker(["bench", "--count", "4"])
    assert not wants_omrchecker([])


@needs_corpus
def test_read_writes_omrcheckers_columns(tmp_path: Path) -> None:
    """One CSV row per image: file_id, input_path, then the template's labels in order."""
    out = tmp_path / "results.csv"
    status = main(
        [
            "read",
            "--omrchecker-template",
            str(SAMPLE / "template.json"),
            str(SAMPLE / "AdrianSample"),
            "-o",
            str(out),
        ]
    )
    assert status == 0
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["file_id", "input_path", "q1", "q2", "q3", "q4", "q5"]
    by_file = {row["file_id"]: row for row in rows}
    assert [by_file["adrian_omr.png"][f"q{i}"] for i in range(1, 6)] == ["B", "E", "A", "C", "B"]


@needs_corpus
def test_bench_reports_rates_against_the_decode_floor() -> None:
    """The bench reads every sheet of the folder and states both rates."""
    lines = bench_folder(SAMPLE)
    assert lines[0].startswith("2 sheets")
    assert any("decode-only floor" in line for line in lines)
    assert not any(line.startswith("  ") for line in lines)  # no failures
