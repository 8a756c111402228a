"""Indicator values from the daily count table (computed) or reviewed reports (reported).

Flows are summed over the period; stocks take their value on the last filled day of the period.
Every value carries its provenance: the formula and counter totals, or who reported and reviewed it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.db.models import Max, Q, Sum
from django.utils import timezone

from fawang.core.models import Region
from fawang.indicators import formula as formulas
from fawang.indicators.counters import STOCK, registry
from fawang.indicators.models import (
    Comparator,
    DailyCount,
    Indicator,
    IndicatorSource,
    MonthlyCount,
    ReportedValue,
    ReportStatus,
)

MET, AT_RISK, MISSED, NO_DATA = "met", "at_risk", "missed", "no_data"
STATUS_LABELS = {MET: "达标", AT_RISK: "存在风险", MISSED: "未达标", NO_DATA: "暂无数据"}


@dataclass
class Value:
    indicator: Indicator
    region: Region
    value: float | None
    target: float
    status: str
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def meets(value: float, target: float, comparator: str) -> bool:
    if comparator == Comparator.AT_LEAST:
        return value >= target - 1e-9
    if comparator == Comparator.AT_MOST:
        return value <= target + 1e-9
    return abs(value - target) < 1e-9


def status_of(indicator: Indicator, value: float | None, as_of: date) -> str:
    if value is None:
        return NO_DATA
    if meets(value, indicator.target_for(as_of.year), indicator.comparator):
        return MET
    # Not yet met: a risk until the deadline year is over, then a miss.
    return MISSED if as_of.year > indicator.deadline_year else AT_RISK


@lru_cache(maxsize=512)
def _parse(text: str) -> formulas.Formula:
    known = {code: counter.kind for code, counter in registry().items()}
    return formulas.parse(text, known)


def parsed(indicator: Indicator) -> formulas.Formula:
    return _parse(indicator.formula)


def _month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def split_period(start: date, end: date, today: date) -> tuple[list[date], list[tuple[date, date]]]:
    """Whole months of [start, end] (read from the monthly table) and the leftover day ranges.
    A month running past today counts as whole: no day after today has rows yet."""
    months: list[date] = []
    ranges: list[tuple[date, date]] = []
    month = start.replace(day=1)
    while month <= end:
        last = _month_end(month)
        if month >= start and (last <= end or end >= today):
            months.append(month)
        else:
            ranges.append((max(start, month), min(end, last)))
        month = last + timedelta(days=1)
    return months, ranges


def counter_totals(
    region_ids: Sequence[int], start: date, end: date, codes: Iterable[str]
) -> dict[int, dict[str, float]]:
    """{region id: {counter: total}}: flows summed over [start, end], stocks at their last day."""
    kinds = registry()
    codes = set(codes)
    stocks = {c for c in codes if c in kinds and kinds[c].kind == STOCK}
    flows = codes - stocks
    totals: dict[int, dict[str, float]] = defaultdict(dict)
    if flows:
        months, ranges = split_period(start, end, timezone.localdate())
        monthly = MonthlyCount.objects.filter(
            region_id__in=region_ids, counter__in=flows, month__in=months
        )
        in_ranges = Q(pk__in=[])
        for first, last in ranges:
            in_ranges |= Q(day__gte=first, day__lte=last)
        daily = DailyCount.objects.filter(in_ranges, region_id__in=region_ids, counter__in=flows)
        for rows in (monthly, daily) if ranges else (monthly,):
            grouped = rows.values("region_id", "counter").annotate(total=Sum("value")).order_by()
            for row in grouped:
                bucket = totals[row["region_id"]]
                bucket[row["counter"]] = bucket.get(row["counter"], 0.0) + row["total"]
    if stocks:
        in_period = Q(region_id__in=region_ids, day__gte=start, day__lte=end)
        last_days = (
            DailyCount.objects.filter(in_period, counter__in=stocks)
            .values("counter")
            .annotate(last=Max("day"))
            .order_by()
        )
        condition = Q(pk__in=[])
        for row in last_days:
            condition |= Q(counter=row["counter"], day=row["last"])
        for region_id, code, value in DailyCount.objects.filter(
            condition, region_id__in=region_ids
        ).values_list("region_id", "counter", "value"):
            totals[region_id][code] = value
    return totals


def _available(formula: formulas.Formula) -> bool:
    kinds = registry()
    return all(kinds[code].compute is not None for code in formula.counters)


def computed_value(
    indicator: Indicator, region: Region, totals: dict[str, float], as_of: date
) -> Value:
    formula = parsed(indicator)
    value = (
        formulas.evaluate(formula, totals, region.resident_population)
        if _available(formula)
        else None
    )
    provenance = {
        "source": IndicatorSource.COMPUTED,
        "formula": indicator.formula,
        "counters": {code: totals.get(code, 0.0) for code in sorted(formula.counters)},
        "population": region.resident_population,
    }
    return Value(
        indicator,
        region,
        value,
        indicator.target_for(as_of.year),
        status_of(indicator, value, as_of),
        provenance,
    )


def approved_reports(
    indicators: Sequence[Indicator], region_ids: Sequence[int], year: int
) -> dict[tuple[int, int], ReportedValue]:
    """The latest approved report per (indicator, region) for ``year`` or the closest year before."""
    reports = (
        ReportedValue.objects.filter(
            indicator__in=indicators,
            region_id__in=region_ids,
            status=ReportStatus.APPROVED,
            year__lte=year,
        )
        .select_related("reported_by", "reviewed_by")
        .order_by("year", "reviewed_at")
    )
    latest: dict[tuple[int, int], ReportedValue] = {}
    for report in reports:
        latest[(report.indicator_id, report.region_id)] = report
    return latest


def reported_value(
    indicator: Indicator, region: Region, report: ReportedValue | None, as_of: date
) -> Value:
    if report is None:
        return Value(
            indicator,
            region,
            None,
            indicator.target_for(as_of.year),
            NO_DATA,
            {"source": IndicatorSource.REPORTED},
        )
    provenance = {
        "source": IndicatorSource.REPORTED,
        "year": report.year,
        "reported_by": str(report.reported_by),
        "reported_at": report.reported_at.isoformat(),
        "reviewed_by": str(report.reviewed_by),
        "reviewed_at": report.reviewed_at.isoformat() if report.reviewed_at else None,
        "note": report.note,
    }
    return Value(
        indicator,
        region,
        report.value,
        indicator.target_for(as_of.year),
        status_of(indicator, report.value, as_of),
        provenance,
    )


def values_for(
    indicators: Sequence[Indicator], regions: Sequence[Region], start: date, end: date
) -> dict[int, dict[int, Value]]:
    """{region id: {indicator id: Value}} for the period [start, end]."""
    computed = [i for i in indicators if i.source == IndicatorSource.COMPUTED]
    codes = {code for i in computed for code in parsed(i).counters}
    region_ids = [r.pk for r in regions]
    totals = counter_totals(region_ids, start, end, codes)
    reports = approved_reports(
        [i for i in indicators if i.source == IndicatorSource.REPORTED], region_ids, end.year
    )
    result: dict[int, dict[int, Value]] = {}
    for region in regions:
        row: dict[int, Value] = {}
        for indicator in indicators:
            if indicator.source == IndicatorSource.COMPUTED:
                row[indicator.pk] = computed_value(indicator, region, totals[region.pk], end)
            else:
                report = reports.get((indicator.pk, region.pk))
                row[indicator.pk] = reported_value(indicator, region, report, end)
        result[region.pk] = row
    return result


def monthly_series(
    indicators: Sequence[Indicator], region: Region, year: int, through: date
) -> dict[int, list[float | None]]:
    """Each computed indicator's value per month of ``year`` up to ``through`` (one query)."""
    computed = [i for i in indicators if i.source == IndicatorSource.COMPUTED]
    codes = {code for i in computed for code in parsed(i).counters}
    months = through.month if through.year == year else 12
    per_month: list[dict[str, float]] = [defaultdict(float) for _ in range(months)]
    rows = MonthlyCount.objects.filter(
        region=region, counter__in=codes, month__gte=date(year, 1, 1), month__lte=through
    ).values_list("month", "counter", "value")
    for month, code, value in rows:
        if month.month <= months:
            per_month[month.month - 1][code] = value
    series: dict[int, list[float | None]] = {}
    for indicator in computed:
        formula = parsed(indicator)
        if not _available(formula):
            series[indicator.pk] = [None] * months
            continue
        series[indicator.pk] = [
            formulas.evaluate(formula, totals, region.resident_population) for totals in per_month
        ]
    return series
