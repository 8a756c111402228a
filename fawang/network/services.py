"""Network use cases: keeping service points (levels, functions, lifecycle), station inspections
with rectification deadlines, and remote video sessions. Each verb checks who acts, validates,
writes in one transaction and audits. Imports of positions: ``network.imports``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fawang.core.models import Region, RegionLevel, Role, User
from fawang.core.rows import lock
from fawang.core.validation import clean_choice, clean_text
from fawang.network import video
from fawang.network.models import (
    FIGURES_FROM,
    Inspection,
    InspectionStatus,
    PointStatus,
    Service,
    ServicePoint,
    ServicePointLevel,
    SpecialKind,
    VideoSession,
    VideoStatus,
)
from fawang.network.policy import network_policy
from fawang.network.selectors import get_point_for_user, inspections_for_user
from fawang.policy.deadlines import deadline_from_day, due_day

MANAGERS = (Role.SUPERVISOR_CITY, Role.SUPERVISOR_DISTRICT)
# Which region level each level of point serves (a special station may sit at any level).
LEVEL_REGION: dict[str, set[str]] = {
    ServicePointLevel.CENTRE: {RegionLevel.CITY, RegionLevel.DISTRICT},
    ServicePointLevel.STATION: {RegionLevel.TOWNSHIP},
    ServicePointLevel.ROOM: {RegionLevel.VILLAGE},
    ServicePointLevel.SPECIAL: set(RegionLevel.values),
}
# Lifecycle: which status may follow which, and the date field each sets.
NEXT_STATUS = {
    PointStatus.PLANNED: {PointStatus.BUILT, PointStatus.CLOSED},
    PointStatus.BUILT: {PointStatus.OPEN, PointStatus.CLOSED},
    PointStatus.OPEN: {PointStatus.SUSPENDED, PointStatus.CLOSED},
    PointStatus.SUSPENDED: {PointStatus.OPEN, PointStatus.CLOSED},
    PointStatus.CLOSED: set(),
}
STATUS_DATE = {
    PointStatus.PLANNED: "planned_on",
    PointStatus.BUILT: "built_on",
    PointStatus.OPEN: "opened_on",
    PointStatus.SUSPENDED: "suspended_on",
    PointStatus.CLOSED: "closed_on",
}


def manages(user: User, region: Region) -> bool:
    return user.role in MANAGERS and user.region is not None and user.region.contains(region)


def _require_manager(user: User, region: Region) -> None:
    if not manages(user, region):
        raise PermissionDenied(
            _("只有主管该地区的市、区司法局可以管理服务场所。"), code="not_manager"
        )


# --- service points -----------------------------------------------------------------------------


@dataclass
class PointIn:
    name: str
    level: str
    region_code: str
    special_kind: str = ""
    host: str = ""
    address: str = ""
    directions: str = ""
    phone: str = ""
    opening_hours: str = ""
    weekend_service: bool = False
    windows: int = 0
    rooms: int = 0
    staff_on_duty: int = 0
    services: list[str] = field(default_factory=list)
    barrier_free: bool = False
    barrier_free_features: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    latitude: str = ""
    longitude: str = ""


def _coordinate(value: str, low: float, high: float, field_name: str, label: str) -> Any:
    if value in ("", None):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(
            capfirst(_("%(label)s应为数字。") % {"label": label}),
            code="bad_coordinate",
            field=field_name,
        ) from None
    if not low <= number <= high:
        raise InvalidInput(
            capfirst(
                _("%(label)s应在 %(low)s 到 %(high)s 之间。")
                % {"label": label, "low": low, "high": high}
            ),
            code="bad_coordinate",
            field=field_name,
        )
    return number.quantize(Decimal("0.000001"))


def _clean_point(data: PointIn) -> dict[str, Any]:
    level = clean_choice(data.level, ServicePointLevel.values, "level", "层级")
    region = Region.objects.filter(code=data.region_code).first()
    if region is None:
        raise InvalidInput(_("请选择所在行政区划。"), code="required", field="region_code")
    if region.level not in LEVEL_REGION[ServicePointLevel(level)]:
        raise InvalidInput(
            capfirst(
                _("%(level)s应设在%(regions)s。")
                % {"level": ServicePointLevel(level).label, "regions": _levels(level)}
            ),
            code="level_region",
            field="region_code",
        )
    special = data.special_kind or ""
    host = clean_text(data.host, 200, "host", "依托单位", required=level == "special")
    if level == ServicePointLevel.SPECIAL:
        clean_choice(special, SpecialKind.values, "special_kind", "特色站点类别")
    elif special:
        raise InvalidInput(
            _("只有特色工作站需要填写类别。"), code="bad_choice", field="special_kind"
        )
    unknown = set(data.services) - set(Service.values)
    if unknown:
        raise InvalidInput(
            _("未知的服务：%(services)s") % {"services": _("、").join(sorted(unknown))},
            code="bad_choice",
            field="services",
        )
    for number, name in (
        (data.windows, "windows"),
        (data.rooms, "rooms"),
        (data.staff_on_duty, "staff_on_duty"),
    ):
        if not isinstance(number, int) or not 0 <= number <= 200:
            raise InvalidInput(_("数量应为 0 到 200 之间的整数。"), code="bad_number", field=name)
    latitude = _coordinate(data.latitude, 3.8, 53.6, "latitude", _("纬度"))
    longitude = _coordinate(data.longitude, 73.5, 135.1, "longitude", _("经度"))
    if (latitude is None) != (longitude is None):
        raise InvalidInput(_("经度和纬度应同时填写。"), code="bad_coordinate", field="latitude")
    return {
        "name": clean_text(data.name, 200, "name", "名称"),
        "level": level,
        "region": region,
        "special_kind": special,
        "host": host,
        "address": clean_text(data.address, 200, "address", "地址", required=False),
        "directions": clean_text(data.directions, 300, "directions", "到达方式", required=False),
        "phone": clean_text(data.phone, 40, "phone", "服务电话", required=False),
        "opening_hours": clean_text(data.opening_hours, 100, "opening_hours", "开放时间", required=False),
        "weekend_service": bool(data.weekend_service),
        "windows": data.windows,
        "rooms": data.rooms,
        "staff_on_duty": data.staff_on_duty,
        "services": [s for s in Service.values if s in set(data.services)],
        "barrier_free": bool(data.barrier_free or data.barrier_free_features),
        "barrier_free_features": [clean_text(f, 40, "barrier_free_features", "无障碍设施") for f in data.barrier_free_features],
        "languages": [clean_text(x, 20, "languages", "服务语言") for x in data.languages],
        "latitude": latitude,
        "longitude": longitude,
    }  # fmt: skip


def _levels(level: str) -> str:
    names = {RegionLevel.CITY: _("市"), RegionLevel.DISTRICT: _("区县"), RegionLevel.TOWNSHIP: _("乡镇（街道）"), RegionLevel.VILLAGE: _("村（社区）")}  # fmt: skip
    return _("或").join(
        names[RegionLevel(x)] for x in sorted(LEVEL_REGION[ServicePointLevel(level)])
    )


def create_point(actor: User, data: PointIn, *, status: str = PointStatus.PLANNED) -> ServicePoint:
    values = _clean_point(data)
    _require_manager(actor, values["region"])
    status = clean_choice(status, PointStatus.values, "status", "状态")
    with transaction.atomic():
        if ServicePoint.objects.filter(name=values["name"]).exists():
            raise Conflict(_("已有同名的服务场所。"), code="duplicate_name", field="name")
        point = ServicePoint(**values, status=status)
        today = timezone.localdate()
        setattr(point, STATUS_DATE[PointStatus(status)], today)
        point.save()
        record_event(
            "network.point_created",
            actor=actor,
            obj=point,
            detail={"level": point.level, FIGURES_FROM: today.isoformat()},
        )
    return point


def update_point(actor: User, point_id: int, data: PointIn) -> ServicePoint:
    get_point_for_user(actor, point_id)  # 404 outside the scope
    values = _clean_point(data)
    _require_manager(actor, values["region"])
    with transaction.atomic():
        point = lock(ServicePoint, point_id)
        if ServicePoint.objects.filter(name=values["name"]).exclude(pk=point.pk).exists():
            raise Conflict(_("已有同名的服务场所。"), code="duplicate_name", field="name")
        counted_before = _counted(point)
        for key, value in values.items():
            setattr(point, key, value)
        point.save()
        record_event(
            "network.point_updated",
            actor=actor,
            obj=point,
            detail={FIGURES_FROM: _figures_from(point, counted_before).isoformat()},
        )
    return point


def _counted(point: ServicePoint) -> tuple[Any, ...]:
    """What the network's stock counters read of a point besides its status and dates."""
    return (point.level, point.region_id, point.special_kind, point.is_demonstration)


