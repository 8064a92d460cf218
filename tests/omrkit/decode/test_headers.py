"""Image headers: what the magic bytes say, and the error tree a malformed header lands in."""

from __future__ import annotations

import pytest

from omrkit.decode.headers import sniff_format
from omrkit.errors import DecodeError, HeaderError, OmrError


def test_sniff_format_raises_a_decode_error_for_what_is_no_image() -> None:
    """A PDF's bytes raise HeaderError, which is an OmrError and a DecodeError (a bad input)."""
    with pytest.raises(HeaderError, match="PDF") as info:
        sniff_format(b"%PDF-1.7\n" + bytes(64))
    assert isinstance(info.value, DecodeError)
    assert isinstance(info.value, OmrError)
    assert isinstance(info.value, ValueError)
