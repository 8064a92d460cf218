"""Layout builders: sector geometry, alphabets, assembly, and the parametrised ОЖСБ sheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omrkit.errors import LayoutError
from omrkit.layout.builder import (
    CONTENT_LEFT_MM,
    CONTENT_RIGHT_MM,
    DEFAULT_STYLE,
    DIGITS,
    KAZAKH_LETTERS,
    Block,
    answer_block,
    assemble_layout,
    centred_content,
    choice_field,
    code_grid,
    code_row,
    framed_field,
    hstack,
    layout_id_code,
    letter_grid,
    letter_row,
    registration_marks,
    sector_frame,
    shared_width_mm,
    write_in_field,
)
from omrkit.layout.models import Bubble, FieldKind, Page, PrintedText, load_layout
from omrkit.sheet_layouts import build_layouts
from omrkit.sheet_layouts.school import OPTION_LETTERS, ozhsb_answer

#: The full Kazakh Cyrillic alphabet, 42 letters, before folding Ё and Ъ.
FULL_KAZAKH_ALPHABET = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"


def _sheet(*blocks: Block) -> object:
    marks = registration_marks()
    return assemble_layout(
        "test-sheet",
        layout_code=7,
        title="test",
        marks=marks,
        id_code=layout_id_code(x_mm=120.0, y_mm=marks[0].y_mm),
        blocks=blocks,
    )


# -- alphabets --------------------------------------------------------------------------------
def test_unt_form_5_alphabet_folds_yo_and_hard_sign() -> None:
    """The letter-grid alphabet is the Kazakh alphabet without Ё and Ъ, in order."""
    folded = [c for c in FULL_KAZAKH_ALPHABET if c not in "ЁЪ"]
    assert list(KAZAKH_LETTERS) == folded
    assert len(KAZAKH_LETTERS) == 40
    assert "Е" in KAZAKH_LETTERS
    assert "Ь" in KAZAKH_LETTERS


def test_unt_form_4_letter_grid_has_one_column_per_letter() -> None:
    """A name grid has one slot per letter position, each with the whole alphabet top down."""
    block = letter_grid("surname", x_mm=20, y_mm=30, n_letters=6, sector=1)
    field = block.fields[0]
    assert field.kind is FieldKind.TEXT
    assert field.sector == 1
    assert [s.id for s in field.slots] == ["1", "2", "3", "4", "5", "6"]
    xs = [s.bubbles[0].x_mm for s in field.slots]
    assert xs == sorted(xs)
    assert len(set(xs)) == len(xs)
    for slot in field.slots:
        assert tuple(b.symbol for b in slot.bubbles) == KAZAKH_LETTERS
        ys = [b.y_mm for b in slot.bubbles]
        assert ys == sorted(ys)
        assert {b.x_mm for b in slot.bubbles} == {slot.bubbles[0].x_mm}


# -- sectors ----------------------------------------------------------------------------------
@given(n_digits=st.integers(1, 12), pitch=st.floats(4.8, 6.0), radius=st.floats(1.5, 2.1))
def test_code_grid_geometry(n_digits: int, pitch: float, radius: float) -> None:
    """A code grid has ``n_digits`` columns of 0..9 on the asked pitch, inside its frame."""
    block = code_grid("code", x_mm=20, y_mm=30, n_digits=n_digits, radius_mm=radius,
                      pitch_x_mm=pitch, pitch_y_mm=pitch)  # fmt: skip
    field = block.fields[0]
    assert field.kind is FieldKind.CODE
    assert len(field.slots) == n_digits
    for k, slot in enumerate(field.slots):
        assert tuple(b.symbol for b in slot.bubbles) == DIGITS
        assert slot.bubbles[1].y_mm - slot.bubbles[0].y_mm == pytest.approx(pitch)
        if k:
            step = slot.bubbles[0].x_mm - field.slots[k - 1].bubbles[0].x_mm
            assert step == pytest.approx(pitch)
    frame = block.boxes[0]
    left, top, right, bottom = block.bounds_mm()
    assert (left, top) == (frame.x_mm, frame.y_mm)
    assert (right, bottom) == (frame.x_mm + frame.width_mm, frame.y_mm + frame.height_mm)


@given(n_questions=st.integers(1, 40), rows=st.integers(1, 25), n_options=st.integers(2, 5))
def test_answer_block_numbers_questions_down_columns(
    n_questions: int, rows: int, n_options: int
) -> None:
    """Questions run 1..n down each column of ``rows`` rows, one printed number per row."""
    block = answer_block("answers", x_mm=20, y_mm=30, n_questions=n_questions,
                         options=OPTION_LETTERS[:n_options], rows_per_column=rows)  # fmt: skip
    field = block.fields[0]
    assert [s.id for s in field.slots] == [str(q) for q in range(1, n_questions + 1)]
    numbers = [t.text for t in block.texts if t.anchor == "right"]
    assert numbers == [str(q) for q in range(1, n_questions + 1)]
    for q, slot in enumerate(field.slots):
        assert tuple(b.symbol for b in slot.bubbles) == OPTION_LETTERS[:n_options]
        col, row = divmod(q, rows)
        first = field.slots[col * rows].bubbles[0]
        top = field.slots[row].bubbles[0]
        assert slot.bubbles[0].x_mm == pytest.approx(first.x_mm)
        assert slot.bubbles[0].y_mm == pytest.approx(top.y_mm)


def test_choice_field_is_one_slot_with_captions_beside() -> None:
    """A choice sector is one slot of empty circles, each captioned to its right."""
    block = choice_field("gender", x_mm=20, y_mm=30, options=[("male", "Ер"), ("female", "Әйел")])
    (field,) = block.fields
    assert field.kind is FieldKind.CHOICE
    (slot,) = field.slots
    assert [b.symbol for b in slot.bubbles] == ["male", "female"]
    assert all(b.printed == "" for b in slot.bubbles)
    captions = {t.text: t for t in block.texts}
    for bubble, caption in zip(slot.bubbles, ["Ер", "Әйел"], strict=True):
        assert captions[caption].x_mm > bubble.x_mm + bubble.radius_mm
        assert captions[caption].y_mm == bubble.y_mm


def test_write_in_field_has_no_bubbles() -> None:
    """A handwriting sector prints boxes only; nothing in it is read."""
    block = write_in_field(x_mm=20, y_mm=30, width_mm=80, height_mm=15, label="Аты", n_cells=8)
    assert block.fields == ()
    assert len(block.boxes) == 1 + 8  # the frame (no sector, so no badge) and the cells
    assert len(block.texts) == 1
    numbered = write_in_field(x_mm=20, y_mm=30, width_mm=80, height_mm=15, label="Аты", sector=8)
    assert len(numbered.boxes) == 1 + 1 + 1  # frame, badge, one writing box


def test_sector_frame_prints_badge_and_caption() -> None:
    """A sector frame has an outline, a number badge holding the sector number, and the caption."""
    block = sector_frame(x_mm=10, y_mm=20, width_mm=40, height_mm=30, label="ТЖК", sector=4)
    assert [t.text for t in block.texts] == ["4", "ТЖК"]
    assert len(block.boxes) == 2
    assert block.boxes[0].height_mm == 30


def test_framed_field_closes_its_frame_one_padding_below_the_content() -> None:
    """A framed field is captioned with its label and sector; the frame ends ``pad_mm`` under it."""
    slots = [("1", [Bubble(x_mm=20, y_mm=40, radius_mm=2, symbol="x")])]
    note = PrintedText(x_mm=25, y_mm=40, text="note", size_pt=6)
    block = framed_field("flag", FieldKind.CHOICE, slots, x_mm=10, y_mm=30, width_mm=25,
                         content_top_mm=37, content_h_mm=6, label="L", sector=3,
                         style=DEFAULT_STYLE, texts=[note])  # fmt: skip
    frame = block.boxes[0]
    assert (frame.x_mm, frame.y_mm, frame.width_mm) == (10, 30, 25)
    assert frame.y_mm + frame.height_mm == pytest.approx(37 + 6 + DEFAULT_STYLE.pad_mm)
    (field,) = block.fields
    assert (field.id, field.kind, field.label, field.sector) == ("flag", FieldKind.CHOICE, "L", 3)
    assert [t.text for t in block.texts] == ["3", "L", "note"]


@given(content=st.floats(1, 150), width=st.none() | st.floats(0, 180))
def test_centred_content_sits_in_the_middle(content: float, width: float | None) -> None:
    """The frame is the asked width or the padded content, whichever is wider, content centred."""
    frame_w, left = centred_content(10.0, content, width_mm=width, style=DEFAULT_STYLE)
    assert frame_w == pytest.approx(max(width or 0.0, content + 2 * DEFAULT_STYLE.pad_mm))
    assert left - 10.0 == pytest.approx(10.0 + frame_w - (left + content))
    assert left - 10.0 >= DEFAULT_STYLE.pad_mm - 1e-9


def test_write_in_boxes_are_drawn_thinner_than_frames() -> None:
    """Name cells and the boxes above code columns share one stroke, half the frame's."""
    cells = write_in_field(x_mm=20, y_mm=30, width_mm=80, height_mm=15, label="Аты", n_cells=4)
    grid = code_grid("code", x_mm=20, y_mm=60, n_digits=3)
    strokes = {b.stroke_pt for b in cells.boxes[1:] + grid.boxes[1:]}
    assert strokes == {DEFAULT_STYLE.frame_pt / 2}


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: code_grid("seat", x_mm=20, y_mm=30, n_digits=0), "seat"),
        (lambda: letter_grid("name", x_mm=20, y_mm=30, n_letters=-1), "name"),
        (lambda: answer_block("ans", x_mm=20, y_mm=30, n_questions=0), "ans"),
        (lambda: answer_block("ans", x_mm=20, y_mm=30, n_questions=5, options=()), "ans"),
        (lambda: choice_field("lang", x_mm=20, y_mm=30, options=[]), "lang"),
        (lambda: sector_frame(x_mm=0, y_mm=0, width_mm=10, height_mm=2, label="low"), "low"),
    ],
)
def test_impossible_sector_raises_layout_error(build: object, field: str) -> None:
    """A sector with nothing to print raises ``LayoutError`` naming it."""
    with pytest.raises(LayoutError) as info:
        build()  # type: ignore[operator]
    assert info.value.field == field


