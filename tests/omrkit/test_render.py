"""Rendering layouts: formats, exact positions, bit codes, dropout colour, prefills, errors.

Pixel convention: pixel (row i, column j) covers ``[j, j + 1) x [i, i + 1)``,
so a point at ``x`` px in continuous coordinates sits at index coordinate
``x - 0.5``; a centroid computed over pixel *centres* ``j + 0.5`` is directly
in continuous pixels and compares with ``x_mm / 25.4 * dpi``.
"""

from __future__ import annotations

import io
import math
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import typst
from PIL import Image

from omrkit.errors import RenderError
from omrkit.layout.models import (
    OUTLINE_STROKE_MM,
    PREFILL_TONE_GREY,
    BitCode,
    PrintedText,
    SheetLayout,
    load_layout,
)
from omrkit.render import FONT, MAX_DPI, MIN_DPI, layout_to_typst, render_sheet, render_to_file
from omrkit.sheet_layouts import build_layouts

BUNDLED = sorted(build_layouts.BUNDLED)
DPI = 200
SERIAL = 0xA5C3F
#: A bubble or mark centre found further than this from the layout's is misprinted.
MAX_POSITION_ERROR_PX = 0.5
#: Half-width of the ring searched around the expected outline: catches a ring
#: displaced by up to ~2 px, excludes neighbours 0.55 mm away and the symbol inside.
RING_HALF_WIDTH_MM = 0.3
#: Printed ink (marks, codes, black prefills) is darker than this grey level.
INK_GREY = 128
#: The dropout colour's grey level must stay this far above any ink threshold.
MIN_DROPOUT_GREY = 185
KAZAKH_CAPITALS = "ӘҒҚҢӨҰҮҺІ"


@cache
def _png(name: str, dpi: int = DPI) -> npt.NDArray[np.float64]:
    """The bundled sheet rendered with a serial where it has one, as float RGB."""
    layout = load_layout(name)
    serial = SERIAL if layout.serial_code is not None else None
    data = render_sheet(layout, format="png", dpi=dpi, serial=serial)
    with Image.open(io.BytesIO(data)) as image:
        assert image.mode == "RGB"
        return np.asarray(image, dtype=np.float64)


