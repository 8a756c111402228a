"""Indicator API for a provincial platform or a third-party evaluator: definitions, values with
their provenance, and reports. Scoped like the pages: a supervisor sees their region and below."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from fawang.core.web import acting_user
from fawang.indicators import selectors
from fawang.indicators.board import parse_period, period_bounds, report_for
from fawang.indicators.render import excel_bytes, pdf_bytes
from fawang.indicators.values import values_for

router = Router(tags=["指标"])


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    source: str
    formula: str
    target: float
    comparator: str
    milestones: dict[str, float]
    level: str
    nature: str
    deadline_year: int
    passage: str


class ValueOut(Schema):
    indicator: str
    name: str
    region: str
    region_name: str
    start: date
    end: date
    value: float | None
    target: float
    status: str
    provenance: dict[str, Any]


@router.get("/indicators/regions/{code}/definitions", response=list[IndicatorOut])
def list_definitions(request: HttpRequest, code: str) -> Any:
    region = selectors.get_region_for_user(acting_user(request), code)
    return selectors.indicators_for(region)


@router.get("/indicators/regions/{code}/values", response=list[ValueOut])
def list_values(request: HttpRequest, code: str, period: str) -> Any:
    """Each indicator's value for the region over a year or quarter, with provenance."""
    region = selectors.get_region_for_user(acting_user(request), code)
    kind, year, quarter = parse_period(period)
    start, end = period_bounds(kind, year, quarter)
    indicators = selectors.indicators_for(region)
    values = values_for(indicators, [region], start, end)[region.pk]
    return [
        {
            "indicator": i.code,
            "name": i.name,
            "region": region.code,
            "region_name": region.name,
            "start": start,
            "end": end,
            "value": values[i.pk].value,
            "target": values[i.pk].target,
            "status": values[i.pk].status,
            "provenance": values[i.pk].provenance,
        }
        for i in indicators
    ]


@router.get("/indicators/regions/{code}/reports/{period}")
def get_report(request: HttpRequest, code: str, period: str, format: str = "json") -> Any:
    """A quarterly (2026Q3) or yearly (2026) report: the stored one, or generated on demand."""
    region = selectors.get_region_for_user(acting_user(request), code)
    data, generated_at = report_for(region, *parse_period(period))
    if format == "pdf":
        return HttpResponse(pdf_bytes(data), content_type="application/pdf")
    if format == "xlsx":
        return HttpResponse(
            excel_bytes(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    return {"generated_at": generated_at, **data}
