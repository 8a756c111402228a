#!/usr/bin/env python3
"""Build the CJK font the PDFs embed: ``fawang/core/data/fonts/FawangSans-Regular.ttf``.

Reads Debian's ``fonts-noto-cjk`` (the Simplified Chinese face of
``NotoSansCJK-Regular.ttc``), keeps the glyphs of

* GB 2312 (every two-byte code point that decodes), ASCII, Latin-1, general punctuation, CJK
  symbols and punctuation, full-width forms, ①–⑳ and a few signs (○ 〇 × ÷ ± ℃ ‰ № …), and
* every character of the project's own text (``fawang/**`` Python, templates, YAML, locale
  files) and of the region CSVs (``fawang/core/data/regions``), so every place name renders,

converts the cubic CFF outlines to quadratic TrueType (``glyf``) outlines — ReportLab embeds
only TrueType — and renames the family (the source's names are trademarks; the licence names no
Reserved Font Name, see ``fawang/core/data/fonts/README.md``).

Needs ``fonttools`` (a dev dependency: ``make install``) and ``fonts-noto-cjk``
(``apt-get install -y fonts-noto-cjk``). Usage::

    .venv/bin/python scripts/build_pdf_font.py            # writes the font, prints the figures
    .venv/bin/python scripts/build_pdf_font.py --check    # builds in memory, fails on a difference
"""

from __future__ import annotations

import argparse
import hashlib
import io
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SOURCE_POSTSCRIPT_NAME = "NotoSansCJKsc-Regular"
DEBIAN_PACKAGE = "fonts-noto-cjk"
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
OUT = REPO_ROOT / "fawang" / "core" / "data" / "fonts" / "FawangSans-Regular.ttf"
LICENCE_NAME = "OFL.txt"  # written beside the font

FAMILY = "FawangSans"
POSTSCRIPT_NAME = "FawangSans-Regular"

# Text files of the project whose characters the font must have (besides GB 2312).
PROJECT_DIR = REPO_ROOT / "fawang"
PROJECT_SUFFIXES = {".py", ".html", ".txt", ".yaml", ".yml", ".po", ".csv", ".json", ".md"}

# Cubic → quadratic: the largest deviation allowed, in font units (1000 per em): 1/1000 em.
MAX_ERR = 1.0

RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement (· × ÷ ± ° § ¥ …)
    (0x2010, 0x2027),  # ‐ – — ‖ ‘ ’ “ ” † ‥ … ·
    (0x2030, 0x203B),  # ‰ ′ ″ ※
    (0x2103, 0x2103),  # ℃
    (0x2116, 0x2116),  # №
    (0x2160, 0x216B),  # Ⅰ–Ⅻ
    (0x2170, 0x2179),  # ⅰ–ⅹ
    (0x2190, 0x2193),  # ← ↑ → ↓
    (0x2460, 0x249B),  # ①–⑳ ⑴–⒇ ⒈–⒛
    (0x25A0, 0x25A1),  # ■ □
    (0x25B2, 0x25B3),  # ▲ △
    (0x25C6, 0x25C7),  # ◆ ◇
    (0x25CB, 0x25CF),  # ○ ◎ ●
    (0x2605, 0x2606),  # ★ ☆
    (0x2713, 0x2713),  # ✓
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。〇《》「」【】〔〕…)
    (0xFF01, 0xFF5E),  # full-width forms
    (0xFFE0, 0xFFE5),  # ￠ ￡ ￢ ￣ ￤ ￥
)


def gb2312_characters() -> set[str]:
    """Every character of GB 2312: rows 0xA1–0xF7, cells 0xA1–0xFE, those that decode."""
    found: set[str] = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                found.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return found


def range_characters() -> set[str]:
    return {chr(code) for start, end in RANGES for code in range(start, end + 1)}


def project_files() -> Iterable[Path]:
    for path in sorted(PROJECT_DIR.rglob("*")):
        if path.is_file() and path.suffix in PROJECT_SUFFIXES and "fonts" not in path.parts:
            yield path


def project_characters() -> set[str]:
    found: set[str] = set()
    for path in project_files():
        found |= set(path.read_text(encoding="utf-8", errors="ignore"))
    return {c for c in found if ord(c) > 0x7F and c.isprintable()}


def source_face() -> TTFont:
    """The Simplified Chinese face of the collection, found by its PostScript name."""
    collection = TTCollection(str(SOURCE))
    for face in collection.fonts:
        if face["name"].getDebugName(6) == SOURCE_POSTSCRIPT_NAME:
            return face
    raise SystemExit(f"{SOURCE}: no face named {SOURCE_POSTSCRIPT_NAME}")


def debian_version() -> str:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", DEBIAN_PACKAGE],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or "unknown"


def subset_face(face: TTFont, characters: set[str]) -> TTFont:
    options = subset.Options()
    # ReportLab reads none of the layout or vertical tables: only what draws horizontal text.
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True  # a character outside the font draws the source's box
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.glyph_names = False
    options.recalc_timestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in characters])
    subsetter.subset(face)
    return face


