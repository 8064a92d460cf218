"""Marks as people make them: ink profiles, and sheets filled with them.

An :class:`InkProfile` says how dark an examinee's marks are (each mark draws
its darkness from a range: uneven pressure), whether they carry graphite's
grain, how dark what an eraser leaves is and how far it smears beyond the
bubble, and, for a sheet mixing two pressures, the second range and its
share of marks. :data:`INK_PROFILES` names the presets: light and heavy
pencil, dark and drying ballpoint, gel pen, blue and black, a faint pencil
below what can be read reliably, and a mixed sheet. Darkness is the share of
the paper-to-black range the ink removes (blue reads lighter than black in
grey). :func:`synthesize_ink_sheet` fills and scans one sheet with a profile;
truth stays the painted area (an erasure paints nothing).
"""

from __future__ import annotations

import math

import cv2
import numpy as np
from pydantic import Field

from omrkit.layout.models import SheetLayout, load_layout
from omrkit.synth.degrade import degrade_page
from omrkit.synth.page import page_template, stamp_code
from omrkit.synth.plan import plan_fills
from omrkit.synth.profiles import (
    DegradationProfile,
    FillProfile,
    SynthSettings,
    degradation_profile,
)
from omrkit.synth.simulate import SyntheticSheet
from omrkit.synth.strokes import MarkKind, paint_mark
from omrkit.synth.truth import SheetTruth

__all__ = ["INK_FILL", "INK_PROFILES", "InkProfile", "synthesize_ink_sheet"]

#: Darkest erasure residue the presets draw (an eraser leaves at most this).
ERASURE_MAX = 0.15
#: Smear beyond an erased bubble: its length as a multiple of the bubble radius.
SMEAR_LENGTH_RADII = (1.2, 2.4)
#: The smear's width as a share of its length.
SMEAR_WIDTH_SHARE = 0.35
#: The smear's darkness as a share of the residue's: rubbing spreads it thin.
SMEAR_DARKNESS_SHARE = 0.5


class InkProfile(SynthSettings):
    """How one examinee's marks look."""

    name: str = "custom"
    darkness: tuple[float, float] = Field(description="range of a mark's mean darkness")
    textured: bool = Field(default=False, description="graphite grain or a skipping ball")
    mixed_darkness: tuple[float, float] | None = Field(
        default=None, description="second pressure on a mixed sheet"
    )
    mixed_share: float = Field(default=0.5, ge=0, le=1, description="share of marks at the second")
    erasure_darkness: tuple[float, float] = Field(default=(0.05, ERASURE_MAX))
    smear: bool = Field(default=True, description="erasures smear beyond the bubble")


#: Preset profiles, by name.
INK_PROFILES: dict[str, InkProfile] = {
    p.name: p
    for p in (
        InkProfile(name="pencil-light", darkness=(0.35, 0.50), textured=True),
        InkProfile(name="pencil-heavy", darkness=(0.70, 0.90), textured=True),
        InkProfile(name="ballpoint-black", darkness=(0.85, 0.95)),
        InkProfile(name="ballpoint-blue", darkness=(0.62, 0.80)),
        InkProfile(name="ballpoint-drying", darkness=(0.35, 0.60), textured=True),
        InkProfile(name="gel-black", darkness=(0.92, 0.98)),
        InkProfile(name="gel-blue", darkness=(0.70, 0.85)),
        InkProfile(
            name="mixed-pressure", darkness=(0.80, 0.92), mixed_darkness=(0.36, 0.48), textured=True
        ),
        InkProfile(name="pencil-faint", darkness=(0.22, 0.32), textured=True),
    )
}
#: The mix of marks the ink tests draw: many partial fills, ticks, crosses and erasures.
INK_FILL = FillProfile(partial_prob=0.35, stroke_prob=0.12, ghost_prob=0.12, dot_prob=0.04)


