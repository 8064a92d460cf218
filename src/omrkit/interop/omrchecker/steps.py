"""OMRChecker's pre-processors, parsed into typed registration steps.

A template's ``preProcessors`` list says how OMRChecker finds the page before
it reads the bubbles. Each entry becomes one frozen step here; the steps that
place the page (``CropPage``, ``CropOnMarkers``, ``FeatureBasedAlignment``)
are carried out by :mod:`omrkit.interop.omrchecker.align`, ``Levels`` by the
reader. A pre-processor omrkit does not carry out, or an option it does not
know, is a :class:`~omrkit.errors.LayoutError` naming it: an ignored step
would read the sheet somewhere it is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from omrkit.errors import LayoutError

__all__ = [
    "Blur",
    "CropOnMarkers",
    "CropPage",
    "FeatureBasedAlignment",
    "Levels",
    "Step",
    "parse_steps",
]


class _Step(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CropPage(_Step):
    """Find the page's outline against the background and map the template to it.

    ``morph_kernel_px`` closes gaps in the page's edge (print touching the
    border) at OMRChecker's processing size.
    """

    kind: Literal["CropPage"] = "CropPage"
    morph_kernel_px: tuple[int, int] = (10, 10)


class CropOnMarkers(_Step):
    """Find a marker image near each of the four corners; their centres are the page's.

    ``sheet_to_marker_width_ratio`` scales the marker image to
    ``processing width / ratio`` before matching (OMRChecker's meaning);
    the match is searched over ``rescale_range_pct`` of that size.
    """

    kind: Literal["CropOnMarkers"] = "CropOnMarkers"
    marker_path: Path
    sheet_to_marker_width_ratio: float | None = Field(default=None, gt=0)
    min_matching_threshold: float = Field(default=0.3, gt=0, lt=1)
    max_matching_variation: float = Field(default=0.41, gt=0, le=1)
    rescale_range_pct: tuple[int, int] = (35, 100)
    rescale_steps: int = Field(default=10, ge=1)


class FeatureBasedAlignment(_Step):
    """Match ORB features of a reference image of the blank sheet; fit a robust transform.

    ``two_d`` restricts the transform to rotation, scale and shift (OMRChecker's
    ``"2d": true``); otherwise a homography is fitted.
    """

    kind: Literal["FeatureBasedAlignment"] = "FeatureBasedAlignment"
    reference_path: Path
    max_features: int = Field(default=500, ge=16)
    good_match_share: float = Field(default=0.15, gt=0, le=1)
    two_d: bool = False


class Levels(_Step):
    """Stretch grey levels: ``low`` and below to black, ``high`` and above to white (0..1)."""

    kind: Literal["Levels"] = "Levels"
    low: float = Field(default=0.0, ge=0, lt=1)
    high: float = Field(default=1.0, gt=0, le=1)
    gamma: float = Field(default=1.0, gt=0)


class Blur(_Step):
    """A Gaussian or median blur, accepted and not carried out.

    OMRChecker blurs to steady its mean-darkness threshold; omrkit's fill
    kernel already credits edge pixels by their share of ink, so a 3-5 px blur
    moves no area (DESIGN.md: *blur moves edges, not areas*).
    """

    kind: Literal["GaussianBlur", "MedianBlur"]


Step = CropPage | CropOnMarkers | FeatureBasedAlignment | Levels | Blur

#: Each supported pre-processor's option names (OMRChecker spelling) -> ours.
_OPTIONS: dict[str, dict[str, str]] = {
    "CropPage": {"morphKernel": "morph_kernel_px"},
    "CropOnMarkers": {
        "relativePath": "marker_path",
        "sheetToMarkerWidthRatio": "sheet_to_marker_width_ratio",
        "min_matching_threshold": "min_matching_threshold",
        "minMatchingThreshold": "min_matching_threshold",
        "max_matching_variation": "max_matching_variation",
        "maxMatchingVariation": "max_matching_variation",
        "marker_rescale_range": "rescale_range_pct",
        "marker_rescale_steps": "rescale_steps",
        "apply_erode_subtract": "",
    },
    "FeatureBasedAlignment": {
        "reference": "reference_path",
        "maxFeatures": "max_features",
        "goodMatchPercent": "good_match_share",
        "2d": "two_d",
    },
    "Levels": {"low": "low", "high": "high", "gamma": "gamma"},
    "GaussianBlur": {"kSize": "", "sigmaX": ""},
    "MedianBlur": {"kSize": ""},
}
_STEP_TYPES: dict[str, type[_Step]] = {
    "CropPage": CropPage,
    "CropOnMarkers": CropOnMarkers,
    "FeatureBasedAlignment": FeatureBasedAlignment,
    "Levels": Levels,
    "GaussianBlur": Blur,
    "MedianBlur": Blur,
}
_PATH_OPTIONS = frozenset({"marker_path", "reference_path"})


def parse_steps(entries: object, *, base_dir: Path, path: str | Path | None) -> tuple[Step, ...]:
    """Typed steps of a template's ``preProcessors`` list.

    Parameters
    ----------
    entries : list of dict
        ``[{"name": ..., "options": {...}}, ...]`` as in the template.
    base_dir : Path
        The template's folder: marker and reference images are relative to it.
    path : str or Path, optional
        The template, named in errors.

    Raises
    ------
    LayoutError
        Naming an unsupported pre-processor, an unknown option, a missing
        image file or an invalid value.
    """
    if not isinstance(entries, list):
        raise LayoutError("preProcessors must be a list", path=path, field="preProcessors")
    steps: list[Step] = []
    for index, entry in enumerate(entries):
        where = f"preProcessors[{index}]"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            raise LayoutError("a pre-processor needs a name", path=path, field=where)
        unknown_keys = sorted(set(entry) - {"name", "options"})
        if unknown_keys:
            raise LayoutError(f"unknown keys {unknown_keys}", path=path, field=where)
        name = str(entry["name"])
        if name not in _STEP_TYPES:
            raise LayoutError(
                f"pre-processor {name!r} is not supported (supported: {', '.join(_STEP_TYPES)})",
                path=path,
                field=where,
            )
        options = entry.get("options", {})
        if not isinstance(options, Mapping):
            raise LayoutError("options must be an object", path=path, field=where)
        steps.append(_parse_step(name, options, base_dir=base_dir, path=path, where=where))
    return tuple(steps)


def _parse_step(
    name: str, options: Mapping[str, object], *, base_dir: Path, path: str | Path | None, where: str
) -> Step:
    known = _OPTIONS[name]
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise LayoutError(
            f"unknown option(s) {unknown} of pre-processor {name!r}", path=path, field=where
        )
    values: dict[str, object] = {"kind": name}
    for key, value in options.items():
        ours = known[key]
        if not ours:  # an option of a step omrkit carries out its own way
            continue
        if ours in _PATH_OPTIONS:
            image_path = base_dir / str(value)
            if not image_path.is_file():
                raise LayoutError(f"{name}: no image file {value!r}", path=path, field=where)
            value = image_path
        values[ours] = value
    if name == "CropOnMarkers" and "marker_path" not in values:
        default_marker = base_dir / "omr_marker.jpg"
        if not default_marker.is_file():
            raise LayoutError("CropOnMarkers: no omr_marker.jpg", path=path, field=where)
        values["marker_path"] = default_marker
    try:
        step = _STEP_TYPES[name].model_validate(values)
    except ValueError as exc:
        raise LayoutError(f"{name}: {exc}", path=path, field=where) from exc
    return step  # type: ignore[return-value]  # the union's members are exactly _STEP_TYPES'