def to_truetype(font: TTFont) -> None:
    """CFF (cubic) → glyf (quadratic), as fontTools' otf2ttf does."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        # CFF contours run counter-clockwise, TrueType's clockwise.
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    del font["CFF "]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        width, _ = hmtx[name]
        hmtx[name] = (width, getattr(glyph, "xMin", 0))
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    maxp.maxTwilightPoints = 0
    maxp.maxStorage = 0
    maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = 0
    maxp.maxStackElements = 0
    maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = 0
    maxp.maxComponentDepth = 0
    post = font["post"]
    post.formatType = 3.0  # no glyph names: a CID font has none worth keeping
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font: TTFont, source_version: str, package_version: str) -> None:
    """Our own names only; copyright, version and licence kept from the source."""
    table = font["name"]
    keep = {
        name_id: table.getDebugName(name_id)
        for name_id in (0, 5, 13, 14)
        if table.getDebugName(name_id) is not None
    }
    table.names = []
    names = {
        **keep,
        1: FAMILY,
        2: "Regular",
        3: f"{source_version};FAWANG;{POSTSCRIPT_NAME}",
        4: f"{FAMILY} Regular",
        6: POSTSCRIPT_NAME,
        10: (
            "Subset of Noto Sans CJK SC Regular (Debian fonts-noto-cjk "
            f"{package_version}) with TrueType outlines, for the PDFs of fawang. "
            "Modified Version under the SIL Open Font License 1.1."
        ),
    }
    for name_id, value in sorted(names.items()):
        assert value is not None
        table.setName(value, name_id, 3, 1, 0x409)
    os2 = font["OS/2"]
    os2.achVendID = "NONE"


def licence_text(copyright_notice: str) -> str:
    """The copyright notice of the source and the OFL text Debian ships with it."""
    lines = DEBIAN_COPYRIGHT.read_text(encoding="utf-8").splitlines()
    # The stand-alone licence paragraph (the "Files:" stanzas name it on a line of their own too).
    start = next(
        i + 1
        for i, line in enumerate(lines[:-1])
        if line == "License: SIL-1.1" and lines[i + 1].startswith(" ")
    )
    body: list[str] = []
    for line in lines[start:]:
        if not line.startswith(" "):
            break
        body.append("" if line == " ." else line[1:])
    return (
        f"FawangSans-Regular.ttf: a Modified Version of Noto Sans CJK SC Regular.\n"
        f"{copyright_notice}\n\n" + "\n".join(body).strip("\n") + "\n"
    )


def build() -> tuple[bytes, dict[str, object], str]:
    face = source_face()
    copyright_notice = face["name"].getDebugName(0) or ""
    # "Version 2.004;hotconv …" → "2.004"
    source_version = (face["name"].getDebugName(5) or "").split(";")[0].removeprefix("Version ")
    package_version = debian_version()
    gb2312 = gb2312_characters()
    wanted = gb2312 | range_characters() | project_characters()
    cmap = face.getBestCmap()
    present = {c for c in wanted if ord(c) in cmap}
    extra = {c for c in present - gb2312 if 0x3400 <= ord(c) <= 0x9FFF}
    absent = sorted(c for c in project_characters() if ord(c) not in cmap)
    face.recalcTimestamp = False  # keep the source's dates: the same input gives the same bytes
    subset_face(face, present)
    to_truetype(face)
    rename(face, source_version, package_version)
    buffer = io.BytesIO()
    face.save(buffer)
    data = buffer.getvalue()
    figures: dict[str, object] = {
        "source": f"{SOURCE} ({SOURCE_POSTSCRIPT_NAME}, {source_version})",
        "debian_package": f"{DEBIAN_PACKAGE} {package_version}",
        "gb2312_characters": len(gb2312),
        "characters": len(present),
        "han_outside_gb2312": len(extra),
        "project_characters_without_glyph": "".join(absent),
        "glyphs": len(face.getGlyphOrder()),
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    return data, figures, licence_text(copyright_notice)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--check", action="store_true", help="build in memory and compare with --out"
    )
    args = parser.parse_args()
    if not SOURCE.exists():
        print(f"{SOURCE} missing: apt-get install -y {DEBIAN_PACKAGE}", file=sys.stderr)
        return 2
    data, figures, licence = build()
    for key, value in figures.items():
        print(f"{key}: {value}")
    licence_path = args.out.parent / LICENCE_NAME
    if args.check:
        same = args.out.exists() and args.out.read_bytes() == data
        same = same and licence_path.exists() and licence_path.read_text("utf-8") == licence
        print("up to date" if same else f"{args.out} or {LICENCE_NAME} differs from a fresh build")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    licence_path.write_text(licence, encoding="utf-8")
    print(f"wrote {args.out} and {licence_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
