"""Console pages for the city and district bureaus: service points and their lifecycle, the
coverage map with the uncovered villages and the siting recommendation, inspections, imports."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fawang.core.errors import DomainError, InvalidInput
from fawang.core.models import SUPERVISOR_ROLES, Region, RegionLevel, User
from fawang.core.web import acting_user, page_of, staff_view
from fawang.network import imports, planning, selectors, services
from fawang.network.models import (
    InspectionStatus,
    PointStatus,
    Service,
    ServicePointLevel,
    SpecialKind,
)
from fawang.network.policy import network_policy

MAX_K = 50
TEXT_FIELDS = ("name", "level", "region_code", "special_kind", "host", "address", "directions",
               "phone", "opening_hours", "latitude", "longitude")  # fmt: skip


def _city(user: User) -> Region | None:
    if user.region is None:
        return None
    code = user.region.path.strip("/").split("/")[0]
    return Region.objects.filter(code=code).first()


@staff_view(*SUPERVISOR_ROLES)
def points(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    qs = selectors.points_for_user(user)
    level, status = request.GET.get("level", ""), request.GET.get("status", "")
    if level in ServicePointLevel.values:
        qs = qs.filter(level=level)
    if status in PointStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "network/points.html",
        {
            "page": page_of(request, qs, 30),
            "levels": ServicePointLevel.choices,
            "statuses": PointStatus.choices,
            "level": level,
            "status": status,
            "can_manage": user.role in services.MANAGERS,
        },
    )


def _lines(value: str) -> list[str]:
    return [
        part.strip()
        for part in value.replace("，", ",").replace("、", ",").split(",")
        if part.strip()
    ]


def _int(value: str) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return -1


def _point_in(post: Any) -> services.PointIn:
    return services.PointIn(
        **{name: post.get(name, "") for name in TEXT_FIELDS},
        weekend_service=post.get("weekend_service") == "on",
        windows=_int(post.get("windows")),
        rooms=_int(post.get("rooms")),
        staff_on_duty=_int(post.get("staff_on_duty")),
        services=post.getlist("services"),
        barrier_free=post.get("barrier_free") == "on",
        barrier_free_features=_lines(post.get("barrier_free_features", "")),
        languages=_lines(post.get("languages", "")),
    )


def _form_context(values: dict[str, Any], error: DomainError | None) -> dict[str, Any]:
    return {
        "values": values,
        "error": error.message if error else "",
        "error_field": error.field if error else "",
        "levels": ServicePointLevel.choices,
        "special_kinds": SpecialKind.choices,
        "service_choices": Service.choices,
    }


@staff_view(*services.MANAGERS)
def point_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    values: dict[str, Any] = {"services": []}
    error = None
    if request.method == "POST":
        data = _point_in(request.POST)
        values = {**request.POST.dict(), "services": data.services}
        try:
            point = services.create_point(user, data)
            return redirect("network:point", point_id=point.pk)
        except DomainError as exc:
            error = exc
    return render(request, "network/point_form.html", _form_context(values, error),
                  status=400 if error else 200)  # fmt: skip


@staff_view(*SUPERVISOR_ROLES)
def point_detail(request: HttpRequest, point_id: int) -> HttpResponse:
    user = acting_user(request)
    point = selectors.get_point_for_user(user, point_id)
    error = None
    if request.method == "POST":
        data = _point_in(request.POST)
        try:
            services.update_point(user, point.pk, data)
            return redirect("network:point", point_id=point.pk)
        except DomainError as exc:
            error = exc
    values = {name: getattr(point, name, "") or "" for name in TEXT_FIELDS if name != "region_code"}
    values.update(
        region_code=point.region.code, windows=point.windows, rooms=point.rooms,
        staff_on_duty=point.staff_on_duty, weekend_service=point.weekend_service,
        barrier_free=point.barrier_free, services=point.services,
        barrier_free_features="、".join(point.barrier_free_features),
        languages="、".join(point.languages),
    )  # fmt: skip
    if error is not None:
        values = {**request.POST.dict(), "services": request.POST.getlist("services")}
    policy = network_policy(point.region)
    return render(
        request,
        "network/point_detail.html",
        {
            **_form_context(values, error),
            "point": point,
            "standard": policy.functions[point.level],
            "next_statuses": [(s, PointStatus(s).label) for s in services.NEXT_STATUS[PointStatus(point.status)]],
            "inspections": point.inspections.all()[:10],
            "checklist": policy.checklist[point.level],
            "can_manage": services.manages(user, point.region),
        },
        status=400 if error else 200,
    )  # fmt: skip


@staff_view(*services.MANAGERS)
@require_POST
def point_status(request: HttpRequest, point_id: int) -> HttpResponse:
    user = acting_user(request)
    try:
        services.change_status(user, point_id, request.POST.get("status", ""))
    except DomainError as exc:
        point = selectors.get_point_for_user(user, point_id)
        return render(request, "network/message.html", {"message": exc.message, "point": point}, status=exc.status)  # fmt: skip
    return redirect("network:point", point_id=point_id)


@staff_view(*services.MANAGERS)
@require_POST
def inspect(request: HttpRequest, point_id: int) -> HttpResponse:
    user = acting_user(request)
    point = selectors.get_point_for_user(user, point_id)
    items = network_policy(point.region).checklist[point.level]
    try:
        on = date.fromisoformat(request.POST.get("inspected_on", ""))
    except ValueError:
        return render(request, "network/message.html", {"message": _("请填写正确的巡查日期。"), "point": point}, status=400)  # fmt: skip
    checklist = {item: request.POST.get(f"item-{i}") == "on" for i, item in enumerate(items)}
    try:
        services.record_inspection(
            user, point.pk, inspected_on=on, checklist=checklist,
            findings=request.POST.get("findings", ""),
        )  # fmt: skip
    except DomainError as exc:
        return render(request, "network/message.html", {"message": exc.message, "point": point}, status=exc.status)  # fmt: skip
    return redirect("network:point", point_id=point.pk)


@staff_view(*SUPERVISOR_ROLES)
def inspections(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    qs = selectors.inspections_for_user(user)
    wanted = request.GET.get("status", "")
    if wanted in InspectionStatus.values:
        qs = qs.filter(status=wanted)
    return render(
        request,
        "network/inspections.html",
        {"page": page_of(request, qs, 30), "statuses": InspectionStatus.choices, "wanted": wanted,
         "can_manage": user.role in services.MANAGERS},
    )  # fmt: skip


@staff_view(*services.MANAGERS)
@require_POST
def rectified(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    try:
        on = date.fromisoformat(request.POST.get("rectified_on", ""))
        services.record_rectified(user, inspection_id, on)
    except ValueError:
        return render(request, "network/message.html", {"message": _("请填写正确的整改完成日期。")}, status=400)  # fmt: skip
    except DomainError as exc:
        return render(request, "network/message.html", {"message": exc.message}, status=exc.status)  # fmt: skip
    return redirect("network:inspections")


@staff_view(*SUPERVISOR_ROLES)
def coverage_page(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    city = _city(user)
    if city is None:
        raise InvalidInput(_("您的账号没有所属地区。"), code="no_region")
    cover = planning.city_coverage(city)
    service = request.GET.get("service", Service.LEGAL_AID)
    if service not in cover.policy.basic_services:
        service = cover.policy.basic_services[0]
    try:
        k = max(0, min(MAX_K, int(request.GET.get("k", "10"))))
    except ValueError:
        k = 10
    scope = user.region or city
    in_scope = {v.pk for v in cover.villages if _under(v, scope)}
    level = RegionLevel.TOWNSHIP if scope.level != RegionLevel.CITY else RegionLevel.DISTRICT
    table = _share_rows(cover, service, level, scope)
    uncovered = [row for row in cover.uncovered(service) if row[0].pk in in_scope]
    within = None if scope.level == RegionLevel.CITY else in_scope
    recommendation = cover.recommend(service, k, within) if k else []
    return render(
        request,
        "network/coverage.html",
        {
            "cover": cover,
            "service": service,
            "services": [(s, Service(s).label) for s in cover.policy.basic_services],
            "k": k,
            "scope": scope,
            "city_row": _city_row(cover, service),
            "table": table,
            "uncovered": uncovered[:100],
            "uncovered_count": len(uncovered),
            "recommendation": recommendation,
            "map_data": _coverage_map(cover, service, recommendation, in_scope),
        },
    )


def _city_row(cover: planning.CityCoverage, service: str) -> tuple[Any, ...] | None:
    share = cover.shares(service, RegionLevel.CITY).get(cover.city.pk)
    if share is None:
        return None
    return share.pct(share.within_15), share.pct(share.within_30), share.pct(share.meeting)


def _under(village: planning.Village, scope: Region) -> bool:
    if scope.level == RegionLevel.CITY:
        return True
    return scope.pk in (village.district_id, village.township_id, village.pk)


def _share_rows(cover: planning.CityCoverage, service: str, level: str, scope: Region) -> list[Any]:
    shares = cover.shares(service, level)
    names = Region.objects.in_bulk(list(shares))
    rows = []
    for pk, share in shares.items():
        region = names.get(pk)
        if region is None or not scope.contains(region):
            continue
        rows.append((region, share.pct(share.within_15), share.pct(share.within_30), share.pct(share.meeting), int(share.weight)))  # fmt: skip
    rows.sort(key=lambda row: (row[3] if row[3] is not None else 0, row[0].code))
    return rows


def _coverage_map(cover: planning.CityCoverage, service: str, recommendation: list[Any], in_scope: set[int]) -> dict[str, Any]:  # fmt: skip
    _times, minutes = cover.times(service)
    ok = minutes <= cover.region.limit_min + 1e-9
    villages = [
        [round(v.lon, 5), round(v.lat, 5), int(bool(ok[i])), v.name]
        for i, v in enumerate(cover.villages) if v.pk in in_scope
    ]  # fmt: skip
    return {
        "city": cover.city.code,
        "boundaries": f"/map/boundaries/{cover.city.code}.geojson",
        "villages": villages,
        "points": [
            {"name": p.name, "lat": p.lat, "lon": p.lon, "estimated": p.estimated, "level": p.level}
            for p in cover.service_points(service)
        ],
        "sites": [{"name": v.name, "lat": v.lat, "lon": v.lon, "gain": gain} for v, gain in recommendation],
        "estimated": cover.estimated,
    }  # fmt: skip


@staff_view(*services.MANAGERS)
def import_page(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    result, error = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise InvalidInput(_("请选择要导入的文件。"), code="required", field="file")
            if (upload.size or 0) > 5 * 1024 * 1024:
                raise InvalidInput(_("文件不能超过 5 MB。"), code="too_large", field="file")
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise InvalidInput(
                    _("文件应为 UTF-8 编码。"), code="bad_encoding", field="file"
                ) from None
            result = imports.import_positions(
                user, request.POST.get("target", ""), upload.name or "", text
            )
        except DomainError as exc:
            error = exc.message
    status = 400 if error or (result and result.errors) else 200
    return render(request, "network/import.html", {"result": result, "error": error}, status=status)
