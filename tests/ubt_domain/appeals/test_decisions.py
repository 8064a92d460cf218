"""Hearing and deciding applications, the Republic commission, and closing the stream."""

from __future__ import annotations

import pytest

from tests.ubt_domain.appeals.sample import (
    HEARD,
    commission,
    content_application,
    evidence,
    register_with,
    technical_application,
    vote,
)
from tests.ubt_domain.appeals.stream import Stream, close, decided_stream, hearing
from tests.ubt_domain.ledger.sample import NAMES, SUBJECTS, sample_ledger
from ubt_domain.appeals.applications import (
    AppealedTask,
    AppealStatus,
    ContentGround,
)
from ubt_domain.appeals.booklets import ReturnReason, booklets_to_ntc, gained_on_appeal
from ubt_domain.appeals.closing import CLOSING_COPIES
from ubt_domain.appeals.decisions import (
    TaskHearing,
    decide_application,
    record_republic_decision,
)
from ubt_domain.appeals.outcomes import AppealDecision
from ubt_domain.appeals.statement import statement_with_appeal
from ubt_domain.appeals.technical import technical_finding
from ubt_domain.errors import DomainError
from ubt_domain.ledger.scores import ChangeKind


def test_unt_apl_15_an_upheld_content_task_is_proposed_then_made_final() -> None:
    """A carried vote proposes the point (APPEAL entry); the Republic commission confirms it."""
    stream = decided_stream()
    row = stream.register.row(1)
    assert row.status is AppealStatus.DECIDED
    decision = row.decisions[0]
    assert (decision.decision, decision.points_before, decision.points_proposed) == (
        AppealDecision.SATISFIED,
        0,
        1,
    )
    kinds = [e.kind for e in stream.ledger.entries]
    assert kinds == [ChangeKind.INITIAL, ChangeKind.APPEAL, ChangeKind.REPUBLIC]
    assert stream.ledger.current_points()[("000000002", "math", 1)] == 1
    assert stream.ledger.entries[1].provenance.rule_id == "UNT-APL-15"


def test_unt_apl_26_the_row_waits_for_the_republic_commission() -> None:
    """Upheld tasks leave the row awaiting the Republic commission; it must decide each."""
    register = register_with(content_application("000000002", task=1))
    register, ledger = decide_application(
        register, sample_ledger(), hearing(1, TaskHearing(task=1, vote=vote(5)))
    )
    assert register.row(1).status is AppealStatus.AWAITING_REPUBLIC
    with pytest.raises(DomainError) as caught:
        record_republic_decision(
            register,
            ledger,
            1,
            confirmed={2: True},
            decided_at=HEARD,
            decided_by="РК",
            protocol_ref="РК-1",
        )
    assert caught.value.rule_id == "UNT-APL-26"


def test_unt_apl_28_a_rejected_proposal_falls_back_and_is_final() -> None:
    """The Republic commission rejects: points return; a second decision is refused."""
    register = register_with(content_application("000000002", task=1))
    register, ledger = decide_application(
        register, sample_ledger(), hearing(1, TaskHearing(task=1, vote=vote(5)))
    )
    register, ledger = record_republic_decision(
        register,
        ledger,
        1,
        confirmed={1: False},
        decided_at=HEARD,
        decided_by="РК",
        protocol_ref="РК-1",
    )
    assert ledger.current_points()[("000000002", "math", 1)] == 0
    assert register.row(1).decisions[0].republic is not None
    with pytest.raises(DomainError) as caught:
        record_republic_decision(
            register,
            ledger,
            1,
            confirmed={1: True},
            decided_at=HEARD,
            decided_by="РК",
            protocol_ref="РК-2",
        )
    assert caught.value.rule_id == "UNT-APL-28"


def test_unt_apl_21_an_appeal_on_a_correctly_answered_task_is_not_satisfied() -> None:
    """Applicant 1 answered math task 1 correctly: «қанағаттандырылмайды» even with 8 votes for."""
    stream = decided_stream()
    decision = stream.register.row(3).decisions[0]
    assert decision.decision is AppealDecision.NOT_SATISFIED
    assert decision.decision.value == "қанағаттандырылмайды"
    assert decision.rule_id == "UNT-APL-21"
    assert stream.register.row(3).status is AppealStatus.DECIDED


