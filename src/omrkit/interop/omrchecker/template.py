"""OMRChecker templates as omrkit layouts.

An OMRChecker ``template.json`` places bubbles in *template pixels*: the page
is ``pageDimensions`` pixels, and each field block lays out its fields from an
``origin`` (top-left of the first bubble), stepping ``bubblesGap`` between a
field's bubbles and ``labelsGap`` between fields, along ``direction``.
:func:`load_template` turns it into an :class:`OmrCheckerLayout`, a
:class:`~omrkit.layout.models.SheetLayout` whose fields are OMRChecker's
output columns (a ``customLabels`` entry is one field whose slots are the
labels it joins), with the pre-processors kept as registration steps.

Such a sheet prints no omrkit registration marks and no layout code, so the
layout has none; it is read by :func:`omrkit.interop.omrchecker.read_omrchecker`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path

import numpy as np
import numpy.typing as npt
from pydantic import Field, model_validator

from omrkit.errors import LayoutError
from omrkit.interop.omrchecker.steps import Step, parse_steps
from omrkit.layout.models import BitCode, Bubble, FieldKind, LayoutField, Page, SheetLayout, Slot

__all__ = [
    "A4_WIDTH_MM",
    "DEFAULT_PROCESSING_PX",
    "FIELD_TYPES",
    "OmrCheckerLayout",
    "load_template",
    "natural_key",
]

#: A template's page is drawn this wide in layout millimetres: OMRChecker's
#: pixels carry no unit, and its sheets are A4 sheets drawn at some pixel size.
A4_WIDTH_MM = 210.0
#: OMRChecker's default processing size (width, height) in pixels, at which
#: its pre-processors run and its marker sizes are meant.
DEFAULT_PROCESSING_PX = (666, 820)

#: OMRChecker's built-in field types: bubble values and direction.
FIELD_TYPES: dict[str, tuple[tuple[str, ...], str]] = {
    "QTYPE_INT": (tuple("0123456789"), "vertical"),
    "QTYPE_INT_FROM_1": (tuple("1234567890"), "vertical"),
    "QTYPE_MCQ4": (tuple("ABCD"), "horizontal"),
    "QTYPE_MCQ5": (tuple("ABCDE"), "horizontal"),
}
_TEMPLATE_KEYS = frozenset(
    {
        "pageDimensions",
        "bubbleDimensions",
        "preProcessors",
        "fieldBlocks",
        "customLabels",
        "outputColumns",
        "emptyValue",
    }
)
_BLOCK_KEYS = frozenset(
    {
        "origin",
        "fieldLabels",
        "fieldType",
        "bubbleValues",
        "direction",
        "bubblesGap",
        "labelsGap",
        "bubbleDimensions",
        "emptyValue",
    }
)
#: Config sections that change nothing omrkit does (display, thresholds of
#: OMRChecker's own darkness rule, output switches); ``dimensions`` is read.
_CONFIG_SECTIONS = frozenset({"dimensions", "threshold_params", "outputs", "alignment_params"})
_RANGE = re.compile(r"^([^.\d]+)(\d+)\.{2,3}(\d+)$")


class OmrCheckerLayout(SheetLayout):
    """A :class:`SheetLayout` read from an OMRChecker template.

    Attributes
    ----------
    template_page_px : (float, float)
        ``pageDimensions``: the page's width and height in template pixels.
    mm_per_px : float
        Layout millimetres per template pixel (the page is ``A4_WIDTH_MM`` wide).
    steps : tuple of Step
        The template's pre-processors, in order.
    processing_px : (int, int)
        Width and height at which OMRChecker runs its pre-processors (config).
    empty_values : dict of str to str
        Slot id -> what OMRChecker writes for it when blank, where not ``""``.
    slot_blocks : dict of str to str
        Slot id -> the field block that lays it out.
    block_pitch_mm : dict of str to float
        Field block -> the smaller of its bubble and field steps, in mm.
    """

    marks: tuple[()] = ()  # such sheets print no omrkit marks
    layout_id_code: BitCode | None = None  # type: ignore[assignment]  # nor a layout code
    layout_code: int = Field(default=0, ge=0, description="0: the sheet prints no layout code")
    dropout_color: str = "#000000"  # black print: nothing drops out
    template_page_px: tuple[float, float]
    mm_per_px: float = Field(gt=0)
    steps: tuple[Step, ...] = ()
    processing_px: tuple[int, int] = DEFAULT_PROCESSING_PX
    empty_values: dict[str, str] = Field(default_factory=dict)
    slot_blocks: dict[str, str] = Field(default_factory=dict)
    block_pitch_mm: dict[str, float] = Field(default_factory=dict)

    @cached_property
    def bubble_blocks(self) -> tuple[npt.NDArray[np.int64], tuple[str, ...]]:
        """Block index of every bubble, (N,) int64, and the block names it indexes."""
        names = tuple(self.block_pitch_mm)
        index = {name: i for i, name in enumerate(names)}
        out = [index[self.slot_blocks[s.id]] for _, s, _ in self.iter_bubbles()]
        return np.array(out, dtype=np.int64), names

    @model_validator(mode="after")
    def _check_geometry(self) -> OmrCheckerLayout:
        # Replaces SheetLayout's check, which requires marks and a layout code.
        page = self.page
        for f, s, b in self.iter_bubbles():
            if not (0 <= b.x_mm <= page.width_mm and 0 <= b.y_mm <= page.height_mm):
                raise LayoutError(
                    f"bubble {b.symbol!r} at ({b.x_mm:.1f}, {b.y_mm:.1f}) mm lies off the page",
                    field=f"{f.id}.{s.id}",
                )
        return self


def natural_key(label: str) -> tuple[object, ...]:
    """Sort key putting ``q2`` before ``q10``, as OMRChecker orders its columns."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", label))


