"""The examinee's ink, measured on each sheet, and the fill ratios it implies.

DESIGN.md: *thresholding midway between paper white and ink black keeps the
measured area unbiased under symmetric blur*. The ink that matters is the
examinee's, not the printer's: a ballpoint removes 0.86-0.95 of the
paper-to-black range, graphite pressed lightly or a drying ballpoint as little
as 0.3. A threshold set from the printed black of the registration marks never
counts such a mark, however completely the bubble is painted. So each sheet's
threshold is set from the darkness of the marks on that sheet.

Notes
-----
Darkness is the share of the paper-to-black range a pixel removes, with the
paper and black levels that registration measured. Three passes of the
area-weighted fill kernel, none of them over more than the whole sheet once:

1. *Mean darkness of every bubble* (the kernel's linear mode). Blank bubbles,
   the great majority, give the sheet's baseline (paper, noise and the dropout
   print inside the circles); a bubble clearly darker than that holds
   something and is a *candidate*.
2. *Share of each candidate darker than* :data:`INK_FLOOR`. The excess mean
   darkness divided by that share is the darkness of the bubble's own ink,
   ``D_b``: the ink mode of its bimodal (paper vs ink) distribution.
3. The candidates' ``D_b`` form one cluster, or two where the sheet mixes
   pressures (some marks dark, some light): two are kept when the largest gap
   between sorted levels of solid marks exceeds :data:`CLUSTER_GAP`. Each
   candidate is measured at the midpoint ``L / 2`` of its nearest cluster's
   level ``L``; clusters rather than regions, because a person presses harder
   or lighter mark by mark, not page by page.

The threshold never drops below :data:`MIN_THRESHOLD`: erasure residue
(darkness <= :data:`ERASURE_DARKNESS`), the dropout print (0.26 at the
centre of a glyph stroke, less once blurred) and scanner noise stay out. A
pen-dark sheet is measured at the fixed :data:`~omrkit.measure.fill.INK_THRESHOLD`
as before (``L / 2`` is capped there).

*Never silent.* Each cluster's separation is the gap between the ink and paper
modes divided by the sum of their spreads (scanner noise, graphite grain),
sampled from the centres of blank and solid bubbles. A cluster lighter than
:data:`MIN_RELIABLE_DARKNESS` or separated by less than
:data:`MIN_SEPARATION` marks its bubbles *weak*, and their slots go to review.
A sheet with faint marks and no cluster to read them by is flagged whole.
Measured on the simulated ink profiles of :mod:`omrkit.synth.inks`
(``tests/omrkit/measure/test_ink.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from omrkit.layout.models import OUTLINE_STROKE_MM, BubbleArrays
from omrkit.measure._order import quantiles, sorted_median
from omrkit.measure.fill import INK_RAMP, INK_THRESHOLD, _checked_fill_ratios, _checked_sheet
from omrkit.types import InkReport

__all__ = [
    "CLUSTER_GAP",
    "ERASURE_DARKNESS",
    "FAINT_REASON",
    "INK_FLOOR",
    "MIN_RELIABLE_DARKNESS",
    "MIN_SEPARATION",
    "MIN_THRESHOLD",
    "InkMeasurement",
    "measure_ink",
    "sheet_fill_ratios",
]

#: Darkest erasure residue: what an eraser leaves is never counted as ink.
ERASURE_DARKNESS = 0.15
#: Lightest threshold ever used: above erasure residue by a margin of noise.
MIN_THRESHOLD = 0.20
#: Darkness from which a pixel may be ink (pass 2): the lowest threshold.
INK_FLOOR = MIN_THRESHOLD
#: Half-width of the ramp at the floor pass and the narrowest ramp ever used.
MIN_RAMP = 0.03
#: The ramp's foot stays above the dropout print where the threshold allows.
PRINT_FLOOR = 0.30
#: Excess mean darkness over the blank baseline that makes a bubble a candidate.
CANDIDATE_EXCESS = 0.006
#: Share darker than the floor from which a bubble's ink level is trusted.
LEVEL_SHARE = 0.10
#: ... and from which a bubble is a solid mark, used to find the sheet's clusters.
SOLID_SHARE = 0.60
#: Fewest bubbles that make a cluster.
MIN_CLUSTER_BUBBLES = 3
#: Gap between the ink levels of solid marks that splits them into two pressures.
CLUSTER_GAP = 0.15
#: Ink lighter than this is read but flagged: below it the accuracy bars are not met.
MIN_RELIABLE_DARKNESS = 0.35
#: Ink and paper modes closer than this many (summed) spreads are flagged.
MIN_SEPARATION = 3.0
#: A bubble darker on average than its share past the floor explains, by this
#: factor of its cluster's level, holds mostly sub-floor residue: an erasure.
RESIDUE_RATIO = 1.6
#: Threshold of a bubble holding erasure residue: residue over the dropout
#: glyph (0.15 over 0.26 reads 0.37) would pass the light floor.
RESIDUE_THRESHOLD = 0.30
#: A residue bubble reading this much after all holds a mark as well: review.
RESIDUE_REVIEW_FILL = 0.20
#: Share of a bubble's above-floor ink darker than the middle between two
#: clusters that puts it in the darker one (its strokes have dark cores).
DARK_CORE_SHARE = 0.3
#: Excess mean darkness of a bubble holding faint ink (a mark or an erasure).
FAINT_EXCESS = 0.08
#: Quantile of the bubbles' mean darkness taken as the blank bubble's (the paper mode).
BASELINE_QUANTILE = 0.25
#: Half-side of the sampled centre square, as a share of the inner radius.
SAMPLE_HALF_SHARE = 0.5
#: Most bubbles of each kind sampled for the modes and spreads.
SAMPLE_BUBBLES = 12
#: The spread of a mode: the distance from its median to this lower quantile
#: (one standard deviation for a normal mode; the glyph and edges are on the
#: other side).
_LOW_QUANTILE = 0.159
#: Spread never taken below this darkness: 8-bit rounding of a clean scan.
_MIN_SPREAD = 0.005
#: Distinct bubble counts and square sizes whose sampling patterns are kept.
_CACHED_SHAPES = 256
#: Threshold and half-width that make the kernel's credit (nearly) linear in darkness.
_LINEAR = (0.5, 0.49)
FAINT_REASON = "marks too faint to read reliably"


@dataclass(frozen=True, slots=True)
class InkMeasurement:
    """Fill ratios of one sheet and what its ink looked like.

    Attributes
    ----------
    fill_ratios : (N,) ndarray of float64
    weak : (N,) ndarray of bool
        The bubble was read against ink that separates weakly from paper:
        its slot goes to review.
    report : InkReport
    light_group_level : float
        Among the marks the clusters were found from (solid marks, else marks
        with a trusted level), the darkness reached by the lightest
        :data:`MIN_CLUSTER_BUBBLES` of them (the highest of their levels);
        NaN without clusters. A cluster is a median: this says whether enough
        lighter marks to make a cluster hide in one, as a light pressure does
        whose gap to the firm one is too small to split.
    """

    fill_ratios: npt.NDArray[np.float64]
    weak: npt.NDArray[np.bool_]
    report: InkReport
    light_group_level: float = math.nan


def measure_ink(
    image: npt.NDArray[np.uint8],
    homography: npt.NDArray[np.float64],
    arrays: BubbleArrays,
    *,
    paper_level: float,
    ink_level: float,
) -> InkMeasurement:
    """Fill ratio of every bubble, measured against this sheet's own ink.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
    homography : (3, 3) ndarray of float64
        Layout millimetres to image pixels.
    arrays : BubbleArrays
    paper_level, ink_level : float
        The sheet's paper and printed-black grey levels (registration's).

    Returns
    -------
    InkMeasurement
        See the module notes for the passes, the clusters and the flags.
    """
    # The arrays are checked once here: every pass below measures rows of them.
    sheet = _Sheet(
        *_checked_sheet(image, homography, arrays.centers_mm, arrays.radii_mm),
        paper_level,
        ink_level,
    )
    mean = sheet.fills(None, *_LINEAR)
    measurable = np.isfinite(mean)
    fills = np.where(measurable, 0.0, np.nan)
    weak = np.zeros(mean.shape, dtype=bool)
    # The paper mode is the low end of the bubbles' darkness, not their median: on a
    # calibration sheet, or a sheet filled densely, most bubbles hold ink.
    baseline = quantiles(mean[measurable], (BASELINE_QUANTILE,))[0] if measurable.any() else 0.0
    excess = mean - baseline
    cand = np.flatnonzero(measurable & (excess > CANDIDATE_EXCESS))
    share = sheet.fills(cand, INK_FLOOR, MIN_RAMP)
    level = excess[cand] / np.maximum(share, LEVEL_SHARE)
    basis = level[share >= SOLID_SHARE]
    clusters = _clusters(basis)
    if not clusters:
        basis = level[share >= LEVEL_SHARE]
        clusters = _clusters(basis)
    paper_mode, paper_spread = sheet.mode(np.flatnonzero(measurable & (excess <= CANDIDATE_EXCESS)))
    if not clusters:
        # No ink to read by: pen marks too few to cluster, or marks too faint.
        faint = int(np.count_nonzero(excess[cand] >= FAINT_EXCESS)) >= MIN_CLUSTER_BUBBLES
        # Faint marks are measured at the floor pass's threshold (MIN_THRESHOLD): reuse it.
        fills[cand] = share if faint else sheet.fills(cand, INK_THRESHOLD, INK_RAMP)
        weak[cand] = faint
        report = InkReport(paper_grey=sheet.grey(paper_mode), faint=faint,
                           reason=FAINT_REASON if faint else None)  # fmt: skip
        return InkMeasurement(fills, weak, report)
    nearest = _assign(sheet, cand, share, clusters)
    residue = excess[cand] > RESIDUE_RATIO * np.array(clusters)[nearest] * np.maximum(share, 1e-3)
    separation = []
    for k, cluster_level in enumerate(clusters):
        members = cand[nearest == k]
        ink_mode, ink_spread = sheet.mode(members[share[nearest == k] >= SOLID_SHARE], dark=True)
        if not np.isfinite(ink_mode):
            ink_mode, ink_spread = cluster_level, paper_spread
        sep = (ink_mode - paper_mode) / max(paper_spread + ink_spread, _MIN_SPREAD)
        # np.clip's order (the lower bound, then the upper) in plain floats.
        t = min(max(0.5 * cluster_level, MIN_THRESHOLD), INK_THRESHOLD)
        ramp = min(max(t - PRINT_FLOOR, MIN_RAMP), INK_RAMP)
        # The lightest clusters are measured at the floor pass's own threshold: reuse it.
        reuse = (t, ramp) == (INK_FLOOR, MIN_RAMP)
        fills[members] = share[nearest == k] if reuse else sheet.fills(members, t, ramp)
        weak[members] = cluster_level < MIN_RELIABLE_DARKNESS or sep < MIN_SEPARATION
        erased = cand[(nearest == k) & residue]
        if t < RESIDUE_THRESHOLD and erased.size:
            fills[erased] = sheet.fills(erased, RESIDUE_THRESHOLD, MIN_RAMP)
            weak[erased] |= fills[erased] >= RESIDUE_REVIEW_FILL
        separation.append(float(sep))
    all_weak = bool(weak[cand].all())
    report = InkReport(
        paper_grey=sheet.grey(paper_mode),
        ink_grey=tuple(sheet.grey(d) for d in clusters),
        ink_darkness=tuple(clusters),
        separation=tuple(separation),
        faint=all_weak,
        reason=FAINT_REASON if all_weak else None,
    )
    light_group = float(np.partition(basis, MIN_CLUSTER_BUBBLES - 1)[MIN_CLUSTER_BUBBLES - 1])
    return InkMeasurement(fills, weak, report, light_group)


def sheet_fill_ratios(
    image: npt.NDArray[np.uint8],
    homography: npt.NDArray[np.float64],
    arrays: BubbleArrays,
    *,
    paper_level: float,
    ink_level: float,
) -> npt.NDArray[np.float64]:
    """Fill ratio of every bubble against the sheet's own ink (:func:`measure_ink`'s fills)."""
    return measure_ink(
        image, homography, arrays, paper_level=paper_level, ink_level=ink_level
    ).fill_ratios


@dataclass(frozen=True, slots=True)
class _Sheet:
    """One registered sheet and its levels: what every pass measures against.

    The arrays are as :func:`omrkit.measure.fill._checked_sheet` returned them.
    """

    image: npt.NDArray[np.uint8]
    homography: npt.NDArray[np.float64]
    centers_mm: npt.NDArray[np.float64]
    radii_mm: npt.NDArray[np.float64]
    paper_level: float
    ink_level: float

    def fills(
        self, bubbles: npt.NDArray[np.intp] | None, threshold: float, ramp: float
    ) -> npt.NDArray[np.float64]:
        """Fill ratios of ``bubbles`` (None: all) at ``threshold``, ramp half-width ``ramp``."""
        centers, radii = self.centers_mm, self.radii_mm
        if bubbles is not None:
            centers, radii = centers[bubbles], radii[bubbles]
        return _checked_fill_ratios(
            self.image,
            self.homography,
            centers,
            radii,
            paper_level=self.paper_level,
            ink_level=self.ink_level,
            threshold=threshold,
            ramp=ramp,
        )

    def grey(self, darkness: float) -> float:
        """The grey level at ``darkness`` on this sheet's paper-to-black scale."""
        return float(self.paper_level - darkness * (self.paper_level - self.ink_level))

    def mode(self, bubbles: npt.NDArray[np.intp], *, dark: bool = False) -> tuple[float, float]:
        """Median darkness and spread of the centre squares of (up to ``SAMPLE_BUBBLES``) bubbles.

        NaN when no bubble is given. The spread is measured on the side of the
        mode away from the other mode: paper's lighter side (the dropout glyph
        is darker), ink's darker side (``dark``: a mark's edges are lighter).
        """
        if bubbles.size == 0:
            return math.nan, math.nan
        picked = bubbles[_sample_positions(bubbles.size)]
        h = self.homography.tolist()
        n_cols = self.image.shape[1]
        starts: list[int] = []
        for x_mm, y_mm in self.centers_mm[picked].tolist():
            # Plain floats: a dozen points cost less than the array calls around them.
            w = h[2][0] * x_mm + h[2][1] * y_mm + h[2][2]
            col = int((h[0][0] * x_mm + h[0][1] * y_mm + h[0][2]) / w)
            row = int((h[1][0] * x_mm + h[1][1] * y_mm + h[1][2]) / w)
            starts.append(row * n_cols + col)
        px_per_mm = math.sqrt(abs(h[0][0] * h[1][1] - h[0][1] * h[1][0]))
        inner_mm = float(self.radii_mm[picked].min()) - OUTLINE_STROKE_MM / 2
        half = max(int(SAMPLE_HALF_SHARE * inner_mm * px_per_mm), 1)
        # The square's first and last offsets reach farthest either way.
        reach = half * n_cols + half
        if min(starts) - reach < 0 or max(starts) + reach >= self.image.size:
            return math.nan, math.nan
        square = _square_offsets(half, n_cols)
        flat = (np.array(starts, dtype=np.int64)[:, None] + square[None, :]).ravel()
        grey = np.take(self.image.ravel(), flat).astype(np.float64)
        darkness = (self.paper_level - grey) / (self.paper_level - self.ink_level)
        side = 1.0 - _LOW_QUANTILE if dark else _LOW_QUANTILE
        median, tail = quantiles(darkness, (0.5, side))
        spread = abs(tail - median)
        return median, max(spread, _MIN_SPREAD)


