"""omrkit: high-throughput optical mark recognition.

Layout in, images in; fill ratios, marks and decoded fields out.

>>> import omrkit
>>> layout = omrkit.load_layout("ubt-answer")
>>> png = omrkit.render_sheet(layout, format="png", serial=42)
>>> reading = omrkit.read_sheet(png, layout)
>>> reading.serial, reading.field("answers_1").states[0].value
(42, 'blank')
"""

from __future__ import annotations

from omrkit.batch import SheetFailure, read_batch, readings_frame
from omrkit.errors import (
    DecodeError,
    LayoutError,
    OmrError,
    RegistrationError,
    RenderError,
    SynthError,
)
from omrkit.layout import SheetLayout, load_layout, save_layout
from omrkit.reading import FieldReading, RegistrationQuality, SheetReading, SlotState
from omrkit.render import render_sheet
from omrkit.sheet_reader import ReadOptions, read_image, read_sheet

__version__ = "0.1.0"

__all__ = [
    "DecodeError",
    "FieldReading",
    "LayoutError",
    "OmrError",
    "ReadOptions",
    "RegistrationError",
    "RegistrationQuality",
    "RenderError",
    "SheetFailure",
    "SheetLayout",
    "SheetReading",
    "SlotState",
    "SynthError",
    "load_layout",
    "read_batch",
    "read_image",
    "read_sheet",
    "readings_frame",
    "render_sheet",
    "save_layout",
]
