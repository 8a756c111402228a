"""Counters for the indicators module (see the metrics interface in docs/mediation.md).

FLOW counters count what happened on one local day; STOCK counters the state at the end of it.
Each groups by the finest region stored (the dispute's or the committee's) and returns additive
numbers; the indicators module sums them up the region tree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import chain
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from fawang.core.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    MediationLevel,
    Practitioner,
    PractitionerKind,
    PractitionerStatus,
)
from fawang.core.periods import days_begun_with, local_days
from fawang.mediation.models import (
    HANDOFF_SOURCES,
    CommitteeMembership,
    ConfirmationStatus,
    Dispute,
    DisputeStatus,
    FeaturedRoom,
    JudicialConfirmation,
    Screening,
    TrainingRecord,
)
from fawang.mediation.policy import mediation_policy
from fawang.mediation.selectors import quota_rows

Counter = Callable[[date], dict[int, float]]


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = ZoneInfo(settings.TIME_ZONE)
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    return start, start + timedelta(days=1)


def _count_by(qs: QuerySet[Any], region_field: str) -> dict[int, float]:
    rows = qs.values(region_field).annotate(n=Count("id")).order_by()
    return {row[region_field]: float(row["n"]) for row in rows}


def disputes_received(day: date) -> dict[int, float]:
    start, end = _day_bounds(day)
    return _count_by(
        Dispute.objects.filter(received_at__gte=start, received_at__lt=end), "region_id"
    )


def disputes_handed_off(day: date) -> dict[int, float]:
    start, end = _day_bounds(day)
    qs = Dispute.objects.filter(
        received_at__gte=start, received_at__lt=end, source__in=HANDOFF_SOURCES
    )
    return _count_by(qs, "region_id")


def _closed(day: date) -> QuerySet[Dispute]:
    start, end = _day_bounds(day)
    return Dispute.objects.filter(closed_at__gte=start, closed_at__lt=end)


def disputes_closed(day: date) -> dict[int, float]:
    return _count_by(_closed(day), "region_id")


def disputes_agreed(day: date) -> dict[int, float]:
    return _count_by(_closed(day).filter(status=DisputeStatus.AGREED), "region_id")


def resolve_days_total(day: date) -> dict[int, float]:
    """Days from receipt to closure, summed over the disputes closed that day (the average is a
    pack formula: resolve_days_total / disputes_closed)."""
    totals: dict[int, float] = defaultdict(float)
    for region_id, received, closed in _closed(day).values_list(
        "region_id", "received_at", "closed_at"
    ):
        if closed is not None:
            totals[region_id] += (closed - received).total_seconds() / 86400
    return {region: round(total, 4) for region, total in totals.items()}


def screenings_due(day: date) -> dict[int, float]:
    return _count_by(Screening.objects.filter(due_on=day), "region_id")


def screenings_done(day: date) -> dict[int, float]:
    start, end = _day_bounds(day)
    return _count_by(Screening.objects.filter(done_at__gte=start, done_at__lt=end), "region_id")


def judicial_confirmations_requested(day: date) -> dict[int, float]:
    qs = JudicialConfirmation.objects.filter(requested_on=day)
    return _count_by(qs, "agreement__dispute__region_id")


def judicial_confirmations_granted(day: date) -> dict[int, float]:
    qs = JudicialConfirmation.objects.filter(answered_on=day, status=ConfirmationStatus.GRANTED)
    return _count_by(qs, "agreement__dispute__region_id")


def _committees(day: date) -> QuerySet[Institution]:
    end = _day_bounds(day)[1]
    return Institution.objects.filter(
        kind=InstitutionKind.MEDIATION_COMMITTEE,
        status=InstitutionStatus.ACTIVE,
        created_at__lt=end,
    ).select_related("region")


def committees(day: date) -> dict[int, float]:
    return _count_by(_committees(day), "region_id")


def committees_meeting_quota(day: date) -> dict[int, float]:
    """Committees at or above their full-time quota ("where possible" quotas count as met when
    they are met; they are never counted as short elsewhere). Current roster: memberships carry
    no history, so this is the state as of the run, recorded for ``day``."""
    counts: dict[int, float] = defaultdict(float)
    for row in quota_rows(_committees(day)):
        if row.short_by == 0:
            counts[row.committee.region_id] += 1
    return dict(counts)


def committees_with_quota(day: date) -> dict[int, float]:
    """Committees the full-time quota binds: the levels with a quota that is not "有条件的"
    (where possible) — township and industry committees in both packs (BJ-measures 14: 乡镇(街道)
    至少2名，行专调委会至少3名; village committees only "有条件的", so not in the denominator)."""
    counts: dict[int, float] = defaultdict(float)
    for row in quota_rows(_committees(day)):
        if row.required > 0 and not row.where_possible:
            counts[row.committee.region_id] += 1
    return dict(counts)


def committees_with_quota_met(day: date) -> dict[int, float]:
    counts: dict[int, float] = defaultdict(float)
    for row in quota_rows(_committees(day)):
        if row.required > 0 and not row.where_possible and row.short_by == 0:
            counts[row.committee.region_id] += 1
    return dict(counts)


def township_committees(day: date) -> dict[int, float]:
    """Township (street) committees only: SJZ 四 17 (不少于2名专职人民调解员) is about them."""
    return _count_by(_committees(day).filter(mediation_level=MediationLevel.TOWNSHIP), "region_id")


def township_committees_meeting_quota(day: date) -> dict[int, float]:
    counts: dict[int, float] = defaultdict(float)
    township = _committees(day).filter(mediation_level=MediationLevel.TOWNSHIP)
    for row in quota_rows(township):
        if row.short_by == 0:
            counts[row.committee.region_id] += 1
    return dict(counts)


def _mediators() -> QuerySet[Practitioner]:
    return Practitioner.objects.filter(
        kind=PractitionerKind.MEDIATOR, status=PractitionerStatus.PRACTISING
    )


def mediators(day: date) -> dict[int, float]:
    return _count_by(_mediators(), "institution__region_id")


def mediators_training_met(day: date) -> dict[int, float]:
    """Mediators whose training days in ``day``'s year, up to ``day``, reach the pack minimum."""
    rows = (
        TrainingRecord.objects.filter(
            held_on__year=day.year, held_on__lte=day, mediator__in=_mediators()
        )
        .values("mediator_id", "mediator__institution__region_id")
        .annotate(total=Sum("days"))
    )
    counts: dict[int, float] = defaultdict(float)
    minimum: dict[int, Decimal] = {}
    regions = _regions(row["mediator__institution__region_id"] for row in rows)
    for row in rows:
        region_id = row["mediator__institution__region_id"]
        if region_id not in minimum:
            minimum[region_id] = Decimal(
                mediation_policy(regions[region_id]).training_days_per_year
            )
        if row["total"] >= minimum[region_id]:
            counts[region_id] += 1
    return dict(counts)


