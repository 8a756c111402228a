"""Counters for the indicators module (docs/indicators.md): SJZ-43 (热线接通率) and SJZ-44
(热线满意率), from the call records. FLOW counters: what happened on one local day, grouped by
the centre's region."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from itertools import chain
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from fawang.core.models import Region
from fawang.core.periods import days_begun_with, local_days
from fawang.hotline.models import CallOutcome, CallRecord
from fawang.hotline.policy import hotline_policy
from fawang.hotline.timing import local_zone
from fawang.policy.packs import NoPackForRegion
from fawang.workorders.metrics import CLOCK_SKEW, events_between
from fawang.workorders.models import EventKind

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


def touched_days(since: datetime) -> set[date]:
    """Days whose figures a change since ``since`` may alter. The fill refills the flow counters on
    exactly these days (the module has no stocks).

    Every counter counts a call on the local day of its ``offered_at``, the telephony system's
    time of the call, not the moment we store it. For every call changed since ``since`` (its
    ``updated_at``: stored, or linked to a work order): ``offered_at`` and the local day of the
    change; for every call whose linked work order was rated since ``since`` (the rating changes
    the rated and satisfied counts; workorders owns the order and records the rating as an
    event, whose index bounds this read): the call's ``offered_at``. A call-detail file imported
    today, or a webhook the vendor delivers late, holds calls of past days: they count on their
    own days. Nothing bounds ``offered_at`` ahead of our clock either (a CTI clock running ahead
    dates a call past midnight before ours gets there), and the fill drops days after today: the
    days that have begun since ``since`` are added when a call was offered on them.

    Left out: a call is never edited (a retried call id changes nothing) nor deleted, and an
    order is rated once. The satisfied rating is pack data and the centre's region a core
    ``Institution``'s, which keeps no history: a change to either recounts past days only
    through ``fawang indicators fill --since``.
    """
    rated = events_between(since, timezone.now() + CLOCK_SKEW).filter(kind=EventKind.RATED)
    changed = [
        CallRecord.objects.filter(updated_at__gte=since).values_list("offered_at", "updated_at"),
        CallRecord.objects.filter(work_order__in=rated.values("order_id")).values_list(
            "offered_at"
        ),
    ]
    return local_days(chain.from_iterable(changed)) | days_begun_with(
        CallRecord.objects.all(), "offered_at", since
    )


FLOW_COUNTERS: dict[str, Counter] = {
    "hotline.calls_offered": calls_offered,
    "hotline.calls_answered": calls_answered,
    "hotline.rated_calls": rated_calls,
    "hotline.rated_calls_satisfied": rated_calls_satisfied,
}
STOCK_COUNTERS: dict[str, Counter] = {}
