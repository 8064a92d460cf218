"""Sheet layouts: the bundled sheets, validation errors, JSON round trip, flat arrays."""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given

from omrkit.calibration.scanner_check import DROPOUT_DIGITS, FILL_PERCENTS, REPEATS
from omrkit.errors import LayoutError
from omrkit.layout.builder import DIGITS, KAZAKH_LETTERS, registration_marks
from omrkit.layout.models import (
    DEFAULT_DROPOUT_COLOR,
    FieldKind,
    PrefillTone,
    SheetLayout,
    bundled_layout_names,
    load_layout,
    parse_layout,
    save_layout,
)
from omrkit.sheet_layouts import build_layouts
from omrkit.sheet_layouts.application import (
    APPLICATION_CHOICES,
    APPLICATION_DIGITS,
    APPLICATION_LETTERS,
)
from omrkit.sheet_layouts.school import (
    FOREIGN_LANGUAGES,
    GENDERS,
    MAB4_OPTIONS,
    MAB4_TASKS,
    MAB9_OPTIONS,
    MAB9_SUBJECTS,
    MAB9_TASKS,
    OZHSB_OPTIONS,
    OZHSB_SUBJECTS,
    OZHSB_TASKS,
    SCHOOL_DIGITS,
    SCHOOL_LETTERS,
)
from omrkit.sheet_layouts.ubt import UBT_OPTIONS, UBT_SERVICE_DIGITS, UBT_SUBJECTS, UBT_TASKS
from tests.strategies import sheet_layouts

BUNDLED = sorted(build_layouts.BUNDLED)
#: Office printers leave about 8 mm unprinted at every edge.
PRINTER_MARGIN_MM = 8.0
UBT_CHOICE_BUBBLES = 2 + 1  # exam language kk/ru, creative-exam flag


def _school_service_bubbles() -> int:
    letters = sum(SCHOOL_LETTERS.values()) * len(KAZAKH_LETTERS)
    return letters + sum(SCHOOL_DIGITS.values()) * len(DIGITS) + len(GENDERS)


def _expected_bubbles() -> dict[str, int]:
    """Each bundled sheet's bubble count, from the design parameters."""
    ubt_codes = sum(UBT_SERVICE_DIGITS.values()) * len(DIGITS)
    application = (
        sum(APPLICATION_LETTERS.values()) * len(KAZAKH_LETTERS)
        + sum(APPLICATION_DIGITS.values()) * len(DIGITS)
        + sum(len(options) for _, _, options in APPLICATION_CHOICES.values())
    )
    school = _school_service_bubbles()
    return {
        "ubt-answer": UBT_SUBJECTS * UBT_TASKS * len(UBT_OPTIONS) + ubt_codes + UBT_CHOICE_BUBBLES,
        "ubt-application": application,
        "mab-grade4": school + MAB4_TASKS * MAB4_OPTIONS,
        "mab-grade9": school
        + len(FOREIGN_LANGUAGES)
        + len(MAB9_SUBJECTS) * MAB9_TASKS * MAB9_OPTIONS,
        "ozhsb-answer": school + OZHSB_SUBJECTS * OZHSB_TASKS * OZHSB_OPTIONS,
        "calibration/scanner-check": 2 * len(FILL_PERCENTS) * REPEATS
        + DROPOUT_DIGITS * len(DIGITS),
    }


