"""Tests for omrkit.registration.register: finding the sheet, its way up, refusing what is not."""

from __future__ import annotations

import functools
import math

import cv2
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omrkit.decode.images import decode_image
from omrkit.errors import RegistrationError
from omrkit.layout.models import Page, SheetLayout, load_layout
from omrkit.registration.homography import apply_homography
from omrkit.registration.register import (
    MAX_BED_MARGIN_MM,
    MAX_SKEW_DEG,
    MarkStatus,
    Registration,
    expected_scale,
    register,
)
from omrkit.registration.search import FIRST_REACH, search_frame
from omrkit.render import render_sheet
from omrkit.synth.simulate import synthesize_sheet
from tests.omrkit.drawn_sheets import draw_sheet, paint_square, placement, toy_layout

#: Bubble centres must land this close (px) to where the true transform puts them.
ACCURACY_PX = 0.5
#: A clean render is registered far more exactly than that, at a resolution
#: (254 dpi, 10 px/mm) where the renderer's pixel-snapped squares are exact.
RENDER_ACCURACY_PX = 0.05
EXACT_DPI = 254
#: Scanner bed around a drawn page, mm on each side.
BED_MM = 10.0
DPI = 150
A4 = Page()
#: Pixels per mm of a 200 dpi scan, for the expected-scale tests.
PX_PER_MM = 200 / 25.4


def _bed_size(layout: SheetLayout, dpi: float, bed_mm: float = BED_MM) -> tuple[int, int]:
    page = layout.page
    return (
        round((page.width_mm + 2 * bed_mm) / 25.4 * dpi),
        round((page.height_mm + 2 * bed_mm) / 25.4 * dpi),
    )


def _bubble_error_px(
    registration: Registration, truth: npt.NDArray[np.float64], layout: SheetLayout
) -> float:
    centres = layout.bubbles.centers_mm
    found = registration.to_image(centres)
    return float(np.linalg.norm(found - apply_homography(truth, centres), axis=1).max())


@functools.cache
def _render(name: str, dpi: int) -> npt.NDArray[np.uint8]:
    layout = load_layout(name)
    png = render_sheet(layout, format="png", dpi=dpi, serial=1234)
    image = decode_image(png, dropout_color=layout.dropout_color)
    image.flags.writeable = False
    return image


def _drawn(
    *,
    angle_deg: float = 1.5,
    skip_marks: tuple[str, ...] = (),
    serial: int | None = 321,
) -> tuple[SheetLayout, npt.NDArray[np.uint8], npt.NDArray[np.float64]]:
    layout = toy_layout()
    size = _bed_size(layout, DPI)
    truth = placement(layout.page, size, dpi=DPI, angle_deg=angle_deg, shift_mm=(1.0, -1.5))
    image = draw_sheet(layout, truth, size, serial=serial, skip_marks=skip_marks)
    return layout, image, truth


# -- rendered sheets -----------------------------------------------------------------------
def test_register_rendered_sheet_maps_bubbles_exactly() -> None:
    """A clean render is registered with every bubble within 0.05 px of x_mm / 25.4 * dpi."""
    layout = load_layout("ubt-answer")
    image = _render("ubt-answer", EXACT_DPI)
    registration = register(image, layout)
    truth = np.diag([EXACT_DPI / 25.4, EXACT_DPI / 25.4, 1.0])
    assert _bubble_error_px(registration, truth, layout) < RENDER_ACCURACY_PX
    assert not registration.quality.upside_down
    assert not registration.quality.poor
    assert registration.quality.scale == pytest.approx(EXACT_DPI / 25.4, rel=1e-4)
    assert abs(registration.quality.skew_deg) < 0.01
    assert all(m.status is MarkStatus.USED for m in registration.marks)


def test_register_rendered_sheet_turned_180() -> None:
    """A sheet fed upside down is mapped as it lies and reported upside down."""
    layout = load_layout("ubt-answer")
    image = np.ascontiguousarray(_render("ubt-answer", DPI)[::-1, ::-1])
    registration = register(image, layout)
    s = DPI / 25.4
    height, width = image.shape
    truth = np.array([[-s, 0.0, width], [0.0, -s, height], [0.0, 0.0, 1.0]])
    assert registration.quality.upside_down
    # At 150 dpi the renderer snaps squares to whole pixels: a quarter pixel off at most.
    assert _bubble_error_px(registration, truth, layout) < ACCURACY_PX
    assert abs(registration.quality.skew_deg) < 0.05


