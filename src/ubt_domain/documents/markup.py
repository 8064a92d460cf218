"""Shared typst helpers for the documents the procedures print.

Every document of ``ubt_domain`` (statements, protocols, certificates) is a
typst source string compiled to PDF bytes in memory: no file is read or
written, and system fonts are ignored so the same source gives the same bytes
on every machine. The helpers here keep the three things every document needs
in one place: escaping data into markup, tables, and the page set-up.

Text is either plain data (a name, a code: always escaped) or :class:`Markup`
(typst source already safe to splice). :func:`escape` turns the first into the
second; every helper that accepts cell contents escapes plain strings and
passes :class:`Markup` through, so nothing is escaped twice and nothing a user
typed can inject typst code.
"""

from __future__ import annotations

import string
from collections.abc import Collection, Mapping, Sequence

import typst

from ubt_domain.errors import DomainError

__all__ = [
    "DEFAULT_FONT",
    "DOCUMENT_RULE_ID",
    "FRAME_STROKE_PT",
    "DocumentError",
    "Markup",
    "bold",
    "compile_pdf",
    "document",
    "escape",
    "facts",
    "framed",
    "grid",
    "heading",
    "signature_lines",
    "subject_names",
    "table",
]

# Libertinus Serif ships inside typst and covers the Kazakh and Russian
# Cyrillic letters (ә ғ қ ң ө ұ ү һ і), so no system font is needed.
DEFAULT_FONT = "Libertinus Serif"
DEFAULT_FONT_SIZE_PT = 10.0
PAGE_MARGIN_MM = 15.0
# The "bold frame" of UNT-FORM-20: thick enough to stand out from the 0.5 pt
# grid of an ordinary table on a black-and-white printout.
FRAME_STROKE_PT = 2.0
GRID_STROKE_PT = 0.5
CELL_INSET_PT = 4.0
# The blank a signatory signs on.
SIGNATURE_BLANK = "_" * 30

# Every ASCII punctuation character can start markup (#, *, _, =, -, /, ...);
# typst accepts a backslash before any of them and prints the character.
_MARKUP_SPECIALS = frozenset(string.punctuation)
# A backslash followed by whitespace is a typst line break.
_LINE_BREAK = "\\ "
# typst stamps the compile time as the PDF date unless told otherwise; a
# document that wants a date sets one explicitly (as data) after this line.
_NO_CLOCK_DATE = "#set document(date: none)\n"


#: The ``rule_id`` of a :class:`DocumentError`: no rule of the procedures is
#: broken, the generating code is; this names the stage instead.
DOCUMENT_RULE_ID = "documents"


class DocumentError(DomainError, RuntimeError):
    """typst refused a generated document: a bug in the generating code, not bad data.

    A :class:`~ubt_domain.errors.DomainError` so that one ``except`` catches
    everything the package raises, and a ``RuntimeError`` because the fault is
    the program's, not the input's; its ``rule_id`` is :data:`DOCUMENT_RULE_ID`.

    Parameters
    ----------
    message : str
        typst's diagnostic, with the hints it gave.
    """

    def __init__(self, message: str) -> None:
        super().__init__(DOCUMENT_RULE_ID, message)


class Markup(str):
    """typst markup that is already safe to splice into a document."""

    __slots__ = ()


def escape(text: str) -> Markup:
    """Turn plain text into typst markup that prints exactly that text.

    Parameters
    ----------
    text : str
        Data to print: a name, a code, a message. :class:`Markup` is returned
        unchanged.

    Returns
    -------
    Markup
        The text with every markup character backslash-escaped, line breaks
        kept as typst line breaks and other control characters dropped.

    Examples
    --------
    >>> escape("#1 *not bold*")
    '\\\\#1 \\\\*not bold\\\\*'
    """
    if isinstance(text, Markup):
        return text
    if not isinstance(text, str):
        raise TypeError(f"escape expects a str, got {type(text).__name__}")
    out: list[str] = []
    for char in text.replace("\r\n", "\n"):
        if char in _MARKUP_SPECIALS:
            out.append("\\" + char)
        elif char == "\n":
            out.append(_LINE_BREAK)
        elif char.isprintable() or char == " ":
            out.append(char)
    return Markup("".join(out))


