"""Inputs of a batch: files, directories (recursively) and glob patterns, as file paths.

One expansion for the API and the command line, so that ``read_batch`` and
``omrkit read`` see the same files in the same order.
"""

from __future__ import annotations

import glob
from collections.abc import Iterable
from pathlib import Path

from omrkit.errors import DecodeError

__all__ = ["IMAGE_SUFFIXES", "expand_sources"]

#: Files a directory contributes (case-insensitive suffixes); a file named
#: explicitly is read whatever its name.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"})
_GLOB_CHARS = frozenset("*?[")


def expand_sources(sources: str | Path | Iterable[str | Path]) -> list[str]:
    """The files a batch reads, in order.

    Parameters
    ----------
    sources : path, glob pattern, or iterable of them
        A file is read as given (a missing one becomes a failure row); a
        directory contributes its image files (:data:`IMAGE_SUFFIXES`) at any
        depth, sorted by path; a pattern such as ``scans/**/*.jpg`` that names
        no existing file contributes its matches, sorted.

    Returns
    -------
    list of str

    Raises
    ------
    DecodeError
        If a directory or pattern holds no image file: an empty input is a
        mistake (a wrong folder), not an empty result.
    """
    if isinstance(sources, str | Path):
        sources = [sources]
    files: list[str] = []
    for source in sources:
        if not isinstance(source, str | Path):
            raise TypeError(f"a batch source must be a path, got {type(source).__name__}")
        path = Path(source)
        if path.is_dir():
            found = sorted(
                str(p)
                for p in path.rglob("*")
                if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()
            )
            if not found:
                raise DecodeError("the directory holds no image files", path=path)
            files += found
        elif not path.exists() and _GLOB_CHARS & set(str(source)):
            matches = sorted(m for m in glob.glob(str(source), recursive=True) if Path(m).is_file())
            if not matches:
                raise DecodeError("the pattern matches no file", path=str(source))
            files += matches
        else:
            files.append(str(source))
    return files