# -- bundled layouts ----------------------------------------------------------------------------
def test_bundled_names_are_the_generated_ones() -> None:
    """``bundled_layout_names`` lists exactly the layouts the build script designs."""
    assert bundled_layout_names() == BUNDLED


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_json_matches_generator(name: str) -> None:
    """The committed JSON is byte for byte what ``build_layouts.py`` writes."""
    layout = build_layouts.BUNDLED[name]()
    committed = build_layouts.json_path(name).read_text(encoding="utf-8")
    assert committed == layout.to_json() + "\n"


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_bubble_count_matches_design(name: str) -> None:
    """Each bundled sheet has the bubbles its design parameters call for."""
    assert load_layout(name).bubbles.n_bubbles == _expected_bubbles()[name]


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_layout_is_printable_on_a4(name: str) -> None:
    """Every bundled sheet is A4 with 4 corner marks, one orientation mark and printer margins."""
    layout = load_layout(name)
    assert (layout.page.width_mm, layout.page.height_mm) == (210.0, 297.0)
    assert len(layout.corner_marks) == 4
    assert sum(m.role == "orientation" for m in layout.marks) == 1
    centres, radii = layout.bubbles.centers_mm, layout.bubbles.radii_mm
    assert (centres[:, 0] - radii).min() >= PRINTER_MARGIN_MM
    assert (centres[:, 1] - radii).min() >= PRINTER_MARGIN_MM
    assert (centres[:, 0] + radii).max() <= layout.page.width_mm - PRINTER_MARGIN_MM
    assert (centres[:, 1] + radii).max() <= layout.page.height_mm - PRINTER_MARGIN_MM
    assert layout.dropout_color == DEFAULT_DROPOUT_COLOR
    assert all(f.sector is not None for f in layout.fields)


def test_bundled_layout_codes_are_distinct() -> None:
    """No two bundled sheets print the same layout id."""
    codes = [load_layout(name).layout_code for name in BUNDLED]
    assert len(set(codes)) == len(codes)


@pytest.mark.parametrize("name", ["ubt-answer", "mab-grade4", "mab-grade9", "ozhsb-answer"])
def test_answer_bubbles_are_readable_at_150_dpi(name: str) -> None:
    """Answer bubbles of the exam sheets have a radius of 2.0 to 2.2 mm."""
    layout = load_layout(name)
    radii = [b.radius_mm for f, _, b in layout.iter_bubbles() if f.kind is FieldKind.ANSWERS]
    assert radii
    assert 2.0 <= min(radii) <= max(radii) <= 2.2


def test_ubt_answer_sheet_sectors() -> None:
    """The ҰБТ answer sheet has variant in sector 4, creative exam in 6 and 5 x 25 answers."""
    layout = load_layout("ubt-answer")
    assert layout.field("variant").sector == 4
    assert layout.field("creative").sector == 6
    assert layout.serial_code is not None
    for k in range(1, UBT_SUBJECTS + 1):
        slots = layout.field(f"answers_{k}").slots
        assert [s.id for s in slots] == [str(q) for q in range(1, UBT_TASKS + 1)]
        assert all(tuple(b.symbol for b in s.bubbles) == UBT_OPTIONS for s in slots)


def test_unt_form_3_application_sectors_are_numbered_as_the_instruction() -> None:
    """Application sectors 1-16 hold the fields of UNT-FORM-4 .. UNT-FORM-16."""
    layout = load_layout("ubt-application")
    sectors = {f.id: f.sector for f in layout.fields}
    assert sectors == {
        "surname": 1, "name": 2, "patronymic": 3, "tzhk": 4, "iin": 5, "citizenship": 6,
        "nationality": 7, "institution_type": 8, "region": 9, "institution_code": 10,
        "gender": 11, "exam_language": 12, "history_language": 13, "changed": 14,
        "deleted": 15, "damaged": 16,
    }  # fmt: skip


def test_scanner_check_prefills_cover_every_fraction_and_tone() -> None:
    """The calibration sheet prefills each tone at 0..100 % in 10 % steps, REPEATS times."""
    layout = load_layout("calibration/scanner-check")
    seen: dict[tuple[PrefillTone, float], int] = {}
    for p in layout.prefills:
        seen[(p.tone, p.fraction)] = seen.get((p.tone, p.fraction), 0) + 1
    assert seen == {(t, pct / 100): REPEATS for t in PrefillTone for pct in FILL_PERCENTS}


