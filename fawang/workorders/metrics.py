"""Work-order counters for the indicators module (see docs/indicators.md, "metrics interface").

Every counter is a cohort count over the orders *created* on the local day, grouped by the order's
region: the only indexed date column is ``created_at``, and a cohort makes "claimed within the
deadline" a property of the order rather than of the day it happened. When an order is claimed,
replied or rated later, the indicators job sees its new event and refills the creation day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from fawang.workorders.models import Channel, FollowUp, WorkOrder, WorkOrderEvent

# BJ-measures 10 speaks of the "网络平台" orders: the web site and the mini-program.
WEB_CHANNELS = (Channel.WEB, Channel.MINI_PROGRAM)
# A rating of 4 or 5 out of 5 counts as satisfied (满意/非常满意).
SATISFIED_FROM = 4


def day_bounds(day: date) -> tuple[datetime, datetime]:
    zone = timezone.get_default_timezone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, start + timedelta(days=1)


def orders_created_on(day: date) -> QuerySet[WorkOrder]:
    start, end = day_bounds(day)
    return WorkOrder.objects.filter(created_at__gte=start, created_at__lt=end)


def _count(condition: Q | None = None) -> Callable[[date], dict[int, float]]:
    def compute(day: date) -> dict[int, float]:
        orders = orders_created_on(day)
        if condition is not None:
            orders = orders.filter(condition)
        rows = orders.order_by().values("region_id").annotate(n=Count("id"))
        return {row["region_id"]: float(row["n"]) for row in rows}

    return compute


def _rating_sum(day: date) -> dict[int, float]:
    rows = (
        orders_created_on(day)
        .filter(rating__isnull=False)
        .order_by()
        .values("region_id")
        .annotate(n=Sum("rating"))
    )
    return {row["region_id"]: float(row["n"]) for row in rows}


def _follow_ups(condition: Q | None = None) -> Callable[[date], dict[int, float]]:
    """Follow-up surveys (回访) of the orders created on the day (the same cohort)."""

    def compute(day: date) -> dict[int, float]:
        start, end = day_bounds(day)
        rows = FollowUp.objects.filter(
            order__created_at__gte=start, order__created_at__lt=end, reached=True
        )
        if condition is not None:
            rows = rows.filter(condition)
        grouped = rows.order_by().values("order__region_id").annotate(n=Count("id"))
        return {row["order__region_id"]: float(row["n"]) for row in grouped}

    return compute


_WEB = Q(channel__in=WEB_CHANNELS)
_CLAIMED_IN_TIME = Q(claimed_at__isnull=False, claimed_at__lte=F("claim_due_at"))
_REPLIED_IN_TIME = Q(replied_at__isnull=False, replied_at__lte=F("reply_due_at"))

FLOW_COUNTERS: dict[str, Callable[[date], dict[int, float]]] = {
    "workorders.created": _count(),
    "workorders.web_created": _count(_WEB),
    "workorders.web_claimed_in_time": _count(_WEB & _CLAIMED_IN_TIME),
    "workorders.claimed": _count(Q(claimed_at__isnull=False)),
    "workorders.claimed_in_time": _count(_CLAIMED_IN_TIME),
    "workorders.replied": _count(Q(replied_at__isnull=False)),
    "workorders.replied_in_time": _count(_REPLIED_IN_TIME),
    "workorders.closed": _count(Q(closed_at__isnull=False)),
    "workorders.rated": _count(Q(rating__isnull=False)),
    "workorders.satisfied": _count(Q(rating__gte=SATISFIED_FROM)),
    "workorders.rating_sum": _rating_sum,
    **{f"workorders.rated_{score}": _count(Q(rating=score)) for score in range(1, 6)},
    "workorders.special_groups": _count(~Q(special_groups=[])),
    "workorders.surveyed": _follow_ups(Q(satisfaction__isnull=False)),
    "workorders.surveyed_satisfied": _follow_ups(Q(satisfaction__gte=SATISFIED_FROM)),
}
STOCK_COUNTERS: dict[str, Callable[[date], dict[int, float]]] = {}


# Events are written with the writing server's clock: one a little ahead of ours is still seen.
CLOCK_SKEW = timedelta(hours=1)


def events_between(since: datetime, until: datetime) -> QuerySet[WorkOrderEvent]:
    """Events in [since, until): bounded on both sides by the partition key, so on PostgreSQL
    only the month partitions the window touches are read (one for a window inside a month),
    never the older months nor DEFAULT (docs/operations.md, "Partitioned history")."""
    return WorkOrderEvent.objects.filter(occurred_at__gte=since, occurred_at__lt=until)


def touched_days(since: datetime) -> set[date]:
    """Creation days of the orders created or changed (any event) since ``since``."""
    zone = timezone.get_default_timezone()
    created = (
        WorkOrder.objects.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .order_by()
        .values_list("day", flat=True)
        .distinct()
    )
    changed = (
        events_between(since, timezone.now() + CLOCK_SKEW)
        .annotate(day=TruncDate("order__created_at", tzinfo=zone))
        .order_by()
        .values_list("day", flat=True)
        .distinct()
    )
    return set(created) | set(changed)
