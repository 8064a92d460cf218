"""The error-code table, the ``sector/code1,code2`` protocol lines and their PDF (UNT-FORM-20)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.ubt_domain.readings import application_reading, sample_directories
from ubt_domain.application.form import decode_application
from ubt_domain.application.protocol import (
    ERROR_CODE_TEXT,
    SECTOR_TITLE,
    ErrorCode,
    ErrorProtocol,
    FormError,
    FormSector,
    protocol_lines,
)
from ubt_domain.documents.error_protocol import error_protocol_pdf, error_protocol_source
from ubt_domain.errors import DomainError

# The published table: codes are never renumbered or reused.
STABLE_CODES = {
    "E01": "BLANK",
    "E02": "MULTIPLE",
    "E03": "UNCLEAR",
    "E04": "INCOMPLETE",
    "E05": "NAME_LAYOUT",
    "E06": "IIN_CHECK_DIGIT",
    "E07": "IIN_DATE",
    "E08": "IIN_CENTURY",
    "E09": "IIN_GENDER",
    "E10": "BIRTH_DATE",
    "E11": "UNKNOWN_CITIZENSHIP",
    "E12": "UNKNOWN_NATIONALITY",
    "E13": "UNKNOWN_REGION",
    "E14": "UNKNOWN_INSTITUTION",
    "E15": "INSTITUTION_REGION",
    "E16": "INSTITUTION_TYPE",
    "E17": "NAME_JOURNAL",
    "E18": "HISTORY_LANGUAGE",
    "E19": "CONFLICTING_MARKS",
}

form_errors = st.builds(
    FormError,
    sector=st.sampled_from(list(FormSector)),
    code=st.sampled_from(list(ErrorCode)),
    message=st.just("detail"),
)


def _protocol(*pairs: tuple[FormSector, ErrorCode]) -> ErrorProtocol:
    errors = tuple(FormError(sector=s, code=c, message="detail") for s, c in sorted(pairs))
    return ErrorProtocol(sheet_id="ab" * 32, tzhk="042000001", errors=errors)


def test_unt_form_20_code_table_is_stable() -> None:
    """The codes keep their numbers and every code has its Kazakh explanation."""
    assert {code.value: code.name for code in ErrorCode} == STABLE_CODES
    assert set(ERROR_CODE_TEXT) == set(ErrorCode)
    assert set(SECTOR_TITLE) == set(FormSector)


def test_unt_form_20_lines_put_codes_after_a_slash_separated_by_commas() -> None:
    """Each faulty sector gives one line: the sector, «/», its codes joined by commas."""
    protocol = _protocol(
        (FormSector.IIN, ErrorCode.IIN_CHECK_DIGIT),
        (FormSector.IIN, ErrorCode.IIN_GENDER),
        (FormSector.GENDER, ErrorCode.IIN_GENDER),
    )
    assert protocol.lines == ("5/E06,E09", "11/E09")
    assert protocol.sectors == (FormSector.IIN, FormSector.GENDER)


@given(st.lists(form_errors, min_size=1, max_size=12))
def test_unt_form_20_lines_list_every_error_once(errors: list[FormError]) -> None:
    """Lines name each faulty sector once, ascending, with exactly its distinct codes."""
    lines = protocol_lines(tuple(errors))
    parsed: dict[int, list[str]] = {}
    for line in lines:
        assert re.fullmatch(r"\d{1,2}/E\d\d(,E\d\d)*", line)
        sector_text, codes_text = line.split("/")
        parsed[int(sector_text)] = codes_text.split(",")
    assert list(parsed) == sorted({int(e.sector) for e in errors})
    for sector, codes in parsed.items():
        expected = sorted({e.code.value for e in errors if e.sector == sector})
        assert codes == expected


def test_unt_form_20_protocol_needs_sorted_errors() -> None:
    """A protocol with no error, or errors out of order, is not a valid record."""
    with pytest.raises(DomainError, match="errors") as info:
        ErrorProtocol(sheet_id="x", errors=())
    assert info.value.rule_id == "UNT-FORM-20"
    unsorted = (
        FormError(sector=FormSector.GENDER, code=ErrorCode.BLANK, message="m"),
        FormError(sector=FormSector.IIN, code=ErrorCode.BLANK, message="m"),
    )
    with pytest.raises(DomainError, match="sorted") as info:
        ErrorProtocol(sheet_id="x", errors=unsorted)
    assert info.value.rule_id == "UNT-FORM-20"


def test_unt_form_20_document_frames_the_faulty_sectors() -> None:
    """The typst source draws faulty sectors in a bold frame with their protocol line."""
    protocol = _protocol((FormSector.REGION, ErrorCode.MULTIPLE), (FormSector.IIN, ErrorCode.BLANK))
    source = error_protocol_source(protocol)
    bold_boxes = re.findall(r"#box\(stroke: 2\.0pt[^\]]*\]", source)
    assert any("9\\/E02" in box for box in bold_boxes)
    assert any("5\\/E01" in box for box in bold_boxes)
    assert not any("Тегі" in box for box in bold_boxes), "a clean sector is framed in bold"


def test_unt_form_20_document_is_a_pdf_in_kazakh() -> None:
    """The protocol of a scanned form compiles to a PDF, reproducibly."""
    reading = application_reading({"gender": "female", "region": "7*"})
    protocol = decode_application(reading, sample_directories(), exam_year=2017)
    assert isinstance(protocol, ErrorProtocol)
    source = error_protocol_source([protocol], school="№1 орта мектеп")
    assert "Қателер хаттамасы" in source
    pdf = error_protocol_pdf([protocol], school="№1 орта мектеп")
    assert pdf.startswith(b"%PDF-")
    assert pdf == error_protocol_pdf([protocol], school="№1 орта мектеп")


def test_unt_form_20_document_needs_at_least_one_protocol() -> None:
    """An empty list of protocols is refused rather than printed as an empty report."""
    with pytest.raises(DomainError) as caught:
        error_protocol_pdf([])
    assert caught.value.rule_id == "UNT-FORM-20"
