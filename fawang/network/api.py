"""Network API: the public finder (nearest open points for a service); for the bureaus the points
in their scope, coverage figures (marked estimated when they rest on 估算位置) and inspections."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status as HttpStatus

from fawang.core.errors import InvalidInput, NotFound, PermissionDenied
from fawang.core.models import SUPERVISOR_ROLES, Region, RegionLevel
from fawang.core.web import acting_user
from fawang.network import finder, planning, selectors, services
from fawang.network.models import Service

router = Router(tags=["服务网络"])


class NearestOut(Schema):
    id: int
    name: str
    level: str
    address: str
    opening_hours: str
    weekend_service: bool
    barrier_free: bool
    phone: str
    latitude: float
    longitude: float
    estimated_position: bool
    distance_km: float
    minutes: int


class PointOut(Schema):
    id: int
    name: str
    level: str
    special_kind: str
    host: str
    region_code: str = Field(..., alias="region.code")
    status: str
    services: list[str]
    opening_hours: str
    weekend_service: bool
    barrier_free: bool
    languages: list[str]
    staff_on_duty: int
    estimated_position: bool


class ShareOut(Schema):
    region_code: str
    region_name: str
    within_15_pct: float | None
    within_30_pct: float | None
    meeting_standard_pct: float | None
    weight: float


class CoverageOut(Schema):
    service: str
    estimated: bool
    weight_basis: str
    shares: list[ShareOut]
    uncovered: int


class InspectionIn(Schema):
    inspected_on: date
    checklist: dict[str, bool]
    findings: str = Field("", max_length=2000)


class InspectionOut(Schema):
    id: int
    point_id: int
    inspected_on: date
    status: str
    findings: str
    rectification_due: date | None


@router.get("/network/nearest", response=list[NearestOut], auth=None)
def nearest(
    request: HttpRequest,
    service: str = Service.LEGAL_AID,
    region: str = "",
    lat: float | None = None,
    lon: float | None = None,
) -> Any:
    """The nearest open points offering ``service`` from a region code or a position."""
    if service not in Service.values:
        raise InvalidInput(_("未知的服务。"), code="bad_choice", field="service")
    origin = None
    if lat is not None and lon is not None:
        origin = finder.origin_from_position(lat, lon)
    elif region:
        place = Region.objects.filter(code=region[:12]).first()
        origin = finder.origin_from_region(place) if place else None
    if origin is None:
        raise NotFound(_("未找到该位置所在的城市，请提供区划代码或本市范围内的经纬度。"))
    return [
        {
            "id": f.point.pk, "name": f.point.name, "level": f.point.level,
            "address": f.point.address, "opening_hours": f.point.opening_hours,
            "weekend_service": f.point.weekend_service, "barrier_free": f.point.barrier_free,
            "phone": f.point.phone, "latitude": f.lat, "longitude": f.lon,
            "estimated_position": f.estimated or origin.estimated, "distance_km": f.km,
            "minutes": f.minutes,
        }
        for f in finder.nearest_points(origin, service)
    ]  # fmt: skip


@router.get("/network/points", response=list[PointOut])
def points(request: HttpRequest, status: str = "") -> Any:
    qs = selectors.points_for_user(acting_user(request))
    if status:
        qs = qs.filter(status=status)
    for point in (rows := list(qs[:500])):
        point.estimated_position = point.latitude is None  # type: ignore[attr-defined]
    return rows


@router.get("/network/coverage", response=CoverageOut)
def coverage(request: HttpRequest, service: str = Service.LEGAL_AID) -> Any:
    user = acting_user(request)
    if user.role not in SUPERVISOR_ROLES or user.region is None:
        raise PermissionDenied(_("只有司法行政机关可以查看网络覆盖。"), code="not_manager")
    city = Region.objects.filter(code=user.region.path.strip("/").split("/")[0]).first()
    if city is None:
        raise InvalidInput(_("您的账号没有所属地区。"), code="no_region")
    cover = planning.city_coverage(city)
    if service not in cover.policy.basic_services:
        raise InvalidInput(_("只统计基本公共法律服务。"), code="bad_choice", field="service")
    level = RegionLevel.DISTRICT if user.region.level == RegionLevel.CITY else RegionLevel.TOWNSHIP
    shares = cover.shares(service, level)
    names = Region.objects.in_bulk(list(shares))
    rows = [
        ShareOut(
            region_code=names[pk].code, region_name=names[pk].name,
            within_15_pct=s.pct(s.within_15), within_30_pct=s.pct(s.within_30),
            meeting_standard_pct=s.pct(s.meeting), weight=s.weight,
        )
        for pk, s in shares.items()
        if pk in names and user.region.contains(names[pk])
    ]  # fmt: skip
    village_ids = {pk for pk in names if user.region.contains(names[pk])}
    uncovered = [
        v for v, _m, _p in cover.uncovered(service)
        if {v.township_id, v.district_id} & village_ids or user.region.level == RegionLevel.CITY
    ]  # fmt: skip
    return CoverageOut(
        service=service, estimated=cover.estimated, weight_basis=cover.weight_basis,
        shares=rows, uncovered=len(uncovered),
    )  # fmt: skip


@router.post("/network/points/{point_id}/inspections", response={201: InspectionOut})
def inspect(request: HttpRequest, point_id: int, payload: InspectionIn) -> Any:
    inspection = services.record_inspection(
        acting_user(request), point_id, inspected_on=payload.inspected_on,
        checklist=payload.checklist, findings=payload.findings,
    )  # fmt: skip
    return HttpStatus(201, inspection)


@router.get("/network/inspections", response=list[InspectionOut])
def inspections(request: HttpRequest) -> Any:
    return list(selectors.inspections_for_user(acting_user(request))[:500])
