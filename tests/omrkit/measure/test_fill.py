"""Fill ratios measured on bubbles scanned from exact geometry.

Each test bubble is drawn in layout millimetres and sampled through a known
homography on a supersampled pixel grid, so every pixel holds its covered
share; then it is blurred, levelled to the scanner's paper and ink, and given
sensor noise. Chord fills have an exact painted fraction (a circular
segment), so the bars below are on the measurement alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from omrkit.layout.models import OUTLINE_STROKE_MM
from omrkit.measure.fill import INK_RAMP, INK_THRESHOLD, fill_ratios

#: Sub-samples per pixel along each axis when drawing.
SUPERSAMPLE = 6
#: The printed bubble of the bundled answer sheets.
RADIUS_MM = 2.1
#: Where the test bubble sits on the page (mm); perspective grows away from the origin.
CENTER_MM = (105.0, 150.0)
#: Darkest the dropout colour reads on a grey scan (brighter is easier), as a share
#: of the paper-to-black range: grey 185 on white paper.
DROPOUT_DARKNESS = 1.0 - 185.0 / 255.0
#: Ink of a pen seen in grey, and graphite, as shares of the paper-to-black range.
PEN_DARKNESS = (0.86, 0.95)
PENCIL_DARKNESS = (0.64, 0.76)
#: Graphite texture: per-pixel spread, correlation length (px) and clip.
PENCIL_TEXTURE = (0.05, 0.7, 0.1)
#: Real fills run over the printed outline by up to this much (mm).
SPILL_MM = 0.35
#: Blank paper beyond the bubble, mm.
MARGIN_MM = 1.5


@dataclass(frozen=True)
class Scan:
    """One scanned bubble and what is true about it."""

    image: npt.NDArray[np.uint8]
    homography: npt.NDArray[np.float64]
    paper: float
    ink: float
    true_fraction: float

    def measure(self, **options: float) -> float:
        ratios = fill_ratios(
            self.image,
            self.homography,
            [CENTER_MM],
            [RADIUS_MM],
            paper_level=self.paper,
            ink_level=self.ink,
            **options,
        )
        return float(ratios[0])


def _segment_share(offset: float) -> float:
    """Share of a unit disc lying at signed distance >= ``offset`` along a direction."""
    o = min(max(offset, -1.0), 1.0)
    return (math.acos(o) - o * math.sqrt(1.0 - o * o)) / math.pi


def _chord_offset(fraction: float) -> float:
    """Chord offset (in radii) cutting off ``fraction`` of a disc, by bisection."""
    lo, hi = -1.0, 1.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if _segment_share(mid) > fraction else (lo, mid)
    return 0.5 * (lo + hi)


def _homography(
    dpi: float, angle: float, perspective: tuple[float, float], center_px: float
) -> npt.NDArray[np.float64]:
    """Layout mm to image px: scale and turn, slight perspective, centre at ``center_px``."""
    s = dpi / 25.4
    h = np.array(
        [
            [s * math.cos(angle), -s * math.sin(angle), 0.0],
            [s * math.sin(angle), s * math.cos(angle), 0.0],
            [perspective[0], perspective[1], 1.0],
        ]
    )
    x, y = CENTER_MM
    w = perspective[0] * x + perspective[1] * y + 1.0
    h[0, 2] = center_px * w - (h[0, 0] * x + h[0, 1] * y)
    h[1, 2] = center_px * w - (h[1, 0] * x + h[1, 1] * y)
    return h


def scan(
    *,
    dpi: float,
    rng: np.random.Generator,
    fraction: float = 0.0,
    darkness: float = 0.9,
    direction: float | None = None,
    angle: float | None = None,
    perspective: float = 2e-4,
    blur_px: float = 0.0,
    noise: float = 0.0,
    paper: float = 240.0,
    ink: float = 20.0,
    spill_mm: float = SPILL_MM,
    textured: bool = False,
    symbol: bool = True,
    print_darkness: float = DROPOUT_DARKNESS,
) -> Scan:
    """Scan one bubble whose inner disc is painted over ``fraction`` by a chord fill."""
    inner = RADIUS_MM - OUTLINE_STROKE_MM / 2
    size = math.ceil(2 * (RADIUS_MM + SPILL_MM + MARGIN_MM) * dpi / 25.4)
    center_px = size / 2 + rng.uniform(-0.5, 0.5)
    turn = rng.uniform(-math.pi, math.pi) if angle is None else angle
    tilt = tuple(rng.uniform(-perspective, perspective, size=2))
    homography = _homography(dpi, turn, (tilt[0], tilt[1]), center_px)
    x_mm, y_mm = _sample_points_mm(homography, size)
    r2 = x_mm**2 + y_mm**2
    printed = (r2 >= inner**2) & (r2 <= RADIUS_MM**2)
    if symbol:  # a dropout letter inside the bubble: two strokes 0.2 mm wide
        printed |= (np.abs(x_mm) < 0.1) & (np.abs(y_mm) < 0.45 * inner)
        printed |= (np.abs(y_mm) < 0.1) & (np.abs(x_mm) < 0.3 * inner)
    heading = rng.uniform(-math.pi, math.pi) if direction is None else direction
    along = x_mm * math.cos(heading) + y_mm * math.sin(heading)
    inked = (r2 <= (inner + spill_mm) ** 2) & (along >= _chord_offset(fraction) * inner)
    if fraction <= 0.0:
        inked[:] = False
    darkness_map = np.full((size, size), darkness)
    if textured:
        darkness_map += _graphite_texture(rng, size)
    sub_darkness = np.repeat(np.repeat(darkness_map, SUPERSAMPLE, 0), SUPERSAMPLE, 1)
    # Ink darkens whatever lies under it, print included.
    value = _pixel_mean((1.0 - print_darkness * printed) * (1.0 - sub_darkness * inked), size)
    if blur_px > 0:
        value = cv2.GaussianBlur(value, (0, 0), blur_px, borderType=cv2.BORDER_REPLICATE)
    grey = ink + (paper - ink) * value + rng.normal(0.0, noise, value.shape)
    image = np.clip(np.rint(grey), 0, 255).astype(np.uint8)
    true = _segment_share(_chord_offset(fraction)) if fraction > 0.0 else 0.0
    return Scan(image, homography, paper, ink, true)


def _sample_points_mm(
    homography: npt.NDArray[np.float64], size: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Sub-pixel centres mapped back to mm, relative to the bubble centre."""
    g = (np.arange(size * SUPERSAMPLE) + 0.5) / SUPERSAMPLE
    u, v = np.meshgrid(g, g)
    inverse = np.linalg.inv(homography)
    w = inverse[2, 0] * u + inverse[2, 1] * v + inverse[2, 2]
    x = (inverse[0, 0] * u + inverse[0, 1] * v + inverse[0, 2]) / w - CENTER_MM[0]
    y = (inverse[1, 0] * u + inverse[1, 1] * v + inverse[1, 2]) / w - CENTER_MM[1]
    return x, y


