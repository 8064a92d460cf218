"""Print-scan degradation that keeps the exact geometry.

A filled page (grey, page pixels) is placed on a scanner bed with a random
rotation, scale, tilt (perspective), shift and possibly turned by 180°, then
blurred, levelled to off-white paper and grey-black ink, unevenly lit, given
sensor noise and JPEG compression. The page-to-image homography of every scan
is returned, so the registration the reader fits can be checked against it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from omrkit.errors import SynthError
from omrkit.registration.homography import apply_homography
from omrkit.synth.profiles import DegradationProfile

__all__ = ["DegradedScan", "ScanGeometry", "cover_mark", "degrade_page", "sample_geometry"]

#: Registration marks stay at least this far inside the scanned image, in mm.
MARK_CLEARANCE_MM = 1.0
#: Cell of the coarse grid the illumination ramp is computed on, in pixels.
_ILLUMINATION_CELL_PX = 64
#: Seeds handed to OpenCV's generator stay below this (it takes a C int).
_CV_SEED_LIMIT = 2**31 - 1
#: Pixel index (OpenCV) to continuous pixel coordinates: centres sit at +0.5.
#: A thumb over a mark: semi-axes (mm), grey (skin under a scanner's lamp),
#: and how far its centre may sit from the mark's (mm).
_THUMB_AXES_MM = ((7.0, 10.0), (5.0, 7.0))
_THUMB_GREY = (90.0, 170.0)
_COVER_OFFSET_MM = 2.0
#: A staple across a mark: length and width (mm), grey of the metal.
_STAPLE_MM = ((10.0, 14.0), (0.8, 1.2))
_STAPLE_GREY = (30.0, 90.0)
#: Share of covered marks covered by a staple rather than a thumb.
_STAPLE_SHARE = 0.3
#: Corners per registration mark in ``keep_inside_px``.
_MARK_CORNERS = 4
_INDEX_TO_CONTINUOUS = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.0, 0.0, 1.0]])


@dataclass(frozen=True, slots=True)
class ScanGeometry:
    """Where the page lands in the scanned image.

    Attributes
    ----------
    page_to_image : (3, 3) ndarray of float64
        Homography from continuous page pixels to continuous image pixels.
    width, height : int
        Size of the scanned image in pixels.
    upside_down : bool
        The page was fed turned by 180°.
    """

    page_to_image: npt.NDArray[np.float64]
    width: int
    height: int
    upside_down: bool


@dataclass(frozen=True, slots=True)
class DegradedScan:
    """A scanned page and how it was made.

    Attributes
    ----------
    image : (H, W) ndarray of uint8
        The scan, 0 black.
    geometry : ScanGeometry
    jpeg : bytes or None
        The JPEG file the scanner wrote, when it wrote one; ``image`` is its
        decoded pixels.
    jpeg_quality : int or None
    """

    image: npt.NDArray[np.uint8]
    geometry: ScanGeometry
    jpeg: bytes | None
    jpeg_quality: int | None


def sample_geometry(
    profile: DegradationProfile,
    *,
    rng: np.random.Generator,
    page_size_px: tuple[int, int],
    px_per_mm: float,
    keep_inside_px: npt.NDArray[np.float64],
) -> ScanGeometry:
    """Draw one placement of the page on the scanner bed.

    Parameters
    ----------
    profile : DegradationProfile
    rng : numpy.random.Generator
    page_size_px : (int, int)
        Width and height of the page image.
    px_per_mm : float
        Pixels per millimetre, of the page and of the scan alike.
    keep_inside_px : (K, 2) ndarray of float64
        Page points (x, y) that must land inside the image, at least
        ``MARK_CLEARANCE_MM`` from its edge: the registration marks' corners.

    Returns
    -------
    ScanGeometry

    Raises
    ------
    SynthError
        If the profile's skew, scale and tilt push a kept point off the image
        whatever the shift: the bed margin is too small.

    Notes
    -----
    Rotation and scale turn the page about its centre, which sits at the
    bed's centre; the tilt moves each transformed page corner by up to
    ``perspective_mm``. The shift is drawn last and clamped into the range
    that keeps every registration mark on the image, so no sheet is lost to
    an unlucky draw. A profile whose ``marks_may_clip`` is set (a feeder as
    wide as the page) keeps the drawn shift: marks may then be cut by the edge.
    """
    page_w, page_h = page_size_px
    margin = profile.margin_mm * px_per_mm
    width, height = round(page_w + 2 * margin), round(page_h + 2 * margin)
    upside_down = bool(rng.uniform() < profile.upside_down_prob)
    angle = math.radians(rng.uniform(-profile.rotation_deg, profile.rotation_deg))
    scale = 1.0 + rng.uniform(-profile.scale_pct, profile.scale_pct) / 100.0
    turn = math.pi if upside_down else 0.0
    c, s = scale * math.cos(angle + turn), scale * math.sin(angle + turn)
    to_centre = _translation(-page_w / 2, -page_h / 2)
    affine = _translation(width / 2, height / 2) @ np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])
    affine = affine @ to_centre
    corners = np.array([[0, 0], [page_w, 0], [page_w, page_h], [0, page_h]], dtype=np.float64)
    placed = apply_homography(affine, corners)
    reach = profile.perspective_mm * px_per_mm * np.sqrt(rng.uniform(0, 1, 4))
    heading = rng.uniform(0, 2 * math.pi, 4)
    tilted = placed + np.column_stack([reach * np.cos(heading), reach * np.sin(heading)])
    tilt = cv2.getPerspectiveTransform(placed.astype(np.float32), tilted.astype(np.float32))
    matrix = np.asarray(tilt, dtype=np.float64) @ affine
    shift = _clamped_shift(profile, rng, matrix, keep_inside_px, (width, height), px_per_mm)
    return ScanGeometry(_translation(*shift) @ matrix, width, height, upside_down)


def _clamped_shift(
    profile: DegradationProfile,
    rng: np.random.Generator,
    matrix: npt.NDArray[np.float64],
    keep_px: npt.NDArray[np.float64],
    size: tuple[int, int],
    px_per_mm: float,
) -> tuple[float, float]:
    landed = apply_homography(matrix, keep_px)
    clear = MARK_CLEARANCE_MM * px_per_mm
    shift = []
    for axis in (0, 1):
        lo = clear - float(landed[:, axis].min())
        hi = size[axis] - clear - float(landed[:, axis].max())
        wanted = rng.uniform(-profile.translation_mm, profile.translation_mm) * px_per_mm
        if profile.marks_may_clip:
            shift.append(wanted)
            continue
        if lo > hi:
            raise SynthError(
                f"profile {profile.name!r}: skew, scale and tilt push registration marks off "
                f"the image; increase margin_mm (now {profile.margin_mm})",
                field="margin_mm",
            )
        shift.append(min(max(wanted, lo), hi))
    return shift[0], shift[1]


def degrade_page(
    page: npt.NDArray[np.float32],
    *,
    profile: DegradationProfile,
    rng: np.random.Generator,
    px_per_mm: float,
    keep_inside_px: npt.NDArray[np.float64],
) -> DegradedScan:
    """Scan a page: place it on the bed, blur, level, light, add noise, compress.

    Parameters
    ----------
    page : (H, W) ndarray of float32
        The printed and filled page, 0 black .. 255 white paper.
    profile : DegradationProfile
    rng : numpy.random.Generator
    px_per_mm : float
        Pixels per millimetre of the page; the scan has the same resolution.
    keep_inside_px : (K, 2) ndarray of float64
        Page points that must stay on the image (see :func:`sample_geometry`).

    Returns
    -------
    DegradedScan
    """
    if page.ndim != 2 or page.dtype != np.float32:
        raise SynthError(
            f"page must be a 2-D float32 array, got {page.dtype} {page.shape}", field="page"
        )
    height, width = page.shape
    if profile.cover_mark_prob > 0 and rng.uniform() < profile.cover_mark_prob:
        page = page.copy()
        cover_mark(page, keep_inside_px, px_per_mm=px_per_mm, rng=rng)
    if profile.moves_page:
        geometry = sample_geometry(
            profile,
            rng=rng,
            page_size_px=(width, height),
            px_per_mm=px_per_mm,
            keep_inside_px=keep_inside_px,
        )
    else:
        geometry = ScanGeometry(np.eye(3), width, height, upside_down=False)
    paper = rng.uniform(*profile.paper_level)
    black = rng.uniform(*profile.black_level)
    # The bed beyond the page, in page units: after levelling it reads lid_level.
    lid = 255.0 * (profile.lid_level - black) / max(paper - black, 1.0)
    # Geometry and blur run on 8 bits, three times faster than on floats; the
    # page is 0..255 by construction, so narrowing only rounds.
    placed = _warp(_narrow(page), geometry, lid)
    sigma_px = rng.uniform(*profile.blur_sigma_mm) * px_per_mm
    if sigma_px > 0:
        cv2.GaussianBlur(placed, (0, 0), sigma_px, dst=placed)
    scan = placed.astype(np.float32)
    scan *= np.float32((paper - black) / 255.0)
    scan += np.float32(black)
    if profile.illumination > 0:
        scan *= _illumination(scan.shape, profile.illumination, rng)
    noise = rng.uniform(*profile.noise_sigma)
    if noise > 0:
        scan += _sensor_noise(scan.shape, noise, int(rng.integers(1, _CV_SEED_LIMIT)))
    np.clip(scan, 0.0, 255.0, out=scan)
    image = _narrow(scan)
    if rng.uniform() < profile.jpeg_prob:
        quality = int(rng.integers(profile.jpeg_quality[0], profile.jpeg_quality[1] + 1))
        data, image = _jpeg_round_trip(image, quality)
        return DegradedScan(image, geometry, data, quality)
    return DegradedScan(image, geometry, None, None)


def cover_mark(
    page: npt.NDArray[np.float32],
    mark_corners_px: npt.NDArray[np.float64],
    *,
    px_per_mm: float,
    rng: np.random.Generator,
) -> int:
    """Cover one registration mark, in place, by a thumb or a staple; its index.

    Parameters
    ----------
    page : (H, W) ndarray of float32
        The page, 0 black .. 255 paper; drawn on in place.
    mark_corners_px : (4 M, 2) ndarray of float64
        Corners of every mark in page pixels, four per mark in layout order.
    px_per_mm : float
    rng : numpy.random.Generator

    Returns
    -------
    int
        Index of the covered mark.
    """
    centres = mark_corners_px.reshape(-1, _MARK_CORNERS, 2).mean(axis=1)
    index = int(rng.integers(0, len(centres)))
    offset = rng.uniform(-_COVER_OFFSET_MM, _COVER_OFFSET_MM, 2) * px_per_mm
    cx, cy = (centres[index] + offset).tolist()
    angle = float(rng.uniform(0.0, 180.0))
    if rng.uniform() < _STAPLE_SHARE:
        length, thick = (rng.uniform(*span) * px_per_mm for span in _STAPLE_MM)
        box = cv2.boxPoints(((cx, cy), (length, thick), angle))
        cv2.fillConvexPoly(page, np.round(box).astype(np.int32), float(rng.uniform(*_STAPLE_GREY)))
        return index
    axes = tuple(round(rng.uniform(*span) * px_per_mm) for span in _THUMB_AXES_MM)
    grey = float(rng.uniform(*_THUMB_GREY))
    cv2.ellipse(page, (round(cx), round(cy)), axes, angle, 0, 360, grey, -1, cv2.LINE_AA)
    return index


def _warp(page: npt.NDArray[np.uint8], geometry: ScanGeometry, lid: float) -> npt.NDArray[np.uint8]:
    if (
        geometry.width == page.shape[1]
        and geometry.height == page.shape[0]
        and np.array_equal(geometry.page_to_image, np.eye(3))
    ):
        return page
    # OpenCV maps pixel indices; our homographies map continuous coordinates.
    to_index = np.linalg.inv(_INDEX_TO_CONTINUOUS) @ geometry.page_to_image @ _INDEX_TO_CONTINUOUS
    warped = cv2.warpPerspective(
        page,
        to_index,
        (geometry.width, geometry.height),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=min(max(round(lid), 0), 255),
    )
    return np.asarray(warped, dtype=np.uint8)


def _illumination(
    shape: tuple[int, ...], strength: float, rng: np.random.Generator
) -> npt.NDArray[np.float32]:
    """Light falling off linearly in a random direction: 1 at the bright edge.

    The ramp is computed on a coarse grid and interpolated up, which is exact
    for a linear ramp away from the outermost half cell and costs one pass.
    """
    heading = rng.uniform(0, 2 * math.pi)
    rows, cols = (max(2, n // _ILLUMINATION_CELL_PX) for n in shape[:2])
    ys = np.linspace(0.0, 1.0, rows, dtype=np.float32) * np.float32(math.sin(heading))
    xs = np.linspace(0.0, 1.0, cols, dtype=np.float32) * np.float32(math.cos(heading))
    ramp: npt.NDArray[np.float32] = np.add.outer(ys, xs)
    ramp -= ramp.min()
    ramp *= np.float32(-rng.uniform(0, strength) / max(float(ramp.max()), 1e-6))
    ramp += np.float32(1.0)
    full = cv2.resize(ramp, (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR)
    return np.asarray(full, dtype=np.float32)


def _sensor_noise(shape: tuple[int, ...], sigma: float, seed: int) -> npt.NDArray[np.float32]:
    """Gaussian noise from OpenCV's generator, seeded for this call.

    Notes
    -----
    OpenCV draws normals about four times faster than numpy, and a scan has
    millions of pixels. Its default generator is per thread, so seeding it
    right before the draw is deterministic under a thread pool.
    """
    noise = np.empty(shape, dtype=np.float32)
    cv2.setRNGSeed(seed)
    cv2.randn(noise, np.zeros(1), np.full(1, sigma))
    return noise


def _narrow(values: npt.NDArray[np.float32]) -> npt.NDArray[np.uint8]:
    """Round non-negative grey values to 8 bits, saturating at 255."""
    # On non-negative input the absolute value is a no-op: this rounds and narrows.
    return np.asarray(cv2.convertScaleAbs(values), dtype=np.uint8)


def _jpeg_round_trip(
    image: npt.NDArray[np.uint8], quality: int
) -> tuple[bytes, npt.NDArray[np.uint8]]:
    ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise SynthError(f"JPEG encoding failed at quality {quality}", field="jpeg_quality")
    data = buffer.tobytes()
    decoded = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    return data, np.asarray(decoded, dtype=np.uint8)


def _translation(dx: float, dy: float) -> npt.NDArray[np.float64]:
    return np.array([[1.0, 0.0, dx], [0.0, 1.0, dy], [0.0, 0.0, 1.0]])
