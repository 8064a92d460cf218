"""Accuracy on the real-world profiles, measured once on many sheets.

Usage::

    python scripts/real_world_accuracy.py photo 100     # phone photos, read_photo
    python scripts/real_world_accuracy.py feeder 300    # feeder-clipping scans, read_sheet

Prints how many sheets were read and refused (with the reasons), the fill
error (MAE, p99.9) of marked bubbles for pen and pencil, wrong decisions on
bubbles whose truth lies outside 0.40-0.60, and the largest distance of a
bubble from where the true transform puts it. Seeds start at ``--seed``.
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from omrkit.errors import OmrError
from omrkit.layout.models import load_layout
from omrkit.read.photo import read_photo
from omrkit.read.sheet import read_sheet
from omrkit.registration.homography import apply_homography
from omrkit.synth.photo import synthesize_photo
from omrkit.synth.simulate import SyntheticSheet, synthesize_sheet
from omrkit.synth.strokes import Instrument, MarkKind
from omrkit.types import SheetReading

LAYOUT = "ubt-answer"
CLEAR_LOW, CLEAR_HIGH = 0.40, 0.60


def _one(kind: str, seed: int) -> tuple[SyntheticSheet, SheetReading | OmrError]:
    if kind == "photo":
        sheet = synthesize_photo(LAYOUT, seed=seed)
    else:
        sheet = synthesize_sheet(LAYOUT, seed=seed, profile="feeder-clipping")
    source = sheet.jpeg if sheet.jpeg is not None else sheet.image
    try:
        reading = read_photo(source, LAYOUT) if kind == "photo" else read_sheet(source, LAYOUT)
    except OmrError as exc:
        return sheet, exc
    return sheet, reading


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("photo", "feeder"))
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1000)
    args = parser.parse_args()
    centres = load_layout(LAYOUT).bubbles.centers_mm
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        pairs = list(
            pool.map(lambda s: _one(args.kind, s), range(args.seed, args.seed + args.count))
        )
    errors: dict[bool, list[np.ndarray]] = {False: [], True: []}
    wrong, worst_px, refused = 0, 0.0, []
    for sheet, reading in pairs:
        truth = sheet.truth
        if isinstance(reading, OmrError):
            refused.append(f"seed {truth.seed}: {reading}")
            continue
        fills, true = np.array(reading.fill_ratios), truth.true_fractions
        drawn = np.array([k is not MarkKind.NONE for k in truth.mark_kinds])
        errors[truth.instrument is Instrument.PENCIL].append(np.abs(fills - true)[drawn])
        clear = (true < CLEAR_LOW) | (true > CLEAR_HIGH)
        wrong += int((((fills >= 0.5) != (true >= 0.5)) & clear).sum())
        homography = np.array(reading.homography).reshape(3, 3)
        off = apply_homography(homography, centres) - apply_homography(truth.homography, centres)
        worst_px = max(worst_px, float(np.abs(off).max()))
    read = args.count - len(refused)
    print(f"{args.kind}: {read}/{args.count} read, {len(refused)} refused,"
          f" {time.perf_counter() - start:.0f} s")  # fmt: skip
    for pencil, parts in errors.items():
        if parts:
            error = np.concatenate(parts)
            print(f"  {'pencil' if pencil else 'pen'}: {error.size} marked bubbles,"
                  f" MAE {error.mean():.4f}, p99.9 {np.quantile(error, 0.999):.4f}")  # fmt: skip
    print(f"  wrong clear bubbles: {wrong}; worst bubble off by {worst_px:.2f} px")
    for reason in refused:
        print(f"  refused {reason}")


if __name__ == "__main__":
    main()
