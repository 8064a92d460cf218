"""The text of a typst-made PDF, for tests that check what a document says.

No PDF library is a dependency, and typst's output is regular: objects with
Flate-compressed streams, CID fonts with a ``ToUnicode`` CMap, text shown by
``Tj``/``TJ`` with two-byte glyph codes. :func:`pdf_text` inflates the
streams, reads the CMaps, and decodes every text run in page order, one run
a line. Good enough to assert headings and table rows; not a general parser.
Where a word may be split across runs, compare with :func:`squeezed`.
"""

from __future__ import annotations

import re
import zlib

__all__ = ["pdf_text", "squeezed"]

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_FONT_ENTRY = re.compile(rb"/(\w+) (\d+) 0 R")
_WORD = re.compile(rb"/?[^\s()<>\[\]/]+")
_NUMBER = re.compile(rb"[-+]?[\d.]+")
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")
_CONTENTS = re.compile(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)")  # one stream or an array
_REF = re.compile(rb"(\d+) 0 R")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def pdf_text(pdf: bytes) -> str:
    """Every text run of ``pdf`` in order, one run a line."""
    objects = {int(n): body for n, body in _OBJECT.findall(pdf)}
    inflated = {n: _inflate(body) for n, body in objects.items()}
    cmaps = {n: _cmap(data) for n, data in inflated.items() if b"begincmap" in data}
    font_cmap = {
        n: cmaps[int(m.group(1))]
        for n, body in objects.items()
        if (m := re.search(rb"/ToUnicode (\d+) 0 R", body)) and int(m.group(1)) in cmaps
    }
    lines: list[str] = []
    for n in _page_contents(objects):
        resources = _font_names(objects, n)
        content = inflated[n]
        cmap: dict[int, str] = {}
        run: list[str] = []
        operands: list[bytes | list[bytes]] = []
        for token in _tokens(content):
            if isinstance(token, list) or token[:1] in (b"(", b"<", b"/"):
                operands.append(token)
                continue
            if token == b"Tf" and operands and isinstance(operands[0], bytes):
                cmap = font_cmap.get(resources.get(operands[0][1:], -1), {})
            elif token in (b"Tj", b"TJ") and operands:
                shown = operands[-1]
                for raw in shown if isinstance(shown, list) else [shown]:
                    run.append(_decode(_string_bytes(raw), cmap))
            elif token == b"ET" and run:
                lines.append("".join(run))
                run = []
            operands = []
        if run:
            lines.append("".join(run))
    return "\n".join(lines)


def _tokens(content: bytes) -> list[bytes | list[bytes]]:
    """Operands and operators of a content stream; strings whole, arrays as lists of strings.

    Literal strings may hold balanced, unescaped parentheses, so they are
    scanned by depth, not by a regular expression. Numbers are dropped.
    """
    tokens: list[bytes | list[bytes]] = []
    array: list[bytes] | None = None
    i, size = 0, len(content)
    while i < size:
        char = content[i : i + 1]
        if char == b"(":
            depth, j = 0, i
            while True:
                c = content[j : j + 1]
                if c == b"\\":
                    j += 2
                    continue
                depth += (c == b"(") - (c == b")")
                j += 1
                if depth == 0:
                    break
            token: bytes = content[i:j]
            i = j
        elif char == b"<" and content[i + 1 : i + 2] != b"<":
            j = content.index(b">", i) + 1
            token, i = content[i:j], j
        elif char == b"[":
            array, i = [], i + 1
            continue
        elif char == b"]":
            tokens.append(array or [])
            array, i = None, i + 1
            continue
        elif char.isspace() or char in b"<>":
            i += 1
            continue
        else:
            m = _WORD.match(content, i)
            token = m.group(0) if m else char
            i += max(len(token), 1)
            if _NUMBER.fullmatch(token):
                continue
        if array is not None:
            if token[:1] in (b"(", b"<"):
                array.append(token)
        else:
            tokens.append(token)
    return tokens


def _inflate(body: bytes) -> bytes:
    found = _STREAM.search(body)
    if found is None:
        return b""
    data = found.group(1)
    if b"/FlateDecode" in body[: found.start()]:
        try:
            return zlib.decompress(data)
        except zlib.error:
            return b""
    return data


def _page_contents(objects: dict[int, bytes]) -> list[int]:
    """Content streams of every page in object order; a page may list several."""
    return [
        int(ref)
        for _, body in sorted(objects.items())
        if re.search(rb"/Type\s*/Page\b(?!s)", body)
        if (m := _CONTENTS.search(body))
        for ref in _REF.findall(m.group(1))
    ]


def _font_names(objects: dict[int, bytes], content: int) -> dict[bytes, int]:
    """Resource name (``f0``) → font object, from the page that shows ``content``."""
    for body in objects.values():
        contents = _CONTENTS.search(body)
        if contents and str(content).encode() in _REF.findall(contents.group(1)):
            m = re.search(rb"/Resources (\d+) 0 R", body)
            resources = objects[int(m.group(1))] if m else body
            fonts = re.search(rb"/Font\s*<<(.*?)>>", resources, re.S)
            if fonts:
                return {name: int(ref) for name, ref in _FONT_ENTRY.findall(fonts.group(1))}
    return {}


def _cmap(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in _BFCHAR.findall(data):
        codes = _HEX.findall(block)
        for src, dst in zip(codes[::2], codes[1::2], strict=True):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in _BFRANGE.findall(data):
        codes = _HEX.findall(block)
        for lo, hi, dst in zip(codes[::3], codes[1::3], codes[2::3], strict=True):
            first = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(first + offset)
    return mapping


def _string_bytes(raw: bytes) -> bytes:
    if raw.startswith(b"<"):
        return bytes.fromhex(raw[1:-1].decode())
    body, out, i = raw[1:-1], bytearray(), 0
    while i < len(body):
        if body[i : i + 1] != b"\\":
            out += body[i : i + 1]
            i += 1
            continue
        nxt = body[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", body[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8))
            i += 1 + len(octal.group(0))
        else:
            out += _ESCAPES.get(nxt, nxt)
            i += 2
    return bytes(out)


def _decode(data: bytes, cmap: dict[int, str]) -> str:
    codes = (int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data) - 1, 2))
    return "".join(cmap.get(code, "") for code in codes)


def squeezed(text: str) -> str:
    """``text`` without any whitespace: for comparing across split words."""
    return re.sub(r"\s+", "", text)
