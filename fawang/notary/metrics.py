"""Counters for the indicators module (docs/indicators.md): SJZ-32 and the bureau's board.

FLOW counters count what happened on one local day; STOCK counters the state at the end of it.
Each groups by the office's region and returns additive numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from itertools import chain
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from fawang.core.models import Practitioner, PractitionerKind, PractitionerStatus
from fawang.core.periods import local_days
from fawang.notary.models import Certificate, Complaint, NotarialMatter, Visit
from fawang.workorders.models import Channel

Counter = Callable[[date], dict[int, float]]
ONLINE_CHANNELS = (Channel.WEB, Channel.MINI_PROGRAM)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min), ZoneInfo(settings.TIME_ZONE))
    return start, start + timedelta(days=1)


def _count_by(qs: QuerySet[Any], region_field: str) -> dict[int, float]:
    rows = qs.values(region_field).annotate(n=Count("id")).order_by()
    return {row[region_field]: float(row["n"]) for row in rows}


def matters_received(day: date) -> dict[int, float]:
    start, end = _day_bounds(day)
    return _count_by(
        NotarialMatter.objects.filter(submitted_at__gte=start, submitted_at__lt=end), "region_id"
    )


def certificates_issued(day: date) -> dict[int, float]:
    start, end = _day_bounds(day)
    return _count_by(
        Certificate.objects.filter(issued_at__gte=start, issued_at__lt=end),
        "matter__region_id",
    )


def issue_days_total(day: date) -> dict[int, float]:
    """Calendar days from application to certificate, summed over the certificates of the day
    (with certificates_issued: the average days)."""
    start, end = _day_bounds(day)
    totals: dict[int, float] = {}
    rows = Certificate.objects.filter(issued_at__gte=start, issued_at__lt=end).values_list(
        "matter__region_id", "issued_at", "matter__submitted_at"
    )
    for region_id, issued, submitted in rows:
        totals[region_id] = (
            totals.get(region_id, 0.0) + (issued - submitted).total_seconds() / 86400
        )
    return totals


def certificates_one_visit(day: date) -> dict[int, float]:
    """Certificates of the day whose matter needed at most one visit (最多跑一次)."""
    start, end = _day_bounds(day)
    issued = Certificate.objects.filter(issued_at__gte=start, issued_at__lt=end)
    few = (
        NotarialMatter.objects.filter(certificate__in=issued)
        .annotate(visit_count=Count("visits"))
        .filter(visit_count__lte=1)
        .values("pk")
    )
    return _count_by(NotarialMatter.objects.filter(pk__in=few), "region_id")


def complaints_received(day: date) -> dict[int, float]:
    start, end = _day_bounds(day)
    return _count_by(
        Complaint.objects.filter(received_at__gte=start, received_at__lt=end),
        "office__region_id",
    )


def offices_online(day: date) -> dict[int, float]:
    """SJZ-32: notary offices that have received an application online (portal or mini program)
    by the end of ``day`` — from the records, not a declaration."""
    _, end = _day_bounds(day)
    rows = (
        NotarialMatter.objects.filter(channel__in=ONLINE_CHANNELS, submitted_at__lt=end)
        .values("office_id", "office__region_id")
        .distinct()
        .order_by()
    )
    counts: dict[int, float] = {}
    for row in rows:
        region_id = row["office__region_id"]
        counts[region_id] = counts.get(region_id, 0.0) + 1
    return counts


def visits_recorded(day: date) -> dict[int, float]:
    start, end = _day_bounds(day)
    return _count_by(
        Visit.objects.filter(visited_at__gte=start, visited_at__lt=end), "matter__region_id"
    )


# 公证员职称: 一级、二级 are senior (高级), 三级 intermediate (中级), 四级 junior (初级).
MID_OR_ABOVE_TITLES = ("一级公证员", "二级公证员", "三级公证员")


def notaries_mid_title(day: date) -> dict[int, float]:
    """SJZ-22: practising notaries with an intermediate or higher title (practitioner records)."""
    rows = (
        Practitioner.objects.filter(
            kind=PractitionerKind.NOTARY,
            status=PractitionerStatus.PRACTISING,
            title__in=MID_OR_ABOVE_TITLES,
        )
        .order_by()
        .values("institution__region_id")
        .annotate(n=Count("id"))
    )
    return {row["institution__region_id"]: float(row["n"]) for row in rows}


def touched_days(since: datetime) -> set[date]:
    """Days whose figures a change since ``since`` may alter. The fill refills the flow counters on
    exactly these days and the stock counters from the earliest of them to today (today's stocks
    on every run).

    For every row changed since ``since`` (each model below has an ``updated_at`` that every
    service bumps): the dates its counters count it on, and the local day of the change —
    matters: ``submitted_at`` (received; online offices, a stock); certificates: ``issued_at``;
    complaints: ``received_at``; visits: ``visited_at`` and the ``issued_at`` of their matter's
    certificate, because a visit recorded after the certificate (when it is collected, weeks
    later) takes the matter out of 最多跑一次 on the day the certificate was issued. Every one of
    these moments is stamped by the service when it records the row: nothing is back-dated and
    nothing is ahead of the clock.

    Left to today's refill (the module has no fallback window once it has this hook): the
    mid-title stock reads core ``Practitioner``s (kind, status, title), which this module does
    not own and which keep no history; a change to them shows in today's figure.
    """
    changed = [
        NotarialMatter.objects.filter(updated_at__gte=since).values_list(
            "submitted_at", "updated_at"
        ),
        Certificate.objects.filter(updated_at__gte=since).values_list("issued_at", "updated_at"),
        Visit.objects.filter(updated_at__gte=since).values_list(
            "visited_at", "matter__certificate__issued_at", "updated_at"
        ),
        Complaint.objects.filter(updated_at__gte=since).values_list("received_at", "updated_at"),
    ]
    return local_days(chain.from_iterable(changed))


FLOW_COUNTERS: dict[str, Counter] = {
    "notary.matters_received": matters_received,
    "notary.certificates_issued": certificates_issued,
    "notary.issue_days_total": issue_days_total,
    "notary.certificates_one_visit": certificates_one_visit,
    "notary.complaints_received": complaints_received,
    "notary.visits": visits_recorded,
}
STOCK_COUNTERS: dict[str, Counter] = {
    "notary.offices_online": offices_online,
    "notary.notaries_mid_title": notaries_mid_title,
}
