"""Settings of the simulation: how examinees fill a sheet, how it is scanned.

:class:`FillProfile` sets the mix of answers and marks; a
:class:`DegradationProfile` sets the print-scan path, with presets ``none``
(the clean render), ``default`` and ``harsh`` in :data:`DEGRADATION_PRESETS`.
Both are frozen; an invalid value raises :class:`~omrkit.errors.SynthError`
naming the field.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from omrkit.errors import SynthError

__all__ = [
    "DEGRADATION_PRESETS",
    "DegradationProfile",
    "FillProfile",
    "SynthSettings",
    "degradation_profile",
]

JPEG_MAX_QUALITY = 100
_Probability = float


def _ordered(value: tuple[float, float]) -> tuple[float, float]:
    if value[0] > value[1]:
        raise ValueError(f"range {value} runs backwards; expected (low, high)")
    return value


def _quality(value: tuple[int, int]) -> tuple[int, int]:
    if not 1 <= value[0] <= value[1] <= JPEG_MAX_QUALITY:
        raise ValueError(f"JPEG quality range {value} must satisfy 1 <= low <= high <= 100")
    return value


_Range = Annotated[tuple[float, float], AfterValidator(_ordered)]
_QualityRange = Annotated[tuple[int, int], AfterValidator(_quality)]


class SynthSettings(BaseModel):
    """Frozen settings of the simulation; invalid values raise :class:`SynthError`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def __init__(self, **data: object) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise SynthError(f"{type(self).__name__}: {first['msg']}", field=where or None) from exc


class DegradationProfile(SynthSettings):
    """How a printed, filled sheet reaches the reader: print, feed and scan.

    Ranges are ``(low, high)``; each sheet draws uniformly from them. Grey
    levels are 0..255 as the scanner writes them.
    """

    name: str = "custom"
    rotation_deg: float = Field(default=0.0, ge=0, le=10, description="largest |skew|")
    scale_pct: float = Field(default=0.0, ge=0, le=10, description="largest |scale change|")
    perspective_mm: float = Field(
        default=0.0, ge=0, le=10, description="largest shift of a page corner by a tilted lid"
    )
    translation_mm: float = Field(default=0.0, ge=0, le=40, description="largest shift")
    margin_mm: float = Field(
        default=0.0, ge=0, le=60, description="scanner bed beyond the page on each side"
    )
    upside_down_prob: float = Field(default=0.0, ge=0, le=1, description="fed turned by 180°")
    blur_sigma_mm: _Range = Field(default=(0.0, 0.0), description="Gaussian optical blur")
    noise_sigma: _Range = Field(default=(0.0, 0.0), description="sensor noise, grey levels")
    jpeg_prob: float = Field(default=0.0, ge=0, le=1, description="scanner saves JPEG")
    jpeg_quality: _QualityRange = Field(default=(95, 95), description="JPEG quality range")
    illumination: float = Field(
        default=0.0, ge=0, le=0.5, description="largest darkening across the page by uneven light"
    )
    paper_level: _Range = Field(default=(255.0, 255.0), description="grey of blank paper")
    black_level: _Range = Field(default=(0.0, 0.0), description="grey of solid black ink")
    lid_level: float = Field(default=255.0, ge=0, le=255, description="grey beyond the page")
    marks_may_clip: bool = Field(
        default=False,
        description="the image's edge may cut registration marks (a feeder as wide as the page)",
    )
    cover_mark_prob: float = Field(
        default=0.0, ge=0, le=1, description="per sheet: a thumb or staple covers one mark"
    )

    @property
    def moves_page(self) -> bool:
        """Whether the page can land anywhere but exactly on the image grid."""
        return any(
            (
                self.rotation_deg,
                self.scale_pct,
                self.perspective_mm,
                self.translation_mm,
                self.margin_mm,
                self.upside_down_prob,
            )
        )


