"""Every rule of the areas ubt_domain carries is tested by name, or listed here with why not.

The id lists are copied from RULES.md (areas FORM, REG, ROOM, SEAT, ID, the
identification side of SCAN and KEY, the ОЖСБ and МАБ identification,
seating and variant rules, and the decisions they rest on). A rule counts as
tested when a test function under tests/ubt_domain is named after it,
``test_unt_form_5_<behaviour>``; the rest are in :data:`NOT_SOFTWARE_CARRIED`
with the reason no function can carry them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS_DIR = Path(__file__).parent


def _numbered(prefix: str, last: int) -> list[str]:
    return [f"{prefix}-{n}" for n in range(1, last + 1)]


FORM_IDS = _numbered("UNT-FORM", 26)
REG_IDS = _numbered("UNT-REG", 19)
ROOM_IDS = _numbered("UNT-ROOM", 21)
SEAT_IDS = _numbered("UNT-SEAT", 11)
ID_IDS = _numbered("UNT-ID", 15)
# The identification side of scanning and the key: the hand-over of a room's
# sheets, the protocol, re-scanning, and closing a stream before its key opens.
SCAN_KEY_IDS = ["UNT-SCAN-3", "UNT-SCAN-6", "UNT-SCAN-7", "UNT-SCAN-8", "UNT-KEY-2"]
# ОЖСБ and МАБ rules on the school sheets' service sectors, identification
# against the school's list, seating and booklet variants.
OZH_IDS = ["OZH-6", "OZH-7", "OZH-10", "OZH-15", "OZH-18", "OZH-23", "OZH-25"]
MAB_IDS = ["MAB-S-5", "MAB-S-8", "MAB-S-14", "MAB-S-17", "MAB-S-21"]
# The decisions of RULES.md these areas implement.
DECISION_IDS = ["D-4", "D-7", "D-8", "D-9", "D-10", "D-12", "D-13"]
# The key, scoring, statements and statistics; the statement with appeal (UNT-STMT-2)
# belongs with the appeals.
KEY_IDS = [rule for rule in _numbered("UNT-KEY", 7) if rule not in SCAN_KEY_IDS]
SCORE_IDS = _numbered("UNT-SCORE", 6)
STMT_IDS = ["UNT-STMT-1", "UNT-STMT-3", "UNT-STMT-4"]
STAT_IDS = _numbered("UNT-STAT", 9)
SCAN_SCORING_IDS = ["UNT-SCAN-1", "UNT-SCAN-2", "UNT-SCAN-4", "UNT-SCAN-5"]
OZH_SCORING_IDS = [
    "OZH-11",
    "OZH-17",
    "OZH-19",
    "OZH-20",
    "OZH-27",
    "OZH-28",
    "OZH-32",
    "OZH-33",
    "OZH-34",
]
MAB_S_SCORING_IDS = [
    "MAB-S-3",
    "MAB-S-9",
    "MAB-S-10",
    "MAB-S-11",
    "MAB-S-12",
    "MAB-S-18",
    "MAB-S-22",
    "MAB-S-23",
    "MAB-S-24",
    "MAB-S-25",
    "MAB-S-26",
    "MAB-S-27",
    "MAB-S-28",
    "MAB-S-29",
]
MAB_U_SCORING_IDS = ["MAB-U-6", "MAB-U-10", "MAB-U-11", "MAB-U-12", "MAB-U-13", "MAB-U-14"]
SCORING_DECISION_IDS = ["D-1", "D-3", "D-5", "D-6"]
# Appeals, certificates, booklets kept, the university МАБ appeal deadline, the
# e-journal, and the decisions they rest on (D-10 is listed above).
APL_IDS = _numbered("UNT-APL", 34)
CERT_IDS = _numbered("UNT-CERT", 10)
BKLT_IDS = _numbered("UNT-BKLT", 3)
MAB_APPEAL_IDS = ["MAB-U-9"]
EJ_IDS = _numbered("EJ", 9)
APPEAL_DECISION_IDS = ["D-2", "D-11"]
WANTED = [
    *FORM_IDS,
    *REG_IDS,
    *ROOM_IDS,
    *SEAT_IDS,
    *ID_IDS,
    *SCAN_KEY_IDS,
    *OZH_IDS,
    *MAB_IDS,
    *DECISION_IDS,
    *KEY_IDS,
    *SCORE_IDS,
    *STMT_IDS,
    *STAT_IDS,
    *SCAN_SCORING_IDS,
    *OZH_SCORING_IDS,
    *MAB_S_SCORING_IDS,
    *MAB_U_SCORING_IDS,
    *SCORING_DECISION_IDS,
    *APL_IDS,
    *CERT_IDS,
    *BKLT_IDS,
    *MAB_APPEAL_IDS,
    *EJ_IDS,
    *APPEAL_DECISION_IDS,
]
# Decisions of the corrections to identification and registration: post-closing
# ЖСН corrections and balanced room allocation.
WANTED += ["D-14", "D-15"]

# Rules of these areas that no function can carry, with the reason.
NOT_SOFTWARE_CARRIED = {
    # FORM
    "UNT-FORM-1": "order of handing out the form, pencil and pen: done by people",
    "UNT-FORM-2": "photos and identity-document copy are handed in on paper",
    "UNT-FORM-3": "who writes which sector by hand; the scanner cannot tell hands apart",
    "UNT-FORM-17": "signature sectors 17 and 18 are not read by OMR",
    "UNT-FORM-19": "the under-16 school certificate is a paper document with a photo",
    "UNT-FORM-22": "corrections written by hand in sector 2 of the registration certificate",
    "UNT-FORM-25": "classes the technical secretary runs for applicants",
    # REG
    "UNT-REG-12": "filing scanned forms in the «Өтініш бланкілері» folder",
    "UNT-REG-16": "sending counts to NTC over the network: I/O outside the pure domain",
    "UNT-REG-17": "appointing and supplying technical secretaries",
    "UNT-REG-18": "the secretary's duty to check and monitor (the checks are UNT-REG-4, -14)",
    "UNT-REG-19": "the testing-point head organising scanning and corrections",
    # ROOM
    "UNT-ROOM-1": "the head plans the fund and agrees it with the university or education "
    "body; the software part, seats matching applications, is UNT-ROOM-18",
    "UNT-ROOM-10": "where the data are entered (the «Аудиториялық қор» section of an NTC "
    "module); RoomFund is that section's content",
    "UNT-ROOM-12": "the «Оқу орны» institution directory, kept by the applicants' directory",
    "UNT-ROOM-13": "the school directory is checked by people and sent to NTC on paper",
    "UNT-ROOM-14": "testing-point facilities (catering, metal detectors) are not room rules",
    "UNT-ROOM-15": "the formation report (appx 28) is not described by the sources",
    "UNT-ROOM-16": "data entry into «ҰБТӨП базасы»; its stream split is allocate's input",
    "UNT-ROOM-21": "the head agrees the fund and schedule with the local body and NTC",
    # SEAT
    "UNT-SEAT-6": "applicants enter and take their seats under the Ministry representative",
    "UNT-SEAT-7": "the readiness walk-through of each room is done by people; matching sheets "
    "to seats after the exam is identification (UNT-ID-1)",
    "UNT-SEAT-8": "closing the door at the announced start is done at the room",
    "UNT-SEAT-10": "booklets are handed out by hand from seat 1; the sheet's seat order "
    "(UNT-SEAT-2) is what supports it",
    "UNT-SEAT-11": "the head count by exam language 20-25 minutes after the start is "
    "collected by people for the statistics",
    # SCAN
    "UNT-SCAN-7": "a work schedule: people identify room n while room n+1 is scanned; the "
    "software's part is that each room is identified from its own data alone",
    # ОЖСБ and МАБ
    "OZH-23": "ОЖСБ computer testing: students sit at any free computer, nothing is assigned",
    "OZH-25": "ОЖСБ computer testing: after a break a student may sit at any computer, "
    "so there is no seat to keep or to check",
    "MAB-S-14": "booklets are handed out in the room once the service sectors are filled; "
    "the variant this leaves on the sheet is read under MAB-S-8",
    # KEY, STAT, SCAN and the school programmes' reporting
    "UNT-KEY-5": "the chair's password is approved, sealed in an envelope and collected from "
    "NTC under the appx 16 act: paper handling; the password itself is an open_key input",
    "UNT-STAT-1": "sending the intake figures to NTC by 16:00 is I/O outside the pure domain; "
    "the counts are the registration journal's rows",
    "UNT-STAT-4": "the final file travels to NTC and NTC analyses the reports: I/O and NTC's "
    "own work; the figures are daily_statistics and final_statistics",
    "UNT-STAT-5": "the Ministry representatives' reports on appx 8 and the group leader's "
    "notices are written by people",
    "UNT-STAT-6": "the programmer sends the figures and the appx 25 report: sending is I/O; the "
    "figures are daily_statistics and final_statistics",
    "UNT-STAT-7": "the testing-point head's report on the work is written by a person",
    "UNT-STAT-9": "checking the application journal, room lists and pass stubs before testing "
    "is done by the Ministry representatives",
    "UNT-SCAN-1": "the scanner pre-check with control sheets is omrkit's calibration, outside "
    "the domain; the appx 18 report is sealed by hand",
    "OZH-27": "computer-based ОЖСБ collects answers in NTC's own programs, not from scanned "
    "sheets; scoring and the per-school statement then follow the same functions",
    "OZH-28": "the written reports to БҒСБК and NTC are written by people; the statements "
    "they enclose are school_statement_pdf",
    "MAB-S-3": "the order of work (lists, delivery, supervision, hand-over) is done by people; "
    "its software steps are MAB-S-21, MAB-S-22, MAB-S-24",
    "MAB-S-27": "handing results to students within 10 days is done by the schools",
    # APL
    "UNT-APL-1": "a reference to Rules §80-89; the rules themselves are the other APL ids",
    "UNT-APL-3": "the list of the commission's stages; each stage is its own APL id",
    "UNT-APL-9": "handing cards, register, copies and key to the chair (appx 23 act) is done "
    "by people; the card itself is UNT-APL-4",
    "UNT-APL-32": "returning original sheets and comparing them with copies is done by hand",
    "UNT-APL-33": "the chair's paper report to NTC (appx 26, 27) is not described by the sources",
    "UNT-APL-34": "NTC's own role: support, telecom and statistics outside the testing point",
    # BKLT
    "UNT-BKLT-2": "burning or shredding booklets after all stages is done by a commission",
    "UNT-BKLT-3": "the destruction act, its inventory number and photos or video are paper "
    "and media handed to NTC; the list of booklets kept is UNT-BKLT-1",
}
_RULE_IN_TEST_NAME = re.compile(r"^test_(unt_[a-z]+_\d+|ozh_\d+|mab_[su]_\d+|d_\d+|ej_\d+)_")


def _test_names() -> list[str]:
    """Names of every test function under tests/ubt_domain, found by walking the AST."""
    names: list[str] = []
    for path in sorted(TESTS_DIR.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names += [
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name.startswith("test_")
        ]
    return names


def _tested_rule_ids() -> set[str]:
    found = (_RULE_IN_TEST_NAME.match(name) for name in _test_names())
    return {m.group(1).upper().replace("_", "-") for m in found if m}


def test_every_rule_is_tested_or_listed_as_not_software_carried() -> None:
    """No rule of these areas is left without a test named after it or a stated reason."""
    tested = _tested_rule_ids()
    untested = [rule for rule in WANTED if rule not in tested]
    unexplained = [rule for rule in untested if rule not in NOT_SOFTWARE_CARRIED]
    assert unexplained == []


def test_no_listed_rule_is_tested() -> None:
    """A rule that gained a test leaves the list, so the list stays honest."""
    assert sorted(_tested_rule_ids() & set(NOT_SOFTWARE_CARRIED)) == []


def test_listed_rules_belong_to_these_areas_and_give_a_reason() -> None:
    """The list names only rules of these areas, each with a real reason."""
    assert set(NOT_SOFTWARE_CARRIED) <= set(WANTED)
    assert all(len(reason) > 20 for reason in NOT_SOFTWARE_CARRIED.values())


def test_the_id_lists_are_complete_and_distinct() -> None:
    """The copied lists hold the whole numbered range of each area, once each."""
    assert len(WANTED) == len(set(WANTED))
    assert (FORM_IDS[-1], REG_IDS[-1], ROOM_IDS[-1], SEAT_IDS[-1], ID_IDS[-1]) == (
        "UNT-FORM-26",
        "UNT-REG-19",
        "UNT-ROOM-21",
        "UNT-SEAT-11",
        "UNT-ID-15",
    )


def test_test_names_are_found() -> None:
    """The walk sees this module's own tests and tests named after rules elsewhere."""
    names = _test_names()
    assert "test_test_names_are_found" in names
    assert "UNT-SEAT-4" in _tested_rule_ids()