def _figures_from(point: ServicePoint, counted_before: tuple[Any, ...]) -> date:
    today = timezone.localdate()
    if _counted(point) == counted_before:
        return today
    return min(
        [today, *(getattr(point, name) for name in STATUS_DATE.values() if getattr(point, name))]
    )


def change_status(actor: User, point_id: int, status: str, on: date | None = None) -> ServicePoint:
    point = get_point_for_user(actor, point_id)
    _require_manager(actor, point.region)
    status = clean_choice(status, PointStatus.values, "status", "状态")
    on = on or timezone.localdate()
    with transaction.atomic():
        point = lock(ServicePoint, point_id)
        if status not in NEXT_STATUS[PointStatus(point.status)]:
            raise Conflict(
                _("服务场所当前为“%(current)s”，不能改为“%(wanted)s”。")
                % {"current": point.get_status_display(), "wanted": PointStatus(status).label},
                code="bad_state",
                field="status",
            )
        previous = point.status
        replaced = getattr(point, STATUS_DATE[PointStatus(status)])
        point.status = status
        setattr(point, STATUS_DATE[PointStatus(status)], on)
        point.save()
        figures_from = min(d for d in (on, replaced, timezone.localdate()) if d is not None)
        record_event(
            "network.point_status_changed",
            actor=actor,
            obj=point,
            detail={
                "from": previous,
                "to": status,
                "on": on.isoformat(),
                FIGURES_FROM: figures_from.isoformat(),
            },
        )
    return point


