"""Where an OMRChecker sheet lies in an image: its pre-processors as registration steps.

OMRChecker shrinks the scan to its processing size, lets each pre-processor
warp the picture in turn (to the page's outline, to the four corner markers,
onto a reference image), then stretches the result to the template's page.
:func:`align` does the same detection on the same small picture but keeps
only the transforms: their product maps template pixels to pixels of the
full-resolution image, where the bubbles are then measured. The full image is
never warped.

Each step refuses what it cannot place (no page outline, a corner marker
that matches too weakly or unlike the others, too few features agreeing on
the reference) with a :class:`~omrkit.errors.RegistrationError` saying which
and why, rather than reading the sheet somewhere it is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from omrkit.errors import RegistrationError
from omrkit.interop.omrchecker.steps import (
    CropOnMarkers,
    CropPage,
    FeatureBasedAlignment,
    Levels,
)
from omrkit.interop.omrchecker.template import OmrCheckerLayout

__all__ = [
    "MIN_FEATURE_INLIERS",
    "MIN_PAGE_SHARE",
    "Alignment",
    "align",
    "apply_levels",
    "find_markers",
    "find_page",
]

#: The page's outline must enclose at least this share of the picture.
MIN_PAGE_SHARE = 0.15
#: Polygon simplification tolerances tried for the page outline, as shares
#: of its perimeter, until it has four corners.
_OUTLINE_TOLERANCES = (0.01, 0.02, 0.035, 0.05, 0.08)
#: Features that must agree with the reference transform (RANSAC inliers).
MIN_FEATURE_INLIERS = 12
#: RANSAC reprojection tolerance, processing pixels.
_RANSAC_PX = 3.0
#: OMRChecker splits the picture for its corner markers at a third of the height.
_MARKER_SPLIT_Y = 1 / 3
_GREY_MAX = 255.0
#: Smallest marker width (px) matched on the halved picture when choosing its scale.
_MIN_COARSE_MARKER_PX = 12
#: Bytes of one ORB descriptor.
_ORB_BYTES = 32


@dataclass(frozen=True, slots=True, eq=False)
class Alignment:
    """The transform found by a template's steps.

    Attributes
    ----------
    homography_px : (3, 3) ndarray of float64
        Maps template pixels ``(x, y, 1)`` to pixels of the full image.
    residual_px : float
        RMS disagreement of the points the last fitted step used, in full-image
        pixels (0 where four points fix the transform exactly).
    constraints : tuple of str
        What placed the sheet: ``"page-outline"``, ``"markers"``,
        ``"features:<inliers>"`` or ``"image-frame"`` (no step: the picture is the page).
    """

    homography_px: npt.NDArray[np.float64]
    residual_px: float
    constraints: tuple[str, ...]


def align(
    image: npt.NDArray[np.uint8], layout: OmrCheckerLayout, *, path: str | Path | None = None
) -> Alignment:
    """Carry out ``layout``'s steps on ``image``; the template-to-image transform.

    Parameters
    ----------
    image : (H, W) ndarray of uint8
        The grey scan or photo.
    layout : OmrCheckerLayout
    path : str or Path, optional
        Source named in errors.

    Raises
    ------
    RegistrationError
        If a step cannot place the sheet (see the module notes).
    """
    height, width = image.shape
    proc_w, proc_h = layout.processing_px
    frame = _u8(cv2.resize(image, (proc_w, proc_h), interpolation=cv2.INTER_AREA))
    # frame pixels -> full image pixels
    to_image = np.diag([width / proc_w, height / proc_h, 1.0])
    constraints: list[str] = []
    residual_frame_px = 0.0
    for step in layout.steps:
        if isinstance(step, Levels):
            frame = apply_levels(frame, step)
            continue
        if isinstance(step, CropPage):
            corners = find_page(frame, step, path=path)
            constraints.append("page-outline")
            new_to_old = _rect_to_quad(corners, (proc_w, proc_h))
        elif isinstance(step, CropOnMarkers):
            corners = find_markers(frame, step, proc_w, path=path)
            constraints.append("markers")
            new_to_old = _rect_to_quad(corners, (proc_w, proc_h))
        elif isinstance(step, FeatureBasedAlignment):
            new_to_old, residual_frame_px, inliers = _match_reference(
                frame, step, (proc_w, proc_h), path=path
            )
            constraints.append(f"features:{inliers}")
        else:  # a blur: see steps.Blur
            continue
        frame = _u8(
            cv2.warpPerspective(
                frame, new_to_old, (proc_w, proc_h), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
            )
        )
        to_image = to_image @ new_to_old
    page_w, page_h = layout.template_page_px
    template_to_frame = np.diag([proc_w / page_w, proc_h / page_h, 1.0])
    homography = to_image @ template_to_frame
    homography /= homography[2, 2]
    residual_px = residual_frame_px * float(np.sqrt(abs(np.linalg.det(to_image[:2, :2]))))
    return Alignment(homography, residual_px, tuple(constraints) or ("image-frame",))


def apply_levels(image: npt.NDArray[np.uint8], levels: Levels) -> npt.NDArray[np.uint8]:
    """``image`` with OMRChecker's levels: ``low`` to black, ``high`` to white, gamma between."""
    grey = np.arange(256, dtype=np.float64) / _GREY_MAX
    span = max(levels.high - levels.low, 1e-6)
    stretched = np.clip((grey - levels.low) / span, 0.0, 1.0) ** (1.0 / levels.gamma)
    lut = np.round(stretched * _GREY_MAX).astype(np.uint8)
    return _u8(cv2.LUT(image, lut))