# -- validation ---------------------------------------------------------------------------------
def _small_layout() -> dict[str, Any]:
    """A tiny valid layout as JSON-ready data, for the mutation tests."""

    def bubble(x: float, symbol: str, y: float = 100.0) -> dict[str, Any]:
        return {"x_mm": x, "y_mm": y, "radius_mm": 2.0, "symbol": symbol}

    return {
        "layout_id": "tiny",
        "layout_code": 9,
        "marks": [m.model_dump(mode="json") for m in registration_marks()],
        "layout_id_code": {"id": "layout_id", "x_mm": 120.0, "y_mm": 12.0, "bits": 12},
        "fields": [
            {
                "id": "answers",
                "kind": "answers",
                "slots": [
                    {"id": "1", "bubbles": [bubble(50, "A"), bubble(56, "B")]},
                    {"id": "2", "bubbles": [bubble(50, "A", 106), bubble(56, "B", 106)]},
                ],
            },
            {
                "id": "seat",
                "kind": "code",
                "slots": [{"id": "1", "bubbles": [bubble(100, "0"), bubble(106, "1")]}],
            },
        ],
    }


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A mutation setting ``data[path]`` (dot-separated keys and list indices)."""

    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return mutate


def _drop_marks(keep: Callable[[dict[str, Any]], bool]) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        data["marks"] = [m for m in data["marks"] if keep(m)]

    return mutate


def _duplicate_orientation(data: dict[str, Any]) -> None:
    extra = dict(data["marks"][-1], id="orient2", x_mm=60.0)
    data["marks"].append(extra)


def _move_under_orientation_mark(data: dict[str, Any]) -> None:
    orient = data["marks"][-1]
    bubble = data["fields"][1]["slots"][0]["bubbles"][0]
    bubble["x_mm"], bubble["y_mm"] = orient["x_mm"], orient["y_mm"] + orient["size_mm"]


def _centre_orientation_mark(data: dict[str, Any]) -> None:
    """At the page centre a 180° turn maps the mark onto itself."""
    data["marks"][-1].update(x_mm=105.0, y_mm=148.5)


def _duplicate_field(data: dict[str, Any]) -> None:
    data["fields"][1]["id"] = "answers"


def _duplicate_slot(data: dict[str, Any]) -> None:
    data["fields"][0]["slots"][1]["id"] = "1"


_BAD_LAYOUTS = {
    "overlapping bubbles": (_set("fields.0.slots.0.bubbles.1.x_mm", 52.0), "answers.1[A]"),
    "bubble off page": (_set("fields.1.slots.0.bubbles.1.x_mm", 209.0), "seat.1[1]"),
    "bubble near mark": (_move_under_orientation_mark, "seat.1[0]"),
    "duplicate field id": (_duplicate_field, "answers"),
    "duplicate slot id": (_duplicate_slot, "answers.1"),
    "empty slot": (_set("fields.0.slots.1.bubbles", []), "answers.2"),
    "empty field": (_set("fields.1.slots", []), "seat"),
    "radius in pixels": (_set("fields.1.slots.0.bubbles.0.radius_mm", 16.0), "seat.1[0]"),
    "three corner marks": (_drop_marks(lambda m: m["id"] != "br"), "marks"),
    "no orientation mark": (_drop_marks(lambda m: m["role"] == "corner"), "marks"),
    "two orientation marks": (_duplicate_orientation, "marks"),
    "symmetric orientation mark": (_centre_orientation_mark, "orient"),
    "non-digit in a code": (_set("fields.1.slots.0.bubbles.1.symbol", "x"), "seat.1"),
    "max_marks above bubbles": (_set("fields.0.slots.0.max_marks", 3), "answers.1"),
    "unknown key": (_set("fields.0.colour", "red"), "fields.0.colour"),
    "layout code too wide": (_set("layout_code", 5000), "layout_code"),
    "bad dropout colour": (_set("dropout_color", "red"), "dropout_color"),
    "prefill of a missing bubble": (
        _set("prefills", [{"field_id": "seat", "slot_id": "1", "symbol": "7", "fraction": 0.5}]),
        "seat.1[7]",
    ),
    "prefill fraction above 1": (
        _set("prefills", [{"field_id": "seat", "slot_id": "1", "symbol": "0", "fraction": 1.5}]),
        "prefills.0.fraction",
    ),
}


def test_small_layout_is_valid() -> None:
    """The mutation tests start from a layout that validates."""
    assert SheetLayout.model_validate(_small_layout()).bubbles.n_bubbles == 6


@pytest.mark.parametrize("case", sorted(_BAD_LAYOUTS))
def test_invalid_layout_names_the_offending_field(case: str) -> None:
    """Each kind of broken layout raises ``LayoutError`` whose ``field`` names the culprit."""
    mutate, field = _BAD_LAYOUTS[case]
    data = copy.deepcopy(_small_layout())
    mutate(data)
    with pytest.raises(LayoutError) as info:
        SheetLayout.model_validate(data)
    assert info.value.field == field


@pytest.mark.parametrize("case", ["duplicate field id", "bubble near mark"])
def test_invalid_layout_file_names_path_and_field(case: str, tmp_path: Path) -> None:
    """Loading a broken layout file reports both the file and the field."""
    mutate, field = _BAD_LAYOUTS[case]
    data = _small_layout()
    mutate(data)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(LayoutError) as info:
        load_layout(path)
    assert (info.value.path, info.value.field) == (str(path), field)


def test_bad_json_raises_layout_error() -> None:
    """Text that is not JSON raises ``LayoutError``, not a JSON decoder error."""
    with pytest.raises(LayoutError, match="not valid JSON"):
        parse_layout('{"layout_id": ', path="x.json")


def test_unknown_bundled_name_lists_the_bundled_ones() -> None:
    """An unknown bundled name raises ``LayoutError`` listing the names that exist."""
    with pytest.raises(LayoutError, match="ubt-answer"):
        load_layout("no-such-sheet")


def test_missing_file_raises_layout_error(tmp_path: Path) -> None:
    """A layout path that does not exist raises ``LayoutError`` with the path."""
    with pytest.raises(LayoutError) as info:
        load_layout(tmp_path / "absent.json")
    assert info.value.path == str(tmp_path / "absent.json")


# -- round trip and arrays ----------------------------------------------------------------------
@given(sheet_layouts())
def test_save_load_round_trip(layout: SheetLayout) -> None:
    """A saved layout loads back equal to the original."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "layout.json"
        save_layout(layout, path)
        assert load_layout(path) == layout


