from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from fawang.audit.models import AuditEvent
from fawang.core.errors import InvalidInput, PermissionDenied
from fawang.core.models import Role
from fawang.workorders.classification import suggest_pending_topics
from fawang.workorders.models import Channel, EventKind, Status, WorkOrder
from tests.conftest import CHAOYANG
from tests.factories import make_staff
from tests.workorders.helpers import JIANWAI, build_world, new_order

pytestmark = pytest.mark.django_db

BODY = {
    "business_line": "consultation",
    "topic": "labour",
    "description": "公司拖欠我三个月工资，老板说没钱，我该去哪里投诉？",
    "requester_name": "王女士",
    "requester_phone": "13822223333",
    "region_code": JIANWAI,
}


def _post(client: Client, path: str, payload: dict, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(path, payload, content_type="application/json", **headers)


@pytest.mark.parametrize(
    ("channel", "role", "extra"),
    [
        (Channel.WINDOW, Role.WINDOW_CLERK, {}),
        (Channel.HOTLINE, Role.HOTLINE_SEAT, {}),
        (Channel.WEB, Role.CITIZEN, {}),
        (Channel.MINI_PROGRAM, Role.CITIZEN, {}),
        (
            Channel.REFERRAL,
            Role.WINDOW_CLERK,
            {"referral_source": "court", "external_ref": "(2026)京0105民初1号"},
        ),
        (Channel.CITIZEN_HOTLINE_12345, Role.HOTLINE_SEAT, {"external_ref": "12345-0001"}),
    ],
)
def test_each_channel_creates_a_routed_work_order(
    login_as, channel: str, role: str, extra: dict
) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    actor = {
        Role.WINDOW_CLERK: world.clerk,
        Role.HOTLINE_SEAT: world.seat,
        Role.CITIZEN: world.citizen,
    }[role]
    client = login_as(actor)
    response = _post(client, "/api/v1/workorders", {**BODY, "channel": channel, **extra})
    assert response.status_code == 201, response.json()
    data = response.json()
    order = WorkOrder.objects.get(number=data["number"])
    assert order.channel == channel and order.status == Status.QUEUED
    assert order.institution == world.centre
    assert data["requester_phone"] == "138****3333"
    assert [e.kind for e in order.events.all()] == [EventKind.CREATED, EventKind.ROUTED]
    assert order.citizen == (world.citizen if role == Role.CITIZEN else None)
    assert (
        AuditEvent.objects.filter(
            object_type="workorders.workorder", object_id=str(order.pk)
        ).count()
        == 2
    )


def test_telephony_call_creates_an_order_once_per_call_id(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    client = login_as(world.seat)
    call = {
        "call_id": "CALL-20261123-0001",
        "caller_number": "13700001111",
        "recording_ref": "rec/2026/11/23/0001.wav",
        "business_line": "consultation",
        "topic": "traffic_accident",
        "description": "骑电动车被汽车撞了，对方只赔医药费，误工费怎么算？",
        "requester_name": "赵师傅",
        "region_code": JIANWAI,
    }
    first = _post(client, "/api/v1/workorders/hotline-calls", call)
    again = _post(client, "/api/v1/workorders/hotline-calls", call)
    assert first.status_code == again.status_code == 201
    assert first.json()["number"] == again.json()["number"]
    order = WorkOrder.objects.get()
    assert (order.external_ref, order.recording_ref) == (
        "CALL-20261123-0001",
        "rec/2026/11/23/0001.wav",
    )


def test_same_idempotency_key_returns_the_same_order(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    client = login_as(world.citizen)
    payload = {**BODY, "channel": "mini_program"}
    first = _post(client, "/api/v1/workorders", payload, HTTP_IDEMPOTENCY_KEY="abc-1")
    second = _post(client, "/api/v1/workorders", payload, HTTP_IDEMPOTENCY_KEY="abc-1")
    third = _post(client, "/api/v1/workorders", payload, HTTP_IDEMPOTENCY_KEY="abc-2")
    assert first.json()["number"] == second.json()["number"] != third.json()["number"]
    assert WorkOrder.objects.count() == 2


def test_one_key_with_another_request_is_refused_and_saves_nothing(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    client = login_as(world.citizen)
    payload = {**BODY, "channel": "mini_program"}
    first = _post(client, "/api/v1/workorders", payload, HTTP_IDEMPOTENCY_KEY="abc-1")
    other = {**payload, "description": "邻居装修噪音太大，晚上十点还在施工，怎么投诉？"}
    refused = _post(client, "/api/v1/workorders", other, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "idempotency_key_reused" and body["field"] == "idempotency_key"
    assert first.json()["number"] in body["message"]
    assert WorkOrder.objects.count() == 1


def test_one_key_from_two_accounts_makes_two_orders(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    a = new_order(world.seat, idempotency_key="k")
    b = new_order(world.second_seat, idempotency_key="k")
    assert a.pk != b.pk


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"requester_phone": "12345"}, "phone", "手机号码"),
        ({"topic": "astrology"}, "topic", "未知的咨询分类"),
        ({"description": "长" * 100_000}, "description", "不能超过5000个字"),
        ({"region_code": "110105999999"}, "region_code", "未知的行政区划代码"),
        ({"business_line": "lottery"}, "business_line", "未知的业务类别"),
        ({"description": "   "}, "description", "请填写诉求内容"),
    ],
)
def test_bad_input_gets_a_chinese_4xx_and_saves_nothing(
    login_as, change: dict, field: str, words: str
) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    client = login_as(world.clerk)
    response = _post(client, "/api/v1/workorders", {**BODY, "channel": "window", **change})
    assert response.status_code == 400
    assert response.json()["field"] == field and words in response.json()["message"]
    assert not WorkOrder.objects.exists()


def test_a_citizen_cannot_pose_as_the_hotline(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    response = _post(login_as(world.citizen), "/api/v1/workorders", {**BODY, "channel": "hotline"})
    assert response.status_code == 403
    assert not WorkOrder.objects.exists()


def test_a_lawyer_cannot_take_walk_in_requests() -> None:
    world = build_world()
    lawyer = make_staff(Role.LAWYER, institution=world.centre)
    with pytest.raises(PermissionDenied):
        new_order(lawyer, channel="window")


def test_order_without_a_matching_rule_waits_for_a_dispatcher() -> None:
    world = build_world()
    order = new_order(world.seat, region_code="130102000000")  # Shijiazhuang: no rule here
    assert order.status == Status.NEW and order.institution is None


def test_legal_aid_goes_to_the_more_specific_rule() -> None:
    world = build_world()
    assert new_order(world.seat, business_line="legal_aid").institution == world.aid_centre


def test_requester_phone_is_encrypted_in_the_work_order_table() -> None:
    world = build_world()
    order = new_order(world.seat)
    with connection.cursor() as cursor:
        cursor.execute("SELECT requester_phone FROM workorders_workorder WHERE id = %s", [order.pk])
        (raw,) = cursor.fetchone()
    assert "13911112222" not in raw and raw.startswith("v1:")


def test_the_classifier_suggests_in_a_periodic_batch_and_intake_survives_without_it(  # type: ignore[no-untyped-def]
    settings, django_capture_on_commit_callbacks, login_as
) -> None:
    world = build_world()
    settings.WORKORDER_CLASSIFIER = "tests.workorders.helpers_classifier.always_labour"
    with django_capture_on_commit_callbacks(execute=False) as queued:
        order = new_order(world.seat)
    assert len(queued) == 1  # the requester's SMS only: the caller does not wait for the classifier
    shown = login_as(world.seat).get(f"/api/v1/workorders/{order.number}")
    assert shown.json()["suggested_topics"] == {}  # awaiting the job
    assert suggest_pending_topics() == 1
    order.refresh_from_db()
    assert list(order.suggested_topics) == ["labour"]
    assert order.topic == "debt"  # staff's choice stands; the suggestion is advice
    assert suggest_pending_topics() == 0  # looked at once

    settings.WORKORDER_CLASSIFIER = "tests.workorders.no_such_module.classify"
    other = new_order(world.seat)
    assert suggest_pending_topics() == 1  # a broken classifier: intake and the job go on
    other.refresh_from_db()
    assert other.suggested_topics == {}
    settings.WORKORDER_CLASSIFIER = ""
    plain = new_order(world.seat)
    assert plain.suggested_topics == {}
    assert suggest_pending_topics() == 0  # no classifier: nothing awaits it


def test_numbers_are_unique_and_readable() -> None:
    world = build_world()
    numbers = {new_order(world.seat).number for _ in range(5)}
    assert len(numbers) == 5
    assert all(n.startswith("GF") and len(n) == 16 for n in numbers)


def test_staff_of_another_district_get_404_and_change_nothing(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.seat)
    outsider = make_staff(
        Role.HOTLINE_SEAT, region_code="110108000000", institution=world.other_centre
    )
    client = login_as(outsider)
    assert client.get(f"/api/v1/workorders/{order.number}").status_code == 404
    for verb, body in [
        ("claim", {}),
        ("reply", {"reply": "x"}),
        ("return", {"reason": "x"}),
        ("transfer", {"reason": "x", "institution_id": world.other_centre.pk}),
    ]:
        assert _post(client, f"/api/v1/workorders/{order.number}/{verb}", body).status_code == 404
    order.refresh_from_db()
    assert order.status == Status.QUEUED and order.institution == world.centre
    assert order.events.count() == 2


def test_a_citizen_sees_only_their_own_orders(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    mine = new_order(world.citizen, channel="web")
    other = new_order(world.seat)
    client = login_as(world.citizen)
    assert client.get(f"/api/v1/workorders/{mine.number}").status_code == 200
    assert client.get(f"/api/v1/workorders/{other.number}").status_code == 404
    listed = [row["number"] for row in client.get("/api/v1/workorders?queue=all").json()["items"]]
    assert listed == [mine.number]


def test_tracking_needs_the_right_phone(client: Client) -> None:
    world = build_world()
    order = new_order(world.seat)
    ok = client.get(f"/api/v1/workorders/track?number={order.number}&phone=13911112222")
    assert ok.status_code == 200 and ok.json()["status"] == "queued"
    assert "requester_phone" not in ok.json()
    wrong = client.get(f"/api/v1/workorders/track?number={order.number}&phone=13911112223")
    assert wrong.status_code == 404 and "核对" in wrong.json()["message"]


def test_staff_confirm_a_citizens_topic(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.citizen, channel="web")
    assert not order.topic_confirmed
    response = _post(
        login_as(world.seat),
        f"/api/v1/workorders/{order.number}/classify",
        {"topic": "labour", "business_line": "consultation"},
    )
    assert response.status_code == 200 and response.json()["topic_confirmed"]
    assert order.events.filter(kind=EventKind.CLASSIFIED).exists()


def test_list_endpoint_runs_a_fixed_number_of_queries(
    login_as, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    for _ in range(15):
        new_order(world.seat)
    client = login_as(world.supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(f"/api/v1/workorders?queue=all&limit=50&region={CHAOYANG}")
    assert response.json()["count"] == 15


def test_a_citizen_may_leave_the_phone_to_their_account() -> None:
    world = build_world()
    order = new_order(world.citizen, channel="web", requester_phone="")
    assert order.requester_phone_hash == world.citizen.phone_hash


def test_unknown_special_group_is_refused() -> None:
    world = build_world()
    with pytest.raises(InvalidInput, match="特殊群体"):
        new_order(world.seat, special_groups=("elderly", "vip"))
    assert not WorkOrder.objects.exists()


def test_tracking_refuses_a_client_after_ten_wrong_phones(client: Client) -> None:
    from django.utils import timezone

    from fawang.core.models import AttemptCount

    world = build_world()
    order = new_order(world.seat)
    url = f"/api/v1/workorders/track?number={order.number}&phone="
    for n in range(10):
        assert client.get(f"{url}1391111{n:04d}").status_code == 404
    refused = client.get(f"{url}13911112222")  # even the right phone, for this client, for now
    assert refused.status_code == 429 and "次数过多" in refused.json()["message"]
    unknown = client.get("/api/v1/workorders/track?number=GF20990101000001&phone=13911112222")
    assert unknown.status_code == 429  # a number that does not exist says no more either
    AttemptCount.objects.update(window_ends=timezone.now())  # the hour is over
    assert client.get(f"{url}13911112222").status_code == 200


def test_control_characters_are_dropped_and_numbers_stay_out_of_the_title() -> None:
    world = build_world()
    order = new_order(
        world.seat,
        description="请回电13911112222\x00，身份证110105198001011234\x1b[31m谢谢\r\n第二行",
    )
    assert "\x00" not in order.description and "\x1b" not in order.description
    assert order.description.endswith("谢谢\n第二行")
    assert "13911112222" not in order.title and "139****2222" in order.title
    assert "110105198001011234" not in order.title
