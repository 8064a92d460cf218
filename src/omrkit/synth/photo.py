"""Phone photos of a filled sheet lying on a desk, with the exact geometry.

:func:`synthesize_photo` fills and prints a sheet as
:func:`~omrkit.synth.simulate.synthesize_sheet` does (clean, page-sized),
then photographs it: the page lies on a textured desk, seen by a camera
tilted up to ``tilt_deg`` from straight above and turned in the plane, lit
unevenly (vignetting, a soft shadow across the page), shaken (motion blur),
with sensor noise and a phone's JPEG. The truth's homography maps layout mm
to the photo's continuous pixels, so a reader's rectification can be checked.
"""

from __future__ import annotations

import math
from dataclasses import replace

import cv2
import numpy as np
import numpy.typing as npt
from pydantic import Field

from omrkit.layout.models import SheetLayout
from omrkit.synth.profiles import SynthSettings
from omrkit.synth.simulate import SyntheticSheet, synthesize_sheet

__all__ = ["PHOTO_PRESETS", "PhotoProfile", "synthesize_photo"]

#: Seeds handed to OpenCV's generator stay below this (it takes a C int).
_CV_SEED_LIMIT = 2**31 - 1
#: Pixel index (OpenCV) to continuous pixel coordinates: centres sit at +0.5.
_INDEX_TO_CONTINUOUS = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.0, 0.0, 1.0]])
#: Focal length of the simulated phone camera, in photo widths (a 26 mm lens).
_FOCAL_WIDTHS = 0.9
#: Blur (px) of the noise that makes the desk's grain, and of the shadow's edge (share of width).
_DESK_GRAIN_PX = 3.0
_SHADOW_EDGE_SHARE = 0.08
#: Desk grey around its mean: grain amplitude.
_DESK_GRAIN_GREY = 25.0


class PhotoProfile(SynthSettings):
    """How a phone photographs a sheet on a desk.

    Ranges are ``(low, high)``; each photo draws uniformly from them.
    """

    name: str = "custom"
    canvas_scale: float = Field(
        default=1.35, ge=1.05, le=3, description="photo side over the page's side, both in pixels"
    )
    page_share: tuple[float, float] = Field(
        default=(0.72, 0.85), description="page height as a share of the photo's height"
    )
    tilt_deg: float = Field(default=20.0, ge=0, le=35, description="largest camera tilt")
    turn_deg: float = Field(default=8.0, ge=0, le=45, description="largest turn in the plane")
    desk_grey: tuple[float, float] = Field(default=(60.0, 140.0), description="desk mean grey")
    paper_level: tuple[float, float] = Field(default=(215.0, 245.0), description="lit paper grey")
    black_level: tuple[float, float] = Field(default=(15.0, 45.0), description="ink grey")
    vignetting: float = Field(default=0.25, ge=0, le=0.6, description="darkening at the corners")
    shadow: float = Field(default=0.3, ge=0, le=0.6, description="largest darkening by a shadow")
    motion_blur_px: tuple[float, float] = Field(
        default=(0.0, 3.0), description="length of the shake, px"
    )
    noise_sigma: tuple[float, float] = Field(default=(2.0, 6.0), description="sensor noise, grey")
    jpeg_quality: tuple[int, int] = Field(default=(70, 90), description="phone JPEG quality")


#: ``phone``: a sheet photographed on a desk, up to 20° of tilt.
PHOTO_PRESETS: dict[str, PhotoProfile] = {"phone": PhotoProfile(name="phone")}


