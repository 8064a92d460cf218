"""Journal ↔ database reconciliation: the four classes, statuses, skipped ТЖК, folders."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ubt_domain.application.names import PersonName
from ubt_domain.errors import DomainError
from ubt_domain.journal.entries import JournalRow, RegistrationJournal, ScanStatus
from ubt_domain.journal.reconciliation import DbRecord, Reconciliation, check_folders, reconcile

PREFIX = "0420"
PERSON = PersonName(surname="АБАЙ", name="ӘЛІ")
ABSENT = "absent"  # the ТЖК is not in that source at all
CLASSES = (
    "not_in_database",
    "deleted_only_in_journal",
    "deleted_only_in_database",
    "not_in_journal",
    "status_to_record",
)


def tzhk(n: int) -> str:
    return f"{PREFIX}{n:05d}"


def journal_of(statuses: Mapping[int, ScanStatus | None]) -> RegistrationJournal:
    """A journal whose line ``k`` holds ТЖК number ``k`` with the given status."""
    rows = tuple(
        JournalRow(line=line, tzhk=tzhk(n), person=PERSON, scan_status=status)
        for line, (n, status) in enumerate(sorted(statuses.items()), start=1)
    )
    return RegistrationJournal(school_id="S-042", tzhk_prefix=PREFIX, printed_lines=40, rows=rows)


def database_of(statuses: Mapping[int, ScanStatus]) -> list[DbRecord]:
    return [DbRecord(tzhk=tzhk(n), status=s) for n, s in sorted(statuses.items())]


def test_unt_reg_8_class_1_in_journal_but_not_in_database() -> None:
    """A registered line whose form never reached the database is class 1."""
    found = reconcile(
        journal_of({1: ScanStatus.ENTERED, 2: None}), database_of({1: ScanStatus.ENTERED})
    )
    assert found.not_in_database == (tzhk(2),)


def test_unt_reg_8_class_2_deleted_in_journal_only() -> None:
    """A line marked «жойылды» whose applicant is still active in the database is class 2."""
    found = reconcile(journal_of({1: ScanStatus.DELETED}), database_of({1: ScanStatus.ENTERED}))
    assert found.deleted_only_in_journal == (tzhk(1),)


def test_unt_reg_8_class_3_deleted_in_database_only() -> None:
    """An applicant deleted in the database but not marked in the journal is class 3."""
    found = reconcile(journal_of({1: ScanStatus.ENTERED}), database_of({1: ScanStatus.DELETED}))
    assert found.deleted_only_in_database == (tzhk(1),)


def test_unt_reg_8_class_4_in_database_but_not_in_journal() -> None:
    """An applicant in the database with no journal line is class 4."""
    found = reconcile(
        journal_of({1: ScanStatus.ENTERED}),
        database_of({1: ScanStatus.ENTERED, 2: ScanStatus.ENTERED}),
    )
    assert found.not_in_journal == (tzhk(2),)


def test_unt_reg_5_status_column_must_follow_the_database() -> None:
    """A line still blank, or «енгізілді» for a changed record, must be updated."""
    found = reconcile(
        journal_of({1: None, 2: ScanStatus.ENTERED}),
        database_of({1: ScanStatus.ENTERED, 2: ScanStatus.CHANGED}),
    )
    assert found.status_to_record == (tzhk(1), tzhk(2))


def test_unt_reg_7_skipped_tzhk_are_found() -> None:
    """Numbers of the sequence missing from both journal and database are skipped."""
    found = reconcile(
        journal_of({1: ScanStatus.ENTERED, 4: ScanStatus.ENTERED}),
        database_of({1: ScanStatus.ENTERED, 4: ScanStatus.ENTERED, 6: ScanStatus.ENTERED}),
    )
    assert found.skipped_tzhk == (tzhk(2), tzhk(3), tzhk(5))


def test_unt_reg_4_agreeing_journal_and_database_are_clean() -> None:
    """A journal that matches the database line for line shows no discrepancy."""
    statuses = {1: ScanStatus.ENTERED, 2: ScanStatus.CHANGED, 3: ScanStatus.DELETED}
    found = reconcile(journal_of(statuses), database_of(statuses))
    assert found.clean
    assert found.school_id == "S-042"


def reconciled(states: Mapping[int, tuple[object, object]]) -> Reconciliation:
    """Reconcile a journal and a database built from per-ТЖК (journal, database) states."""
    journal = journal_of({n: j for n, (j, _) in states.items() if j != ABSENT})  # type: ignore[misc]
    database = database_of({n: d for n, (_, d) in states.items() if d != ABSENT})  # type: ignore[misc]
    return reconcile(journal, database)


journal_states = st.sampled_from([ABSENT, None, *ScanStatus])
database_states = st.sampled_from([ABSENT, *ScanStatus])


@given(st.dictionaries(st.integers(1, 20), st.tuples(journal_states, database_states), max_size=20))
def test_unt_reg_8_classes_are_disjoint_and_cover_every_disagreement(
    states: dict[int, tuple[object, object]],
) -> None:
    """Each ТЖК lands in exactly one class when the two sources disagree, and in none otherwise."""
    found = reconciled(states)
    membership: dict[str, list[str]] = {}
    for name in CLASSES:
        for code in getattr(found, name):
            membership.setdefault(code, []).append(name)
    for n, (j, d) in states.items():
        disagree = j != d  # a blank status agrees with nothing: the line must be updated
        classes = membership.get(tzhk(n), [])
        assert len(classes) == (1 if disagree else 0), (j, d, classes)


@given(st.dictionaries(st.integers(1, 20), st.tuples(journal_states, database_states), max_size=20))
def test_unt_reg_8_class_members_match_the_rule_text(
    states: dict[int, tuple[object, object]],
) -> None:
    """Classes 1-4 contain exactly the ТЖК the four sentences of the rule describe."""
    found = reconciled(states)
    deleted = ScanStatus.DELETED

    def members(test: object) -> tuple[str, ...]:
        return tuple(tzhk(n) for n, (j, d) in sorted(states.items()) if test(j, d))  # type: ignore[operator]

    assert found.not_in_database == members(lambda j, d: j not in (ABSENT, deleted) and d == ABSENT)
    assert found.deleted_only_in_journal == members(lambda j, d: j == deleted and d != deleted)
    assert found.deleted_only_in_database == members(lambda j, d: d == deleted and j != deleted)
    assert found.not_in_journal == members(lambda j, d: j == ABSENT and d not in (ABSENT, deleted))


def test_unt_reg_2_duplicate_tzhk_in_the_database_list_is_refused() -> None:
    """The same ТЖК twice in the database list is a broken record, named by rule."""
    database = database_of({1: ScanStatus.ENTERED}) * 2
    with pytest.raises(DomainError) as caught:
        reconcile(journal_of({1: ScanStatus.ENTERED}), database)
    assert caught.value.rule_id == "UNT-REG-2"


@pytest.mark.parametrize("database", ["042000001", [{"tzhk": "042000001"}], None])
def test_unt_reg_4_malformed_database_list_is_refused(database: object) -> None:
    """A database list that is not DbRecord rows raises DomainError naming UNT-REG-4."""
    with pytest.raises(DomainError) as caught:
        reconcile(journal_of({}), database)  # type: ignore[arg-type]
    assert caught.value.rule_id == "UNT-REG-4"


def test_unt_reg_6_forms_are_in_the_folder_their_status_needs() -> None:
    """Active applicants' forms belong in «Өтініш бланкілері», deleted ones in the other folder."""
    database = database_of({1: ScanStatus.ENTERED, 2: ScanStatus.CHANGED, 3: ScanStatus.DELETED})
    check = check_folders(database, applications_folder={tzhk(1), tzhk(3)}, deleted_folder=set())
    assert check.missing_from_applications == (tzhk(2),)
    assert check.missing_from_deleted == (tzhk(3),)
    assert check.misfiled == (tzhk(3),)
    assert not check.clean
    good = check_folders(database, applications_folder={tzhk(1), tzhk(2)}, deleted_folder={tzhk(3)})
    assert good.clean