@given(sheet_layouts())
def test_bubble_arrays_follow_the_layout(layout: SheetLayout) -> None:
    """``layout.bubbles`` has the documented shapes, dtypes and consistent CSR offsets."""
    arrays = layout.bubbles
    flat = list(layout.iter_bubbles())
    n, n_slots = len(flat), sum(len(f.slots) for f in layout.fields)
    assert arrays.centers_mm.shape == (n, 2)
    assert arrays.centers_mm.dtype == np.float64
    assert arrays.radii_mm.shape == (n,)
    assert arrays.radii_mm.dtype == np.float64
    assert arrays.slot_offsets.shape == (n_slots + 1,)
    assert arrays.slot_offsets.dtype == np.int64
    assert arrays.field_offsets.shape == (len(layout.fields) + 1,)
    assert arrays.slot_max_marks.shape == (n_slots,)
    assert arrays.slot_max_marks.dtype == np.int64
    assert arrays.centers_mm.flags.c_contiguous
    assert not arrays.centers_mm.flags.writeable
    assert arrays.slot_offsets[0] == 0
    assert arrays.slot_offsets[-1] == n
    assert np.all(np.diff(arrays.slot_offsets) >= 1)
    assert arrays.field_offsets[0] == 0
    assert arrays.field_offsets[-1] == n_slots
    sizes = [len(s.bubbles) for f in layout.fields for s in f.slots]
    assert np.diff(arrays.slot_offsets).tolist() == sizes
    assert arrays.symbols.tolist() == [b.symbol for _, _, b in flat]
    assert arrays.centers_mm.tolist() == [[b.x_mm, b.y_mm] for _, _, b in flat]
    assert arrays.slot_ids == tuple(f"{f.id}.{s.id}" for f in layout.fields for s in f.slots)


@pytest.mark.parametrize("name", ["ubt-answer", "ubt-application"])
def test_bundled_layout_arrays_are_consistent(name: str) -> None:
    """The bundled sheets expand to arrays whose slot offsets cover every bubble once."""
    arrays = load_layout(name).bubbles
    assert arrays.slot_offsets[-1] == arrays.n_bubbles
    assert arrays.n_slots == len(arrays.slot_ids) == arrays.slot_max_marks.shape[0]
