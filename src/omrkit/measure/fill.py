"""Fill ratios: the share of each bubble's inner disc that is inked.

:func:`fill_ratios` is the public face of the compiled kernels in
:mod:`omrkit._kernels`: it checks and prepares its arguments, allocates the
output and calls the driver, which releases the GIL (threads over sheets run
in parallel).

Argument errors are programming errors and raise ``TypeError`` (wrong type
or dtype) or ``ValueError`` (wrong shape, layout or value) naming the
parameter, as numpy does; :class:`~omrkit.errors.OmrError` is kept for what
the data itself gets wrong.

Notes
-----
*Where ink starts.* A pixel's darkness is its share of the way from the
sheet's paper level to its ink level, ``(paper - grey) / (paper - ink)``,
where ``ink_level`` is the solid black of the printed registration marks
(what registration measures). Pixels darker than ``threshold + ramp`` are
ink, lighter than ``threshold - ramp`` are not, and in between they earn
linear partial credit.

The threshold is not a fixed grey level: it moves with the sheet's own
levels, so a darker scanner or a grey paper does not move it. It sits
*midway between paper and the pen's ink*: a ballpoint or gel pen seen in
grey removes 0.86-0.95 of the paper-to-black range, so its midpoint is at
0.43-0.48, and a symmetric blur then moves a pen mark's edges but not its
area. Graphite is lighter (0.64-0.76) and its own midpoint lower, so pencil
fills read slightly small; the answer sheets, where the 50 % rule decides
appeals, are filled in pen, and pencil forms are filled solidly. Measured on
exact-geometry bubbles (150-300 dpi, blur up to 1.5 px, noise, levels paper
200-250 / ink 10-90, ink spilling over the outline as real fills do), with
thresholds 0.40 / 0.45 / 0.50 the pen's mean error is +0.6 % / +0.1 % /
-0.3 % and graphite's -0.4 % / -1.0 % / -1.8 %; at 0.45 the worst pen error
was 1.0 % and the worst graphite error 4.1 %.

The ramp's half-width 0.10 is the widest that keeps the printed dropout
colour (``#ffa0a0`` reads as grey 188, darkness 0.26) below the ramp's foot
(0.35) with a margin of two noise deviations of a worn scanner, and the head
(0.55) at the lightest graphite pixel (0.64 minus a texture of 0.10). It
credits pixels straddling an ink edge by their share of ink, which a hard
threshold rounds to 0 or 1: for a pen chord along the pixel grid of a sharp
150 dpi scan, the ratio then moves in steps of 2.2 % instead of 4.6 % as the
chord slides, and with 1 px of blur in steps of 0.7 % instead of 4.6 %.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from omrkit._kernels import _fill_ratios_sheet
from omrkit.layout.models import OUTLINE_STROKE_MM

__all__ = ["INK_RAMP", "INK_THRESHOLD", "MIN_LEVEL_CONTRAST", "fill_ratios"]

#: Darkness, as a share of the paper-to-black range, at which a pixel earns
#: half credit: midway between paper and a pen's ink (see the module notes).
INK_THRESHOLD = 0.45
#: Half-width of the linear credit ramp around :data:`INK_THRESHOLD`.
INK_RAMP = 0.10
#: Paper and ink levels closer than this (grey levels) cannot tell ink from
#: paper: the floor of the arithmetic, for levels a caller passes. Registration
#: flags a sheet long before, at :data:`omrkit.registration.codes.MIN_LEVEL_CONTRAST`.
MIN_LEVEL_CONTRAST = 16.0
#: Grey levels of an 8-bit scan.
_MAX_GREY = 255.0


def fill_ratios(
    image: npt.NDArray[np.uint8],
    homography: npt.ArrayLike,
    centers_mm: npt.ArrayLike,
    radii_mm: npt.ArrayLike,
    *,
    paper_level: float,
    ink_level: float,
    threshold: float = INK_THRESHOLD,
    ramp: float = INK_RAMP,
    out: npt.NDArray[np.float64] | None = None,
) -> npt.NDArray[np.float64]:
    """Share of each bubble's inner disc that is inked, for one sheet.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
        The grey scan, C-contiguous; 0 is black ink, 255 white paper.
    homography : (3, 3) array_like of float
        Maps layout millimetres ``(x, y, 1)`` to continuous image pixels.
    centers_mm : (N, 2) array_like of float
        Bubble centres, x then y, in layout millimetres.
    radii_mm : (N,) array_like of float
        Printed bubble radii in millimetres; each must exceed half the printed
        outline (``OUTLINE_STROKE_MM / 2``), which is print, not ink.
    paper_level, ink_level : float
        Grey levels of the sheet's blank paper and of its printed solid black,
        0..255, paper at least ``MIN_LEVEL_CONTRAST`` lighter.
    threshold : float
        Darkness (share of the paper-to-ink range) of half credit.
    ramp : float
        Half-width of the linear credit ramp; ``0 < threshold - ramp`` and
        ``threshold + ramp < 1``.
    out : (N,) ndarray of float64, optional
        Where to write the result (C-contiguous, writeable); allocated if None.

    Returns
    -------
    (N,) ndarray of float64
        Fill ratio of each bubble, 0..1; NaN for a bubble whose disc is not
        wholly inside the image or maps through a degenerate transform.

    Raises
    ------
    TypeError
        If ``image`` is not a uint8 ndarray or ``out`` not a float64 ndarray.
    ValueError
        On a wrong shape, a non-contiguous or read-only array, a non-finite
        number, a radius inside the outline, or impossible levels.

    Notes
    -----
    Each disc is projected through the homography's local Jacobian (so
    perspective, skew and unequal scales are followed), rim pixels weigh by
    their covered share, and pixels earn ink credit on a ramp relative to the
    sheet's own levels: see :mod:`omrkit._kernels` and the notes of this
    module for the reasons and the measured accuracy.

    Examples
    --------
    >>> image = np.full((100, 100), 240, dtype=np.uint8)
    >>> image[:, :50] = 20  # the left half of the page is inked
    >>> scale = np.diag([10.0, 10.0, 1.0])  # 10 px per mm
    >>> ratios = fill_ratios(image, scale, [[5.0, 5.0], [8.0, 5.0]], [2.0, 1.5],
    ...                      paper_level=240, ink_level=20)
    >>> np.round(ratios, 3).tolist()
    [0.5, 0.0]
    """
    grey, matrix, centers, radii = _checked_sheet(image, homography, centers_mm, radii_mm)
    return _checked_fill_ratios(
        grey,
        matrix,
        centers,
        radii,
        paper_level=paper_level,
        ink_level=ink_level,
        threshold=threshold,
        ramp=ramp,
        out=out,
    )


def _checked_sheet(
    image: npt.NDArray[np.uint8],
    homography: npt.ArrayLike,
    centers_mm: npt.ArrayLike,
    radii_mm: npt.ArrayLike,
) -> tuple[
    npt.NDArray[np.uint8],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
]:
    """The array arguments of :func:`fill_ratios`, checked and cast (the kernel's types).

    A caller measuring one sheet in several passes checks its arrays once
    here and passes them, or any rows of them, to :func:`_checked_fill_ratios`.
    """
    grey = _checked_image(image)
    matrix = _checked_floats(homography, "homography", (3, 3))
    centers = _checked_floats(centers_mm, "centers_mm", (-1, 2))
    radii = _checked_floats(radii_mm, "radii_mm", (centers.shape[0],))
    inset_mm = OUTLINE_STROKE_MM / 2
    if radii.size and not np.all(radii > inset_mm):
        bad = int(np.argmax(~(radii > inset_mm)))
        raise ValueError(
            f"radii_mm[{bad}] = {radii[bad]} mm does not exceed half the printed outline"
            f" ({inset_mm:.4f} mm)"
        )
    return grey, matrix, centers, radii


def _checked_fill_ratios(
    image: npt.NDArray[np.uint8],
    homography: npt.NDArray[np.float64],
    centers_mm: npt.NDArray[np.float64],
    radii_mm: npt.NDArray[np.float64],
    *,
    paper_level: float,
    ink_level: float,
    threshold: float,
    ramp: float,
    out: npt.NDArray[np.float64] | None = None,
) -> npt.NDArray[np.float64]:
    """:func:`fill_ratios` of arrays :func:`_checked_sheet` returned (or rows of them).

    The levels, threshold and ramp are still checked: they change from pass
    to pass, and the checks cost little next to those of the arrays.
    """
    offset, slope = _credit_line(paper_level, ink_level, threshold, ramp)
    result = _checked_out(out, centers_mm.shape[0])
    inset_mm = OUTLINE_STROKE_MM / 2
    _fill_ratios_sheet(image, homography, centers_mm, radii_mm, inset_mm, offset, slope, result)
    return result


def _credit_line(
    paper_level: float, ink_level: float, threshold: float, ramp: float
) -> tuple[float, float]:
    """``(offset, slope)`` such that grey ``g`` earns ``clip(offset - slope * g, 0, 1)``."""
    for name, value in (("paper_level", paper_level), ("ink_level", ink_level)):
        if not (math.isfinite(value) and 0.0 <= value <= _MAX_GREY):
            raise ValueError(f"{name} must be a grey level in 0..255, got {value!r}")
    contrast = paper_level - ink_level
    if not contrast >= MIN_LEVEL_CONTRAST:
        raise ValueError(
            f"paper_level {paper_level} must exceed ink_level {ink_level} by at least"
            f" {MIN_LEVEL_CONTRAST} grey levels"
        )
    if not (math.isfinite(ramp) and ramp > 0.0):
        raise ValueError(f"ramp must be positive, got {ramp!r}")
    if not (math.isfinite(threshold) and threshold - ramp > 0.0 and threshold + ramp < 1.0):
        raise ValueError(f"threshold {threshold!r} +- ramp {ramp!r} must lie strictly inside 0..1")
    slope = 1.0 / (2.0 * ramp * contrast)
    foot_level = paper_level - (threshold - ramp) * contrast
    return foot_level * slope, slope


def _checked_image(image: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    if not isinstance(image, np.ndarray):
        raise TypeError(f"image must be a numpy array, got {type(image).__name__}")
    if image.dtype != np.uint8:
        raise TypeError(f"image must have dtype uint8 (grey 0..255), got {image.dtype}")
    if image.ndim != 2:
        raise ValueError(f"image must be 2-D (H, W) grey, got shape {image.shape}")
    if not image.flags.c_contiguous:
        raise ValueError("image must be C-contiguous; pass np.ascontiguousarray(image)")
    return image


def _checked_floats(
    value: npt.ArrayLike, name: str, shape: tuple[int, ...]
) -> npt.NDArray[np.float64]:
    """``value`` as a C-contiguous float64 array of ``shape`` (-1: any length), all finite."""
    try:
        array = np.ascontiguousarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of numbers: {exc}") from exc
    if array.ndim != len(shape) or any(
        want not in (-1, got) for want, got in zip(shape, array.shape, strict=False)
    ):
        wanted = ", ".join("N" if want == -1 else str(want) for want in shape)
        raise ValueError(f"{name} must have shape ({wanted}), got {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got NaN or infinity")
    return array


def _checked_out(out: npt.NDArray[np.float64] | None, n: int) -> npt.NDArray[np.float64]:
    if out is None:
        return np.empty(n, dtype=np.float64)
    if not isinstance(out, np.ndarray) or out.dtype != np.float64:
        raise TypeError("out must be a float64 ndarray")
    if out.shape != (n,):
        raise ValueError(f"out must have shape ({n},), got {out.shape}")
    if not (out.flags.c_contiguous and out.flags.writeable):
        raise ValueError("out must be C-contiguous and writeable")
    return out
