"""Tests of re-scan and re-identification after the protocol was entered (reidentify)."""

from __future__ import annotations

import pytest

from tests.ubt_domain.answer_readings import SUBJECTS, clean_sheet, room, tzhk, variant_of
from ubt_domain.errors import DomainError
from ubt_domain.identification.auto import RoomIdentification, identify_room
from ubt_domain.identification.decisions import apply_commission_rows
from ubt_domain.identification.outcomes import (
    CommissionRow,
    Decision,
    Identified,
    Reason,
    ReidentificationRow,
    ReidentificationTrigger,
    Unidentified,
)
from ubt_domain.identification.reidentification import reidentify
from ubt_domain.identification.sheets import AnswerSheetData, Sector
from ubt_domain.passwords import password_verifier

NTC_PASSWORD = "qazaqstan-2026"
TZHK, VARIANT, SUBJECTS_TRIGGER = (
    ReidentificationTrigger.TZHK,
    ReidentificationTrigger.VARIANT,
    ReidentificationTrigger.PROFILE_SUBJECTS,
)


#: The NTC's check as data: the salted hash the testing point holds, never the password.
VERIFIER = password_verifier(NTC_PASSWORD, salt=b"re-scan salt 16b")


def _correct(sheet: AnswerSheetData, k: int, **over: object) -> CommissionRow:
    data: dict[str, object] = {
        "sheet_id": sheet.sheet_id,
        "decision": Decision.CORRECTION,
        "tzhk": tzhk(k),
        "seat": k,
        "variant": variant_of(k),
        "profile_subjects": SUBJECTS,
    }
    return CommissionRow.model_validate(data | over)


def _entered(pairs: list[tuple[int, int]]) -> RoomIdentification:
    """A room whose listed sheets (applicant, ТЖК the commission wrote) were all corrected."""
    sheets = [clean_sheet(k, seat="099") for k, _ in pairs]
    state = identify_room(room(4), sheets)
    rows = [
        _correct(s, k, tzhk=tzhk(written), seat=k)
        for s, (k, written) in zip(sheets, pairs, strict=True)
    ]
    return apply_commission_rows(state, rows)


def test_unt_id_13_rescan_before_the_protocol_is_entered_is_refused() -> None:
    """Before entry, errors are corrected by the commission's rows, not a re-scan."""
    state = identify_room(room(2), [clean_sheet(1)])
    with pytest.raises(DomainError, match="not been entered") as info:
        reidentify(state, rescanned=[clean_sheet(1)], password=NTC_PASSWORD, verifier=VERIFIER)
    assert info.value.rule_id == "UNT-ID-13"


def test_unt_scan_8_rescan_without_the_ntc_password_is_refused() -> None:
    """A re-scan after entry needs the password the NTC gave."""
    state = _entered([(1, 1)])
    with pytest.raises(DomainError, match="password") as info:
        reidentify(state, rescanned=[clean_sheet(1)], password="guess", verifier=VERIFIER)
    assert info.value.rule_id == "UNT-SCAN-8"


def test_unt_id_13_rescan_identifies_a_sheet_the_first_scan_misread() -> None:
    """A sheet still in the protocol is identified afresh from its new reading."""
    state = apply_commission_rows(
        identify_room(room(3), [clean_sheet(1), clean_sheet(2, seat="0 2")]),
        [_correct(clean_sheet(1), 1, sheet_id=clean_sheet(2, seat="0 2").sheet_id, seat=None)],
    )
    assert [o.serial for o in state.unidentified] == [3002]
    rescanned = reidentify(
        state, rescanned=[clean_sheet(2)], password=NTC_PASSWORD, verifier=VERIFIER
    )
    assert [o.tzhk for o in rescanned.identified] == [tzhk(1), tzhk(2)]
    assert rescanned.sheet(clean_sheet(2).sheet_id).seat == 2


def test_unt_id_13_rescan_keeps_decided_sheets_and_follows_the_new_reading() -> None:
    """A re-scan that reads the corrected sector as before keeps the decision, new reading."""
    state = _entered([(1, 1)])
    new = clean_sheet(1, seat="099")
    after = reidentify(state, rescanned=[new], password=NTC_PASSWORD, verifier=VERIFIER)
    (outcome,) = after.identified
    assert (outcome.sheet_id, outcome.decision, outcome.seat) == (
        new.sheet_id,
        Decision.CORRECTION,
        1,
    )


def test_unt_id_13_rescan_contradicting_the_identification_goes_back_to_the_protocol() -> None:
    """A re-scan reading a sector differently, against the decision, returns the conflict."""
    state = _entered([(1, 1)])
    new = clean_sheet(1, seat="098")
    after = reidentify(state, rescanned=[new], password=NTC_PASSWORD, verifier=VERIFIER)
    (outcome,) = after.outcomes
    assert isinstance(outcome, Unidentified)
    assert outcome.sheet_id == new.sheet_id
    assert outcome.reasons == (Reason.RESCAN_CONFLICT,)
    assert outcome.error_sectors == (Sector.SEAT,)


def test_unt_id_13_rescan_that_now_agrees_with_the_correction_keeps_it() -> None:
    """A re-scan that now reads the corrected value confirms the decision."""
    state = _entered([(1, 1)])
    after = reidentify(state, rescanned=[clean_sheet(1)], password=NTC_PASSWORD, verifier=VERIFIER)
    (outcome,) = after.identified
    assert (outcome.seat, outcome.decision) == (1, Decision.CORRECTION)