def test_empty_block_has_no_bounds() -> None:
    """Asking an empty block for its bounds raises ``LayoutError``."""
    with pytest.raises(LayoutError):
        Block().bounds_mm()


# -- marks, rows, assembly --------------------------------------------------------------------
def test_registration_marks_are_four_corners_and_an_orientation_mark() -> None:
    """The marks are four corner squares inset equally and one orientation mark on the top edge."""
    page = Page()
    marks = registration_marks(page, inset_mm=12, size_mm=6)
    corners = {(m.x_mm, m.y_mm) for m in marks if m.role == "corner"}
    assert corners == {(12, 12), (198, 12), (198, 285), (12, 285)}
    (orient,) = [m for m in marks if m.role == "orientation"]
    assert orient.y_mm == 12
    assert orient.x_mm != page.width_mm / 2


def test_hstack_places_sectors_side_by_side_with_gap() -> None:
    """Each stacked sector starts ``gap_mm`` right of the previous one's frame."""
    row = hstack(
        [lambda x: code_grid("a", x_mm=x, y_mm=30, n_digits=3),
         lambda x: code_grid("b", x_mm=x, y_mm=30, n_digits=2)],
        x_mm=20, gap_mm=3.0,
    )  # fmt: skip
    frames = [b for b in row.boxes if b.stroke_pt == DEFAULT_STYLE.frame_pt and b.height_mm > 20]
    assert frames[1].x_mm == pytest.approx(frames[0].x_mm + frames[0].width_mm + 3.0)
    assert [f.id for f in row.fields] == ["a", "b"]