def test_register_homography_is_read_only() -> None:
    """The fitted transform cannot be changed in place by a caller."""
    registration = register(_render("ubt-answer", DPI), load_layout("ubt-answer"))
    with pytest.raises(ValueError, match="read-only"):
        registration.homography[0, 0] = 1.0


# -- drawn sheets under known transforms ---------------------------------------------------
@settings(max_examples=25)
@given(
    angle=st.floats(-4.5, 4.5),
    scale=st.floats(0.97, 1.03),
    shift=st.tuples(st.floats(-4, 4), st.floats(-4, 4)),
    tilt=st.lists(st.floats(-0.8, 0.8), min_size=8, max_size=8),
    turned=st.booleans(),
    dpi=st.sampled_from([100, 150, 200]),
)
def test_register_recovers_random_placements(
    angle: float,
    scale: float,
    shift: tuple[float, float],
    tilt: list[float],
    turned: bool,
    dpi: int,
) -> None:
    """Under random skew, scale, shift, lid tilt and turning, bubbles land within 0.5 px."""
    layout = toy_layout()
    size = _bed_size(layout, dpi)
    truth = placement(
        layout.page, size, dpi=dpi, angle_deg=angle, scale=scale, shift_mm=shift,
        turned=turned, tilt_mm=np.array(tilt).reshape(4, 2),
    )  # fmt: skip
    image = draw_sheet(layout, truth, size, serial=99, paper=238, ink=22)
    registration = register(image, layout)
    assert registration.quality.upside_down == turned
    assert _bubble_error_px(registration, truth, layout) < ACCURACY_PX
    assert not registration.quality.poor
    assert registration.dropped_marks == ()


def test_register_uses_dpi_hint_for_an_off_centre_page() -> None:
    """With the resolution given, a page in one corner of a wide bed is still found."""
    layout = toy_layout()
    size = _bed_size(layout, DPI, bed_mm=30.0)
    truth = placement(layout.page, size, dpi=DPI, angle_deg=-2.0, shift_mm=(-9.0, 7.0))
    image = draw_sheet(layout, truth, size, serial=5)
    registration = register(image, layout, dpi_hint=DPI)
    assert _bubble_error_px(registration, truth, layout) < ACCURACY_PX


def test_register_page_beyond_the_first_search_is_found_by_the_full_one() -> None:
    """A page shifted and skewed past the first search's windows is found in the full search."""
    layout = toy_layout()
    size = _bed_size(layout, DPI)
    truth = placement(layout.page, size, dpi=DPI, angle_deg=4.5, shift_mm=(9.0, -9.0))
    image = draw_sheet(layout, truth, size, serial=77)
    scale = expected_scale(image.shape, layout.page, None)
    first = search_frame(image.shape, layout.marks, layout.page, scale, False, FIRST_REACH)
    centres = apply_homography(truth, np.array([[m.x_mm, m.y_mm] for m in layout.marks]))
    halves = np.array([m.size_mm for m in layout.marks]) * scale / 2
    rects = np.array(first.rects)
    # Some mark is not wholly inside its window of the first search.
    assert (
        (centres - halves[:, None] < rects[:, :2]) | (centres + halves[:, None] >= rects[:, 2:])
    ).any()
    registration = register(image, layout)
    assert _bubble_error_px(registration, truth, layout) < ACCURACY_PX
    assert not registration.quality.poor
    assert registration.dropped_marks == ()


@pytest.mark.parametrize(("profile", "seed"), [("default", 3), ("harsh", 11), ("harsh", 12)])
def test_register_synthetic_scans_match_their_truth(profile: str, seed: int) -> None:
    """Simulated print-and-scan sheets register within 0.5 px of their true homography."""
    layout = load_layout("ubt-answer")
    sheet = synthesize_sheet(layout, seed=seed, dpi=DPI, profile=profile)
    registration = register(sheet.image, layout)
    assert registration.quality.upside_down == sheet.truth.upside_down
    assert _bubble_error_px(registration, sheet.truth.homography, layout) < ACCURACY_PX


# -- damaged marks -------------------------------------------------------------------------
@pytest.mark.parametrize("missing", ["tl", "tr", "br", "bl"])
def test_register_one_corner_covered_still_registers(missing: str) -> None:
    """A covered corner mark is reported missing and the sheet registers from the rest."""
    layout, image, truth = _drawn(skip_marks=(missing,))
    registration = register(image, layout)
    assert registration.dropped_marks == (missing,)
    fit = next(m for m in registration.marks if m.mark_id == missing)
    assert fit.status is MarkStatus.MISSING
    assert fit.found_px is None
    assert _bubble_error_px(registration, truth, layout) < ACCURACY_PX


