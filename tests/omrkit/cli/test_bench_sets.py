"""The bench's files are no cheaper to decode than a real scanner's.

Entropy decoding, which no reduced decode skips, grows with a JPEG's bits per
pixel; a bench of files lighter than real scans would flatter every ratio.
The real document scans of the corpus (A4, 200 dpi, colour) are the yardstick:
the bench's grey scans must be at least as dense, though grey carries no chroma.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from omrkit import load_layout
from omrkit.cli.bench_sets import BENCH_FEEDER, FEEDER, make_set, peak_rss_mb

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "omrchecker"
DOCUMENT_SCANS = CORPUS / "sample6" / "doc-scans"
SHEETS = 6


def _bits_per_pixel(data: bytes) -> float:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    return 8.0 * len(data) / (image.shape[0] * image.shape[1])


@pytest.fixture(scope="module")
def bench_bits(tmp_path_factory: pytest.TempPathFactory) -> list[float]:
    bench = make_set(
        tmp_path_factory.mktemp("bench"),
        load_layout("ubt-answer"),
        dpi=200,
        count=SHEETS,
        distinct=SHEETS,
        seed=7,
    )
    return [_bits_per_pixel(j) for j in bench.jpegs]


@pytest.mark.skipif(not DOCUMENT_SCANS.is_dir(), reason="the corpus is not beside this checkout")
def test_bench_scans_are_at_least_as_dense_as_real_document_scans(bench_bits: list[float]) -> None:
    real = [_bits_per_pixel(p.read_bytes()) for p in sorted(DOCUMENT_SCANS.glob("*.jpg"))]
    assert len(real) >= 3
    print(f"real document scans {min(real):.3f}-{max(real):.3f} bpp, bench {min(bench_bits):.3f}-"
          f"{max(bench_bits):.3f} bpp")  # fmt: skip
    assert float(np.mean(bench_bits)) >= max(real)


def test_bench_files_keep_the_feeder_geometry_and_only_lighten_compression() -> None:
    """The bench profile differs from the accuracy tests' feeder in noise and quality alone."""
    changed = {
        name
        for name in type(FEEDER).model_fields
        if getattr(FEEDER, name) != getattr(BENCH_FEEDER, name)
    }
    assert changed == {"name", "noise_sigma", "jpeg_quality"}
    assert BENCH_FEEDER.jpeg_quality is not None
    assert FEEDER.jpeg_quality is not None
    assert BENCH_FEEDER.jpeg_quality[0] >= FEEDER.jpeg_quality[0]


def test_peak_rss_is_the_batch_process_own_not_its_large_parent(tmp_path: Path) -> None:
    """A child's ru_maxrss starts at its parent's size on Linux; the probe reports its own peak."""
    layout = load_layout("ubt-answer")
    small = make_set(tmp_path / "set", layout, dpi=100, count=2, distinct=1, seed=3)
    parent = np.ones(600 * 1024 * 1024, np.uint8)  # 600 MiB, touched: resident in the parent
    peak = peak_rss_mb(small.folder, 1)
    assert int(parent[-1]) == 1
    assert 0 < peak < 600
