"""The hot-word link (console face): a topic whose share of a township's requests rose this
quarter is suggested as that township's education theme; the bureau adopts it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fawang.consult.hotword_report import quarter_bounds
from fawang.education.models import EducationTheme
from fawang.workorders.models import WorkOrder
from tests.education.helpers import JIANWAI
from tests.education.test_content import _client_for
from tests.workorders.helpers import build_world, new_order

pytestmark = pytest.mark.django_db


def _orders(actor, topic: str, n: int, when) -> None:  # type: ignore[no-untyped-def]
    for _ in range(n):
        order = new_order(actor, topic=topic, description="工地拖欠工资三个月", region_code=JIANWAI)
        WorkOrder.objects.filter(pk=order.pk).update(created_at=when)


def test_rising_topic_is_suggested_for_its_township_and_adopted() -> None:
    world = build_world()
    today = timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    start, _ = quarter_bounds(year, quarter)
    _orders(world.seat, "debt", 4, start - timedelta(days=10))  # the quarter before
    _orders(world.seat, "labour", 5, start + timedelta(hours=12))  # this quarter: wages surge
    _orders(world.seat, "debt", 1, start + timedelta(hours=12))
    bureau = _client_for(world.supervisor)  # 朝阳区司法局
    page = bureau.get("/console/education-themes/", {"year": year, "quarter": quarter})
    text = page.content.decode()
    assert page.status_code == 200 and "建外街道" in text and "劳动纠纷" in text
    assert "债权债务" not in text.split("theme-suggestions")[1].split("</table>")[0]
    done = bureau.post(
        f"/console/education-themes/?year={year}&quarter={quarter}",
        {"region": JIANWAI, "topic": "labour", "reason": "劳动纠纷咨询上升"},
    )
    assert done.status_code == 302
    theme = EducationTheme.objects.get()
    assert (theme.region.code, theme.topic, theme.quarter) == (JIANWAI, "labour", quarter)
    again = bureau.get("/console/education-themes/", {"year": year, "quarter": quarter})
    assert "已确定" in again.content.decode()
    outside = bureau.post(
        "/console/education-themes/", {"region": "110108001000", "topic": "labour"}
    )
    assert outside.status_code == 404
