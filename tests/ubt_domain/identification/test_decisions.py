"""Tests of the commission's decisions (apply_commission_rows) and variant identification."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.ubt_domain.answer_readings import (
    SUBJECTS,
    clean_sheet,
    room,
    serial_of,
    tzhk,
    unfilled_sheet,
    variant_of,
)
from ubt_domain.errors import DomainError
from ubt_domain.identification.auto import RoomIdentification, identify_room
from ubt_domain.identification.decisions import (
    VariantCheck,
    apply_commission_rows,
    apply_variant_checks,
    pending_variant_checks,
    variant_excesses,
)
from ubt_domain.identification.outcomes import (
    CommissionRow,
    Decision,
    Deleted,
    Identified,
    Reason,
    Unidentified,
)
from ubt_domain.identification.roster import SeatingRow
from ubt_domain.identification.sheets import AnswerSheetData
from ubt_domain.identification.tables import identification_protocol

EXTRA = SeatingRow(tzhk="555000001", seat=9, full_name="Қосымша Әлия", profile_subjects=SUBJECTS)
EXTRA_DATA: dict[str, object] = {
    "tzhk": EXTRA.tzhk,
    "seat": 9,
    "variant": "0101",
    "profile_subjects": SUBJECTS,
}


def _state(*sheets: AnswerSheetData, applicants: int = 4) -> RoomIdentification:
    return identify_room(room(applicants, additional=[EXTRA]), sheets)


def _row(
    sheet: AnswerSheetData, decision: Decision, k: int | None, **over: object
) -> CommissionRow:
    """The row a careful commission writes for applicant ``k``'s sheet."""
    data: dict[str, object] = {"sheet_id": sheet.sheet_id, "decision": decision}
    if k is not None:
        data |= {"tzhk": tzhk(k), "seat": k, "variant": variant_of(k), "profile_subjects": SUBJECTS}
    return CommissionRow.model_validate(data | over)


def test_unt_id_9_correction_identifies_a_sheet_with_a_wrong_tzhk() -> None:
    """«Түзету» with the seating-sheet ТЖК and the booklet's data identifies the sheet."""
    wrong = clean_sheet(2, tzhk="900000002")
    state = apply_commission_rows(_state(wrong), [_row(wrong, Decision.CORRECTION, 2)])
    (outcome,) = state.identified
    assert (outcome.tzhk, outcome.decision, outcome.reasons) == (
        tzhk(2),
        Decision.CORRECTION,
        (Reason.TZHK_NOT_IN_ROOM,),
    )
    assert outcome.variant_confirmed
    assert state.protocol_entered


@pytest.mark.parametrize("missing", ["seat", "variant", "profile_subjects"])
def test_unt_id_3_correction_without_commission_data_goes_back(missing: str) -> None:
    """Seat, variant and profile subjects must all be supplied, else the protocol again."""
    wrong = clean_sheet(2, seat="004")
    row = _row(wrong, Decision.CORRECTION, 2, **{missing: None})
    (outcome,) = apply_commission_rows(_state(wrong), [row]).outcomes
    assert isinstance(outcome, Unidentified)
    assert outcome.reasons == (Reason.MISSING_COMMISSION_DATA,)
    assert outcome.rejected_row == row


def test_unt_id_9_correction_without_profile_subjects_goes_back_unless_creative() -> None:
    """«Түзету» with an empty subject list identifies only a creative (sector 6) sheet."""
    ordinary = clean_sheet(2, seat="004")
    row = _row(ordinary, Decision.CORRECTION, 2, profile_subjects=())
    (outcome,) = apply_commission_rows(_state(ordinary), [row]).outcomes
    assert isinstance(outcome, Unidentified)
    assert outcome.reasons == (Reason.MISSING_COMMISSION_DATA,)
    creative = clean_sheet(
        2, seat="004", creative="yes", profile_subject_1="", profile_subject_2=""
    )
    row = _row(creative, Decision.CORRECTION, 2, profile_subjects=())
    (outcome,) = apply_commission_rows(_state(creative), [row]).outcomes
    assert isinstance(outcome, Identified)
    assert (outcome.creative, outcome.profile_subjects) == (True, ())


