"""omrkit: high-throughput optical mark recognition.

Layout in, images in; fill ratios, marks and decoded fields out.

>>> import omrkit
>>> layout = omrkit.load_layout("ubt-answer")
"""

from __future__ import annotations

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

__version__ = "0.1.0"

__all__ = [
    "DecodeError",
    "FieldReading",
    "LayoutError",
    "OmrError",
    "RegistrationError",
    "RegistrationQuality",
    "RenderError",
    "SheetLayout",
    "SheetReading",
    "SlotState",
    "SynthError",
    "load_layout",
    "render_sheet",
    "save_layout",
]
