"""Call records from the telephony system: the webhook with its token, idempotency by call id,
the CSV import, the link to a work order, and 接通率/满意率 computed from the records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from fawang.audit.models import AuditEvent
from fawang.core.errors import InvalidInput, NotFound
from fawang.hotline import metrics, services
from fawang.hotline.models import CallRecord
from fawang.hotline.report import seat_report
from fawang.hotline.telephony import BACKEND
from fawang.hotline.timing import this_month
from fawang.workorders import services as orders
from tests.hotline.helpers import (
    API,
    World,
    answered_order,
    build_world,
    event,
    payload,
    recent,
    shift_now,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def _post(client: Client, world: World, body: dict, token: str | None = None):
    headers = {"Authorization": f"Bearer {token or world.token}"}
    return client.post(f"{API}/calls", body, content_type="application/json", headers=headers)


def test_a_retried_webhook_counts_the_call_once(world: World, client: Client) -> None:
    shift_now(world, world.seat1, world.wang)
    first = _post(client, world, payload(world, "CTI-1"))
    assert first.status_code == 201, first.content
    assert first.json()["staff"] == world.wang.full_name  # the person on shift at that seat
    again = _post(client, world, payload(world, "CTI-1", talk_seconds=999))
    assert again.status_code == 200
    assert again.json()["talk_seconds"] == 240
    assert CallRecord.objects.filter(call_id="CTI-1").count() == 1
    assert AuditEvent.objects.filter(action="hotline.call_recorded").count() == 1


def test_the_webhook_needs_a_token(world: World, client: Client, login_as) -> None:
    login_as(world.bureau)
    response = client.post(f"{API}/calls", payload(world, "CTI-2"), content_type="application/json")
    assert response.status_code == 403
    assert not CallRecord.objects.exists()
    bad = client.post(
        f"{API}/calls",
        payload(world, "CTI-2"),
        content_type="application/json",
        headers={"Authorization": "Bearer wrong"},
    )
    assert bad.status_code in {401, 403}
    assert not CallRecord.objects.exists()


def test_a_token_cannot_report_another_districts_centre(world: World, client: Client) -> None:
    response = _post(client, world, payload(world, "CTI-3", centre_id=world.haidian_centre.pk))
    assert response.status_code == 404
    assert not CallRecord.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"seat": "99"}, "seat"),
        ({"seat": ""}, "seat"),
        ({"offered_at": "昨天"}, "offered_at"),
        ({"offered_at": (timezone.now() + timedelta(days=2)).isoformat()}, "offered_at"),
        ({"answered": False, "talk_seconds": 30}, "talk_seconds"),
        ({"wait_seconds": -1}, "wait_seconds"),
    ],
)
def test_bad_events_are_refused_in_chinese(
    world: World, client: Client, change: dict, field: str
) -> None:
    response = _post(client, world, payload(world, "CTI-4", **change))
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["field"] == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])
    assert not CallRecord.objects.exists()


def test_a_cdr_file_imports_all_rows_or_none(world: World) -> None:
    when = recent().isoformat()
    header = "call_id,centre_id,seat,offered_at,answered,wait_seconds,talk_seconds,recording_ref\n"
    rows = (
        f"A1,{world.centre.pk},01,{when},true,5,100,R1\nA2,{world.centre.pk},,{when},false,60,0,\n"
    )
    assert services.import_cdr(BACKEND.parse_cdr(header + rows), acting_user=world.bureau) == {
        "created": 2,
        "existing": 0,
    }
    again = rows + f"A3,{world.centre.pk},01,{when},true,5,100,R3\n"
    assert services.import_cdr(BACKEND.parse_cdr(header + again), acting_user=world.bureau) == {
        "created": 1,
        "existing": 2,
    }
    broken = (
        f"A4,{world.centre.pk},01,{when},true,5,100,R4\nA5,{world.centre.pk},77,{when},true,5,1,\n"
    )
    with pytest.raises(InvalidInput):
        services.import_cdr(BACKEND.parse_cdr(header + broken), acting_user=world.bureau)
    assert not CallRecord.objects.filter(call_id="A4").exists()
    with pytest.raises(InvalidInput, match="第 2 行"):
        BACKEND.parse_cdr(header + f"B1,{world.centre.pk},01,不是时间,true,5,100,\n")


def test_the_answering_seat_links_the_order_and_satisfaction_follows(world: World) -> None:
    shift_now(world, world.seat1, world.wang)
    call, _ = services.record_call(event(world, "L1"), acting_user=world.bureau)
    order = answered_order(world)
    with pytest.raises(NotFound):
        services.link_order(call, order.number, acting_user=world.li)  # not their call
    services.link_order(call, order.number, acting_user=world.wang)
    call.refresh_from_db()
    assert call.work_order_id == order.pk
    orders.rate_order(order, rating=5, token=order.rating_token)  # the citizen, by the link
    services.record_call(
        event(world, "L2", answered=False, seat="", talk_seconds=0), acting_user=world.bureau
    )
    report = seat_report(world.centre, this_month())
    assert (report.total.offered, report.total.answered) == (2, 1)
    assert report.total.answer_rate == 50.0
    assert report.total.satisfaction == 100.0
    assert report.policy.answer_rate_target == 90
    [line] = report.lines
    assert line.name == world.wang.full_name and line.answer_rate == 100.0


def test_counters_feed_the_answer_rate(world: World) -> None:
    for n in range(9):
        services.record_call(event(world, f"M{n}"), acting_user=world.bureau)
    services.record_call(
        event(world, "M9", answered=False, seat="", talk_seconds=0), acting_user=world.bureau
    )
    day = recent().date()
    region = world.centre.region_id
    assert metrics.calls_offered(day) == {region: 10.0}
    assert metrics.calls_answered(day) == {region: 9.0}
    assert metrics.calls_offered(day + timedelta(days=1)) == {}