def test_code_row_stacks_one_captioned_grid_per_field() -> None:
    """A code row is the grids of its fields, in order, captioned and sized from its tables."""
    digits = {"room": 2, "seat": 3}
    captions = {"room": ("Аудитория", 2), "seat": ("Орын", 3)}
    row = code_row(digits, captions, x_mm=20, y_mm=30, gap_mm=3.0, widths={"room": 25.0})
    room = code_grid("room", x_mm=20, y_mm=30, n_digits=2, label="Аудитория", sector=2,
                     width_mm=25.0)  # fmt: skip
    seat = code_grid("seat", x_mm=20 + 25.0 + 3.0, y_mm=30, n_digits=3, label="Орын", sector=3)
    assert row == room + seat


def test_letter_row_uses_the_letter_grid_geometry() -> None:
    """A letter row holds the same sectors as letter grids placed side by side."""
    captions = {"surname": ("Тегі", 1), "name": ("Аты", 2)}
    row = letter_row({"surname": 4, "name": 3}, captions, x_mm=20, y_mm=30)
    stacked = hstack(
        [lambda x: letter_grid("surname", x_mm=x, y_mm=30, n_letters=4, label="Тегі", sector=1),
         lambda x: letter_grid("name", x_mm=x, y_mm=30, n_letters=3, label="Аты", sector=2)],
        x_mm=20,
    )  # fmt: skip
    assert row == stacked


