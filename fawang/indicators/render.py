"""A stored report rendered as PDF (reportlab, the embedded Chinese font of ``core.pdf``) and
Excel (openpyxl)."""

from __future__ import annotations

import io
from typing import Any

from fawang.core.pdf import cjk_font_name
from fawang.indicators.board import fmt


def title_of(data: dict[str, Any]) -> str:
    period = (
        f"{data['year']}年第{data['quarter']}季度"
        if data["kind"] == "quarter"
        else (f"{data['year']}年度")
    )
    return f"{data['region']['name']}公共法律服务指标报告（{period}）"


def _rows(data: dict[str, Any]) -> list[list[str]]:
    return [
        [
            item["code"],
            item["name"],
            f"{item['comparator']} {fmt(item['target'])}{item['unit']}",
            f"{fmt(item['value'])}{item['unit'] if item['value'] is not None else ''}",
            item["status_label"],
        ]
        for item in data["indicators"]
    ]


def pdf_bytes(data: dict[str, Any]) -> bytes:
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = cjk_font_name()
    heading = ParagraphStyle("h", fontName=font, fontSize=15, leading=20)
    body = ParagraphStyle("b", fontName=font, fontSize=8, leading=11)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title_of(data))
    counts = data["counts"]
    story: list[Any] = [
        Paragraph(title_of(data), heading),
        Spacer(1, 6),
        Paragraph(
            f"统计期间 {data['start']} 至 {data['end']}。达标 {counts['met']} 项，"
            f"存在风险 {counts['at_risk']} 项，未达标 {counts['missed']} 项，"
            f"暂无数据 {counts['no_data']} 项。",
            body,
        ),
        Spacer(1, 6),
    ]
    header = ["编码", "指标", "目标", "实际值", "状态"]
    table = Table(
        [header] + [[Paragraph(cell, body) for cell in row] for row in _rows(data)],
        colWidths=[70, 220, 70, 70, 50],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ]
        )
    )
    story.append(table)
    ratings = data["satisfaction"]
    story += [
        Spacer(1, 10),
        Paragraph(
            f"满意度：评价 {ratings['rated']} 件，满意率 {fmt(ratings['satisfied_rate'])}%，"
            f"平均 {fmt(ratings['average'])} 分（工单评价，4—5 分为满意）；"
            f"回访调查 {ratings.get('surveyed', 0)} 件，满意率 "
            f"{fmt(ratings.get('surveyed_satisfied_rate'))}%。",
            body,
        ),
    ]
    chart_drawing = Drawing(400, 160)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 20, 340, 120
    chart.data = [ratings["distribution"]]
    chart.categoryAxis.categoryNames = ["1分", "2分", "3分", "4分", "5分"]
    chart.categoryAxis.labels.fontName = font
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#b3261e")
    chart_drawing.add(chart)
    story.append(chart_drawing)
    document.build(story)
    return buffer.getvalue()


def rounded(value: Any) -> Any:
    """A figure as a person reads it: two decimals (82.35, not 82.35294117647058)."""
    return round(value, 2) if isinstance(value, float) else value


def excel_bytes(data: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "指标"
    sheet.append([title_of(data)])
    sheet.append(["统计期间", data["start"], data["end"]])
    sheet.append(["编码", "指标", "比较", "目标值", "实际值", "单位", "状态"])
    for item in data["indicators"]:
        sheet.append(
            [
                item["code"],
                item["name"],
                item["comparator"],
                rounded(item["target"]),
                rounded(item["value"]),
                item["unit"],
                item["status_label"],
            ]
        )
    regions = workbook.create_sheet("分区对比")
    children = data["indicators"][0]["children"] if data["indicators"] else []
    regions.append(["编码", "指标"] + [child["name"] for child in children])
    for item in data["indicators"]:
        regions.append(
            [item["code"], item["name"]] + [rounded(c["value"]) for c in item["children"]]
        )
    ratings = workbook.create_sheet("满意度")
    ratings.append(["评分", "件数"])
    for score, count in enumerate(data["satisfaction"]["distribution"], start=1):
        ratings.append([f"{score}分", count])
    ratings.append([])
    ratings.append(["回访调查件数", data["satisfaction"].get("surveyed", 0)])
    ratings.append(["回访满意率(%)", rounded(data["satisfaction"].get("surveyed_satisfied_rate"))])
    chart = BarChart()
    chart.title = "工单评价分布"
    chart.add_data(Reference(ratings, min_col=2, min_row=1, max_row=6), titles_from_data=True)
    chart.set_categories(Reference(ratings, min_col=1, min_row=2, max_row=6))
    ratings.add_chart(chart, "D2")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
