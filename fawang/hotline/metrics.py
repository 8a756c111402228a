"""Counters for the indicators module (docs/indicators.md): SJZ-43 (热线接通率) and SJZ-44
(热线满意率), from the call records. FLOW counters: what happened on one local day, grouped by
the centre's region."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, QuerySet

from fawang.core.models import Region
from fawang.hotline.models import CallOutcome, CallRecord
from fawang.hotline.policy import hotline_policy
from fawang.hotline.timing import local_zone
from fawang.policy.packs import NoPackForRegion

Counter = Callable[[date], dict[int, float]]


def _day(day: date) -> QuerySet[CallRecord]:
    start = datetime.combine(day, time.min, tzinfo=local_zone())
    return CallRecord.objects.filter(
        offered_at__gte=start, offered_at__lt=start + timedelta(days=1)
    )


def _count_by_region(qs: QuerySet[Any]) -> dict[int, float]:
    rows = qs.values("centre__region_id").annotate(n=Count("id")).order_by()
    return {row["centre__region_id"]: float(row["n"]) for row in rows}


def calls_offered(day: date) -> dict[int, float]:
    return _count_by_region(_day(day))


def calls_answered(day: date) -> dict[int, float]:
    return _count_by_region(_day(day).filter(outcome=CallOutcome.ANSWERED))


def rated_calls(day: date) -> dict[int, float]:
    """Calls of the day whose linked work order has been rated (1–5)."""
    return _count_by_region(_day(day).filter(work_order__rating__isnull=False))


def rated_calls_satisfied(day: date) -> dict[int, float]:
    """Of those, the ones rated at or above the city's satisfied rating (pack)."""
    counted: dict[int, float] = {}
    rated = _day(day).filter(work_order__rating__isnull=False)
    for region_id in set(rated.values_list("centre__region_id", flat=True)):
        try:
            least = hotline_policy(Region.objects.get(pk=region_id)).satisfied_rating
        except NoPackForRegion:
            continue
        n = rated.filter(centre__region_id=region_id, work_order__rating__gte=least).count()
        if n:
            counted[region_id] = float(n)
    return counted


FLOW_COUNTERS: dict[str, Counter] = {
    "hotline.calls_offered": calls_offered,
    "hotline.calls_answered": calls_answered,
    "hotline.rated_calls": rated_calls,
    "hotline.rated_calls_satisfied": rated_calls_satisfied,
}
STOCK_COUNTERS: dict[str, Counter] = {}
