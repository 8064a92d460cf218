"""Write the bundled layouts as JSON: ``python sheet_layouts/build_layouts.py``.

The JSON files are generated, never edited by hand: change the design in
``ubt.py``, ``school.py`` or ``calibration/scanner_check.py`` and run this
script. A test fails when a committed file differs from what it generates.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from omrkit.calibration.scanner_check import scanner_check
from omrkit.layout.models import SheetLayout, save_layout
from omrkit.sheet_layouts.application import ubt_application
from omrkit.sheet_layouts.school import mab_grade4, mab_grade9, ozhsb_answer
from omrkit.sheet_layouts.ubt import ubt_answer

__all__ = ["BUNDLED", "generated_layouts", "main"]

_ROOT = Path(__file__).resolve().parent.parent

#: Bundled name -> design function; ``"calibration/x"`` lands in ``calibration/``.
BUNDLED: dict[str, Callable[[], SheetLayout]] = {
    "ubt-answer": ubt_answer,
    "ubt-application": ubt_application,
    "mab-grade4": mab_grade4,
    "mab-grade9": mab_grade9,
    "ozhsb-answer": ozhsb_answer,
    "calibration/scanner-check": scanner_check,
}


def generated_layouts() -> dict[str, SheetLayout]:
    """Every bundled layout, freshly designed, by bundled name."""
    return {name: design() for name, design in BUNDLED.items()}


def json_path(name: str, root: Path = _ROOT) -> Path:
    """Where the bundled layout ``name`` lives in the source tree."""
    if name.startswith("calibration/"):
        return root / "calibration" / f"{name.removeprefix('calibration/')}.json"
    return root / "sheet_layouts" / f"{name}.json"


def main(root: Path = _ROOT) -> int:
    """Regenerate every bundled JSON file under ``root``; prints what changed."""
    for name, layout in generated_layouts().items():
        path = json_path(name, root)
        before = path.read_text(encoding="utf-8") if path.exists() else None
        save_layout(layout, path)
        state = "unchanged" if before == path.read_text(encoding="utf-8") else "written"
        print(f"{state:9}  {path.relative_to(root)}  ({layout.bubbles.n_bubbles} bubbles)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
