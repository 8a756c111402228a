"""Pages as each role: the supervisor's seat report beside the 90% target, the roster with its
errors, the seat's own shifts, calls and scores; other districts and other seats get 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from fawang.hotline import services
from fawang.hotline.models import CallRecord, Shift
from tests.hotline.helpers import (
    API,
    World,
    nine_answered_one_abandoned,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return nine_answered_one_abandoned("P")


def test_the_supervisor_sees_the_answer_rate_beside_the_target(
    world: World, client: Client, login_as
) -> None:
    login_as(world.bureau)
    home = client.get("/console/hotline/")
    assert home.status_code == 200 and "朝阳区公共法律服务中心" in home.text
    assert "海淀区公共法律服务中心" not in home.text
    page = client.get(f"/console/hotline/centres/{world.centre.pk}/report")
    assert page.status_code == 200
    assert "90.0%" in page.text and "不低于 90%" in page.text
    assert world.wang.full_name in page.text


def test_other_districts_get_404(world: World, client: Client, login_as) -> None:
    login_as(world.haidian_bureau)
    for part in ("report", "roster", "reviews"):
        response = client.get(f"/console/hotline/centres/{world.centre.pk}/{part}")
        assert response.status_code == 404
    api = client.get(f"{API}/report", {"centre_id": world.centre.pk})
    assert api.status_code == 404
    assert client.get(f"{API}/calls").json() == []


def test_the_seat_sees_only_their_own(world: World, client: Client, login_as) -> None:
    services.add_shift(
        world.seat2,
        world.li,
        Shift.objects.get().start,
        Shift.objects.get().end,
        acting_user=world.bureau,
    )
    login_as(world.wang)
    page = client.get("/console/hotline/")
    assert page.status_code == 200
    assert "我的排班" in page.text and "P0" in page.text and world.li.full_name not in page.text
    assert client.get(f"/console/hotline/centres/{world.centre.pk}/report").status_code == 403
    assert len(client.get(f"{API}/calls").json()) == 9
    shifts = client.get(f"{API}/shifts").json()
    assert [s["seat"] for s in shifts] == ["01"]
    login_as(world.li)
    assert client.post("/console/hotline/calls/P0/order", {"order_number": "X"}).status_code == 404
    assert client.get(f"{API}/calls").json() == []


def test_a_clashing_shift_is_shown_in_chinese_and_nothing_saved(
    world: World, client: Client, login_as
) -> None:
    login_as(world.bureau)
    shift = Shift.objects.get()
    response = client.post(
        f"/console/hotline/centres/{world.centre.pk}/roster",
        {
            "action": "shift",
            "seat": world.seat1.pk,
            "staff": world.li.pk,
            "start": timezone.localtime(shift.start).strftime("%Y-%m-%dT%H:%M"),
            "end": timezone.localtime(shift.end).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 409
    assert "该坐席在这段时间已有排班" in response.text
    assert Shift.objects.count() == 1
    roster = client.get(f"/console/hotline/centres/{world.centre.pk}/roster")
    assert roster.status_code == 200 and "无人值守" in roster.text


def test_the_api_report(world: World, client: Client, login_as) -> None:
    login_as(world.city_bureau)
    body = client.get(f"{API}/report", {"centre_id": world.centre.pk}).json()
    assert body["total"]["answer_rate"] == 90.0
    assert body["answer_rate_target"] == 90.0


def test_the_seat_links_the_order_they_created(world: World, client: Client, login_as) -> None:
    from tests.workorders.helpers import new_order

    order = new_order(world.wang)
    login_as(world.wang)
    response = client.post(
        "/console/hotline/calls/pick/order", {"call": "P3", "order_number": order.number}
    )
    assert response.status_code == 302
    assert CallRecord.objects.get(call_id="P3").work_order_id == order.pk
    page = client.get("/console/hotline/")
    assert order.number in page.text
