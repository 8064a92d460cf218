"""Printed test targets of a calibration sheet: slanted edges, grey wedges, line pairs.

A :class:`PrintedTarget` is printed solid or in known greys and is never read
as a mark; :mod:`omrkit.calibrate` measures a scanner by it. Its geometry is
derived here once (:func:`edge_corners_mm`, :func:`wedge_steps`,
:func:`bar_rects_mm`), so the renderer prints and the calibration measures
exactly the same shapes.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "GREY_MAX",
    "MAX_EDGE_TILT_DEG",
    "PrintedTarget",
    "TargetKind",
    "bar_rects_mm",
    "edge_corners_mm",
    "target_corners_mm",
    "wedge_steps",
]

#: White in the renderer's 8-bit grey (``luma``).
GREY_MAX = 255
#: A slanted edge is tilted by less than this from the page axes: far enough
#: from 0 that pixel phases spread, near enough that the edge stays an x or y edge.
MAX_EDGE_TILT_DEG = 20.0
MIN_EDGE_TILT_DEG = 1.0


class TargetKind(StrEnum):
    """What a printed target measures."""

    EDGE = "edge"  # solid black rectangle turned by angle_deg: four slanted edges
    WEDGE = "wedge"  # `steps` grey patches left to right, 0 to 100 % of paper-to-black
    BARS = "bars"  # black bars and white gaps, lp_per_mm line pairs per mm


class PrintedTarget(BaseModel):
    """A test target centred at ``(x_mm, y_mm)``, ``width_mm`` by ``height_mm`` before turning.

    ``angle_deg`` turns an edge target clockwise on the page (edges only);
    ``steps`` is the number of wedge patches (wedges only); ``lp_per_mm`` and
    ``across`` give the line pairs per mm and the axis they alternate along
    (bars only: ``"x"`` prints upright bars).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    kind: TargetKind
    x_mm: float = Field(allow_inf_nan=False)
    y_mm: float = Field(allow_inf_nan=False)
    width_mm: float = Field(gt=0, le=200)
    height_mm: float = Field(gt=0, le=200)
    angle_deg: float = Field(default=0.0, ge=-MAX_EDGE_TILT_DEG, le=MAX_EDGE_TILT_DEG)
    steps: int = Field(default=0, ge=0, le=64)
    lp_per_mm: float = Field(default=0.0, ge=0, le=20)
    across: Literal["x", "y"] = "x"

    @model_validator(mode="after")
    def _check_kind(self) -> Self:
        edge, wedge, bars = (self.kind is k for k in TargetKind)
        if edge != (abs(self.angle_deg) >= MIN_EDGE_TILT_DEG):
            raise ValueError(
                f"an edge target is tilted {MIN_EDGE_TILT_DEG}..{MAX_EDGE_TILT_DEG}° and"
                " no other target is"
            )
        if wedge != (self.steps >= 2):
            raise ValueError("a wedge has two or more steps and no other target has steps")
        if bars != (self.lp_per_mm > 0):
            raise ValueError("bars have lp_per_mm > 0 and no other target has")
        if bars:
            extent = self.width_mm if self.across == "x" else self.height_mm
            if extent * self.lp_per_mm < 2:
                raise ValueError("a bar target must hold at least two line pairs")
        return self


def target_corners_mm(t: PrintedTarget) -> list[tuple[float, float]]:
    """The four corners of the target's outline on the page (turned for an edge), mm."""
    a = math.radians(t.angle_deg)
    c, s = math.cos(a), math.sin(a)
    half = ((-1, -1), (1, -1), (1, 1), (-1, 1))
    return [
        (
            t.x_mm + c * u * t.width_mm / 2 - s * v * t.height_mm / 2,
            t.y_mm + s * u * t.width_mm / 2 + c * v * t.height_mm / 2,
        )
        for u, v in half
    ]


def edge_corners_mm(t: PrintedTarget) -> list[tuple[float, float]]:
    """Corners of an edge target, clockwise from top-left: side ``k`` runs from corner k to k+1."""
    if t.kind is not TargetKind.EDGE:
        raise ValueError(f"target {t.id!r} is a {t.kind.value}, not an edge")
    return target_corners_mm(t)


def wedge_steps(t: PrintedTarget) -> list[tuple[float, float, float, int]]:
    """Patches of a wedge, left to right: ``(x0_mm, width_mm, printed_darkness, grey)``.

    Step ``k`` of ``n`` is printed at grey ``round(255 (1 - k / (n - 1)))``;
    its printed darkness is that grey's, ``1 - grey / 255``, so the rounding
    is part of the truth.
    """
    if t.kind is not TargetKind.WEDGE:
        raise ValueError(f"target {t.id!r} is a {t.kind.value}, not a wedge")
    step = t.width_mm / t.steps
    x0 = t.x_mm - t.width_mm / 2
    out = []
    for k in range(t.steps):
        grey = round(GREY_MAX * (1 - k / (t.steps - 1)))
        out.append((x0 + k * step, step, 1 - grey / GREY_MAX, grey))
    return out


def bar_rects_mm(t: PrintedTarget) -> list[tuple[float, float, float, float]]:
    """Black bars of a bar target as ``(x_mm, y_mm, width_mm, height_mm)``, top-left corners.

    Whole line pairs only, centred in the target: a bar is ``1 / (2 lp_per_mm)`` wide.
    """
    if t.kind is not TargetKind.BARS:
        raise ValueError(f"target {t.id!r} is a {t.kind.value}, not bars")
    bar = 1 / (2 * t.lp_per_mm)
    extent = t.width_mm if t.across == "x" else t.height_mm
    pairs = math.floor(extent * t.lp_per_mm + 1e-9)
    start = -pairs * 2 * bar / 2
    x0, y0 = t.x_mm - t.width_mm / 2, t.y_mm - t.height_mm / 2
    if t.across == "x":
        return [(t.x_mm + start + 2 * k * bar, y0, bar, t.height_mm) for k in range(pairs)]
    return [(x0, t.y_mm + start + 2 * k * bar, t.width_mm, bar) for k in range(pairs)]
