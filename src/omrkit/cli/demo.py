"""The end-to-end demo: print every bundled sheet, simulate a scanned batch, read it back.

``omrkit demo`` needs no data and no network: the sheets are rendered from the
bundled layouts, filled and scanned by :mod:`omrkit.synth.simulate` with exact ground
truth, and read by the engine. It ends with the accuracy it measured against
that truth and exits non-zero if any clear-cut answer was read wrong.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from omrkit._progress import ProgressBar
from omrkit.layout.models import SheetLayout, bundled_layout_names, load_layout
from omrkit.read.batch import BatchResult, SheetFailure, read_batch, readings_frame
from omrkit.render import render_to_file
from omrkit.synth.simulate import synthesize_batch
from omrkit.synth.truth import TRUTH_SLOTS
from omrkit.types import SheetReading

__all__ = ["run_demo"]

DEMO_LAYOUT = "ubt-answer"
#: Resolution of the preview PNGs of the bundled layouts (PDFs are vector).
PREVIEW_DPI = 100
OVERLAYS = 3


def run_demo(out: Path, *, count: int = 40, seed: int = 2026, quiet: bool = False) -> int:
    """Run the demo into ``out``; return the process exit status.

    Writes ``layouts/`` (every bundled layout as PDF and PNG), ``scans/``
    (simulated scans and ground truth), ``readings.parquet``, ``overlays/``
    (the first sheets' review images) and prints a summary.
    """
    out.mkdir(parents=True, exist_ok=True)
    _render_layouts(out / "layouts", quiet=quiet)
    layout = load_layout(DEMO_LAYOUT)
    scans = out / "scans"
    with ProgressBar("simulate", total=count, enabled=not quiet) as bar:
        synthesize_batch(layout, count=count, seed=seed, out_dir=scans, progress=bar.update)
    images = sorted(scans.glob("sheet-*.*"))
    with ProgressBar("read", total=len(images), enabled=not quiet) as bar:
        results = list(read_batch(images, layout, progress=bar.update))
    frame = readings_frame(results)
    frame.write_parquet(out / "readings.parquet")
    overlay_dir = out / "overlays"
    list(read_batch(images[:OVERLAYS], layout, progress=False, annotate_dir=overlay_dir))
    wrong = _report(layout, results, pl.read_parquet(scans / TRUTH_SLOTS))
    print(f"outputs in {out}/: layouts/, scans/, readings.parquet, overlays/")
    return 0 if wrong == 0 else 1


def _render_layouts(target: Path, *, quiet: bool) -> None:
    target.mkdir(parents=True, exist_ok=True)
    names = bundled_layout_names()
    with ProgressBar("render", total=len(names), enabled=not quiet) as bar:
        for done, name in enumerate(names, start=1):
            layout = load_layout(name)
            stem = name.replace("/", "-")
            render_to_file(layout, target / f"{stem}.pdf")
            render_to_file(layout, target / f"{stem}.png", dpi=PREVIEW_DPI)
            bar.update(done, len(names))


def _report(layout: SheetLayout, results: list[BatchResult], truth: pl.DataFrame) -> int:
    """Print what was read against the truth; return the number of wrong clear-cut slots."""
    readings = [r for r in results if isinstance(r, SheetReading)]
    failures = [r for r in results if isinstance(r, SheetFailure)]
    rows = []
    for r in readings:
        name = Path(r.source or "").name
        states = [s for f in layout.fields for s in r.fields[f.id].states]
        reviews = [v for f in layout.fields for v in r.fields[f.id].review]
        rows += [
            (name, i, s.value, v) for i, (s, v) in enumerate(zip(states, reviews, strict=True))
        ]
    read = pl.DataFrame(
        rows, schema=["file", "slot_index", "read_state", "review"], orient="row"
    ).cast({"slot_index": truth.schema["slot_index"]})
    joined = truth.join(read, on=["file", "slot_index"], how="inner")
    agree = joined["state"].cast(pl.String) == joined["read_state"]
    clear = ~joined["review"]
    wrong = int((~agree & clear).sum())
    doubles = joined.filter(pl.col("planted_double"))
    print()
    print(f"sheets read            {len(readings)} of {len(results)} ({len(failures)} failed)")
    print(f"slots compared         {joined.height}")
    print(f"  sent to review       {int((~clear).sum())}")
    print(f"  read right           {int((agree & clear).sum())}")
    print(f"  read wrong           {wrong}")
    print(
        f"planted double marks   {doubles.height}, reported multiple:"
        f" {int((doubles['read_state'] == 'multiple').sum())}"
    )
    print(f"sheets fed upside down {sum(r.quality.upside_down for r in readings)}")
    for f in failures:
        print(f"  failed: {f.source}: {f.error_kind}: {f.message}")
    return wrong + len(failures)
