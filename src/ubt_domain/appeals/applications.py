"""Appeal applications, their grounds, and the register and journal they are filed in.

An applicant who disagrees with the result applies in person, with an
identity document and the admission pass (UNT-APL-5), before 13:00 of the
day after the announcement (UNT-APL-6), naming for each task the ground:
one of five on content (UNT-APL-16) or one of three technical (UNT-APL-17).
Every application, accepted or not, is written in the registration journal
(UNT-APL-7); accepted ones become rows of the register the commission works
from (UNT-APL-4).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar

from pydantic import AwareDatetime, Field, model_validator

from ubt_domain.appeals.deadlines import filed_in_time
from ubt_domain.appeals.outcomes import TaskDecision
from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel

__all__ = [
    "AppealKind",
    "AppealRegister",
    "AppealRow",
    "AppealStatus",
    "AppealedTask",
    "Application",
    "ContentGround",
    "Filing",
    "JournalLine",
    "TechnicalGround",
    "file_application",
]


class AppealKind(StrEnum):
    """Which form the application is on (UNT-APL-5)."""

    CONTENT = "content"  # Rules appx 13
    TECHNICAL = "technical"  # Rules appx 15


class ContentGround(StrEnum):
    """Grounds on the content of a task (UNT-APL-16)."""

    KEY_MISMATCH = "key-mismatch"  # (1) the correct answer is not the key's; option stated
    NO_CORRECT_ANSWER = "no-correct-answer"  # (2)
    SEVERAL_CORRECT = "several-correct"  # (3) every correct option stated (T-7)
    ILL_CONSTRUCTED = "ill-constructed"  # (4)
    FRAGMENT_MISSING = "fragment-missing"  # (5) part of the condition missing (T-8)


class TechnicalGround(StrEnum):
    """Technical grounds (UNT-APL-17)."""

    READ_AS_TWO = "read-as-two"  # (1) a painted circle matching the key read as 2 circles
    READ_AS_EMPTY = "read-as-empty"  # (2) a painted circle matching the key read as empty
    DEFECTIVE_SHEET = "defective-sheet"  # (3) the answer sheet is defective (UNT-APL-19)


#: Content grounds that must name options: the right one (1), every right one (3).
_NAMES_OPTIONS = frozenset({ContentGround.KEY_MISMATCH, ContentGround.SEVERAL_CORRECT})


class AppealedTask(DomainModel):
    """One task of an application and why it is contested.

    Parameters
    ----------
    task : int
        Task number within the subject.
    ground : ContentGround or TechnicalGround
        Must match the application's kind.
    justification : str
        The applicant's reasoning (full explanation or solution); may be
        empty for a single-task technical appeal.
    stated_options : tuple of str
        The option(s) the applicant says are correct (content grounds 1 and 3).
    """

    malformed_rule: ClassVar[str] = "UNT-APL-16"

    task: int = Field(ge=1)
    ground: ContentGround | TechnicalGround
    justification: str = ""
    stated_options: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _options_where_needed(self) -> AppealedTask:
        if self.ground in _NAMES_OPTIONS and not self.stated_options:
            raise DomainError(
                "UNT-APL-16",
                f"task {self.task}: ground {self.ground} must state the correct option(s)",
            )
        return self


class Application(DomainModel):
    """An appeal application as the applicant hands it in.

    Parameters
    ----------
    tzhk : str
        The applicant's ТЖК.
    stream : int
        Stream number.
    subject, variant : str
        Subject and variant as the applicant gives them; they cannot change
        later (UNT-APL-12).
    kind : AppealKind
        Content (appx 13) or technical (appx 15) form.
    tasks : tuple of AppealedTask
        The contested tasks, each once.
    all_tasks : bool
        The applicant asks to re-examine every task (UNT-APL-13).
    filed_at : datetime
        Timezone-aware time of filing.
    in_person, id_document, admission_pass : bool
        Filed by the applicant in person, showing ID and pass (UNT-APL-5).
    received_by : str
        Who received it: the chair or a Ministry representative (UNT-APL-8, C-18).
    """

    malformed_rule: ClassVar[str] = "UNT-APL-5"

    tzhk: str = Field(min_length=1)
    stream: int = Field(ge=1)
    subject: str = Field(min_length=1)
    variant: str = Field(min_length=1)
    kind: AppealKind
    tasks: tuple[AppealedTask, ...] = Field(min_length=1)
    all_tasks: bool = False
    filed_at: AwareDatetime
    in_person: bool
    id_document: bool
    admission_pass: bool
    received_by: str = Field(min_length=1)

    @model_validator(mode="after")
    def _grounds_match_kind(self) -> Application:
        ground_type = ContentGround if self.kind is AppealKind.CONTENT else TechnicalGround
        wrong = [t.task for t in self.tasks if not isinstance(t.ground, ground_type)]
        if wrong:
            rule = "UNT-APL-16" if self.kind is AppealKind.CONTENT else "UNT-APL-17"
            raise DomainError(rule, f"task(s) {wrong}: ground not of a {self.kind} appeal")
        numbers = [t.task for t in self.tasks]
        if len(numbers) != len(set(numbers)):
            raise DomainError("UNT-APL-12", "a task is named twice in one application")
        return self


class AppealStatus(StrEnum):
    """The «Апелляция жағдайы» column of the register (UNT-APL-25)."""

    FILED = "filed"  # waiting for the hearing
    AWAITING_REPUBLIC = "awaiting-republic"  # points proposed to the Republic commission
    NOT_CAME = "келмеді"  # the applicant did not come (UNT-APL-11)
    DECIDED = "шешім қабылданды"  # considered and decided


class AppealRow(DomainModel):
    """A row of the register of appeal applications: the application and its state."""

    malformed_rule: ClassVar[str] = "UNT-APL-25"

    number: int = Field(ge=1)
    application: Application
    status: AppealStatus = AppealStatus.FILED
    considered: bool = Field(default=True, description="False when refused unheard (APL-13)")
    decisions: tuple[TaskDecision, ...] = ()


class JournalLine(DomainModel):
    """A line of the appeal-application registration journal (Rules appx 17, UNT-APL-7)."""

    malformed_rule: ClassVar[str] = "UNT-APL-7"

    line: int = Field(ge=1)
    tzhk: str
    kind: AppealKind
    filed_at: AwareDatetime
    accepted: bool
    register_number: int | None
    refusal_rule: str | None = None
    refusal: str | None = None


class AppealRegister(DomainModel):
    """The stream's register of applications and its journal.

    Parameters
    ----------
    stream : int
    announced_at : datetime
        When the stream's results were announced (aware).
    journal : tuple of JournalLine
        Every application handed in, in order.
    rows : tuple of AppealRow
        The accepted ones, numbered from 1.
    """

    malformed_rule: ClassVar[str] = "UNT-APL-7"

    stream: int = Field(ge=1)
    announced_at: AwareDatetime
    journal: tuple[JournalLine, ...] = ()
    rows: tuple[AppealRow, ...] = ()

    def row(self, number: int) -> AppealRow:
        """The register row numbered ``number``."""
        for row in self.rows:
            if row.number == number:
                return row
        raise DomainError("UNT-APL-7", f"stream {self.stream}: no register row {number}")


class Filing(DomainModel):
    """The outcome of handing in an application: the register after it, and the verdict."""

    malformed_rule: ClassVar[str] = "UNT-APL-7"

    appeal_register: AppealRegister
    accepted: bool
    number: int | None = Field(description="register row number, when accepted")
    refusal_rule: str | None = None
    refusal: str | None = None


def _refusal(
    application: Application, register: AppealRegister, zone: dt.tzinfo
) -> tuple[str, str] | None:
    if not (application.in_person and application.id_document and application.admission_pass):
        return (
            "UNT-APL-5",
            "applications are filed in person, with an identity document and the admission pass",
        )
    if application.stream != register.stream:
        return (
            "UNT-APL-7",
            f"the application is for stream {application.stream}, "
            f"the register is stream {register.stream}'s",
        )
    if not filed_in_time(application.filed_at, register.announced_at, zone):
        return (
            "UNT-APL-6",
            "filed after 13:00 of the day after the results were announced (testing point's time)",
        )
    return None


def file_application(
    register: AppealRegister, application: Application, *, zone: dt.tzinfo
) -> Filing:
    """Hand in an application: write it in the journal and, if admissible, in the register.

    Implements UNT-APL-5, UNT-APL-6, UNT-APL-7, UNT-APL-8.

    Parameters
    ----------
    register : AppealRegister
        The stream's register so far.
    application : Application
    zone : tzinfo
        The testing point's zone, for the 13:00 deadline (D-10).

    Returns
    -------
    Filing
        The new register; ``accepted`` False with the rule and reason for an
        application not filed in person with ID and pass, or filed late.
    """
    refused = _refusal(application, register, zone)
    number = None if refused else len(register.rows) + 1
    line = JournalLine(
        line=len(register.journal) + 1,
        tzhk=application.tzhk,
        kind=application.kind,
        filed_at=application.filed_at,
        accepted=refused is None,
        register_number=number,
        refusal_rule=refused[0] if refused else None,
        refusal=refused[1] if refused else None,
    )
    rows = register.rows
    if number is not None:
        rows = (*rows, AppealRow(number=number, application=application))
    updated = AppealRegister(
        stream=register.stream,
        announced_at=register.announced_at,
        journal=(*register.journal, line),
        rows=rows,
    )
    return Filing(
        appeal_register=updated,
        accepted=refused is None,
        number=number,
        refusal_rule=line.refusal_rule,
        refusal=line.refusal,
    )
