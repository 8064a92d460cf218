"""The layout the simulator's tests draw their sheets on."""

from __future__ import annotations

import pytest

from omrkit.layout.models import SheetLayout, load_layout


@pytest.fixture(scope="module")
def layout() -> SheetLayout:
    return load_layout("ubt-answer")
