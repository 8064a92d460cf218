"""Technical appeals on simulated scans: bubbles truly filled 49 % and 51 %, re-measured by omrkit.

The test day's record comes from a reading the appeal contests (a scanner
whose threshold was off); the decision must come from the fills omrkit
re-measures on the stored test-day scan and on the appeal scan, never from
that record. With the same record for 49 % and 51 %, only the measurement
can tell the two apart.
"""

from __future__ import annotations

import pytest

from omrkit.read.sheet import ReadOptions
from tests.ubt_domain.appeals.scans import (
    painted_page,
    recorded_marks,
    scan,
    slot_bubbles,
    slot_fills,
)
from ubt_domain.appeals.technical import (
    SlotEvidence,
    TechnicalCase,
    TechnicalOutcome,
    technical_finding,
)

SLOT = "answers_1.1"
TASK = 1
SEEDS = (11, 12, 13)
#: The contested test-day readings: one that missed marks, one that saw too many.
MISSED_MARKS = 0.60
EXTRA_MARKS = 0.45
WITHIN_PERCENT = 0.01


def evidence_from_scans(
    fills: dict[str, float], *, key: str, test_day_threshold: float, seed: int
) -> tuple[SlotEvidence, tuple[float, ...]]:
    """Paint, scan twice, record the test day at a wrong threshold, re-measure both scans."""
    bubbles, symbols = slot_bubbles(SLOT)
    planted = {bubbles[symbols.index(s)]: f for s, f in fills.items()}
    page, painted = painted_page(planted, seed=seed)
    test_day = scan(page, seed=seed + 100, options=ReadOptions(threshold=test_day_threshold))
    appeal_day = scan(page, seed=seed + 200)
    # Re-measuring is reading the stored test-day image again with the standard rule.
    remeasured = scan_fills_again(test_day.png)
    evidence = SlotEvidence(
        task=TASK,
        options=symbols,
        key=key,
        recorded=recorded_marks(test_day.reading, SLOT, test_day_threshold),
        test_day_fills=remeasured,
        appeal_day_fills=slot_fills(appeal_day.reading, SLOT),
        test_day_image=test_day.sha256,
        appeal_day_image=appeal_day.sha256,
    )
    return evidence, tuple(float(painted[i]) for i in bubbles)


def scan_fills_again(png: bytes) -> tuple[float, ...]:
    """omrkit.read_sheet on the stored file: same layout, the sheet's own transform."""
    import omrkit

    return slot_fills(omrkit.read_sheet(png, omrkit.load_layout("ubt-answer")), SLOT)


@pytest.mark.parametrize("seed", SEEDS)
def test_remeasured_fill_is_within_a_percent_of_the_truth(seed: int) -> None:
    """On the everyday profile omrkit's fill is within 1 % of the painted share near 50 %."""
    for fraction in (0.49, 0.51):
        evidence, truth = evidence_from_scans(
            {"C": fraction}, key="C", test_day_threshold=MISSED_MARKS, seed=seed
        )
        for measured in (evidence.test_day_fills, evidence.appeal_day_fills):
            assert abs(measured[2] - truth[2]) <= WITHIN_PERCENT


@pytest.mark.parametrize("seed", SEEDS)
def test_unt_apl_20_key_filled_51_percent_and_missed_is_upheld_49_is_not(seed: int) -> None:
    """Key C truly 51 %: case 1 upheld; truly 49 %: not upheld. Both recorded blank."""
    upheld, truth_51 = evidence_from_scans(
        {"C": 0.51}, key="C", test_day_threshold=MISSED_MARKS, seed=seed
    )
    refused, truth_49 = evidence_from_scans(
        {"C": 0.49}, key="C", test_day_threshold=MISSED_MARKS, seed=seed
    )
    assert (truth_51[2], truth_49[2]) == pytest.approx((0.51, 0.49), abs=1e-3)
    assert upheld.recorded == refused.recorded == ()
    found = technical_finding(upheld)
    assert (found.outcome, found.case) == (TechnicalOutcome.UPHELD, TechnicalCase.KEY_NOT_READ)
    assert technical_finding(refused).outcome is TechnicalOutcome.NOT_UPHELD
    assert upheld.test_day_image != upheld.appeal_day_image


@pytest.mark.parametrize("seed", SEEDS)
def test_d_2_a_49_percent_mark_read_as_a_second_mark_is_upheld_51_is_not(seed: int) -> None:
    """Key A filled, B truly 49 % read as marked: false double, upheld (D-2); B at 51 % stands."""
    upheld, _ = evidence_from_scans(
        {"A": 0.95, "B": 0.49}, key="A", test_day_threshold=EXTRA_MARKS, seed=seed
    )
    refused, _ = evidence_from_scans(
        {"A": 0.95, "B": 0.51}, key="A", test_day_threshold=EXTRA_MARKS, seed=seed
    )
    assert upheld.recorded == refused.recorded == ("A", "B")
    found = technical_finding(upheld)
    assert (found.outcome, found.case) == (TechnicalOutcome.UPHELD, TechnicalCase.FALSE_MARK)
    assert technical_finding(refused).outcome is TechnicalOutcome.NOT_UPHELD
