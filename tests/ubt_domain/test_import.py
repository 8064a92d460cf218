"""The domain is pure at import: ``import ubt_domain`` loads no engine, dataframe or typst."""

from __future__ import annotations

import json
import subprocess
import sys

#: What the pure core must never load: omrkit's engine, polars, the typst adapter.
HEAVY_MODULES = ("numba", "cv2", "polars", "typst")

_PROBE = """
import json, sys
{imports}
print(json.dumps(sorted(m for m in {modules!r} if m in sys.modules)))
"""


def _loaded_after(imports: str) -> list[str]:
    """The heavy modules a fresh interpreter holds after running ``imports``."""
    probe = _PROBE.format(imports=imports, modules=HEAVY_MODULES)
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    loaded: list[str] = json.loads(result.stdout)
    return loaded


def test_import_ubt_domain_loads_no_engine() -> None:
    """numba, OpenCV, polars and typst are absent from ``sys.modules`` after the import."""
    assert _loaded_after("import ubt_domain") == []


def test_documents_load_typst_only_when_asked_for() -> None:
    """Reaching a ``*_pdf`` name loads the typst adapter: the probe above can see it."""
    assert "typst" in _loaded_after("import ubt_domain\nubt_domain.seating_sheet_pdf")
