"""Real photographed and scanned sheets (the OMRChecker corpus beside the repository).

These are sheets of other layouts, photographed at angles, xeroxed and
scanned by phone apps: exactly the "photo of something else" an operator may
feed by mistake. Every one must decode, and reading it as a ҰБТ answer sheet
must give a typed error, never a reading.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from omrkit import DecodeError, LayoutError, RegistrationError, load_layout, read_batch
from omrkit.decode.images import decode_image
from omrkit.read.batch import SheetFailure

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "omrchecker"
IMAGES = (
    sorted(p for p in CORPUS.rglob("*") if p.suffix.lower() in {".png", ".jpg", ".jpeg"})
    if CORPUS.is_dir()
    else []
)
#: Marker and reference pictures used by the peer's aligners, not sheets.
NOT_SHEETS = {"omr_marker.jpg"}
SHEETS = [p for p in IMAGES if p.name not in NOT_SHEETS]

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not SHEETS, reason="the shared corpus is not beside this checkout"),
]


def test_corpus_is_what_we_expect() -> None:
    """The corpus holds its twenty-odd real sheets (guards against a silent empty glob)."""
    assert len(SHEETS) >= 20


@pytest.mark.parametrize("path", SHEETS, ids=lambda p: p.relative_to(CORPUS).as_posix())
def test_real_image_decodes_to_grey(path: Path) -> None:
    """Every real photo and scan decodes to a plausible grey image."""
    image = decode_image(path)
    assert image.ndim == 2
    assert min(image.shape) >= 300
    assert image.std() > 10


def test_foreign_sheets_are_refused_never_read() -> None:
    """Reading other layouts' real sheets as ubt-answer yields typed errors only."""
    results = list(read_batch(SHEETS, load_layout("ubt-answer"), workers=2, progress=False))
    assert len(results) == len(SHEETS)
    assert all(isinstance(r, SheetFailure) for r in results)
    kinds = {r.error_kind for r in results if isinstance(r, SheetFailure)}
    assert kinds <= {RegistrationError.__name__, LayoutError.__name__, DecodeError.__name__}
