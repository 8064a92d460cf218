"""The exceptions omrkit raises.

::

    OmrError                      root of everything omrkit raises on purpose
    ├── LayoutError (ValueError)  invalid layout, or a sheet printed with another layout
    ├── DecodeError (ValueError)  unreadable, truncated, empty, unsupported or oversized image
    │   └── HeaderError           a file's header is malformed (the decoder adds the path)
    ├── RegistrationError         registration marks missing, implausible, or residual too high
    │       (ValueError)
    ├── RenderError (ValueError)  a sheet cannot be printed: bad format, dpi, serial or colour
    ├── SynthError (ValueError)   impossible simulation parameters
    ├── OutputError (ValueError)  a batch's output directory holds another layout's readings,
    │                             or readings made with other read options
    └── CalibrationError          a scan is not a usable calibration sheet (wrong sheet,
            (ValueError)          part of the page, blank, something else)

Every error carries the input it concerns (``path``, ``page``, ``field``) as
attributes and a message a scanner operator understands: what was wrong, where,
and what was expected. A single-sheet call raises; a batch turns the error into
a failure row and goes on. A wrong argument (type, shape, range) is the
caller's bug and raises ``TypeError`` or ``ValueError`` itself, never one of these.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "CalibrationError",
    "DecodeError",
    "HeaderError",
    "LayoutError",
    "OmrError",
    "OutputError",
    "RegistrationError",
    "RenderError",
    "SynthError",
]


class OmrError(Exception):
    """Root of every error omrkit raises on purpose.

    Parameters
    ----------
    message : str
        What was wrong and what was expected.
    path : str or Path, optional
        The file (or layout) the error concerns.
    page : int, optional
        Zero-based page of a multi-page input.
    field : str, optional
        The layout field, mark or parameter the error concerns.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        page: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.page = page
        self.field = field
        super().__init__(self._compose())

    @property
    def kind(self) -> str:
        """Short machine-readable name of the error class, used in batch failure rows."""
        return type(self).__name__

    def _compose(self) -> str:
        where = []
        if self.path is not None:
            where.append(self.path)
        if self.page is not None:
            where.append(f"page {self.page}")
        if self.field is not None:
            where.append(f"field {self.field!r}")
        return f"{': '.join(where)}: {self.message}" if where else self.message


class LayoutError(OmrError, ValueError):
    """A layout is invalid, or a sheet was printed with a different layout."""


class DecodeError(OmrError, ValueError):
    """An image could not be decoded: unreadable, truncated, empty, unsupported or too large."""


class HeaderError(DecodeError):
    """An image header is not well formed; the message says what is wrong.

    Raised by the header parsers, which see bytes only; the decoder re-raises
    it as a :class:`DecodeError` naming the file.
    """


class RegistrationError(OmrError, ValueError):
    """The registration marks could not be found or do not agree with the layout."""


class RenderError(OmrError, ValueError):
    """A sheet cannot be printed: unknown format, dpi out of range, serial or colour invalid."""


class SynthError(OmrError, ValueError):
    """Simulation parameters are impossible (e.g. a painted fraction outside 0..1)."""


class CalibrationError(OmrError, ValueError):
    """A scan given to the scanner check is not a whole, readable calibration sheet."""


class OutputError(OmrError, ValueError):
    """A batch cannot be written to an output directory that holds other readings.

    Another layout's, or readings made with other read options: one output
    holds readings made under one rule, so a rerun resumes it only as it began.
    """
