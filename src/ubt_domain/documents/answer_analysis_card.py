"""The answer-analysis card (Rules appx 20) of one technically appealed task, as PDF bytes.

The commission and the applicant see the same thing: the slot cropped from
the test-day scan and from the appeal scan side by side (UNT-APL-27), each
bubble's measured fill in per cent with the 50 % rule applied (UNT-APL-18),
the key's option, what the test day recorded, and the decision with the
case of UNT-APL-20 it rests on (UNT-APL-4, UNT-APL-9).
"""

from __future__ import annotations

from collections.abc import Sequence

from ubt_domain.appeals.technical import (
    FILL_RULE,
    SheetDefect,
    TechnicalCase,
    TechnicalFinding,
    TechnicalOutcome,
)
from ubt_domain.documents.markup import (
    Markup,
    bold,
    compile_pdf,
    document,
    escape,
    facts,
    signature_lines,
    table,
)

__all__ = [
    "ANSWER_CARD_TITLE",
    "answer_analysis_card_pdf",
    "answer_analysis_card_source",
    "explanation",
]

ANSWER_CARD_TITLE = "Жауаптарды талдау картасы"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Width of each slot crop on the page; two fit side by side on A4.
CROP_WIDTH_MM = 80
_PERCENT = 100
_OUTCOMES = {
    TechnicalOutcome.UPHELD: "қанағаттандырылды",
    TechnicalOutcome.NOT_UPHELD: "қанағаттандырылмайды",
    TechnicalOutcome.INCONCLUSIVE: "комиссия қарайды (сканерлер сәйкес емес)",
}
#: UNT-APL-19's defects as the card names them.
_DEFECTS = {
    SheetDefect.COLOUR: "түсі түпнұсқадан өзгеше",
    SheetDefect.INSIDE_DAMAGED: "іші зақымдалған",
    SheetDefect.SPOILED_PRINT: "сапасыз басылған",
}
_HEADER = (
    "Нұсқа",
    "Тест күнгі скан, %",
    "Апелляция сканы, %",
    "≥ 50 %",
    "Кілт",
    "Тест күні оқылды",
)
_SIGNATURES = ("Апелляциялық комиссия төрағасы", "Министрлік программисі", "Түсуші")


def _image(png: bytes, name: str) -> Markup:
    """A PNG spliced into the source as a byte array: the document reads no file."""
    if not isinstance(png, bytes) or not png.startswith(_PNG_SIGNATURE):
        raise ValueError(f"{name} must be PNG bytes")
    data = ",".join(str(b) for b in png)
    return Markup(f'image(bytes(({data},)), format: "png", width: {CROP_WIDTH_MM}mm)')


def _percent(fill: float) -> str:
    return f"{_PERCENT * fill:.1f}"


def _painted(options: Sequence[str]) -> str:
    return f"{', '.join(options)} боялған" if options else "бірде-бір жауап боялмаған"


def explanation(finding: TechnicalFinding) -> str:
    """Why the task was decided so, in the card's language (the finding's own is English).

    Built from the finding's outcome, case and rule, the branch
    :func:`~ubt_domain.appeals.technical.technical_finding` took.
    """
    ev, key = finding.evidence, finding.evidence.key
    false_marks = ", ".join(o for o in ev.recorded if o != key)
    if finding.outcome is TechnicalOutcome.INCONCLUSIVE:
        return (
            f"тестілеу күнгі сканда {_painted(finding.painted_test_day)}, "
            f"апелляция сканында {_painted(finding.painted_appeal_day)}"
        )
    if finding.outcome is TechnicalOutcome.NOT_UPHELD:
        if finding.rule_id == "UNT-APL-21":
            return "тест күні кілттегі жауап оқылған: тапсырмаға дұрыс жауап берілген"
        return f"50 % ережесі бойынша {_painted(finding.painted_test_day)}, ал кілт тек {key}"
    if finding.case is TechnicalCase.KEY_NOT_READ:
        return f"{key} 50 % не одан көп боялған және кілтке сәйкес, бірақ оқылмаған"
    if finding.case is TechnicalCase.DEFECT_FALSE_MARK and ev.defect is not None:
        defect = _DEFECTS[ev.defect]
        return f"парақ ақаулы ({defect}): боялмаған {false_marks} белгі ретінде саналған"
    return f"50 %-дан аз боялған {false_marks} {key} кілтінің қасында белгі ретінде оқылған"


def answer_analysis_card_source(
    finding: TechnicalFinding,
    *,
    tzhk: str,
    subject: str,
    variant: str,
    test_day_png: bytes,
    appeal_day_png: bytes,
) -> str:
    """Return the typst source of the card.

    Implements UNT-APL-4, UNT-APL-27.

    Parameters
    ----------
    finding : TechnicalFinding
        The decision and the fills it rests on.
    tzhk, subject, variant : str
        Whose sheet, which subject (its title, as certificates print it:
        :meth:`~ubt_domain.scoring.spec.ExamSpec.subject_titles`) and variant.
    test_day_png, appeal_day_png : bytes
        PNG crops of the slot from the two scans (``omrkit.annotate.slot_crops``).
    """
    ev = finding.evidence
    rows = [
        (
            option,
            _percent(test),
            _percent(appeal),
            "иә" if test >= FILL_RULE and appeal >= FILL_RULE else "жоқ",
            "✓" if option == ev.key else "",
            "✓" if option in ev.recorded else "",
        )
        for option, test, appeal in zip(
            ev.options, ev.test_day_fills, ev.appeal_day_fills, strict=True
        )
    ]
    crops = Markup(
        "#grid(columns: 2, gutter: 6mm,\n"
        f"  [{bold('Тестілеу күнгі скан')} \\ #{_image(test_day_png, 'test_day_png')}],\n"
        f"  [{bold('Апелляцияға сканерленген')} \\ #{_image(appeal_day_png, 'appeal_day_png')}],\n"
        f'  [#text(size: 7pt)[SHA-256: #raw("{ev.test_day_image}")]],\n'
        f'  [#text(size: 7pt)[SHA-256: #raw("{ev.appeal_day_image}")]],\n)'
    )
    case = f", UNT-APL-20 ({finding.case.value}) жағдай" if finding.case is not None else ""
    header = [
        ("ТЖК", tzhk),
        ("Пән", subject),
        ("Нұсқа", variant),
        ("Тапсырма", str(ev.task)),
        ("Дұрыс жауаптар коды", ev.key),
        ("Тест күні оқылғаны", ", ".join(ev.recorded) or "бос"),
    ]
    body = [
        facts(header),
        crops,
        table(_HEADER, rows),
        Markup(
            f"{bold('Шешім')}: {escape(_OUTCOMES[finding.outcome] + case)} "
            f"({escape(finding.rule_id)}) \\ {escape(explanation(finding))}"
        ),
        signature_lines(_SIGNATURES),
    ]
    return document(body, title=ANSWER_CARD_TITLE, lang="kk")


def answer_analysis_card_pdf(
    finding: TechnicalFinding,
    *,
    tzhk: str,
    subject: str,
    variant: str,
    test_day_png: bytes,
    appeal_day_png: bytes,
) -> bytes:
    """Return the answer-analysis card as PDF bytes (one page).

    Implements UNT-APL-4, UNT-APL-27. Arguments as for
    :func:`answer_analysis_card_source`.
    """
    return compile_pdf(
        answer_analysis_card_source(
            finding,
            tzhk=tzhk,
            subject=subject,
            variant=variant,
            test_day_png=test_day_png,
            appeal_day_png=appeal_day_png,
        )
    )
