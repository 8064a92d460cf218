"""The answers of a stream as one frame, its review list, and the decisions that resolve it.

:func:`answers_frame` lays every scored slot of every identified sheet out as
one row (candidate, subject, task, what was read, whether a person must look
at it). A slot is *under review* when a fill lies in the band around 50 %
(the engine's review flag, UNT-SCORE-1) or when the room's two scans read it
differently (UNT-SCAN-4). Such a slot is never guessed: the commission
records a :class:`ReviewDecision`, :func:`apply_review_decisions` writes it
in with its author, and scoring refuses while any review row is left.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import polars as pl
from pydantic import Field

from omrkit.layout.models import SheetLayout
from omrkit.types import SheetReading, SlotState
from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel
from ubt_domain.scoring.candidates import ScoringSheet
from ubt_domain.scoring.double_scan import SlotDisagreement
from ubt_domain.scoring.slot_fills import slot_fills, slot_ranges
from ubt_domain.scoring.spec import ExamSpec, check_spec_against_layout

__all__ = [
    "ANSWERS_SCHEMA",
    "NEAR_THRESHOLD",
    "SCANS_DISAGREE",
    "ReviewDecision",
    "answers_frame",
    "apply_review_decisions",
    "review_list",
]

_RULE = "UNT-SCORE-1"
#: ``review_reason`` of a slot with a fill in the engine's review band.
NEAR_THRESHOLD = "near_threshold"
#: ``review_reason`` of a slot the two scans of its room read differently.
SCANS_DISAGREE = "scans_disagree"

#: The answers frame's columns, one row per candidate, subject and task.
ANSWERS_SCHEMA: dict[str, Any] = {
    "candidate": pl.String,
    "sheet_id": pl.String,
    "serial": pl.Int64,
    "unit": pl.String,
    "seat": pl.Int64,
    "variant": pl.String,
    "subject": pl.String,
    "task": pl.Int32,
    "state": pl.String,  # omrkit.SlotState value: blank, marked, multiple
    "symbol": pl.String,  # the marked option; null for blank or multiple (D-1)
    "review": pl.Boolean,
    "review_reason": pl.String,
    "fills": pl.List(pl.Float64),  # the slot's bubbles' fill ratios (0..1), first scan
    "fills_second": pl.List(pl.Float64),  # the second scan's, where the scans disagree
    "symbol_second": pl.String,
    "decided_by": pl.String,  # who resolved the review, once resolved
}


class ReviewDecision(DomainModel):
    """The commission's recorded reading of one slot under review.

    Parameters
    ----------
    sheet_id : str
        The sheet (its first-scan reading id).
    subject : str
        The answer field.
    task : int
        1-based task number.
    symbol : str or None
        The option the person sees marked; ``None`` when no option, or more
        than one, is marked (no credit either way, D-1).
    multiple : bool
        With ``symbol=None``: two or more options are marked.
    decided_by : str
        Who decided (name or role), kept with the score.
    """

    malformed_rule: ClassVar[str] = _RULE

    sheet_id: str = Field(min_length=1)
    subject: str = Field(min_length=1)
    task: int = Field(ge=1)
    symbol: str | None
    multiple: bool = False
    decided_by: str = Field(min_length=1)


def answers_frame(
    sheets: Sequence[ScoringSheet],
    readings: Mapping[str, SheetReading],
    *,
    spec: ExamSpec,
    layout: SheetLayout,
    disagreements: Sequence[SlotDisagreement] = (),
) -> pl.DataFrame:
    """Every scored slot of every sheet, one row each, with its review status.

    Implements UNT-SCORE-1, UNT-SCORE-5, UNT-SCAN-4, D-3.

    Parameters
    ----------
    sheets : sequence of ScoringSheet
        The identified sheets to score (exclusions already applied).
    readings : mapping of str to omrkit.SheetReading
        Reading by sheet id (the final readings of the two scans).
    spec : ExamSpec
        Which answer fields are subjects; a creative-track sheet contributes
        its leading ``spec.creative_subjects`` only.
    layout : omrkit SheetLayout
        The layout the readings were made with (checked against ``spec``).
    disagreements : sequence of SlotDisagreement
        Slots the two scans read differently; they go under review.

    Returns
    -------
    polars.DataFrame
        Columns :data:`ANSWERS_SCHEMA`, ordered by unit, seat, candidate,
        subject order and task.

    Raises
    ------
    DomainError
        (``UNT-SCORE-1``) when a sheet has no reading or its reading lacks a
        subject's field.
    """
    check_spec_against_layout(spec, layout)
    ranges = slot_ranges(layout)
    disputed = {(d.sheet_id, d.field_id, d.task): d for d in disagreements}
    columns: dict[str, list[Any]] = {name: [] for name in ANSWERS_SCHEMA}
    for sheet in sheets:
        reading = readings.get(sheet.sheet_id)
        if reading is None:
            raise DomainError(
                _RULE,
                f"sheet {sheet.sheet_id} (serial {sheet.serial}) has no final reading; "
                "a sheet scanned once needs a recorded decision (UNT-SCAN-4)",
            )
        for subject in spec.subjects_for(creative=sheet.creative):
            field = reading.fields.get(subject.field_id)
            if field is None:
                raise DomainError(_RULE, f"reading {reading.sheet_id} lacks {subject.field_id}")
            for index in range(subject.tasks):
                task = index + 1
                other = disputed.get((sheet.sheet_id, subject.field_id, task))
                near = field.review[index]
                row = {
                    "candidate": sheet.candidate,
                    "sheet_id": sheet.sheet_id,
                    "serial": sheet.serial,
                    "unit": sheet.unit,
                    "seat": sheet.seat,
                    "variant": sheet.variant,
                    "subject": subject.field_id,
                    "task": task,
                    "state": field.states[index].value,
                    "symbol": field.symbols[index],
                    "review": near or other is not None,
                    "review_reason": SCANS_DISAGREE if other else NEAR_THRESHOLD if near else None,
                    "fills": list(slot_fills(reading, ranges, subject.field_id, index)),
                    "fills_second": list(other.fills_second) if other else None,
                    "symbol_second": other.symbol_second if other else None,
                    "decided_by": None,
                }
                for name, value in row.items():
                    columns[name].append(value)
    return pl.DataFrame(columns, schema=ANSWERS_SCHEMA)


def review_list(answers: pl.DataFrame) -> pl.DataFrame:
    """The slots a person must decide before a final score exists.

    Implements UNT-SCORE-1, UNT-SCAN-4.
    """
    return answers.filter(pl.col("review"))


def apply_review_decisions(
    answers: pl.DataFrame, decisions: Sequence[ReviewDecision], *, spec: ExamSpec
) -> pl.DataFrame:
    """Write the commission's decisions into the slots under review.

    Implements UNT-SCORE-1, D-1.

    Parameters
    ----------
    answers : polars.DataFrame
        From :func:`answers_frame` (or a previous call).
    decisions : sequence of ReviewDecision
        One per slot at most; each must name a slot under review.
    spec : ExamSpec
        To check a decided symbol is an option of its subject.

    Returns
    -------
    polars.DataFrame
        ``answers`` with each decided slot's state and symbol replaced, its
        review flag cleared and ``decided_by`` set; other rows unchanged.

    Raises
    ------
    DomainError
        (``UNT-SCORE-1``) when a decision names a slot not under review, a
        slot twice, or a symbol its subject does not offer.
    """
    options = {s.field_id: set(s.options) for s in spec.subjects}
    keys = [(d.sheet_id, d.subject, d.task) for d in decisions]
    if len(set(keys)) != len(keys):
        raise DomainError(_RULE, "a slot is decided twice; record one decision per slot")
    for d in decisions:
        if d.symbol is not None and d.symbol not in options.get(d.subject, set()):
            raise DomainError(_RULE, f"{d.subject} offers no option {d.symbol!r}")
    decided = pl.DataFrame(
        {
            "sheet_id": [d.sheet_id for d in decisions],
            "subject": [d.subject for d in decisions],
            "task": [d.task for d in decisions],
            "decided_symbol": [d.symbol for d in decisions],
            "decided_state": [_state(d).value for d in decisions],
            "decider": [d.decided_by for d in decisions],
        },
        schema={
            "sheet_id": pl.String,
            "subject": pl.String,
            "task": pl.Int32,
            "decided_symbol": pl.String,
            "decided_state": pl.String,
            "decider": pl.String,
        },
    )
    slot = ["sheet_id", "subject", "task"]
    stray = decided.join(answers.filter(pl.col("review")), on=slot, how="anti")
    if stray.height:
        first = stray.row(0, named=True)
        raise DomainError(
            _RULE,
            f"decision for {first['sheet_id']} {first['subject']} task {first['task']} "
            "names no slot under review",
        )
    hit = pl.col("decider").is_not_null()
    return (
        answers.join(decided, on=slot, how="left", maintain_order="left")
        .with_columns(
            state=pl.when(hit).then(pl.col("decided_state")).otherwise(pl.col("state")),
            symbol=pl.when(hit).then(pl.col("decided_symbol")).otherwise(pl.col("symbol")),
            review=pl.when(hit).then(pl.lit(value=False)).otherwise(pl.col("review")),
            decided_by=pl.when(hit).then(pl.col("decider")).otherwise(pl.col("decided_by")),
        )
        .select(list(ANSWERS_SCHEMA))
    )


def _state(decision: ReviewDecision) -> SlotState:
    if decision.symbol is not None:
        return SlotState.MARKED
    return SlotState.MULTIPLE if decision.multiple else SlotState.BLANK