def test_grid_row_without_a_caption_names_the_field() -> None:
    """A row field missing from the caption table raises ``LayoutError`` naming it."""
    with pytest.raises(LayoutError) as info:
        code_row({"room": 2, "seat": 3}, {"room": ("Аудитория", 2)}, x_mm=20, y_mm=30)
    assert info.value.field == "seat"


@pytest.mark.parametrize("n_sectors", [1, 2, 5])
def test_shared_width_fills_the_content_width(n_sectors: int) -> None:
    """Sectors of the shared width and their gaps span the page's content width exactly."""
    width = shared_width_mm(n_sectors, gap_mm=1.5)
    assert n_sectors * width + (n_sectors - 1) * 1.5 == pytest.approx(
        CONTENT_RIGHT_MM - CONTENT_LEFT_MM
    )
    with pytest.raises(LayoutError):
        shared_width_mm(0)


def test_layout_id_code_sits_on_the_top_marks_line_by_default() -> None:
    """The default layout-id code is centred on the line of the top registration marks."""
    code = layout_id_code()
    top = {m.y_mm for m in registration_marks() if m.y_mm < Page().height_mm / 2}
    assert top == {code.y_mm}


def test_assemble_layout_validates_the_joined_sheet() -> None:
    """Two sectors printed over each other make ``assemble_layout`` raise ``LayoutError``."""
    first = code_grid("a", x_mm=20, y_mm=30, n_digits=3)
    second = code_grid("b", x_mm=22, y_mm=30, n_digits=3)
    assert _sheet(first) is not None
    with pytest.raises(LayoutError, match="overlaps"):
        _sheet(first, second)


def test_assemble_layout_keeps_blocks_in_order() -> None:
    """Fields, captions and boxes of the blocks appear in the layout in block order."""
    first = code_grid("a", x_mm=20, y_mm=30, n_digits=3, label="A")
    second = answer_block("b", x_mm=20, y_mm=120, n_questions=4, label="B")
    layout = _sheet(first, second)
    assert [f.id for f in layout.fields] == ["a", "b"]  # type: ignore[attr-defined]
    assert len(layout.boxes) == len(first.boxes) + len(second.boxes)  # type: ignore[attr-defined]


# -- the parametrised ОЖСБ sheet and the build script ------------------------------------------
@pytest.mark.parametrize(("subjects", "tasks", "options"), [(1, 10, 4), (3, 25, 5), (6, 15, 3)])
def test_ozhsb_answer_sheet_follows_its_parameters(subjects: int, tasks: int, options: int) -> None:
    """An ОЖСБ sheet has ``subjects`` answer sectors of ``tasks`` x ``options`` bubbles."""
    layout = ozhsb_answer(subjects=subjects, tasks=tasks, options=options)
    answers = [f for f in layout.fields if f.kind is FieldKind.ANSWERS]
    assert [f.id for f in answers] == [f"answers_{k + 1}" for k in range(subjects)]
    assert all(len(f.slots) == tasks for f in answers)
    assert all(len(s.bubbles) == options for f in answers for s in f.slots)


@pytest.mark.parametrize(("subjects", "tasks", "options"), [(8, 30, 5), (2, 20, 6), (0, 20, 5)])
def test_ozhsb_answer_sheet_that_cannot_fit_raises(subjects: int, tasks: int, options: int) -> None:
    """Asking for more answer sectors than an A4 page holds raises ``LayoutError``."""
    with pytest.raises(LayoutError):
        ozhsb_answer(subjects=subjects, tasks=tasks, options=options)


def test_build_script_writes_every_bundled_layout(tmp_path: Path) -> None:
    """``build_layouts.main`` writes each bundled layout where ``load_layout`` finds it."""
    (tmp_path / "sheet_layouts").mkdir()
    (tmp_path / "calibration").mkdir()
    assert build_layouts.main(tmp_path) == 0
    for name in build_layouts.BUNDLED:
        written = load_layout(build_layouts.json_path(name, tmp_path))
        assert written == load_layout(name)
