"""The scanner report (UNT-SCAN-1, the report of appendix 18): typst source and PDF.

One A4 page a technician reads without the manual: who and what was checked,
the verdict in large letters with its reasons, the response curve (measured
fill against printed fill, with its tolerance band and the 50 % rule drawn
in), every measurement against its limit, the paper-uniformity map as a
small picture, and boxes for the seals and signatures the procedure requires.
The plot is drawn with typst's own shapes, so nothing is fetched to print it.
"""

from __future__ import annotations

import math
from itertools import pairwise
from pathlib import Path

import typst

from omrkit.calibrate.check import ScannerReport
from omrkit.errors import RenderError

__all__ = ["render_report", "report_typst"]

FONT = "New Computer Modern"
#: Side of the response plot and of the uniformity map's longer edge, mm.
PLOT_MM = 60.0
MAP_HEIGHT_MM = 52.0
#: Darkness shown as full black in the uniformity map (share of the paper-to-ink range).
MAP_FULL_SCALE = 0.3
_TONE_COLOURS = {"dark": "black", "pencil": 'rgb("#c04000")'}
#: The grey wedge's tone curve (measured against printed darkness).
_WEDGE_COLOUR = 'rgb("#1060c0")'

_SIGNATORIES = (
    "Бағдарламашы · programmer",
    "Топ жетекшісі · group leader",
    "Министрлік өкілі · Ministry representative",
)


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _plot(report: ScannerReport) -> list[str]:
    """Response curves in a PLOT_MM square: x printed fill, y measured fill."""
    s = PLOT_MM
    band = report.tolerances.max_response_error

    def pt(x: float, y: float) -> str:
        return f"({x * s:.2f}mm, {(1 - min(max(y, 0.0), 1.0)) * s:.2f}mm)"

    out = [f"#box(width: {s + 12}mm, height: {s + 12}mm)[", "#place(dx: 10mm, dy: 0mm)["]
    out.append(
        f"#place(polygon(fill: luma(225), stroke: none, {pt(0, band)}, {pt(1 - band, 1)},"
        f" {pt(1, 1)}, {pt(1, 1 - band)}, {pt(band, 0)}, {pt(0, 0)}))"
    )
    out.append(f"#place(rect(width: {s}mm, height: {s}mm, stroke: 0.4pt))")
    for a, b, c, d in ((0.5, 0, 0.5, 1), (0, 0.5, 1, 0.5)):
        out.append(f'#place(line(start: {pt(a, b)}, end: {pt(c, d)}, stroke: (dash: "dashed")))')
    out.append(f"#place(line(start: {pt(0, 0)}, end: {pt(1, 1)}, stroke: 0.3pt + gray))")
    curves = [(_TONE_COLOURS.get(tone, "blue"), c) for tone, c in report.response.items()]
    for colour, curve in [*curves, (_WEDGE_COLOUR, report.tone)]:
        for (x0, y0), (x1, y1) in pairwise(curve):
            out.append(
                f"#place(line(start: {pt(x0, y0)}, end: {pt(x1, y1)}, stroke: 1pt + {colour}))"
            )
        for x, y in curve:
            out.append(
                f"#place(dx: {x * s - 0.6:.2f}mm, dy: {(1 - y) * s - 0.6:.2f}mm,"
                f" circle(radius: 0.6mm, fill: {colour}))"
            )
    for v in (0.0, 0.5, 1.0):
        out.append(f"#place(dx: {v * s - 2:.2f}mm, dy: {s + 1}mm, text(6pt)[{v:.0%}])")
        out.append(f"#place(dx: -9mm, dy: {(1 - v) * s - 1.5:.2f}mm, text(6pt)[{v:.0%}])")
    out += ["]", "]"]
    return out


def _map(report: ScannerReport) -> list[str]:
    """Paper darkness per cell as grey squares, black at MAP_FULL_SCALE."""
    rows = report.paper_map
    if not rows:
        return []
    cell = MAP_HEIGHT_MM / len(rows)
    out = [f"#box(width: {cell * len(rows[0]):.2f}mm, height: {MAP_HEIGHT_MM}mm, stroke: 0.4pt)["]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            luma = round(255 * (1 - min(max(value, 0.0) / MAP_FULL_SCALE, 1.0)))
            if luma < 250:
                out.append(
                    f"#place(dx: {c * cell:.2f}mm, dy: {r * cell:.2f}mm,"
                    f" rect(width: {cell:.2f}mm, height: {cell:.2f}mm, fill: luma({luma})))"
                )
    out.append("]")
    return out


