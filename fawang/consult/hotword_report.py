"""The quarterly hot-word report (热词分析报告) as Excel and PDF, with charts.

BJ-measures 9 asks for at least four hot-word reports a year, so the unit is the quarter; the
page, the workbook and the PDF are drawn from the same ``HotWordReport``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.chart import BarChart, PieChart, Reference
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from fawang.consult.hotwords import HotWordReport
from fawang.core.pdf import cjk_font_name
from fawang.core.periods import QUARTER, Period

CHART_TERMS = 15


def quarter_bounds(year: int, quarter: int) -> tuple[datetime, datetime]:
    """[first day of the quarter, first day of the next) at local midnight."""
    return Period(QUARTER, year, quarter).moments()


def title_of(report: HotWordReport, period: str) -> str:
    return f"{report.region.name}{period}法律咨询热词分析"


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def report_xlsx(report: HotWordReport, period: str) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = "概况"
    summary.append([title_of(report, period)])
    summary.append(["本期诉求数", report.requests])
    summary.append(["上期诉求数", report.previous_requests])

    top = workbook.create_sheet("热词")
    top.append(["热词", "本期诉求数", "上期诉求数", "增长倍数"])
    for trend in report.top_terms:
        top.append([trend.term, trend.count, trend.previous, trend.growth])
    if report.top_terms:
        chart = BarChart()
        chart.type = "bar"
        chart.title = "本期热词（含该词的诉求数）"
        rows = min(len(report.top_terms), CHART_TERMS) + 1
        chart.add_data(Reference(top, min_col=2, min_row=1, max_row=rows), titles_from_data=True)
        chart.set_categories(Reference(top, min_col=1, min_row=2, max_row=rows))
        chart.height, chart.width = 12, 18
        top.add_chart(chart, "F2")

    rising = workbook.create_sheet("上升词")
    rising.append(["上升词", "本期诉求数", "上期诉求数", "增长倍数"])
    for trend in report.rising_terms:
        rising.append([trend.term, trend.count, trend.previous, trend.growth])

    mix = workbook.create_sheet("分类构成")
    mix.append(["分类", "诉求数", "占比", "占比变化（百分点）"])
    for label, count, share, change in report.topic_mix:
        mix.append([label, count, share, change])
    for cell in mix["C"][1:]:
        cell.number_format = "0.0%"
    if report.topic_mix:
        pie = PieChart()
        pie.title = "诉求分类构成"
        rows = len(report.topic_mix) + 1
        pie.add_data(Reference(mix, min_col=2, min_row=1, max_row=rows), titles_from_data=True)
        pie.set_categories(Reference(mix, min_col=1, min_row=2, max_row=rows))
        mix.add_chart(pie, "F2")

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _table(rows: Sequence[Sequence[object]], widths: list[float], font: str) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 10),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f1ece4")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def _terms_chart(report: HotWordReport, font: str) -> Drawing:
    terms = list(reversed(report.top_terms[:CHART_TERMS]))
    drawing = Drawing(160 * mm, max(40, 7 * len(terms)) * mm)
    chart = HorizontalBarChart()
    chart.x, chart.y = 25 * mm, 5 * mm
    chart.width, chart.height = 125 * mm, drawing.height - 10 * mm
    chart.data = [[trend.count for trend in terms]]
    chart.categoryAxis.categoryNames = [trend.term for trend in terms]
    chart.categoryAxis.labels.fontName = font
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#b3261e")
    drawing.add(chart)
    return drawing


def report_pdf(report: HotWordReport, period: str) -> bytes:
    font = cjk_font_name()
    heading = ParagraphStyle("heading", fontName=font, fontSize=16, leading=22, spaceAfter=6)
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16)
    section = ParagraphStyle("section", fontName=font, fontSize=13, leading=18, spaceBefore=10)
    change = report.requests - report.previous_requests
    story: list[object] = [
        # Paragraph reads its text as markup: a name with & or < must arrive as text.
        Paragraph(escape(title_of(report, period)), heading),
        Paragraph(
            f"本期受理诉求 {report.requests} 件，上期 {report.previous_requests} 件，"
            f"{'增加' if change >= 0 else '减少'} {abs(change)} 件。"
            "热词按“含该词的诉求数”统计，一件诉求中重复出现只计一次。",
            body,
        ),
        Paragraph("一、本期热词", section),
    ]
    if report.top_terms:
        story += [
            _terms_chart(report, font),
            _table(
                [["热词", "本期", "上期", "增长倍数"]]
                + [[t.term, t.count, t.previous, t.growth] for t in report.top_terms],
                [50 * mm, 30 * mm, 30 * mm, 30 * mm],
                font,
            ),
        ]
    else:
        story.append(Paragraph("本期没有诉求。", body))
    story.append(Paragraph("二、上升最快的词", section))
    story.append(
        _table(
            [["上升词", "本期", "上期", "增长倍数"]]
            + [[t.term, t.count, t.previous, t.growth] for t in report.rising_terms],
            [50 * mm, 30 * mm, 30 * mm, 30 * mm],
            font,
        )
        if report.rising_terms
        else Paragraph("没有明显上升的词。", body)
    )
    story.append(Paragraph("三、诉求分类构成", section))
    story.append(
        _table(
            [["分类", "诉求数", "占比", "占比变化（百分点）"]]
            + [
                [label, n, _percent(share), f"{delta:+.1f}"]
                for label, n, share, delta in report.topic_mix
            ],
            [50 * mm, 30 * mm, 30 * mm, 40 * mm],
            font,
        )
        if report.topic_mix
        else Paragraph("本期没有诉求。", body)
    )
    story.append(Spacer(1, 8 * mm))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A4, title=title_of(report, period), author="法网 fawang"
    ).build(story)
    return buffer.getvalue()
