"""Tests for the simulated scan's geometry, and for the simulator's arguments and profiles.

The stored homography against the registration marks seen in the image (also
through the clean render of the same sheet), upside-down feeds, the clean
profile's render geometry and the stamped serial; then bad arguments, serials
on layouts without a serial code, degradation and fill profiles that do not
validate, and skews the scanner bed cannot hold.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from omrkit.errors import SynthError
from omrkit.layout.models import SheetLayout
from omrkit.synth.profiles import DegradationProfile, FillProfile, degradation_profile
from omrkit.synth.simulate import synthesize_sheet
from tests.omrkit.synth.sheet_pixels import _blank, _dark_centroid, _project

#: The stored homography must put each registration mark within this of its image.
MARK_TOLERANCE_PX = 1.0
#: ... and within this of where the clean render shows it (see the test).
EXACT_TOLERANCE_PX = 0.1


# -- geometry -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("profile", "seed"), [("default", 1), ("default", 2), ("harsh", 3), ("harsh", 4)]
)
def test_homography_puts_marks_on_their_squares(
    layout: SheetLayout, profile: str, seed: int
) -> None:
    """The stored homography maps every registration mark's centre onto its dark square."""
    dpi = 150
    sheet = synthesize_sheet(layout, seed=seed, dpi=dpi, profile=profile)
    for mark in layout.marks:
        x, y = _project(sheet.truth.homography, mark.x_mm, mark.y_mm)
        found = _dark_centroid(sheet.image, x, y, round(mark.size_mm * dpi / 25.4))
        assert math.dist(found, (x, y)) <= MARK_TOLERANCE_PX, (mark.id, found, (x, y))


@pytest.mark.parametrize(
    ("profile", "seed"),
    [
        (degradation_profile("default"), 5),
        (degradation_profile("harsh"), 6),
        (degradation_profile("harsh").model_copy(update={"upside_down_prob": 1.0}), 7),
    ],
)
def test_homography_is_exact_against_the_clean_render(
    layout: SheetLayout, profile: DegradationProfile, seed: int
) -> None:
    """Through both sheets' homographies, a mark seen on the clean render lands within 0.1 px.

    The render rounds mark edges to whole pixels at some resolutions; going
    through the clean image of the same sheet takes that out, leaving only
    the simulator's own geometry to check.
    """
    dpi = 150
    clean = synthesize_sheet(layout, seed=seed, dpi=dpi, profile="none")
    scan = synthesize_sheet(layout, seed=seed, dpi=dpi, profile=profile)
    clean_to_scan = scan.truth.homography @ np.linalg.inv(clean.truth.homography)
    for mark in layout.marks:
        half = round(mark.size_mm * dpi / 25.4)
        seen = _dark_centroid(
            clean.image, *_project(clean.truth.homography, mark.x_mm, mark.y_mm), half
        )
        x, y = _project(clean_to_scan, *seen)
        found = _dark_centroid(scan.image, x, y, half)
        assert math.dist(found, (x, y)) <= EXACT_TOLERANCE_PX, (mark.id, found, (x, y))


def test_upside_down_feed_is_recorded(layout: SheetLayout) -> None:
    """A sheet fed turned by 180° says so, and its homography turns the page too."""
    turned = DegradationProfile(name="turned", upside_down_prob=1.0)
    sheet = synthesize_sheet(layout, seed=2, dpi=150, profile=turned)
    assert sheet.truth.upside_down
    height, width = sheet.image.shape
    tl = next(m for m in layout.marks if m.id == "tl")
    x, y = _project(sheet.truth.homography, tl.x_mm, tl.y_mm)
    assert x > width / 2
    assert y > height / 2
    found = _dark_centroid(sheet.image, x, y, round(tl.size_mm * 150 / 25.4))
    assert math.dist(found, (x, y)) <= MARK_TOLERANCE_PX
    upright = synthesize_sheet(layout, seed=2, dpi=150, profile="none")
    assert not upright.truth.upside_down


def test_clean_profile_is_the_render_geometry(layout: SheetLayout) -> None:
    """Profile ``none`` keeps the page size and maps mm to px by the dpi alone."""
    sheet = synthesize_sheet(layout, seed=0, dpi=150, profile="none")
    scale = 150 / 25.4
    assert sheet.image.shape == _blank(layout.layout_id, 150).shape
    assert np.allclose(sheet.truth.homography, np.diag([scale, scale, 1.0]))
    assert sheet.jpeg is None


def test_serial_is_printed_in_its_bit_code(layout: SheetLayout) -> None:
    """The stamped serial cells decode to the serial in the truth."""
    sheet = synthesize_sheet(layout, seed=0, dpi=150, profile="none", serial=123_456)
    code = layout.serial_code
    assert code is not None
    assert sheet.truth.serial == 123_456
    scale = 150 / 25.4
    cells = [
        sheet.image[round(y * scale), round(x * scale)] < 128 for x, y in code.cell_centers_mm()
    ]
    assert code.decode(np.array(cells)) == 123_456


# -- arguments ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"seed": -1}, "seed"),
        ({"seed": 0, "dpi": 50}, "dpi"),
        ({"seed": 0, "profile": "blurry"}, "profile"),
        ({"seed": 0, "serial": 1 << 40}, "serial"),
    ],
)
def test_synthesize_sheet_refuses_bad_arguments(
    layout: SheetLayout, kwargs: dict[str, object], field: str
) -> None:
    """Bad seeds, resolutions, profile names and serials raise SynthError naming them."""
    with pytest.raises(SynthError) as err:
        synthesize_sheet(layout, **kwargs)  # type: ignore[arg-type]
    assert err.value.field == field


def test_serial_needs_a_serial_code() -> None:
    """Asking for a serial on a layout without a serial code is refused."""
    with pytest.raises(SynthError, match="no serial code"):
        synthesize_sheet("mab-grade4", seed=0, dpi=100, profile="none", serial=3)


def test_profiles_validate() -> None:
    """Backward ranges, bad JPEG qualities and unknown names raise SynthError."""
    with pytest.raises(SynthError) as err:
        DegradationProfile(noise_sigma=(4.0, 1.0))
    assert err.value.field == "noise_sigma"
    with pytest.raises(SynthError):
        DegradationProfile(jpeg_quality=(50, 101))
    with pytest.raises(SynthError):
        FillProfile(blank_prob=0.7, double_prob=0.7)
    assert degradation_profile("harsh").name == "harsh"


def test_too_small_bed_is_reported(layout: SheetLayout) -> None:
    """A skew the scanner bed cannot hold raises SynthError naming the margin."""
    tight = DegradationProfile(name="tight", rotation_deg=10.0, margin_mm=0.0)
    with pytest.raises(SynthError) as err:
        synthesize_sheet(layout, seed=0, dpi=100, profile=tight)
    assert err.value.field == "margin_mm"
