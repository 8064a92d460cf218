"""The ``omrkit`` command: render, synth, read, bench, demo.

Each subcommand is a thin shell over the public Python API; heavy modules are
imported inside the handlers so ``omrkit --help`` stays instant.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from omrkit.errors import OmrError

__all__ = ["main"]

#: Failure rows echoed to stderr by ``omrkit read`` without ``-o``; the rest are in the frame.
_FAILURES_SHOWN = 20


def _cmd_render(args: argparse.Namespace) -> int:
    from omrkit.layout.models import load_layout
    from omrkit.render import render_to_file

    layout = load_layout(args.layout)
    render_to_file(layout, args.output, dpi=args.dpi, serial=args.serial)
    print(f"wrote {args.output}")
    return 0


def _cmd_synth(args: argparse.Namespace) -> int:
    from omrkit._progress import ProgressBar
    from omrkit.layout.models import load_layout
    from omrkit.synth.simulate import synthesize_batch

    layout = load_layout(args.layout)
    with ProgressBar("synth", total=args.count, enabled=not args.quiet) as bar:
        out = synthesize_batch(
            layout,
            count=args.count,
            seed=args.seed,
            out_dir=args.output,
            dpi=args.dpi,
            profile=args.profile,
            image_format=args.format,
            progress=bar.update,
        )
    print(f"wrote {args.count} sheets and ground truth to {out}")
    return 0


def _cmd_read(args: argparse.Namespace) -> int:
    from omrkit.read.batch import read_batch, readings_frame, write_batch
    from omrkit.read.sheet import ReadOptions

    options = None
    if args.full_decode:
        options = ReadOptions(reduced_decode_min_dpi=None)
    elif args.no_coarse:
        options = ReadOptions(coarse_decode_min_dpi=None)
    if args.output is None:
        results = read_batch(
            args.paths,
            args.layout,
            options=options,
            workers=args.workers,
            progress=not args.quiet,
            annotate_dir=args.annotate,
        )
        frame = readings_frame(results, args.layout)
        print(frame.select("source", "serial", "needs_review", "error_kind"))
        failed = frame.filter(frame["error_kind"].is_not_null())
        for row in failed.head(_FAILURES_SHOWN).iter_rows(named=True):
            print(
                f"  {row['source']}: {row['error_kind']}: {row['error_message']}", file=sys.stderr
            )
        print(f"{frame.height - failed.height} read, {failed.height} failed")
        return 0 if failed.height == 0 else 1
    summary = write_batch(
        args.paths,
        args.layout,
        args.output,
        options=options,
        workers=args.workers,
        progress=not args.quiet,
        annotate_dir=args.annotate,
    )
    print(
        f"wrote {summary.rows} rows to {summary.out_dir}/ ({summary.parts} parts in all):"
        f" {summary.rows - summary.failures} read, {summary.failures} failed,"
        f" {summary.skipped} file(s) skipped as already there"
    )
    if summary.failures:
        print(
            f"  failure rows have error_kind set; read them with"
            f" omrkit.read.batch.load_results({str(summary.out_dir)!r})",
            file=sys.stderr,
        )
    return 0 if summary.failures == 0 else 1


def _cmd_bench(args: argparse.Namespace) -> int:
    from omrkit.cli.bench import format_json, format_table, run_bench

    rows = run_bench(quick=args.quick, threads=args.threads)
    print(format_json(rows) if args.json else format_table(rows))
    return 0


#: The demos' default seeds: the README shows what each prints with them.
TESTING_POINT_DEMO_SEED = 0
ENGINE_DEMO_SEED = 2026


def _cmd_demo(args: argparse.Namespace) -> int:
    from omrkit.cli.demo import run_demo

    if not args.engine_only:  # the testing point's whole stream, on the engine
        from testing_point.demo import run_demo as run_testing_point

        seed = TESTING_POINT_DEMO_SEED if args.seed is None else args.seed
        run_testing_point(Path(args.out), applicants=args.applicants, seed=seed)
        return 0
    seed = ENGINE_DEMO_SEED if args.seed is None else args.seed
    return run_demo(Path(args.out), count=args.count, seed=seed, quiet=args.quiet)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="omrkit", description=__doc__.splitlines()[0])
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("render", help="render a layout to PDF or PNG")
    p.add_argument("layout", help="bundled layout name (e.g. ubt-answer) or JSON path")
    p.add_argument("-o", "--output", type=Path, required=True, help="out.pdf or out.png")
    p.add_argument("--dpi", type=int, default=200)
    p.add_argument("--serial", type=int, default=None, help="sheet serial to print")
    p.set_defaults(handler=_cmd_render)

    p = sub.add_parser("synth", help="simulate filled, scanned sheets with ground truth")
    p.add_argument("layout")
    p.add_argument("--count", type=int, default=20)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("-o", "--output", type=Path, required=True, help="output directory")
    p.add_argument("--dpi", type=int, default=200)
    p.add_argument("--profile", default="default", help="degradation: none, default, harsh")
    p.add_argument("--format", default="png", choices=["png", "jpeg", "tiff"])
    p.set_defaults(handler=_cmd_synth)

    p = sub.add_parser("read", help="read scanned sheets")
    p.add_argument("layout")
    p.add_argument("paths", nargs="+", help="image files, directories (recursive) or globs")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="output directory of Parquet parts; a rerun resumes it, skipping sheets already there",
    )
    p.add_argument("--annotate", type=Path, default=None, help="write overlay JPEGs here")
    p.add_argument("--workers", type=int, default=None, help="threads (default: CPU count)")
    p.add_argument(
        "--full-decode", action="store_true", help="never decode a JPEG at reduced scale"
    )
    p.add_argument(
        "--no-coarse",
        action="store_true",
        help="decode each JPEG once, never coarse first: faster for sheets in light pencil,"
        " which a coarse read cannot settle and which are then decoded twice",
    )
    p.set_defaults(handler=_cmd_read)

    p = sub.add_parser("bench", help="measure every stage's speed on simulated sheets")
    p.add_argument("--quick", action="store_true", help="small sets: a smoke run, not the figures")
    p.add_argument("--json", action="store_true", help="rows as JSON instead of a Markdown table")
    p.add_argument("--threads", type=int, default=None, help="default: CPU count")
    p.set_defaults(handler=_cmd_bench)

    p = sub.add_parser(
        "demo",
        help="run a testing point's exam stream end to end on simulated data",
        description="A whole ҰБТ testing point on its store, from application forms to"
        " certificates, on simulated scans; --engine-only renders, simulates and reads"
        " a batch of answer sheets instead.",
    )
    p.add_argument("--out", default="demo-output", help="output directory (default: %(default)s)")
    p.add_argument(
        "--applicants", type=int, default=240, help="applicants, in 2 streams (default: 240)"
    )
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed of everything simulated (default: 0; --engine-only: 2026)",
    )
    p.add_argument("--engine-only", action="store_true", help="only render, simulate and read")
    p.add_argument(
        "--count", type=int, default=40, help="--engine-only: sheets to simulate (default: 40)"
    )
    p.set_defaults(handler=_cmd_demo)

    from omrkit.cli.calibrate import add_parser as add_calibrate

    add_calibrate(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``omrkit`` command; returns the exit status."""
    from omrkit.allocator import tune_allocator
    from omrkit.cli.omrchecker import wants_omrchecker

    tune_allocator()  # the command owns its process: decoded pages stay in the heap
    given = list(sys.argv[1:] if argv is None else argv)
    if wants_omrchecker(given):  # read --omrchecker-template / bench --omrchecker
        from omrkit.cli.omrchecker import main as omrchecker_main

        return omrchecker_main(given)
    args = _parser().parse_args(argv)
    try:
        status: int = args.handler(args)
    except OmrError as exc:
        print(f"omrkit {args.command}: {exc}", file=sys.stderr)
        return 2
    return status


if __name__ == "__main__":
    raise SystemExit(main())
