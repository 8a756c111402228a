from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from fawang.consult.hotwords import hot_words
from fawang.consult.text import tokenize
from fawang.core.models import Role
from fawang.workorders.models import WorkOrder
from tests.conftest import CHAOYANG, HAIDIAN
from tests.factories import make_staff, region
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
    _order_at(world.seat, WAGES, 5, "labour")
    _order_at(world.seat, WAGES, 2, "labour")
    new_order(world.seat, region_code=HAIDIAN, description=LOAN)  # another district

    end = timezone.now() + timedelta(minutes=1)
    report = hot_words(world.supervisor, region(CHAOYANG), end - timedelta(days=30), end)

    assert (report.requests, report.previous_requests) == (9, 3)
    top = [trend.term for trend in report.top_terms]
    assert set(top[:3]) <= set(tokenize(WAGES))  # the wage requests lead
    assert "押金" in top and "怎么" not in top
    rising = {trend.term: trend for trend in report.rising_terms}
    assert "工资" in rising and rising["工资"].previous == 0 and rising["工资"].count == 7
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