def find_page(
    frame: npt.NDArray[np.uint8], step: CropPage, *, path: str | Path | None = None
) -> npt.NDArray[np.float64]:
    """Corners of the page's outline, (4, 2) float64 (TL, TR, BR, BL), frame pixels.

    Notes
    -----
    Paper is lighter than the desk it lies on: Otsu's threshold separates the
    two, a closing with the template's ``morphKernel`` bridges print touching
    the page's edge, and the largest outline, simplified until it has four
    corners, is the page.
    """
    blurred = cv2.GaussianBlur(frame, (5, 5), 0)
    _, paper = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    kernel = np.ones(tuple(max(1, k) for k in step.morph_kernel_px), np.uint8)
    paper = cv2.morphologyEx(paper, cv2.MORPH_CLOSE, kernel)
    contours, _ = cv2.findContours(paper, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    min_area = MIN_PAGE_SHARE * frame.shape[0] * frame.shape[1]
    outline = max(contours, key=cv2.contourArea, default=None)
    if outline is None or cv2.contourArea(outline) < min_area:
        raise RegistrationError(
            f"CropPage: no page outline enclosing {MIN_PAGE_SHARE:.0%} of the picture"
            " (is the page on a darker background?)",
            path=path,
        )
    hull = cv2.convexHull(outline)
    perimeter = cv2.arcLength(hull, True)
    for tolerance in _OUTLINE_TOLERANCES:
        quad = cv2.approxPolyDP(hull, tolerance * perimeter, True)
        if len(quad) == 4:
            return _order_corners(quad.reshape(4, 2).astype(np.float64))
    raise RegistrationError(
        "CropPage: the page's outline has no four clear corners (a corner folded or cut off?)",
        path=path,
    )


def find_markers(
    frame: npt.NDArray[np.uint8],
    step: CropOnMarkers,
    processing_width: int,
    *,
    path: str | Path | None = None,
) -> npt.NDArray[np.float64]:
    """Centres of the four corner markers, (4, 2) float64 (TL, TR, BR, BL), frame pixels.

    Notes
    -----
    As OMRChecker: the marker image is scaled to ``processing width / ratio``,
    the best scale within ``rescale_range_pct`` is chosen on the whole
    picture, and each quarter (split at a third of the height) must hold a
    match of at least ``min_matching_threshold`` normalised correlation, within
    ``max_matching_variation`` of the best.
    """
    marker = _marker_image(
        str(step.marker_path), step.sheet_to_marker_width_ratio, processing_width
    )
    picture = cv2.normalize(frame, None, 0, 255, cv2.NORM_MINMAX)
    lo, hi = step.rescale_range_pct
    # The scale is chosen on a picture halved when the marker stays large
    # enough to match there: a quarter of the pixels for each of the scales.
    coarse = 0.5 if marker.shape[1] * lo / 100 >= 2 * _MIN_COARSE_MARKER_PX else 1.0
    small = _u8(cv2.resize(picture, None, fx=coarse, fy=coarse, interpolation=cv2.INTER_AREA))
    best_coarse, best_pct = -1.0, float(hi)
    for pct in np.linspace(hi, lo, step.rescale_steps + 1):
        size = (
            max(3, round(marker.shape[1] * pct / 100 * coarse)),
            max(3, round(marker.shape[0] * pct / 100 * coarse)),
        )
        if size[0] >= small.shape[1] // 2 or size[1] >= small.shape[0] * _MARKER_SPLIT_Y:
            continue
        scaled = cv2.resize(marker, size, interpolation=cv2.INTER_AREA)
        score = float(cv2.matchTemplate(small, scaled, cv2.TM_CCOEFF_NORMED).max())
        if score > best_coarse:
            best_coarse, best_pct = score, float(pct)
    best_marker = _u8(
        cv2.resize(
            marker,
            (
                max(3, round(marker.shape[1] * best_pct / 100)),
                max(3, round(marker.shape[0] * best_pct / 100)),
            ),
            interpolation=cv2.INTER_AREA,
        )
    )
    h, w = picture.shape
    mid_x, mid_y = w // 2, int(h * _MARKER_SPLIT_Y)
    quarters = {
        "top-left": (0, 0, mid_x, mid_y),
        "top-right": (mid_x, 0, w, mid_y),
        "bottom-right": (mid_x, mid_y, w, h),
        "bottom-left": (0, mid_y, mid_x, h),
    }
    mh, mw = best_marker.shape
    found = {}
    for name, (x0, y0, x1, y1) in quarters.items():
        result = cv2.matchTemplate(picture[y0:y1, x0:x1], best_marker, cv2.TM_CCOEFF_NORMED)
        _, score, _, (bx, by) = cv2.minMaxLoc(result)
        found[name] = (float(score), x0 + bx + mw / 2, y0 + by + mh / 2)
    best_score = max(score for score, _, _ in found.values())
    centres = []
    for name, (score, x, y) in found.items():
        if score < step.min_matching_threshold or best_score - score >= step.max_matching_variation:
            raise RegistrationError(
                f"CropOnMarkers: no marker in the {name} quarter (best match {score:.2f},"
                f" need {step.min_matching_threshold:.2f} and within"
                f" {step.max_matching_variation:.2f} of the best {best_score:.2f})",
                path=path,
            )
        centres.append((x, y))
    return np.array(centres, dtype=np.float64)


@lru_cache(maxsize=8)
def _marker_image(
    marker_path: str, ratio: float | None, processing_width: int
) -> npt.NDArray[np.uint8]:
    """The marker image as OMRChecker prepares it: sized, blurred, stretched to 0..255."""
    marker = cv2.imread(marker_path, cv2.IMREAD_GRAYSCALE)
    if marker is None:
        raise RegistrationError("CropOnMarkers: cannot read the marker image", path=marker_path)
    if ratio is not None:
        width = max(3, round(processing_width / ratio))
        height = max(3, round(marker.shape[0] * width / marker.shape[1]))
        marker = _u8(cv2.resize(marker, (width, height), interpolation=cv2.INTER_AREA))
    marker = _u8(cv2.GaussianBlur(marker, (5, 5), 0))
    out = _u8(cv2.normalize(marker, None, 0, 255, cv2.NORM_MINMAX))
    out.flags.writeable = False
    return out


@lru_cache(maxsize=4)
def _reference(
    reference_path: str, size: tuple[int, int], max_features: int
) -> tuple[tuple[cv2.KeyPoint, ...], npt.NDArray[np.uint8]]:
    reference = cv2.imread(reference_path, cv2.IMREAD_GRAYSCALE)
    if reference is None:
        raise RegistrationError(
            "FeatureBasedAlignment: cannot read the reference image", path=reference_path
        )
    reference = _u8(cv2.resize(reference, size, interpolation=cv2.INTER_AREA))
    keypoints, descriptors = cv2.ORB.create(max_features).detectAndCompute(reference, None)
    if descriptors is None:  # a blank reference has no features
        return (), np.zeros((0, _ORB_BYTES), dtype=np.uint8)
    return tuple(keypoints), _u8(descriptors)


def _match_reference(
    frame: npt.NDArray[np.uint8],
    step: FeatureBasedAlignment,
    size: tuple[int, int],
    *,
    path: str | Path | None,
) -> tuple[npt.NDArray[np.float64], float, int]:
    """Reference-frame -> frame transform, its inlier RMS (frame px) and inlier count."""
    ref_points, ref_descriptors = _reference(str(step.reference_path), size, step.max_features)
    points, descriptors = cv2.ORB.create(step.max_features).detectAndCompute(frame, None)
    if descriptors is None or ref_descriptors.size == 0:
        raise RegistrationError("FeatureBasedAlignment: no features found", path=path)
    matches = sorted(
        cv2.BFMatcher(cv2.NORM_HAMMING, crossCheck=False).match(descriptors, ref_descriptors),
        key=lambda m: m.distance,
    )
    matches = matches[: max(MIN_FEATURE_INLIERS, int(len(matches) * step.good_match_share))]
    src = np.array([points[m.queryIdx].pt for m in matches], dtype=np.float64)
    dst = np.array([ref_points[m.trainIdx].pt for m in matches], dtype=np.float64)
    if len(matches) < MIN_FEATURE_INLIERS:
        raise RegistrationError("FeatureBasedAlignment: too few feature matches", path=path)
    if step.two_d:
        affine, inliers = cv2.estimateAffinePartial2D(
            dst, src, method=cv2.RANSAC, ransacReprojThreshold=_RANSAC_PX
        )
        transform = None if affine is None else np.vstack([affine, [0.0, 0.0, 1.0]])
    else:
        transform, inliers = cv2.findHomography(dst, src, cv2.RANSAC, _RANSAC_PX)
    count = 0 if inliers is None else int(inliers.sum())
    if transform is None or count < MIN_FEATURE_INLIERS:
        raise RegistrationError(
            f"FeatureBasedAlignment: only {count} features agree on a transform,"
            f" need {MIN_FEATURE_INLIERS}",
            path=path,
        )
    used = inliers.ravel().astype(bool)
    mapped = cv2.perspectiveTransform(dst[used].reshape(-1, 1, 2), transform).reshape(-1, 2)
    rms = float(np.sqrt(np.mean(np.sum((mapped - src[used]) ** 2, axis=1))))
    return transform.astype(np.float64), rms, count


def _rect_to_quad(
    corners: npt.NDArray[np.float64], size: tuple[int, int]
) -> npt.NDArray[np.float64]:
    """Perspective transform from a ``size`` rectangle's corners to ``corners`` (TL, TR, BR, BL)."""
    width, height = size
    rect = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    return cv2.getPerspectiveTransform(rect, corners.astype(np.float32)).astype(np.float64)


def _order_corners(points: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Four points as top-left, top-right, bottom-right, bottom-left."""
    sums = points.sum(axis=1)
    diffs = points[:, 1] - points[:, 0]
    return np.array(
        [
            points[np.argmin(sums)],
            points[np.argmin(diffs)],
            points[np.argmax(sums)],
            points[np.argmax(diffs)],
        ]
    )


def _u8(array: object) -> npt.NDArray[np.uint8]:
    """OpenCV's result as the uint8 array it is (its stubs do not say)."""
    return np.asarray(array, dtype=np.uint8)
