"""Counters for the indicators module (docs/indicators.md): SJZ-13 (villages with an adviser),
SJZ-04 (villages with a 法律明白人) and SJZ-31 (法律明白人 per village). All are STOCK counters at
the end of the day, grouped by township (the fill adds them up to district and city)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from fawang.advisers.models import CommunityAdviser, LegalLiaison
from fawang.advisers.reports import active_on
from fawang.core.models import Region, RegionLevel

Counter = Callable[[date], dict[int, float]]


def _by_township(**filters: object) -> dict[int, float]:
    rows = (
        Region.objects.filter(level=RegionLevel.VILLAGE, **filters)
        .values("parent_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["parent_id"]: float(row["n"]) for row in rows}


def _liaisons_on(day: date) -> Q:
    return Q(added_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gt=day))


def villages(day: date) -> dict[int, float]:
    """Villages and communities (村居) of the cities that keep their advisers here: the
    denominator. A city counts from the first day an appointment there is in force; before that
    the platform has no record of its advisers, and its indicators read "no data" (the reported
    value), not 0%."""
    # One query however many cities there are (a national fill has ~360).
    appointed = CommunityAdviser.objects.filter(
        term_start__lte=day, village__path__startswith=OuterRef("path")
    )
    in_use = list(
        Region.objects.filter(Exists(appointed), level=RegionLevel.CITY).values_list(
            "path", flat=True
        )
    )
    if not in_use:
        return {}
    within = Q()
    for path in in_use:
        within |= Q(path__startswith=path)
    rows = (
        Region.objects.filter(within, level=RegionLevel.VILLAGE)
        .values("parent_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["parent_id"]: float(row["n"]) for row in rows}


def villages_with_adviser(day: date) -> dict[int, float]:
    return _by_township(pk__in=CommunityAdviser.objects.filter(active_on(day)).values("village_id"))


def villages_with_liaison(day: date) -> dict[int, float]:
    return _by_township(pk__in=LegalLiaison.objects.filter(_liaisons_on(day)).values("village_id"))


def liaisons(day: date) -> dict[int, float]:
    rows = (
        LegalLiaison.objects.filter(_liaisons_on(day))
        .values("village__parent_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["village__parent_id"]: float(row["n"]) for row in rows}


def touched_days(since: datetime) -> set[date]:
    """Days whose figures a change since ``since`` may alter: the changed appointments' and
    法律明白人's own dates and the day of the change (the fill refills these stock counters from the
    earliest of them to today)."""
    days: set[date] = set()
    changes = [
        CommunityAdviser.objects.filter(updated_at__gte=since).values_list(
            "term_start", "ended_on", "updated_at"
        ),
        LegalLiaison.objects.filter(updated_at__gte=since).values_list(
            "added_on", "left_on", "updated_at"
        ),
    ]
    for rows in changes:
        for start, end, changed in rows:
            days |= {d for d in (start, end) if d is not None} | {timezone.localdate(changed)}
    return days


FLOW_COUNTERS: dict[str, Counter] = {}
STOCK_COUNTERS: dict[str, Counter] = {
    "advisers.villages": villages,
    "advisers.villages_with_adviser": villages_with_adviser,
    "advisers.villages_with_liaison": villages_with_liaison,
    "advisers.liaisons": liaisons,
}
