"""The ``omrkit`` command: render, synth, read and demo, driven through ``main``."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from omrkit.cli.main import main
from omrkit.decode.reduced import DecodedPage
from omrkit.read.batch import load_results


def test_render_writes_pdf_and_png(tmp_path: Path) -> None:
    """``omrkit render`` picks the format from the suffix."""
    assert main(["render", "ubt-answer", "-o", str(tmp_path / "s.pdf")]) == 0
    assert main(["render", "mab-grade4", "-o", str(tmp_path / "s.png"), "--dpi", "100"]) == 0
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "s.png").read_bytes().startswith(b"\x89PNG")


def test_unknown_layout_is_reported_not_raised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad layout name exits with status 2 and a message naming the bundled layouts."""
    assert main(["render", "no-such-sheet", "-o", str(tmp_path / "x.pdf")]) == 2
    assert "ubt-answer" in capsys.readouterr().err


def test_synth_then_read_round_trip(tmp_path: Path) -> None:
    """Scans read into a directory of Parquet parts, one row per sheet; a rerun adds none."""
    scans = tmp_path / "scans"
    assert main(["-q", "synth", "ubt-answer", "--count", "3", "--seed", "4", "-o", str(scans)]) == 0
    assert len(list(scans.glob("sheet-*.png"))) == 3
    out = tmp_path / "readings"
    status = main(
        ["-q", "read", "ubt-answer", str(scans), "-o", str(out), "--annotate", str(tmp_path / "ov")]
    )
    assert status == 0
    frame = load_results(out)
    assert frame.height == 3
    assert frame["error_kind"].is_null().all()
    assert len(list((tmp_path / "ov").glob("*.jpg"))) == 3
    assert main(["-q", "read", "ubt-answer", str(scans), "-o", str(out)]) == 0
    assert load_results(out).equals(frame)
    assert pl.scan_parquet(out / "*.parquet").collect().height == 3


@pytest.mark.parametrize(("flags", "decodes"), [((), 2), (("--no-coarse",), 1)])
def test_read_no_coarse_decodes_a_light_pencil_sheet_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flags: tuple[str, ...], decodes: int
) -> None:
    """A light pencil sheet is decoded twice by default (coarse, then finer), once with the flag,
    and read alike: the finer reading is the one kept either way."""
    from omrkit.cli.bench_sets import make_set
    from omrkit.layout.models import load_layout
    from omrkit.read import stream

    scans = make_set(
        tmp_path / "scans", load_layout("ubt-answer"), dpi=200, count=1, distinct=1, seed=3,
        ink="pencil-light",
    )  # fmt: skip
    calls: list[float | None] = []
    decode = stream._decode

    def counted(
        data: bytes, source: str, reader: stream.SheetReader, min_dpi: float | None
    ) -> Iterator[DecodedPage]:
        calls.append(min_dpi)
        return decode(data, source, reader, min_dpi)

    monkeypatch.setattr(stream, "_decode", counted)
    out = tmp_path / f"readings{len(flags)}"
    assert main(["-q", "read", "ubt-answer", str(scans.folder), "-o", str(out), *flags]) == 0
    assert len(calls) == decodes
    frame = load_results(out).drop("source")
    assert frame["error_kind"].is_null().all()
    reference = tmp_path / "reference"
    monkeypatch.setattr(stream, "_decode", decode)
    assert main(["-q", "read", "ubt-answer", str(scans.folder), "-o", str(reference)]) == 0
    assert load_results(reference).drop("source").equals(frame)


def test_read_into_an_output_of_other_options_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rerun with another flag is refused with a message, not resumed under mixed rules."""
    scans = tmp_path / "scans"
    main(["-q", "synth", "ubt-answer", "--count", "1", "-o", str(scans)])
    out = str(tmp_path / "r")
    assert main(["-q", "read", "ubt-answer", str(scans), "-o", out]) == 0
    capsys.readouterr()
    assert main(["-q", "read", "--full-decode", "ubt-answer", str(scans), "-o", out]) == 2
    assert "other read options" in capsys.readouterr().err


def test_read_exits_non_zero_when_a_sheet_fails(tmp_path: Path) -> None:
    """A failing input gives status 1 and its row, the other sheets still read."""
    scans = tmp_path / "scans"
    main(["-q", "synth", "ubt-answer", "--count", "1", "-o", str(scans)])
    (scans / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    out = tmp_path / "r"
    assert main(["-q", "read", "ubt-answer", str(scans), "-o", str(out)]) == 1
    frame = load_results(out)
    assert frame["error_kind"].to_list().count("DecodeError") == 1
    assert frame.height == 2


def test_read_of_an_empty_folder_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder without images is an error (status 2), not a silent "wrote 0 rows"."""
    (tmp_path / "empty").mkdir()
    assert (
        main(["-q", "read", "ubt-answer", str(tmp_path / "empty"), "-o", str(tmp_path / "o")]) == 2
    )
    assert "no image files" in capsys.readouterr().err


def test_demo_runs_end_to_end(tmp_path: Path) -> None:
    """The demo renders every layout, simulates, reads and finds nothing wrong."""
    assert main(["-q", "demo", "--engine-only", "--out", str(tmp_path), "--count", "6"]) == 0
    assert (tmp_path / "readings.parquet").exists()
    assert len(list((tmp_path / "layouts").glob("*.pdf"))) == 6
    assert list((tmp_path / "overlays").glob("*.jpg"))


def test_bench_prints_every_stage(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``omrkit bench --quick --json`` measures every row on tiny sets (sizes shrunk here)."""
    import omrkit.cli.bench as bench
    import omrkit.cli.bench_timing as timing

    monkeypatch.setattr(bench, "QUICK_SHEETS", 4)
    monkeypatch.setattr(bench, "QUICK_DISTINCT", 2)
    monkeypatch.setattr(bench, "QUICK_RSS", (4, 8))
    monkeypatch.setattr(timing, "PAIRED_ROUNDS", 1)  # one slice: the ratio is the rates'
    assert main(["-q", "bench", "--quick", "--json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["machine"]["value"] == (os.cpu_count() or 1)
    assert "OpenCV" in rows["machine"]["note"]
    for dpi in (200, 300):
        for kind in ("grey", "colour"):
            ratio = rows[f"read / decode, {kind} JPEG {dpi} dpi"]["value"]
            floor = rows[f"decode only, {kind} JPEG {dpi} dpi"]["value"]
            read = rows[f"read end to end, {kind} JPEG {dpi} dpi"]["value"]
            assert ratio == pytest.approx(read / floor)
        ceiling = rows[f"coarse decode / decode, grey JPEG {dpi} dpi"]["value"]
        coarse = rows[f"coarse decode only, grey JPEG {dpi} dpi"]["value"]
        assert ceiling == pytest.approx(coarse / rows[f"decode only, grey JPEG {dpi} dpi"]["value"])
    light = f"{bench.LIGHT_INK} grey JPEG 200 dpi"
    floor = rows[f"decode only, {light}"]["value"]
    assert rows[f"read / decode, {light}"]["value"] == pytest.approx(
        rows[f"read end to end, {light}"]["value"] / floor
    )
    assert rows[f"read --no-coarse / decode, {light}"]["value"] == pytest.approx(
        rows[f"read --no-coarse, {light}"]["value"] / floor
    )
    for name in ("stage decode_ms", "measure one sheet", "peak RSS, 8 sheets"):
        assert rows[name]["value"] > 0
