"""STYLE habit 6: ubt_domain never opens files, reads the clock or draws random numbers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import ubt_domain

PACKAGE_DIR = Path(ubt_domain.__file__).parent
FORBIDDEN_MODULES = {
    "os",
    "pathlib",
    "time",
    "random",
    "secrets",
    "socket",
    "shutil",
    "tempfile",
    "subprocess",
    "urllib",
    "http",
    "io",
    "glob",
    "uuid",
}
FORBIDDEN_CALLS = {
    "open",
    "now",
    "today",
    "utcnow",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "time_ns",
    "perf_counter",
}
MODULES = sorted(PACKAGE_DIR.rglob("*.py"))


def _violations(tree: ast.AST) -> list[str]:
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in FORBIDDEN_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in FORBIDDEN_MODULES:
                found.append(node.module)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in FORBIDDEN_CALLS:
                found.append(f"{name}() at line {node.lineno}")
    return found


def test_package_has_modules() -> None:
    """The walk below really sees the package's modules."""
    assert any(p.name == "errors.py" for p in MODULES)


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_domain_module_is_pure(module: Path) -> None:
    """No file, clock, randomness or network access in a domain module."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    assert _violations(tree) == []


def test_purity_check_catches_a_clock_read() -> None:
    """The checker itself flags the kinds of code it exists to keep out."""
    bad = ast.parse("import random\nfrom datetime import datetime\nx = datetime.now()\nopen('f')")
    assert len(_violations(bad)) == 3
