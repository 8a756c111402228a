from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import openpyxl
import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from fawang.consult.hotwords import hot_words
from fawang.consult.text import tokenize
from fawang.core.models import Role
from fawang.workorders.models import WorkOrder
from tests.conftest import CHAOYANG, HAIDIAN
from tests.factories import make_staff, region
from tests.pdf_text import assert_embeds_our_font
from tests.workorders.helpers import build_world, new_order

pytestmark = pytest.mark.django_db

WAGES = "工地老板拖欠工资三个月不给，农民工工资怎么讨要？"
DEPOSIT = "房东不退押金，租房合同到期了押金一直不给"
LOAN = "朋友借钱不还，只有微信转账记录"


def _order_at(actor, text: str, days_ago: int, topic: str) -> None:  # type: ignore[no-untyped-def]
    order = new_order(actor, description=text, title=text[:20], topic=topic)
    WorkOrder.objects.filter(pk=order.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )


def test_hot_words_rank_terms_and_find_what_is_rising() -> None:
    world = build_world()
    for _ in range(5):
        _order_at(world.seat, WAGES, 3, "labour")  # this month: wages surge
    for _ in range(2):
        _order_at(world.seat, DEPOSIT, 4, "property")
        _order_at(world.seat, DEPOSIT, 40, "property")  # steady
    _order_at(world.seat, LOAN, 45, "debt")
    for _ in range(2):
        _order_at(world.seat, WAGES, 50, "labour")  # the baseline: wages were asked about before
    for _ in range(3):
        _order_at(
            world.seat, LOAN.replace("微信", "支付宝"), 6, "debt"
        )  # "支付宝": new, no baseline
    _order_at(world.seat, WAGES, 5, "labour")
    _order_at(world.seat, WAGES, 2, "labour")
    new_order(world.seat, region_code=HAIDIAN, description=LOAN)  # another district

    end = timezone.now() + timedelta(minutes=1)
    report = hot_words(world.supervisor, region(CHAOYANG), end - timedelta(days=30), end, top=40)

    assert (report.requests, report.previous_requests) == (12, 5)
    top = [trend.term for trend in report.top_terms]
    assert set(top[:3]) <= set(tokenize(WAGES))  # the wage requests lead
    assert "押金" in top and "怎么" not in top and "三个月" not in top
    rising = {trend.term: trend for trend in report.rising_terms}
    assert "工资" in rising and rising["工资"].previous == 2 and rising["工资"].count == 7
    assert "支付宝" in top and "支付宝" not in rising  # 0 before: no baseline to rise from
    assert "押金" not in rising  # 2 requests before, 2 now: not rising
    mix = {label: (count, change) for label, count, _share, change in report.topic_mix}
    assert mix["劳动纠纷"][0] == 7 and mix["劳动纠纷"][1] > 0


def test_hot_words_are_for_staff_of_the_region() -> None:
    world = build_world()
    now = timezone.now()
    other = make_staff(Role.SUPERVISOR_DISTRICT, region_code=HAIDIAN)
    with pytest.raises(Http404):
        hot_words(other, region(CHAOYANG), now - timedelta(days=1), now)
    with pytest.raises(Http404):
        hot_words(world.citizen, region(CHAOYANG), now - timedelta(days=1), now)


def _quarter_world() -> Any:
    """Five wage requests and two deposit requests this quarter in Chaoyang."""
    world = build_world()
    for _ in range(5):
        new_order(world.seat, description=WAGES, title=WAGES[:20], topic="labour")
    for _ in range(2):
        new_order(world.seat, description=DEPOSIT, title=DEPOSIT[:20], topic="property")
    return world


def _this_quarter() -> dict[str, Any]:
    today = timezone.localdate()
    return {"year": today.year, "quarter": (today.month - 1) // 3 + 1, "region": CHAOYANG}


def test_quarterly_page_lists_the_top_terms(login_as: Any) -> None:
    world = _quarter_world()
    response = login_as(world.supervisor).get(reverse("consult:hot_words"), _this_quarter())
    assert response.status_code == 200
    page = response.content.decode()
    table = page[
        page.index('id="top-terms"') : page.index("</table>", page.index('id="top-terms"'))
    ]
    assert "<td>工资</td><td>5</td>" in table
    assert "<td>押金</td><td>2</td>" in table
    assert "怎么" not in table


def test_quarterly_report_downloads_as_excel_with_a_chart(login_as: Any) -> None:
    world = _quarter_world()
    response = login_as(world.supervisor).get(
        reverse("consult:hot_words"), {**_this_quarter(), "format": "xlsx"}
    )
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    terms = {row[0]: row[1] for row in workbook["热词"].iter_rows(min_row=2, values_only=True)}
    assert terms["工资"] == 5 and terms["押金"] == 2
    assert len(workbook["热词"]._charts) == 1
    mix = {row[0]: row[1] for row in workbook["分类构成"].iter_rows(min_row=2, values_only=True)}
    assert mix["劳动纠纷"] == 5 and sum(mix.values()) == 7


def test_quarterly_report_downloads_as_pdf(login_as: Any) -> None:
    world = _quarter_world()
    response = login_as(world.supervisor).get(
        reverse("consult:hot_words"), {**_this_quarter(), "format": "pdf"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = assert_embeds_our_font(response.content).text
    assert "法律咨询热词分析" in text and "一、本期热词" in text
    assert "工资" in text and "劳动纠纷" in text


def test_hot_word_page_refuses_a_region_outside_the_scope(login_as: Any) -> None:
    _quarter_world()
    other = make_staff(Role.SUPERVISOR_DISTRICT, region_code=HAIDIAN)
    response = login_as(other).get(reverse("consult:hot_words"), _this_quarter())
    assert response.status_code == 400  # Chaoyang is not among a Haidian supervisor's choices
    assert "工资" not in response.content.decode()