def _pixel_mean(samples: npt.NDArray[np.float64], size: int) -> npt.NDArray[np.float64]:
    return samples.reshape(size, SUPERSAMPLE, size, SUPERSAMPLE).mean(axis=(1, 3))


def _graphite_texture(rng: np.random.Generator, size: int) -> npt.NDArray[np.float64]:
    spread, length_px, clip = PENCIL_TEXTURE
    grain = cv2.GaussianBlur(rng.normal(0.0, 1.0, (size, size)), (0, 0), length_px)
    grain *= spread / max(float(grain.std()), 1e-9)
    return np.clip(grain, -clip, clip)


def _worn_scan(dpi: float, seed: int, **fixed: object) -> Scan:
    """A chord fill scanned with random blur, noise, levels, turn and perspective."""
    rng = np.random.default_rng(seed)
    options: dict[str, object] = {
        "fraction": rng.uniform(0.05, 0.95),
        "blur_px": rng.uniform(0.0, 1.5),
        "noise": rng.uniform(1.0, 6.0),
        "paper": rng.uniform(200.0, 250.0),
        "ink": rng.uniform(10.0, 90.0),
        "darkness": rng.uniform(*PEN_DARKNESS),
    }
    options.update(fixed)
    return scan(dpi=dpi, rng=rng, **options)  # type: ignore[arg-type]


_DPIS = (150, 200, 300)
_SEEDS = range(12)


