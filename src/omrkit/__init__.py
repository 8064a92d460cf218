"""omrkit: high-throughput optical mark recognition.

Layout in, images in; fill ratios, marks and decoded fields out.

>>> import omrkit
>>> layout = omrkit.load_layout("ubt-answer")
"""

from __future__ import annotations

from omrkit.errors import DecodeError, LayoutError, OmrError, RegistrationError, SynthError
from omrkit.layout import SheetLayout, load_layout, save_layout
from omrkit.reading import FieldReading, RegistrationQuality, SheetReading, SlotState

__version__ = "0.1.0"

__all__ = [
    "DecodeError",
    "FieldReading",
    "LayoutError",
    "OmrError",
    "RegistrationError",
    "RegistrationQuality",
    "SheetLayout",
    "SheetReading",
    "SlotState",
    "SynthError",
    "load_layout",
    "save_layout",
]
