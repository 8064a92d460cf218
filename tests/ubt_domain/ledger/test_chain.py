"""The score ledger's hash chain: any single entry edited, removed, swapped or re-hashed shows."""

from __future__ import annotations

import pytest

from tests.ubt_domain.ledger.sample import provenance, sample_ledger
from ubt_domain.errors import DomainError
from ubt_domain.ledger.chain import GENESIS_HASH, Tamper, verify_chain
from ubt_domain.ledger.scores import (
    ChangeKind,
    ScoreEntry,
    ScoreLedger,
    TaskPoints,
    record_change,
)


def five_entry_ledger() -> ScoreLedger:
    """Initial scoring and four later changes, each on a different task."""
    ledger = sample_ledger()
    for n in range(1, 5):
        ledger = record_change(
            ledger,
            [TaskPoints(tzhk="000000001", subject="math", task=n, points=1)],
            kind=ChangeKind.APPEAL,
            provenance=provenance(n),
        )
    return ledger


def test_unt_stmt_2_an_untouched_ledger_verifies() -> None:
    """Every entry links to the one before and matches its own hash; the head matches too."""
    ledger = five_entry_ledger()
    check = ledger.verify(head=ledger.head)
    assert check.intact
    assert check.head_hash == ledger.head
    assert ledger.entries[0].prev_hash == GENESIS_HASH


def test_unt_stmt_2_an_edited_entry_is_detected() -> None:
    """Entry 2 with its points edited no longer matches its hash."""
    ledger = five_entry_ledger()
    entries = list(ledger.entries)
    forged_points = (TaskPoints(tzhk="000000001", subject="math", task=2, points=5),)
    entries[2] = entries[2].evolve(points=forged_points)
    problems = verify_chain(entries).problems
    assert [(p.seq, p.tamper) for p in problems] == [(2, Tamper.EDITED)]


def test_unt_stmt_2_an_edited_provenance_is_detected() -> None:
    """Changing who decided an entry is an edit like any other."""
    ledger = five_entry_ledger()
    entries = list(ledger.entries)
    entries[3] = entries[3].evolve(provenance=entries[3].provenance.evolve(actor="someone"))
    assert [p.tamper for p in verify_chain(entries).problems] == [Tamper.EDITED]


def test_unt_stmt_2_a_removed_entry_is_detected() -> None:
    """Deleting entry 2 leaves a gap in the numbering and a broken link."""
    entries = list(five_entry_ledger().entries)
    del entries[2]
    problems = verify_chain(entries).problems
    assert {(p.seq, p.tamper) for p in problems} == {(3, Tamper.REMOVED), (3, Tamper.REHASHED)}


def test_unt_stmt_2_a_removed_newest_entry_is_detected_against_the_head() -> None:
    """Dropping the newest entry is invisible inside the chain, but not against the kept head."""
    ledger = five_entry_ledger()
    entries = list(ledger.entries)[:-1]
    assert verify_chain(entries).intact
    problems = verify_chain(entries, head=ledger.head).problems
    assert [p.tamper for p in problems] == [Tamper.TRUNCATED]


def test_unt_stmt_2_swapped_entries_are_detected() -> None:
    """Entries 2 and 3 exchanged are out of order and their links break."""
    entries = list(five_entry_ledger().entries)
    entries[2], entries[3] = entries[3], entries[2]
    tampers = {(p.seq, p.tamper) for p in verify_chain(entries).problems}
    assert {(3, Tamper.REORDERED), (2, Tamper.REORDERED)} <= tampers
    assert (3, Tamper.REHASHED) in tampers


def test_unt_stmt_2_an_entry_rehashed_without_its_successors_is_detected() -> None:
    """Entry 2 edited and given a fresh hash: its own hash holds, entry 3's link breaks."""
    ledger = five_entry_ledger()
    entries = list(ledger.entries)
    forged = entries[2].evolve(
        points=(TaskPoints(tzhk="000000001", subject="math", task=2, points=0),)
    )
    forged = forged.evolve(entry_hash=forged.content_hash())
    entries[2] = forged
    problems = verify_chain(entries).problems
    assert [(p.seq, p.tamper) for p in problems] == [(3, Tamper.REHASHED)]


def test_unt_stmt_2_a_fully_rehashed_tail_is_caught_by_the_head() -> None:
    """Re-hashing an entry and every successor keeps the chain consistent, but not its head."""
    ledger = five_entry_ledger()
    entries = list(ledger.entries)
    previous = entries[1]
    for i in range(2, 5):
        content = entries[i].model_dump(exclude={"seq", "prev_hash", "entry_hash"})
        if i == 2:
            content["provenance"]["actor"] = "someone else"
        entries[i] = ScoreEntry.linked(previous, **content)
        previous = entries[i]
    assert verify_chain(entries).intact
    assert [p.tamper for p in verify_chain(entries, head=ledger.head).problems] == [
        Tamper.TRUNCATED
    ]


def test_unt_apl_23_a_change_never_overwrites() -> None:
    """Recording a change returns a longer ledger and leaves the old one as it was."""
    ledger = sample_ledger()
    changed = record_change(
        ledger,
        [TaskPoints(tzhk="000000001", subject="math", task=2, points=1)],
        kind=ChangeKind.CORRECTION,
        provenance=provenance(5, rule_id="UNT-APL-23"),
    )
    assert len(ledger.entries) == 1
    assert len(changed.entries) == 2
    assert ledger.current_points()[("000000001", "math", 2)] == 0
    assert changed.current_points()[("000000001", "math", 2)] == 1
    assert changed.initial_points() == ledger.initial_points()


def test_unt_stmt_2_bad_changes_are_refused() -> None:
    """A second initial entry, an unknown task or a backdated change raise DomainError."""
    ledger = sample_ledger()
    task = TaskPoints(tzhk="000000001", subject="math", task=1, points=1)
    with pytest.raises(DomainError, match="one initial"):
        record_change(ledger, [task], kind=ChangeKind.INITIAL, provenance=provenance(1))
    unknown = TaskPoints(tzhk="000000009", subject="math", task=1, points=1)
    with pytest.raises(DomainError, match="no initial score"):
        record_change(ledger, [unknown], kind=ChangeKind.APPEAL, provenance=provenance(1))
    with pytest.raises(DomainError, match="precedes"):
        record_change(ledger, [task], kind=ChangeKind.APPEAL, provenance=provenance(-1))


def test_unt_stmt_2_provenance_needs_an_aware_time() -> None:
    """A naive datetime cannot date a change."""
    import datetime as dt

    with pytest.raises(DomainError):
        provenance(1).evolve(at=dt.datetime(2019, 6, 20, 15, 0))


def test_unt_score_3_subject_scores_sum_the_tasks() -> None:
    """Subject points are the sum of task points, initial or current."""
    ledger = sample_ledger()
    scores = ledger.subject_scores()
    # applicant 0 is right on odd tasks (1, 3, 5), applicant 1 on even tasks (2, 4)
    assert scores["000000001"] == {"history": 3, "math": 3}
    assert scores["000000002"] == {"history": 2, "math": 2}
