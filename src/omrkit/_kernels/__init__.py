"""Compiled kernels, private: every ``@njit`` function of omrkit lives in this package.

Each kernel takes arrays and scalars only, writes into an ``out`` array its
caller allocated (or returns scalars), validates nothing and raises nothing;
the public wrappers check and prepare the arguments. Each has a slow, obvious
numpy twin of the same name and signature in :mod:`omrkit._reference`, and a
hypothesis parity test (``tests/omrkit/test_kernel_parity.py``, whose
meta-test walks the names exported here).

- :mod:`~omrkit._kernels.fill`: the share of each bubble's inner disc that is inked.
- :mod:`~omrkit._kernels.fit`: affine and projective fits with residuals.
- :mod:`~omrkit._kernels.projection`: a layout point's image point and Jacobian, inlined.
- :mod:`~omrkit._kernels.squares`: finding and measuring registration squares, sampling levels.
"""

from __future__ import annotations

from omrkit._kernels._compile import PIXEL_CENTER
from omrkit._kernels.fill import (
    RIM_HALF_WIDTH_PX,
    _bubble_fill_ratio,
    _disc_sums,
    _fill_ratios_sheet,
)
from omrkit._kernels.fit import (
    AFFINE_PARAMETERS,
    MIN_HADAMARD_RATIO,
    PROJECTIVE_PARAMETERS,
    _fit_transform,
    _solve_normal_equations,
)
from omrkit._kernels.projection import _project, _projection_jacobian
from omrkit._kernels.squares import (
    _cell_means,
    _centred_moments,
    _coarse_mask,
    _dark_blobs,
    _median_grey,
    _rect_moments,
)

__all__ = [
    "AFFINE_PARAMETERS",
    "MIN_HADAMARD_RATIO",
    "PIXEL_CENTER",
    "PROJECTIVE_PARAMETERS",
    "RIM_HALF_WIDTH_PX",
    "_bubble_fill_ratio",
    "_cell_means",
    "_centred_moments",
    "_coarse_mask",
    "_dark_blobs",
    "_disc_sums",
    "_fill_ratios_sheet",
    "_fit_transform",
    "_median_grey",
    "_project",
    "_projection_jacobian",
    "_rect_moments",
    "_solve_normal_equations",
]