def test_register_displaced_mark_is_left_out() -> None:
    """A mark 1.5 mm off its place is left out as an outlier and the rest fit exactly."""
    layout, image, truth = _drawn(skip_marks=("tl",))
    tl = layout.marks[0]
    paint_square(image, truth, tl.x_mm, tl.y_mm + 1.5, tl.size_mm, level=0)
    registration = register(image, layout)
    assert registration.dropped_marks == ("tl",)
    fit = registration.marks[0]
    assert fit.status is MarkStatus.OUTLIER
    assert fit.residual_px is not None
    assert fit.residual_px > 1.5 * DPI / 25.4 * 0.8
    assert _bubble_error_px(registration, truth, layout) < ACCURACY_PX


def test_register_partly_covered_mark_is_not_trusted() -> None:
    """A mark with a third painted over is left out rather than trusted off-centre."""
    layout, image, truth = _drawn()
    br = layout.marks[2]
    third = br.size_mm / 3
    paint_square(image, truth, br.x_mm + third, br.y_mm, third, level=255)
    registration = register(image, layout)
    assert "br" in registration.dropped_marks
    assert _bubble_error_px(registration, truth, layout) < ACCURACY_PX


def test_register_two_marks_covered_are_replaced_by_the_code_guards() -> None:
    """Two covered corners: three marks and the code guard cells still place the sheet."""
    layout, image, truth = _drawn(skip_marks=("tl", "br"))
    registration = register(image, layout)
    assert set(registration.dropped_marks) == {"tl", "br"}
    assert _bubble_error_px(registration, truth, layout) < ACCURACY_PX


def test_register_two_marks_covered_raises_naming_them() -> None:
    """Two covered corners and no serial's guards below: too few points, the error names both."""
    layout, image, _ = _drawn(skip_marks=("tl", "br"), serial=None)
    with pytest.raises(RegistrationError, match="mm") as info:
        register(image, layout, path="scan-007.png")
    assert info.value.field is not None
    assert set(info.value.field.split(",")) == {"tl", "br"}
    assert info.value.path == "scan-007.png"


def test_register_orientation_mark_covered_is_placed_by_the_layout_code() -> None:
    """Without the orientation mark the printed layout code says which way up."""
    layout, image, truth = _drawn(skip_marks=("orient",))
    registration = register(image, layout)
    assert not registration.quality.upside_down
    assert _bubble_error_px(registration, truth, layout) < ACCURACY_PX


def test_register_orientation_mark_covered_raises() -> None:
    """Without the orientation mark nor a readable layout code: refused, not guessed."""
    layout, image, truth = _drawn(skip_marks=("orient",))
    code = layout.layout_id_code
    for k in range(code.n_cells):
        paint_square(
            image, truth, code.x_mm + k * code.pitch_mm, code.y_mm, code.pitch_mm, level=255
        )
    with pytest.raises(RegistrationError, match="which way up") as info:
        register(image, layout)
    assert info.value.field == "orient"


def test_register_orientation_mark_at_both_places_raises() -> None:
    """A square where the turned orientation mark would be makes the sheet ambiguous."""
    layout, image, truth = _drawn()
    orient = layout.marks[4]
    page = layout.page
    x, y = page.width_mm - orient.x_mm, page.height_mm - orient.y_mm
    paint_square(image, truth, x, y, orient.size_mm, level=0)
    with pytest.raises(RegistrationError, match="both"):
        register(image, layout)


# -- images that are not sheets ------------------------------------------------------------
def test_register_blank_page_raises() -> None:
    """A blank page has no marks: RegistrationError naming every mark."""
    layout = toy_layout()
    width, height = _bed_size(layout, DPI)
    with pytest.raises(RegistrationError, match="no solid") as info:
        register(np.full((height, width), 243, np.uint8), layout)
    assert info.value.field is not None
    assert set(info.value.field.split(",")) == {m.id for m in layout.marks}


def test_register_noise_raises() -> None:
    """Random noise is refused."""
    layout = load_layout("ubt-answer")
    width, height = _bed_size(layout, 100)
    noise = np.random.default_rng(4).integers(0, 256, size=(height, width), dtype=np.uint8)
    with pytest.raises(RegistrationError):
        register(noise, layout)


def test_register_photo_of_something_else_raises() -> None:
    """A photograph of a scene, stretched to a page, is refused."""
    from skimage import data

    layout = load_layout("ubt-answer")
    width, height = _bed_size(layout, 100)
    photo = cv2.resize(data.camera(), (width, height), interpolation=cv2.INTER_LINEAR)
    with pytest.raises(RegistrationError):
        register(photo, layout)