class TestAccuracy:
    @pytest.mark.parametrize("dpi", _DPIS)
    def test_pen_fills_read_within_two_percent(self, dpi: int) -> None:
        """Pen chord fills spilling over the outline read within 0.02, unbiased on average."""
        scans = [_worn_scan(dpi, seed) for seed in _SEEDS]
        errors = [s.measure() - s.true_fraction for s in scans]
        assert max(map(abs, errors)) <= 0.02
        assert abs(float(np.mean(errors))) <= 0.005

    @pytest.mark.parametrize("dpi", _DPIS)
    def test_pen_fill_stopping_at_the_rim_reads_within_three_percent(self, dpi: int) -> None:
        """Ink that ends exactly at the inner rim loses a blurred sliver there: within 0.03."""
        scans = [_worn_scan(dpi, 100 + seed, spill_mm=0.0) for seed in _SEEDS]
        assert max(abs(s.measure() - s.true_fraction) for s in scans) <= 0.03

    @pytest.mark.parametrize("dpi", _DPIS)
    def test_pencil_fills_read_within_five_percent_slightly_low(self, dpi: int) -> None:
        """Textured graphite (darkness 0.64-0.76) reads within 0.05 and on average <= 0.02 low."""
        rng = np.random.default_rng(dpi)
        scans = [
            _worn_scan(dpi, 200 + seed, darkness=rng.uniform(*PENCIL_DARKNESS), textured=True)
            for seed in _SEEDS
        ]
        errors = [s.measure() - s.true_fraction for s in scans]
        assert max(map(abs, errors)) <= 0.05
        assert -0.02 <= float(np.mean(errors)) <= 0.005

    @pytest.mark.parametrize("dpi", _DPIS)
    def test_blank_printed_bubble_reads_at_most_two_percent(self, dpi: int) -> None:
        """The outline and the letter printed in dropout grey are not ink."""
        for seed in _SEEDS:
            blank = _worn_scan(dpi, 300 + seed, fraction=0.0, noise=8.0)
            assert blank.measure() <= 0.02

    def test_erased_mark_reads_as_blank(self) -> None:
        """An eraser's smudge (darkness 0.2 over the whole disc) is not ink."""
        ghost = _worn_scan(200, 400, fraction=1.0, darkness=0.2)
        assert ghost.measure() <= 0.02

    @pytest.mark.parametrize("dpi", _DPIS)
    def test_solid_fill_reads_full(self, dpi: int) -> None:
        """A bubble filled over its outline reads at least 0.98 and never above 1."""
        full = _worn_scan(dpi, 500, fraction=1.0)
        assert 0.98 <= full.measure() <= 1.0


class TestInvariance:
    def test_blur_moves_edges_not_areas(self) -> None:
        """A half-filled bubble reads the same sharp and under 1.5 px of blur."""
        sharp = scan(dpi=150, rng=np.random.default_rng(1), fraction=0.5, blur_px=0.0)
        blurred = scan(dpi=150, rng=np.random.default_rng(1), fraction=0.5, blur_px=1.5)
        assert abs(sharp.measure() - blurred.measure()) <= 0.01

    def test_threshold_follows_the_sheet_levels(self) -> None:
        """A dark scanner (paper 200, ink 90) and a bright one (250, 10) read a mark alike."""
        bright = scan(dpi=200, rng=np.random.default_rng(2), fraction=0.5, paper=250, ink=10)
        dark = scan(dpi=200, rng=np.random.default_rng(2), fraction=0.5, paper=200, ink=90)
        assert abs(bright.measure() - dark.measure()) <= 0.01

    def test_turn_and_perspective_are_followed(self) -> None:
        """The same mark read upright and turned 30 degrees under perspective agrees within 0.02."""
        upright = scan(
            dpi=150,
            rng=np.random.default_rng(3),
            fraction=0.6,
            angle=0.0,
            direction=0.3,
            perspective=0.0,
        )
        turned = scan(
            dpi=150,
            rng=np.random.default_rng(3),
            fraction=0.6,
            angle=math.pi / 6,
            direction=0.3,
            perspective=5e-4,
        )
        assert abs(upright.measure() - turned.measure()) <= 0.02

    @pytest.mark.parametrize(("blur_px", "max_step"), [(0.0, 0.03), (1.0, 0.02)])
    def test_sliding_chord_moves_the_ratio_smoothly(self, blur_px: float, max_step: float) -> None:
        """A chord along the pixel grid sliding over a 150 dpi bubble never jumps a column (5 %)."""
        errors = []
        for fraction in np.linspace(0.3, 0.7, 201):
            s = scan(
                dpi=150,
                rng=np.random.default_rng(4),
                fraction=float(fraction),
                darkness=0.92,
                direction=0.0,
                angle=0.0,
                perspective=0.0,
                blur_px=blur_px,
                symbol=False,
            )
            errors.append(s.measure() - s.true_fraction)
        assert float(np.max(np.abs(np.diff(errors)))) <= max_step

    @given(
        grey=st.integers(0, 255),
        x_mm=st.floats(-0.5, 0.5),
        y_mm=st.floats(-0.5, 0.5),
        radius_mm=st.floats(1.0, 3.0),
        turn=st.floats(-math.pi, math.pi),
    )
    def test_uniform_grey_reads_its_credit_wherever_the_bubble_lies(
        self, grey: int, x_mm: float, y_mm: float, radius_mm: float, turn: float
    ) -> None:
        """On an even grey the ratio is that grey's ink credit, whatever the disc's position."""
        image = np.full((120, 120), grey, dtype=np.uint8)
        homography = _homography(150.0, turn, (1e-4, -1e-4), 60.0)
        center = [[CENTER_MM[0] + x_mm, CENTER_MM[1] + y_mm]]
        paper, ink = 230.0, 30.0
        darkness = (paper - grey) / (paper - ink)
        credit = min(max((darkness - INK_THRESHOLD + INK_RAMP) / (2 * INK_RAMP), 0.0), 1.0)
        (ratio,) = fill_ratios(
            image, homography, center, [radius_mm], paper_level=paper, ink_level=ink
        )
        assert ratio == pytest.approx(credit, abs=1e-6)  # float32 pixel arithmetic


