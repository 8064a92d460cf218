"""Render speed of the ҰБТ answer sheet, PDF and PNG.

Run with ``pytest benchmarks/bench_render.py --benchmark-enable``.
"""

from __future__ import annotations

from typing import Any

import pytest

from omrkit.layout.models import load_layout
from omrkit.render import render_sheet

SERIAL = 123_456


@pytest.fixture(scope="module")
def ubt_answer() -> Any:
    """The bundled ҰБТ answer sheet, loaded once."""
    return load_layout("ubt-answer")


def test_render_ubt_answer_pdf(benchmark: Any, ubt_answer: Any) -> None:
    """Time one ҰБТ answer sheet rendered to PDF."""
    pdf = benchmark(render_sheet, ubt_answer, format="pdf", serial=SERIAL)
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize("dpi", [150, 200, 300])
def test_render_ubt_answer_png(benchmark: Any, ubt_answer: Any, dpi: int) -> None:
    """Time one ҰБТ answer sheet rendered to PNG at scanner resolutions."""
    png = benchmark(render_sheet, ubt_answer, format="png", dpi=dpi, serial=SERIAL)
    assert png.startswith(b"\x89PNG")
