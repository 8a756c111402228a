"""The demo world's walk-in network (DEMO ONLY): a centre per district and the city and stations in
townships (planned with the rest of the world in ``core.demo``), then rooms in some villages, two
tech-park stations, weekend service and languages on some points, demonstration points, and a
year of inspections. Positions stay unimported: every page shows them as 估算位置."""

from __future__ import annotations

import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.demo import planned_service_points
from fawang.core.errors import InvalidInput
from fawang.core.models import Region, RegionLevel, Role, User
from fawang.network.models import (
    Inspection,
    InspectionStatus,
    PointStatus,
    ServicePoint,
    ServicePointLevel,
    SpecialKind,
)
from fawang.network.policy import network_policy

ROOM_SHARE = 0.08  # villages with a room of their own in the demo
# Real parks in the demo districts (host, township name, district code).
TECH_PARKS = (
    ("中关村软件园", "西北旺镇", "110108000000"),
    ("中关村生命科学园", "回龙观街道", "110114000000"),
)


def build_demo_service_points(*, seed: int = 2026) -> dict[str, int]:
    """Create the network of the demo world that is missing; idempotent."""
    if settings.MODE != "demo":
        raise InvalidInput("演示数据只能在演示模式（FAWANG_MODE=demo）下生成。")
    rng = random.Random(seed)
    with transaction.atomic():
        existing = set(ServicePoint.objects.values_list("name", flat=True))
        missing = [
            ServicePoint(
                name=point.name,
                level=point.level,
                region=point.region,
                institution_id=operator_id,
                address=point.address,
                phone=point.phone,
                opening_hours=point.opening_hours,
                windows=point.windows,
                barrier_free=point.barrier_free,
                latitude=point.latitude,
                longitude=point.longitude,
                weekend_service=point.level == "centre",
                staff_on_duty=point.windows + 1,
                languages=["普通话"],
            )
            for operator_id, point in planned_service_points()
            if point.name not in existing
        ]
        ServicePoint.objects.bulk_create(missing, batch_size=500)
        created = len(missing) + _rooms(rng, existing) + _tech_parks(existing)
        if missing:
            _dress(rng)
        inspections = _inspections(rng)
        record_event(
            "demo.network",
            actor="fawang demo",
            detail={"created": created, "inspections": inspections},
        )
    return {"service_points": created}


def _rooms(rng: random.Random, existing: set[str]) -> int:
    villages = list(
        Region.objects.filter(level=RegionLevel.VILLAGE, path__startswith="/110000000000/")
        .select_related("parent")
        .order_by("code")
    )
    rooms = []
    for village in villages:
        # Every draw happens whether or not the room exists, so a second run draws the same.
        chosen, weekend, barrier_free = rng.random() < ROOM_SHARE, rng.random(), rng.random()
        age = rng.randint(100, 900)
        name = f"{village.parent.name if village.parent else ''}{village.name}公共法律服务工作室"
        if not chosen or name in existing:
            continue
        existing.add(name)
        rooms.append(
            ServicePoint(
                name=name, level=ServicePointLevel.ROOM, region=village,
                opening_hours="每周二、四 9:00-12:00（法律顾问值守）",
                weekend_service=weekend < 0.2, staff_on_duty=1, rooms=1,
                barrier_free=barrier_free < 0.4, languages=["普通话"],
                opened_on=timezone.localdate() - timedelta(days=age),
            )
        )  # fmt: skip
    ServicePoint.objects.bulk_create(rooms, batch_size=500)
    return len(rooms)


def _tech_parks(existing: set[str]) -> int:
    created = 0
    for host, township_name, district_code in TECH_PARKS:
        name = f"{host}公共法律服务工作站"
        township = Region.objects.filter(
            name=township_name, parent__code=district_code, level=RegionLevel.TOWNSHIP
        ).first()
        if township is None or name in existing:
            continue
        ServicePoint.objects.create(
            name=name, level=ServicePointLevel.SPECIAL, special_kind=SpecialKind.TECH_PARK,
            host=host, region=township, opening_hours="周一至周五 9:00-17:00",
            services=["consultation", "mediation"], staff_on_duty=2, windows=1,
            barrier_free=True, barrier_free_features=["无障碍坡道", "无障碍卫生间"],
            languages=["普通话", "英语"], status=PointStatus.OPEN,
            opened_on=timezone.localdate() - timedelta(days=200),
        )  # fmt: skip
        created += 1
    return created


def _dress(rng: random.Random) -> None:
    """Weekend hours, barrier-free details and demonstration points on the planned points."""
    for point in ServicePoint.objects.filter(level=ServicePointLevel.CENTRE):
        point.barrier_free_features = ["无障碍坡道", "无障碍卫生间", "爱心座椅"]
        point.opening_hours = "周一至周五 9:00-17:00，周六 9:00-12:00"
        point.directions = f"乘公交至{point.region.name}政务服务中心站，步行约 5 分钟"
        point.is_demonstration = rng.random() < 0.6
        point.save()
    stations = ServicePoint.objects.filter(level=ServicePointLevel.STATION)
    for point in stations:
        point.weekend_service = rng.random() < 0.25
        if point.barrier_free:
            point.barrier_free_features = ["无障碍坡道"]
        point.save(update_fields=["weekend_service", "barrier_free_features"])


def _inspections(rng: random.Random) -> int:
    """A year of district inspections of the stations (most twice, some once)."""
    if Inspection.objects.exists():
        return 0
    today = timezone.localdate()
    made = []
    inspectors = {
        u.region_id: u
        for u in User.objects.filter(role=Role.SUPERVISOR_DISTRICT).select_related("region")
    }
    stations = ServicePoint.objects.filter(
        level=ServicePointLevel.STATION, status=PointStatus.OPEN
    ).select_related("region__parent")
    for station in stations:
        district = station.region.parent
        inspector = inspectors.get(district.pk if district else 0) or next(iter(inspectors.values()), None)  # fmt: skip
        if inspector is None:
            break
        items = network_policy(station.region).checklist[station.level]
        for visit in range(2 if rng.random() < 0.7 else 1):
            day = today - timedelta(days=rng.randint(10, 170) + 180 * visit)
            failed = rng.random() < 0.25
            checklist = {item: not (failed and i == 0) for i, item in enumerate(items)}
            made.append(
                Inspection(
                    point=station, inspected_on=day, inspector=inspector, checklist=checklist,
                    findings="标识标牌不规范，需更换。" if failed else "",
                    rectification_due=day + timedelta(days=30) if failed else None,
                    rectified_on=day + timedelta(days=20) if failed and visit else None,
                    status=(InspectionStatus.RECTIFIED if visit else InspectionStatus.RECTIFYING)
                    if failed else InspectionStatus.PASSED,
                )
            )  # fmt: skip
    Inspection.objects.bulk_create(made, batch_size=500)
    return len(made)
