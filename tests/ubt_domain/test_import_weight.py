"""``import ubt_domain`` stays light: the frame, document and crypto libraries load on use."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("polars", "typst", "numba", "cv2", "cryptography")


def test_importing_the_domain_loads_no_heavy_library() -> None:
    """A fresh interpreter importing ubt_domain has none of the heavy modules loaded."""
    probe = f"import sys, ubt_domain; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_lazy_names_load_on_first_use() -> None:
    """A polars-using name and a document name resolve through the lazy table."""
    probe = (
        "import sys, ubt_domain; ubt_domain.score_answers; ubt_domain.unt_statement_pdf; "
        "print('polars' in sys.modules, 'typst' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "True True"
