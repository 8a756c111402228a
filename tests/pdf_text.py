"""What a PDF of ours embeds and says, read without a PDF library (none is a dependency).

Enough of the PDF syntax ReportLab writes: numbered objects, streams (Flate, optionally ASCII85),
TrueType fonts with a ``ToUnicode`` map per subset, and text shown with ``Tj``/``TJ``.
"""

from __future__ import annotations

import base64
import re
import zlib
from dataclasses import dataclass

OBJECT = re.compile(rb"(\d+) 0 obj\b")
TOKEN = re.compile(
    rb"/([^\s/\[\]()<>]+)\s+[\d.]+\s+Tf|(\((?:\\.|[^\\)])*\))|(\[)|(\])|(Tj|TJ)", re.S
)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


@dataclass(frozen=True)
class PdfFonts:
    embedded: int  # font programs in the file (/FontFile2: TrueType)
    names: frozenset[str]  # /BaseFont of every font
    text: str  # the text shown in embedded fonts, in content order, one piece per line
    other: str  # bytes shown in any other font (one the reader would have to supply)


def _stream(pdf: bytes, head_end: int, head: bytes) -> bytes:
    length = re.search(rb"/Length (\d+)", head)
    assert length is not None, head
    start = head_end + len(b"stream")
    start += 2 if pdf[start : start + 2] == b"\r\n" else 1
    data = pdf[start : start + int(length[1])]
    if b"/ASCII85Decode" in head:
        data = base64.a85decode(data.strip().removesuffix(b"~>"))
    if b"/FlateDecode" in head:
        data = zlib.decompress(data)
    return data


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Object number → (dictionary text, decoded stream or None)."""
    found: dict[int, tuple[bytes, bytes | None]] = {}
    for match in OBJECT.finditer(pdf):
        number, start = int(match[1]), match.end()
        if number in found:
            continue
        end = pdf.find(b"endobj", start)
        stream = pdf.find(b"stream", start)
        if 0 <= stream < end:
            head = pdf[start:stream]
            found[number] = (head, _stream(pdf, stream, head))
        else:
            found[number] = (pdf[start:end], None)
    return found


def _unescape(literal: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(literal):
        char = literal[i : i + 1]
        if char != b"\\":
            out += char
            i += 1
            continue
        following = literal[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", literal[i + 1 : i + 4])
        if octal:
            out.append(int(octal[0], 8) & 0xFF)
            i += 1 + len(octal[0])
        else:
            out += ESCAPES.get(following, following)
            i += 2
    return bytes(out)


def read_fonts(pdf: bytes) -> PdfFonts:
    objects = _objects(pdf)
    names: set[str] = set()
    maps: dict[str, dict[int, str]] = {}  # resource name (/F2+0) → code → character
    cmaps: set[int] = set()
    for head, _ in objects.values():
        base = re.search(rb"/BaseFont /(\S+)", head)
        if base:
            names.add(base[1].decode())
        unicode_map = re.search(rb"/ToUnicode (\d+) 0 R", head)
        resource = re.search(rb"/Name /(\S+)", head)
        if unicode_map and resource:
            cmaps.add(int(unicode_map[1]))
            cmap = objects[int(unicode_map[1])][1] or b""
            maps[resource[1].decode()] = {
                int(code, 16): chr(int(value, 16))
                for code, value in re.findall(rb"<([0-9A-F]{2})> <([0-9A-F]{4,6})>", cmap)
            }
    pieces: list[str] = []
    others: list[str] = []
    for number, (head, stream) in objects.items():
        if stream is None or b"/Length1" in head or number in cmaps:  # font programs, maps
            continue
        font: dict[int, str] | None = None
        shown = ""
        other = b""
        for match in TOKEN.finditer(stream):
            name, literal, _, _, operator = match.groups()
            if name is not None:
                font = maps.get(name.decode())
            elif literal is not None and font is not None:
                shown += "".join(font.get(b, "") for b in _unescape(literal[1:-1]))
            elif literal is not None:
                other += _unescape(literal[1:-1])
            elif operator is not None and shown:
                pieces.append(shown)
                shown = ""
        if other:
            others.append(other.decode("latin-1"))
    return PdfFonts(
        embedded=pdf.count(b"/FontFile2"),
        names=frozenset(names),
        text="\n".join(pieces),
        other="\n".join(others),
    )


def assert_embeds_our_font(pdf: bytes) -> PdfFonts:
    """The PDF carries the platform's font inside it and shows no text in a font the reader
    must have."""
    fonts = read_fonts(pdf)
    assert fonts.embedded >= 1
    assert fonts.other == "", fonts.other
    assert b"STSong" not in pdf
    assert any(name.endswith("+FawangSans-Regular") for name in fonts.names), fonts.names
    return fonts