@lru_cache(maxsize=_CACHED_SHAPES)
def _sample_positions(n_bubbles: int) -> npt.NDArray[np.intp]:
    """Positions of up to ``SAMPLE_BUBBLES`` bubbles spread evenly among ``n_bubbles``.

    Cached: a batch of one layout asks for the same few counts sheet after sheet.
    """
    count = min(n_bubbles, SAMPLE_BUBBLES)
    positions = np.linspace(0, n_bubbles - 1, count).astype(np.intp)
    positions.flags.writeable = False
    return positions


@lru_cache(maxsize=_CACHED_SHAPES)
def _square_offsets(half: int, n_cols: int) -> npt.NDArray[np.int64]:
    """Flat offsets, row by row, of a square's pixels reaching ``half`` px around its centre."""
    offsets = np.arange(-half, half + 1, dtype=np.int64)
    square = (offsets[:, None] * n_cols + offsets[None, :]).ravel()
    square.flags.writeable = False
    return square


def _assign(
    sheet: _Sheet,
    cand: npt.NDArray[np.intp],
    share: npt.NDArray[np.float64],
    clusters: list[float],
) -> npt.NDArray[np.intp]:
    """Cluster of each candidate: the lightest, or the darker where its ink has dark cores.

    A bubble's mean level cannot tell a thin dark stroke (blur spreads it
    lighter) from a light fill; the share of its ink darker than the middle
    of the two levels can, since light ink never reaches it. A speck or an
    erasure has no level of its own: the lightest cluster's threshold (the
    lowest, never below the floor) measures it.
    """
    nearest = np.zeros(cand.size, dtype=np.intp)
    if len(clusters) < 2 or cand.size == 0:
        return nearest
    core = sheet.fills(cand, 0.5 * (clusters[0] + clusters[1]), MIN_RAMP)
    nearest[(share >= LEVEL_SHARE) & (core >= DARK_CORE_SHARE * share)] = 1
    return nearest


def _clusters(levels: npt.NDArray[np.float64]) -> list[float]:
    """Ink level of one cluster, or of two (light first) split at the largest gap."""
    if levels.size < MIN_CLUSTER_BUBBLES:
        return []
    ordered = np.sort(levels)
    gaps = np.diff(ordered)
    cut = int(np.argmax(gaps)) + 1 if gaps.size else 0
    values = ordered.tolist()
    if (
        gaps.size
        and gaps[cut - 1] > CLUSTER_GAP
        and MIN_CLUSTER_BUBBLES <= cut <= ordered.size - MIN_CLUSTER_BUBBLES
    ):
        return [sorted_median(values[:cut]), sorted_median(values[cut:])]
    return [sorted_median(values)]
