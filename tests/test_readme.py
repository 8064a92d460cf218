"""The README tells the truth: its code runs, its tables match, CI runs its test command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from omrkit import load_layout

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_python_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ```python block runs, in order, in one namespace."""
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert len(blocks) >= 2
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)


def test_layout_table_matches_the_bundled_layouts() -> None:
    """Bubble and slot counts in the README are those of the layouts."""
    rows = re.findall(r"^\| `([a-z0-9/\-]+)` \| (\d+) \| (\d+) \|", README, flags=re.M)
    assert len(rows) == 6
    for name, bubbles, slots in rows:
        arrays = load_layout(name).bubbles
        assert (arrays.n_bubbles, arrays.n_slots) == (int(bubbles), int(slots)), name


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run ends by running exactly the test command the README gives."""
    assert "bash scripts/test.sh    # set up .venv, then run the whole test suite" in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().splitlines()[-1] == "exec bash scripts/test.sh"


def test_architecture_table_names_every_subpackage() -> None:
    """Each subpackage of omrkit, ubt_domain and testing_point has its row in the architecture."""
    section = README.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    subpackages = [
        init.parent.relative_to(ROOT / "src").as_posix()
        for package in ("omrkit", "ubt_domain", "testing_point")
        for init in (ROOT / "src" / package).glob("*/__init__.py")
    ]
    assert subpackages
    missing = [path for path in subpackages if f"{path.split('/', 1)[1]}/" not in section]
    assert missing == []
