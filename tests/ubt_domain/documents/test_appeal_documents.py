"""PDFs of the appeal, certificate and e-journal documents: the text they show is checked."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.ubt_domain.appeals.scans import (
    painted_page,
    recorded_marks,
    scan,
    slot_bubbles,
    slot_fills,
    slot_png,
)
from tests.ubt_domain.appeals.stream import closed
from tests.ubt_domain.documents.pdf_text import pdf_text, squeezed
from tests.ubt_domain.ledger.sample import NAMES, SUBJECTS
from ubt_domain.appeals.technical import SheetDefect, SlotEvidence, technical_finding
from ubt_domain.certificates.distribution import distribution_register
from ubt_domain.certificates.numbers import (
    CertificateBook,
    NumberRange,
    issue_certificates,
    receive_blanks,
)
from ubt_domain.documents.answer_analysis_card import (
    ANSWER_CARD_TITLE,
    answer_analysis_card_pdf,
    explanation,
)
from ubt_domain.documents.appeal_statement import APPEAL_STATEMENT_TITLE, statement_with_appeal_pdf
from ubt_domain.documents.certificates import (
    CERTIFICATE_TITLE,
    DISTRIBUTION_TITLE,
    certificates_pdf,
    distribution_register_pdf,
)
from ubt_domain.documents.report_card import REPORT_CARD_TITLE, report_card_pdf
from ubt_domain.errors import DomainError
from ubt_domain.gradebook.journal import GradeJournal, record_grade
from ubt_domain.gradebook.report_card import report_card
from ubt_domain.gradebook.windows import AssessmentKind, Quarter

SLOT = "answers_1.1"
BLANKS = NumberRange(series="AA", first=1001, last=1010)
#: What the documents print for the sample ledger's subject codes.
TITLES = {"math": "Математика / Математика", "history": "Қазақстан тарихы / История Казахстана"}


def card_pdf() -> tuple[bytes, SlotEvidence]:
    """A card for key C truly painted 51 %, recorded blank on the test day."""
    bubbles, symbols = slot_bubbles(SLOT)
    page, _ = painted_page({bubbles[2]: 0.51}, seed=21)
    test_day, appeal_day = scan(page, seed=121), scan(page, seed=221)
    evidence = SlotEvidence(
        task=1,
        options=symbols,
        key="C",
        recorded=recorded_marks(test_day.reading, SLOT, 0.6),
        test_day_fills=slot_fills(test_day.reading, SLOT),
        appeal_day_fills=slot_fills(appeal_day.reading, SLOT),
        test_day_image=test_day.sha256,
        appeal_day_image=appeal_day.sha256,
    )
    pdf = answer_analysis_card_pdf(
        technical_finding(evidence),
        tzhk="000000002",
        subject="math",
        variant="0101",
        test_day_png=slot_png(test_day, SLOT),
        appeal_day_png=slot_png(appeal_day, SLOT),
    )
    return pdf, evidence


def test_unt_apl_4_the_answer_analysis_card_shows_fills_key_and_decision() -> None:
    """The card's text has each option's fill % on both scans, the key and the decision."""
    pdf, evidence = card_pdf()
    text = squeezed(pdf_text(pdf))
    assert squeezed(ANSWER_CARD_TITLE) in text
    for fill in (*evidence.test_day_fills, *evidence.appeal_day_fills):
        assert f"{100 * fill:.1f}" in text
    assert squeezed("Дұрыс жауаптар коды: C") in text
    assert squeezed("қанағаттандырылды, UNT-APL-20 (1) жағдай") in text
    assert squeezed(explanation(technical_finding(evidence))) in text
    assert squeezed(technical_finding(evidence).explanation) not in text
    assert evidence.test_day_image in text
    assert evidence.appeal_day_image in text
    assert pdf.count(b"/Subtype/Image") == 2


_BLANK = (0.0, 0.0, 0.0, 0.0, 0.0)


def _evidence(
    recorded: tuple[str, ...],
    test_day: tuple[float, ...],
    appeal_day: tuple[float, ...],
    defect: SheetDefect | None = None,
) -> SlotEvidence:
    return SlotEvidence(
        task=3, options=tuple("ABCDE"), key="C", recorded=recorded, test_day_fills=test_day,
        appeal_day_fills=appeal_day, test_day_image="a" * 64, appeal_day_image="b" * 64,
        defect=defect,
    )  # fmt: skip


_PAINTED_C = (0.0, 0.0, 0.6, 0.0, 0.0)
_C_AND_A_LIGHT = (0.3, 0.0, 0.6, 0.0, 0.0)


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        (_evidence((), _PAINTED_C, _BLANK), "апелляция сканында бірде-бір жауап боялмаған"),
        (_evidence(("A",), _BLANK, _BLANK), "бірде-бір жауап боялмаған, ал кілт тек C"),
        (_evidence(("C",), _PAINTED_C, _PAINTED_C), "тапсырмаға дұрыс жауап берілген"),
        (_evidence((), _PAINTED_C, _PAINTED_C), "C 50 % не одан көп боялған"),
        (
            _evidence(("A", "C"), _C_AND_A_LIGHT, _C_AND_A_LIGHT, SheetDefect.INSIDE_DAMAGED),
            "парақ ақаулы (іші зақымдалған): боялмаған A белгі",
        ),
        (_evidence(("A", "C"), _C_AND_A_LIGHT, _C_AND_A_LIGHT), "50 %-дан аз боялған A C кілтінің"),
    ],
)
def test_unt_apl_20_the_card_explains_every_branch_in_kazakh(
    evidence: SlotEvidence, expected: str
) -> None:
    """Each way a technical appeal is decided is explained in the card's language."""
    finding = technical_finding(evidence)
    text = explanation(finding)
    assert expected in text
    assert not any(word in text for word in ("painted", "the key", "read", "scan "))