def test_register_squares_in_wrong_places_raise() -> None:
    """Black squares of the right size scattered at random do not make a sheet."""
    layout = toy_layout()
    size = _bed_size(layout, DPI)
    truth = placement(layout.page, size, dpi=DPI)
    image = np.full((size[1], size[0]), 240, np.uint8)
    rng = np.random.default_rng(8)
    for x, y in rng.uniform([20, 20], [100, 140], size=(12, 2)):
        paint_square(image, truth, float(x), float(y), 5.0, level=10)
    with pytest.raises(RegistrationError):
        register(image, layout)


@pytest.mark.parametrize(
    ("image", "error"),
    [
        (np.zeros((100, 80), np.float32), TypeError),
        (np.zeros((100, 80, 3), np.uint8), ValueError),
        ([[0, 255], [255, 0]], TypeError),
    ],
)
def test_register_rejects_what_is_not_a_grey_image(image: object, error: type[Exception]) -> None:
    """A non-array or wrong dtype is a TypeError, a wrong shape a ValueError: the caller's bug."""
    with pytest.raises(error, match="2-D uint8") as info:
        register(image, toy_layout())  # type: ignore[arg-type]
    assert not isinstance(info.value, RegistrationError)


@pytest.mark.parametrize(
    ("dpi_hint", "error"),
    [(0, ValueError), (-150.0, ValueError), (math.nan, ValueError), (True, TypeError)],
)
def test_register_rejects_bad_dpi_hint(dpi_hint: float, error: type[Exception]) -> None:
    """A non-positive dpi hint is a ValueError, a non-number a TypeError, neither a scan's fault."""
    _, image, _ = _drawn()
    with pytest.raises(error, match="dpi_hint") as info:
        register(image, toy_layout(), dpi_hint=dpi_hint)
    assert not isinstance(info.value, RegistrationError)


def test_register_refuses_an_image_too_small_to_measure() -> None:
    """At a few pixels per mark the marks cannot be measured: said so, not guessed."""
    with pytest.raises(RegistrationError, match="too small"):
        register(np.full((60, 45), 250, np.uint8), toy_layout())


def test_register_flags_skew_beyond_the_limit() -> None:
    """A sheet skewed past MAX_SKEW_DEG registers but is flagged poor."""
    layout, image, truth = _drawn(angle_deg=MAX_SKEW_DEG + 1.0)
    registration = register(image, layout)
    assert registration.quality.poor
    assert registration.quality.skew_deg == pytest.approx(MAX_SKEW_DEG + 1.0, abs=0.05)
    assert _bubble_error_px(registration, truth, layout) < ACCURACY_PX


# -- the expected scale --------------------------------------------------------------------
def test_expected_scale_of_a_page_filling_the_image() -> None:
    """An image the size of the page gives its resolution."""
    size = (round(297 * PX_PER_MM), round(210 * PX_PER_MM))
    assert expected_scale(size, A4, None) == pytest.approx(PX_PER_MM, rel=2e-3)


def test_expected_scale_on_a_scanner_bed() -> None:
    """Equal margins around the page cancel out: the scale is still the page's."""
    margin = 14.0
    size = (round((297 + 2 * margin) * PX_PER_MM), round((210 + 2 * margin) * PX_PER_MM))
    assert expected_scale(size, A4, None) == pytest.approx(PX_PER_MM, rel=2e-3)


def test_expected_scale_of_a_cropped_page_falls_back_to_its_width() -> None:
    """A page cut to letter height cannot use the margins rule: its width is used."""
    size = (round(279.4 * PX_PER_MM), round(210 * PX_PER_MM))
    assert expected_scale(size, A4, None) == pytest.approx(PX_PER_MM, rel=2e-3)


def test_expected_scale_from_the_hint() -> None:
    """A given resolution wins over the image size."""
    assert expected_scale((100, 100), A4, 300.0) == pytest.approx(300 / 25.4)


def test_expected_scale_refuses_implausibly_wide_margins() -> None:
    """Margins wider than MAX_BED_MARGIN_MM are not inferred: the width is used."""
    margin = MAX_BED_MARGIN_MM + 5
    size = (round((297 + 2 * margin) * PX_PER_MM), round((210 + 2 * margin) * PX_PER_MM))
    width_scale = size[1] / 210
    assert expected_scale(size, A4, None) == pytest.approx(width_scale)