def bold(text: str) -> Markup:
    """Bold text (plain text is escaped first)."""
    return Markup(f"#strong[{escape(text)}]")


def framed(text: str, *, stroke_pt: float = FRAME_STROKE_PT) -> Markup:
    """Text inside a frame; the default bold frame is how UNT-FORM-20 shows a faulty sector."""
    if not stroke_pt > 0:
        raise ValueError(f"stroke_pt must be positive, got {stroke_pt!r}")
    return Markup(f"#box(stroke: {stroke_pt}pt, inset: {CELL_INSET_PT}pt)[{escape(text)}]")


def grid(cells: Sequence[str], *, columns: int) -> Markup:
    """Cells laid out left to right in ``columns`` columns, without rules.

    Plain strings are escaped, :class:`Markup` (e.g. :func:`framed`) is kept.
    """
    if not isinstance(columns, int) or columns < 1:
        raise ValueError(f"columns must be a positive int, got {columns!r}")
    body = ", ".join(f"[{escape(cell)}]" for cell in cells)
    return Markup(f"#grid(columns: {columns}, gutter: {CELL_INSET_PT}pt, {body})\n")


def facts(pairs: Sequence[tuple[str, str]]) -> Markup:
    """Lines of ``label: value`` with the value in bold: the header of a document.

    Labels and values are plain text and are escaped.
    """
    return Markup(
        (_LINE_BREAK + "\n").join(f"{escape(label)}: *{escape(value)}*" for label, value in pairs)
    )


def signature_lines(roles: Sequence[str]) -> Markup:
    """One ``role: ______`` line per signatory, closing a document."""
    return Markup(
        (_LINE_BREAK + "\n").join(f"{escape(role)}: {escape(SIGNATURE_BLANK)}" for role in roles)
    )


def subject_names(titles: Mapping[str, str], subjects: Sequence[str], *, rule: str) -> list[str]:
    """What a document prints for each subject field id: its title.

    Raises
    ------
    DomainError
        (``rule``) a subject has no title: a document never prints a sheet's
        field id where a person reads a subject.
    """
    missing = [s for s in subjects if not titles.get(s, "").strip()]
    if missing:
        raise DomainError(rule, f"no subject title for {', '.join(dict.fromkeys(missing))}")
    return [titles[s] for s in subjects]


def heading(text: str, *, level: int = 1) -> Markup:
    """A numbered-free heading of the given level (1 is the largest)."""
    if not isinstance(level, int) or level < 1:
        raise ValueError(f"level must be a positive int, got {level!r}")
    return Markup(f"#heading(level: {level}, numbering: none)[{escape(text)}]\n")


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    columns: Sequence[str] | None = None,
    framed_rows: Collection[int] = (),
) -> Markup:
    """A ruled table with a bold header row.

    Parameters
    ----------
    header : sequence of str
        Column titles; their count fixes the number of columns.
    rows : sequence of sequence of str
        Cell contents, row by row; each row has ``len(header)`` cells. Plain
        strings are escaped, :class:`Markup` is spliced as is.
    columns : sequence of str, optional
        typst track sizes (``"auto"``, ``"1fr"``, ``"30mm"``); default
        ``auto`` for every column.
    framed_rows : collection of int, optional
        Zero-based indices into ``rows`` drawn inside a bold frame.

    Returns
    -------
    Markup
        A ``#table(...)`` call; the header repeats on every page.
    """
    n_columns = len(header)
    if n_columns == 0:
        raise ValueError("header must name at least one column")
    tracks = list(columns) if columns is not None else ["auto"] * n_columns
    if len(tracks) != n_columns:
        raise ValueError(f"columns has {len(tracks)} sizes, header has {n_columns} titles")
    for index in framed_rows:
        if not 0 <= index < len(rows):
            raise ValueError(f"framed_rows index {index} outside 0..{len(rows) - 1}")
    parts = [
        f"#table(columns: ({', '.join(tracks)},), stroke: {GRID_STROKE_PT}pt, "
        f"inset: {CELL_INSET_PT}pt,",
        "  table.header(" + ", ".join(f"[{bold(title)}]" for title in header) + "),",
    ]
    for index, row in enumerate(rows):
        if len(row) != n_columns:
            raise ValueError(f"row {index} has {len(row)} cells, expected {n_columns}")
        if index in framed_rows:
            parts.extend(_frame_lines(index + 1, n_columns))
        parts.append("  " + ", ".join(f"[{escape(cell)}]" for cell in row) + ",")
    parts.append(")")
    return Markup("\n".join(parts) + "\n")


