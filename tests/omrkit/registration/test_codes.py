"""Tests for omrkit.registration.codes: paper and ink levels, bit codes, layout id and serial."""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omrkit.decode.images import decode_image
from omrkit.errors import LayoutError, RegistrationError
from omrkit.layout.models import SheetLayout, load_layout
from omrkit.registration.codes import (
    Levels,
    estimate_levels,
    read_bit_code,
    read_serial,
    verify_layout_id,
)
from omrkit.registration.register import register
from omrkit.render import render_sheet
from tests.omrkit.drawn_sheets import draw_sheet, paint_square, placement, toy_layout

DPI = 150
PAPER, INK = 228.0, 31.0
#: Sizes of a drawn toy page with a 10 mm scanner bed around it, at DPI.
SIZE = (round(140 / 25.4 * DPI), round(180 / 25.4 * DPI))
#: Levels are medians of whole grey levels drawn with anti-aliased edges.
LEVEL_TOLERANCE = 1.0


def _drawn(
    layout: SheetLayout, *, serial: int | None = 2024, layout_code: int | None = None
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.float64]]:
    truth = placement(layout.page, SIZE, dpi=DPI, angle_deg=-2.0, shift_mm=(1.5, 0.5))
    image = draw_sheet(
        layout, truth, SIZE, serial=serial, layout_code=layout_code, paper=PAPER, ink=INK
    )
    return image, truth


@functools.cache
def _rendered(name: str) -> npt.NDArray[np.uint8]:
    layout = load_layout(name)
    serial = 77 if layout.serial_code is not None else None
    png = render_sheet(layout, format="png", dpi=100, serial=serial)
    image = decode_image(png, dropout_color=layout.dropout_color)
    image.flags.writeable = False
    return image


# -- estimate_levels -----------------------------------------------------------------------
def test_estimate_levels_reads_paper_and_ink() -> None:
    """Paper comes from the margin around the marks, ink from inside them."""
    layout = toy_layout()
    image, _ = _drawn(layout)
    levels = estimate_levels(image, register(image, layout), layout)
    assert levels.paper == pytest.approx(PAPER, abs=LEVEL_TOLERANCE)
    assert levels.ink == pytest.approx(INK, abs=LEVEL_TOLERANCE)


def test_estimate_levels_refuses_marks_without_contrast() -> None:
    """Where the marks should be solid ink there is paper: refused, not trusted."""
    layout = toy_layout()
    image, _ = _drawn(layout)
    registration = register(image, layout)
    with pytest.raises(RegistrationError, match="too close"):
        estimate_levels(np.full_like(image, 200), registration, layout)


# -- read_bit_code -------------------------------------------------------------------------
@settings(max_examples=15)
@given(st.integers(0, (1 << 12) - 1))
def test_read_bit_code_reads_every_serial(serial: int) -> None:
    """Any 12-bit serial drawn on the sheet reads back, with and without known levels."""
    layout = toy_layout()
    image, truth = _drawn(layout, serial=serial)
    assert layout.serial_code is not None
    levels = Levels(paper=PAPER, ink=INK)
    assert read_bit_code(image, truth, layout.serial_code, levels=levels) == serial
    assert read_bit_code(image, truth, layout.serial_code) == serial


def test_read_bit_code_smudged_cell_is_unreadable() -> None:
    """A cell painted mid-grey is neither black nor white: the code is not read."""
    layout = toy_layout()
    image, truth = _drawn(layout, serial=0b101010101010)
    code = layout.serial_code
    assert code is not None
    x, y = code.cell_centers_mm()[3]
    paint_square(image, truth, float(x), float(y), code.cell_mm, level=round((PAPER + INK) / 2))
    assert read_bit_code(image, truth, code, levels=Levels(PAPER, INK)) is None


def test_read_bit_code_off_the_image_is_none() -> None:
    """A code mapped outside the image reads as None, not as an error."""
    layout = toy_layout()
    image, truth = _drawn(layout)
    away = np.array([[1.0, 0.0, -5000.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]) @ truth
    assert read_bit_code(image, away, layout.layout_id_code) is None


def test_read_bit_code_blank_paper_is_none() -> None:
    """Where no code is printed the cells show no contrast: None."""
    layout = toy_layout()
    _, truth = _drawn(layout)
    blank = np.full((SIZE[1], SIZE[0]), 240, np.uint8)
    assert read_bit_code(blank, truth, layout.layout_id_code) is None


# -- verify_layout_id and read_serial ------------------------------------------------------
def test_verify_layout_id_accepts_its_own_sheet() -> None:
    """A sheet printed with the layout it is read with passes and returns the code."""
    layout = toy_layout()
    image, _ = _drawn(layout)
    assert verify_layout_id(image, register(image, layout), layout) == layout.layout_code


def test_verify_layout_id_refuses_another_code() -> None:
    """A sheet printed with another layout code is refused, naming both codes."""
    layout = toy_layout(layout_code=5)
    image, _ = _drawn(layout, layout_code=9)
    registration = register(image, layout)
    with pytest.raises(LayoutError, match=r"printed with layout code 9.*'toy' \(code 5\)") as info:
        verify_layout_id(image, registration, layout, path="scan.png")
    assert (info.value.path, info.value.field) == ("scan.png", "layout_id")


def test_verify_layout_id_names_the_bundled_layout_a_sheet_belongs_to() -> None:
    """An МАБ grade-4 sheet read as a ҰБТ answer sheet is refused, naming 'mab-grade4'."""
    answer = load_layout("ubt-answer")
    image = _rendered("mab-grade4")
    registration = register(image, answer)
    with pytest.raises(LayoutError, match=r"code 3 \('mab-grade4'\).*'ubt-answer' \(code 1\)"):
        verify_layout_id(image, registration, answer)


def test_verify_layout_id_refuses_an_unreadable_code() -> None:
    """A code smeared over cannot be read: refused, never assumed."""
    layout = toy_layout()
    image, truth = _drawn(layout)
    code = layout.layout_id_code
    for x, y in code.cell_centers_mm()[1:-1]:
        paint_square(image, truth, float(x), float(y), code.pitch_mm, level=130)
    with pytest.raises(LayoutError, match="cannot be read"):
        verify_layout_id(image, register(image, layout), layout)


def test_read_serial_reads_the_printed_serial() -> None:
    """The serial printed on a rendered sheet reads back, whichever way up it was fed."""
    layout = load_layout("ubt-answer")
    image = _rendered("ubt-answer")
    assert read_serial(image, register(image, layout), layout) == 77
    turned = np.ascontiguousarray(image[::-1, ::-1])
    assert read_serial(turned, register(turned, layout), layout) == 77


def test_read_serial_without_a_serial_code_is_none() -> None:
    """A layout with no serial code has no serial to read."""
    layout = toy_layout(serial=False)
    image, _ = _drawn(layout, serial=None)
    assert read_serial(image, register(image, layout), layout) is None


# -- BitCode.decode --------------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(value=st.integers(0, (1 << 24) - 1), flip=st.integers(-1, 26))
def test_bit_code_decode_inverts_encode_and_refuses_any_flipped_cell(value: int, flip: int) -> None:
    """Encoded cells decode to their value; one flipped cell (guard, data or parity) reads None."""
    code = load_layout("ubt-answer").serial_code
    assert code is not None
    assert code.bits == 24
    cells = code.encode(value)
    if flip < 0:
        assert code.decode(cells) == value
    else:
        cells[flip] = not cells[flip]
        assert code.decode(cells) is None
