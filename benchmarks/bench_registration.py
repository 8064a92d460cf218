"""Speed of registering a sheet and verifying its layout id.

Run with ``pytest benchmarks/bench_registration.py --benchmark-enable``.

Sheets are ҰБТ answer sheets at 200 dpi: the clean render (the flat-scan path:
five marks, affine-consistent) and simulated scans of the ``default`` profile
(tilted lid: the marks are cross-checked against the code guard cells).
Targets: ``register`` plus ``verify_layout_id`` under 0.5 ms a sheet on the
flat-scan path and about 0.6 ms on a tilted scan, within a per-sheet budget
of 2 ms for registration, measuring and deciding (see ``bench_read.py``);
decoding the image file (about 10 ms for a JPEG) is not included.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from omrkit.decode.images import decode_image
from omrkit.layout.models import SheetLayout, load_layout
from omrkit.registration.register import register, verify_layout_id
from omrkit.render import render_sheet
from omrkit.synth.simulate import synthesize_sheet

DPI = 200
SERIAL = 4321
SIMULATED_SEED = 3


@pytest.fixture(scope="module")
def layout() -> SheetLayout:
    return load_layout("ubt-answer")


@pytest.fixture(scope="module")
def rendered(layout: SheetLayout) -> npt.NDArray[np.uint8]:
    """The clean 200 dpi render, grey with the dropout colour removed."""
    png = render_sheet(layout, format="png", dpi=DPI, serial=SERIAL)
    return decode_image(png, dropout_color=layout.dropout_color)


@pytest.fixture(scope="module")
def simulated(layout: SheetLayout) -> npt.NDArray[np.uint8]:
    """A simulated flat-bed scan with a slightly tilted lid."""
    return synthesize_sheet(layout, seed=SIMULATED_SEED, dpi=DPI, profile="default").image


def _register_and_verify(image: npt.NDArray[np.uint8], layout: SheetLayout) -> int:
    registration = register(image, layout)
    return verify_layout_id(image, registration, layout)


def test_register_and_verify_flat_scan(
    benchmark: Any, rendered: npt.NDArray[np.uint8], layout: SheetLayout
) -> None:
    """Time register + verify_layout_id on the clean 200 dpi render."""
    assert benchmark(_register_and_verify, rendered, layout) == layout.layout_code


def test_register_and_verify_tilted_scan(
    benchmark: Any, simulated: npt.NDArray[np.uint8], layout: SheetLayout
) -> None:
    """Time register + verify_layout_id on a simulated scan that needs the guard cells."""
    assert benchmark(_register_and_verify, simulated, layout) == layout.layout_code


def test_register_only(
    benchmark: Any, rendered: npt.NDArray[np.uint8], layout: SheetLayout
) -> None:
    """Time register alone on the clean render."""
    registration = benchmark(register, rendered, layout)
    assert not registration.quality.poor
