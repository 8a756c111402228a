"""Deadlines in working days from the official calendar, overdue marking and escalation."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from fawang.core.models import Role
from fawang.policy.deadlines import Period, Unit, deadline
from fawang.policy.workdays import (
    _warn_unpublished,
    is_workday,
    statutory_holidays,
    working_days_after,
)
from fawang.workorders import services
from fawang.workorders.models import EventKind, Notification, Status, WorkOrder
from tests.factories import make_staff
from tests.workorders.helpers import build_world, new_order

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime(y, m, d, h, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("created", "due"),
    [
        # Fri 26 Sep 2025, before National Day: Sun 28 Sep is an adjusted workday, then Mon 29.
        (at(2025, 9, 26), at(2025, 9, 30, 0)),
        # Wed 30 Sep 2026: 1–7 Oct are holidays, so Thu 8 and Fri 9 Oct count.
        (at(2026, 9, 30), at(2026, 10, 10, 0)),
        # Thu 24 Sep 2026, the day before the Mid-Autumn break (25–27 Sep): Mon 28, Tue 29.
        (at(2026, 9, 24), at(2026, 9, 30, 0)),
        # Created on a holiday (Sat 3 Oct 2026): counting starts after it — Thu 8, Fri 9 Oct.
        (at(2026, 10, 3), at(2026, 10, 10, 0)),
        # Fri 9 Oct 2026: Sat 10 Oct is an adjusted workday, Sun 11 is not, then Mon 12.
        (at(2026, 10, 9), at(2026, 10, 13, 0)),
    ],
)
def test_claim_deadline_counts_official_working_days(created: datetime, due: datetime) -> None:
    assert working_days_after(created, 2) == due


@pytest.mark.django_db  # a year's schedule may have been entered (policy.holidays)
def test_unpublished_year_falls_back_to_weekends_and_statutory_holidays(caplog) -> None:  # type: ignore[no-untyped-def]
    _warn_unpublished.cache_clear()
    with caplog.at_level(logging.WARNING, logger="fawang.workdays"):
        # 2027: Spring Festival is 6 Feb (Sat); eve 5 Feb, then 6–8 Feb are statutory holidays.
        assert not is_workday(date(2027, 2, 5))
        assert not is_workday(date(2027, 2, 8))
        assert is_workday(date(2027, 2, 9))
        assert not is_workday(date(2027, 10, 1))
        assert is_workday(date(2027, 10, 4))
    assert any("2027" in r.getMessage() for r in caplog.records)
    assert date(2027, 4, 5) in statutory_holidays(2027)  # Qingming
    assert date(2027, 9, 15) in statutory_holidays(2027)  # Mid-Autumn


@pytest.mark.django_db
def test_order_created_before_national_day_becomes_overdue_on_the_right_day(settings) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.seat)
    created = at(2025, 9, 26, 16)
    WorkOrder.objects.filter(pk=order.pk).update(
        created_at=created, claim_due_at=working_days_after(created, 2)
    )
    assert services.sweep_deadlines(at(2025, 9, 29, 23)).claim_overdue == 0
    assert services.sweep_deadlines(at(2025, 9, 30, 0)).claim_overdue == 1
    order.refresh_from_db()
    assert order.claim_overdue and order.escalation_level == 1
    event = order.events.get(kind=EventKind.CLAIM_OVERDUE)
    assert "区司法局" in event.note
    assert Notification.objects.filter(recipient=world.supervisor, order=order).exists()
    # Re-running the sweep marks and notifies nothing twice.
    again = services.sweep_deadlines(at(2025, 9, 30, 1))
    assert (again.claim_overdue, again.notifications) == (0, 0)


@pytest.mark.django_db
def test_overdue_order_escalates_to_the_city_after_more_working_days() -> None:
    world = build_world()
    city = make_staff(Role.SUPERVISOR_CITY, region_code="110000000000")
    order = new_order(world.seat)
    due = at(2026, 11, 16, 0)
    WorkOrder.objects.filter(pk=order.pk).update(
        claim_due_at=due, reply_due_at=due + timedelta(days=5)
    )
    services.sweep_deadlines(at(2026, 11, 16, 9))
    assert services.sweep_deadlines(at(2026, 11, 16, 12)).escalated_to_city == 0
    result = services.sweep_deadlines(at(2026, 11, 18, 9))  # 2 working days later
    assert result.escalated_to_city == 1
    order.refresh_from_db()
    assert order.escalation_level == 2
    assert Notification.objects.filter(recipient=city, order=order).exists()


@pytest.mark.django_db
def test_claimed_order_turns_reply_overdue_and_replied_orders_close_after_a_week() -> None:
    world = build_world()
    order = new_order(world.seat)
    services.claim_order(order, acting_user=world.seat)
    order.refresh_from_db()
    assert services.sweep_deadlines(order.reply_due_at).reply_overdue == 1
    services.reply_to_order(order, reply="答复", acting_user=world.seat)
    order.refresh_from_db()
    assert services.sweep_deadlines(order.replied_at + timedelta(days=6)).closed == 0
    # 7 calendar days from the reply, counted by the one deadline rule (policy.deadlines).
    closes = deadline(order.replied_at, Period(7, Unit.CALENDAR_DAYS))
    assert services.sweep_deadlines(closes - timedelta(minutes=1)).closed == 0
    assert services.sweep_deadlines(closes).closed == 1
    order.refresh_from_db()
    assert order.status == Status.CLOSED


@pytest.mark.django_db
def test_deadlines_come_from_the_citys_policy_pack() -> None:
    world = build_world()
    order = new_order(world.seat, business_line="notarization")
    created = order.created_at
    assert order.claim_due_at == working_days_after(created, 2)
    assert order.reply_due_at == working_days_after(created, 15)
    sjz = new_order(world.seat, region_code="130102000000", business_line="appraisal")
    assert sjz.reply_due_at == working_days_after(sjz.created_at, 30)
    assert timezone.is_aware(order.claim_due_at)
