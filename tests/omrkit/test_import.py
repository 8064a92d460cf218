"""Importing omrkit is cheap: the engine (numba kernels, OpenCV) loads on first use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

#: The heavy dependencies the reading models must not drag in.
ENGINE_MODULES = ("numba", "cv2", "polars", "typst")

_PROBE = """
import json, sys
import omrkit
omrkit.SheetReading, omrkit.SlotState, omrkit.OmrError
print(json.dumps(sorted(m for m in {modules!r} if m in sys.modules)))
"""


def test_import_omrkit_compiles_no_kernel(tmp_path: Path) -> None:
    """With an empty numba cache, ``import omrkit`` and its reading models load no engine."""
    cache = tmp_path / "numba-cache"
    cache.mkdir()
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache)}
    probe = _PROBE.format(modules=ENGINE_MODULES)
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []
    assert list(cache.rglob("*")) == []


def test_the_probe_sees_the_engine_when_it_is_used(tmp_path: Path) -> None:
    """The same probe reports numba once a kernel is reached: the check above can fail."""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    probe = _PROBE.format(modules=ENGINE_MODULES).replace(
        "import omrkit\n", "import omrkit\nimport omrkit._kernels\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert "numba" in json.loads(result.stdout)
