"""Technical appeals decided from evidence: the 50 % rule on re-measured fills.

The commission does not eyeball a sheet. For each appealed task the caller
re-measures the slot with omrkit on the stored test-day scan (same layout,
same transform) and measures it on the sheet scanned for the appeal; both
images are kept and named by their hashes (UNT-APL-27). This module gets
those numbers and decides: a bubble is painted when 50 % or more of its area
is (UNT-APL-18, UNT-SCORE-1), and the appeal is upheld in the three cases of
UNT-APL-20, case 2 as D-2 reads it. What the test day *recorded* is compared
with what the 50 % rule says; it is never taken as the measurement.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import ClassVar

from pydantic import Field, model_validator

from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel

__all__ = [
    "FILL_RULE",
    "SheetDefect",
    "SlotEvidence",
    "TechnicalCase",
    "TechnicalFinding",
    "TechnicalOutcome",
    "technical_finding",
]

#: UNT-APL-18, UNT-SCORE-1: painted over 50 % or more of its area is a mark.
FILL_RULE = 0.5
_SHA256_HEX = r"^[0-9a-f]{64}$"


class SheetDefect(StrEnum):
    """What makes an answer sheet defective (UNT-APL-19), as the commission found it."""

    COLOUR = "colour"  # (a) its colour differs from the original
    INSIDE_DAMAGED = "inside-damaged"  # (b) its inside is damaged
    SPOILED_PRINT = "spoiled-print"  # (c) poor print, or sectors, numbers, circles overlapping


class TechnicalOutcome(StrEnum):
    """What the evidence says."""

    UPHELD = "upheld"
    NOT_UPHELD = "not-upheld"
    INCONCLUSIVE = "inconclusive"  # the two scans disagree: the commission must look


class TechnicalCase(StrEnum):
    """Which case of UNT-APL-20 upholds the appeal."""

    KEY_NOT_READ = "1"  # painted >= 50 %, matches the key, not read
    FALSE_MARK = "2"  # a circle under 50 % read as marked (D-2), e.g. a false double
    DEFECT_FALSE_MARK = "3"  # a sheet defect made the scanner count an unpainted circle


class SlotEvidence(DomainModel):
    """The measured facts of one appealed task.

    Parameters
    ----------
    task : int
        Task number.
    options : tuple of str
        The slot's options in the layout's bubble order (e.g. A..E).
    key : str
        The key's option.
    recorded : tuple of str
        The options the test day recorded as marked.
    test_day_fills, appeal_day_fills : tuple of float
        Fill ratio (0..1, share of the bubble's area inked) of each option,
        re-measured on the stored test-day scan and measured on the appeal
        scan; aligned with ``options``.
    test_day_image, appeal_day_image : str
        SHA-256 (hex) of the two stored images (UNT-APL-27).
    defect : SheetDefect or None
        The commission's finding that the sheet is defective (UNT-APL-19).
    """

    malformed_rule: ClassVar[str] = "UNT-APL-27"

    task: int = Field(ge=1)
    options: tuple[str, ...] = Field(min_length=2)
    key: str
    recorded: tuple[str, ...]
    test_day_fills: tuple[float, ...]
    appeal_day_fills: tuple[float, ...]
    test_day_image: str = Field(pattern=_SHA256_HEX)
    appeal_day_image: str = Field(pattern=_SHA256_HEX)
    defect: SheetDefect | None = None

    @model_validator(mode="after")
    def _aligned(self) -> SlotEvidence:
        n = len(self.options)
        if len(set(self.options)) != n:
            raise DomainError("UNT-APL-27", f"task {self.task}: options repeat: {self.options}")
        for name in ("test_day_fills", "appeal_day_fills"):
            fills = getattr(self, name)
            if len(fills) != n:
                raise DomainError(
                    "UNT-APL-27",
                    f"task {self.task}: {name} has {len(fills)} values for {n} options",
                )
            if not all(0.0 <= f <= 1.0 for f in fills):
                raise DomainError("UNT-APL-18", f"task {self.task}: a fill ratio is outside 0..1")
        unknown = [o for o in (self.key, *self.recorded) if o not in self.options]
        if unknown:
            raise DomainError("UNT-APL-27", f"task {self.task}: {unknown} not among the options")
        return self


class TechnicalFinding(DomainModel):
    """The decision the evidence supports, with the numbers it rests on."""

    malformed_rule: ClassVar[str] = "UNT-APL-20"

    evidence: SlotEvidence
    painted_test_day: tuple[str, ...] = Field(description="options >= 50 % on the test-day scan")
    painted_appeal_day: tuple[str, ...] = Field(description="options >= 50 % on the appeal scan")
    outcome: TechnicalOutcome
    case: TechnicalCase | None
    rule_id: str
    explanation: str


def _painted(options: tuple[str, ...], fills: tuple[float, ...]) -> tuple[str, ...]:
    return tuple(o for o, f in zip(options, fills, strict=True) if f >= FILL_RULE)


def technical_finding(evidence: SlotEvidence) -> TechnicalFinding:
    """Decide a technical appeal on one task from the measured fills.

    Implements UNT-APL-18, UNT-APL-20, UNT-APL-27, D-2.

    Parameters
    ----------
    evidence : SlotEvidence

    Returns
    -------
    TechnicalFinding
        ``UPHELD`` with the case of UNT-APL-20 when, by the 50 % rule, the
        only painted option is the key and the test day recorded something
        else; ``NOT_UPHELD`` when the painted options are not exactly the key
        or the key was already recorded alone (a correctly answered task,
        UNT-APL-21); ``INCONCLUSIVE`` when the two scans disagree about which
        options are painted.

    Notes
    -----
    Case 2 of UNT-APL-20 is truncated in the source (T-1); D-2 reads it as
    "the scanner registered a mark the 50 % rule says is not a mark". A
    false mark found with a recorded sheet defect is case 3 instead.

    Examples
    --------
    >>> ev = SlotEvidence(task=7, options=("A", "B", "C", "D", "E"), key="C", recorded=(),
    ...     test_day_fills=(0.0, 0.01, 0.51, 0.0, 0.0), appeal_day_fills=(0.0, 0.0, 0.52, 0.0, 0.0),
    ...     test_day_image="a" * 64, appeal_day_image="b" * 64)
    >>> finding = technical_finding(ev)
    >>> finding.outcome.value, finding.case.value
    ('upheld', '1')
    """
    ev = evidence
    test_day = _painted(ev.options, ev.test_day_fills)
    appeal_day = _painted(ev.options, ev.appeal_day_fills)

    def found(
        outcome: TechnicalOutcome, case: TechnicalCase | None, rule: str, why: str
    ) -> TechnicalFinding:
        return TechnicalFinding(
            evidence=ev,
            painted_test_day=test_day,
            painted_appeal_day=appeal_day,
            outcome=outcome,
            case=case,
            rule_id=rule,
            explanation=why,
        )

    if set(test_day) != set(appeal_day):
        return found(
            TechnicalOutcome.INCONCLUSIVE,
            None,
            "UNT-APL-27",
            f"on the test-day scan {_options(test_day)} painted, "
            f"on the appeal scan {_options(appeal_day)}",
        )
    if test_day != (ev.key,):
        return found(
            TechnicalOutcome.NOT_UPHELD,
            None,
            "UNT-APL-20",
            f"by the 50 % rule {_options(test_day)} painted, not the key {ev.key} alone",
        )
    if tuple(ev.recorded) == (ev.key,):
        return found(
            TechnicalOutcome.NOT_UPHELD,
            None,
            "UNT-APL-21",
            "the test day recorded the key's option: the task was answered correctly",
        )
    if ev.key not in ev.recorded:
        return found(
            TechnicalOutcome.UPHELD,
            TechnicalCase.KEY_NOT_READ,
            "UNT-APL-20",
            f"{ev.key} is painted >= 50 % and matches the key, but was not read",
        )
    false_marks = [o for o in ev.recorded if o != ev.key]
    if ev.defect is not None:
        return found(
            TechnicalOutcome.UPHELD,
            TechnicalCase.DEFECT_FALSE_MARK,
            "UNT-APL-20",
            f"the sheet is defective ({ev.defect}); unpainted {false_marks} were counted as marks",
        )
    return found(
        TechnicalOutcome.UPHELD,
        TechnicalCase.FALSE_MARK,
        "D-2",
        f"{false_marks} painted under 50 % were read as marks beside the key {ev.key}",
    )


def _options(painted: Sequence[str]) -> str:
    """The painted options as a commission reads them: "no option is", "B is", "A, C are"."""
    if not painted:
        return "no option is"
    return f"{', '.join(painted)} {'is' if len(painted) == 1 else 'are'}"
