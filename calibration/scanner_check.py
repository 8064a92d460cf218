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

__all__ = ["FILL_PERCENTS", "REPEATS", "SCANNER_CHECK_CODE", "scanner_check"]

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
    return assemble_layout(
        "scanner-check",
        layout_code=SCANNER_CHECK_CODE,
        title="Сканерді тексеру парағы",
        marks=registration_marks(),
        id_code=layout_id_code(),
        blocks=blocks,
        texts=[title_text("СКАНЕРДІ ТЕКСЕРУ · КАЛИБРЛЕУ ПАРАҒЫ")],
        prefills=prefills,
    )


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
