"""OMRChecker templates as layouts: geometry, labels, refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from omrkit.errors import LayoutError
from omrkit.interop.omrchecker import load_template
from omrkit.interop.omrchecker.marks import mark_threshold
from omrkit.interop.omrchecker.reader import output_columns

BASE: dict[str, Any] = {
    "pageDimensions": [300, 400],
    "bubbleDimensions": [20, 20],
    "fieldBlocks": {
        "Mcq": {
            "fieldType": "QTYPE_MCQ4",
            "origin": [50, 60],
            "fieldLabels": ["q1..10"],
            "bubblesGap": 30,
            "labelsGap": 25,
        },
        "Roll": {
            "fieldType": "QTYPE_INT",
            "origin": [200, 60],
            "fieldLabels": ["r1", "r2"],
            "bubblesGap": 25,
            "labelsGap": 30,
        },
    },
    "customLabels": {"Roll": ["r1", "r2"]},
}


def _write(tmp_path: Path, data: dict[str, object]) -> Path:
    path = tmp_path / "template.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_blocks_lay_out_bubbles_along_their_direction(tmp_path: Path) -> None:
    """MCQ bubbles step along x, digit bubbles along y, from the top-left origin."""
    layout = load_template(_write(tmp_path, BASE))
    mm = layout.mm_per_px
    q1 = layout.field("q1").slots[0].bubbles
    assert [b.symbol for b in q1] == ["A", "B", "C", "D"]
    assert q1[1].x_mm - q1[0].x_mm == pytest.approx(30 * mm)
    assert q1[0].x_mm == pytest.approx(60 * mm)
    assert q1[0].y_mm == pytest.approx(70 * mm)
    r1, r2 = layout.field("Roll").slots
    assert r1.bubbles[1].y_mm - r1.bubbles[0].y_mm == pytest.approx(25 * mm)
    assert r2.bubbles[0].x_mm - r1.bubbles[0].x_mm == pytest.approx(30 * mm)


def test_columns_follow_omrcheckers_natural_order(tmp_path: Path) -> None:
    """Custom labels replace their members; q2 sorts before q10."""
    layout = load_template(_write(tmp_path, BASE))
    assert output_columns(layout)[:3] == ["Roll", "q1", "q2"]
    assert "r1" not in output_columns(layout)


@pytest.mark.parametrize(
    ("patch", "named"),
    [
        ({"unknownKey": 1}, "unknownKey"),
        ({"preProcessors": [{"name": "AutoRotate", "options": {}}]}, "AutoRotate"),
        ({"preProcessors": [{"name": "CropPage", "options": {"bogus": 1}}]}, "bogus"),
        (
            {"preProcessors": [{"name": "CropOnMarkers", "options": {"relativePath": "no.jpg"}}]},
            "no.jpg",
        ),
    ],
)
def test_unknown_keys_and_steps_are_refused_by_name(
    tmp_path: Path, patch: dict[str, object], named: str
) -> None:
    """An unknown key, pre-processor or option is a LayoutError naming it."""
    with pytest.raises(LayoutError, match=named):
        load_template(_write(tmp_path, {**BASE, **patch}))


def test_unknown_field_block_key_is_refused(tmp_path: Path) -> None:
    """A misspelt block key is named, never ignored."""
    blocks = dict(BASE["fieldBlocks"])
    blocks["Mcq"] = {**blocks["Mcq"], "bubbleGap": 30}
    with pytest.raises(LayoutError, match="bubbleGap"):
        load_template(_write(tmp_path, {**BASE, "fieldBlocks": blocks}))


def test_light_marks_lower_the_threshold_to_their_middle() -> None:
    """A group of grey marks sets the threshold at half their darkness; none keeps the pen's."""
    assert mark_threshold(np.array([0.04] * 30 + [0.5] * 8))[0] == pytest.approx(0.25)
    assert mark_threshold(np.array([0.04] * 30 + [0.95] * 8))[0] == pytest.approx(0.45)
    assert mark_threshold(np.array([0.04] * 30 + [0.1] * 8))[0] == pytest.approx(0.45)
