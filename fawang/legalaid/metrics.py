"""Counters the indicators module reads (see the metrics interface): additive numbers per region
for one local day (Asia/Shanghai). Ratios are pack formulas over these counters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from itertools import chain
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from fawang.core.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Practitioner,
    PractitionerKind,
    PractitionerStatus,
)
from fawang.core.periods import days_begun_with, local_days
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
from fawang.legalaid.policy import policy_for_region


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


def reviews_passed(day: date) -> dict[int, float]:
    """Quality reviews graded pass or better (SJZ 14: 评估合格率达到100%)."""
    return _count_by(
        QualityReview.objects.filter(_on("reviewed_at", day)).exclude(grade=QualityGrade.FAIL),
        "case__region_id",
    )


def cases_previous_year(day: date) -> dict[int, float]:
    """Cases opened (受理) in the calendar year before ``day``'s: BJ-list 一(八)'s "上一年度案件总量"."""
    start, _ = _day_range(date(day.year - 1, 1, 1))
    end, _ = _day_range(date(day.year, 1, 1))
    return _count_by(AidCase.objects.filter(opened_at__gte=start, opened_at__lt=end))


def _centre_lawyers() -> QuerySet[Practitioner]:
    """Lawyers on the staff of a city or district legal-aid centre (the centre is their
    institution) — not the pool, which holds private lawyers too (BJ-list 一(八))."""
    return Practitioner.objects.filter(
        kind=PractitionerKind.LAWYER,
        status=PractitionerStatus.PRACTISING,
        institution__kind=InstitutionKind.LEGAL_AID_CENTRE,
    )


def centre_lawyers(day: date) -> dict[int, float]:
    return _count_by(_centre_lawyers(), "institution__region_id")


def centre_public_sector_lawyers(day: date) -> dict[int, float]:
    return _count_by(_centre_lawyers().filter(is_public_sector=True), "institution__region_id")


def _centres(day: date) -> QuerySet[Institution]:
    _, end = _day_range(day)
    return Institution.objects.filter(
        kind=InstitutionKind.LEGAL_AID_CENTRE, status=InstitutionStatus.ACTIVE, created_at__lt=end
    ).select_related("region")


def centres(day: date) -> dict[int, float]:
    return _count_by(_centres(day))


def centres_meeting_hearing_target(day: date) -> dict[int, float]:
    """BJ-measures 11: each district's bureau and centre attend hearings of at least 1% of the
    year's cases *or* at least 50 cases — per centre, year to date through ``day``, with the
    pack's rate and count. 案件总量 is the cases the centre opened (受理) this year."""
    start, _ = _day_range(date(day.year, 1, 1))
    _, end = _day_range(day)
    opened = dict(
        AidCase.objects.filter(opened_at__gte=start, opened_at__lt=end)
        .values_list("centre_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    attended = dict(
        HearingAttendance.objects.filter(
            attended_on__gte=date(day.year, 1, 1), attended_on__lte=day
        )
        .values_list("case__centre_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, float] = {}
    for centre in _centres(day):
        targets = policy_for_region(centre.region).targets
        cases, hearings = opened.get(centre.pk, 0), attended.get(centre.pk, 0)
        met = hearings >= targets["hearing_attendance_count"] or (
            cases > 0 and hearings >= targets["hearing_attendance_rate"] * cases
        )
        if met:
            counts[centre.region_id] = counts.get(centre.region_id, 0.0) + 1
    return counts


def touched_days(since: datetime) -> set[date]:
    """Days whose figures a change since ``since`` may alter. The fill refills the flow counters on
    exactly these days and the stock counters from the earliest of them to today (today's stocks
    on every run).

    For every row changed since ``since`` (each model below has an ``updated_at`` that every
    service bumps): the dates its counters count it on, and the local day of the change —
    applications: ``submitted_at``; cases: ``opened_at`` (cases_opened, and the year-to-date and
    previous-year stocks), ``assigned_at`` (notices assigned, in time) and ``closed_at``; notices:
    ``received_at``; hearing attendance: ``attended_on`` (also the centres' hearing target);
    quality reviews: ``reviewed_at``; complaints: ``received_at`` and ``decided_at``; pool
    members: ``joined_on`` and ``excluded_on``. A notice may be dated up to 5 minutes ahead of
    the clock, past midnight, and the fill drops days after today: the days that have begun since
    ``since`` are added when a case was opened on them (a notice case opens when its notice is
    received), however often the fill runs.

    Left to today's refill (the module has no fallback window once it has this hook): the centre
    lawyers and centres stocks read core ``Practitioner``s and ``Institution``s (kind, status,
    creation), which this module does not own and which keep no history; a change to them shows
    in today's figure. A date changed later (the day it had before is not kept) needs
    ``fawang indicators fill --since``; the services set each counted date once.
    """
    changed = [
        AidApplication.objects.filter(updated_at__gte=since).values_list(
            "submitted_at", "updated_at"
        ),
        AidCase.objects.filter(updated_at__gte=since).values_list(
            "opened_at", "assigned_at", "closed_at", "updated_at"
        ),
        DefenceNotice.objects.filter(updated_at__gte=since).values_list(
            "received_at", "updated_at"
        ),
        HearingAttendance.objects.filter(updated_at__gte=since).values_list(
            "attended_on", "updated_at"
        ),
        QualityReview.objects.filter(updated_at__gte=since).values_list(
            "reviewed_at", "updated_at"
        ),
        ProviderComplaint.objects.filter(updated_at__gte=since).values_list(
            "received_at", "decided_at", "updated_at"
        ),
        ProviderPoolMember.objects.filter(updated_at__gte=since).values_list(
            "joined_on", "excluded_on", "updated_at"
        ),
    ]
    return local_days(chain.from_iterable(changed)) | days_begun_with(
        AidCase.objects.all(), "opened_at", since
    )


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
    "legal_aid.reviews_passed": reviews_passed,
}
STOCK_COUNTERS: dict[str, Callable[[date], dict[int, float]]] = {
    "legal_aid.pool_providers": pool_providers,
    "legal_aid.pool_public_sector_lawyers": pool_public_sector_lawyers,
    "legal_aid.cases_previous_year": cases_previous_year,
    "legal_aid.centre_lawyers": centre_lawyers,
    "legal_aid.centre_public_sector_lawyers": centre_public_sector_lawyers,
    "legal_aid.centres": centres,
    "legal_aid.centres_meeting_hearing_target": centres_meeting_hearing_target,
}
