"""Statements, key printout and statistics print as PDFs whose text holds headings and rows."""

from __future__ import annotations

from datetime import date

import pytest

from tests.ubt_domain.documents.pdf_text import pdf_text
from tests.ubt_domain.scored_readings import layout
from tests.ubt_domain.statement_data import (
    school_key,
    school_scores,
    scores_of,
    university_scores,
    unt_scores,
)
from ubt_domain.documents.results_report import key_printout_pdf, statistics_pdf
from ubt_domain.documents.statements import (
    school_statement_pdf,
    university_exam_lists_pdf,
    unt_statement_pdf,
)
from ubt_domain.errors import DomainError
from ubt_domain.key.printout import key_printout
from ubt_domain.scoring.candidates import Exclusion, ExclusionReason
from ubt_domain.scoring.spec import ozhsb_spec
from ubt_domain.statements.school import school_statement, school_summary
from ubt_domain.statements.statistics import daily_statistics, subject_statistics
from ubt_domain.statements.university import (
    UniversityStudent,
    organisation_summary,
    university_exam_lists,
)
from ubt_domain.statements.unt import unt_statement

DAY = date(2026, 6, 20)
POINT = "031"


def _unt_pdf() -> bytes:
    scores, spec, roster = unt_scores(3)
    statement = unt_statement(
        scores, spec=spec, names={r.tzhk: r.full_name for r in roster.seating}
    )
    outsider = Exclusion(candidate="003000009", reason=ExclusionReason.OUTSIDER, act="10-2")
    return unt_statement_pdf(
        statement, spec=spec, stream=1, testing_point=POINT, exam_date=DAY, excluded=[outsider]
    )


def test_unt_stmt_1_statement_pdf_holds_headings_rows_and_four_recipients() -> None:
    """Kazakh and Russian title, each applicant's name and total, 4 copies' recipients."""
    pdf = _unt_pdf()
    text = pdf_text(pdf)
    assert "ҰБТ емтихан ведомосы (апелляцияны есепке алмағанда)" in text
    assert "Экзаменационная ведомость ЕНТ" in text
    for name, total in (("Тестіленуші 1", "25"), ("Тестіленуші 3", "75")):
        assert text.count(name) == 4  # once per copy
        assert f"\n{total}\n" in text
    for recipient in (
        "көпшіліктің назарына ілінеді",
        "Министрлік өкіліне",
        "апелляциялық комиссия төрағасына",
        "ҰБТӨП-те қалады",
    ):
        assert recipient in text
    assert "Нәтижесі өңделмейтіндер" in text
    assert "003000009" in text
    assert "бөгде адам / постороннее лицо" in text
    assert pdf == _unt_pdf()


def test_unt_stmt_3_statement_needs_the_testing_point() -> None:
    """A blank testing point is refused before printing."""
    scores, spec, roster = unt_scores(1)
    statement = unt_statement(
        scores, spec=spec, names={r.tzhk: r.full_name for r in roster.seating}
    )
    with pytest.raises(DomainError):
        unt_statement_pdf(statement, spec=spec, stream=1, testing_point=" ", exam_date=DAY)


def test_mab_s_22_school_statement_pdf_holds_students_mastery_and_copies() -> None:
    """The school statement prints each student, «игерді» and the 4 recipients."""
    scores, spec, students = school_scores([5, 6, None])
    statement = school_statement(scores, spec=spec, students=students)
    summary = school_summary(statement, school="560001")
    text = pdf_text(
        school_statement_pdf(
            statement, summary, spec=spec, school="560001", testing_point=POINT, exam_date=DAY
        )
    )
    assert "Тестілеудің емтихан ведомосы" in text
    assert "Экзаменационная ведомость тестирования" in text
    assert "Ахметов" in text
    assert "Бекова" in text
    assert "Жанұзақ" in text
    assert "иә / да" in text
    assert "жоқ / нет" in text
    assert "мектеп әкімшілігіне" in text
    assert "АББ (ҚББ)" in text
    assert "Игермеді / Не усвоили" in text


def test_mab_u_11_university_lists_pdf_holds_groups_and_kelgen_zhok() -> None:
    """Each group is a section; an absent student prints as «келген жоқ»."""
    scores, spec = university_scores([60, None, 40])
    roster = [
        UniversityStudent(
            student_id=f"u{i}", full_name=f"Студент {i}", group=f"G-{i % 2 + 1}", specialty="Физика"
        )
        for i in range(3)
    ]
    lists = university_exam_lists(scores, roster=roster, max_points=spec.max_points)
    text = pdf_text(
        university_exam_lists_pdf(
            lists, organisation_summary(lists), organisation="ҚарМУ", exam_date=DAY
        )
    )
    assert "МАБ емтихан тізімдемесі" in text
    assert "Топ / Группа \nG-1" in text  # Latin letters are a run of their own
    assert "Топ / Группа \nG-2" in text
    assert "келген жоқ" in text
    assert "өтті" in text
    assert "өтпеді" in text


def test_unt_key_6_key_printout_pdf_holds_answers_and_two_recipients() -> None:
    """The printout shows each subject's answers and both copies' recipients."""
    _, spec, _ = unt_scores(1)
    text = pdf_text(
        key_printout_pdf(
            key_printout(school_key(spec, "D")), testing_point=POINT, exam_date=DAY, stream=1
        )
    )
    assert "Дұрыс жауаптар коды / Коды правильных ответов" in text
    assert " ".join(["D"] * 25) in text
    assert "вывешивается для всеобщего обозрения" in text
    assert "апелляциялық комиссияға" in text


def test_unt_stat_2_statistics_pdf_holds_units_and_subjects() -> None:
    """The summary prints the room's figures and each subject's line."""
    scores, _, roster = unt_scores(3)
    daily = daily_statistics(
        scores, day=DAY, stream=1, registered={r.tzhk: "03" for r in roster.seating}
    )
    text = pdf_text(
        statistics_pdf(daily, subject_statistics(scores), testing_point=POINT, period="20.06.2026")
    )
    assert "Статистикалық мәліметтер / Статистические данные" in text
    assert "Қатысушылар / Участники" in text
    assert "\n03\n3\n3\n0\n0\n50.0\n25\n75\n" in text
    assert "answers_5" in text


def test_unt_key_7_key_printout_is_signed_by_the_programmer_and_ministry() -> None:
    """The programmer prints the key; the Ministry representative signs for its posting."""
    _, spec, _ = unt_scores(1)
    text = pdf_text(
        key_printout_pdf(key_printout(school_key(spec)), testing_point=POINT, exam_date=DAY)
    )
    assert "Программист" in text
    assert "Министрлік өкілі / Представитель Министерства" in text


def test_ozh_17_ozhsb_school_statement_prints_in_four_copies() -> None:
    """After processing, the ОЖСБ statement of each school prints 4 copies (appx 1)."""
    _, _, students = school_scores([8])
    spec = ozhsb_spec(layout("ozhsb-answer"))
    ozh_scores = scores_of(spec, "ozhsb-answer", [50], "560001", "s")
    statement = school_statement(ozh_scores, spec=spec, students=students)
    text = pdf_text(
        school_statement_pdf(
            statement,
            school_summary(statement, school="560001"),
            spec=spec,
            school="560001",
            testing_point=POINT,
            exam_date=DAY,
        )
    )
    assert "ОЖСБ / ВОУД" in text
    for copy in range(1, 5):
        assert f"{copy}-дана / экз. {copy}" in text
    assert "5-дана" not in text
