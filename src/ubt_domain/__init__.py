"""ubt_domain: Kazakhstan's national testing procedures (ҰБТ, ОЖСБ, МАБ) as pure functions.

Consumes omrkit readings; never touches files, the clock or randomness:
time, seeds and data come in as arguments.

The names below are the public API, by stage of the procedures:

- Errors and the shared vocabulary: ``errors``, ``models``, ``typst_doc``;
- Applicants, ИИН and the application form (FORM): ``applicants``, ``iin``, ``names``,
  ``form_sectors``, ``application_form``, ``error_protocol``, ``documents``;
- Registration journal, reconciliation and corrections (REG): ``journal``,
  ``journal_closing``, ``reconciliation``, ``change_journal``;
- Rooms, allocation and seating (ROOM, SEAT): ``rooms``, ``allocation``, ``seating``,
  ``seating_sheet``, ``additional_seating``, ``variant_alternation``;
- ҰБТ answer-sheet identification (ID): ``answer_sheets``, ``identification_roster``,
  ``identification_models``, ``identification``, ``identification_decisions``,
  ``identification_tables``, ``identification_document``, ``identification_closing``,
  ``reidentification``;
- МАБ and ОЖСБ school sheets (D-12): ``mab_sheets``, ``mab_identification``,
  ``school_identification_document``.

Every function cites the RULES.md ids it implements in its docstring; bad input
raises :class:`DomainError` carrying the rule id; documents are PDF bytes.
"""

from __future__ import annotations

from ubt_domain.additional_seating import (
    AdditionalSeatingRequest,
    MaterialsSource,
    SeatOption,
    additional_seating_options,
    seat_additionally,
)
from ubt_domain.allocation import Allocation, RoomAllocation, allocate
from ubt_domain.answer_sheets import AnswerSheetData, AnswerSheetFieldIds, answer_sheet_data
from ubt_domain.applicants import Applicant, Directories, Institution, InstitutionType
from ubt_domain.application_form import (
    AcceptedApplication,
    ApplicationResult,
    FormDeletion,
    FormMark,
    SpoiledForm,
    decode_application,
)
from ubt_domain.change_journal import (
    ChangeField,
    ChangeJournalEntry,
    Correction,
    CorrectionKind,
    apply_change_journal,
    change_journal_entries,
    correction_procedure,
    entries_for_names,
)
from ubt_domain.documents import error_protocol_pdf
from ubt_domain.error_protocol import ErrorCode, ErrorProtocol, FormError, FormSector
from ubt_domain.errors import DomainError
from ubt_domain.form_sectors import FormFieldIds, FormSymbols
from ubt_domain.identification import RoomIdentification, identify_room
from ubt_domain.identification_closing import StreamIdentification, close_stream_identification
from ubt_domain.identification_decisions import (
    VariantCheck,
    VariantExcess,
    apply_commission_rows,
    apply_variant_checks,
    pending_variant_checks,
    variant_excesses,
)
from ubt_domain.identification_document import identification_protocol_pdf
from ubt_domain.identification_models import (
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
from ubt_domain.identification_roster import (
    RoomRoster,
    SeatingRow,
    VariantAllocation,
    check_roster,
    roster_from_seating,
)
from ubt_domain.identification_tables import IdentificationProtocol, identification_protocol
from ubt_domain.iin import IinCheck, IinProblem, birth_date_from_prefix, validate_iin
from ubt_domain.journal import (
    JournalClosing,
    JournalRow,
    RegistrationJournal,
    ScanStatus,
    next_tzhk,
    record_certificate_issued,
    record_documents_returned,
    record_scan_result,
    register_applicant,
)
from ubt_domain.journal_closing import close_journal, closing_deadline
from ubt_domain.mab_identification import (
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
from ubt_domain.mab_sheets import SchoolSheetData, SchoolSheetFieldIds, school_sheet_data
from ubt_domain.models import DomainModel, ExamLanguage, Gender, Programme
from ubt_domain.names import PersonName
from ubt_domain.reconciliation import (
    DbRecord,
    FolderCheck,
    Reconciliation,
    check_folders,
    reconcile,
)
from ubt_domain.reidentification import reidentify
from ubt_domain.rooms import (
    Room,
    RoomEquipment,
    RoomFund,
    RoomOpening,
    RoomViolation,
    room_label,
    validate_room_fund,
)
from ubt_domain.school_identification_document import school_identification_protocol_pdf
from ubt_domain.seating import (
    SeatAssignment,
    SeatingPlan,
    SeatingRegistry,
    seat_room,
    seed_commitment,
)
from ubt_domain.seating_sheet import seating_sheet_pdf
from ubt_domain.typst_doc import DocumentError
from ubt_domain.variant_alternation import (
    ClassroomShape,
    VariantClash,
    VariantPlan,
    VariantSeat,
    assign_variants,
    find_variant_clashes,
)

__all__ = [
    "AcceptedApplication",
    "AdditionalSeatingRequest",
    "Allocation",
    "AnswerSheetData",
    "AnswerSheetFieldIds",
    "Applicant",
    "ApplicationResult",
    "ChangeField",
    "ChangeJournalEntry",
    "ClassroomShape",
    "CommissionRow",
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
    "FolderCheck",
    "FormDeletion",
    "FormError",
    "FormFieldIds",
    "FormMark",
    "FormSector",
    "FormSymbols",
    "Gender",
    "IdentificationProtocol",
    "Identified",
    "IinCheck",
    "IinProblem",
    "Institution",
    "InstitutionType",
    "JournalClosing",
    "JournalRow",
    "ListedStudent",
    "MatchReason",
    "MaterialsSource",
    "PersonName",
    "Programme",
    "Reason",
    "Reconciliation",
    "RegistrationJournal",
    "ReidentificationRow",
    "ReidentificationTrigger",
    "Room",
    "RoomAllocation",
    "RoomEquipment",
    "RoomFund",
    "RoomIdentification",
    "RoomOpening",
    "RoomRoster",
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
    "SeatAssignment",
    "SeatOption",
    "SeatingPlan",
    "SeatingRegistry",
    "SeatingRow",
    "SheetOutcome",
    "SpoiledForm",
    "StreamIdentification",
    "Unfilled",
    "Unidentified",
    "VariantAllocation",
    "VariantCheck",
    "VariantClash",
    "VariantExcess",
    "VariantPlan",
    "VariantSeat",
    "additional_seating_options",
    "allocate",
    "answer_sheet_data",
    "apply_change_journal",
    "apply_commission_rows",
    "apply_school_rows",
    "apply_variant_checks",
    "assign_variants",
    "birth_date_from_prefix",
    "change_journal_entries",
    "check_folders",
    "check_roster",
    "close_journal",
    "close_stream_identification",
    "closing_deadline",
    "correction_procedure",
    "decode_application",
    "entries_for_names",
    "error_protocol_pdf",
    "find_variant_clashes",
    "identification_protocol",
    "identification_protocol_pdf",
    "identify_room",
    "identify_school",
    "next_tzhk",
    "pending_variant_checks",
    "reconcile",
    "record_certificate_issued",
    "record_documents_returned",
    "record_scan_result",
    "register_applicant",
    "reidentify",
    "room_label",
    "roster_from_seating",
    "school_identification_protocol_pdf",
    "school_sheet_data",
    "seat_additionally",
    "seat_room",
    "seating_sheet_pdf",
    "seed_commitment",
    "validate_iin",
    "validate_room_fund",
    "variant_excesses",
]
