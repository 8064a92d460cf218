"""``import ubt_domain`` stays light: no polars, typst, numba or OpenCV until needed."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("polars", "typst", "numba", "cv2")


def test_importing_the_domain_loads_no_heavy_module() -> None:
    """A fresh interpreter importing ubt_domain has none of the heavy modules loaded."""
    probe = f"import sys, ubt_domain; print([m for m in {HEAVY!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_probe_would_see_a_heavy_module() -> None:
    """The same probe reports typst once a document function is touched."""
    probe = (
        "import sys, ubt_domain; ubt_domain.report_card_pdf; "
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert "typst" in result.stdout
