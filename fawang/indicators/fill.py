"""Fill the daily count table from the modules' counters (zulip's analytics pattern).

A day is always recomputed whole for a module and written by replacing that module's rows for the
day in one transaction, so re-running a fill never double-counts. Rows are written for the
counter's own region and every ancestor, so a dashboard reads one row per region, never a subtree.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import ModuleType
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone

from fawang.core.models import Region
from fawang.indicators.counters import STOCK, by_module, registry
from fawang.indicators.models import DailyCount, FillState, MonthlyCount

logger = logging.getLogger(__name__)

WATERMARK = "daily_counts"
# Rows committed by a transaction that began before our last run carry earlier timestamps.
OVERLAP = timedelta(minutes=10)
# A module without ``touched_days`` has its last days refilled on every run instead: its counters
# date events when they happen, so a change lands on a recent day; a record back-dated further
# needs the hook or `fawang indicators fill --since`.
FALLBACK_REFILL_DAYS = 7
FINEST_DEPTH = 3  # city / district / township
# The first scheduled run (no watermark yet) fills this many days back; older history needs
# `fawang indicators fill --full --from YYYY-MM-DD`.
FIRST_FILL_DAYS = 365


@dataclass
class FillResult:
    days: int = 0
    rows: int = 0
    modules: list[str] = field(default_factory=list)


def local_today() -> date:
    return timezone.localdate()


class Ancestry:
    """Region id -> ids of the regions its counts are rolled up to: every ancestor down to the
    township (the dashboard's finest drill-down), so a village's count is kept by its township."""

    def __init__(self) -> None:
        by_code = dict(Region.objects.values_list("code", "id"))
        self._chain: dict[int, list[int]] = {}
        for region_id, path in Region.objects.values_list("id", "path"):
            codes = [c for c in path.strip("/").split("/") if c][:FINEST_DEPTH]
            self._chain[region_id] = [by_code[c] for c in codes]

    def up(self, region_id: int) -> list[int]:
        return self._chain.get(region_id, [])


def fill_day(day: date, counters: dict[str, Any], ancestry: Ancestry) -> int:
    totals: dict[tuple[int, str], float] = defaultdict(float)
    for code, compute in counters.items():
        for region_id, value in compute(day).items():
            for ancestor in ancestry.up(region_id):
                totals[(ancestor, code)] += float(value)
    rows = [
        DailyCount(day=day, region_id=region_id, counter=code, value=value)
        for (region_id, code), value in totals.items()
        if value
    ]
    with transaction.atomic():
        DailyCount.objects.filter(day=day, counter__in=list(counters)).delete()
        DailyCount.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def month_of(day: date) -> date:
    return day.replace(day=1)


def refresh_months(months: Iterable[date], codes: Iterable[str]) -> None:
    """Rewrite the monthly rows of ``codes`` for ``months`` from the daily rows."""
    kinds = registry()
    codes = list(codes)
    stocks = [c for c in codes if kinds[c].kind == STOCK]
    flows = [c for c in codes if kinds[c].kind != STOCK]
    for month in sorted(set(months)):
        end = (month + timedelta(days=32)).replace(day=1)
        in_month = Q(day__gte=month, day__lt=end)
        rows = [
            MonthlyCount(
                month=month, region_id=r["region_id"], counter=r["counter"], value=r["total"]
            )
            for r in DailyCount.objects.filter(in_month, counter__in=flows)
            .values("region_id", "counter")
            .annotate(total=Sum("value"))
            .order_by()
        ]
        last = Q(pk__in=[])
        for r in (
            DailyCount.objects.filter(in_month, counter__in=stocks)
            .values("counter")
            .annotate(day=Max("day"))
            .order_by()
        ):
            last |= Q(counter=r["counter"], day=r["day"])
        rows += [
            MonthlyCount(month=month, region_id=region_id, counter=code, value=value)
            for region_id, code, value in DailyCount.objects.filter(last).values_list(
                "region_id", "counter", "value"
            )
        ]
        with transaction.atomic():
            MonthlyCount.objects.filter(month=month, counter__in=codes).delete()
            MonthlyCount.objects.bulk_create(rows, batch_size=1000)


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _touched(module: ModuleType, since: datetime, today: date) -> set[date]:
    hook = getattr(module, "touched_days", None)
    if hook is None:
        window = getattr(settings, "INDICATOR_FALLBACK_REFILL_DAYS", FALLBACK_REFILL_DAYS)
        return set(_days(today - timedelta(days=window), today))
    return {day for day in hook(since) if day <= today}


def fill_days(days: Iterable[date], codes: Iterable[str] | None = None) -> FillResult:
    """Recompute the given days for the given counters (all installed ones by default)."""
    wanted = set(codes) if codes is not None else None
    counters = {
        code: function
        for functions in by_module().values()
        for code, function in functions.items()
        if wanted is None or code in wanted
    }
    ancestry, result = Ancestry(), FillResult()
    days = sorted(set(days))
    for day in days:
        result.rows += fill_day(day, counters, ancestry)
        result.days += 1
    refresh_months({month_of(day) for day in days}, counters)
    return result


def fill_incremental(now: datetime | None = None) -> FillResult:
    """Refill the days touched since the last run, and today's stocks."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    state = FillState.objects.filter(name=WATERMARK).first()
    since = (state.last_run_at - OVERLAP) if state else None
    first_day = today - timedelta(getattr(settings, "INDICATOR_FIRST_FILL_DAYS", FIRST_FILL_DAYS))
    ancestry, result = Ancestry(), FillResult()
    kinds = registry()
    for module, counters in by_module().items():
        days = _touched(module, since, today) if since else set(_days(first_day, today))
        stocks = {code: fn for code, fn in counters.items() if kinds[code].kind == STOCK}
        flows = {code: fn for code, fn in counters.items() if code not in stocks}
        # A stock is the state at the end of each day: a record dated D (a point built on D,
        # entered today) changes every day from D to today, not only D.
        stock_days = set(_days(min(days, default=today), today)) if stocks else set()
        for day in sorted(days | stock_days):
            wanted = {
                **(flows if day in days else {}),
                **(stocks if day in stock_days else {}),
            }
            result.rows += fill_day(day, wanted, ancestry)
            result.days += 1
        refresh_months({month_of(day) for day in days | stock_days}, counters)
        result.modules.append(module.__name__)
    FillState.objects.update_or_create(name=WATERMARK, defaults={"last_run_at": now})
    return result


def fill_full(start: date, end: date | None = None) -> FillResult:
    """Recompute every day from ``start`` to ``end`` (today), replacing what is there."""
    end = end or local_today()
    with transaction.atomic():
        DailyCount.objects.filter(day__gte=start, day__lte=end).delete()
        MonthlyCount.objects.filter(month__gte=month_of(start), month__lte=end).delete()
    result = fill_days(_days(start, end))
    result.modules = [module.__name__ for module in by_module()]
    FillState.objects.update_or_create(name=WATERMARK, defaults={"last_run_at": timezone.now()})
    return result