def load_template(
    path: str | Path, *, config: str | Path | Mapping[str, object] | None = None
) -> OmrCheckerLayout:
    """Load an OMRChecker ``template.json`` as a layout.

    Parameters
    ----------
    path : str or Path
        The template file; marker and reference images are relative to its folder.
    config : path or mapping, optional
        OMRChecker's ``config.json`` (its ``dimensions`` give the processing
        size). Default: ``config.json`` beside the template, else in its parent
        folder (OMRChecker applies a folder's config to its sub-folders), else
        OMRChecker's defaults.

    Returns
    -------
    OmrCheckerLayout

    Raises
    ------
    LayoutError
        If the file is missing or not JSON, a key or pre-processor is unknown
        (named), a label is repeated, or a bubble lies off the page.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "template.json").write_text(json.dumps({
    ...     "pageDimensions": [300, 400], "bubbleDimensions": [25, 25],
    ...     "fieldBlocks": {"b": {"fieldType": "QTYPE_MCQ4", "origin": [65, 60],
    ...                           "fieldLabels": ["q1..3"], "bubblesGap": 41, "labelsGap": 52}}}))
    >>> layout = load_template(folder / "template.json")
    >>> [f.id for f in layout.fields], len(layout.bubbles.symbols)
    (['q1', 'q2', 'q3'], 12)
    """
    path = Path(path)
    data = _read_json(path, what="template")
    unknown = sorted(set(data) - _TEMPLATE_KEYS)
    if unknown:
        raise LayoutError(f"unknown template keys {unknown}", path=path, field=unknown[0])
    page_w, page_h = _pair(data.get("pageDimensions"), "pageDimensions", path)
    mm_per_px = A4_WIDTH_MM / page_w
    default_bubble = _pair(data.get("bubbleDimensions"), "bubbleDimensions", path)
    default_empty = str(data.get("emptyValue", ""))
    blocks = data.get("fieldBlocks")
    if not isinstance(blocks, Mapping) or not blocks:
        raise LayoutError("fieldBlocks must be a non-empty object", path=path, field="fieldBlocks")
    slots: dict[str, Slot] = {}
    kinds: dict[str, bool] = {}  # slot id -> all its symbols are digits
    empty_values: dict[str, str] = {}
    slot_blocks: dict[str, str] = {}
    block_pitch_mm: dict[str, float] = {}
    for name, block in blocks.items():
        for slot, empty in _block_slots(
            str(name), block, default_bubble, default_empty, mm_per_px, path
        ):
            if slot.id in slots:
                raise LayoutError(f"label {slot.id!r} appears twice", path=path, field=str(name))
            slots[slot.id] = slot
            kinds[slot.id] = all(b.symbol.isdigit() for b in slot.bubbles)
            if empty:
                empty_values[slot.id] = empty
            slot_blocks[slot.id] = str(name)
        block_pitch_mm[str(name)] = _pitch_px(block) * mm_per_px
    fields = _fields(data.get("customLabels", {}), slots, kinds, path)
    steps = parse_steps(data.get("preProcessors", []), base_dir=path.parent, path=path)
    try:
        return OmrCheckerLayout(
            layout_id=_identifier(path.parent.name or "omrchecker"),
            title=f"OMRChecker template {path.name}",
            page=Page(width_mm=A4_WIDTH_MM, height_mm=page_h * mm_per_px),
            fields=fields,
            template_page_px=(page_w, page_h),
            mm_per_px=mm_per_px,
            steps=steps,
            processing_px=_processing_px(config, path),
            empty_values=empty_values,
            slot_blocks=slot_blocks,
            block_pitch_mm=block_pitch_mm,
        )
    except LayoutError as exc:
        raise LayoutError(exc.message, path=path, field=exc.field) from exc


