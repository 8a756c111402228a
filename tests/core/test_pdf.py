"""The Chinese font every PDF embeds (core.pdf): it has what the PDFs say, and a character it lacks
does not break a document."""

from __future__ import annotations

import ast
import csv
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from fawang.appraisal.signing import render_pdf
from fawang.core import pdf
from fawang.core.pdf import FONT_FILE, FONT_NAME, cjk_font_name, missing_characters
from tests.pdf_text import assert_embeds_our_font

ROOT = Path(__file__).resolve().parents[2] / "fawang"
REBUILD = "not in the PDF font: run scripts/build_pdf_font.py (fawang/core/data/fonts/README.md)"

# The modules whose literal text goes into the four PDFs (the opinion and the roster notice, the
# hot-word report, the indicator report, the mediation agreement), with the labels they print.
FIXED_TEXT_SOURCES = [
    "appraisal/signing.py",
    "appraisal/services",
    "appraisal/api.py",
    "appraisal/fields.py",
    "appraisal/models.py",
    "consult/hotword_report.py",
    "consult/hotwords.py",
    "core/taxonomy.py",
    "core/models.py",
    "core/demo/data.py",
    "indicators/render.py",
    "indicators/board.py",
    "indicators/values.py",
    "indicators/models.py",
    "mediation/agreement.py",
    "mediation/models.py",
]
# Indicator names and units come from the city packs and action lists.
PACK_FILES = sorted((ROOT / "policy").glob("*/*.yaml"))


def literal_text(path: Path) -> str:
    """The string constants of a module, or of every module of a package."""
    if path.is_dir():
        return "".join(literal_text(module) for module in sorted(path.glob("*.py")))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return "".join(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


@pytest.mark.parametrize("source", FIXED_TEXT_SOURCES)
def test_every_character_of_the_pdfs_fixed_text_is_in_the_font(source: str) -> None:
    assert missing_characters(literal_text(ROOT / source)) == "", REBUILD


@pytest.mark.parametrize("pack", PACK_FILES, ids=lambda path: path.name)
def test_every_character_of_the_indicator_names_is_in_the_font(pack: Path) -> None:
    assert missing_characters(pack.read_text(encoding="utf-8")) == "", REBUILD


def test_every_place_name_is_in_the_font() -> None:
    names = ""
    for table in sorted((ROOT / "core" / "data" / "regions").glob("*.csv")):
        with table.open(encoding="utf-8") as rows:
            names += "".join(row["name"] for row in csv.DictReader(rows))
    assert len(names) > 50_000
    assert missing_characters(names) == "", REBUILD


def test_the_font_is_gb2312_and_the_usual_signs() -> None:
    gb2312 = "".join(
        bytes((high, low)).decode("gb2312", errors="ignore")
        for high in range(0xA1, 0xF8)
        for low in range(0xA1, 0xFF)
    )
    assert len(gb2312) > 7000
    assert missing_characters(gb2312) == ""
    assert missing_characters("①⑳○〇×÷±℃‰№、。《》「」【】——…（）：；！？ABCabc0123") == ""


def test_a_character_outside_the_font_is_a_box_not_a_failure() -> None:
    # 喆 (often in given names) and 𠀀 are not in GB 2312 nor in the project's text.
    assert missing_characters("张喆𠀀") == "喆𠀀"
    document = render_pdf("鉴定意见书", ["委托人：张喆𠀀，住址：石家庄市长安区"])
    fonts = assert_embeds_our_font(document)
    assert "委托人：张" in fonts.text and "住址：石家庄市长安区" in fonts.text
    assert "喆" not in fonts.text  # drawn as the missing-glyph box, nothing to copy


def test_documents_built_at_once_each_read_their_own_text() -> None:
    # First use in several threads at once: the font is registered once, and each document
    # keeps its own subset of glyphs.
    pdfmetrics._fonts.pop(FONT_NAME, None)  # type: ignore[attr-defined]
    pdf._characters.cache_clear()
    lines = [f"第{n}号：{name}" for n, name in enumerate("赵钱孙李周吴郑王冯陈褚卫", start=1)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        documents = list(pool.map(lambda line: render_pdf("通报", [line]), lines))
    for line, document in zip(lines, documents, strict=True):
        assert line in assert_embeds_our_font(document).text
    assert cjk_font_name() == FONT_NAME
    assert pdfmetrics.getFont(FONT_NAME).face.filename == str(FONT_FILE)  # type: ignore[attr-defined]
