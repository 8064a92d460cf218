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
- ``documents/``: the typst → PDF adapter, outside the pure core and loaded lazily.

Every function cites the RULES.md ids it implements in its docstring; bad input
raises :class:`DomainError` carrying the rule id; documents are PDF bytes.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
from ubt_domain.errors import DomainError
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
from ubt_domain.rooms.seating import (
    SeatAssignment,
    SeatingPlan,
    SeatingRegistry,
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

# Documents are an adapter (typst); loaded on first use so the pure core imports light.
_DOCUMENTS: dict[str, str] = {
    "DocumentError": "ubt_domain.documents.markup",
    "error_protocol_pdf": "ubt_domain.documents.error_protocol",
    "identification_protocol_pdf": "ubt_domain.documents.identification_protocol",
    "school_identification_protocol_pdf": "ubt_domain.documents.school_protocol",
    "seating_sheet_pdf": "ubt_domain.documents.seating_sheet",
}

if TYPE_CHECKING:
    from ubt_domain.documents.error_protocol import error_protocol_pdf
    from ubt_domain.documents.identification_protocol import identification_protocol_pdf
    from ubt_domain.documents.markup import DocumentError
    from ubt_domain.documents.school_protocol import school_identification_protocol_pdf
    from ubt_domain.documents.seating_sheet import seating_sheet_pdf


def __getattr__(name: str) -> Any:
    home = _DOCUMENTS.get(name)
    if home is None:
        raise AttributeError(f"module 'ubt_domain' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


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
    "LateClosingOverride",
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