def _block_slots(
    name: str,
    block: object,
    default_bubble: tuple[float, float],
    default_empty: str,
    mm_per_px: float,
    path: Path,
) -> list[tuple[Slot, str]]:
    """One slot per field label of a field block, with the label's empty value."""
    where = f"fieldBlocks.{name}"
    if not isinstance(block, Mapping):
        raise LayoutError("a field block must be an object", path=path, field=where)
    unknown = sorted(set(block) - _BLOCK_KEYS)
    if unknown:
        raise LayoutError(f"unknown field block keys {unknown}", path=path, field=where)
    field_type = block.get("fieldType")
    if field_type is not None:
        if field_type not in FIELD_TYPES:
            raise LayoutError(f"unknown fieldType {field_type!r}", path=path, field=where)
        values, direction = FIELD_TYPES[str(field_type)]
    else:
        values, direction = (), "horizontal"
    values = tuple(str(v) for v in block.get("bubbleValues", values))
    direction = str(block.get("direction", direction))
    if not values or direction not in ("horizontal", "vertical"):
        raise LayoutError(
            "a field block needs bubbleValues (or a fieldType) and a direction"
            " 'horizontal' or 'vertical'",
            path=path,
            field=where,
        )
    origin_x, origin_y = _pair(block.get("origin"), f"{where}.origin", path, positive=False)
    bubble_w, bubble_h = _pair(block.get("bubbleDimensions", default_bubble), where, path)
    try:
        bubbles_gap = float(block["bubblesGap"])
        labels_gap = float(block["labelsGap"])
        labels = _expand_labels(block["fieldLabels"])
    except (KeyError, TypeError, ValueError) as exc:
        raise LayoutError(
            f"needs numeric bubblesGap and labelsGap and a list of fieldLabels ({exc})",
            path=path,
            field=where,
        ) from exc
    # Bubbles step along the block's direction, fields across it.
    along = (1.0, 0.0) if direction == "horizontal" else (0.0, 1.0)
    radius_mm = min(bubble_w, bubble_h) / 2 * mm_per_px
    out: list[tuple[Slot, str]] = []
    for i, label in enumerate(labels):
        lead_x = origin_x + i * labels_gap * along[1]
        lead_y = origin_y + i * labels_gap * along[0]
        bubbles = tuple(
            Bubble(
                x_mm=(lead_x + j * bubbles_gap * along[0] + bubble_w / 2) * mm_per_px,
                y_mm=(lead_y + j * bubbles_gap * along[1] + bubble_h / 2) * mm_per_px,
                radius_mm=radius_mm,
                symbol=value,
                printed="",
            )
            for j, value in enumerate(values)
        )
        # OMRChecker joins several marks in one field, so a slot takes them all.
        slot = Slot(id=_identifier(label), bubbles=bubbles, max_marks=len(bubbles))
        out.append((slot, str(block.get("emptyValue", default_empty))))
    return out