def report_typst(report: ScannerReport, *, run: str = "") -> str:
    """The typst source of the report; ``run`` names the scanning run (date, room, batch)."""
    verdict = "ЖАРАМДЫ · PASS" if report.passed else "ЖАРАМСЫЗ · FAIL"
    colour = 'rgb("#006400")' if report.passed else 'rgb("#b00000")'
    reasons = ", ".join(r.value for r in report.reasons) or "—"
    lines = [
        '#set page(paper: "a4", margin: 14mm)',
        f'#set text(font: "{FONT}", size: 9pt)',
        "= Сканерді тексеру есебі · Scanner check report",
        f"*Сканер · scanner:* {_esc(report.scanner) or '—'} #h(1fr)"
        f" *Сканерлеу · run:* {_esc(run) or '—'}\\",
        f"*Парақтар · scans:* {len(report.sources)} ({_esc(', '.join(report.sources))})\\",
        f"*Шектер нұсқасы · tolerances version:* {report.tolerances.version}"
        f" #h(1fr) *Профиль · profile:* `{report.profile.hash[:16]}`",
        f'#align(center, text(20pt, weight: "bold", fill: {colour})[{verdict}])',
        f"#align(center)[Себептер · reasons: *{reasons}*]",
        "#grid(columns: (1fr, 1fr), gutter: 6mm, [",
        "*Жауап қисығы · fill response* — өлшенген / басылған (measured against printed"
        " fill); grey band: tolerance; dashed: the 50 % rule; black: dark ink, orange: pencil;"
        " blue: the grey wedge's tone (measured against printed darkness)."
        " A scanner is good when the black curve stays in the band and crosses 50 % at 50 %.",
        "",
        *_plot(report),
        "], [",
        "*Біркелкілік · paper uniformity* — darker cells are darker paper"
        f" (black = {MAP_FULL_SCALE:.0%} of the paper-to-ink range); a streak or dirty glass"
        " shows as a dark column.",
        "",
        *_map(report),
        "])",
        "#table(columns: (auto, auto, auto, auto, auto, auto), stroke: 0.4pt, inset: 2.2pt,",
        "[*Өлшем · measurement*], [*Мән · value*], [*Шек · limit*], [*Бірлік · unit*],"
        " [*Тобы · group*], [*Нәтиже · result*],",
    ]
    for m in report.measurements:
        sign = "≤" if m.at_most else "≥"
        limit = "—" if m.limit is None else f"{sign} {m.limit:.3g}"
        value = "—" if math.isnan(m.value) else f"{m.value:.3g}"
        result = "shown" if m.limit is None else "ok" if m.ok else "*FAIL*"
        lines.append(
            f"[{_esc(m.name)}], [{value}], [{limit}], [{m.unit}], [{m.reason.value}], [{result}],"
        )
    lines.append(")")
    lines.append("#v(4mm)")
    lines.append("#grid(columns: (1fr, 1fr, 1fr, 35mm), gutter: 4mm,")
    for who in _SIGNATORIES:
        lines.append(f"[{who}\\ #v(10mm) #line(length: 100%) қолы · signature],")
    lines.append("[#rect(width: 35mm, height: 25mm)[М.О. · seal]])")
    return "\n".join(lines) + "\n"


def render_report(report: ScannerReport, out_path: str | Path, *, run: str = "") -> Path:
    """Write the report as PDF (or PNG when ``out_path`` ends in .png)."""
    path = Path(out_path)
    source = report_typst(report, run=run).encode()
    try:
        if path.suffix.lower() == ".png":
            data = typst.compile(source, format="png", ppi=110, ignore_system_fonts=True)
        else:
            data = typst.compile(source, format="pdf", ignore_system_fonts=True)
    except typst.TypstError as exc:
        raise RenderError(f"typst could not compile the scanner report: {exc}") from exc
    if isinstance(data, list):
        data = data[0]
    path.write_bytes(data)
    return path
