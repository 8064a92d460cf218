"""The one spelling of a colour in a layout: ``"#rrggbb"``, and its parsing.

A layout names its dropout ink this way; the layout model validates it, the
renderer prints it and the decoder weighs a colour scan's channels by it. Each
stage raises its own error for a bad colour (a layout, render or decode
error naming ``dropout_color``), from this one check.
"""

from __future__ import annotations

import re

__all__ = ["HEX_COLOUR_PATTERN", "parse_hex_colour"]

#: ``"#rrggbb"``: a hash and six hexadecimal digits, either case.
HEX_COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"
_HEX_COLOUR = re.compile(HEX_COLOUR_PATTERN)
#: Hex digits per channel of ``"#rrggbb"``.
_CHANNEL_DIGITS = 2


def parse_hex_colour(colour: object) -> tuple[int, int, int] | None:
    """Red, green and blue (0..255) of ``"#rrggbb"``, or None for anything else.

    Parameters
    ----------
    colour : object
        The text to read; any other type is not a colour.

    Returns
    -------
    rgb : tuple of 3 int, or None
        The channels, or None when ``colour`` is not a ``"#rrggbb"`` string.

    Examples
    --------
    >>> parse_hex_colour("#ffa0A0")
    (255, 160, 160)
    >>> parse_hex_colour("red") is None
    True
    """
    # fullmatch, not match: "$" would accept a trailing newline.
    if not (isinstance(colour, str) and _HEX_COLOUR.fullmatch(colour)):
        return None
    red, green, blue = (int(colour[start : start + _CHANNEL_DIGITS], 16) for start in (1, 3, 5))
    return red, green, blue