def synthesize_ink_sheet(
    layout: SheetLayout | str,
    ink: InkProfile | str,
    *,
    seed: int,
    dpi: int = 200,
    profile: str | DegradationProfile = "default",
    fill: FillProfile = INK_FILL,
) -> SyntheticSheet:
    """Simulate one sheet filled with ``ink``, printed and scanned.

    Parameters
    ----------
    layout : SheetLayout or str
    ink : InkProfile or str
        A profile or a name in :data:`INK_PROFILES`.
    seed : int
        Non-negative; the same seed gives the same pixels and truth.
    dpi : int
    profile : str or DegradationProfile
        The print-scan degradation (:data:`omrkit.synth.profiles.DEGRADATION_PRESETS`).
    fill : FillProfile
        The mix of answers and marks.

    Returns
    -------
    SyntheticSheet
        Its truth's ``ink_darkness`` is each mark's mean darkness.

    Examples
    --------
    >>> sheet = synthesize_ink_sheet("ubt-answer", "pencil-light", seed=1, profile="none")
    >>> float(sheet.truth.ink_darkness.max()) <= 0.5 + 0.1
    True
    """
    sheet_layout = load_layout(layout)
    ink_profile = INK_PROFILES[ink] if isinstance(ink, str) else ink
    scan_profile = degradation_profile(profile)
    template = page_template(sheet_layout, dpi)
    plan_rng, ink_rng, scan_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)
    )
    plan = plan_fills(sheet_layout, rng=plan_rng, fill=fill)
    page = template.page.copy()
    serial = None
    if sheet_layout.serial_code is not None:
        serial = int(plan_rng.integers(0, 1 << sheet_layout.serial_code.bits))
        stamp_code(page, sheet_layout.serial_code, serial, template.px_per_mm)
    n = len(plan.kinds)
    painted, covered, darkness = np.zeros(n), np.zeros(n), np.zeros(n)
    for i, kind in enumerate(plan.kinds):
        if kind is MarkKind.NONE:
            continue
        target = None if math.isnan(plan.targets[i]) else float(plan.targets[i])
        tone = _mark_darkness(ink_profile, kind, ink_rng)
        cx, cy = (float(v) for v in template.centers_px[i])
        radius_px = float(template.inner_radii_px[i])
        grain = ink_profile.textured and kind is not MarkKind.GHOST
        patch = paint_mark(kind, center_px=(cx, cy), inner_radius_px=radius_px,
                           px_per_mm=template.px_per_mm, darkness=tone, rng=ink_rng,
                           target_fraction=target, textured=grain)  # fmt: skip
        _composite(page, patch.row0, patch.col0, patch.darkness)
        if kind is MarkKind.GHOST and ink_profile.smear:
            _smear(page, (cx, cy), radius_px, tone, ink_rng)
        painted[i], covered[i], darkness[i] = (
            patch.painted_fraction,
            patch.covered_fraction,
            patch.mean_darkness,
        )
    scan = degrade_page(page, profile=scan_profile, rng=scan_rng, px_per_mm=template.px_per_mm,
                        keep_inside_px=template.mark_corners_px)  # fmt: skip
    to_px = np.diag([template.px_per_mm, template.px_per_mm, 1.0])
    truth = SheetTruth(
        layout_id=sheet_layout.layout_id, seed=seed, dpi=dpi, profile=scan_profile.name,
        serial=serial, instrument=plan.instrument, upside_down=scan.geometry.upside_down,
        homography=scan.geometry.page_to_image @ to_px, jpeg_quality=scan.jpeg_quality,
        mark_kinds=plan.kinds, true_fractions=painted, covered_fractions=covered,
        ink_darkness=darkness, intended=plan.intended, planted_double=plan.planted_double,
    )  # fmt: skip
    return SyntheticSheet(scan.image, truth, scan.jpeg)


def _mark_darkness(ink: InkProfile, kind: MarkKind, rng: np.random.Generator) -> float:
    """One mark's mean darkness: the pressure of this mark, or an eraser's residue."""
    if kind is MarkKind.GHOST:
        return float(rng.uniform(*ink.erasure_darkness))
    if ink.mixed_darkness is not None and rng.uniform() < ink.mixed_share:
        return float(rng.uniform(*ink.mixed_darkness))
    return float(rng.uniform(*ink.darkness))


def _smear(
    page: np.ndarray,
    center_px: tuple[float, float],
    radius_px: float,
    darkness: float,
    rng: np.random.Generator,
) -> None:
    """A soft streak of erased graphite from the rim outward, as rubbing leaves."""
    length = radius_px * rng.uniform(*SMEAR_LENGTH_RADII)
    angle = rng.uniform(0.0, 2.0 * math.pi)
    half = math.ceil(length + radius_px) + 2
    patch = np.zeros((2 * half + 1, 2 * half + 1), dtype=np.float32)
    reach = radius_px + length / 2
    centre = (half + math.cos(angle) * reach, half + math.sin(angle) * reach)
    axes = (max(int(length / 2), 1), max(int(SMEAR_WIDTH_SHARE * length / 2), 1))
    tone = float(SMEAR_DARKNESS_SHARE * darkness)
    cv2.ellipse(patch, (round(centre[0]), round(centre[1])), axes, math.degrees(angle), 0, 360,
                tone, thickness=-1)  # fmt: skip
    cv2.GaussianBlur(patch, (0, 0), max(radius_px / 4, 1.0), dst=patch)
    row0, col0 = round(center_px[1]) - half, round(center_px[0]) - half
    _composite(page, row0, col0, patch)


def _composite(page: np.ndarray, row0: int, col0: int, darkness: np.ndarray) -> None:
    h, w = darkness.shape
    r0, c0 = max(row0, 0), max(col0, 0)
    r1, c1 = min(row0 + h, page.shape[0]), min(col0 + w, page.shape[1])
    if r0 < r1 and c0 < c1:
        page[r0:r1, c0:c1] *= 1.0 - darkness[r0 - row0 : r1 - row0, c0 - col0 : c1 - col0]
