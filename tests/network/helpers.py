"""Shared set-up: bureaus of Chaoyang, Haidian and the city, and points in Chaoyang."""

from __future__ import annotations

from typing import Any

from fawang.core.models import Region, RegionLevel, Role, User
from fawang.network.models import PointStatus, ServicePoint
from tests.conftest import BEIJING, CHAOYANG, HAIDIAN
from tests.factories import make_staff


def chaoyang_township() -> Region:
    return Region.objects.filter(parent__code=CHAOYANG, level=RegionLevel.TOWNSHIP).order_by("code").first()  # type: ignore[return-value]  # fmt: skip


def chaoyang_village() -> Region:
    return Region.objects.filter(parent=chaoyang_township(), level=RegionLevel.VILLAGE).order_by("code").first()  # type: ignore[return-value]  # fmt: skip


def bureaus() -> dict[str, User]:
    return {
        "chaoyang": make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG),
        "haidian": make_staff(Role.SUPERVISOR_DISTRICT, region_code=HAIDIAN),
        "city": make_staff(Role.SUPERVISOR_CITY, region_code=BEIJING),
    }


def make_point(region: Region, level: str = "station", **extra: Any) -> ServicePoint:
    defaults: dict[str, Any] = {
        "name": f"{region.name}公共法律服务{level}",
        "status": PointStatus.OPEN,
    }
    defaults.update(extra)
    return ServicePoint.objects.create(level=level, region=region, **defaults)
