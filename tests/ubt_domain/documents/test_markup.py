"""Shared typst helpers: escaping, tables, frames, reproducible PDF output."""

from __future__ import annotations

import json
import string

import pytest
import typst
from hypothesis import given
from hypothesis import strategies as st

from ubt_domain.documents.markup import (
    DOCUMENT_RULE_ID,
    DocumentError,
    Markup,
    bold,
    compile_pdf,
    document,
    escape,
    facts,
    framed,
    grid,
    heading,
    signature_lines,
    table,
)
from ubt_domain.errors import DomainError

# Text a name, message or code could contain, markup characters included.
risky_text = st.text(
    alphabet=st.sampled_from(list(string.printable + "ӘҒҚҢӨҰҮҺІЁЪәғқңөұүһіёъ№«»—")), max_size=40
)


@given(risky_text)
def test_escape_prints_exactly_the_text(text: str) -> None:
    """Escaped text renders as the same characters, whatever markup they resemble."""
    single_line = " ".join(text.split())
    source = f"#let probe = [{escape(single_line)}]\n#metadata(probe) <probe>\n"
    rendered = typst.query(source.encode(), "<probe>", field="value", one=True)
    assert _flatten(json.loads(rendered)) == single_line


def _flatten(content: object) -> str:
    """Join the text of typst content as returned by ``typst.query`` (JSON)."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        if content.get("func") == "space":
            return " "
        if "text" in content:
            return str(content["text"])
        if "children" in content:
            return "".join(_flatten(c) for c in content["children"])
        if "body" in content:
            return _flatten(content["body"])
        return ""
    return ""


def test_escape_is_idempotent_through_markup() -> None:
    """Markup is passed through, so escaping twice does not double backslashes."""
    once = escape("#a*b")
    assert escape(once) == once
    assert isinstance(once, Markup)


def test_escape_refuses_non_text() -> None:
    """Only strings can be escaped."""
    with pytest.raises(TypeError):
        escape(3)  # type: ignore[arg-type]


def test_table_checks_its_shape() -> None:
    """Rows must have as many cells as the header, and framed rows must exist."""
    with pytest.raises(ValueError, match="row 0"):
        table(["a", "b"], [["1"]])
    with pytest.raises(ValueError, match="framed_rows"):
        table(["a"], [["1"]], framed_rows=[3])
    with pytest.raises(ValueError, match="columns"):
        table(["a"], [["1"]], columns=["1fr", "auto"])
    with pytest.raises(ValueError, match="header"):
        table([], [])


def test_helpers_compile_into_one_document() -> None:
    """Heading, table, frame, grid and bold text compile together in Kazakh."""
    body = [
        heading("Кесте", level=2),
        table(["Сектор", "Қате"], [["5", "E06"], ["#11", "*E09*"]], framed_rows=[1]),
        grid([framed("1. Тегі"), framed("2. Аты", stroke_pt=0.5)], columns=2),
        bold("Барлығы: 2"),
        "Жай мәтін: $x$ // емес #түсініктеме",
    ]
    pdf = compile_pdf(document(body, title="Сынақ «құжат»"))
    assert pdf.startswith(b"%PDF-")


def test_compile_pdf_is_reproducible_and_never_stamps_the_clock() -> None:
    """The same source gives the same bytes and no creation date from the clock."""
    source = document(["мәтін"], title="Т")
    first = compile_pdf(source)
    assert first == compile_pdf(source)
    assert b"CreationDate" not in first


def test_compile_pdf_reports_a_broken_source() -> None:
    """Source typst refuses raises DocumentError, not a typst-internal error."""
    with pytest.raises(DocumentError):
        compile_pdf("#table(columns: (")


def test_document_error_sits_in_the_domain_error_tree() -> None:
    """A refused document is caught as a DomainError and, being a bug, as a RuntimeError."""
    with pytest.raises(DomainError) as info:
        compile_pdf("#table(columns: (")
    assert isinstance(info.value, RuntimeError)
    assert info.value.rule_id == DOCUMENT_RULE_ID


def test_document_language_is_kazakh_or_russian() -> None:
    """Only the languages of the forms are accepted."""
    with pytest.raises(ValueError, match="lang"):
        document([], title="T", lang="en")


def test_facts_print_one_bold_value_per_line() -> None:
    """Header facts are label: value lines, values in bold, both escaped."""
    source = facts([("Аудитория", "03"), ("ҰБТӨП", "#5 *x*")])
    lines = source.split("\n")
    assert lines == ["Аудитория: *03*\\ ", f"ҰБТӨП: *{escape('#5 *x*')}*"]
    assert compile_pdf(document([source], title="t")).startswith(b"%PDF-")


def test_signature_lines_give_each_role_a_blank() -> None:
    """Every signatory gets a line with a blank to sign on."""
    source = signature_lines(["Министрлік өкілі", "Кезекші"])
    assert source.count(escape("_" * 30)) == 2
    assert source.startswith("Министрлік өкілі: ")
    assert compile_pdf(document([source], title="t")).startswith(b"%PDF-")
