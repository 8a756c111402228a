"""Public pages: the finder (/service-points/) and the map (/map/) with the packaged boundaries,
and the citizen's remote video service. Console pages: ``network.console``."""

from __future__ import annotations

import contextlib
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fawang.core import selectors as core_selectors
from fawang.core.errors import DomainError, NotFound
from fawang.core.models import Region, RegionLevel
from fawang.core.replica import reads_replica
from fawang.core.web import acting_user, citizen_view, district_choices, township_choices
from fawang.network import finder, geo, planning, services
from fawang.network.models import Service, ServicePoint
from fawang.network.selectors import video_sessions_for_citizen

FINDER_SERVICES = [(s.value, s.label) for s in Service if s != Service.VIDEO]


def _float(value: str | None, low: float, high: float) -> float | None:
    try:
        number = float(value or "")
    except ValueError:
        return None
    return number if low <= number <= high else None


def _region(code: str, level: str) -> Region | None:
    if not code:
        return None
    return Region.objects.filter(code=code[:12], level=level).first()


def _village_choices(township: Region | None) -> list[tuple[str, str]]:
    if township is None:
        return []
    rows = core_selectors.regions(parent_code=township.code, level=RegionLevel.VILLAGE)
    return [(r.code, r.name) for r in rows.order_by("code")]


def _point_row(point: ServicePoint, lat: float, lon: float, estimated: bool) -> dict[str, Any]:
    return {
        "id": point.pk,
        "name": point.name,
        "level": str(point.get_level_display()),
        "lat": lat,
        "lon": lon,
        "estimated": estimated,
        "hours": point.opening_hours,
        "address": point.address,
    }


def finder_page(request: HttpRequest, *, map_first: bool = False) -> HttpResponse:
    service = request.GET.get("service", Service.LEGAL_AID)
    if service not in dict(FINDER_SERVICES):
        service = Service.LEGAL_AID
    district = _region(request.GET.get("district", ""), RegionLevel.DISTRICT)
    township = _region(request.GET.get("township", ""), RegionLevel.TOWNSHIP)
    if township is not None and (district is None or township.parent_id != district.pk):
        township = None
    village = _region(request.GET.get("village", ""), RegionLevel.VILLAGE)
    if village is not None and (township is None or village.parent_id != township.pk):
        village = None
    lat = _float(request.GET.get("lat"), -90, 90)
    lon = _float(request.GET.get("lon"), -180, 180)
    origin = None
    if lat is not None and lon is not None:
        origin = finder.origin_from_position(lat, lon)
    elif village or township or district:
        origin = finder.origin_from_region(village or township or district)  # type: ignore[arg-type]
    found = finder.nearest_points(origin, service) if origin else []
    city_code = request.GET.get("city", "110000000000")[:12]
    map_data: dict[str, Any] = {}
    if origin is not None:
        map_data = {
            "city": origin.city.code,
            "boundaries": f"/map/boundaries/{origin.city.code}.geojson",
            "origin": {"lat": origin.lat, "lon": origin.lon, "estimated": origin.estimated,
                       "label": origin.label},
            "points": [_point_row(f.point, f.lat, f.lon, f.estimated) for f in found],
        }  # fmt: skip
    elif map_first:
        map_data = _city_map(city_code, service)
    return render(
        request,
        "network/finder.html",
        {
            "services": FINDER_SERVICES,
            "service": service,
            "service_label": dict(FINDER_SERVICES)[service],
            "districts": district_choices(),
            "townships": township_choices(district.code if district else None),
            "villages": _village_choices(township),
            "district": district.code if district else "",
            "township": township.code if township else "",
            "village": village.code if village else "",
            "origin": origin,
            "located": lat is not None and origin is None,
            "found": found,
            "map_data": map_data,
            "any_estimated": any(f.estimated for f in found) or bool(origin and origin.estimated),
            "map_first": map_first,
            "cities": Region.objects.filter(code__in=list(geo.BOUNDARY_FILES)).order_by("code"),
            "city": city_code,
        },
    )


def _city_map(city_code: str, service: str) -> dict[str, Any]:
    city = Region.objects.filter(code=city_code, level=RegionLevel.CITY).first()
    if city is None or city_code not in geo.BOUNDARY_FILES:
        return {}
    cover = planning.city_coverage(city)
    offering = cover.service_points(service)
    objects = ServicePoint.objects.in_bulk([p.pk for p in offering])
    return {
        "city": city.code,
        "boundaries": f"/map/boundaries/{city.code}.geojson",
        "points": [
            _point_row(objects[p.pk], p.lat, p.lon, p.estimated)
            for p in offering
            if p.pk in objects
        ],
    }


@reads_replica
def finder_view(request: HttpRequest) -> HttpResponse:
    return finder_page(request)


@reads_replica
def map_view(request: HttpRequest) -> HttpResponse:
    return finder_page(request, map_first=True)


def boundaries(request: HttpRequest, code: str) -> HttpResponse:
    text = geo.boundary_geojson(code)
    if not text:
        raise NotFound(_("没有该市的边界数据。"))
    response = HttpResponse(text, content_type="application/geo+json; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@citizen_view
def video(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    error = ""
    if request.method == "POST":
        point = request.POST.get("point", "")
        try:
            session = services.start_video(
                user, request.POST.get("topic", ""), int(point) if point.isdigit() else None
            )
            return redirect("network:video_room", room=session.room)
        except DomainError as exc:
            error = exc.message
    return render(
        request,
        "network/video.html",
        {"sessions": video_sessions_for_citizen(user)[:20], "error": error},
        status=400 if error else 200,
    )


@citizen_view
def video_room(request: HttpRequest, room: str) -> HttpResponse:
    session = video_sessions_for_citizen(acting_user(request)).filter(room=room[:80]).first()
    if session is None:
        raise NotFound(_("未找到该视频服务。"))
    return render(request, "network/video_room.html", {"session": session})


@citizen_view
@require_POST
def video_end(request: HttpRequest, room: str) -> HttpResponse:
    user = acting_user(request)
    session = video_sessions_for_citizen(user).filter(room=room[:80]).first()
    if session is None:
        raise NotFound(_("未找到该视频服务。"))
    with contextlib.suppress(DomainError):  # already ended: the page shows the state
        services.end_video(user, session.pk)
    return redirect("network:video")
