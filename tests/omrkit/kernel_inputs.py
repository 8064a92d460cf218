"""Random inputs the kernel parity tests draw: images, homographies, discs on them."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from tests.strategies import DrawnRandom

__all__ = [
    "TOLERANCE",
    "centers_mm",
    "credit_line",
    "radii_mm",
    "random_homography",
    "random_image",
]

#: Kernel and twin agree to this (fill ratios and pixel sums relative to their size).
TOLERANCE = 1e-6


def random_homography(rng: DrawnRandom | np.random.Generator) -> npt.NDArray[np.float64]:
    """Near-similarity: 3-12 px/mm, any turn, a few % shear and anisotropy, slight perspective."""
    scale = rng.uniform(3.0, 12.0)
    angle = rng.uniform(-math.pi, math.pi)
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    distortion = np.eye(2) + rng.uniform(-0.05, 0.05, size=(2, 2))
    matrix = np.eye(3)
    matrix[:2, :2] = scale * rotation @ distortion
    matrix[:2, 2] = rng.uniform(20.0, 60.0, size=2)
    matrix[2, :2] = rng.uniform(-2e-3, 2e-3, size=2)
    return matrix


def random_image(rng: DrawnRandom) -> npt.NDArray[np.uint8]:
    shape = tuple(rng.integers(50, 120, size=2))
    return rng.integers(0, 256, size=shape, dtype=np.uint8)


def centers_mm(
    rng: DrawnRandom,
    image: npt.NDArray[np.uint8],
    homography: npt.NDArray[np.float64],
    n: int,
) -> npt.NDArray[np.float64]:
    """Layout points that land on the image; discs around them may overhang its edges."""
    rows, cols = image.shape
    pixels = rng.uniform(0.0, 1.0, size=(n, 2)) * [cols, rows]
    mapped = np.column_stack([pixels, np.ones(n)]) @ np.linalg.inv(homography).T
    return np.ascontiguousarray(mapped[:, :2] / mapped[:, 2:])


def radii_mm(
    rng: DrawnRandom, homography: npt.NDArray[np.float64], n: int
) -> npt.NDArray[np.float64]:
    """Radii of 2-15 px on the image."""
    px_per_mm = math.sqrt(abs(np.linalg.det(homography[:2, :2])))
    return rng.uniform(2.0, 15.0, size=n) / px_per_mm


def credit_line(rng: DrawnRandom) -> tuple[float, float]:
    return float(rng.uniform(0.5, 4.0)), float(rng.uniform(0.002, 0.05))
