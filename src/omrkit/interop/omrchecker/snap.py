"""Settling each field block on its printed bubbles.

A template places its blocks through one transform, but a real sheet is not
a rigid plane: a curled or folded page, a photocopy stretched a little, a
scan cropped to another aspect than the template's, or a page corner found a
few pixels off all leave some blocks where their bubbles are not. OMRChecker
users fix this by hand, shifting blocks in the template. Here each block is
shifted by the amount, within ``MAX_SHIFT_SHARE`` of its bubble pitch, that
best seats it on the sheet: with every bubble's box inside its printed
outline, and every mark inside its bubble.

Notes
-----
The score of a shift is, summed over the block's slots, the darkest bubble's
mean darkness less the slot's mean: a mark sitting in its bubble raises the
first, an outline cut by a misplaced box raises the second. Shifts are
searched on a grid of whole pixels; the search stays within less than half a
pitch, so a block can never slide onto its neighbouring bubbles. A block
whose best shift lies on the edge of that range is searched once more from
the median shift of the blocks that did settle (a sheet scanned off its place
moves all blocks alike); if it still does not settle it is reported, and the
sheet is flagged for a person. Code blocks (digit grids) may also stretch.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from omrkit.interop.omrchecker.template import OmrCheckerLayout
from omrkit.layout.models import FieldKind
from omrkit.registration.homography import apply_homography

__all__ = ["CODE_STRETCHES", "MAX_SHIFT_SHARE", "STRETCHES", "BlockShifts", "snap_blocks"]

#: Largest shift searched, as a share of the block's bubble pitch.
MAX_SHIFT_SHARE = 0.6
#: Side of the box measured per bubble, as a share of the bubble's radius
#: (the inscribed square is 1.41; smaller keeps clear of the outline).
_BOX_SHARE = 1.2
#: Fewest pixels of search each way: below this, nothing to settle.
_MIN_SEARCH_PX = 2
#: Stretches of each block axis tried once its shift is found. Only 1.0 for
#: answer blocks: trying 0.96-1.04 there moved two answer blocks of the corpus
#: onto neighbouring marks.
STRETCHES = np.array([1.0])
#: Stretches tried for code blocks (digit grids, one mark per column): a
#: template's gaps drift across their ten rows and columns, which a shift
#: alone cannot seat (a booklet number of the corpus read a blank first digit).
CODE_STRETCHES = np.array([0.96, 0.98, 1.0, 1.02, 1.04])
#: Pixels of shift tried each way together with each stretch.
_FINE_PX = 2

BlockShifts = dict[str, tuple[float, float]]


def snap_blocks(
    image: npt.NDArray[np.uint8],
    homography: npt.NDArray[np.float64],
    layout: OmrCheckerLayout,
    *,
    paper: float,
    ink: float,
) -> tuple[npt.NDArray[np.float64], BlockShifts, list[str]]:
    """Bubble centres settled on the print, per block.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
    homography : (3, 3) ndarray of float64
        Layout mm -> image px.
    layout : OmrCheckerLayout
    paper, ink : float
        Grey levels of paper and darkest print.

    Returns
    -------
    centers_mm : (N, 2) ndarray of float64
        The layout's bubble centres, each block moved by its shift.
    shifts_px : dict of str to (float, float)
        Each block's shift in image pixels.
    unsettled : list of str
        Blocks whose best shift lay at the edge of the search (left unshifted).
    """
    arrays = layout.bubbles
    centers_px = apply_homography(homography, np.asarray(arrays.centers_mm, dtype=np.float64))
    blocks, names = layout.bubble_blocks
    scale = _scale(homography, arrays.centers_mm.mean(axis=0))
    slot_of_bubble = np.repeat(np.arange(arrays.n_slots), np.diff(arrays.slot_offsets))
    code_slot = np.repeat(
        np.array([f.kind is FieldKind.CODE for f in layout.fields]), np.diff(arrays.field_offsets)
    )
    out_px = centers_px.copy()
    shifts: BlockShifts = {}
    unsettled: list[str] = []

    def settle(name: str, offset_px: npt.NDArray[np.float64]) -> bool:
        """Seat block ``name`` searching around its centres moved by ``offset_px``."""
        members = np.flatnonzero(blocks == names.index(name))
        half = max(1, int(_BOX_SHARE * float(arrays.radii_mm[members].min()) * scale / 2))
        slots = slot_of_bubble[members]
        stretches = CODE_STRETCHES if code_slot[slots].all() else STRETCHES
        start = centers_px[members] + offset_px
        settled = _best_shift(image, start, slots, reaches[name], half, paper, ink, stretches)
        if settled is None:
            return False
        moved = settled - centers_px[members]
        shifts[name] = (float(moved[:, 0].mean()), float(moved[:, 1].mean()))
        out_px[members] = settled
        return True

    reaches = {name: int(MAX_SHIFT_SHARE * layout.block_pitch_mm[name] * scale) for name in names}
    for b, name in enumerate(names):
        if not np.any(blocks == b) or reaches[name] < _MIN_SEARCH_PX:
            continue
        if not settle(name, np.zeros(2)):
            unsettled.append(name)
    if shifts and unsettled:
        # A sheet placed off as a whole moves every block alike: a block whose
        # search ran out is searched again from where the others moved.
        common = np.median(np.array(list(shifts.values())), axis=0)
        unsettled = [name for name in unsettled if not settle(name, common)]
    inverse = np.asarray(np.linalg.inv(homography), dtype=np.float64)
    return apply_homography(inverse, out_px), shifts, unsettled


def _best_shift(
    image: npt.NDArray[np.uint8],
    centers_px: npt.NDArray[np.float64],
    slots: npt.NDArray[np.int64],
    reach: int,
    half: int,
    paper: float,
    ink: float,
    stretches: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64] | None:
    """Centres moved by the shift and stretch of best score, or None at the search's edge.

    First the whole-pixel shift alone; then, around it, a stretch of each
    axis about the block's centre (one of ``stretches``) with a shift of a
    few pixels.
    """
    stretch_px = int(np.ceil(np.abs(stretches - 1).max() * np.ptp(centers_px, axis=0).max() / 2))
    margin = reach + half + stretch_px + 2
    x0 = int(np.floor(centers_px[:, 0].min())) - margin
    y0 = int(np.floor(centers_px[:, 1].min())) - margin
    x1 = int(np.ceil(centers_px[:, 0].max())) + margin + 1
    y1 = int(np.ceil(centers_px[:, 1].max())) + margin + 1
    if x0 < 0 or y0 < 0 or x1 > image.shape[1] or y1 > image.shape[0]:
        return None
    crop = image[y0:y1, x0:x1].astype(np.float64)
    darkness = np.clip((paper - crop) / (paper - ink), 0.0, 1.0)
    integral = np.zeros((darkness.shape[0] + 1, darkness.shape[1] + 1))
    integral[1:, 1:] = darkness.cumsum(axis=0).cumsum(axis=1)
    local = centers_px - [x0, y0]
    _, slot_index = np.unique(slots, return_inverse=True)
    offsets = np.arange(-reach, reach + 1, dtype=np.float64)
    dx, dy = (a.ravel() for a in np.meshgrid(offsets, offsets))
    shifted = local[None, :, :] + np.stack([dx, dy], axis=1)[:, None, :]
    best = int(np.argmax(_score(integral, shifted, slot_index, half)))
    if abs(dx[best]) == reach or abs(dy[best]) == reach:
        return None
    centre = local.mean(axis=0)
    fine = np.arange(-_FINE_PX, _FINE_PX + 1, dtype=np.float64)
    grid = np.array(np.meshgrid(stretches, stretches, fine, fine)).reshape(4, -1).T
    moved = (local - centre)[None, :, :] * grid[:, None, :2] + centre
    moved += np.array([dx[best], dy[best]]) + grid[:, None, 2:]
    choice = int(np.argmax(_score(integral, moved, slot_index, half)))
    out: npt.NDArray[np.float64] = moved[choice] + np.array([x0, y0], dtype=np.float64)
    return out


def _score(
    integral: npt.NDArray[np.float64],
    centers: npt.NDArray[np.float64],
    slot_index: npt.NDArray[np.int64],
    half: int,
) -> npt.NDArray[np.float64]:
    """Score of each candidate placement, (K,), from centres (K, B, 2) in crop pixels."""
    cx = np.round(centers[..., 0]).astype(np.int64)
    cy = np.round(centers[..., 1]).astype(np.int64)
    left, top = cx - half, cy - half
    right, bottom = left + 2 * half + 1, top + 2 * half + 1
    box = (
        integral[bottom, right]
        - integral[top, right]
        - integral[bottom, left]
        + integral[top, left]
    ) / float((2 * half + 1) ** 2)
    # Per slot: darkest bubble less the slot's mean, summed over the block.
    n_slots = int(slot_index.max()) + 1
    counts = np.bincount(slot_index, minlength=n_slots).astype(np.float64)
    total = np.zeros(box.shape[0])
    for j in range(n_slots):
        column = box[:, slot_index == j]
        total += column.max(axis=1) - column.sum(axis=1) / counts[j]
    return total


def _scale(homography: npt.NDArray[np.float64], point_mm: npt.NDArray[np.float64]) -> float:
    """Image pixels per mm near ``point_mm``."""
    step = np.array([point_mm, point_mm + np.array([1.0, 0.0]), point_mm + np.array([0.0, 1.0])])
    mapped = apply_homography(homography, step)
    jac = np.column_stack([mapped[1] - mapped[0], mapped[2] - mapped[0]])
    return float(np.sqrt(abs(np.linalg.det(jac))))
