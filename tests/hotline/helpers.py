"""Shared set-up for hotline tests: the Chaoyang centre with two seats and two seat staff, a
Haidian centre, the district bureaus, and a telephony token of the Chaoyang bureau."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from fawang.core.models import Institution, InstitutionKind, Role, User
from fawang.core.services import issue_api_token
from fawang.hotline import services
from fawang.hotline.models import Seat
from fawang.hotline.telephony import CallEvent
from fawang.workorders import services as orders
from fawang.workorders.models import DispatchRule, WorkOrder
from tests.conftest import BEIJING, CHAOYANG, HAIDIAN
from tests.factories import make_institution, make_staff, region
from tests.workorders.helpers import new_order

API = "/api/v1/hotline"


@dataclass
class World:
    centre: Institution
    haidian_centre: Institution
    seat1: Seat
    seat2: Seat
    haidian_seat: Seat
    wang: User  # a seat person in Chaoyang
    li: User  # another seat person in Chaoyang
    haidian_person: User
    bureau: User
    haidian_bureau: User
    city_bureau: User
    token: str


def build_world() -> World:
    centre = make_institution(
        CHAOYANG, InstitutionKind.SERVICE_CENTRE, name="朝阳区公共法律服务中心"
    )
    haidian_centre = make_institution(
        HAIDIAN, InstitutionKind.SERVICE_CENTRE, name="海淀区公共法律服务中心"
    )
    bureau = make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG)
    haidian_bureau = make_staff(Role.SUPERVISOR_DISTRICT, region_code=HAIDIAN)
    admin = make_staff(Role.SECURITY_ADMIN, region_code=BEIJING)
    telephony = make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG, totp=False)
    return World(
        centre=centre,
        haidian_centre=haidian_centre,
        seat1=services.add_seat(centre, "01", acting_user=bureau),
        seat2=services.add_seat(centre, "02", acting_user=bureau),
        haidian_seat=services.add_seat(haidian_centre, "01", acting_user=haidian_bureau),
        wang=make_staff(Role.HOTLINE_SEAT, region_code=CHAOYANG, institution=centre),
        li=make_staff(Role.HOTLINE_SEAT, region_code=CHAOYANG, institution=centre),
        haidian_person=make_staff(
            Role.HOTLINE_SEAT, region_code=HAIDIAN, institution=haidian_centre
        ),
        bureau=bureau,
        haidian_bureau=haidian_bureau,
        city_bureau=make_staff(Role.SUPERVISOR_CITY, region_code=BEIJING),
        token=issue_api_token(acting_user=admin, account=telephony, name="话务系统"),
    )


def recent() -> datetime:
    """A moment in the past and (but in the first second of a month) in the current month."""
    now = timezone.localtime()
    first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return max(first, now - timedelta(hours=1))


def event(world: World, call_id: str, **overrides: Any) -> CallEvent:
    values: dict[str, Any] = {
        "call_id": call_id,
        "centre_id": world.centre.pk,
        "seat": "01",
        "offered_at": recent(),
        "answered": True,
        "wait_seconds": 10,
        "talk_seconds": 200,
        "recording_ref": f"REC-{call_id}",
    }
    values.update(overrides)
    return CallEvent(**values)


def shift_now(world: World, seat: Seat, person: User) -> None:
    start = recent() - timedelta(hours=2)
    services.add_shift(seat, person, start, start + timedelta(hours=6), acting_user=world.bureau)


def payload(world: World, call_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "call_id": call_id,
        "centre_id": world.centre.pk,
        "seat": "01",
        "offered_at": recent().isoformat(),
        "answered": True,
        "wait_seconds": 12,
        "talk_seconds": 240,
        "recording_ref": f"REC-{call_id}",
    }
    body.update(overrides)
    return body


def answered_order(world: World) -> WorkOrder:
    """A work order that reached the seats' centre and that 王 claimed and answered: the citizen
    can rate it now."""
    DispatchRule.objects.get_or_create(region=region(CHAOYANG), institution=world.centre)
    order = new_order(world.wang)
    orders.claim_order(order, acting_user=world.wang)
    return orders.reply_to_order(order, reply="已解答", acting_user=world.wang)


def nine_answered_one_abandoned(prefix: str) -> World:
    """Nine answered calls at seat 01 (王 on shift) and one abandoned: 90% answered. The call ids
    are ``prefix`` + 0…9 (the last one abandoned)."""
    w = build_world()
    shift_now(w, w.seat1, w.wang)
    for n in range(9):
        services.record_call(event(w, f"{prefix}{n}"), acting_user=w.bureau)
    services.record_call(
        event(w, f"{prefix}9", answered=False, seat="", talk_seconds=0), acting_user=w.bureau
    )
    return w
