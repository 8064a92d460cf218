"""omrkit: high-throughput optical mark recognition.

Layout in, images in; fill ratios, marks and decoded fields out.

The package is the data flow, one subpackage a stage::

    decode/ ─▶ registration/ ─▶ measure/ (+ _kernels/) ─▶ decide ─▶ types ─▶ read/

beside ``layout/`` (the single source of truth), ``render``, ``annotate``,
``synth/`` and ``cli/``. Names are loaded on first use (module ``__getattr__``),
so ``import omrkit`` compiles no kernel and imports no OpenCV.

>>> import omrkit
>>> layout = omrkit.load_layout("ubt-answer")
>>> png = omrkit.render_sheet(layout, format="png", serial=42)
>>> reading = omrkit.read_sheet(png, layout)
>>> reading.serial, reading.field("answers_1").states[0].value
(42, 'blank')
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name -> the module that defines it; loaded on first attribute access.
_HOMES: dict[str, str] = {
    "CalibrationError": "omrkit.errors",
    "DecodeError": "omrkit.errors",
    "FieldReading": "omrkit.types",
    "LayoutError": "omrkit.errors",
    "OmrError": "omrkit.errors",
    "ReadOptions": "omrkit.read.sheet",
    "RegistrationError": "omrkit.errors",
    "RegistrationQuality": "omrkit.types",
    "OutputError": "omrkit.errors",
    "RenderError": "omrkit.errors",
    "ScannerProfile": "omrkit.calibrate.profile",
    "SheetFailure": "omrkit.read.batch",
    "SheetLayout": "omrkit.layout.models",
    "SheetReading": "omrkit.types",
    "SlotState": "omrkit.types",
    "SynthError": "omrkit.errors",
    "check_scanner": "omrkit.calibrate.check",
    "load_layout": "omrkit.layout.models",
    "load_results": "omrkit.read.batch",
    "read_batch": "omrkit.read.batch",
    "read_image": "omrkit.read.sheet",
    "read_photo": "omrkit.read.photo",
    "read_sheet": "omrkit.read.sheet",
    "readings_frame": "omrkit.read.batch",
    "render_sheet": "omrkit.render",
    "save_layout": "omrkit.layout.models",
    "write_batch": "omrkit.read.batch",
}

__all__ = [
    "CalibrationError",
    "DecodeError",
    "FieldReading",
    "LayoutError",
    "OmrError",
    "OutputError",
    "ReadOptions",
    "RegistrationError",
    "RegistrationQuality",
    "RenderError",
    "ScannerProfile",
    "SheetFailure",
    "SheetLayout",
    "SheetReading",
    "SlotState",
    "SynthError",
    "check_scanner",
    "load_layout",
    "load_results",
    "read_batch",
    "read_image",
    "read_photo",
    "read_sheet",
    "readings_frame",
    "render_sheet",
    "save_layout",
    "write_batch",
]

if TYPE_CHECKING:
    from omrkit.errors import (
        DecodeError,
        LayoutError,
        OmrError,
        OutputError,
        RegistrationError,
        RenderError,
        SynthError,
    )
    from omrkit.layout.models import SheetLayout, load_layout, save_layout
    from omrkit.read.batch import (
        SheetFailure,
        load_results,
        read_batch,
        readings_frame,
        write_batch,
    )
    from omrkit.read.photo import read_photo
    from omrkit.read.sheet import ReadOptions, read_image, read_sheet
    from omrkit.render import render_sheet
    from omrkit.types import FieldReading, RegistrationQuality, SheetReading, SlotState


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'omrkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