def test_unt_id_3_correction_to_a_tzhk_not_in_the_room_goes_back() -> None:
    """The corrected ТЖК must be a seating-sheet applicant's."""
    wrong = clean_sheet(2, tzhk="900000002")
    row = _row(wrong, Decision.CORRECTION, 2, tzhk="800000000")
    (outcome,) = apply_commission_rows(_state(wrong), [row]).outcomes
    assert isinstance(outcome, Unidentified)
    assert outcome.reasons == (Reason.TZHK_NOT_IN_ROOM,)


def test_unt_id_3_correction_of_a_sheet_outside_the_list_goes_back() -> None:
    """«Түзету» cannot admit a sheet that was not allocated to the room."""
    foreign = clean_sheet(2, serial=serial_of(9, 2))
    (outcome,) = apply_commission_rows(
        _state(foreign), [_row(foreign, Decision.CORRECTION, 2)]
    ).outcomes
    assert isinstance(outcome, Unidentified)
    assert outcome.reasons == (Reason.NOT_ALLOCATED,)


def test_unt_id_3_second_sheet_for_an_identified_applicant_goes_back() -> None:
    """No applicant holds two sheets, and no seat two applicants."""
    stray = clean_sheet(3, tzhk="900000003")
    state = _state(clean_sheet(1), stray)
    (outcome,) = apply_commission_rows(state, [_row(stray, Decision.CORRECTION, 1)]).unidentified
    assert outcome.reasons == (Reason.TZHK_ALREADY_IDENTIFIED, Reason.SEAT_TAKEN)


def test_unt_id_3_refused_row_can_be_followed_by_a_right_one() -> None:
    """A sheet sent back into the protocol is identified by a later, complete row."""
    wrong = clean_sheet(2, seat="003")
    once = apply_commission_rows(_state(wrong), [_row(wrong, Decision.CORRECTION, 2, seat=None)])
    twice = apply_commission_rows(once, [_row(wrong, Decision.CORRECTION, 2)])
    assert [o.tzhk for o in twice.identified] == [tzhk(2)]
    assert len(twice.rows_applied) == 2


def test_unt_id_10_additional_seating_identifies_the_sheet() -> None:
    """«Қосымша отырғызу» for an applicant in the state commission's record identifies."""
    sheet = clean_sheet(4, tzhk=EXTRA.tzhk, seat="009")
    row = _row(sheet, Decision.ADDITIONAL_SEATING, None, **EXTRA_DATA)
    (outcome,) = apply_commission_rows(_state(sheet), [row]).identified
    assert (outcome.tzhk, outcome.decision) == (EXTRA.tzhk, Decision.ADDITIONAL_SEATING)


def test_unt_id_10_additional_seating_not_in_the_record_goes_back() -> None:
    """«Қосымша отырғызу» needs the applicant in the state commission's record."""
    sheet = clean_sheet(4, tzhk="777000001")
    row = _row(sheet, Decision.ADDITIONAL_SEATING, None, **{**EXTRA_DATA, "tzhk": "777000001"})
    (outcome,) = apply_commission_rows(_state(sheet), [row]).unidentified
    assert outcome.reasons == (Reason.NOT_ADDITIONALLY_SEATED,)


def test_d_8_additional_seating_on_reserve_material_is_not_deleted() -> None:
    """A reserve sheet outside the room's list is «Қосымша отырғызу» for an added applicant."""
    sheet = clean_sheet(4, serial=90001, tzhk=EXTRA.tzhk, seat="009")
    state = _state(sheet)
    assert state.unidentified[0].reasons == (Reason.NOT_ALLOCATED, Reason.TZHK_NOT_IN_ROOM)
    row = _row(sheet, Decision.ADDITIONAL_SEATING, None, **EXTRA_DATA)
    (outcome,) = apply_commission_rows(state, [row]).identified
    assert (outcome.serial, outcome.decision) == (90001, Decision.ADDITIONAL_SEATING)


