"""Counters for the indicators module (docs/indicators.md, docs/lawyers.md): BJ-10, BJ-17,
BJ-18, BJ-35, BJ-37, BJ-38, BJ-39, SJZ-09, SJZ-10, SJZ-45.

FLOW counters count what happened on one local day; STOCK counters the state at the end of it.
Each groups by a region id and returns additive numbers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from itertools import chain
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from fawang.core.models import InstitutionKind, PractitionerKind, PractitionerStatus
from fawang.core.periods import local_days
from fawang.lawyers.models import (
    ActivityKind,
    AnnualReview,
    FirmProfile,
    ForeignTalent,
    GroupKind,
    HoursStatus,
    LawyerKind,
    LawyerProfile,
    Placement,
    ReviewResult,
    ServiceActivity,
    ServiceGroup,
    ServiceHours,
)

Counter = Callable[[date], dict[int, float]]


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min), ZoneInfo(settings.TIME_ZONE))
    return start, start + timedelta(days=1)


def _count_by(qs: QuerySet[Any], region_field: str) -> dict[int, float]:
    rows = qs.values(region_field).annotate(n=Count("id")).order_by()
    return {row[region_field]: float(row["n"]) for row in rows}


def public_interest_hours(day: date) -> dict[int, float]:
    """BJ-35 numerator: hours confirmed on the day, by the lawyer's firm's region (counted on the
    day of confirmation: a day once filled is not revisited, so the record's own timestamp)."""
    start, end = _day_bounds(day)
    rows = (
        ServiceHours.objects.filter(
            status=HoursStatus.CONFIRMED, confirmed_at__gte=start, confirmed_at__lt=end
        )
        .values("practitioner__institution__region_id")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    return {r["practitioner__institution__region_id"]: float(r["total"]) for r in rows}


def group_activities(day: date) -> dict[int, float]:
    """BJ-17: activities of the volunteer and circuit groups recorded on the day."""
    start, end = _day_bounds(day)
    return _count_by(
        ServiceActivity.objects.filter(
            created_at__gte=start,
            created_at__lt=end,
            kind=ActivityKind.SERVICE_GROUP,
            group__kind__in=[GroupKind.VOLUNTEER, GroupKind.CIRCUIT],
        ),
        "region_id",
    )


def placements_started(day: date) -> dict[int, float]:
    """BJ-18: young-lawyer placements recorded on the day, by the home firm's region."""
    start, end = _day_bounds(day)
    return _count_by(
        Placement.objects.filter(recorded_at__gte=start, recorded_at__lt=end), "region_id"
    )


def _reviews_decided(day: date) -> QuerySet[AnnualReview]:
    start, end = _day_bounds(day)
    return AnnualReview.objects.filter(
        decided_at__gte=start, decided_at__lt=end, institution__isnull=False
    )


def spot_checks(day: date) -> dict[int, float]:
    """BJ-39 denominator: firm inspections decided on the day that were spot-checked."""
    return _count_by(_reviews_decided(day).filter(spot_checked=True), "region_id")


def spot_checks_passed(day: date) -> dict[int, float]:
    return _count_by(
        _reviews_decided(day).filter(spot_checked=True).exclude(result=ReviewResult.FAIL),
        "region_id",
    )


def firms_inspected(day: date) -> dict[int, float]:
    """BJ-38 denominator: firm inspections decided on the day."""
    return _count_by(_reviews_decided(day), "region_id")


def firms_party_building_standard(day: date) -> dict[int, float]:
    return _count_by(_reviews_decided(day).filter(party_building_standard=True), "region_id")


def _firm_profiles() -> QuerySet[FirmProfile]:
    return FirmProfile.objects.filter(institution__kind=InstitutionKind.LAW_FIRM)


def firms_with_party_members(day: date) -> dict[int, float]:
    """BJ-10 denominator: law firms with party-member lawyers (有党员律师事务所)."""
    return _count_by(_firm_profiles().filter(party_members__gt=0), "institution__region_id")


def firms_with_independent_party_org(day: date) -> dict[int, float]:
    """BJ-10 numerator: of those, firms with an independent party organisation (单独建立)."""
    return _count_by(
        _firm_profiles().filter(party_members__gt=0, institution__party_organisation="independent"),
        "institution__region_id",
    )


def international_leading_firms(day: date) -> dict[int, float]:
    """SJZ-10: firms the bureau records as 国际一流律师事务所."""
    return _count_by(_firm_profiles().filter(international_leading=True), "institution__region_id")


def _practising_profiles() -> QuerySet[LawyerProfile]:
    return LawyerProfile.objects.filter(
        practitioner__kind=PractitionerKind.LAWYER,
        practitioner__status=PractitionerStatus.PRACTISING,
    )


def foreign_senior_talents(day: date) -> dict[int, float]:
    """SJZ-09: practising lawyers recorded as foreign-related leading or excellent talents."""
    return _count_by(
        _practising_profiles().filter(
            foreign_talent__in=[ForeignTalent.LEADING, ForeignTalent.EXCELLENT]
        ),
        "practitioner__institution__region_id",
    )


def public_sector_and_company_lawyers(day: date) -> dict[int, float]:
    """SJZ-45: practising public-sector (公职) and company (公司) lawyers."""
    return _count_by(
        _practising_profiles().filter(
            lawyer_kind__in=[LawyerKind.PUBLIC_SECTOR, LawyerKind.COMPANY]
        ),
        "practitioner__institution__region_id",
    )


def red_lawyer_group_members(day: date) -> dict[int, float]:
    """BJ-37: members of the “红律助” public-interest groups, by the group's region."""
    rows = (
        ServiceGroup.objects.filter(kind=GroupKind.RED_LAWYER)
        .values("region_id")
        .annotate(n=Count("members", distinct=True))
        .order_by()
    )
    return {r["region_id"]: float(r["n"]) for r in rows}


def touched_days(since: datetime) -> set[date]:
    """Days whose figures a change since ``since`` may alter. The fill refills the flow counters on
    exactly these days and the stock counters from the earliest of them to today (today's stocks
    on every run).

    For every row changed since ``since`` (each model below has an ``updated_at`` that every
    service bumps): the dates its counters count it on, and the local day of the change — hours:
    ``confirmed_at``; activities: ``created_at``; placements: ``recorded_at``; annual reviews:
    ``decided_at``; firm and lawyer profiles and service groups: the day of the change only (the
    stocks read the current record, which keeps no dates). Each counted moment is the one the
    service records the row at: the flows count by recording, confirmation and decision, not by
    an activity's ``held_on`` or a placement's ``starts_on`` (which may lie in the past), so no
    record is counted on a day before it was entered and none on a day ahead of the clock.

    Left to today's refill (the module has no fallback window once it has this hook): the stocks
    also read core ``Institution``s (kind, party organisation) and ``Practitioner``s (kind,
    status, firm), which this module does not own and which keep no history; a change to them
    shows in today's figure. A service group's members are set when it is created.
    """
    changed = [
        ServiceHours.objects.filter(updated_at__gte=since).values_list(
            "confirmed_at", "updated_at"
        ),
        ServiceActivity.objects.filter(updated_at__gte=since).values_list(
            "created_at", "updated_at"
        ),
        Placement.objects.filter(updated_at__gte=since).values_list("recorded_at", "updated_at"),
        AnnualReview.objects.filter(updated_at__gte=since).values_list("decided_at", "updated_at"),
        FirmProfile.objects.filter(updated_at__gte=since).values_list("updated_at"),
        LawyerProfile.objects.filter(updated_at__gte=since).values_list("updated_at"),
        ServiceGroup.objects.filter(updated_at__gte=since).values_list("updated_at"),
    ]
    return local_days(chain.from_iterable(changed))


FLOW_COUNTERS: dict[str, Counter] = {
    "lawyers.public_interest_hours": public_interest_hours,
    "lawyers.group_activities": group_activities,
    "lawyers.placements_started": placements_started,
    "lawyers.spot_checks": spot_checks,
    "lawyers.spot_checks_passed": spot_checks_passed,
    "lawyers.firms_inspected": firms_inspected,
    "lawyers.firms_party_building_standard": firms_party_building_standard,
}
STOCK_COUNTERS: dict[str, Counter] = {
    "lawyers.firms_with_party_members": firms_with_party_members,
    "lawyers.firms_with_independent_party_org": firms_with_independent_party_org,
    "lawyers.international_leading_firms": international_leading_firms,
    "lawyers.foreign_senior_talents": foreign_senior_talents,
    "lawyers.public_sector_and_company_lawyers": public_sector_and_company_lawyers,
    "lawyers.red_lawyer_group_members": red_lawyer_group_members,
}