def _frame_lines(grid_row: int, n_columns: int) -> list[str]:
    """typst rules drawing a bold frame around one table row (header is grid row 0)."""
    stroke = f"stroke: {FRAME_STROKE_PT}pt"
    span = f"start: {grid_row}, end: {grid_row + 1}"
    return [
        f"  table.hline(y: {grid_row}, {stroke}),",
        f"  table.hline(y: {grid_row + 1}, {stroke}),",
        f"  table.vline(x: 0, {span}, {stroke}),",
        f"  table.vline(x: {n_columns}, {span}, {stroke}),",
    ]


def document(
    body: Sequence[str],
    *,
    title: str,
    lang: str = "kk",
    landscape: bool = False,
) -> Markup:
    """A complete typst source: A4 page set-up, font, title and the body blocks.

    Parameters
    ----------
    body : sequence of str
        Blocks in order; plain strings become escaped paragraphs, :class:`Markup`
        is spliced as is.
    title : str
        Printed as the top heading and stored as the PDF title.
    lang : {"kk", "ru"}
        Text language (hyphenation, quotes).
    landscape : bool
        Turn the A4 page for wide tables.
    """
    if lang not in ("kk", "ru"):
        raise ValueError(f"lang must be 'kk' or 'ru', got {lang!r}")
    flipped = "true" if landscape else "false"
    title_literal = title.replace("\\", "\\\\").replace('"', '\\"')
    preamble = [
        f'#set document(title: "{title_literal}")',
        f'#set page(paper: "a4", flipped: {flipped}, margin: {PAGE_MARGIN_MM}mm)',
        f'#set text(font: "{DEFAULT_FONT}", size: {DEFAULT_FONT_SIZE_PT}pt, lang: "{lang}")',
        heading(title),
    ]
    blocks = [block if isinstance(block, Markup) else escape(block) for block in body]
    return Markup("\n".join(preamble) + "\n" + "\n\n".join(blocks) + "\n")


def compile_pdf(source: str) -> bytes:
    """Compile typst source to PDF bytes, in memory and reproducibly.

    Parameters
    ----------
    source : str
        A complete typst document (usually from :func:`document`).

    Returns
    -------
    bytes
        The PDF. The same source always gives the same bytes: system fonts are
        ignored and the clock is never read (a source that wants a PDF date
        sets ``#set document(date: datetime(...))`` itself).

    Raises
    ------
    DocumentError
        typst reported an error or a warning (an unknown font, a missing
        glyph): the generating code is wrong, the document is not printed.
    """
    if not isinstance(source, str):
        raise TypeError(f"source must be a str, got {type(source).__name__}")
    try:
        pdf, warnings = typst.compile_with_warnings(
            (_NO_CLOCK_DATE + source).encode("utf-8"), format="pdf", ignore_system_fonts=True
        )
    except typst.TypstError as error:
        raise DocumentError(f"typst refused the document: {error.message}") from error
    if warnings:
        messages = "; ".join(str(getattr(w, "message", w)) for w in warnings)
        raise DocumentError(f"typst warned about the document: {messages}")
    if not isinstance(pdf, bytes):
        raise DocumentError(f"typst returned {type(pdf).__name__}, expected PDF bytes")
    return pdf
