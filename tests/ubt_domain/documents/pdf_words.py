"""The text a PDF shows, extracted without a PDF library, for checking typst's documents.

Enough of PDF for what typst writes: uncompressed object tables, Flate
streams, Type0 fonts with a ToUnicode CMap, and text shown by ``Tj`` and
``TJ`` with literal or hex strings of two-byte glyph ids (Identity-H). Each
text-showing operation becomes one chunk; chunks are joined by spaces, so
compare with :func:`squeezed` (all whitespace removed) where words may be
split.
"""

from __future__ import annotations

import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.DOTALL)
_FONT_REF = re.compile(rb"/(\w+)\s*(\d+) 0 R")
_OTHER_TOKEN = re.compile(rb"<[0-9A-Fa-f\s]*>|\[|\]|/[^\s/\[\]()<>]+|[-+.\d]+|[A-Za-z*'\"]+")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_BIG_GAP = -200.0  # a TJ shift (thousandths of an em) wide enough to be a word gap


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Object number -> (dictionary text, decoded stream or None)."""
    found: dict[int, tuple[bytes, bytes | None]] = {}
    for match in _OBJECT.finditer(pdf):
        body = match.group(2)
        if b"stream" not in body:
            found[int(match.group(1))] = (body, None)
            continue
        head, rest = body.split(b"stream", 1)
        data = rest.lstrip(b"\r\n").rsplit(b"endstream", 1)[0]
        if b"FlateDecode" in head:
            data = zlib.decompress(data)
        found[int(match.group(1))] = (head, data)
    return found


def _cmap(data: bytes) -> dict[int, str]:
    """Glyph id -> text, from a ToUnicode CMap's bfchar and bfrange sections."""
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.DOTALL):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.DOTALL):
        for lo, hi, dst in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = int(dst, 16)
            for offset, glyph in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[glyph] = chr(start + offset)
    return mapping


def _tokens(data: bytes) -> list[bytes]:
    """Split a content stream into tokens; literal strings may nest balanced parentheses."""
    tokens: list[bytes] = []
    i = 0
    while i < len(data):
        if data[i : i + 1] == b"(":
            depth, j = 0, i
            while j < len(data):
                char = data[j : j + 1]
                if char == b"\\":
                    j += 2
                    continue
                depth += {b"(": 1, b")": -1}.get(char, 0)
                j += 1
                if depth == 0:
                    break
            tokens.append(data[i:j])
            i = j
            continue
        match = _OTHER_TOKEN.match(data, i)
        if match:
            tokens.append(match.group(0))
            i = match.end()
        else:
            i += 1
    return tokens


def _literal(token: bytes) -> bytes:
    """The bytes of a PDF literal string token ``(...)``."""
    out = bytearray()
    body, i = token[1:-1], 0
    while i < len(body):
        char = body[i : i + 1]
        if char != b"\\":
            out += char
            i += 1
            continue
        nxt = body[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", body[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8) & 0xFF)
            i += 1 + len(octal.group(0))
        else:
            out += _ESCAPES.get(nxt, nxt)
            i += 2
    return bytes(out)


def _decode(token: bytes, cmap: dict[int, str]) -> str:
    raw = (
        bytes.fromhex(re.sub(rb"\s", b"", token[1:-1]).decode())
        if token.startswith(b"<")
        else _literal(token)
    )
    return "".join(
        cmap.get(int.from_bytes(raw[k : k + 2], "big"), "") for k in range(0, len(raw) - 1, 2)
    )


def _font_maps(
    resources: bytes, objects: dict[int, tuple[bytes, bytes | None]]
) -> dict[bytes, dict[int, str]]:
    """Font resource name -> glyph-to-text map, for one page's resources."""
    maps: dict[bytes, dict[int, str]] = {}
    for font_dict in re.findall(rb"/Font\s*<<(.*?)>>", resources, re.DOTALL):
        for name, ref in _FONT_REF.findall(font_dict):
            unicode_ref = re.search(rb"/ToUnicode (\d+) 0 R", objects[int(ref)][0])
            if unicode_ref:
                maps[name] = _cmap(objects[int(unicode_ref.group(1))][1] or b"")
    return maps


def _shown(data: bytes, fonts: dict[bytes, dict[int, str]]) -> list[str]:
    """Text chunks of one content stream, one per Tj or TJ."""
    chunks: list[str] = []
    cmap: dict[int, str] = {}
    operands: list[bytes] = []
    for token in _tokens(data):
        if token == b"Tf" and len(operands) >= 2:
            cmap = fonts.get(operands[-2].lstrip(b"/"), {})
        elif token in (b"Tj", b"TJ"):
            parts = []
            for operand in operands:
                if operand[:1] in (b"(", b"<"):
                    parts.append(_decode(operand, cmap))
                elif re.fullmatch(rb"[-+.\d]+", operand) and float(operand) < _BIG_GAP:
                    parts.append(" ")
            chunks.append("".join(parts))
        if re.fullmatch(rb"[A-Za-z*'\"]+", token):
            operands = []
        elif token not in (b"[", b"]"):
            operands.append(token)
    return chunks


def pdf_text(pdf: bytes) -> str:
    """Every text chunk the PDF's pages show, page by page, joined by spaces.

    Each page's fonts come from its own resources: typst reuses resource
    names (``f0``, ``f1``) for different font subsets on different pages.
    """
    objects = _objects(pdf)
    chunks: list[str] = []
    for number in sorted(objects):
        head = objects[number][0]
        if not re.search(rb"/Type\s*/Page\b(?!s)", head):
            continue
        resources = head
        ref = re.search(rb"/Resources\s+(\d+) 0 R", head)
        if ref:
            resources = objects[int(ref.group(1))][0]
        fonts = _font_maps(resources, objects)
        contents = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", head)
        assert contents is not None, f"page object {number} has no contents"
        for content_ref in re.findall(rb"(\d+) 0 R", contents.group(1)):
            chunks += _shown(objects[int(content_ref)][1] or b"", fonts)
    return " ".join(chunks)


def squeezed(text: str) -> str:
    """``text`` without any whitespace: for comparing across split words."""
    return re.sub(r"\s+", "", text)
