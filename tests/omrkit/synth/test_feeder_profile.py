"""The ``feeder-clipping`` profile: page-sized scans whose edge cuts marks, covered marks."""

from __future__ import annotations

import numpy as np

from omrkit.layout.models import load_layout
from omrkit.registration.homography import apply_homography
from omrkit.synth.degrade import cover_mark
from omrkit.synth.page import page_template
from omrkit.synth.simulate import degradation_profile, synthesize_sheet

DPI = 200
#: A covered mark's pixels change by at least this (grey levels, mean absolute):
#: a thumb or staple replaces part of the black square; a 1 mm staple across
#: the 6 mm square changes a sixth of it.
MIN_COVER_CHANGE = 4.0


def _cut_marks(seed: int) -> int:
    """Registration marks of a feeder-clipping scan with a corner off the image."""
    layout = load_layout("ubt-answer")
    sheet = synthesize_sheet(layout, seed=seed, dpi=DPI, profile="feeder-clipping")
    height, width = sheet.image.shape
    cut = 0
    for mark in layout.marks:
        half = mark.size_mm / 2
        corners = np.array(
            [[mark.x_mm + dx, mark.y_mm + dy] for dx in (-half, half) for dy in (-half, half)]
        )
        xy = apply_homography(sheet.truth.homography, corners)
        inside = (xy[:, 0] >= 0) & (xy[:, 0] < width) & (xy[:, 1] >= 0) & (xy[:, 1] < height)
        cut += int(not inside.all())
    return cut


def test_feeder_scans_are_page_sized_and_some_cut_a_mark() -> None:
    profile = degradation_profile("feeder-clipping")
    assert profile.marks_may_clip
    assert profile.margin_mm == 0
    sheet = synthesize_sheet("ubt-answer", seed=1, dpi=DPI, profile=profile)
    template = page_template(load_layout("ubt-answer"), DPI)
    assert sheet.image.shape == template.page.shape
    assert sum(_cut_marks(seed) > 0 for seed in range(12)) >= 1


def test_cover_mark_hides_the_mark_it_names_only() -> None:
    template = page_template(load_layout("ubt-answer"), DPI)
    page = template.page.copy()
    index = cover_mark(
        page, template.mark_corners_px, px_per_mm=template.px_per_mm, rng=np.random.default_rng(3)
    )
    centres = template.mark_corners_px.reshape(-1, 4, 2).mean(axis=1)
    reach = round(3 * template.px_per_mm)  # the 6 mm square
    for k, (x, y) in enumerate(np.round(centres).astype(int).tolist()):
        window = np.s_[y - reach : y + reach, x - reach : x + reach]
        change = float(np.abs(template.page[window] - page[window]).mean())
        if k == index:
            assert change >= MIN_COVER_CHANGE
        else:
            assert change == 0.0
