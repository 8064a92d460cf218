"""Both scans of a room: pairing by serial, disagreements to review, the per-room rate."""

from __future__ import annotations

import pytest

from tests.ubt_domain.answer_readings import room
from tests.ubt_domain.school_readings import identify, school_sheet
from tests.ubt_domain.scored_readings import layout
from tests.ubt_domain.unt_stream import ROOM, UNT_LAYOUT, correct_option, stream, unt_reading
from ubt_domain.errors import DomainError
from ubt_domain.scoring.answers import SCANS_DISAGREE, answers_frame, review_list
from ubt_domain.scoring.candidates import school_scoring_sheets, unt_scoring_sheets
from ubt_domain.scoring.double_scan import SingleScanDecision, accept_single_scans, pair_scans
from ubt_domain.scoring.spec import unt_spec

SHEET = layout(UNT_LAYOUT)


def test_unt_scan_4_agreeing_scans_are_final_and_disagreeing_slots_go_to_review() -> None:
    """A mark the second scan misses becomes a review row with both fills; the rate counts it."""
    roster = room(3, number=ROOM)
    first = [unt_reading(k, roster) for k in (1, 2, 3)]
    faint_copy = {("answers_3", 0, correct_option("0101", 3, 1)): 0.31}
    second = [unt_reading(1, roster, extra=faint_copy), *first[1:]]
    scans = pair_scans(first, second, room=ROOM, layout=SHEET)
    assert [r.sheet_id for r in scans.final] == [r.sheet_id for r in first]
    assert scans.unpaired == ()
    (disagreement,) = scans.disagreements
    assert (disagreement.field_id, disagreement.task) == ("answers_3", 1)
    assert (disagreement.state_first, disagreement.state_second) == ("marked", "blank")
    assert max(disagreement.fills_first) > 0.9
    assert max(disagreement.fills_second) == pytest.approx(0.31)
    slots_per_sheet = sum(len(f.slots) for f in SHEET.fields)
    assert scans.slots_compared == 3 * slots_per_sheet
    assert scans.slot_disagreement_rate == pytest.approx(1 / (3 * slots_per_sheet))
    assert scans.sheet_disagreement_rate == pytest.approx(1 / 3)

    closed, roster = stream(first, roster)
    answers = answers_frame(
        unt_scoring_sheets(closed, rosters=[roster]).sheets,
        {r.sheet_id: r for r in scans.final},
        spec=unt_spec(SHEET),
        layout=SHEET,
        disagreements=scans.disagreements,
    )
    waiting = review_list(answers)
    assert waiting.select("subject", "task", "review_reason", "symbol_second").rows() == [
        ("answers_3", 1, SCANS_DISAGREE, None)
    ]
    assert waiting["fills_second"].to_list()[0] == list(disagreement.fills_second)


def test_unt_scan_4_a_sheet_in_one_scan_only_is_held_until_a_decision() -> None:
    """A sheet missing from the second scan is not final; a recorded decision admits it."""
    roster = room(2, number=ROOM)
    first = [unt_reading(k, roster) for k in (1, 2)]
    scans = pair_scans(first, first[:1], room=ROOM, layout=SHEET)
    assert [u.serial for u in scans.unpaired] == [roster.sheet_serials[1]]
    assert [r.sheet_id for r in scans.final] == [first[0].sheet_id]
    closed, roster = stream(first, roster)
    sheets = unt_scoring_sheets(closed, rosters=[roster]).sheets
    with pytest.raises(DomainError, match="no final reading"):
        answers_frame(
            sheets, {r.sheet_id: r for r in scans.final}, spec=unt_spec(SHEET), layout=SHEET
        )
    decision = SingleScanDecision(sheet_id=first[1].sheet_id, decided_by="Министрлік өкілі")
    accepted = accept_single_scans(scans, [decision], first)
    assert accepted.unpaired == ()
    assert len(accepted.final) == 2
    with pytest.raises(DomainError):
        accept_single_scans(accepted, [decision], first)


def test_unt_scan_4_a_serial_twice_in_one_scan_is_refused() -> None:
    """One scan showing a serial twice cannot be paired."""
    roster = room(1, number=ROOM)
    reading = unt_reading(1, roster)
    with pytest.raises(DomainError) as refused:
        pair_scans([reading, reading], [reading], room=ROOM, layout=SHEET)
    assert refused.value.rule_id == "UNT-SCAN-4"


def test_mab_s_21_school_is_scored_only_once_its_protocol_is_resolved() -> None:
    """An unmatched sheet in the school's protocol refuses evaluation; matched ones score."""
    done = identify(school_sheet(0), school_sheet(1))
    sheets = school_scoring_sheets(done)
    assert [s.candidate for s in sheets.sheets] == ["s0", "s1"]
    waiting = identify(school_sheet(0), school_sheet(5, surname="ЖОҚ"), students=2)
    with pytest.raises(DomainError) as refused:
        school_scoring_sheets(waiting)
    assert refused.value.rule_id == "MAB-S-21"
