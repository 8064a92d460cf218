"""Phone photos of filled sheets (``omrkit.synth.photo``) read by ``read_photo``.

The reading-engine bars hold on fixed-seed photos: fill within 0.03 on
average and 0.08 at the 99.9th percentile, no wrong decision outside
0.40-0.60, the page placed within a pixel; a photo with no page in it is
refused with a typed error. 100 photos are measured by
``python scripts/real_world_accuracy.py photo 100``; the test reads fewer.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from omrkit.errors import OmrError, RegistrationError
from omrkit.layout.models import load_layout
from omrkit.read.photo import find_page, read_photo
from omrkit.registration.homography import apply_homography
from omrkit.synth.photo import synthesize_photo
from omrkit.synth.strokes import MarkKind
from omrkit.synth.truth import SheetTruth
from omrkit.types import SheetReading

PHOTOS = 20
#: Photos that may be refused (with a typed error): the bar is 2 % of 100.
MAX_REFUSED = 1
FIRST_SEED = 70_000
MAE_BAR, P999_BAR = 0.03, 0.08
CLEAR_LOW, CLEAR_HIGH = 0.40, 0.60
MAX_BUBBLE_ERROR_PX = 1.0
#: The outline is found on a reduced photo, and a soft page edge bends it: its
#: corners are only a first placement that the registration marks correct.
MAX_CORNER_ERROR_PX = 15.0


def _read(seed: int) -> tuple[SheetTruth, SheetReading | OmrError]:
    photo = synthesize_photo("ubt-answer", seed=seed)
    assert photo.jpeg is not None
    try:
        return photo.truth, read_photo(photo.jpeg, "ubt-answer")
    except OmrError as exc:
        return photo.truth, exc


@pytest.fixture(scope="module")
def readings() -> list[tuple[SheetTruth, SheetReading | OmrError]]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(_read, range(FIRST_SEED, FIRST_SEED + PHOTOS)))


def test_photos_meet_the_reading_bars(
    readings: list[tuple[SheetTruth, SheetReading | OmrError]],
) -> None:
    centres = load_layout("ubt-answer").bubbles.centers_mm
    errors, wrong, worst_px = [], 0, 0.0
    refused = [r for _, r in readings if isinstance(r, OmrError)]
    for truth, reading in readings:
        if isinstance(reading, OmrError):
            continue
        fills, true = np.array(reading.fill_ratios), truth.true_fractions
        drawn = np.array([k is not MarkKind.NONE for k in truth.mark_kinds])
        errors.append(np.abs(fills - true)[drawn])
        clear = (true < CLEAR_LOW) | (true > CLEAR_HIGH)
        wrong += int((((fills >= 0.5) != (true >= 0.5)) & clear).sum())
        homography = np.array(reading.homography).reshape(3, 3)
        off = apply_homography(homography, centres) - apply_homography(truth.homography, centres)
        worst_px = max(worst_px, float(np.abs(off).max()))
        assert "photo-rectified" in reading.flags
    error = np.concatenate(errors)
    mae, p999 = float(error.mean()), float(np.quantile(error, 0.999))
    print(f"phone photos: {len(readings) - len(refused)} read, {len(refused)} refused,")
    print(f"  {error.size} marked bubbles, MAE {mae:.4f},")
    print(f"  p99.9 {p999:.4f}, {wrong} wrong clear bubbles, worst bubble {worst_px:.2f} px")
    assert mae <= MAE_BAR
    assert p999 <= P999_BAR
    assert wrong == 0
    assert worst_px <= MAX_BUBBLE_ERROR_PX
    assert len(refused) <= MAX_REFUSED, [str(e) for e in refused]


def test_page_corners_are_found_where_the_page_lies() -> None:
    photo = synthesize_photo("ubt-answer", seed=FIRST_SEED)
    page = load_layout("ubt-answer").page
    corners_mm = np.array(
        [[0, 0], [page.width_mm, 0], [page.width_mm, page.height_mm], [0, page.height_mm]],
        dtype=np.float64,
    )
    truth = apply_homography(photo.truth.homography, corners_mm)
    assert np.abs(find_page(photo.image) - truth).max() < MAX_CORNER_ERROR_PX


def test_a_photo_without_a_page_is_refused_with_a_typed_error() -> None:
    """A desk with only a small card on it: no page outline, refused naming why."""
    desk = np.random.default_rng(0).normal(100, 10, (1200, 900)).clip(0, 255).astype(np.uint8)
    desk[100:300, 100:250] = 230
    with pytest.raises(RegistrationError, match="no page outline"):
        read_photo(desk, "ubt-answer")


def test_a_desk_of_noise_is_refused_with_a_typed_error() -> None:
    """Whatever bright shape the noise makes, no sheet is read from it."""
    desk = np.random.default_rng(0).normal(100, 20, (1200, 900)).clip(0, 255).astype(np.uint8)
    with pytest.raises(RegistrationError):
        read_photo(desk, "ubt-answer")
