"""Printed test targets: validated alone and in a layout, printed where and how they say."""

from __future__ import annotations

import io
import math
from functools import cache

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image
from pydantic import ValidationError

from omrkit.calibration.scanner_check import BAR_LP_PER_MM, EDGE_TILT_DEG, WEDGE_STEPS
from omrkit.errors import LayoutError
from omrkit.layout.models import SheetLayout, load_layout, parse_layout
from omrkit.layout.targets import (
    PrintedTarget,
    TargetKind,
    bar_rects_mm,
    edge_corners_mm,
    wedge_steps,
)
from omrkit.render import render_sheet

CALIBRATION = "calibration/scanner-check"
DPI = 300
PX_PER_MM = DPI / 25.4
#: Core of a printed patch sampled, mm in from its outline (clear of anti-aliased rims).
CORE_INSET_MM = 0.5
#: Grey of a rendered black core at most, and of paper at least (anti-aliasing aside).
BLACK_BELOW, PAPER_ABOVE = 40, 215


@cache
def _grey() -> npt.NDArray[np.float64]:
    png = render_sheet(CALIBRATION, format="png", dpi=DPI)
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("L"), dtype=np.float64)


def _core(x0: float, y0: float, x1: float, y1: float) -> npt.NDArray[np.float64]:
    rows = slice(
        math.ceil((y0 + CORE_INSET_MM) * PX_PER_MM), math.floor((y1 - CORE_INSET_MM) * PX_PER_MM)
    )
    cols = slice(
        math.ceil((x0 + CORE_INSET_MM) * PX_PER_MM), math.floor((x1 - CORE_INSET_MM) * PX_PER_MM)
    )
    return _grey()[rows, cols]


def _with(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {"id": "t", "kind": "edge", "x_mm": 100.0, "y_mm": 100.0,
                               "width_mm": 10.0, "height_mm": 4.0, "angle_deg": 5.0}  # fmt: skip
    return {**base, **changes}


@pytest.mark.parametrize(
    "changes",
    [
        {"angle_deg": 0.0},  # an edge that is not slanted measures nothing
        {"angle_deg": 30.0},  # too far off the axes
        {"kind": "wedge", "steps": 1, "angle_deg": 0.0},
        {"kind": "wedge", "steps": 11},  # a turned wedge
        {"kind": "bars", "lp_per_mm": 0.0, "angle_deg": 0.0},
        {"kind": "bars", "lp_per_mm": 0.1, "angle_deg": 0.0},  # not two line pairs wide
        {"steps": 3},  # an edge with steps
        {"width_mm": -1.0},
    ],
    ids=str,
)
def test_a_malformed_target_is_refused(changes: dict[str, object]) -> None:
    """A target whose parameters do not fit its kind is a validation error."""
    with pytest.raises(ValidationError):
        PrintedTarget.model_validate(_with(**changes))


@pytest.mark.parametrize(
    ("where", "message"),
    [((100.0, 296.0), "off the page"), ((16.0, 285.0), "registration mark"),
     ((40.0, 60.0), "overlaps a bubble")],
    ids=["off-page", "on-a-mark", "on-a-bubble"],
)  # fmt: skip
def test_a_layout_refuses_a_misplaced_target(where: tuple[float, float], message: str) -> None:
    """Off the page, on a registration mark or over a bubble: a LayoutError naming the target."""
    data = load_layout(CALIBRATION).model_dump()
    x, y = where
    data["targets"] = [*data["targets"], _with(id="stray", x_mm=x, y_mm=y)]
    with pytest.raises(LayoutError, match=message) as info:
        SheetLayout.model_validate(data)
    assert info.value.field == "stray"


def test_duplicate_target_ids_are_refused() -> None:
    data = load_layout(CALIBRATION).model_dump()
    data["targets"] = [*data["targets"], data["targets"][0]]
    with pytest.raises(LayoutError, match="duplicate target"):
        SheetLayout.model_validate(data)


def test_the_calibration_sheet_carries_every_target() -> None:
    """Slanted edges tilted both ways, an 11-step wedge, bars at each frequency across x and y."""
    targets = load_layout(CALIBRATION).targets
    edges = [t for t in targets if t.kind is TargetKind.EDGE]
    assert {t.angle_deg for t in edges} == {EDGE_TILT_DEG, -EDGE_TILT_DEG}
    assert len(edges) >= 4
    wedges = [t for t in targets if t.kind is TargetKind.WEDGE]
    assert [t.steps for t in wedges] == [WEDGE_STEPS]
    bars = {(t.across, t.lp_per_mm) for t in targets if t.kind is TargetKind.BARS}
    assert bars == {(a, lp) for a in "xy" for lp in BAR_LP_PER_MM}


def test_targets_round_trip_and_other_layouts_keep_their_json() -> None:
    """The calibration JSON holds its targets; a layout without any writes no targets key."""
    layout = load_layout(CALIBRATION)
    assert parse_layout(layout.to_json()) == layout
    assert '"targets"' not in load_layout("ubt-answer").to_json()


def test_wedge_steps_run_from_paper_to_black() -> None:
    wedge = next(t for t in load_layout(CALIBRATION).targets if t.kind is TargetKind.WEDGE)
    steps = wedge_steps(wedge)
    darkness = [d for _, _, d, _ in steps]
    assert darkness[0] == 0.0
    assert darkness[-1] == 1.0
    assert np.all(np.diff(darkness) > 0)
    assert steps[0][0] == pytest.approx(wedge.x_mm - wedge.width_mm / 2)


def test_wedge_steps_print_in_their_greys() -> None:
    """Each printed step's core has the grey its printed darkness says, within 1 level."""
    wedge = next(t for t in load_layout(CALIBRATION).targets if t.kind is TargetKind.WEDGE)
    top, bottom = wedge.y_mm - wedge.height_mm / 2, wedge.y_mm + wedge.height_mm / 2
    for x0, width, _, grey in wedge_steps(wedge):
        assert float(np.median(_core(x0, top, x0 + width, bottom))) == pytest.approx(grey, abs=1)


@pytest.mark.parametrize("lp", BAR_LP_PER_MM[:2])
def test_bars_print_at_their_pitch(lp: float) -> None:
    """Bars are 1 / (2 lp) mm wide with gaps as wide: black cores, and paper between."""
    t = next(t for t in load_layout(CALIBRATION).targets
             if t.kind is TargetKind.BARS and t.across == "x" and t.lp_per_mm == lp)  # fmt: skip
    rects = bar_rects_mm(t)
    assert all(w == pytest.approx(1 / (2 * lp)) for _, _, w, _ in rects)
    x, y, w, h = rects[0]
    row = _grey()[round((y + h / 2) * PX_PER_MM)]
    assert row[round((x + w / 2) * PX_PER_MM)] < BLACK_BELOW
    assert row[round((x + 1.5 * w) * PX_PER_MM)] > PAPER_ABOVE


def test_edges_print_turned_by_their_angle() -> None:
    """A point just inside each corner is black, one just outside is paper."""
    for t in (t for t in load_layout(CALIBRATION).targets if t.kind is TargetKind.EDGE):
        corners = np.array(edge_corners_mm(t))
        centre = corners.mean(axis=0)
        for corner in corners:
            inside = centre + 0.9 * (corner - centre)
            outside = centre + 1.1 * (corner - centre)
            grey = [
                _grey()[round(p[1] * PX_PER_MM), round(p[0] * PX_PER_MM)] for p in (inside, outside)
            ]
            assert grey[0] < BLACK_BELOW, t.id
            assert grey[1] > PAPER_ABOVE, t.id
