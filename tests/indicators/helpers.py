"""A fixture world with known work orders, and the shipped packs loaded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from fawang.indicators.definitions import PLAN_DIR
from fawang.indicators.services import load_file
from fawang.policy.packs import PACK_DIR
from fawang.workorders.models import WorkOrder
from tests.conftest import HAIDIAN
from tests.workorders.helpers import World, build_world, new_order

DAY_ONE = date(2026, 3, 2)
DAY_TWO = date(2026, 3, 3)
HAIDIAN_TOWNSHIP = "110108001000"


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_default_timezone())


def load_shipped() -> None:
    load_file(PACK_DIR / "beijing-2025-2027.yaml", acting_user=None)
    load_file(PACK_DIR / "shijiazhuang-2021-2025.yaml", acting_user=None)
    load_file(PLAN_DIR / "beijing-2025-2027-action-list.yaml", acting_user=None)


def order_on(
    world: World,
    day: date,
    *,
    channel: str = "web",
    claimed_after_hours: int | None = None,
    rating: int | None = None,
    region_code: str | None = None,
) -> WorkOrder:
    """An order created at 09:00 on ``day``; claim due 48 hours later."""
    order = new_order(world.seat, **({"region_code": region_code} if region_code else {}))
    created = at(day, 9)
    changes: dict[str, object] = {
        "channel": channel,
        "created_at": created,
        "claim_due_at": created + timedelta(hours=48),
    }
    if claimed_after_hours is not None:
        changes["claimed_at"] = created + timedelta(hours=claimed_after_hours)
    if rating is not None:
        changes["rating"] = rating
    WorkOrder.objects.filter(pk=order.pk).update(**changes)
    order.refresh_from_db()
    return order


@dataclass
class Orders:
    world: World


def build_orders() -> World:
    """Day one: Chaoyang 4 web orders (3 claimed in time, 1 late), 2 hotline orders rated 5 and 2;
    Haidian 1 web order claimed in time. Day two: Haidian 1 web order, unclaimed."""
    world = build_world()
    order_on(world, DAY_ONE, claimed_after_hours=2, rating=5)
    order_on(world, DAY_ONE, claimed_after_hours=20, rating=4)
    order_on(world, DAY_ONE, claimed_after_hours=47)
    order_on(world, DAY_ONE, claimed_after_hours=60)
    order_on(world, DAY_ONE, channel="hotline", claimed_after_hours=1, rating=5)
    order_on(world, DAY_ONE, channel="hotline", claimed_after_hours=1, rating=2)
    order_on(world, DAY_ONE, claimed_after_hours=3, region_code=HAIDIAN_TOWNSHIP)
    order_on(world, DAY_TWO, region_code=HAIDIAN_TOWNSHIP)
    return world


__all__ = ["HAIDIAN"]