def test_d_8_deleting_an_additionally_seated_applicants_sheet_is_refused() -> None:
    """«Жою» on the sheet of an additionally seated applicant contradicts D-8."""
    sheet = clean_sheet(4, serial=90001, tzhk=EXTRA.tzhk, seat="009")
    with pytest.raises(DomainError, match="not «Жою»") as info:
        apply_commission_rows(_state(sheet), [_row(sheet, Decision.DELETION, None)])
    assert info.value.rule_id == "D-8"


def test_unt_id_11_deletion_removes_a_sheet_outside_the_list() -> None:
    """«Жою» takes a sheet not allocated to the room out of evaluation."""
    foreign = clean_sheet(2, serial=serial_of(9, 2))
    state = apply_commission_rows(_state(foreign), [_row(foreign, Decision.DELETION, None)])
    (outcome,) = state.deleted
    assert (outcome.serial, outcome.row.decision) == (9002, Decision.DELETION)
    assert state.identified == ()


def test_unt_id_11_deleting_an_allocated_sheet_is_refused() -> None:
    """«Жою» applies only to sheets outside the room's list."""
    wrong = clean_sheet(2, seat="004")
    with pytest.raises(DomainError, match="only to sheets outside") as info:
        apply_commission_rows(_state(wrong), [_row(wrong, Decision.DELETION, None)])
    assert info.value.rule_id == "UNT-ID-11"


def test_unt_id_11_deleting_a_sheet_of_unknown_serial_needs_the_serial() -> None:
    """Without a serial «Жою» cannot be checked; with the printed one it can."""
    blind = clean_sheet(2, serial=None, tzhk="900000002")
    with pytest.raises(DomainError, match="must give the serial") as info:
        apply_commission_rows(_state(blind), [_row(blind, Decision.DELETION, None)])
    assert info.value.rule_id == "UNT-ID-11"
    state = apply_commission_rows(_state(blind), [_row(blind, Decision.DELETION, None, serial=1)])
    assert [o.serial for o in state.deleted] == [1]


def test_unt_id_8_rows_that_name_no_protocol_sheet_are_refused() -> None:
    """Rows for unknown or identified sheets, repeated rows and contradicting serials fail."""
    good, wrong = clean_sheet(1), clean_sheet(2, seat="004")
    blind = clean_sheet(3, serial=None)
    bad_rows = [
        [_row(wrong, Decision.CORRECTION, 2, sheet_id="nope")],
        [_row(good, Decision.CORRECTION, 1)],
        [_row(wrong, Decision.CORRECTION, 2)] * 2,
        [_row(wrong, Decision.CORRECTION, 2, serial=5)],
        [_row(blind, Decision.CORRECTION, 3, serial=good.serial)],
    ]
    for rows in bad_rows:
        with pytest.raises(DomainError) as info:
            apply_commission_rows(_state(good, wrong, blind), rows)
        assert info.value.rule_id == "UNT-ID-8"


def test_unt_id_7_upper_row_gets_the_sheet_number_once_identified() -> None:
    """«жауап парағының №» is filled from the sheet the commission identified."""
    wrong = clean_sheet(2, tzhk="900000002")
    before = identification_protocol(_state(wrong))
    after = identification_protocol(
        apply_commission_rows(_state(wrong), [_row(wrong, Decision.CORRECTION, 2)])
    )
    assert [(r.tzhk, r.sheet_serial) for r in before.upper if r.tzhk == tzhk(2)] == [
        (tzhk(2), None)
    ]
    assert [(r.tzhk, r.sheet_serial) for r in after.upper if r.tzhk == tzhk(2)] == [(tzhk(2), 3002)]
    assert [(r.decision, r.resolved) for r in after.lower] == [(Decision.CORRECTION, True)]