def test_unt_apl_11_an_absent_applicant_is_not_considered() -> None:
    """The row is «келмеді» and cannot be decided afterwards."""
    stream = decided_stream()
    row = stream.register.row(2)
    assert (row.status.value, row.considered, row.decisions) == ("келмеді", False, ())
    with pytest.raises(DomainError):
        decide_application(
            stream.register, stream.ledger, hearing(2, TaskHearing(task=3, vote=vote(5)))
        )


def test_unt_apl_12_subject_and_variant_cannot_change() -> None:
    """Hearing the application under another variant or an extra task is refused."""
    register = register_with(content_application("000000002", task=1))
    with pytest.raises(DomainError) as caught:
        decide_application(
            register, sample_ledger(), hearing(1, TaskHearing(task=1, vote=vote(5)), variant="0102")
        )
    assert caught.value.rule_id == "UNT-APL-12"
    with pytest.raises(DomainError, match="not in the application"):
        decide_application(
            register,
            sample_ledger(),
            hearing(1, TaskHearing(task=1, vote=vote(5)), TaskHearing(task=2, vote=vote(5))),
        )


def test_unt_apl_13_all_tasks_without_a_reason_each_is_not_considered() -> None:
    """An "all tasks" application with a task lacking justification is decided unheard."""
    tasks = (
        AppealedTask(
            task=1, ground=ContentGround.ILL_CONSTRUCTED, justification="condition is wrong"
        ),
        AppealedTask(task=2, ground=ContentGround.ILL_CONSTRUCTED, justification=""),
    )
    register = register_with(content_application("000000002", tasks=tasks, all_tasks=True))
    ledger = sample_ledger()
    register, after = decide_application(register, ledger, hearing(1))
    row = register.row(1)
    assert (row.status, row.considered, row.decisions) == (AppealStatus.DECIDED, False, ())
    assert after == ledger


def test_unt_apl_23_decisions_are_entered_only_with_the_chair_present() -> None:
    """Without the chair the decision is refused; a decided row cannot be decided again."""
    register = register_with(content_application("000000002", task=1))
    with pytest.raises(DomainError) as caught:
        decide_application(
            register,
            sample_ledger(),
            hearing(1, TaskHearing(task=1, vote=vote(5)), chair_present=False),
        )
    assert caught.value.rule_id == "UNT-APL-23"


def test_unt_apl_14_a_content_task_needs_a_vote() -> None:
    """Deciding a content task without the commission's vote is refused."""
    register = register_with(content_application("000000002", task=1))
    with pytest.raises(DomainError) as caught:
        decide_application(register, sample_ledger(), hearing(1, TaskHearing(task=1)))
    assert caught.value.rule_id == "UNT-APL-14"


def test_unt_apl_20_a_technical_task_is_decided_from_its_evidence_not_a_vote() -> None:
    """Evidence upholding case 1 decides even if the vote went the other way."""
    register = register_with(technical_application("000000002", task=1))
    finding = technical_finding(evidence(1, key="C", recorded=(), fills=(0, 0, 0.51, 0, 0)))
    register, ledger = decide_application(
        register, sample_ledger(), hearing(1, TaskHearing(task=1, finding=finding, vote=vote(0)))
    )
    decision = register.row(1).decisions[0]
    assert decision.decision is AppealDecision.SATISFIED
    assert decision.rule_id == "UNT-APL-20"
    assert "a" * 64 in ledger.entries[-1].provenance.evidence_ref
    with pytest.raises(DomainError) as caught:
        decide_application(
            register_with(technical_application("000000002", task=1)),
            sample_ledger(),
            hearing(1, TaskHearing(task=1, vote=vote(8))),
        )
    assert caught.value.rule_id == "UNT-APL-27"


def test_unt_apl_25_the_stream_closes_only_when_every_row_is_settled() -> None:
    """A row awaiting the Republic commission blocks closing; settled rows allow it."""
    register = register_with(content_application("000000002", task=1))
    register, ledger = decide_application(
        register, sample_ledger(), hearing(1, TaskHearing(task=1, vote=vote(5)))
    )
    with pytest.raises(DomainError) as caught:
        close(Stream(register, ledger))
    assert caught.value.rule_id == "UNT-APL-25"
    closure = close(decided_stream())
    assert [r.status.value for r in closure.final_register] == [
        "шешім қабылданды",
        "келмеді",
        "шешім қабылданды",
    ]


