"""The hotline pages in English (the person chose it: the language cookie) and, by default, in
Simplified Chinese. Centre and staff names stay as they were typed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fawang.core.models import User
from tests.hotline.helpers import World, nine_answered_one_abandoned
from tests.language import english, main

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def world() -> World:
    return nine_answered_one_abandoned("E")


def test_the_supervisors_centres_and_report_in_english(world: World, login_as: Login) -> None:
    client = english(login_as(world.bureau))
    home = main(client.get("/console/hotline/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "<h1>Hotline agents</h1>" in home and "Monthly agent report" in home
    assert "朝阳区公共法律服务中心" in home  # the centre's name is data
    assert "坐席月报" not in home and "请选择公共法律服务中心" not in home
    report = main(
        client.get(f"/console/hotline/centres/{world.centre.pk}/report", HTTP_ACCEPT_LANGUAGE="en")
    )
    assert "Monthly agent report: 朝阳区公共法律服务中心" in report
    assert "Answer rate (9 answered ÷ 10 offered)" in report and "90.0%" in report
    assert "At least 90%" in report and "By agent" in report
    assert world.wang.full_name in report
    for chinese in ("接通率", "不低于", "各坐席人员", "目标取自"):
        assert chinese not in report


def test_the_roster_and_its_messages_in_english(world: World, login_as: Login) -> None:
    client = english(login_as(world.bureau))
    url = f"/console/hotline/centres/{world.centre.pk}/roster"
    page = main(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert "Agent roster: 朝阳区公共法律服务中心" in page and "Add shift" in page
    assert "Gaps in 24/7 coverage over the next seven days" in page
    assert "添加排班" not in page and "覆盖缺口" not in page
    added = client.post(url, {"action": "seat", "number": "09"}, HTTP_ACCEPT_LANGUAGE="en",
                        follow=True)  # fmt: skip
    assert "Seat added." in main(added)
    again = client.post(url, {"action": "seat", "number": "09"}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 409
    assert "This centre already has this seat number." in main(again)


def test_the_seats_own_page_in_english(world: World, login_as: Login) -> None:
    page = main(english(login_as(world.wang)).get("/console/hotline/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "My shifts" in page and "Calls this month" in page and "Link work order" in page
    assert "E0" in page and "Answered" in page
    assert "我的排班" not in page and "本月来电" not in page and "已接通" not in page


def test_the_pages_stay_in_chinese_by_default(world: World, login_as: Login) -> None:
    client = login_as(world.bureau)
    report = main(client.get(f"/console/hotline/centres/{world.centre.pk}/report"))
    assert "坐席月报：朝阳区公共法律服务中心" in report and "不低于 90%" in report
    assert "接通率（接通量 9 ÷ 呼入量 10）" in report
    assert "At least" not in report and "Monthly agent report" not in report
    mine = main(login_as(world.wang).get("/console/hotline/"))
    assert "我的排班" in mine and "My shifts" not in mine
