"""Counters for the indicators module (docs/network.md): SJZ-01 (county and township centres
built), SJZ-27 (mediation committee coverage of villages and townships, read from core
Institutions), BJ-29 (demonstration points), BJ-31 (inspections a station a year), BJ-32 (stations
in tech parks), BJ-34 (remote video realised) and the 15/30-minute coverage, measured and
estimated kept apart.

STOCK counters give the state at the end of the day from the lifecycle dates (a point counts from
the day it was built or opened until it was closed); FLOW counters what happened on the day. Each
groups by region and returns additive numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import numpy as np
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from fawang.audit.models import AuditEvent
from fawang.core.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    MediationLevel,
    Region,
    RegionLevel,
)
from fawang.network import geo, planning
from fawang.network.models import (
    FIGURES_FROM,
    Inspection,
    PointStatus,
    ServicePoint,
    ServicePointLevel,
    SpecialKind,
    VideoSession,
    VideoStatus,
    VillagePosition,
)

Counter = Callable[[date], dict[int, float]]
BUILT = (PointStatus.BUILT, PointStatus.OPEN, PointStatus.SUSPENDED)


def _count_by(qs: QuerySet[Any], field: str) -> dict[int, float]:
    rows = qs.values(field).annotate(n=Count("id")).order_by()
    return {row[field]: float(row["n"]) for row in rows}


def _built_by(day: date) -> QuerySet[ServicePoint]:
    """Points standing at the end of the day: built (or opened) by then and not closed by then."""
    standing = Q(status__in=BUILT) | Q(status=PointStatus.CLOSED, closed_on__gt=day)
    dated = Q(built_on__lte=day) | Q(opened_on__lte=day) | Q(built_on=None, opened_on=None)
    return ServicePoint.objects.filter(standing & dated)


def _ones(ids: Any) -> dict[int, float]:
    return {pk: 1.0 for pk in ids}


def network_start() -> date | None:
    """The first day the network has a record (a point's lifecycle date, an inspection, a
    mediation committee). The denominators (districts, townships, villages) count from then on:
    regions carry no dates, and a figure before the line has any record would be made up."""
    days: list[date] = []
    points = ServicePoint.objects.aggregate(
        a=Min("planned_on"), b=Min("built_on"), c=Min("opened_on"), d=Min("updated_at")
    )
    days += [v for k, v in points.items() if v is not None and k != "d"]
    if points["d"] is not None:
        days.append(timezone.localdate(points["d"]))
    first_inspection = Inspection.objects.aggregate(a=Min("inspected_on"))["a"]
    if first_inspection is not None:
        days.append(first_inspection)
    committee = Institution.objects.filter(kind=InstitutionKind.MEDIATION_COMMITTEE).aggregate(
        a=Min("created_at")
    )["a"]
    if committee is not None:
        days.append(timezone.localdate(committee))
    return min(days) if days else None


def _regions(level: str, day: date) -> dict[int, float]:
    start = network_start()
    if start is None or day < start:
        return {}
    return _ones(Region.objects.filter(level=level).values_list("pk", flat=True))


def districts_with_centre(day: date) -> dict[int, float]:
    return _ones(
        _built_by(day).filter(level=ServicePointLevel.CENTRE, region__level=RegionLevel.DISTRICT)
        .values_list("region_id", flat=True).distinct().order_by()
    )  # fmt: skip


def townships_with_station(day: date) -> dict[int, float]:
    return _ones(
        _built_by(day).filter(level=ServicePointLevel.STATION, region__level=RegionLevel.TOWNSHIP)
        .values_list("region_id", flat=True).distinct().order_by()
    )  # fmt: skip


def districts(day: date) -> dict[int, float]:
    return _regions(RegionLevel.DISTRICT, day)


def townships(day: date) -> dict[int, float]:
    return _regions(RegionLevel.TOWNSHIP, day)


def villages(day: date) -> dict[int, float]:
    return _regions(RegionLevel.VILLAGE, day)


def _committee_regions(level: str, region_level: str, day: date) -> set[int]:
    rows = Institution.objects.filter(
        kind=InstitutionKind.MEDIATION_COMMITTEE,
        mediation_level=level,
        region__level=region_level,
        status=InstitutionStatus.ACTIVE,
        created_at__date__lte=day,
    )
    return set(rows.values_list("region_id", flat=True).distinct().order_by())


def villages_with_committee(day: date) -> dict[int, float]:
    """SJZ-27: villages (communities) with an active village-level mediation committee."""
    return _ones(_committee_regions(MediationLevel.VILLAGE, RegionLevel.VILLAGE, day))


def townships_with_committee(day: date) -> dict[int, float]:
    return _ones(_committee_regions(MediationLevel.TOWNSHIP, RegionLevel.TOWNSHIP, day))


def demonstration_points(day: date) -> dict[int, float]:
    """BJ-29: brand demonstration points standing at the end of the day, by their region."""
    return _count_by(_built_by(day).filter(is_demonstration=True), "region_id")


def tech_park_stations(day: date) -> dict[int, float]:
    """BJ-32: special stations in tech/startup parks standing at the end of the day."""
    return _count_by(
        _built_by(day).filter(level=ServicePointLevel.SPECIAL, special_kind=SpecialKind.TECH_PARK),
        "region_id",
    )


def stations_and_rooms(day: date) -> dict[int, float]:
    """BJ-31's denominator: township stations and village rooms standing at the end of the day."""
    return _count_by(
        _built_by(day).filter(level__in=(ServicePointLevel.STATION, ServicePointLevel.ROOM)),
        "region_id",
    )