def test_unt_apl_24_the_chair_instructs_and_the_programmer_closes() -> None:
    """The closure names the chair who instructed and the programmer who closed (APL-31)."""
    closure = close(decided_stream())
    assert (closure.instructed_by, closure.closed_by) == ("Айгүл", "программист")


def test_unt_apl_31_closing_records_the_ledger_head() -> None:
    """The closure anchors the ledger it closed on."""
    stream = decided_stream()
    assert close(stream).ledger_head == stream.ledger.head


def test_unt_apl_29_two_copies_of_register_protocol_and_statement() -> None:
    """Final register, meeting protocol and statement with appeal: two copies each."""
    closure = close(decided_stream())
    assert len(closure.documents) == 3
    assert all(d.copies == CLOSING_COPIES == 2 for d in closure.documents)
    row = closure.final_register[0]
    assert (row.points_before, row.points_after, row.satisfied) == (2, 3, (1,))


def test_unt_apl_30_the_protocol_is_signed_by_commission_state_chair_and_ministry() -> None:
    """Chair, every member, the state-commission chair and the Ministry representative sign."""
    protocol = close(decided_stream()).documents[1]
    signed = " ".join(protocol.signatories)
    assert all(name in signed for name in commission().names)
    assert "МК төрағасы" in signed
    assert "Министрлік өкілі" in signed


def test_unt_stmt_2_the_statement_with_appeal_is_computed_from_the_ledger() -> None:
    """Two copies; applicant 2 has 2 → 3 in math; a changed ledger is refused."""
    stream = decided_stream()
    closure = close(stream)
    statement = statement_with_appeal(stream.ledger, closure, names=NAMES, subjects=SUBJECTS)
    assert len(statement.copies) == 2
    line = next(x for x in statement.lines if x.tzhk == "000000002")
    assert [(s.subject, s.without_appeal, s.with_appeal) for s in line.subjects] == [
        ("math", 2, 3),
        ("history", 2, 2),
    ]
    assert (line.total, line.gained) == (5, 1)
    assert statement.ledger_head == stream.ledger.head
    with pytest.raises(DomainError) as caught:
        statement_with_appeal(sample_ledger(), closure, names=NAMES, subjects=SUBJECTS)
    assert caught.value.rule_id == "UNT-STMT-2"


def test_unt_stmt_2_a_tampered_ledger_cannot_be_closed() -> None:
    """Closing verifies the chain first."""

    stream = decided_stream()
    entries = list(stream.ledger.entries)
    entries[1] = entries[1].evolve(provenance=entries[1].provenance.evolve(reason="edited"))
    forged = stream.ledger.evolve(entries=tuple(entries))
    with pytest.raises(DomainError) as caught:
        close(Stream(stream.register, forged))
    assert caught.value.rule_id == "UNT-STMT-2"


def test_unt_bklt_1_booklets_kept_from_destruction() -> None:
    """Gained on appeal (from the ledger), annulled, defective and unused booklets go to NTC."""
    stream = decided_stream()
    closure = close(stream)
    booklets = {t: f"B{t[-1]}" for t in NAMES}
    returns = booklets_to_ntc(
        stream.ledger,
        closure,
        booklet_of=booklets,
        annulled=["000000003"],
        defective=["B9"],
        unused=["B8", "B9"],
    )
    by_booklet = {r.booklet: r.reasons for r in returns}
    assert by_booklet == {
        "B2": (ReturnReason.GAINED_ON_APPEAL,),
        "B3": (ReturnReason.RESULTS_ANNULLED,),
        "B8": (ReturnReason.UNUSED,),
        "B9": (ReturnReason.PRINTING_DEFECT, ReturnReason.UNUSED),
    }


def test_unt_apl_22_applicants_who_gained_points_are_read_from_the_ledger() -> None:
    """Only the applicant whose points rose is listed."""
    assert gained_on_appeal(decided_stream().ledger) == ("000000002",)