def _grey(rgb: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return rgb @ np.array([0.299, 0.587, 0.114])


def _window(
    shape: tuple[int, ...], x_px: float, y_px: float, half_px: float
) -> tuple[slice, slice, npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Index slices around a point and the continuous coordinates of their pixel centres."""
    j0, j1 = max(int(x_px - half_px), 0), min(int(x_px + half_px) + 2, shape[1])
    i0, i1 = max(int(y_px - half_px), 0), min(int(y_px + half_px) + 2, shape[0])
    xs, ys = np.meshgrid(np.arange(j0, j1) + 0.5, np.arange(i0, i1) + 0.5)
    return slice(i0, i1), slice(j0, j1), xs, ys


def _ring_centre(
    rgb: npt.NDArray[np.float64], x_mm: float, y_mm: float, radius_mm: float
) -> tuple[float, float]:
    """Centroid of the printed dropout ring near the expected bubble, continuous px."""
    scale = DPI / 25.4
    cx, cy = x_mm * scale, y_mm * scale
    rows, cols, xs, ys = _window(rgb.shape, cx, cy, (radius_mm + 2 * RING_HALF_WIDTH_MM) * scale)
    # Red minus green: the dropout red lights up, white paper and grey/black ink do not.
    redness = rgb[rows, cols, 0] - rgb[rows, cols, 1]
    dist = np.hypot(xs - cx, ys - cy)
    band = np.abs(dist - radius_mm * scale) < RING_HALF_WIDTH_MM * scale
    weight = np.clip(redness, 0, None) * band
    return float((weight * xs).sum() / weight.sum()), float((weight * ys).sum() / weight.sum())


def _ink_centre(
    rgb: npt.NDArray[np.float64], x_mm: float, y_mm: float, half_mm: float
) -> tuple[float, float]:
    scale = DPI / 25.4
    rows, cols, xs, ys = _window(rgb.shape, x_mm * scale, y_mm * scale, half_mm * scale)
    weight = 255.0 - _grey(rgb[rows, cols])
    return float((weight * xs).sum() / weight.sum()), float((weight * ys).sum() / weight.sum())


def _read_code(rgb: npt.NDArray[np.float64], code: BitCode) -> int | None:
    scale = DPI / 25.4
    grey = _grey(rgb)
    cells = [grey[int(y * scale), int(x * scale)] < INK_GREY for x, y in code.cell_centers_mm()]
    return code.decode(np.array(cells, dtype=bool))


# -- formats --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_layout_renders_to_pdf(name: str) -> None:
    """Every bundled layout prints to a PDF document."""
    assert render_sheet(name, format="pdf").startswith(b"%PDF")


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_layout_renders_to_png_of_page_size(name: str) -> None:
    """Every bundled layout prints to an RGB PNG of the page size at the asked dpi."""
    layout = load_layout(name)
    rgb = _png(name)
    expected = (
        round(layout.page.height_mm / 25.4 * DPI),
        round(layout.page.width_mm / 25.4 * DPI),
        3,
    )
    assert rgb.shape == expected


def test_png_at_other_dpi_scales_the_page() -> None:
    """The PNG size follows the dpi asked for."""
    data = render_sheet("mab-grade4", format="png", dpi=100)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (round(210 / 25.4 * 100), round(297 / 25.4 * 100))


def test_rendering_is_deterministic() -> None:
    """Two renders of the same sheet are byte-identical (simulated scans are reproducible)."""
    first = render_sheet("ubt-answer", format="png", dpi=100, serial=7)
    assert render_sheet("ubt-answer", format="png", dpi=100, serial=7) == first


# -- positions ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", BUNDLED)
def test_bubble_outlines_print_at_layout_positions(name: str) -> None:
    """Every printed bubble ring is centred within 0.5 px of the layout position at 200 dpi."""
    layout = load_layout(name)
    rgb = _png(name)
    filled = {(p.field_id, p.slot_id, p.symbol) for p in layout.prefills if p.fraction > 0}
    scale = DPI / 25.4
    checked = 0
    for f, s, b in layout.iter_bubbles():
        # A prefill's antialiased edge dims the inner half of the ring; those bubbles
        # are checked by the prefill-area test instead.
        if (f.id, s.id, b.symbol) in filled:
            continue
        x_px, y_px = _ring_centre(rgb, b.x_mm, b.y_mm, b.radius_mm)
        assert abs(x_px - b.x_mm * scale) < MAX_POSITION_ERROR_PX, (f.id, s.id, b.symbol)
        assert abs(y_px - b.y_mm * scale) < MAX_POSITION_ERROR_PX, (f.id, s.id, b.symbol)
        checked += 1
    assert checked >= layout.bubbles.n_bubbles - len(filled)


@pytest.mark.parametrize("name", BUNDLED)
def test_registration_marks_print_at_layout_positions(name: str) -> None:
    """Every registration mark's ink centroid lies within 0.5 px of the layout position."""
    layout = load_layout(name)
    rgb = _png(name)
    scale = DPI / 25.4
    for mark in layout.marks:
        x_px, y_px = _ink_centre(rgb, mark.x_mm, mark.y_mm, mark.size_mm / 2 + 1.0)
        assert abs(x_px - mark.x_mm * scale) < MAX_POSITION_ERROR_PX, mark.id
        assert abs(y_px - mark.y_mm * scale) < MAX_POSITION_ERROR_PX, mark.id


@pytest.mark.parametrize("name", BUNDLED)
def test_layout_id_code_decodes_to_layout_code(name: str) -> None:
    """The printed layout-id bit code reads back as the layout's ``layout_code``."""
    layout = load_layout(name)
    assert _read_code(_png(name), layout.layout_id_code) == layout.layout_code


def test_serial_code_decodes_to_the_serial() -> None:
    """The ҰБТ sheet's printed serial code reads back as the serial it was rendered with."""
    layout = load_layout("ubt-answer")
    assert layout.serial_code is not None
    assert _read_code(_png("ubt-answer"), layout.serial_code) == SERIAL


def test_serial_absent_leaves_serial_cells_blank() -> None:
    """Without a serial, no serial cell is printed, so the code does not decode."""
    layout = load_layout("ubt-answer")
    assert layout.serial_code is not None
    data = render_sheet(layout, format="png", dpi=DPI)
    with Image.open(io.BytesIO(data)) as image:
        rgb = np.asarray(image, dtype=np.float64)
    assert _read_code(rgb, layout.serial_code) is None


# -- what is printed is not ink ---------------------------------------------------------------
@pytest.mark.parametrize("name", ["ubt-answer", "ubt-application", "mab-grade9"])
def test_printed_bubbles_stay_far_above_ink_threshold(name: str) -> None:
    """Inside every blank bubble the darkest pixel is dropout grey and white in the red channel."""
    layout = load_layout(name)
    rgb = _png(name)
    scale = DPI / 25.4
    grey = _grey(rgb)
    for x_mm, y_mm, r_mm in zip(*layout.bubbles.centers_mm.T, layout.bubbles.radii_mm, strict=True):
        rows, cols, xs, ys = _window(rgb.shape, x_mm * scale, y_mm * scale, (r_mm + 0.2) * scale)
        inside = np.hypot(xs - x_mm * scale, ys - y_mm * scale) <= (r_mm + 0.2) * scale
        assert grey[rows, cols][inside].min() >= MIN_DROPOUT_GREY
        assert rgb[rows, cols, 0][inside].min() >= 250


def test_default_dropout_colour_grey_level() -> None:
    """The default dropout colour is light (grey >= 185) and pure red-channel white."""
    colour = load_layout("ubt-answer").dropout_color
    r, g, b = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    assert 0.299 * r + 0.587 * g + 0.114 * b >= MIN_DROPOUT_GREY
    assert r == 255


def test_dropout_colour_override_is_used() -> None:
    """``dropout_color`` replaces the layout's colour in the typst source."""
    source = layout_to_typst(load_layout("mab-grade4"), dropout_color="#00a0ff")
    assert 'rgb("#00a0ff")' in source
    assert load_layout("mab-grade4").dropout_color not in source


# -- calibration prefills ---------------------------------------------------------------------
def test_prefills_cover_their_fraction_of_the_inner_disc() -> None:
    """Each calibration prefill inks its fraction of the bubble's inner disc, within 1 %."""
    layout = load_layout("calibration/scanner-check")
    rgb = _png("calibration/scanner-check")
    bubbles = {(f.id, s.id, b.symbol): b for f, s, b in layout.iter_bubbles()}
    scale = DPI / 25.4
    for p in layout.prefills:
        b = bubbles[(p.field_id, p.slot_id, p.symbol)]
        rows, cols, _, _ = _window(
            rgb.shape, b.x_mm * scale, b.y_mm * scale, (b.radius_mm + 1) * scale
        )
        # In the red channel the dropout ring is white, so only the prefill's ink counts,
        # each pixel by its coverage.
        ink = (255.0 - rgb[rows, cols, 0]) / (255.0 - PREFILL_TONE_GREY[p.tone])
        inner_px = math.pi * ((b.radius_mm - OUTLINE_STROKE_MM / 2) * scale) ** 2
        assert ink.sum() / inner_px == pytest.approx(p.fraction, abs=0.01), p


# -- fonts ------------------------------------------------------------------------------------
def _glyph(text: str) -> npt.NDArray[np.uint8]:
    source = (
        "#set page(width: 10mm, height: 10mm, margin: 0mm)\n"
        f'#set text(font: "{FONT}", size: 20pt)\n#place(center + horizon, text("{text}"))\n'
    )
    data = typst.compile(source.encode(), format="png", ppi=300, ignore_system_fonts=True)
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("L"))


@pytest.mark.parametrize("letter", list(KAZAKH_CAPITALS))
def test_kazakh_letters_have_glyphs(letter: str) -> None:
    """Each Kazakh-specific capital prints as a glyph, not as the missing-glyph box."""
    missing = _glyph("\ue000")
    drawn = _glyph(letter)
    assert (drawn < INK_GREY).any()
    assert np.count_nonzero(drawn != missing) > missing.size // 100


def test_captions_with_quotes_and_markup_print_verbatim() -> None:
    """Caption text is escaped: quotes, backslashes and typst markup do not break the source."""
    base = load_layout("mab-grade4")
    text = 'a "quoted" \\ back #set *bold* $x$ Қ'
    layout = base.model_copy(update={"texts": (PrintedText(x_mm=100, y_mm=280, text=text),)})
    assert render_sheet(layout, format="pdf").startswith(b"%PDF")


# -- errors and files --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"format": "jpg"}, "format"),
        ({"format": "png", "dpi": MIN_DPI - 1}, "dpi"),
        ({"format": "png", "dpi": MAX_DPI + 1}, "dpi"),
        ({"format": "png", "dpi": 200.0}, "dpi"),
        ({"format": "png", "dpi": True}, "dpi"),
        ({"serial": -1}, "serial"),
        ({"serial": 1 << 24}, "serial"),
        ({"serial": "12"}, "serial"),
        ({"dropout_color": "pink"}, "dropout_color"),
        ({"dropout_color": "#12345g"}, "dropout_color"),
    ],
)
def test_bad_render_arguments_raise_render_error(kwargs: dict[str, object], field: str) -> None:
    """Each bad argument raises ``RenderError`` naming the parameter."""
    with pytest.raises(RenderError) as info:
        render_sheet("ubt-answer", **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_serial_on_sheet_without_serial_code_raises() -> None:
    """Asking for a serial on a sheet that prints none raises ``RenderError``."""
    with pytest.raises(RenderError, match="no serial code") as info:
        render_sheet("mab-grade4", serial=5)
    assert info.value.field == "serial"


@pytest.mark.parametrize("suffix", [".pdf", ".png", ".PNG"])
def test_render_to_file_picks_format_from_suffix(suffix: str, tmp_path: Path) -> None:
    """``render_to_file`` writes PDF or PNG according to the file's suffix."""
    path = render_to_file("mab-grade4", tmp_path / f"sheet{suffix}", dpi=60)
    magic = b"%PDF" if suffix == ".pdf" else b"\x89PNG"
    assert path.read_bytes().startswith(magic)


def test_render_to_file_refuses_unknown_suffix(tmp_path: Path) -> None:
    """An output name that is neither .pdf nor .png raises ``RenderError`` with the path."""
    with pytest.raises(RenderError) as info:
        render_to_file("mab-grade4", tmp_path / "sheet.jpg")
    assert info.value.path == str(tmp_path / "sheet.jpg")


def test_layout_to_typst_places_every_bubble() -> None:
    """The typst source draws one circle per bubble and one square per mark."""
    layout: SheetLayout = load_layout("ubt-answer")
    source = layout_to_typst(layout, serial=1)
    assert source.count("circle(") == layout.bubbles.n_bubbles
    assert source.startswith("#set page(")