def _pitch_px(block: Mapping[str, object]) -> float:
    """The smaller non-zero step of a (validated) block: how far its bubbles lie apart."""
    steps = [float(block[key]) for key in ("bubblesGap", "labelsGap")]  # type: ignore[arg-type]
    return min(step for step in steps if step > 0) if any(s > 0 for s in steps) else 0.0


def _fields(
    custom: object, slots: dict[str, Slot], digits: dict[str, bool], path: Path
) -> tuple[LayoutField, ...]:
    """Output columns: each custom label joins its labels; the other labels stand alone."""
    if not isinstance(custom, Mapping):
        raise LayoutError("customLabels must be an object", path=path, field="customLabels")
    columns: dict[str, list[str]] = {}
    used: set[str] = set()
    for column, members in custom.items():
        try:
            labels = _expand_labels(members)
        except (TypeError, ValueError) as exc:
            raise LayoutError(str(exc), path=path, field=f"customLabels.{column}") from exc
        missing = [label for label in labels if label not in slots]
        if missing or used & set(labels):
            raise LayoutError(
                f"custom label joins unknown or already joined labels {missing or sorted(used)}",
                path=path,
                field=f"customLabels.{column}",
            )
        used |= set(labels)
        columns[str(column)] = labels
    for label in slots:
        if label not in used:
            columns.setdefault(label, [label])
    fields = []
    for column in sorted(columns, key=natural_key):
        members = columns[column]
        kind = FieldKind.CODE if all(digits[m] for m in members) else FieldKind.ANSWERS
        fields.append(
            LayoutField(id=_identifier(column), kind=kind, slots=tuple(slots[m] for m in members))
        )
    return tuple(fields)


def _expand_labels(labels: object) -> list[str]:
    """``["q1..3", "x"]`` -> ``["q1", "q2", "q3", "x"]`` (OMRChecker's range syntax)."""
    if not isinstance(labels, list) or not labels:
        raise ValueError("labels must be a non-empty list")
    out: list[str] = []
    for label in map(str, labels):
        match = _RANGE.match(label)
        if match is None:
            out.append(label)
            continue
        prefix, first, last = match.group(1), int(match.group(2)), int(match.group(3))
        if last < first:
            raise ValueError(f"label range {label!r} runs backwards")
        out += [f"{prefix}{n}" for n in range(first, last + 1)]
    return out


def _processing_px(config: str | Path | Mapping[str, object] | None, path: Path) -> tuple[int, int]:
    if config is None:
        candidates = [path.parent / "config.json", path.parent.parent / "config.json"]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            return DEFAULT_PROCESSING_PX
        config = found
    data = config if isinstance(config, Mapping) else _read_json(Path(config), what="config")
    unknown = sorted(set(data) - _CONFIG_SECTIONS)
    if unknown:
        raise LayoutError(f"unknown config keys {unknown}", path=path, field=unknown[0])
    dims = data.get("dimensions", {})
    if not isinstance(dims, Mapping):
        raise LayoutError("config dimensions must be an object", path=path, field="dimensions")
    width = int(dims.get("processing_width", DEFAULT_PROCESSING_PX[0]))
    height = int(dims.get("processing_height", DEFAULT_PROCESSING_PX[1]))
    if width <= 0 or height <= 0:
        raise LayoutError("processing size must be positive", path=path, field="dimensions")
    return width, height


def _read_json(path: Path, *, what: str) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LayoutError(f"cannot read {what} file ({exc.strerror})", path=path) from exc
    except json.JSONDecodeError as exc:
        raise LayoutError(f"{what} is not valid JSON: {exc}", path=path) from exc
    if not isinstance(data, dict):
        raise LayoutError(f"{what} must be a JSON object", path=path)
    return data


def _pair(value: object, where: str, path: Path, *, positive: bool = True) -> tuple[float, float]:
    try:
        a, b = (float(v) for v in value)  # type: ignore[attr-defined]
    except (TypeError, ValueError) as exc:
        raise LayoutError("needs two numbers", path=path, field=where) from exc
    if positive and (a <= 0 or b <= 0):
        raise LayoutError("needs two positive numbers", path=path, field=where)
    return a, b


def _identifier(label: str) -> str:
    """A label as a layout identifier: characters ids may not hold become ``_``."""
    return re.sub(r"[^A-Za-z0-9_.\-]", "_", label)[:64] or "_"