def test_unt_id_12_variant_held_more_often_than_allocated_is_flagged() -> None:
    """Three sheets of a variant allocated twice trigger variant identification."""
    sheets = [clean_sheet(k) for k in (1, 2, 3)]  # variants 0101, 0102, 0101
    assert variant_excesses(identify_room(room(4), [*sheets, clean_sheet(4)])) == ()
    over = identify_room(room(4), [*sheets, clean_sheet(4, variant="0101")])
    (excess,) = variant_excesses(over)  # 2 booklets of each variant allocated
    assert (excess.variant, excess.allocated, excess.found) == ("0101", 2, 3)
    assert [o.serial for o in pending_variant_checks(over)] == [3001, 3003, 3004]


def test_unt_id_12_booklet_checks_resolve_the_pending_variant() -> None:
    """Entering the booklet variants confirms them and clears the pending checks."""
    sheets = [clean_sheet(k, variant="0102") for k in (1, 2, 3)]
    state = identify_room(room(3), sheets)  # 2 booklets of 0102 allocated
    assert len(pending_variant_checks(state)) == 3
    checks = [
        VariantCheck(sheet_id=o.sheet_id, booklet_variant=variant_of(o.seat))
        for o in state.identified
    ]
    checked = apply_variant_checks(state, checks)
    assert pending_variant_checks(checked) == ()
    assert [o.variant for o in checked.identified] == ["0101", "0102", "0101"]


def test_unt_id_12_variant_check_for_a_sheet_not_identified_is_refused() -> None:
    """Variant identification checks identified sheets of the room only."""
    state = identify_room(room(3), [clean_sheet(1, seat="002")])
    with pytest.raises(DomainError, match="not identified") as info:
        apply_variant_checks(state, [VariantCheck(sheet_id="x", booklet_variant="0101")])
    assert info.value.rule_id == "UNT-ID-12"


def test_unt_id_12_commission_rows_carry_a_confirmed_variant() -> None:
    """A manually identified sheet took its variant from the booklet: no check pending."""
    sheets = [clean_sheet(k, variant="0102") for k in (1, 2)]
    sheets.append(clean_sheet(3, variant="0102", seat="004"))
    state = identify_room(room(3), sheets)
    row = _row(sheets[2], Decision.CORRECTION, 3, variant="0102")
    decided = apply_commission_rows(state, [row])
    assert [o.serial for o in pending_variant_checks(decided)] == [3001, 3002]


@given(
    st.lists(
        st.sampled_from(["clean", "tzhk", "seat", "foreign", "unfilled", "absent"]),
        min_size=1,
        max_size=10,
    )
)
def test_unt_id_3_truthful_rows_resolve_every_planted_case(fates: list[str]) -> None:
    """After the commission's truthful rows, every sheet is identified, deleted or unfilled."""
    planted = {
        "clean": lambda k: clean_sheet(k),
        "tzhk": lambda k: clean_sheet(k, tzhk=f"9{k:08d}"),
        "seat": lambda k: clean_sheet(k, seat="099"),
        "foreign": lambda k: clean_sheet(k, serial=serial_of(8, k), tzhk=f"8{k:08d}"),
        "unfilled": lambda k: unfilled_sheet(serial_of(3, k)),
    }
    owners = {}
    for k, fate in enumerate(fates, 1):
        if fate in planted:
            owners[k] = planted[fate](k)
    state = identify_room(room(len(fates)), list(owners.values()))
    waiting = {o.sheet_id for o in state.unidentified}
    rows = [
        _row(s, Decision.DELETION, None)
        if fates[k - 1] == "foreign"
        else _row(s, Decision.CORRECTION, k)
        for k, s in owners.items()
        if s.sheet_id in waiting
    ]
    decided = apply_commission_rows(state, rows)
    assert decided.unidentified == ()
    identified = {o.tzhk for o in decided.identified}
    assert identified == {tzhk(k) for k, f in enumerate(fates, 1) if f in {"clean", "tzhk", "seat"}}
    assert {o.serial for o in decided.deleted} == {
        serial_of(8, k) for k, f in enumerate(fates, 1) if f == "foreign"
    }
    assert all(
        isinstance(o, Identified | Deleted) or o.kind == "unfilled" for o in decided.outcomes
    )
