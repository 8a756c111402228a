from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from fawang.mediation.models import Dispute, DisputeWarning
from fawang.mediation.services import detect_spikes, is_spike
from fawang.workorders.models import Notification
from tests.factories import region
from tests.mediation.helpers import JIANWAI, NANLANG, build_world

pytestmark = pytest.mark.django_db

WEEK = date(2026, 11, 30)  # a Monday
NORMAL_WEEKS = [2, 3, 2, 3, 2, 3, 2, 3]  # the 8 weeks before WEEK, most recent first
_numbers = itertools.count(1)


def disputes_in_week(
    monday: date, count: int, *, code: str = JIANWAI, kind: str = "neighbour"
) -> None:
    place = region(code)
    for i in range(count):
        moment = timezone.make_aware(datetime.combine(monday + timedelta(days=i % 7), time(10)))
        Dispute.objects.create(
            number=f"T{next(_numbers):08d}",
            source="citizen",
            dispute_type=kind,
            facts="x",
            region=place,
            received_at=moment,
        )


def history(code: str = JIANWAI) -> None:
    for weeks_back, count in enumerate(NORMAL_WEEKS, start=1):
        disputes_in_week(WEEK - timedelta(weeks=weeks_back), count, code=code)


def test_normal_week_does_not_fire() -> None:
    build_world()
    history()
    disputes_in_week(WEEK, 3)
    assert detect_spikes(WEEK) == []
    assert not DisputeWarning.objects.exists()


def test_spike_fires_and_notifies_township_and_district_bureau() -> None:
    world = build_world()
    history()
    disputes_in_week(WEEK, 4)
    disputes_in_week(WEEK, 5, code=NANLANG)  # a community of the same township counts too
    warnings = detect_spikes(WEEK + timedelta(days=3))
    assert [(w.township.code, w.dispute_type, w.count) for w in warnings] == [
        (JIANWAI, "neighbour", 9)
    ]
    recipients = set(Notification.objects.values_list("recipient_id", flat=True))
    assert recipients == {world.township_bureau.pk, world.district_bureau.pk}


def test_spike_warns_once_per_week() -> None:
    build_world()
    history()
    disputes_in_week(WEEK, 9)
    detect_spikes(WEEK)
    assert detect_spikes(WEEK) == []
    assert DisputeWarning.objects.count() == 1


def test_other_dispute_type_does_not_borrow_the_spike() -> None:
    build_world()
    history()
    disputes_in_week(WEEK, 9, kind="labour")
    disputes_in_week(WEEK, 3)
    warnings = detect_spikes(WEEK)
    assert [w.dispute_type for w in warnings] == ["labour"]


def test_rule_needs_the_minimum_count_even_from_a_quiet_baseline() -> None:
    assert is_spike(4, [0] * 8, k=2.0, min_count=5) == (False, 5.0)
    assert is_spike(6, [0] * 8, k=2.0, min_count=5)[0] is True


def test_rule_threshold_is_mean_plus_k_stddev_when_above_the_minimum() -> None:
    fires, threshold = is_spike(20, [10, 14, 10, 14], k=2.0, min_count=5)
    assert threshold == pytest.approx(16.0)
    assert fires is True
    assert is_spike(16, [10, 14, 10, 14], k=2.0, min_count=5)[0] is False
