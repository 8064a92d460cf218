"""OMRChecker's sample and community scans, read with their own templates.

Each image with a template in its folder (or a parent folder) is read and
compared field by field with the answers the peer recorded for it. Fields
where the image plainly shows what omrkit read, not what was recorded, are
listed with the reason in ``omrchecker_exceptions.json``; they count as
agreeing only while omrkit still reads exactly that.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from omrkit.interop.omrchecker import load_template
from omrkit.interop.omrchecker.reader import read_omrchecker, responses

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "omrchecker"
EXCEPTIONS = json.loads(
    (Path(__file__).with_name("omrchecker_exceptions.json")).read_text(encoding="utf-8")
)
#: Share of recorded fields that must agree (exceptions included).
MIN_AGREEMENT = 0.995

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside this checkout"),
]


def _template_for(image: Path) -> Path | None:
    folder = image.parent
    while CORPUS in folder.parents or folder == CORPUS:
        if (folder / "template.json").is_file():
            return folder / "template.json"
        folder = folder.parent
    return None


def _expected() -> dict[str, dict[str, str]]:
    data = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    return {image: entry["answers"] for image, entry in data.items()}


def test_every_corpus_image_with_a_template_is_read() -> None:
    """Every recorded image has a template and reads; >= 99.5 % of fields agree."""
    expected = _expected()
    excepted = {(e["image"], e["field"]): e for e in EXCEPTIONS}
    total = agreed = 0
    disagreements = []
    for image, answers in sorted(expected.items()):
        template = _template_for(CORPUS / image)
        assert template is not None, image
        layout = load_template(template)
        got = responses(read_omrchecker(CORPUS / image, layout), layout)
        for field, recorded in answers.items():
            total += 1
            exception = excepted.get((image, field))
            if got.get(field) == recorded:
                agreed += 1
                assert exception is None, f"{image} {field} now agrees: drop its exception"
            elif exception is not None and exception["read"] == got.get(field):
                agreed += 1
            else:
                disagreements.append((image, field, recorded, got.get(field)))
    assert total > 1300
    assert agreed / total >= MIN_AGREEMENT, disagreements
    # The reviewed list names every disagreement; a new one is a regression.
    assert not disagreements, disagreements


def test_feature_based_alignment_reads_the_misaligned_scans() -> None:
    """With the reference image, the three doc-scans read their recorded rolls."""
    layout = load_template(CORPUS / "sample6" / "template_fb_align.json")
    expected = _expected()
    for n in (1, 2, 3):
        image = f"sample6/doc-scans/sample_roll_0{n}.jpg"
        reading = read_omrchecker(CORPUS / image, layout)
        assert any(flag.startswith("placed-by:features") for flag in reading.flags)
        assert responses(reading, layout) == expected[image]