# --- inspections (BJ-31) ------------------------------------------------------------------------


def record_inspection(
    actor: User,
    point_id: int,
    *,
    inspected_on: date,
    checklist: dict[str, bool],
    findings: str = "",
) -> Inspection:
    """The district bureau's visit: a checklist for the point's level (from the pack); any item
    failed or any finding opens a rectification with the pack's deadline."""
    point = get_point_for_user(actor, point_id)
    _require_manager(actor, point.region)
    policy = network_policy(point.region)
    items = policy.checklist[point.level]
    if set(checklist) != set(items):
        raise InvalidInput(_("请逐项填写检查表。"), code="checklist_incomplete", field="checklist")
    if inspected_on > timezone.localdate():
        raise InvalidInput(_("巡查日期不能晚于今天。"), code="future_date", field="inspected_on")
    findings = clean_text(findings, 2000, "findings", "发现的问题", required=False)
    failed = [item for item in items if not checklist[item]]
    if failed and not findings:
        raise InvalidInput(_("有未达标项目时请写明发现的问题。"), code="required", field="findings")
    needs_fix = bool(failed or findings)
    due = (
        due_day(deadline_from_day(inspected_on, policy.rectification_period)) if needs_fix else None
    )
    with transaction.atomic():
        inspection = Inspection.objects.create(
            point=point,
            inspected_on=inspected_on,
            inspector=actor,
            checklist={item: bool(checklist[item]) for item in items},
            findings=findings,
            rectification_due=due,
            status=InspectionStatus.RECTIFYING if needs_fix else InspectionStatus.PASSED,
        )
        record_event(
            "network.inspection_recorded",
            actor=actor,
            obj=inspection,
            detail={"point": point.pk, "failed": len(failed)},
        )
    return inspection


def record_rectified(actor: User, inspection_id: int, on: date) -> Inspection:
    found = inspections_for_user(actor).filter(pk=inspection_id).first()
    if found is None:
        raise NotFound(_("未找到该记录，或您无权查看。"))
    _require_manager(actor, found.point.region)
    if on < found.inspected_on or on > timezone.localdate():
        raise InvalidInput(
            _("整改完成日期应在巡查日期和今天之间。"), code="bad_date", field="rectified_on"
        )
    with transaction.atomic():
        inspection = lock(Inspection, inspection_id)
        if inspection.status != InspectionStatus.RECTIFYING:
            raise Conflict(_("该巡查没有待整改的问题。"), code="bad_state")
        inspection.status = InspectionStatus.RECTIFIED
        inspection.rectified_on = on
        inspection.save(update_fields=["status", "rectified_on"])
        record_event("network.inspection_rectified", actor=actor, obj=inspection)
    return inspection


# --- remote video (BJ-34) -----------------------------------------------------------------------


def start_video(citizen: User, topic: str, point_id: int | None = None) -> VideoSession:
    if not citizen.is_citizen:
        raise PermissionDenied(_("请以群众账号预约远程视频服务。"), code="not_citizen")
    topic = clean_text(topic, 200, "topic", "咨询事项")
    point = None
    if point_id is not None:
        point = ServicePoint.objects.filter(pk=point_id, status=PointStatus.OPEN).first()
        if point is None:
            raise InvalidInput(_("所选服务场所不存在或未开放。"), code="no_point", field="point_id")
    with transaction.atomic():
        session = VideoSession.objects.create(
            point=point, citizen=citizen, topic=topic, backend="", room="", join_url=""
        )
        backend = video.backend()
        room = backend.open_room(f"network-video-{session.pk}", topic)
        session.backend, session.room, session.join_url = backend.name, room.room, room.join_url
        session.save(update_fields=["backend", "room", "join_url"])
        record_event("network.video_started", actor=citizen, obj=session)
    return session


def end_video(actor: User, session_id: int) -> VideoSession:
    with transaction.atomic():
        session = (
            VideoSession.objects.select_for_update().filter(pk=session_id, citizen=actor).first()
        )
        if session is None:
            raise NotFound(_("未找到该记录，或您无权查看。"))
        if session.status == VideoStatus.ENDED:
            raise Conflict(_("该视频服务已结束。"), code="bad_state")
        video.backend().close_room(session.room)
        session.status, session.ended_at = VideoStatus.ENDED, timezone.now()
        session.save(update_fields=["status", "ended_at"])
        record_event("network.video_ended", actor=actor, obj=session)
    return session
