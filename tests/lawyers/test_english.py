"""The lawyers pages in English (the person chose it: the language cookie) and, by default, in
Simplified Chinese. Names, titles and other data stay as they were typed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from fawang.core.models import User
from fawang.lawyers import services
from tests.language import english, main
from tests.lawyers.helpers import World, activity, build_world

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def w() -> World:
    return build_world()


def test_the_lawyers_own_page_in_english(w: World, login_as: Login) -> None:
    a = activity(w)
    client = english(login_as(w.lawyer))
    page = main(client.get("/console/lawyers/", HTTP_ACCEPT_LANGUAGE="en"))
    year = timezone.localdate().year
    assert f"Pro bono legal service hours in {year}" in page
    assert "Log hours" in page and "Hours" in page and "Note (optional)" in page
    assert "My integrity records" in page and "Protection of practice rights" in page
    assert "Our lawyers and annual inspection" in page  # the firm admin's link
    assert a.title in page and "马律师" in page  # data as typed
    for chinese in ("公益法律服务时长", "登记时长", "我的诚信档案", "执业权利保障", "提交申请"):
        assert chinese not in page
    # A refusal is in English too, beside what was typed.
    bad = client.post("/console/lawyers/", {"action": "log", "activity_id": a.pk, "hours": "99",
                                            "note": "已填写的说明"}, HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert bad.status_code == 400
    assert "Hours must be more than 0 and no more than 24." in main(bad)
    assert "已填写的说明" in main(bad) and "不超过24小时" not in main(bad)


def test_the_bureau_board_in_english(w: World, login_as: Login) -> None:
    row = services.log_hours(activity(w).pk, 5, acting_user=w.lawyer)
    services.confirm_hours(row, True, acting_user=w.bureau)
    client = english(login_as(w.bureau))
    page = main(client.get("/console/lawyers/board", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Plan targets and actual figures" in page
    assert "By district" in page and "By law firm" in page and "Confirmed hours" in page
    assert "Pro bono activities and service groups" in page  # the bureau's sub-navigation
    assert "马律师（北京朝阳测试律师事务所）" in page
    for chinese in ("规划目标与实际", "各区", "已确认时长", "公益活动与服务团", "没有数据"):
        assert chinese not in page
    roster = main(client.get("/console/lawyers/roster", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Law firms (basic legal service offices)" in roster and "Save lawyer record" in roster
    assert "律所与律师档案" not in roster and "保存律师档案" not in roster


def test_the_public_credit_search_in_english(w: World, client: Client) -> None:
    response = english(client).get("/lawyers/credit", {"q": "马"}, HTTP_ACCEPT_LANGUAGE="en")
    page = main(response)
    assert "Integrity information on lawyers and law firms" in page and ">Search</button>" in page
    assert "马律师" in page
    assert "律师和律师事务所诚信信息" not in page and "查询" not in page


def test_the_pages_stay_in_chinese_by_default(w: World, login_as: Login) -> None:
    board = main(login_as(w.bureau).get("/console/lawyers/board"))
    assert "规划目标与实际" in board and "各区" in board and "已确认时长（小时）" in board
    assert "Plan targets" not in board and "By district" not in board
    mine = main(login_as(w.lawyer).get("/console/lawyers/"))
    assert "我的公益时长与诚信" in mine and "登记时长" in mine and "执业权利保障" in mine
    assert "Log hours" not in mine and "My integrity records" not in mine
