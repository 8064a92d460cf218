"""Render the README's pictures of the testing point workflow from a demo's output folder.

Usage: ``.venv/bin/python scripts/readme_images.py demo-output docs/images``

Writes three small PNGs: the answer sheet of the demo's technical appeal with
omrkit's overlay, the first page of stream 1's statement with appeal, and the
technical appeal's answer-analysis card. The documents are rendered from the
same typst source as their PDFs; nothing in the store is changed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np
import typst

import omrkit
from omrkit.annotate import overlay_png
from testing_point import demo
from testing_point.steps import appeals, applications, identification, key, scoring
from testing_point.store import Store
from ubt_domain.appeals.statement import statement_with_appeal
from ubt_domain.documents.answer_analysis_card import answer_analysis_card_source
from ubt_domain.documents.appeal_statement import statement_with_appeal_source

PPI = 60  # small enough for the README, large enough to read the headings
SHEET_WIDTH_PX = 560
SHEET_TOP_SHARE = 0.5


def _png(source: str) -> bytes:
    pages = typst.compile(source.encode(), format="png", ppi=PPI, ignore_system_fonts=True)
    return pages[0] if isinstance(pages, list) else pages


def main(out: Path, images: Path) -> None:
    images.mkdir(parents=True, exist_ok=True)
    with Store.open(out / "point.sqlite") as store:
        closed = identification.closed_identification(store, 1)
        opened = key.opened_key(store, 1)
        scored = scoring.ledger(store, 1)
        closing = store.closing(appeals.STEP, 1)
        if closed is None or opened is None or scored is None or closing is None:
            raise SystemExit(f"{out} holds no finished demo: run `omrkit demo --out {out}` first")
        from ubt_domain.appeals.closing import AppealsClosure

        names = {a.tzhk: a.full_name for a in applications.applicants(store)}
        titles = demo.subject_titles()
        statement = statement_with_appeal(
            scored, AppealsClosure.model_validate_json(closing), names=names,
            subjects=list(titles),
        )  # fmt: skip
        source = statement_with_appeal_source(statement, testing_point="035", titles=titles)
        (images / "demo-statement.png").write_bytes(_png(source))
        keys = {(v.variant, s.subject): s.accepted for v in opened.variants for s in v.subjects}
        case = demo.near_key_mark(store, out, {o.sheet_id: o for o in closed.identified}, keys)
        if case is None:
            raise SystemExit("the demo had no technical appeal")
        outcome, slot, scan1, scan2, recorded = case
        subject, _, task = slot.partition(".")
        correct = keys[(str(outcome.variant), subject)][int(task) - 1][0]
        first, second = appeals.remeasure(scan1, slot), appeals.remeasure(scan2, slot)
        _, finding = appeals.technical_evidence(int(task), correct, recorded, first, second)
        card = answer_analysis_card_source(
            finding, tzhk=str(outcome.tzhk), subject=titles[subject],
            variant=str(outcome.variant), test_day_png=first.crop_png,
            appeal_day_png=second.crop_png,
        )  # fmt: skip
        (images / "demo-answer-card.png").write_bytes(_png(card))
        layout = omrkit.load_layout("ubt-answer")
        data = scan1.read_bytes()
        image = np.asarray(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE))
        drawn_png = overlay_png(image, layout, omrkit.read_sheet(data, layout))
        drawn = np.asarray(cv2.imdecode(np.frombuffer(drawn_png, np.uint8), cv2.IMREAD_COLOR))
        scale = SHEET_WIDTH_PX / drawn.shape[1]
        small = cv2.resize(drawn, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        top = small[: int(small.shape[0] * SHEET_TOP_SHARE)]  # service sectors and first tasks
        cv2.imwrite(str(images / "demo-annotated-sheet.png"), top, [cv2.IMWRITE_PNG_COMPRESSION, 9])


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
