"""A batch over a Dask cluster reads the same rows as on this machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from omrkit import load_layout, read_batch, readings_frame
from omrkit.read.batch import load_results, write_batch
from omrkit.synth.simulate import synthesize_batch

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")

LAYOUT = load_layout("ubt-answer")


def test_local_cluster_of_two_workers_equals_the_local_run(tmp_path: Path) -> None:
    """read_batch and write_batch on a 2-worker LocalCluster: the local frame, row for row."""
    synthesize_batch(LAYOUT, count=6, seed=5, out_dir=tmp_path / "scans", dpi=150)
    (tmp_path / "scans" / "broken.png").write_bytes(b"not an image")
    local = readings_frame(read_batch(tmp_path / "scans", LAYOUT, progress=False), LAYOUT)
    assert local.height == 7
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = readings_frame(
            read_batch(tmp_path / "scans", LAYOUT, executor=client, progress=False), LAYOUT
        )
        write_batch(tmp_path / "scans", LAYOUT, tmp_path / "out", executor=client, progress=False)
    assert remote.equals(local)
    assert load_results(tmp_path / "out").equals(local)
