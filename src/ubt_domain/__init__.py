"""ubt_domain: Kazakhstan's national testing procedures (ҰБТ, ОЖСБ, МАБ) as pure functions.

Consumes omrkit readings; never touches files, the clock or randomness:
time, seeds and data come in as arguments.

The names below are the public API; the package is the procedure, one
subpackage a stage:

- ``errors``, ``models``: ``DomainError(rule_id)`` and the shared vocabulary;
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

Names whose modules need polars or typst load lazily (``_LAZY``), so
``import ubt_domain`` stays light.

Every function cites the RULES.md ids it implements in its docstring; bad input
raises :class:`DomainError` carrying the rule id; documents are PDF bytes.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ubt_domain.appeals.applications import (
    AppealedTask,
    AppealKind,
    AppealRegister,
    AppealStatus,
    Application,
    ContentGround,
    TechnicalGround,
    file_application,
)
from ubt_domain.appeals.booklets import booklets_to_ntc
from ubt_domain.appeals.closing import AppealsClosure, close_appeals
from ubt_domain.appeals.deadlines import appeal_deadline, filed_in_time
from ubt_domain.appeals.decisions import (
    Hearing,
    TaskHearing,
    decide_application,
    record_absence,
    record_republic_decision,
)
from ubt_domain.appeals.outcomes import AppealDecision
from ubt_domain.appeals.statement import StatementWithAppeal, statement_with_appeal
from ubt_domain.appeals.technical import (
    SheetDefect,
    SlotEvidence,
    TechnicalCase,
    TechnicalFinding,
    TechnicalOutcome,
    technical_finding,
)
from ubt_domain.appeals.votes import Commission, Member, tally
from ubt_domain.application.applicants import Applicant, Directories, Institution, InstitutionType
from ubt_domain.application.form import (
    AcceptedApplication,
    ApplicationResult,
    FormDeletion,
    FormMark,
    SpoiledForm,
    decode_application,
)
from ubt_domain.application.iin import IinCheck, IinProblem, birth_date_from_prefix, validate_iin
from ubt_domain.application.names import PersonName
from ubt_domain.application.protocol import ErrorCode, ErrorProtocol, FormError, FormSector
from ubt_domain.application.sectors import FormFieldIds, FormSymbols
from ubt_domain.certificates.distribution import check_register, distribution_register
from ubt_domain.certificates.numbers import (
    Certificate,
    CertificateBook,
    NumberRange,
    blank_account,
    certificates_file,
    issue_certificates,
    receive_blanks,
)
from ubt_domain.errors import DomainError
from ubt_domain.gradebook.journal import AccessGrant, GradeJournal, GrantReason, record_grade
from ubt_domain.gradebook.report_card import report_card, report_card_frame
from ubt_domain.gradebook.windows import AssessmentKind, Quarter, WindowPolicy, entry_deadline
from ubt_domain.identification.auto import RoomIdentification, identify_room
from ubt_domain.identification.closing import StreamIdentification, close_stream_identification
from ubt_domain.identification.decisions import (
    VariantCheck,
    VariantExcess,
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
    ReidentificationRow,
    ReidentificationTrigger,
    SheetOutcome,
    Unfilled,
    Unidentified,
)
from ubt_domain.identification.reidentification import reidentify
from ubt_domain.identification.roster import (
    RoomRoster,
    SeatingRow,
    VariantAllocation,
    check_roster,
    roster_from_seating,
)
from ubt_domain.identification.school import (
    ListedStudent,
    MatchReason,
    SchoolIdentification,
    SchoolMatched,
    SchoolOutcome,
    SchoolProtocolRow,
    SchoolUnfilled,
    SchoolUnmatched,
    apply_school_rows,
    identify_school,
)
from ubt_domain.identification.school_sheets import (
    SchoolSheetData,
    SchoolSheetFieldIds,
    school_sheet_data,
)
from ubt_domain.identification.sheets import AnswerSheetData, AnswerSheetFieldIds, answer_sheet_data
from ubt_domain.identification.tables import IdentificationProtocol, identification_protocol
from ubt_domain.journal.changes import (
    ChangeField,
    ChangeJournalEntry,
    Correction,
    CorrectionKind,
    apply_change_journal,
    change_journal_entries,
    correction_procedure,
    entries_for_names,
)
from ubt_domain.journal.closing import close_journal, closing_deadline
from ubt_domain.journal.entries import (
    JournalClosing,
    JournalRow,
    LateClosingOverride,
    RegistrationJournal,
    ScanStatus,
    next_tzhk,
    record_certificate_issued,
    record_documents_returned,
    record_scan_result,
    register_applicant,
)
from ubt_domain.journal.reconciliation import (
    DbRecord,
    FolderCheck,
    Reconciliation,
    check_folders,
    reconcile,
)
from ubt_domain.key.answer_key import AnswerKey, SubjectKey, VariantKey, key_frame
from ubt_domain.key.gate import FinalFileSent, check_gate
from ubt_domain.key.printout import KeyPrintout, KeyPrintoutLine, key_printout
from ubt_domain.key.sealing import (
    ScryptCost,
    SealedKey,
    open_key,
    seal_key,
)
from ubt_domain.ledger.chain import verify_chain
from ubt_domain.ledger.scores import (
    ChangeKind,
    Provenance,
    ScoreLedger,
    TaskPoints,
    open_ledger,
    record_change,
)
from ubt_domain.models import DomainModel, ExamLanguage, Gender, Programme
from ubt_domain.rooms.additional import (
    AdditionalSeatingRequest,
    MaterialsSource,
    SeatOption,
    additional_seating_options,
    seat_additionally,
)
from ubt_domain.rooms.allocation import Allocation, RoomAllocation, allocate
from ubt_domain.rooms.fund import (
    Room,
    RoomEquipment,
    RoomFund,
    RoomOpening,
    RoomViolation,
    room_label,
    validate_room_fund,
)
from ubt_domain.rooms.sealed import SeatingRegistry
from ubt_domain.rooms.seating import (
    SeatAssignment,
    SeatingPlan,
    seat_room,
    seed_commitment,
)
from ubt_domain.rooms.variants import (
    ClassroomShape,
    VariantClash,
    VariantPlan,
    VariantSeat,
    assign_variants,
    find_variant_clashes,
)
from ubt_domain.scoring.candidates import (
    Exclusion,
    ExclusionReason,
    ScoringSheet,
    ScoringSheets,
    school_scoring_sheets,
    unt_scoring_sheets,
)
from ubt_domain.scoring.double_scan import (
    RoomScans,
    SingleScanDecision,
    SlotDisagreement,
    UnpairedSheet,
    accept_single_scans,
    pair_scans,
)
from ubt_domain.scoring.scores import SheetScore, SubjectScore, TaskScore
from ubt_domain.scoring.spec import (
    ExamSpec,
    SubjectSpec,
    check_spec_against_layout,
    mab_grade4_spec,
    mab_grade9_spec,
    ozhsb_spec,
    spec_from_layout,
    university_mab_spec,
    unt_spec,
)
from ubt_domain.scoring.thresholds import (
    MasteryBasis,
    attendance_reached,
    mastered,
    organisation_flagged,
    school_flagged,
    university_passed,
)
from ubt_domain.statements.copies import PrintedCopy

# Documents are an adapter (typst) and the frame modules need polars; both are
# loaded on first use so the pure core imports light.
_LAZY: dict[str, str] = {
    "DocumentError": "ubt_domain.documents.markup",
    "error_protocol_pdf": "ubt_domain.documents.error_protocol",
    "identification_protocol_pdf": "ubt_domain.documents.identification_protocol",
    "school_identification_protocol_pdf": "ubt_domain.documents.school_protocol",
    "seating_sheet_pdf": "ubt_domain.documents.seating_sheet",
    "ReviewDecision": "ubt_domain.scoring.answers",
    "answers_frame": "ubt_domain.scoring.answers",
    "apply_review_decisions": "ubt_domain.scoring.answers",
    "review_list": "ubt_domain.scoring.answers",
    "score_answers": "ubt_domain.scoring.score",
    "sheet_scores": "ubt_domain.scoring.score",
    "subject_totals": "ubt_domain.scoring.score",
    "totals": "ubt_domain.scoring.score",
    "unt_statement": "ubt_domain.statements.unt",
    "school_statement": "ubt_domain.statements.school",
    "school_summary": "ubt_domain.statements.school",
    "ExamStatus": "ubt_domain.statements.university",
    "UniversityStudent": "ubt_domain.statements.university",
    "organisation_summary": "ubt_domain.statements.university",
    "university_exam_lists": "ubt_domain.statements.university",
    "daily_statistics": "ubt_domain.statements.statistics",
    "final_statistics": "ubt_domain.statements.statistics",
    "subject_statistics": "ubt_domain.statements.statistics",
    "school_statement_pdf": "ubt_domain.documents.statements",
    "university_exam_lists_pdf": "ubt_domain.documents.statements",
    "unt_statement_pdf": "ubt_domain.documents.statements",
    "key_printout_pdf": "ubt_domain.documents.results_report",
    "statistics_pdf": "ubt_domain.documents.results_report",
    "answer_analysis_card_pdf": "ubt_domain.documents.answer_analysis_card",
    "certificates_pdf": "ubt_domain.documents.certificates",
    "distribution_register_pdf": "ubt_domain.documents.certificates",
    "report_card_pdf": "ubt_domain.documents.report_card",
    "statement_with_appeal_pdf": "ubt_domain.documents.appeal_statement",
}

if TYPE_CHECKING:
    from ubt_domain.documents.answer_analysis_card import answer_analysis_card_pdf
    from ubt_domain.documents.appeal_statement import statement_with_appeal_pdf
    from ubt_domain.documents.certificates import certificates_pdf, distribution_register_pdf
    from ubt_domain.documents.error_protocol import error_protocol_pdf
    from ubt_domain.documents.identification_protocol import identification_protocol_pdf
    from ubt_domain.documents.markup import DocumentError
    from ubt_domain.documents.report_card import report_card_pdf
    from ubt_domain.documents.results_report import key_printout_pdf, statistics_pdf
    from ubt_domain.documents.school_protocol import school_identification_protocol_pdf
    from ubt_domain.documents.seating_sheet import seating_sheet_pdf
    from ubt_domain.documents.statements import (
        school_statement_pdf,
        university_exam_lists_pdf,
        unt_statement_pdf,
    )
    from ubt_domain.scoring.answers import (
        ReviewDecision,
        answers_frame,
        apply_review_decisions,
        review_list,
    )
    from ubt_domain.scoring.score import score_answers, sheet_scores, subject_totals, totals
    from ubt_domain.statements.school import school_statement, school_summary
    from ubt_domain.statements.statistics import (
        daily_statistics,
        final_statistics,
        subject_statistics,
    )
    from ubt_domain.statements.university import (
        ExamStatus,
        UniversityStudent,
        organisation_summary,
        university_exam_lists,
    )
    from ubt_domain.statements.unt import unt_statement


def __getattr__(name: str) -> Any:
    home = _LAZY.get(name)
    if home is None:
        raise AttributeError(f"module 'ubt_domain' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "AcceptedApplication",
    "AccessGrant",
    "AdditionalSeatingRequest",
    "Allocation",
    "AnswerKey",
    "AnswerSheetData",
    "AnswerSheetFieldIds",
    "AppealDecision",
    "AppealKind",
    "AppealRegister",
    "AppealStatus",
    "AppealedTask",
    "AppealsClosure",
    "Applicant",
    "Application",
    "ApplicationResult",
    "AssessmentKind",
    "Certificate",
    "CertificateBook",
    "ChangeField",
    "ChangeJournalEntry",
    "ChangeKind",
    "ClassroomShape",
    "Commission",
    "CommissionRow",
    "ContentGround",
    "Correction",
    "CorrectionKind",
    "DbRecord",
    "Decision",
    "Deleted",
    "Directories",
    "DocumentError",
    "DomainError",
    "DomainModel",
    "ErrorCode",
    "ErrorProtocol",
    "ExamLanguage",
    "ExamSpec",
    "ExamStatus",
    "Exclusion",
    "ExclusionReason",
    "FinalFileSent",
    "FolderCheck",
    "FormDeletion",
    "FormError",
    "FormFieldIds",
    "FormMark",
    "FormSector",
    "FormSymbols",
    "Gender",
    "GradeJournal",
    "GrantReason",
    "Hearing",
    "IdentificationProtocol",
    "Identified",
    "IinCheck",
    "IinProblem",
    "Institution",
    "InstitutionType",
    "JournalClosing",
    "JournalRow",
    "KeyPrintout",
    "KeyPrintoutLine",
    "LateClosingOverride",
    "ListedStudent",
    "MasteryBasis",
    "MatchReason",
    "MaterialsSource",
    "Member",
    "NumberRange",
    "PersonName",
    "PrintedCopy",
    "Programme",
    "Provenance",
    "Quarter",
    "Reason",
    "Reconciliation",
    "RegistrationJournal",
    "ReidentificationRow",
    "ReidentificationTrigger",
    "ReviewDecision",
    "Room",
    "RoomAllocation",
    "RoomEquipment",
    "RoomFund",
    "RoomIdentification",
    "RoomOpening",
    "RoomRoster",
    "RoomScans",
    "RoomViolation",
    "ScanStatus",
    "SchoolIdentification",
    "SchoolMatched",
    "SchoolOutcome",
    "SchoolProtocolRow",
    "SchoolSheetData",
    "SchoolSheetFieldIds",
    "SchoolUnfilled",
    "SchoolUnmatched",
    "ScoreLedger",
    "ScoringSheet",
    "ScoringSheets",
    "ScryptCost",
    "SealedKey",
    "SeatAssignment",
    "SeatOption",
    "SeatingPlan",
    "SeatingRegistry",
    "SeatingRow",
    "SheetDefect",
    "SheetOutcome",
    "SheetScore",
    "SingleScanDecision",
    "SlotDisagreement",
    "SlotEvidence",
    "SpoiledForm",
    "StatementWithAppeal",
    "StreamIdentification",
    "SubjectKey",
    "SubjectScore",
    "SubjectSpec",
    "TaskHearing",
    "TaskPoints",
    "TaskScore",
    "TechnicalCase",
    "TechnicalFinding",
    "TechnicalGround",
    "TechnicalOutcome",
    "Unfilled",
    "Unidentified",
    "UniversityStudent",
    "UnpairedSheet",
    "VariantAllocation",
    "VariantCheck",
    "VariantClash",
    "VariantExcess",
    "VariantKey",
    "VariantPlan",
    "VariantSeat",
    "WindowPolicy",
    "accept_single_scans",
    "additional_seating_options",
    "allocate",
    "answer_analysis_card_pdf",
    "answer_sheet_data",
    "answers_frame",
    "appeal_deadline",
    "apply_change_journal",
    "apply_commission_rows",
    "apply_review_decisions",
    "apply_school_rows",
    "apply_variant_checks",
    "assign_variants",
    "attendance_reached",
    "birth_date_from_prefix",
    "blank_account",
    "booklets_to_ntc",
    "certificates_file",
    "certificates_pdf",
    "change_journal_entries",
    "check_folders",
    "check_gate",
    "check_register",
    "check_roster",
    "check_spec_against_layout",
    "close_appeals",
    "close_journal",
    "close_stream_identification",
    "closing_deadline",
    "correction_procedure",
    "daily_statistics",
    "decide_application",
    "decode_application",
    "distribution_register",
    "distribution_register_pdf",
    "entries_for_names",
    "entry_deadline",
    "error_protocol_pdf",
    "file_application",
    "filed_in_time",
    "final_statistics",
    "find_variant_clashes",
    "identification_protocol",
    "identification_protocol_pdf",
    "identify_room",
    "identify_school",
    "issue_certificates",
    "key_frame",
    "key_printout",
    "key_printout_pdf",
    "mab_grade4_spec",
    "mab_grade9_spec",
    "mastered",
    "next_tzhk",
    "open_key",
    "open_ledger",
    "organisation_flagged",
    "organisation_summary",
    "ozhsb_spec",
    "pair_scans",
    "pending_variant_checks",
    "receive_blanks",
    "reconcile",
    "record_absence",
    "record_certificate_issued",
    "record_change",
    "record_documents_returned",
    "record_grade",
    "record_republic_decision",
    "record_scan_result",
    "register_applicant",
    "reidentify",
    "report_card",
    "report_card_frame",
    "report_card_pdf",
    "review_list",
    "room_label",
    "roster_from_seating",
    "school_flagged",
    "school_identification_protocol_pdf",
    "school_scoring_sheets",
    "school_sheet_data",
    "school_statement",
    "school_statement_pdf",
    "school_summary",
    "score_answers",
    "seal_key",
    "seat_additionally",
    "seat_room",
    "seating_sheet_pdf",
    "seed_commitment",
    "sheet_scores",
    "spec_from_layout",
    "statement_with_appeal",
    "statement_with_appeal_pdf",
    "statistics_pdf",
    "subject_statistics",
    "subject_totals",
    "tally",
    "technical_finding",
    "totals",
    "university_exam_lists",
    "university_exam_lists_pdf",
    "university_mab_spec",
    "university_passed",
    "unt_scoring_sheets",
    "unt_spec",
    "unt_statement",
    "unt_statement_pdf",
    "validate_iin",
    "validate_room_fund",
    "variant_excesses",
    "verify_chain",
]