def test_unt_apl_4_the_card_refuses_a_crop_that_is_not_png() -> None:
    """A JPEG or text in place of a crop is the caller's error."""
    _, evidence = card_pdf()
    with pytest.raises(ValueError, match="PNG"):
        answer_analysis_card_pdf(
            technical_finding(evidence),
            tzhk="1",
            subject="m",
            variant="1",
            test_day_png=b"not a png",
            appeal_day_png=b"x",
        )


def test_unt_stmt_2_the_statement_with_appeal_pdf_shows_points_and_copies() -> None:
    """Names, 2 → 3 for the upheld task, both copies and the ledger head are printed."""
    statement, _ = closed()
    pdf = statement_with_appeal_pdf(statement, testing_point="031", titles=TITLES)
    text = squeezed(pdf_text(pdf))
    assert squeezed(APPEAL_STATEMENT_TITLE) in text
    assert all(squeezed(title) in text for title in TITLES.values())
    assert not any(code in text for code in SUBJECTS)
    assert all(squeezed(name) in text for name in NAMES.values())
    assert "2→3" in text
    assert squeezed("1-дана: Министрлік өкілі") in text
    assert "2-дана" in text
    assert statement.ledger_head in text


def test_unt_cert_6_certificate_and_register_pdfs_show_numbers_names_and_signatures() -> None:
    """Each certificate page has series, number, name, points and signatories; the register too."""
    statement, closure = closed()
    book = receive_blanks(CertificateBook(), BLANKS)
    _, certificates = issue_certificates(book, statement, closure=closure, blanks=BLANKS)
    with_profile = (certificates[0].evolve(profile_subjects=("02", "05")), *certificates[1:])
    text = squeezed(pdf_text(certificates_pdf(with_profile, titles=TITLES)))
    assert text.count(squeezed(CERTIFICATE_TITLE)) == 3
    assert text.count(squeezed("Бейіндік пәндер: 02, 05")) == 1
    assert text.count(squeezed("Бейіндік пәндер")) == 1
    for title in TITLES.values():
        assert text.count(squeezed(title)) == 3
    assert not any(code in text for code in SUBJECTS)
    assert squeezed("Нөмірі: 0001002") in text
    assert squeezed(NAMES["000000002"]) in text
    assert squeezed("Мемлекеттік комиссия төрағасы") in text
    register = squeezed(
        pdf_text(
            distribution_register_pdf(
                distribution_register(certificates), stream=1, testing_point="031"
            )
        )
    )
    assert squeezed(DISTRIBUTION_TITLE) in register
    assert squeezed("AA 0001001") in register
    assert squeezed("Алушының қолы") in register
    assert all(squeezed(name) in register for name in NAMES.values())


@pytest.mark.parametrize("titles", [{}, {"math": "Математика"}, {**TITLES, "history": " "}])
def test_unt_cert_1_a_subject_without_a_title_is_refused_not_printed_as_its_code(
    titles: dict[str, str],
) -> None:
    """A certificate or statement never shows a sheet's field id where a subject is read."""
    statement, closure = closed()
    book = receive_blanks(CertificateBook(), BLANKS)
    _, certificates = issue_certificates(book, statement, closure=closure, blanks=BLANKS)
    with pytest.raises(DomainError, match=r"no subject title for .*history") as refused:
        certificates_pdf(certificates, titles=titles)
    assert refused.value.rule_id == "UNT-CERT-1"
    with pytest.raises(DomainError, match="history") as refused:
        statement_with_appeal_pdf(statement, testing_point="031", titles=titles)
    assert refused.value.rule_id == "UNT-STMT-2"


def test_ej_8_the_report_card_pdf_has_grades_and_the_directors_signature() -> None:
    """Subject, summatives and the director's line appear on the exported card."""
    zone = dt.timezone(dt.timedelta(hours=6))
    quarter = Quarter(number=2, first_day=dt.date(2019, 11, 4), last_day=dt.date(2019, 12, 27))
    journal = record_grade(
        GradeJournal(school="№1 мектеп"),
        student="S1",
        subject="Математика",
        grade_level=7,
        kind=AssessmentKind.UNIT_SUMMATIVE,
        assessment_date=dt.date(2019, 11, 11),
        grade=8,
        teacher="Т",
        entered_at=dt.datetime(2019, 11, 12, 9, tzinfo=zone),
        zone=zone,
        quarter=quarter,
    )
    card = report_card(
        journal,
        student="S1",
        student_name="Әлия Сейтова",
        grade_level=7,
        quarter=quarter,
        director="Ж. Омаров",
        exported_on=dt.date(2019, 12, 28),
    )
    text = squeezed(pdf_text(report_card_pdf(card)))
    assert squeezed(REPORT_CARD_TITLE) in text
    assert squeezed("Математика 8") in text
    assert squeezed("Директор Ж. Омаров") in text
