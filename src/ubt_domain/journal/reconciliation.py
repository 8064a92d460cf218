"""Comparing a school's registration journal with the «Талапкер» database.

After each scanning session the technical secretary compares the journal with
the database information list (appx 31, 32) so the state of every form is
known (UNT-REG-4). :func:`reconcile` finds the four discrepancy classes of
UNT-REG-8, the statuses still to be written in the journal (UNT-REG-5) and
the skipped ТЖК (UNT-REG-7); :func:`check_folders` compares the form folders
with the database (UNT-REG-6).

Per ТЖК, the journal says *registered* (status blank, «енгізілді» or
«өзгертілді»), *deleted* or nothing; the database says *active*
(«енгізілді»/«өзгертілді»), *deleted* or nothing. The classes split every
disagreement between the two, each ТЖК into at most one class.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import ClassVar

from pydantic import Field

from ubt_domain.application.applicants import TZHK_DIGITS, Tzhk
from ubt_domain.errors import DomainError
from ubt_domain.journal.entries import RegistrationJournal, ScanStatus
from ubt_domain.models import DomainModel

__all__ = [
    "DbRecord",
    "FolderCheck",
    "Reconciliation",
    "check_folders",
    "reconcile",
]


class DbRecord(DomainModel):
    """One applicant as the database information list shows it (UNT-REG-3).

    ``status`` is ``DELETED`` for the «Жойылған және бүлінген» list and the
    last scan's result otherwise.
    """

    malformed_rule: ClassVar[str] = "UNT-REG-4"

    tzhk: Tzhk
    status: ScanStatus


class Reconciliation(DomainModel):
    """Disagreements between a journal and the database, ТЖК ascending.

    Implements UNT-REG-4, UNT-REG-5, UNT-REG-7, UNT-REG-8.

    Attributes
    ----------
    not_in_database : tuple of str
        Class 1: registered in the journal, not in the database (so no
        registration certificate can have been issued).
    deleted_only_in_journal : tuple of str
        Class 2: deleted in the journal, not deleted in the database.
    deleted_only_in_database : tuple of str
        Class 3: deleted in the database, not marked deleted in the journal.
    not_in_journal : tuple of str
        Class 4: in the database, not registered in the journal.
    status_to_record : tuple of str
        Registered in both, but the journal's «Сканерлеу нәтижесі» does not
        show the database's status yet.
    skipped_tzhk : tuple of str
        ТЖК of the journal's sequence that appear neither in the journal nor
        in the database.
    """

    malformed_rule: ClassVar[str] = "UNT-REG-8"

    school_id: str
    not_in_database: tuple[str, ...] = ()
    deleted_only_in_journal: tuple[str, ...] = ()
    deleted_only_in_database: tuple[str, ...] = ()
    not_in_journal: tuple[str, ...] = ()
    status_to_record: tuple[str, ...] = ()
    skipped_tzhk: tuple[str, ...] = ()

    @property
    def clean(self) -> bool:
        """No discrepancy of any kind: the journal may be closed (UNT-REG-14)."""
        return not any(
            (
                self.not_in_database,
                self.deleted_only_in_journal,
                self.deleted_only_in_database,
                self.not_in_journal,
                self.status_to_record,
                self.skipped_tzhk,
            )
        )


def _database_by_tzhk(database: Sequence[DbRecord]) -> dict[str, ScanStatus]:
    if isinstance(database, str | bytes) or not isinstance(database, Sequence):
        raise DomainError("UNT-REG-4", "database must be a sequence of DbRecord")
    statuses: dict[str, ScanStatus] = {}
    for index, record in enumerate(database):
        if not isinstance(record, DbRecord):
            raise DomainError("UNT-REG-4", f"database[{index}] is not a DbRecord: {record!r:.80}")
        if record.tzhk in statuses:
            raise DomainError("UNT-REG-2", f"ТЖК {record.tzhk} appears twice in the database list")
        statuses[record.tzhk] = record.status
    return statuses


def _classify(journal_status: object, db_status: ScanStatus | None, in_journal: bool) -> str | None:
    """The discrepancy class of one ТЖК, or None when journal and database agree."""
    j_deleted = in_journal and journal_status == ScanStatus.DELETED
    j_registered = in_journal and not j_deleted
    d_deleted = db_status == ScanStatus.DELETED
    d_active = db_status is not None and not d_deleted
    if j_deleted and not d_deleted:
        return "deleted_only_in_journal"
    if d_deleted and not j_deleted:
        return "deleted_only_in_database"
    if j_registered and db_status is None:
        return "not_in_database"
    if d_active and not in_journal:
        return "not_in_journal"
    if j_registered and d_active and journal_status != db_status:
        return "status_to_record"
    return None


def _skipped(journal: RegistrationJournal, tzhks: Collection[str]) -> tuple[str, ...]:
    prefix = journal.tzhk_prefix
    width = TZHK_DIGITS - len(prefix)
    used = {int(t[len(prefix) :]) for t in tzhks if t.startswith(prefix)}
    return tuple(f"{prefix}{n:0{width}d}" for n in range(1, max(used, default=0)) if n not in used)


def reconcile(journal: RegistrationJournal, database: Sequence[DbRecord]) -> Reconciliation:
    """Compare a school's journal with the database list of that school.

    Implements UNT-REG-4, UNT-REG-5, UNT-REG-7, UNT-REG-8.

    Parameters
    ----------
    journal : RegistrationJournal
        The school's registration journal.
    database : sequence of DbRecord
        The database information list for the school (appx 31, 32),
        including its «Жойылған және бүлінген» list.

    Returns
    -------
    Reconciliation
        Each ТЖК in at most one discrepancy class.

    Raises
    ------
    DomainError
        ``database`` is malformed or lists a ТЖК twice.

    Examples
    --------
    >>> from ubt_domain.application.names import PersonName
    >>> from ubt_domain.journal.entries import JournalRow
    >>> row = JournalRow(line=1, tzhk="042000001", person=PersonName(surname="АБАЙ", name="ӘЛІ"))
    >>> journal = RegistrationJournal(
    ...     school_id="S1", tzhk_prefix="0420", printed_lines=5, rows=(row,)
    ... )
    >>> reconcile(journal, []).not_in_database
    ('042000001',)
    """
    if not isinstance(journal, RegistrationJournal):
        raise DomainError("UNT-REG-4", f"expected a RegistrationJournal, got {journal!r:.80}")
    db_status = _database_by_tzhk(database)
    journal_status = {row.tzhk: row.scan_status for row in journal.rows}
    classes: dict[str, list[str]] = {}
    for tzhk in sorted(journal_status.keys() | db_status.keys()):
        found = _classify(journal_status.get(tzhk), db_status.get(tzhk), tzhk in journal_status)
        if found is not None:
            classes.setdefault(found, []).append(tzhk)
    all_tzhk = journal_status.keys() | db_status.keys()
    return Reconciliation.model_validate(
        {
            "school_id": journal.school_id,
            "skipped_tzhk": _skipped(journal, all_tzhk),
            **{name: tuple(tzhks) for name, tzhks in classes.items()},
        }
    )


class FolderCheck(DomainModel):
    """Forms filed in the wrong folder or missing, ТЖК ascending (UNT-REG-6)."""

    malformed_rule: ClassVar[str] = "UNT-REG-6"

    missing_from_applications: tuple[str, ...] = Field(
        default=(), description="active in the database, form not in «Өтініш бланкілері»"
    )
    missing_from_deleted: tuple[str, ...] = Field(
        default=(), description="deleted in the database, form not in «Жойылған және бүлінген»"
    )
    misfiled: tuple[str, ...] = Field(
        default=(), description="form in a folder its database status does not allow"
    )

    @property
    def clean(self) -> bool:
        return not (self.missing_from_applications or self.missing_from_deleted or self.misfiled)


def check_folders(
    database: Sequence[DbRecord],
    *,
    applications_folder: Collection[str],
    deleted_folder: Collection[str],
) -> FolderCheck:
    """Compare the two form folders with the database.

    Implements UNT-REG-6: forms of applicants in the database are in
    «Өтініш бланкілері»; forms of deleted applicants are in «Жойылған және
    бүлінген бланкілер», matching the database's list of the same name.

    Parameters
    ----------
    database : sequence of DbRecord
        The database information list.
    applications_folder, deleted_folder : collection of str
        ТЖК of the forms found in each folder.
    """
    statuses = _database_by_tzhk(database)
    active = {t for t, s in statuses.items() if s != ScanStatus.DELETED}
    deleted = statuses.keys() - active
    applications, removed = set(applications_folder), set(deleted_folder)
    misfiled = (applications - active) | (removed - deleted)
    return FolderCheck(
        missing_from_applications=tuple(sorted(active - applications)),
        missing_from_deleted=tuple(sorted(deleted - removed)),
        misfiled=tuple(sorted(misfiled)),
    )
