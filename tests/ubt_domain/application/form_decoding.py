"""Decoding the valid application form with changes applied, for the form's tests.

``decode`` reads ``VALID_APPLICATION`` with some sectors changed and decodes it
against the sample directories; ``accepted`` and ``protocol`` insist on the
outcome a test expects.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.ubt_domain.readings import VALID_APPLICATION, application_reading, sample_directories
from ubt_domain.application.form import (
    AcceptedApplication,
    FormDeletion,
    SpoiledForm,
    decode_application,
)
from ubt_domain.application.names import PersonName
from ubt_domain.application.protocol import ErrorProtocol

EXAM_YEAR = 2017
DIRECTORIES = sample_directories()
TZHK = VALID_APPLICATION["tzhk"]


Changes = Mapping[str, str | None]


def decode(
    changes: Changes | None = None,
    *,
    registered: Mapping[str, PersonName] | None = None,
    school_id: str | None = None,
    review: dict[str, list[int]] | None = None,
    poor: bool = False,
    layout_id: str = "ubt-application",
) -> AcceptedApplication | FormDeletion | SpoiledForm | ErrorProtocol:
    """Decode ``VALID_APPLICATION`` with ``changes`` applied."""
    reading = application_reading(changes, review=review, poor=poor, layout_id=layout_id)
    return decode_application(
        reading, DIRECTORIES, exam_year=EXAM_YEAR, registered=registered, school_id=school_id
    )


def accepted(changes: Changes | None = None, **options: Any) -> AcceptedApplication:
    """Decode and insist on an accepted form."""
    result = decode(changes, **options)
    assert isinstance(result, AcceptedApplication), getattr(result, "lines", result)
    return result


def protocol(changes: Changes | None = None, **options: Any) -> ErrorProtocol:
    """Decode and insist on an error protocol."""
    result = decode(changes, **options)
    assert isinstance(result, ErrorProtocol), result
    return result