def _regions(ids: Iterable[int]) -> dict[int, Any]:
    from fawang.core.models import Region

    return Region.objects.in_bulk(set(ids))


def featured_rooms(day: date) -> dict[int, float]:
    return _count_by(FeaturedRoom.objects.filter(opened_on__lte=day), "region_id")


def touched_days(since: datetime) -> set[date]:
    """Days whose figures a change since ``since`` may alter. The fill refills the flow counters on
    exactly these days and the stock counters from the earliest of them to today (today's stocks
    on every run).

    For every row changed since ``since`` (each model below has an ``updated_at`` that every
    service bumps): the dates its counters count it on, and the local day of the change —
    disputes: 受理 ``received_at`` and 结案 ``closed_at`` (received, handed off, closed, agreed,
    resolve days); screenings: ``due_on`` and ``done_at``; judicial confirmations:
    ``requested_on`` and ``answered_on``; training records: ``held_on`` (mediators_training_met,
    year to date); featured rooms: ``opened_on``; committee memberships: the day of the change
    only (the quota counters read the current roster, which keeps no dates).

    A date can be ahead of the change: a screening falls due at the end of its period (plus
    grace), a confirmation may be requested for a later day. The fill drops days after today, so
    the days that have begun since ``since`` are added when such a row falls due on them.

    Left to today's refill (the module has no fallback window once it has this hook): the
    committee, quota and mediator stocks read core ``Institution``s and ``Practitioner``s (their
    creation, status and kind), which this module does not own and which keep no history; a
    change to them shows in today's figure. A row deleted (only the reference-data admin deletes
    training records, rooms or memberships) or a date the admin edits (the day it had before is
    not kept) needs ``fawang indicators fill --since``.
    """
    changed = [
        Dispute.objects.filter(updated_at__gte=since).values_list(
            "received_at", "closed_at", "updated_at"
        ),
        Screening.objects.filter(updated_at__gte=since).values_list(
            "due_on", "done_at", "updated_at"
        ),
        JudicialConfirmation.objects.filter(updated_at__gte=since).values_list(
            "requested_on", "answered_on", "updated_at"
        ),
        TrainingRecord.objects.filter(updated_at__gte=since).values_list("held_on", "updated_at"),
        FeaturedRoom.objects.filter(updated_at__gte=since).values_list("opened_on", "updated_at"),
        CommitteeMembership.objects.filter(updated_at__gte=since).values_list("updated_at"),
    ]
    return (
        local_days(chain.from_iterable(changed))
        | days_begun_with(Screening.objects.all(), "due_on", since)
        | days_begun_with(JudicialConfirmation.objects.all(), "requested_on", since)
    )


FLOW_COUNTERS: dict[str, Counter] = {
    "mediation.disputes_received": disputes_received,
    "mediation.disputes_handed_off": disputes_handed_off,
    "mediation.disputes_closed": disputes_closed,
    "mediation.disputes_agreed": disputes_agreed,
    "mediation.resolve_days_total": resolve_days_total,
    "mediation.screenings_due": screenings_due,
    "mediation.screenings_done": screenings_done,
    "mediation.judicial_confirmations_requested": judicial_confirmations_requested,
    "mediation.judicial_confirmations_granted": judicial_confirmations_granted,
}
STOCK_COUNTERS: dict[str, Counter] = {
    "mediation.committees": committees,
    "mediation.committees_meeting_quota": committees_meeting_quota,
    "mediation.mediators": mediators,
    "mediation.mediators_training_met": mediators_training_met,
    "mediation.featured_rooms": featured_rooms,
    "mediation.committees_with_quota": committees_with_quota,
    "mediation.committees_with_quota_met": committees_with_quota_met,
    "mediation.township_committees": township_committees,
    "mediation.township_committees_meeting_quota": township_committees_meeting_quota,
}
