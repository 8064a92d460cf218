"""``omrkit read --omrchecker-template`` and ``omrkit bench --omrchecker``.

For a user coming from OMRChecker: read the scans they have with the
template they have, and write the CSV columns their scripts already expect
(``file_id``, ``input_path``, then OMRChecker's answer columns in its
order); or time omrkit on an OMRChecker sample folder against the
decode-only floor on the same files. :func:`main` is reached from
:mod:`omrkit.cli.main` when either flag is given.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from pathlib import Path
from time import perf_counter

from omrkit.errors import OmrError

__all__ = ["IMAGE_SUFFIXES", "bench_folder", "main", "wants_omrchecker"]

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"})
_FLAGS = {"read": "--omrchecker-template", "bench": "--omrchecker"}
#: Timing rounds over the folder; the best round is reported (least disturbed).
_ROUNDS = 3


def wants_omrchecker(argv: Sequence[str]) -> bool:
    """Whether ``argv`` (without the program name) asks for an OMRChecker command."""
    return (
        bool(argv)
        and argv[0] in _FLAGS
        and any(a == _FLAGS[argv[0]] or a.startswith(_FLAGS[argv[0]] + "=") for a in argv[1:])
    )


def main(argv: Sequence[str]) -> int:
    """Run ``read --omrchecker-template ...`` or ``bench --omrchecker ...``; the exit status."""
    command, rest = argv[0], list(argv[1:])
    try:
        if command == "read":
            return _read(rest)
        return _bench(rest)
    except OmrError as exc:
        print(f"omrkit {command}: {exc}", file=sys.stderr)
        return 2


def _read(argv: list[str]) -> int:
    from omrkit.interop.omrchecker import load_template
    from omrkit.interop.omrchecker.reader import output_columns, read_omrchecker, responses

    parser = argparse.ArgumentParser(prog="omrkit read", description="read OMRChecker sheets")
    parser.add_argument("--omrchecker-template", type=Path, required=True, dest="template")
    parser.add_argument("--config", type=Path, default=None, help="OMRChecker config.json")
    parser.add_argument("paths", nargs="+", help="image files or directories")
    parser.add_argument(
        "-o", "--output", type=Path, default=None, help="results.csv (default stdout)"
    )
    args = parser.parse_args(argv)
    layout = load_template(args.template, config=args.config)
    columns = output_columns(layout)
    failures = 0
    out = args.output.open("w", newline="", encoding="utf-8") if args.output else sys.stdout
    try:
        writer = csv.writer(out)
        writer.writerow(["file_id", "input_path", *columns])
        for path in _images(args.paths):
            try:
                answers = responses(read_omrchecker(path, layout), layout)
            except OmrError as exc:
                failures += 1
                print(f"  {path}: {exc.kind}: {exc}", file=sys.stderr)
                continue
            writer.writerow([path.name, str(path), *(answers[c] for c in columns)])
    finally:
        if args.output:
            out.close()
    return 0 if failures == 0 else 1


def _bench(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="omrkit bench", description="time an OMRChecker folder")
    parser.add_argument("--omrchecker", type=Path, required=True, dest="folder")
    args = parser.parse_args(argv)
    for line in bench_folder(args.folder):
        print(line)
    return 0


def bench_folder(folder: Path) -> list[str]:
    """Sheets per second reading every image under ``folder`` that has a template.

    One thread, files read into memory first; each image's template is the
    nearest ``template.json`` at or above its folder (within ``folder``).
    Returns the report's lines: omrkit's rate and the grey decode-only floor
    on the same bytes, and images that could not be read.
    """
    from omrkit.decode.images import decode_image
    from omrkit.interop.omrchecker import load_template
    from omrkit.interop.omrchecker.reader import read_omrchecker

    jobs = []
    for image in sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES):
        template = _template_for(image, folder)
        if template is not None and image.name not in _marker_images(template):
            jobs.append((image.read_bytes(), load_template(template), image))
    if not jobs:
        return [f"no images with a template.json under {folder}"]
    failed: list[str] = []
    best_read = best_decode = float("inf")
    for _ in range(_ROUNDS):
        t0 = perf_counter()
        for data, _layout, _image in jobs:
            decode_image(data)
        t1 = perf_counter()
        for data, layout, image in jobs:
            try:
                read_omrchecker(data, layout)
            except OmrError as exc:
                failed.append(f"  {image}: {exc.kind}: {exc}")
        t2 = perf_counter()
        best_decode, best_read = min(best_decode, t1 - t0), min(best_read, t2 - t1)
    n = len(jobs)
    lines = [
        f"{n} sheets under {folder}, one thread, best of {_ROUNDS} rounds",
        f"omrkit read (OMRChecker templates): {n / best_read:8.1f} sheets/s"
        f"  ({1e3 * best_read / n:.1f} ms/sheet)",
        f"decode-only floor (grey):           {n / best_decode:8.1f} sheets/s"
        f"  ({1e3 * best_decode / n:.1f} ms/sheet)",
        f"ratio read/floor: {best_decode / best_read:.2f}",
    ]
    return lines + sorted(set(failed))


def _template_for(image: Path, root: Path) -> Path | None:
    folder = image.parent
    while folder == root or root in folder.parents:
        if (folder / "template.json").is_file():
            return folder / "template.json"
        folder = folder.parent
    return None


def _marker_images(template: Path) -> set[str]:
    """Names of the corner-marker pictures a template uses: not sheets."""
    from omrkit.interop.omrchecker import load_template
    from omrkit.interop.omrchecker.steps import CropOnMarkers

    steps = load_template(template).steps
    return {s.marker_path.name for s in steps if isinstance(s, CropOnMarkers)}


def _images(paths: Sequence[str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(q for q in p.iterdir() if q.suffix.lower() in IMAGE_SUFFIXES)
        else:
            out.append(p)
    return out
