"""Counters the indicators module reads (see the metrics interface): additive numbers per region
for one local day (Asia/Shanghai). Ratios are pack formulas over these counters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from fawang.legalaid.models import (
    AidApplication,
    AidCase,
    CaseOrigin,
    ComplaintStatus,
    DefenceNotice,
    HearingAttendance,
    ProviderComplaint,
    ProviderPoolMember,
    QualityGrade,
    QualityReview,
)


def _day_range(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, start + timedelta(days=1)


def _count_by(qs: QuerySet[Any], region_field: str = "region_id") -> dict[int, float]:
    rows = qs.values(region_field).annotate(n=Count("pk")).order_by()
    return {row[region_field]: float(row["n"]) for row in rows}


def _on(field: str, day: date) -> Q:
    start, end = _day_range(day)
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def applications_received(day: date) -> dict[int, float]:
    return _count_by(AidApplication.objects.filter(_on("submitted_at", day)))


def cases_opened(day: date) -> dict[int, float]:
    return _count_by(AidCase.objects.filter(_on("opened_at", day)))


def notices_received(day: date) -> dict[int, float]:
    return _count_by(DefenceNotice.objects.filter(_on("received_at", day)), "case__region_id")


def _notices_assigned(day: date) -> QuerySet[AidCase]:
    return AidCase.objects.filter(_on("assigned_at", day), origin=CaseOrigin.NOTICE)


def notices_assigned(day: date) -> dict[int, float]:
    return _count_by(_notices_assigned(day))


def notices_assigned_in_time(day: date) -> dict[int, float]:
    return _count_by(_notices_assigned(day).filter(assigned_at__lte=F("assignment_due_at")))


def cases_closed(day: date) -> dict[int, float]:
    return _count_by(AidCase.objects.filter(_on("closed_at", day)))


def hearings_attended(day: date) -> dict[int, float]:
    return _count_by(HearingAttendance.objects.filter(attended_on=day))


def quality_reviews(day: date) -> dict[int, float]:
    return _count_by(QualityReview.objects.filter(_on("reviewed_at", day)))


def reviews_excellent_or_good(day: date) -> dict[int, float]:
    good = [QualityGrade.EXCELLENT, QualityGrade.GOOD]
    return _count_by(QualityReview.objects.filter(_on("reviewed_at", day), grade__in=good))


def complaints_received(day: date) -> dict[int, float]:
    return _count_by(ProviderComplaint.objects.filter(_on("received_at", day)))


def complaints_upheld(day: date) -> dict[int, float]:
    return _count_by(
        ProviderComplaint.objects.filter(_on("decided_at", day), status=ComplaintStatus.UPHELD)
    )


def _pool_on(day: date) -> QuerySet[ProviderPoolMember]:
    """Members in the pool at the end of ``day``: joined by then and not yet excluded."""
    return ProviderPoolMember.objects.filter(joined_on__lte=day).filter(
        Q(excluded_on__isnull=True) | Q(excluded_on__gt=day)
    )


def pool_providers(day: date) -> dict[int, float]:
    return _count_by(_pool_on(day), "centre__region_id")


def pool_public_sector_lawyers(day: date) -> dict[int, float]:
    return _count_by(_pool_on(day).filter(is_public_sector_lawyer=True), "centre__region_id")


FLOW_COUNTERS: dict[str, Callable[[date], dict[int, float]]] = {
    "legal_aid.applications_received": applications_received,
    "legal_aid.cases_opened": cases_opened,
    "legal_aid.notices_received": notices_received,
    "legal_aid.notices_assigned": notices_assigned,
    "legal_aid.notices_assigned_in_time": notices_assigned_in_time,
    "legal_aid.cases_closed": cases_closed,
    "legal_aid.hearings_attended": hearings_attended,
    "legal_aid.quality_reviews": quality_reviews,
    "legal_aid.reviews_excellent_or_good": reviews_excellent_or_good,
    "legal_aid.complaints_received": complaints_received,
    "legal_aid.complaints_upheld": complaints_upheld,
}
STOCK_COUNTERS: dict[str, Callable[[date], dict[int, float]]] = {
    "legal_aid.pool_providers": pool_providers,
    "legal_aid.pool_public_sector_lawyers": pool_public_sector_lawyers,
}