def test_unt_scan_8_reidentification_rows_alone_need_no_password() -> None:
    """§174 re-identification without a re-scan asks no NTC password; a re-scan still does."""
    state = _entered([(1, 3)])
    row = ReidentificationRow(serial=3001, triggers=(TZHK,), tzhk=tzhk(1))
    (outcome,) = reidentify(state, [row]).identified
    assert outcome.tzhk == tzhk(1)
    with pytest.raises(DomainError, match="password") as info:
        reidentify(state, [row], rescanned=[clean_sheet(1)])
    assert info.value.rule_id == "UNT-SCAN-8"


def test_unt_id_13_nothing_asked_or_a_stranger_sheet_is_refused() -> None:
    """A re-scan must name the room's own sheets, and must ask for something."""
    state = _entered([(1, 1)])
    for rescanned in ([], [clean_sheet(1, serial=123456)], [clean_sheet(1)] * 2):
        with pytest.raises(DomainError) as info:
            reidentify(state, rescanned=rescanned, password=NTC_PASSWORD, verifier=VERIFIER)
        assert info.value.rule_id == "UNT-ID-13"


def test_unt_id_14_wrongly_corrected_tzhk_is_reidentified() -> None:
    """A ТЖК the checkers corrected to the wrong applicant is set right."""
    state = _entered([(1, 3)])
    row = ReidentificationRow(serial=3001, triggers=(TZHK,), tzhk=tzhk(1))
    after = reidentify(state, [row], password=NTC_PASSWORD, verifier=VERIFIER)
    (outcome,) = after.identified
    assert (outcome.tzhk, outcome.reidentification) == (tzhk(1), row)


def test_unt_id_14_swapped_pair_of_tzhk_is_reidentified_together() -> None:
    """Two sheets whose ТЖК were swapped are re-identified in one go."""
    state = _entered([(1, 2), (2, 1)])
    rows = [
        ReidentificationRow(serial=3001, triggers=(TZHK,), tzhk=tzhk(1)),
        ReidentificationRow(serial=3002, triggers=(TZHK,), tzhk=tzhk(2)),
    ]
    after = reidentify(state, rows, password=NTC_PASSWORD, verifier=VERIFIER)
    assert [(o.serial, o.tzhk) for o in after.identified] == [(3001, tzhk(1)), (3002, tzhk(2))]


def test_unt_id_14_variant_and_profile_subjects_are_reidentified() -> None:
    """Wrongly corrected variant and profile subjects take the right values."""
    state = _entered([(1, 1)])
    row = ReidentificationRow(
        serial=3001,
        triggers=(VARIANT, SUBJECTS_TRIGGER),
        variant="0102",
        profile_subjects=("03", "04"),
    )
    (outcome,) = reidentify(state, [row], password=NTC_PASSWORD, verifier=VERIFIER).identified
    assert (outcome.variant, outcome.profile_subjects, outcome.tzhk) == (
        "0102",
        ("03", "04"),
        tzhk(1),
    )


def test_unt_id_14_reidentification_onto_a_taken_applicant_goes_back() -> None:
    """A re-identified ТЖК that another sheet holds sends the sheet into the protocol again."""
    state = _entered([(1, 1), (2, 2)])
    row = ReidentificationRow(serial=3002, triggers=(TZHK,), tzhk=tzhk(1))
    after = reidentify(state, [row], password=NTC_PASSWORD, verifier=VERIFIER)
    outcome = after.outcome(after.sheets[1].sheet_id)
    assert isinstance(outcome, Unidentified)
    assert outcome.reasons == (Reason.TZHK_ALREADY_IDENTIFIED,)
    assert isinstance(after.outcome(after.sheets[0].sheet_id), Identified)


def test_unt_id_14_tzhk_outside_the_room_goes_back() -> None:
    """A re-identified ТЖК must still be a seating-sheet applicant's."""
    state = _entered([(1, 1)])
    row = ReidentificationRow(serial=3001, triggers=(TZHK,), tzhk="800000000")
    (outcome,) = reidentify(state, [row], password=NTC_PASSWORD, verifier=VERIFIER).outcomes
    assert isinstance(outcome, Unidentified)
    assert outcome.reasons == (Reason.TZHK_NOT_IN_ROOM,)


@pytest.mark.parametrize(
    "row",
    [
        ReidentificationRow(serial=3001, triggers=(TZHK,)),
        ReidentificationRow(serial=3001, triggers=(TZHK,), tzhk=tzhk(1), variant="0101"),
        ReidentificationRow(serial=3999, triggers=(VARIANT,), variant="0101"),
    ],
    ids=["trigger-without-value", "value-without-trigger", "sheet-not-identified"],
)
def test_unt_id_14_malformed_rows_are_refused(row: ReidentificationRow) -> None:
    """Each trigger comes with its value, no value without its trigger, identified sheets only."""
    with pytest.raises(DomainError) as info:
        reidentify(_entered([(1, 1)]), [row], password=NTC_PASSWORD, verifier=VERIFIER)
    assert info.value.rule_id == "UNT-ID-14"