def inspections(day: date) -> dict[int, float]:
    """BJ-31: inspections of stations and rooms on the day (the indicator sums a year)."""
    return _count_by(
        Inspection.objects.filter(
            inspected_on=day,
            point__level__in=(ServicePointLevel.STATION, ServicePointLevel.ROOM),
        ),
        "point__region_id",
    )


def video_service_realised(day: date) -> dict[int, float]:
    """BJ-34: 1 for a city where a video session has ended through a real video service (not
    the local recording backend) by the end of the day."""
    ended = VideoSession.objects.filter(status=VideoStatus.ENDED, ended_at__date__lte=day).exclude(
        backend="local"
    )
    paths = ended.values_list("citizen__region__path", flat=True).distinct().order_by()
    cities = {path.strip("/").split("/")[0] for path in paths if path}
    return _ones(Region.objects.filter(code__in=cities).values_list("pk", flat=True))


def _covered(measured: bool) -> dict[int, float]:
    """Villages meeting 城区一刻钟、农村半小时 for every basic service (today's network), either
    all on imported positions (measured) or resting on some 估算位置 (estimated)."""
    result: dict[int, float] = {}
    for code in geo.BOUNDARY_FILES:
        city = Region.objects.filter(code=code).first()
        if city is None:
            continue
        cover = planning.city_coverage(city)
        if not cover.villages:
            continue
        ok = np.ones(len(cover.villages), dtype=bool)
        exact = np.array([not v.estimated for v in cover.villages])
        for service in cover.policy.basic_services:
            index, minutes = cover.times(service)
            offering = cover.service_points(service)
            ok &= minutes <= cover.region.limit_min + 1e-9
            exact &= np.array([i >= 0 and not offering[i].estimated for i in index])
        chosen = ok & (exact if measured else ~exact)
        for i in np.flatnonzero(chosen):
            result[cover.villages[i].pk] = 1.0
    return result


def touched_days(since: datetime) -> set[date]:
    """Days whose figures a change since ``since`` may alter: for points, the day each change
    names as the first it alters (the services write it in the change's audit event) and the day
    of the change; for a point changed without such an event (an import, the admin), all its
    lifecycle dates. Inspection days, video sessions ended, positions imported, committees
    changed."""
    days, explained = _days_the_changes_name(since)
    for row in ServicePoint.objects.filter(updated_at__gte=since).values_list(
        "pk", "planned_on", "built_on", "opened_on", "suspended_on", "closed_on", "updated_at"
    ):
        days.add(timezone.localdate(row[6]))
        if row[0] not in explained:
            days |= {d for d in row[1:6] if d is not None}
    days |= set(
        Inspection.objects.filter(created_at__gte=since).values_list("inspected_on", flat=True)
    )
    for moment in VideoSession.objects.filter(ended_at__gte=since).values_list(
        "ended_at", flat=True
    ):
        days.add(timezone.localdate(moment))
    for moment in VillagePosition.objects.filter(imported_at__gte=since).values_list("imported_at", flat=True):  # fmt: skip
        days.add(timezone.localdate(moment))
    for moment in Institution.objects.filter(
        kind=InstitutionKind.MEDIATION_COMMITTEE, updated_at__gte=since
    ).values_list("created_at", flat=True):
        days.add(timezone.localdate(moment))
    return days


def _days_the_changes_name(since: datetime) -> tuple[set[date], set[int]]:
    """The ``figures_from`` days of the points' change events since ``since``, and the points
    those events explain."""
    days: set[date] = set()
    explained: set[int] = set()
    events = AuditEvent.objects.filter(
        occurred_at__gte=since, action__in=POINT_CHANGES, detail__has_key=FIGURES_FROM
    ).values_list("object_id", "detail")
    for object_id, detail in events:
        days.add(date.fromisoformat(detail[FIGURES_FROM]))
        explained.add(int(object_id))
    return days, explained


POINT_CHANGES = ("network.point_created", "network.point_updated", "network.point_status_changed")


def villages_covered_measured(day: date) -> dict[int, float]:
    return _covered(measured=True)


def villages_covered_estimated(day: date) -> dict[int, float]:
    return _covered(measured=False)


FLOW_COUNTERS: dict[str, Counter] = {
    "network.inspections": inspections,
}
STOCK_COUNTERS: dict[str, Counter] = {
    "network.districts_with_centre": districts_with_centre,
    "network.townships_with_station": townships_with_station,
    "network.districts": districts,
    "network.townships": townships,
    "network.villages": villages,
    "network.villages_with_committee": villages_with_committee,
    "network.townships_with_committee": townships_with_committee,
    "network.demonstration_points": demonstration_points,
    "network.tech_park_stations": tech_park_stations,
    "network.stations_and_rooms": stations_and_rooms,
    "network.video_service_realised": video_service_realised,
    "network.villages_covered_measured": villages_covered_measured,
    "network.villages_covered_estimated": villages_covered_estimated,
}
