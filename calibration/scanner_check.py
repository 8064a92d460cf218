"""The scanner-check sheet (UNT-SCAN-1, UNT-GEN-7): bubbles pre-printed at known fills.

Each bubble of the ``dark`` and ``pencil`` fields is printed already filled
over a known fraction of its inner disc, 0 % to 100 % in 10 % steps plus 45 % and 55 %, in black
or in pencil grey (``PREFILL_TONE_GREY``). Scanning the printed sheet and
comparing the measured fill ratios with ``layout.prefills`` shows how far a
scanner's readings stray from the truth, and where the 50 % rule stands on
that scanner (UNT-SCORE-1).

Every fraction appears ``REPEATS`` times per tone, half in the upper and half
in the lower part of the page, each tone on both the left and the right, so
uneven lighting across the scanner bed shows up instead of averaging out.
Slot ``p030_5`` of field ``dark`` is the 5th bubble printed 30 % dark.

The ``dropout_check`` field is an ordinary 10-digit code grid left blank: its
printed outlines and digits must read as empty on every scanner.

The test targets (:class:`~omrkit.layout.targets.PrintedTarget`) measure the
optics and the tone: slanted-edge rectangles turned 5° either way near the
four corners and in the free lower-right part of the page (MTF50, each
rectangle giving edges across x and across y), an 11-step grey wedge from
paper to black (the tone curve), and bar groups at 1-4 line pairs per mm
across x and across y (modulation). Rectangles are twice as long as wide so
the registration search never takes one for a mark, and no target covers a
whole uniformity-map cell, so the paper map still sees paper everywhere.
"""

from __future__ import annotations

from omrkit.layout.builder import (
    BUBBLE_RADIUS_MM,
    CONTENT_LEFT_MM,
    DEFAULT_STYLE,
    SECTOR_GAP_MM,
    Block,
    assemble_layout,
    code_grid,
    layout_id_code,
    make_field,
    registration_marks,
    sector_frame,
    shared_width_mm,
    title_text,
)
from omrkit.layout.models import Bubble, FieldKind, Prefill, PrefillTone, PrintedText, SheetLayout
from omrkit.layout.targets import PrintedTarget, TargetKind

__all__ = [
    "BAR_LP_PER_MM",
    "EDGE_TILT_DEG",
    "FILL_PERCENTS",
    "REPEATS",
    "SCANNER_CHECK_CODE",
    "WEDGE_STEPS",
    "calibration_targets",
    "scanner_check",
]

SCANNER_CHECK_CODE = 6
#: 0-100 % in 10 % steps, plus 45 % and 55 %, which must land on either side of
#: the 50 % rule (UNT-SCORE-1).
FILL_PERCENTS = tuple(sorted((*range(0, 101, 10), 45, 55)))
#: Bubbles per fraction and tone, split over two panels.
REPEATS = 16
PANEL_REPEATS = REPEATS // 2
SYMBOL = "x"

PANEL_TOP_MM = (26.0, 114.0)
ROW_LABEL_MM = 12.0
ROW_LABEL_GAP_MM = 2.0
PITCH_X_MM = 9.0
PITCH_Y_MM = 6.0
DROPOUT_Y_MM = 203.0
DROPOUT_DIGITS = 10
#: Slanted edges: tilt off the page axes, rectangle sides, and where they sit
#: (near the corners, clear of the marks and codes, and mid-page).
EDGE_TILT_DEG = 5.0
EDGE_SIZE_MM = (10.0, 4.0)
EDGE_PLACES_MM = ((72.0, 12.0), (178.0, 12.0), (45.0, 284.0), (165.0, 284.0),
                  (125.0, 244.0), (170.0, 244.0))  # fmt: skip
