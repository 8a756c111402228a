"""The one Chinese font every PDF of the platform draws with, embedded in the PDF.

``FawangSans`` is a subset of Noto Sans CJK SC with TrueType outlines, shipped as package data
(``core/data/fonts``; how it is built and what it covers is in the README there): GB 2312, the
usual punctuation and symbols, and every character of the project's own text and region names.
ReportLab embeds only the glyphs a document uses, so a one-page PDF stays small.

A character outside the font does not fail the document: ReportLab draws the font's missing-glyph
box (``.notdef``) in its place, one em wide, and copying the text gives no character there.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

FONT_NAME = "FawangSans"
FONT_FILE = Path(__file__).resolve().parent / "data" / "fonts" / "FawangSans-Regular.ttf"

_register_lock = threading.Lock()


def cjk_font_name() -> str:
    """The registered ReportLab font name, registering it on first use (once per process)."""
    from reportlab.pdfbase import pdfmetrics

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        from reportlab.pdfbase.ttfonts import TTFont

        with _register_lock:
            if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_FILE)))
    return FONT_NAME


@cache
def _characters() -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    font = pdfmetrics.getFont(cjk_font_name())
    return frozenset(font.face.charToGlyph)


def missing_characters(text: str) -> str:
    """The characters of ``text`` the font has no glyph for (line breaks and tabs aside), in order."""
    have = _characters()
    seen: dict[str, None] = {}
    for char in text:
        if char not in "\n\r\t" and ord(char) not in have:
            seen[char] = None
    return "".join(seen)