def synthesize_photo(
    layout: SheetLayout | str,
    *,
    seed: int,
    dpi: int = 200,
    profile: PhotoProfile | str = "phone",
) -> SyntheticSheet:
    """Simulate one filled sheet photographed by a phone on a desk.

    Parameters
    ----------
    layout : SheetLayout or str
    seed : int
        Non-negative; the marks are those of ``synthesize_sheet`` with this seed.
    dpi : int
        Resolution the page is printed at; the photo's page is about as many
        pixels high as the print, shrunk by the tilt.
    profile : PhotoProfile or str
        A profile or a preset name (``"phone"``).

    Returns
    -------
    SyntheticSheet
        ``image`` is the decoded JPEG (``jpeg``), ``truth.homography`` maps
        layout mm to its continuous pixels.

    Examples
    --------
    >>> photo = synthesize_photo("ubt-answer", seed=3)
    >>> photo.jpeg is not None and photo.image.shape[0] > 2339
    True
    """
    settings = PHOTO_PRESETS[profile] if isinstance(profile, str) else profile
    printed = synthesize_sheet(layout, seed=seed, dpi=dpi, profile="none")
    rng = np.random.default_rng(np.random.SeedSequence([seed, 1]).generate_state(1)[0])
    page = printed.image
    height, width = page.shape
    size = (round(width * settings.canvas_scale), round(height * settings.canvas_scale))
    placement = _camera(settings, rng, (width, height), size)
    paper = rng.uniform(*settings.paper_level)
    black = rng.uniform(*settings.black_level)
    levelled = (page.astype(np.float32) * np.float32((paper - black) / 255.0)) + np.float32(black)
    to_index = np.linalg.inv(_INDEX_TO_CONTINUOUS) @ placement @ _INDEX_TO_CONTINUOUS
    warped = cv2.warpPerspective(levelled, to_index, size, flags=cv2.INTER_LINEAR)
    cover = cv2.warpPerspective(np.ones_like(levelled), to_index, size, flags=cv2.INTER_LINEAR)
    photo = warped + (1.0 - cover) * _desk(settings, rng, size)
    photo *= _lighting(settings, rng, size)
    photo = _shake(photo, rng.uniform(*settings.motion_blur_px), rng.uniform(0, math.pi))
    noise = np.empty_like(photo)
    cv2.setRNGSeed(int(rng.integers(1, _CV_SEED_LIMIT)))
    cv2.randn(noise, np.zeros(1), np.full(1, rng.uniform(*settings.noise_sigma)))
    photo += noise
    grey = np.asarray(cv2.convertScaleAbs(np.clip(photo, 0, 255)), dtype=np.uint8)
    quality = int(rng.integers(settings.jpeg_quality[0], settings.jpeg_quality[1] + 1))
    ok, buffer = cv2.imencode(".jpg", grey, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:  # pragma: no cover - OpenCV encodes any 8-bit grey image
        raise RuntimeError("JPEG encoding failed")
    data = buffer.tobytes()
    decoded = np.asarray(cv2.imdecode(buffer, cv2.IMREAD_GRAYSCALE), dtype=np.uint8)
    truth = replace(
        printed.truth,
        profile=settings.name,
        homography=placement @ printed.truth.homography,
        jpeg_quality=quality,
    )
    return SyntheticSheet(decoded, truth, data)


def _camera(
    settings: PhotoProfile,
    rng: np.random.Generator,
    page_size: tuple[int, int],
    size: tuple[int, int],
) -> npt.NDArray[np.float64]:
    """Homography from page pixels to photo pixels: a tilted, turned pinhole camera."""
    width, height = page_size
    corners = np.array(
        [[-width / 2, -height / 2, 0], [width / 2, -height / 2, 0],
         [width / 2, height / 2, 0], [-width / 2, height / 2, 0]]
    )  # fmt: skip
    tilt = math.radians(rng.uniform(0, settings.tilt_deg))
    axis = rng.uniform(0, 2 * math.pi)
    turn = math.radians(rng.uniform(-settings.turn_deg, settings.turn_deg))
    rotation, _ = cv2.Rodrigues(np.array([math.cos(axis), math.sin(axis), 0.0]) * tilt)
    spin = np.array(
        [[math.cos(turn), -math.sin(turn), 0], [math.sin(turn), math.cos(turn), 0], [0, 0, 1]]
    )
    focal = _FOCAL_WIDTHS * size[0]
    distance = focal * height / (rng.uniform(*settings.page_share) * size[1])
    spatial = corners @ (np.asarray(rotation) @ spin).T + np.array([0.0, 0.0, distance])
    projected = focal * spatial[:, :2] / spatial[:, 2:3]
    # Centre the page's outline in the photo, then shift it as far as it stays inside.
    lo, hi = projected.min(axis=0), projected.max(axis=0)
    room = np.array(size, dtype=np.float64) - (hi - lo)
    offset = -lo + room * rng.uniform(0.2, 0.8, 2)
    source = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    target = (projected + offset).astype(np.float32)
    return np.asarray(cv2.getPerspectiveTransform(source, target), dtype=np.float64)


def _desk(
    settings: PhotoProfile, rng: np.random.Generator, size: tuple[int, int]
) -> npt.NDArray[np.float32]:
    """A desk: a mean grey with smoothed grain stretched along one direction."""
    noise = rng.normal(0.0, 1.0, (size[1] // 4 + 1, size[0] // 4 + 1)).astype(np.float32)
    grain = np.asarray(
        cv2.GaussianBlur(noise, (0, 0), _DESK_GRAIN_PX, sigmaY=_DESK_GRAIN_PX / 4),
        dtype=np.float32,
    )
    grain *= np.float32(_DESK_GRAIN_GREY / max(float(grain.std()), 1e-6))
    full = cv2.resize(grain, size, interpolation=cv2.INTER_LINEAR)
    return np.asarray(full + np.float32(rng.uniform(*settings.desk_grey)), dtype=np.float32)


def _lighting(
    settings: PhotoProfile, rng: np.random.Generator, size: tuple[int, int]
) -> npt.NDArray[np.float32]:
    """Vignetting times a soft-edged shadow across a random line; 1 where fully lit."""
    width, height = size
    ys, xs = np.mgrid[0:height:8, 0:width:8].astype(np.float32)
    cx, cy = width / 2, height / 2
    radius = ((xs - cx) ** 2 + (ys - cy) ** 2) / (cx**2 + cy**2)
    light = 1.0 - rng.uniform(0, settings.vignetting) * radius
    heading = rng.uniform(0, 2 * math.pi)
    along = (xs - cx) * math.cos(heading) + (ys - cy) * math.sin(heading)
    edge = rng.uniform(-0.3, 0.3) * width
    soft = _SHADOW_EDGE_SHARE * width
    shade = 1.0 / (1.0 + np.exp(-(along - edge) / soft))
    light *= 1.0 - rng.uniform(0, settings.shadow) * shade
    full = cv2.resize(light.astype(np.float32), size, interpolation=cv2.INTER_LINEAR)
    return np.asarray(full, dtype=np.float32)


def _shake(
    photo: npt.NDArray[np.float32], length_px: float, angle: float
) -> npt.NDArray[np.float32]:
    """Motion blur along ``angle`` over ``length_px``."""
    if length_px < 1.0:
        return photo
    side = 2 * math.ceil(length_px / 2) + 1
    kernel = np.zeros((side, side), dtype=np.float32)
    centre = side // 2
    dx, dy = math.cos(angle) * length_px / 2, math.sin(angle) * length_px / 2
    cv2.line(
        kernel,
        (round((centre - dx) * 16), round((centre - dy) * 16)),
        (round((centre + dx) * 16), round((centre + dy) * 16)),
        1.0,
        1,
        cv2.LINE_AA,
        shift=4,
    )
    kernel /= kernel.sum()
    return np.asarray(cv2.filter2D(photo, -1, kernel), dtype=np.float32)