#: The grey wedge: 0 to 100 % of paper-to-black in 10 % steps, across the free
#: lower-right part of the page; low enough that no map cell is all wedge.
WEDGE_STEPS = 11
WEDGE_BOX_MM = (150.0, 211.0, 88.0, 4.0)
#: Line-pair groups: frequencies, each across x and across y, side and pitch.
BAR_LP_PER_MM = (1.0, 2.0, 3.0, 4.0)
BAR_SIDE_MM = 8.0
BAR_PITCH_MM = 11.0
BAR_ROW_MM = (110.0, 226.0)
TARGET_CAPTION_PT = 6.5
_TONE_CAPTIONS = {PrefillTone.DARK: "Қара сия · dark", PrefillTone.PENCIL: "Қарындаш · pencil"}
_TONE_SECTORS = {PrefillTone.DARK: 1, PrefillTone.PENCIL: 2}
DROPOUT_SECTOR = 3


def scanner_check() -> SheetLayout:
    """The bundled calibration sheet ``calibration/scanner-check``."""
    panel_w = shared_width_mm(2)
    left, right = CONTENT_LEFT_MM, CONTENT_LEFT_MM + panel_w + SECTOR_GAP_MM
    # Upper half: dark left, pencil right; lower half swapped.
    placement = {
        PrefillTone.DARK: ((left, PANEL_TOP_MM[0]), (right, PANEL_TOP_MM[1])),
        PrefillTone.PENCIL: ((right, PANEL_TOP_MM[0]), (left, PANEL_TOP_MM[1])),
    }
    blocks: list[Block] = []
    prefills: list[Prefill] = []
    for tone, corners in placement.items():
        block, fills = _tone_field(tone, corners, panel_w)
        blocks.append(block)
        prefills += fills
    blocks.append(
        code_grid(
            "dropout_check",
            x_mm=CONTENT_LEFT_MM,
            y_mm=DROPOUT_Y_MM,
            n_digits=DROPOUT_DIGITS,
            label="Бос қалдырыңыз · leave blank",
            sector=DROPOUT_SECTOR,
        )
    )
    sheet = assemble_layout(
        "scanner-check",
        layout_code=SCANNER_CHECK_CODE,
        title="Сканерді тексеру парағы",
        marks=registration_marks(),
        id_code=layout_id_code(),
        blocks=blocks,
        texts=[title_text("СКАНЕРДІ ТЕКСЕРУ · КАЛИБРЛЕУ ПАРАҒЫ"), *_target_captions()],
        prefills=prefills,
    )
    data = sheet.model_dump()
    data["targets"] = [t.model_dump() for t in calibration_targets()]
    return SheetLayout.model_validate(data)


def calibration_targets() -> list[PrintedTarget]:
    """Slanted edges, the grey wedge and the line-pair groups of the sheet."""
    w, h = EDGE_SIZE_MM
    targets = [
        PrintedTarget(id=f"edge_{k + 1}", kind=TargetKind.EDGE, x_mm=x, y_mm=y, width_mm=w,
                      height_mm=h, angle_deg=EDGE_TILT_DEG if k % 2 == 0 else -EDGE_TILT_DEG)
        for k, (x, y) in enumerate(EDGE_PLACES_MM)
    ]  # fmt: skip
    x, y, width, height = WEDGE_BOX_MM
    targets.append(
        PrintedTarget(id="wedge", kind=TargetKind.WEDGE, x_mm=x, y_mm=y, width_mm=width,
                      height_mm=height, steps=WEDGE_STEPS)
    )  # fmt: skip
    x0, y0 = BAR_ROW_MM
    for j, across in enumerate(("x", "y")):
        for k, lp in enumerate(BAR_LP_PER_MM):
            targets.append(
                PrintedTarget(
                    id=f"bars_{across}_{lp:g}",
                    kind=TargetKind.BARS,
                    x_mm=x0 + (j * len(BAR_LP_PER_MM) + k) * BAR_PITCH_MM,
                    y_mm=y0,
                    width_mm=BAR_SIDE_MM,
                    height_mm=BAR_SIDE_MM,
                    lp_per_mm=lp,
                    across="x" if across == "x" else "y",
                )
            )
    return targets


