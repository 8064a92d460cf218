"""ubt_domain: Kazakhstan's national testing procedures (ҰБТ, ОЖСБ, МАБ) as pure functions.

Consumes omrkit readings; never touches files, the clock or randomness:
time, seeds and data come in as arguments.

The names below are the public API; the package is the procedure, one
subpackage a stage:

- ``errors``, ``models``, ``passwords``: ``DomainError(rule_id)``, the shared
  vocabulary, NTC password verifiers and override records;
- ``application/``: applicants, ИИН, names, the form's sectors and its error
  protocol (UNT-FORM-*, D-9, D-13);
- ``journal/``: the registration journal, reconciliation, the change journal and
  closing (UNT-REG-*);
- ``rooms/``: the room fund, allocation, sealed seating, additional seating and
  variant alternation (UNT-ROOM-*, UNT-SEAT-*, D-7, D-8);
- ``identification/``: answer sheets, auto-identification, protocol tables,
  decisions, re-identification, closing, and МАБ/ОЖСБ school sheets (UNT-ID-*, D-12);
- ``key/``: the answer key, sealed under N passwords and opened behind the
  programme's gate, and its printout (UNT-KEY-*, D-4);
- ``scoring/``: ExamSpec presets, both scans of a room, the answers frame and
  its review list, scores per task, subject and sheet, thresholds
  (UNT-SCORE-*, UNT-SCAN-4/5, D-1, D-3, D-5, D-6, MAB-U-10…14);
- ``statements/``: statements and statistics as polars frames (UNT-STMT-1,
  UNT-STAT-*, MAB-S-22, OZH-19, MAB-U-11);
- ``ledger/``: the SHA-256-chained score ledger (UNT-STMT-2);
- ``appeals/``: applications, votes, technical evidence, decisions, closing, the
  statement with appeal and booklets kept (UNT-APL-*, UNT-BKLT-1, MAB-U-9, D-2);
- ``certificates/``: numbered certificates and their register (UNT-CERT-*);
- ``gradebook/``: e-journal windows, immutable grades, the report card (EJ-*, D-11);
- ``documents/``: the typst → PDF adapter, outside the pure core and loaded lazily.

Every name loads on first use (module ``__getattr__`` over ``_HOMES``), so
``import ubt_domain`` imports no submodule, pydantic, polars or typst; the
stub ``__init__.pyi`` gives type checkers the same names, and a test keeps
the two in step.

Every function cites the RULES.md ids it implements in its docstring; bad input
raises :class:`DomainError` carrying the rule id; documents are PDF bytes.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Home module (below ``ubt_domain.``) of each public name, names separated by spaces.
_HOMES: dict[str, str] = {
    "appeals.applications": (
        "AppealedTask AppealKind AppealRegister AppealStatus Application ContentGround "
        "file_application TechnicalGround"
    ),
    "appeals.booklets": "booklets_to_ntc",
    "appeals.closing": "AppealsClosure close_appeals",
    "appeals.deadlines": "appeal_deadline filed_in_time",
    "appeals.decisions": (
        "decide_application Hearing record_absence record_republic_decision TaskHearing"
    ),
    "appeals.outcomes": "AppealDecision",
    "appeals.statement": "statement_with_appeal StatementWithAppeal",
    "appeals.technical": (
        "SheetDefect SlotEvidence technical_finding TechnicalCase TechnicalFinding TechnicalOutcome"
    ),
    "appeals.votes": "Commission Member tally",
    "application.applicants": "Applicant Directories Institution InstitutionType",
    "application.fields": "FormFieldIds FormSymbols",
    "application.form": (
        "AcceptedApplication ApplicationResult decode_application FormDeletion FormMark SpoiledForm"
    ),
    "application.iin": "birth_date_from_prefix IinCheck IinProblem validate_iin",
    "application.names": "PersonName",
    "application.protocol": "ErrorCode ErrorProtocol FormError FormSector",
    "certificates.distribution": "check_register distribution_register",
    "certificates.numbers": (
        "blank_account Certificate CertificateBook certificates_file issue_certificates "
        "NumberRange receive_blanks"
    ),
    "documents.answer_analysis_card": "answer_analysis_card_pdf",
    "documents.appeal_statement": "statement_with_appeal_pdf",
    "documents.certificates": "certificates_pdf distribution_register_pdf",
    "documents.error_protocol": "error_protocol_pdf",
    "documents.identification_protocol": "identification_protocol_pdf",
    "documents.markup": "DocumentError",
    "documents.report_card": "report_card_pdf",
    "documents.results_report": "key_printout_pdf statistics_pdf",
    "documents.school_protocol": "school_identification_protocol_pdf",
    "documents.seating_sheet": "seating_sheet_pdf",
    "documents.statements": "school_statement_pdf university_exam_lists_pdf unt_statement_pdf",
    "errors": "DomainError",
    "gradebook.journal": "AccessGrant GradeJournal GrantReason record_grade",
    "gradebook.report_card": "report_card report_card_frame",
    "gradebook.windows": "AssessmentKind entry_deadline Quarter WindowPolicy",
    "identification.auto": "identify_room RoomIdentification",
    "identification.closing": "close_stream_identification StreamIdentification",
    "identification.decisions": (
        "apply_commission_rows apply_variant_checks pending_variant_checks variant_excesses "
        "VariantCheck VariantExcess"
    ),
    "identification.outcomes": (
        "CommissionRow Decision Deleted Identified Reason ReidentificationRow "
        "ReidentificationTrigger SheetOutcome Unfilled Unidentified"
    ),
    "identification.reidentification": "reidentify",
    "identification.roster": (
        "check_roster RoomRoster roster_from_seating SeatingRow VariantAllocation"
    ),
    "identification.school": (
        "apply_school_rows identify_school ListedStudent MatchReason SchoolIdentification "
        "SchoolMatched SchoolOutcome SchoolProtocolRow SchoolUnfilled SchoolUnmatched"
    ),
    "identification.school_sheets": "school_sheet_data SchoolSheetData SchoolSheetFieldIds",
    "identification.sheets": "answer_sheet_data AnswerSheetData AnswerSheetFieldIds",
    "identification.tables": "identification_protocol IdentificationProtocol",
    "journal.changes": (
        "apply_change_journal change_journal_entries ChangeField ChangeJournalEntry Correction "
        "correction_procedure CorrectionKind entries_for_names"
    ),
    "journal.closing": "close_journal closing_deadline",
    "journal.entries": (
        "JournalClosing JournalRow LateClosingOverride next_tzhk record_certificate_issued "
        "record_documents_returned record_scan_result register_applicant RegistrationJournal "
        "ScanStatus"
    ),
    "journal.reconciliation": "check_folders DbRecord FolderCheck reconcile Reconciliation",
    "key.answer_key": "AnswerKey key_frame SubjectKey VariantKey",
    "key.gate": "check_gate FinalFileSent",
    "key.printout": "key_printout KeyPrintout KeyPrintoutLine",
    "key.sealing": "open_key ScryptCost seal_key SealedKey",
    "ledger.chain": "verify_chain",
    "ledger.scores": "ChangeKind open_ledger Provenance record_change ScoreLedger TaskPoints",
    "models": "DomainModel ExamLanguage Gender Programme",
    "passwords": "Override OverrideRecord password_verifier PasswordVerifier",
    "rooms.additional": (
        "additional_seating_options AdditionalSeatingRequest MaterialsSource seat_additionally "
        "SeatOption"
    ),
    "rooms.allocation": "allocate Allocation RoomAllocation",
    "rooms.fund": (
        "Room room_label RoomEquipment RoomFund RoomOpening RoomViolation validate_room_fund"
    ),
    "rooms.sealed": "SealedRoom SeatingRegistry",
    "rooms.seating": "seat_room SeatAssignment SeatingPlan seed_commitment",
    "rooms.variants": (
        "assign_variants ClassroomShape find_variant_clashes VariantClash VariantPlan VariantSeat"
    ),
    "scoring.answers": "answers_frame apply_review_decisions review_list ReviewDecision",
    "scoring.candidates": (
        "Exclusion ExclusionReason school_scoring_sheets ScoringSheet ScoringSheets "
        "unt_scoring_sheets"
    ),
    "scoring.double_scan": (
        "accept_single_scans pair_scans RoomScans SingleScanDecision SlotDisagreement UnpairedSheet"
    ),
    "scoring.score": "score_answers sheet_scores subject_totals totals",
    "scoring.scores": "SheetScore SubjectScore TaskScore",
    "scoring.spec": (
        "check_spec_against_layout ExamSpec mab_grade4_spec mab_grade9_spec ozhsb_spec "
        "spec_from_layout SubjectSpec university_mab_spec unt_spec"
    ),
    "scoring.thresholds": (
        "attendance_reached mastered MasteryBasis organisation_flagged school_flagged "
        "university_passed"
    ),
    "statements.copies": "PrintedCopy",
    "statements.school": "school_statement school_summary",
    "statements.statistics": "daily_statistics final_statistics subject_statistics",
    "statements.university": (
        "ExamStatus organisation_summary university_exam_lists UniversityStudent"
    ),
    "statements.unt": "unt_statement",
}
_HOME_OF: dict[str, str] = {
    name: f"ubt_domain.{module}" for module, names in _HOMES.items() for name in names.split()
}
__all__ = sorted(_HOME_OF)


def __getattr__(name: str) -> Any:
    home = _HOME_OF.get(name)
    if home is None:
        raise AttributeError(f"module 'ubt_domain' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME_OF])