class TestImageEdges:
    def test_bubble_overhanging_the_image_is_nan(self) -> None:
        """A bubble not wholly inside the image cannot be measured: NaN, its neighbour is not."""
        image = np.full((100, 100), 240, dtype=np.uint8)
        scale = np.diag([10.0, 10.0, 1.0])
        ratios = fill_ratios(
            image, scale, [[1.5, 5.0], [5.0, 5.0]], [2.1, 2.1], paper_level=240, ink_level=20
        )
        assert math.isnan(ratios[0])
        assert ratios[1] == 0.0

    def test_centre_beyond_the_horizon_is_nan(self) -> None:
        """A homography sending the bubble to infinity yields NaN, not an exception."""
        image = np.full((100, 100), 240, dtype=np.uint8)
        h = np.array([[10.0, 0, 0], [0, 10.0, 0], [-1.0, 0, 1.0]])
        (ratio,) = fill_ratios(image, h, [[5.0, 5.0]], [2.0], paper_level=240, ink_level=20)
        assert math.isnan(ratio)


def _read_only(array: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    array.flags.writeable = False
    return array


class TestArguments:
    _IMAGE = np.full((50, 50), 240, dtype=np.uint8)
    _SCALE = np.diag([10.0, 10.0, 1.0])

    def _call(self, **changes: object) -> npt.NDArray[np.float64]:
        args: dict[str, object] = {
            "image": self._IMAGE,
            "homography": self._SCALE,
            "centers_mm": [[2.5, 2.5]],
            "radii_mm": [2.0],
            "paper_level": 240.0,
            "ink_level": 20.0,
        }
        args.update(changes)
        return fill_ratios(**args)  # type: ignore[arg-type]

    def test_result_is_written_into_out(self) -> None:
        """A caller's ``out`` array is filled and returned."""
        out = np.full(1, -1.0)
        assert self._call(out=out) is out
        assert out[0] == 0.0

    def test_no_bubbles_give_an_empty_result(self) -> None:
        """An empty bubble list is measured as an empty array."""
        result = self._call(centers_mm=np.empty((0, 2)), radii_mm=[])
        assert result.shape == (0,)

    @pytest.mark.parametrize(
        ("changes", "error", "names"),
        [
            ({"image": _IMAGE.astype(np.float32)}, TypeError, "image"),
            ({"image": _IMAGE.tolist()}, TypeError, "image"),
            ({"image": _IMAGE[None]}, ValueError, "image"),
            ({"image": np.asfortranarray(_IMAGE[:, :40])}, ValueError, "image"),
            ({"homography": np.eye(2)}, ValueError, "homography"),
            ({"homography": np.full((3, 3), np.nan)}, ValueError, "homography"),
            ({"centers_mm": [2.5, 2.5]}, ValueError, "centers_mm"),
            ({"centers_mm": [["a", "b"]]}, TypeError, "centers_mm"),
            ({"radii_mm": [2.0, 2.0]}, ValueError, "radii_mm"),
            ({"radii_mm": [0.01]}, ValueError, "radii_mm"),
            ({"paper_level": 300.0}, ValueError, "paper_level"),
            ({"ink_level": math.nan}, ValueError, "ink_level"),
            ({"paper_level": 40.0, "ink_level": 30.0}, ValueError, "paper_level"),
            ({"ramp": 0.0}, ValueError, "ramp"),
            ({"threshold": 0.95}, ValueError, "threshold"),
            ({"out": np.empty(1, dtype=np.float32)}, TypeError, "out"),
            ({"out": np.empty(2)}, ValueError, "out"),
            ({"out": _read_only(np.empty(1))}, ValueError, "out"),
        ],
    )
    def test_bad_argument_is_named(
        self, changes: dict[str, object], error: type[Exception], names: str
    ) -> None:
        """A wrong argument raises TypeError or ValueError naming it."""
        with pytest.raises(error, match=names):
            self._call(**changes)