def _target_captions() -> list[PrintedText]:
    """What each group of targets is, and each bar group's line pairs per mm."""
    x, y, width, height = WEDGE_BOX_MM
    left = x - width / 2
    above = BAR_ROW_MM[1] - BAR_SIDE_MM / 2 - ROW_LABEL_GAP_MM
    texts = [
        PrintedText(x_mm=left, y_mm=y - height / 2 - ROW_LABEL_GAP_MM, size_pt=TARGET_CAPTION_PT,
                    text="Сұр шкала · grey wedge 0-100 %"),
        PrintedText(x_mm=left, y_mm=above - ROW_LABEL_GAP_MM, size_pt=TARGET_CAPTION_PT,
                    text="Сызық жұптары · line pairs per mm"),
        PrintedText(x_mm=left, y_mm=EDGE_PLACES_MM[-1][1] - 3 * ROW_LABEL_GAP_MM,
                    size_pt=TARGET_CAPTION_PT, text="Көлбеу жиек · slanted edges"),
    ]  # fmt: skip
    for j in range(2):
        for k, lp in enumerate(BAR_LP_PER_MM):
            cx = BAR_ROW_MM[0] + (j * len(BAR_LP_PER_MM) + k) * BAR_PITCH_MM
            texts.append(PrintedText(x_mm=cx, y_mm=above + 0.6, text=f"{lp:g}",
                                     size_pt=TARGET_CAPTION_PT, anchor="center"))  # fmt: skip
    return texts


def _tone_field(
    tone: PrefillTone, corners: tuple[tuple[float, float], ...], panel_w: float
) -> tuple[Block, list[Prefill]]:
    """One tone's field over its two panels, with the prefill of every bubble."""
    slots: list[tuple[str, list[Bubble]]] = []
    prefills: list[Prefill] = []
    block = Block()
    style = DEFAULT_STYLE
    top = style.header_mm + style.pad_mm
    for half, (x0, y0) in enumerate(corners):
        frame_h = top + len(FILL_PERCENTS) * PITCH_Y_MM + style.pad_mm
        grid_x = x0 + style.pad_mm + ROW_LABEL_MM
        block += sector_frame(
            x_mm=x0,
            y_mm=y0,
            width_mm=panel_w,
            height_mm=frame_h,
            label=_TONE_CAPTIONS[tone],
            sector=_TONE_SECTORS[tone],
        )
        texts = []
        for row, pct in enumerate(FILL_PERCENTS):
            cy = y0 + top + (row + 0.5) * PITCH_Y_MM
            texts.append(
                PrintedText(
                    x_mm=grid_x - ROW_LABEL_GAP_MM,
                    y_mm=cy,
                    text=f"{pct} %",
                    size_pt=7.0,
                    anchor="right",
                )
            )
            for k in range(PANEL_REPEATS):
                cx = grid_x + (k + 0.5) * PITCH_X_MM
                slot_id = f"p{pct:03d}_{half * PANEL_REPEATS + k + 1}"
                slots.append(
                    (
                        slot_id,
                        [
                            Bubble(
                                x_mm=cx,
                                y_mm=cy,
                                radius_mm=BUBBLE_RADIUS_MM,
                                symbol=SYMBOL,
                                printed="",
                            )
                        ],
                    )
                )
                prefills.append(
                    Prefill(
                        field_id=tone.value,
                        slot_id=slot_id,
                        symbol=SYMBOL,
                        fraction=pct / 100,
                        tone=tone,
                    )
                )
        block += Block(texts=tuple(texts))
    field = make_field(
        tone.value,
        FieldKind.ANSWERS,
        slots,
        label=_TONE_CAPTIONS[tone],
        sector=_TONE_SECTORS[tone],
    )
    return Block(fields=(field,)) + block, prefills