#: ``none``: the clean render. ``default``: a tidy flatbed or sheet-fed scanner.
#: ``harsh``: a worn feeder, a dirty glass and heavy compression.
#: ``feeder-clipping``: a feeder whose image is no wider than the page, so
#: skew cuts registration marks, and sometimes a mark covered by a thumb.
DEGRADATION_PRESETS: dict[str, DegradationProfile] = {
    "none": DegradationProfile(name="none"),
    "default": DegradationProfile(
        name="default",
        rotation_deg=2.5,
        scale_pct=1.5,
        perspective_mm=0.8,
        translation_mm=4.0,
        margin_mm=10.0,
        upside_down_prob=0.1,
        blur_sigma_mm=(0.03, 0.1),
        noise_sigma=(1.0, 4.0),
        jpeg_prob=0.5,
        jpeg_quality=(75, 95),
        illumination=0.08,
        paper_level=(232.0, 252.0),
        black_level=(8.0, 30.0),
        lid_level=225.0,
    ),
    # A sheet feeder whose image is exactly the page: a few degrees of skew
    # cut the outer corner of a registration square, and now and then a thumb
    # or staple covers one. Translation 15 px at 200 dpi.
    "feeder-clipping": DegradationProfile(
        name="feeder-clipping",
        rotation_deg=3.0,
        scale_pct=2.0,
        perspective_mm=0.8,
        translation_mm=1.9,
        margin_mm=0.0,
        blur_sigma_mm=(0.03, 0.1),
        noise_sigma=(1.0, 4.0),
        jpeg_prob=0.5,
        jpeg_quality=(75, 95),
        illumination=0.08,
        paper_level=(232.0, 252.0),
        black_level=(8.0, 30.0),
        lid_level=225.0,
        marks_may_clip=True,
        cover_mark_prob=0.2,
    ),
    "harsh": DegradationProfile(
        name="harsh",
        rotation_deg=5.0,
        scale_pct=3.0,
        perspective_mm=2.0,
        translation_mm=6.0,
        margin_mm=14.0,
        upside_down_prob=0.5,
        blur_sigma_mm=(0.08, 0.18),
        noise_sigma=(3.0, 8.0),
        jpeg_prob=1.0,
        jpeg_quality=(60, 80),
        illumination=0.2,
        paper_level=(210.0, 245.0),
        black_level=(20.0, 55.0),
        lid_level=60.0,
    ),
}


def degradation_profile(profile: str | DegradationProfile) -> DegradationProfile:
    """A preset by name (``"none"``, ``"default"``, ``"harsh"``, ...), or ``profile`` itself.

    Raises
    ------
    SynthError
        If no preset has that name.

    Examples
    --------
    >>> degradation_profile("harsh").rotation_deg
    5.0
    """
    if isinstance(profile, DegradationProfile):
        return profile
    try:
        return DEGRADATION_PRESETS[profile]
    except KeyError:
        raise SynthError(
            f"no degradation profile {profile!r}; presets: {', '.join(DEGRADATION_PRESETS)}",
            field="profile",
        ) from None


class FillProfile(SynthSettings):
    """How examinees fill a sheet: the mix of answers and marks to simulate.

    Probabilities are per answer slot unless said otherwise. Code, text and
    choice fields always carry their (valid) value, filled as instructed.
    """

    blank_prob: _Probability = Field(default=0.06, ge=0, le=1, description="answer left blank")
    double_prob: _Probability = Field(
        default=0.03, ge=0, le=1, description="planted over-mark: one more fill than allowed"
    )
    partial_prob: _Probability = Field(
        default=0.3, ge=0, le=1, description="intended answer filled only in part"
    )
    near_threshold_share: _Probability = Field(
        default=0.6, ge=0, le=1, description="share of partial fills within NEAR_THRESHOLD"
    )
    stroke_prob: _Probability = Field(
        default=0.06, ge=0, le=1, description="intended answer ticked or crossed, not filled"
    )
    ghost_prob: _Probability = Field(
        default=0.04, ge=0, le=1, description="an erased earlier answer on another bubble"
    )
    dot_prob: _Probability = Field(default=0.03, ge=0, le=1, description="a stray dot")
    pencil_prob: _Probability = Field(default=0.3, ge=0, le=1, description="per sheet: pencil")

    @model_validator(mode="after")
    def _check_sums(self) -> FillProfile:
        if self.blank_prob + self.double_prob > 1:
            raise ValueError("blank_prob + double_prob exceeds 1")
        if self.partial_prob + self.stroke_prob > 1:
            raise ValueError("partial_prob + stroke_prob exceeds 1")
        return self
