"""The work-order pages: the citizen portal (submit, follow, rate, complain, track) and the staff
console (queues, claim next, intake, the order page's actions, dispatch rules, dashboard)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fawang.core.models import InstitutionKind, Role, User
from fawang.core.sms import MemorySmsBackend
from fawang.workorders import services
from fawang.workorders.models import (
    Channel,
    DispatchRule,
    EventKind,
    FollowUp,
    Status,
    WorkOrder,
)
from tests.conftest import CHAOYANG, HAIDIAN
from tests.factories import make_citizen, make_institution, make_staff
from tests.workorders.helpers import JIANWAI, World, build_world, new_order

pytestmark = pytest.mark.django_db

HAIDIAN_TOWNSHIP = "110108001000"  # 万寿路街道


def web_request(**overrides: Any) -> dict[str, Any]:
    data = {
        "action": "submit",
        "business_line": "consultation",
        "topic": "labour",
        "district": CHAOYANG,
        "township": JIANWAI,
        "title": "",
        "description": "公司拖欠我三个月工资，老板说没钱，我该去哪里投诉？",
        "requester_name": "王女士",
        "phone": "13822223333",
        "idempotency_key": "page-test-1",
    }
    data.update(overrides)
    return data


def replied_order(world: World, **overrides: Any) -> WorkOrder:
    order = new_order(world.seat, **overrides)
    services.claim_order(order, acting_user=world.seat)
    return services.reply_to_order(
        order, reply="可向劳动保障监察大队投诉。", acting_user=world.seat
    )


def kinds(order: WorkOrder) -> list[str]:
    return list(order.events.values_list("kind", flat=True))


def page_text(response: Any) -> str:
    return response.content.decode()


# --- citizen portal -----------------------------------------------------------------------


def test_request_form_sends_anonymous_visitors_to_login_and_back(client: Client) -> None:
    response = client.get("/requests/new")
    assert response.status_code == 302
    assert response["Location"] == "/login?next=/requests/new"


def test_request_form_starts_from_the_citizens_home_district(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    response = login_as(world.citizen).get("/requests/new")
    assert response.status_code == 200
    html = page_text(response)
    assert f'<option value="{CHAOYANG}" selected>朝阳区</option>' in html
    assert "建外街道" in html
    assert "137****" in html  # the account's phone, masked, as the default


def test_citizen_submits_a_request_and_sees_its_number(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    client = login_as(world.citizen)
    response = client.post("/requests/new", web_request(), follow=True)
    order = WorkOrder.objects.get()
    assert response.status_code == 200
    assert "请记下您的工单编号" in page_text(response)
    assert f'id="order-number">{order.number}<' in page_text(response)
    assert order.channel == Channel.WEB and order.citizen == world.citizen
    assert order.region.code == JIANWAI and order.institution == world.centre
    assert order.requester_phone.reveal() == "13822223333"


def test_request_without_phone_uses_the_accounts_phone(login_as) -> None:  # type: ignore[no-untyped-def]
    build_world()
    citizen = make_citizen(phone="13566667777")
    login_as(citizen).post("/requests/new", web_request(phone=""))
    assert WorkOrder.objects.get(citizen=citizen).requester_phone.reveal() == "13566667777"


def test_resubmitting_the_same_form_creates_one_order(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    client = login_as(world.citizen)
    first = client.post("/requests/new", web_request())
    second = client.post("/requests/new", web_request())
    assert first["Location"] == second["Location"]
    assert WorkOrder.objects.count() == 1


def test_bad_phone_re_renders_with_the_chinese_message_and_creates_nothing(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    response = login_as(world.citizen).post("/requests/new", web_request(phone="12345"))
    assert response.status_code == 400
    assert "手机号码应为11位数字，以1开头。" in page_text(response)
    assert 'id="id_phone_error"' in page_text(response)
    assert not WorkOrder.objects.exists()


def test_oversized_description_re_renders_with_the_chinese_message_and_creates_nothing(
    login_as,
) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    response = login_as(world.citizen).post("/requests/new", web_request(description="欠" * 5001))
    assert response.status_code == 400
    assert "诉求内容不能超过5000个字。" in page_text(response)
    assert not WorkOrder.objects.exists()


def test_township_outside_the_chosen_district_is_refused(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    response = login_as(world.citizen).post("/requests/new", web_request(township=HAIDIAN_TOWNSHIP))
    assert response.status_code == 400
    assert "所选街道（乡镇）不在该区内，请重新选择。" in page_text(response)
    assert not WorkOrder.objects.exists()


def test_choosing_a_district_lists_its_townships_and_keeps_the_text(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    data = web_request(action="pick_district", district=HAIDIAN, township=JIANWAI)
    response = login_as(world.citizen).post("/requests/new", data)
    html = page_text(response)
    assert response.status_code == 200
    assert "万寿路街道" in html and "建外街道" not in html
    assert "公司拖欠我三个月工资" in html
    assert "field-error" not in html
    assert not WorkOrder.objects.exists()


def test_staff_are_sent_from_the_citizen_form_to_their_console(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    response = login_as(world.seat).get("/requests/new")
    assert response.status_code == 302 and response["Location"] == "/console/"


def test_citizen_lists_and_opens_their_own_orders(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    mine = new_order(world.citizen, channel="web")
    theirs = new_order(make_citizen(), channel="web")
    client = login_as(world.citizen)
    listing = page_text(client.get("/requests/"))
    assert mine.number in listing and theirs.number not in listing
    assert client.get(f"/requests/{mine.number}").status_code == 200


def test_another_citizens_order_is_404(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    theirs = new_order(make_citizen(), channel="web")
    assert login_as(world.citizen).get(f"/requests/{theirs.number}").status_code == 404
    assert login_as(world.citizen).get(f"/requests/{theirs.number}/submitted").status_code == 404


def test_citizen_sees_the_reply_and_rates_it(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.citizen, channel="web")
    services.claim_order(order, acting_user=world.seat)
    services.reply_to_order(order, reply="可向劳动保障监察大队投诉。", acting_user=world.seat)
    client = login_as(world.citizen)
    page = page_text(client.get(f"/requests/{order.number}"))
    assert "可向劳动保障监察大队投诉。" in page and 'name="rating"' in page
    response = client.post(
        f"/requests/{order.number}", {"action": "rate", "rating": "5", "comment": "很及时"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.rating, order.rating_comment, order.status) == (5, "很及时", Status.CLOSED)
    page = page_text(client.get(f"/requests/{order.number}"))
    assert "您的评价：5 星" in page and 'name="rating"' not in page


def test_rating_without_a_choice_shows_the_message(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.citizen, channel="web")
    services.claim_order(order, acting_user=world.seat)
    services.reply_to_order(order, reply="答复", acting_user=world.seat)
    response = login_as(world.citizen).post(f"/requests/{order.number}", {"action": "rate"})
    assert response.status_code == 400 and "请选择满意程度。" in page_text(response)
    order.refresh_from_db()
    assert order.rating is None


def test_no_rating_form_before_the_reply(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.citizen, channel="web")
    page = page_text(login_as(world.citizen).get(f"/requests/{order.number}"))
    assert 'name="rating"' not in page and "对答复不满意？投诉" not in page
    assert "正在办理，尚未答复。" in page


def test_citizen_files_a_complaint_about_the_reply(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.citizen, channel="web")
    services.claim_order(order, acting_user=world.seat)
    services.reply_to_order(order, reply="答复", acting_user=world.seat)
    client = login_as(world.citizen)
    assert "对答复不满意？投诉" in page_text(client.get(f"/requests/{order.number}"))
    response = client.post(
        f"/requests/{order.number}", {"action": "complain", "text": "答复没有解决问题"}
    )
    complaint = WorkOrder.objects.get(parent=order)
    assert response["Location"] == f"/requests/{complaint.number}/submitted"
    assert complaint.business_line == "complaint" and complaint.citizen == world.citizen
    assert EventKind.COMPLAINED in kinds(order)


def test_track_shows_status_and_reply_without_personal_data(client: Client) -> None:
    world = build_world()
    order = replied_order(world)
    response = client.post(
        "/requests/track", {"number": order.number.lower(), "phone": "139 1111 2222"}
    )
    html = page_text(response)
    assert response.status_code == 200
    assert "已答复" in html and "可向劳动保障监察大队投诉。" in html
    assert "李先生" not in html and "2222" not in html


def test_track_with_wrong_phone_is_404_with_a_message(client: Client) -> None:
    world = build_world()
    order = replied_order(world)
    response = client.post("/requests/track", {"number": order.number, "phone": "13900000000"})
    assert response.status_code == 404
    html = page_text(response)
    assert "未找到该工单，请核对工单编号和手机号码。" in html
    assert "可向劳动保障监察大队投诉。" not in html


def test_rating_link_rates_once(client: Client) -> None:
    world = build_world()
    order = replied_order(world)
    url = f"/rate/{order.rating_token}"
    page = page_text(client.get(url))
    assert order.title in page and "可向劳动保障监察大队投诉。" in page
    assert "李先生" not in page
    assert client.post(url, {"rating": "4"}).status_code == 302
    again = client.post(url, {"rating": "1"})
    assert again.status_code == 400 and "该工单已评价。" in page_text(again)
    order.refresh_from_db()
    assert order.rating == 4 and kinds(order).count(EventKind.RATED) == 1


def test_unknown_rating_link_is_404(client: Client) -> None:
    assert client.get("/rate/not-a-token").status_code == 404


def test_portal_home_offers_submit_and_track(client: Client) -> None:
    html = page_text(client.get("/"))
    assert 'href="/requests/new"' in html and 'href="/requests/track"' in html


# --- console: queues and claim next -------------------------------------------------------


def test_seat_sees_the_institution_queue(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    ours = new_order(world.seat)
    other_district = new_order(world.seat, region_code=HAIDIAN_TOWNSHIP)
    response = login_as(world.seat).get("/console/orders/")
    html = page_text(response)
    assert response.status_code == 200
    assert ours.number in html and other_district.number not in html
    assert "领取下一单" in html


def test_order_list_filters_by_status_and_search(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    queued = new_order(world.seat, title="工资拖欠")
    claimed = new_order(world.seat, title="离婚财产")
    services.claim_order(claimed, acting_user=world.seat)
    client = login_as(world.seat)
    html = page_text(client.get("/console/orders/?queue=institution&status=claimed"))
    assert claimed.number in html and queued.number not in html
    html = page_text(client.get("/console/orders/?queue=all&q=工资"))
    assert queued.number in html and claimed.number not in html
    html = page_text(client.get("/console/orders/?queue=mine"))
    assert claimed.number in html and queued.number not in html


def test_order_list_is_paginated(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    for _ in range(51):
        new_order(world.seat)
    html = page_text(login_as(world.seat).get("/console/orders/?queue=institution&page=2"))
    assert "第 2 / 2 页（共 51 条）" in html


def test_claim_next_hands_the_oldest_queued_order_and_opens_it(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    oldest, _newer = new_order(world.seat), new_order(world.seat)
    response = login_as(world.second_seat).post("/console/orders/claim-next")
    assert response["Location"] == f"/console/orders/{oldest.number}/"
    oldest.refresh_from_db()
    assert oldest.assignee == world.second_seat and oldest.status == Status.CLAIMED


def test_claim_next_with_an_empty_queue_says_so(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    response = login_as(world.seat).post("/console/orders/claim-next", follow=True)
    assert "队列中暂无待领取工单" in page_text(response)


def test_supervisors_have_no_claim_next(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    new_order(world.seat)
    client = login_as(world.supervisor)
    assert client.post("/console/orders/claim-next").status_code == 403
    assert "领取下一单" not in page_text(client.get("/console/orders/"))
    assert not WorkOrder.objects.filter(status=Status.CLAIMED).exists()


def test_claim_next_needs_post(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    new_order(world.seat)
    assert login_as(world.seat).get("/console/orders/claim-next").status_code == 405


# --- console: intake ----------------------------------------------------------------------


def test_window_clerk_registers_a_walk_in_request(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    client = login_as(world.clerk)
    form = page_text(client.get("/console/orders/new"))
    assert 'value="window"' in form and 'value="hotline"' not in form
    data = web_request(channel="window", special_groups=["elderly", "disabled"])
    response = client.post("/console/orders/new", data)
    order = WorkOrder.objects.get()
    assert response["Location"] == f"/console/orders/{order.number}/"
    assert order.channel == Channel.WINDOW and order.topic_confirmed
    assert order.special_groups == ["elderly", "disabled"] and order.created_by == world.clerk


def test_referral_without_source_is_refused_with_the_message(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    response = login_as(world.seat).post(
        "/console/orders/new", web_request(channel="referral", referral_source="")
    )
    assert response.status_code == 400
    assert "未知的转介单位类别" in page_text(response)
    assert not WorkOrder.objects.exists()


def test_staff_intake_needs_the_requesters_phone(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    response = login_as(world.seat).post(
        "/console/orders/new", web_request(channel="hotline", phone="")
    )
    assert response.status_code == 400
    assert not WorkOrder.objects.exists()


def test_lawyers_and_citizens_cannot_open_the_intake_form(login_as, client: Client) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    firm = make_institution(CHAOYANG, InstitutionKind.LAW_FIRM)
    assert (
        login_as(make_staff(Role.LAWYER, institution=firm)).get("/console/orders/new").status_code
        == 403
    )
    client.logout()
    response = login_as(world.citizen).get("/console/orders/new")
    assert response.status_code == 302 and response["Location"].startswith("/console/login")


# --- console: the order page --------------------------------------------------------------


def test_order_page_shows_the_order_with_the_phone_masked(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.seat)
    html = page_text(login_as(world.seat).get(f"/console/orders/{order.number}/"))
    assert "139****2222" in html and "13911112222" not in html
    assert "受理" in html and "分派" in html  # the timeline
    assert 'name="action" value="claim"' in html and 'value="reply"' not in html


def test_seat_from_another_district_cannot_open_the_order(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.seat)
    haidian_seat = make_staff(
        Role.HOTLINE_SEAT, region_code=HAIDIAN, institution=world.other_centre
    )
    client = login_as(haidian_seat)
    assert client.get(f"/console/orders/{order.number}/").status_code == 404
    response = client.post(f"/console/orders/{order.number}/", {"action": "claim"})
    assert response.status_code == 404
    order.refresh_from_db()
    assert order.status == Status.QUEUED


def test_claim_on_the_order_page_adds_a_timeline_row(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.seat)
    client = login_as(world.seat)
    response = client.post(f"/console/orders/{order.number}/", {"action": "claim"})
    assert response["Location"] == f"/console/orders/{order.number}/"
    order.refresh_from_db()
    assert order.status == Status.CLAIMED and order.assignee == world.seat
    assert kinds(order)[-1] == EventKind.CLAIMED
    html = page_text(client.get(f"/console/orders/{order.number}/"))
    assert 'value="reply"' in html and 'value="claim"' not in html


def test_reply_on_the_order_page_replies_and_adds_a_timeline_row(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.seat)
    services.claim_order(order, acting_user=world.seat)
    client = login_as(world.seat)
    response = client.post(
        f"/console/orders/{order.number}/",
        {"action": "reply", "reply-reply": "建议先协商，协商不成可申请劳动仲裁。"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Status.REPLIED and order.reply.startswith("建议先协商")
    assert kinds(order)[-1] == EventKind.REPLIED
    assert "建议先协商" in page_text(client.get(f"/console/orders/{order.number}/"))


def test_reply_by_someone_else_shows_the_message_and_changes_nothing(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.seat)
    services.claim_order(order, acting_user=world.seat)
    response = login_as(world.second_seat).post(
        f"/console/orders/{order.number}/", {"action": "reply", "reply-reply": "抢答"}
    )
    assert response.status_code == 400
    assert "只有承办人可以答复。" in page_text(response)
    order.refresh_from_db()
    assert order.status == Status.CLAIMED and order.reply == ""


def test_transfer_with_a_reason_moves_the_order_and_records_the_reason(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.seat)
    client = login_as(world.seat)
    page = page_text(client.get(f"/console/orders/{order.number}/"))
    assert "朝阳区法律援助中心" in page and "海淀区公共法律服务中心" not in page
    response = client.post(
        f"/console/orders/{order.number}/",
        {
            "action": "transfer",
            "transfer-institution": str(world.aid_centre.pk),
            "transfer-reason": "符合法律援助条件",
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.institution == world.aid_centre and order.status == Status.QUEUED
    last = order.events.last()
    assert last is not None and (last.kind, last.note) == (
        EventKind.TRANSFERRED,
        "符合法律援助条件",
    )
    assert "符合法律援助条件" in page_text(client.get(f"/console/orders/{order.number}/"))


def test_transfer_without_a_reason_shows_the_message_and_changes_nothing(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.seat)
    response = login_as(world.seat).post(
        f"/console/orders/{order.number}/",
        {"action": "transfer", "transfer-institution": str(world.aid_centre.pk)},
    )
    assert response.status_code == 400
    assert 'id="id_transfer-reason_error"' in page_text(response)
    order.refresh_from_db()
    assert order.institution == world.centre and len(kinds(order)) == 2


def test_transfer_to_another_district_is_refused_with_the_message(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.seat)
    response = login_as(world.supervisor).post(
        f"/console/orders/{order.number}/",
        {
            "action": "transfer",
            "transfer-institution": str(world.other_centre.pk),
            "transfer-reason": "试试",
        },
    )
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.institution == world.centre


def test_return_sends_the_order_back_to_the_dispatchers(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.seat)
    response = login_as(world.seat).post(
        f"/console/orders/{order.number}/",
        {"action": "return", "return-reason": "不属于本中心业务"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Status.NEW and order.institution is None


def test_dispatcher_routes_a_new_order(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    DispatchRule.objects.all().delete()
    order = new_order(world.seat)
    assert order.status == Status.NEW
    client = login_as(world.supervisor)
    assert 'value="route"' in page_text(client.get(f"/console/orders/{order.number}/"))
    response = client.post(
        f"/console/orders/{order.number}/",
        {"action": "route", "route-institution": str(world.centre.pk)},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Status.QUEUED and order.institution == world.centre


def test_supervisor_supervises_with_a_new_deadline_and_the_handler_is_told(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.seat)
    services.claim_order(order, acting_user=world.seat)
    deadline = timezone.localtime() + timedelta(days=3)
    response = login_as(world.supervisor).post(
        f"/console/orders/{order.number}/",
        {
            "action": "supervise",
            "supervise-note": "请尽快答复",
            "supervise-deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.supervised
    assert timezone.localtime(order.reply_due_at).date() == deadline.date()
    notes = page_text(login_as(world.seat).get("/console/notifications/"))
    assert "被督办：请尽快答复" in notes


def test_seats_cannot_supervise(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.seat)
    client = login_as(world.seat)
    assert 'value="supervise"' not in page_text(client.get(f"/console/orders/{order.number}/"))
    response = client.post(
        f"/console/orders/{order.number}/",
        {
            "action": "supervise",
            "supervise-note": "自己督办自己",
            "supervise-deadline": "2099-01-01T09:00",
        },
    )
    assert response.status_code == 400
    assert "只有司法局（所）管理人员可以督办。" in page_text(response)
    order.refresh_from_db()
    assert not order.supervised


def test_confirm_topic_changes_the_classification(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.citizen, channel="web")
    assert not order.topic_confirmed
    response = login_as(world.seat).post(
        f"/console/orders/{order.number}/",
        {
            "action": "classify",
            "classify-topic": "labour",
            "classify-business_line": "consultation",
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.topic == "labour" and order.topic_confirmed


def test_seat_records_a_follow_up_after_the_reply(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = replied_order(world)
    response = login_as(world.clerk).post(
        f"/console/orders/{order.number}/",
        {
            "action": "follow_up",
            "follow_up-reached": "1",
            "follow_up-satisfaction": "4",
            "follow_up-note": "已按建议投诉",
        },
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(order=order)
    assert (follow_up.reached, follow_up.satisfaction, follow_up.made_by) == (True, 4, world.clerk)


def test_assign_to_a_named_colleague(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.seat)
    response = login_as(world.seat).post(
        f"/console/orders/{order.number}/",
        {"action": "assign", "assign-assignee": str(world.second_seat.pk)},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.assignee == world.second_seat and kinds(order)[-1] == EventKind.ASSIGNED


def test_acting_on_an_order_that_moved_on_shows_why(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.seat)
    services.claim_order(order, acting_user=world.second_seat)
    response = login_as(world.seat).post(f"/console/orders/{order.number}/", {"action": "claim"})
    assert response.status_code == 400
    assert "不能领取" in page_text(response)
    order.refresh_from_db()
    assert order.assignee == world.second_seat


def test_lawyer_sees_the_order_of_their_firm_and_replies(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    firm = make_institution(CHAOYANG, InstitutionKind.LAW_FIRM)
    lawyer = make_staff(Role.LAWYER, institution=firm)
    order = new_order(world.seat)
    services.transfer_order(order, firm, reason="需律师", acting_user=world.seat)
    client = login_as(lawyer)
    assert client.post(f"/console/orders/{order.number}/", {"action": "claim"}).status_code == 302
    client.post(f"/console/orders/{order.number}/", {"action": "reply", "reply-reply": "律师意见"})
    order.refresh_from_db()
    assert order.status == Status.REPLIED and order.assignee == lawyer


# --- console: dispatch rules, dashboard, notifications ------------------------------------


def test_district_supervisor_adds_and_edits_a_dispatch_rule(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    client = login_as(world.supervisor)
    page = page_text(client.get("/console/dispatch-rules/"))
    assert "朝阳区法律援助中心" in page
    response = client.post(
        "/console/dispatch-rules/",
        {
            "region": JIANWAI,
            "institution": str(world.aid_centre.pk),
            "business_line": "",
            "topic": "labour",
            "priority": "50",
            "active": "on",
        },
    )
    assert response.status_code == 302
    rule = DispatchRule.objects.get(region__code=JIANWAI)
    assert (rule.topic, rule.priority, rule.institution) == ("labour", 50, world.aid_centre)
    client.post(
        "/console/dispatch-rules/",
        {
            "rule_id": str(rule.pk),
            "region": JIANWAI,
            "institution": str(world.centre.pk),
            "topic": "labour",
            "priority": "60",
        },
    )
    rule.refresh_from_db()
    assert (rule.institution, rule.priority, rule.active) == (world.centre, 60, False)
    assert DispatchRule.objects.filter(region__code=JIANWAI).count() == 1


def test_dispatch_rule_outside_the_district_is_refused(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    response = login_as(world.supervisor).post(
        "/console/dispatch-rules/",
        {"region": HAIDIAN, "institution": str(world.centre.pk), "priority": "100"},
    )
    assert response.status_code == 400
    assert not DispatchRule.objects.filter(region__code=HAIDIAN, institution=world.centre).exists()


def test_another_districts_rule_cannot_be_opened_for_editing(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    haidian_rule = DispatchRule.objects.get(region__code=HAIDIAN)
    response = login_as(world.supervisor).get(f"/console/dispatch-rules/?rule={haidian_rule.pk}")
    assert response.status_code == 404


def test_seats_cannot_open_dispatch_rules(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    assert login_as(world.seat).get("/console/dispatch-rules/").status_code == 403


def test_district_supervisor_sees_the_dashboard(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    replied_order(world)
    new_order(world.seat, channel="hotline")
    response = login_as(world.supervisor).get("/console/dashboard/")
    html = page_text(response)
    assert response.status_code == 200
    assert 'id="figure-total"' in html and '<strong class="figure-value">2</strong>' in html
    assert "12348热线" in html and "建外街道" in html
    assert "vendor/echarts.min.js" in html and 'id="chart-data"' in html


def test_city_supervisor_picks_a_district_on_the_dashboard(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    new_order(world.seat)
    new_order(world.seat, region_code=HAIDIAN_TOWNSHIP)
    city = make_staff(Role.SUPERVISOR_CITY, region_code="110000000000")
    today = timezone.localdate().isoformat()
    response = login_as(city).get(f"/console/dashboard/?region={HAIDIAN}&start={today}&end={today}")
    html = page_text(response)
    assert response.status_code == 200
    assert '<strong class="figure-value">1</strong>' in html and "万寿路街道" in html


def test_district_supervisor_cannot_see_another_districts_dashboard(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    today = timezone.localdate().isoformat()
    response = login_as(world.supervisor).get(
        f"/console/dashboard/?region={HAIDIAN}&start={today}&end={today}"
    )
    assert response.status_code == 400  # not among the choices offered


def test_dashboard_refuses_a_period_that_ends_before_it_starts(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    response = login_as(world.supervisor).get(
        f"/console/dashboard/?region={CHAOYANG}&start=2026-02-01&end=2026-01-01"
    )
    assert response.status_code == 400
    assert "开始日期不能晚于结束日期。" in page_text(response)


def test_lawyer_cannot_open_the_dashboard(login_as) -> None:  # type: ignore[no-untyped-def]
    firm = make_institution(CHAOYANG, InstitutionKind.LAW_FIRM)
    lawyer = make_staff(Role.LAWYER, institution=firm)
    assert login_as(lawyer).get("/console/dashboard/").status_code == 403


def test_console_home_offers_the_work_order_tiles_by_role(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    seat_home = page_text(login_as(world.seat).get("/console/"))
    assert "/console/orders/new" in seat_home and "领取下一单" in seat_home
    assert "/console/dashboard/" not in seat_home
    supervisor_home = page_text(login_as(world.supervisor).get("/console/"))
    assert (
        "/console/dashboard/" in supervisor_home and "/console/dispatch-rules/" in supervisor_home
    )
    assert "领取下一单" not in supervisor_home


def test_pages_keep_elder_mode(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    User.objects.filter(pk=world.citizen.pk).update(elder_mode=True)
    world.citizen.refresh_from_db()
    html = page_text(login_as(world.citizen).get("/requests/new"))
    assert '<html lang="zh-hans" class="elder">' in html


def test_order_list_queries_do_not_grow_with_the_orders(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    client = login_as(world.seat)
    for _ in range(2):
        services.claim_order(new_order(world.seat), acting_user=world.seat)
    with CaptureQueriesContext(connection) as few:
        client.get("/console/orders/?queue=all")
    for _ in range(8):
        services.claim_order(new_order(world.seat), acting_user=world.seat)
    with CaptureQueriesContext(connection) as many:
        client.get("/console/orders/?queue=all")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_request_form_speaks_english_when_chosen(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    client = login_as(world.citizen)
    client.cookies["django_language"] = "en"
    html = page_text(client.get("/requests/new"))
    assert "Submit a request" in html and "I have a legal question" in html
    assert "Labour disputes" in html


def test_lawyer_who_returns_an_order_lands_on_the_list(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    firm = make_institution(CHAOYANG, InstitutionKind.LAW_FIRM)
    lawyer = make_staff(Role.LAWYER, institution=firm)
    order = new_order(world.seat)
    services.transfer_order(order, firm, reason="需律师", acting_user=world.seat)
    response = login_as(lawyer).post(
        f"/console/orders/{order.number}/", {"action": "return", "return-reason": "非本所业务"}
    )
    assert response["Location"] == "/console/orders/"
    order.refresh_from_db()
    assert order.status == Status.NEW


def test_the_texted_links_open_the_track_and_rating_pages(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    world = build_world()
    with django_capture_on_commit_callbacks(execute=True):  # texted once committed
        order = replied_order(world)
    texts = [text for phone, text in MemorySmsBackend.outbox if phone == "13911112222"]
    link = re.compile(re.escape(settings.PUBLIC_URL) + r"(/[\w/-]*)")
    paths = [path for text in texts for path in link.findall(text)]
    assert f"/rate/{order.rating_token}" in paths and "/requests/track" in paths
    for path in paths:
        assert client.get(path).status_code == 200
