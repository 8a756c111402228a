"""The bureau's view: each indicator's latest value against its target, its trend, and the
regions one level down side by side (the "balanced development" question). Reads only the
pre-aggregated count table and reviewed reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from fawang.core import periods
from fawang.core.models import Region, RegionLevel
from fawang.indicators import values as indicator_values
from fawang.indicators.models import Comparator, Indicator, IndicatorReport
from fawang.indicators.selectors import indicators_for


@dataclass
class Row:
    indicator: Indicator
    value: indicator_values.Value
    trend: list[float | None]
    children: list[tuple[Region, indicator_values.Value, bool]] = field(default_factory=list)

    @property
    def lagging(self) -> list[Region]:
        return [region for region, _, below in self.children if below]


@dataclass
class Board:
    region: Region
    start: date
    end: date
    rows: list[Row]
    children: list[Region]

    @property
    def counts(self) -> dict[str, int]:
        tally = {s: 0 for s in indicator_values.STATUS_LABELS}
        for row in self.rows:
            tally[row.value.status] += 1
        return tally


def parse_period(text: str) -> tuple[str, int, int]:
    """``2026`` (a year) or ``2026Q3`` (a quarter) as (kind, year, quarter)."""
    period = periods.parse_period(
        text,
        kinds=(periods.YEAR, periods.QUARTER),
        message="period 应为年份（如 2026）或季度（如 2026Q3）。",
        code="invalid_input",
    )
    return period.kind, period.year, period.number


def period_bounds(kind: str, year: int, quarter: int = 0) -> tuple[date, date]:
    """The first and the last day of the period."""
    period = periods.Period(kind, year, quarter)
    return period.start, period.last_day


def worse(child: float | None, parent: float | None, comparator: str) -> bool:
    """A child region is below the parent's level when it is on the wrong side of it."""
    if child is None or parent is None:
        return False
    if comparator == Comparator.AT_MOST:
        return child > parent + 1e-9
    return child < parent - 1e-9


def build_board(region: Region, start: date, end: date, *, trend: bool = True) -> Board:
    indicators = indicators_for(region)
    # Counts are kept down to the township, so a township has no sub-regions to compare.
    children = (
        list(region.children.order_by("code"))
        if region.level in {RegionLevel.CITY, RegionLevel.DISTRICT}
        else []
    )
    values = indicator_values.values_for(indicators, [region, *children], start, end)
    series = indicator_values.monthly_series(indicators, region, end.year, end) if trend else {}
    rows = []
    for indicator in indicators:
        own = values[region.pk][indicator.pk]
        row = Row(indicator, own, series.get(indicator.pk, []))
        for child in children:
            value = values[child.pk][indicator.pk]
            row.children.append((child, value, worse(value.value, own.value, indicator.comparator)))
        rows.append(row)
    return Board(region=region, start=start, end=end, rows=rows, children=children)


def fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value - round(value)) < 1e-9 else f"{value:,.2f}"


def satisfaction(region: Region, start: date, end: date) -> dict[str, Any]:
    """Work-order ratings: distribution of 1–5 and the satisfied share (rating ≥ 4)."""
    codes = [f"workorders.rated_{n}" for n in range(1, 6)] + [
        "workorders.rated",
        "workorders.satisfied",
        "workorders.rating_sum",
        "workorders.surveyed",
        "workorders.surveyed_satisfied",
    ]
    totals = indicator_values.counter_totals([region.pk], start, end, codes).get(region.pk, {})
    rated = totals.get("workorders.rated", 0.0)
    surveyed = totals.get("workorders.surveyed", 0.0)
    return {
        "distribution": [int(totals.get(f"workorders.rated_{n}", 0)) for n in range(1, 6)],
        "rated": int(rated),
        "satisfied_rate": round(100 * totals.get("workorders.satisfied", 0) / rated, 2)
        if rated
        else None,
        "average": round(totals.get("workorders.rating_sum", 0) / rated, 2) if rated else None,
        "surveyed": int(surveyed),
        "surveyed_satisfied_rate": round(
            100 * totals.get("workorders.surveyed_satisfied", 0) / surveyed, 2
        )
        if surveyed
        else None,
    }


def report_for(
    region: Region, kind: str, year: int, quarter: int = 0
) -> tuple[dict[str, Any], datetime | None]:
    """The stored report of the period (and when it was generated), else one generated now."""
    stored = IndicatorReport.objects.filter(
        region=region, kind=kind, year=year, quarter=quarter
    ).first()
    if stored is not None:
        return stored.data, stored.generated_at
    return report_data(region, kind, year, quarter), None


def report_data(region: Region, kind: str, year: int, quarter: int = 0) -> dict[str, Any]:
    """A JSON-ready snapshot for a quarterly or yearly report (stored, then rendered)."""
    start, end = period_bounds(kind, year, quarter)
    board = build_board(region, start, end, trend=False)
    return {
        "region": {"code": region.code, "name": region.name},
        "kind": kind,
        "year": year,
        "quarter": quarter,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "counts": board.counts,
        "indicators": [
            {
                "code": row.indicator.code,
                "name": row.indicator.name,
                "unit": row.indicator.unit,
                "comparator": row.indicator.comparator,
                "target": row.value.target,
                "value": row.value.value,
                "status": row.value.status,
                "status_label": row.value.status_label,
                "provenance": row.value.provenance,
                "children": [
                    {"code": child.code, "name": child.name, "value": value.value, "below": below}
                    for child, value, below in row.children
                ],
            }
            for row in board.rows
        ],
        "satisfaction": satisfaction(region, start, end),
    }
