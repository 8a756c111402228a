"""The incremental fill refills the days a hotline change touches (``metrics.touched_days``). The
counters count a call on the day the telephony system says it was offered, so a call-detail file
imported today counts its calls on their own days, and a work order rated today recounts the day
of the call it came from — beyond the fill's 7-day fallback window."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from fawang.hotline import metrics, services
from fawang.hotline.models import CallRecord
from fawang.hotline.telephony import BACKEND
from fawang.indicators import fill
from fawang.indicators.models import FillState
from fawang.workorders import services as orders
from fawang.workorders.models import DispatchRule
from tests.conftest import CHAOYANG
from tests.factories import daily_counts, local_midnight, region
from tests.hotline.helpers import World, answered_order, build_world, event

pytestmark = pytest.mark.django_db

HEADER = "call_id,centre_id,seat,offered_at,answered,wait_seconds,talk_seconds,recording_ref\n"


@pytest.fixture
def world() -> World:
    w = build_world()
    # The seats' orders reach their own centre, where they claim and answer them.
    DispatchRule.objects.create(region=region(CHAOYANG), institution=w.centre)
    return w


def a_month_ago() -> date:
    return timezone.localdate() - timedelta(days=30)


def import_file(world: World, rows: str) -> dict[str, int]:
    return services.import_cdr(BACKEND.parse_cdr(HEADER + rows), acting_user=world.bureau)


def call_of(world: World, day: date, call_id: str) -> CallRecord:
    offered = local_midnight(day) + timedelta(hours=10)
    call, _ = services.record_call(
        event(world, call_id, offered_at=offered), acting_user=world.bureau
    )
    return call


def test_calls_imported_today_from_a_month_ago_count_on_their_day(world: World) -> None:
    FillState.objects.create(name=fill.WATERMARK, last_run_at=timezone.now())
    today, back = timezone.localdate(), a_month_ago()
    offered = (local_midnight(back) + timedelta(hours=9)).isoformat()
    centre = world.centre.pk
    rows = f"C1,{centre},01,{offered},true,5,100,R1\nC2,{centre},,{offered},false,60,0,\n"
    assert import_file(world, rows) == {"created": 2, "existing": 0}
    assert metrics.touched_days(timezone.now() - timedelta(minutes=1)) == {back, today}
    fill.fill_incremental()
    assert daily_counts("hotline.calls_offered", CHAOYANG) == {back: 2.0}
    assert daily_counts("hotline.calls_answered", CHAOYANG) == {back: 1.0}


def test_an_order_rated_today_recounts_the_day_of_its_call(world: World) -> None:
    FillState.objects.create(name=fill.WATERMARK, last_run_at=timezone.now())
    back = a_month_ago()
    call = call_of(world, back, "R1")
    order = answered_order(world)
    services.link_order(call, order.number, acting_user=world.bureau)
    fill.fill_incremental()
    assert back not in daily_counts("hotline.rated_calls", CHAOYANG)
    # Stored and linked days ago: only the rating, on the order, touches the call now.
    CallRecord.objects.update(updated_at=timezone.now() - timedelta(days=3))
    since = timezone.now() - timedelta(minutes=1)
    orders.rate_order(order, rating=5, token=order.rating_token)
    assert metrics.touched_days(since) == {back}
    fill.fill_incremental()
    for counter in ("rated_calls", "rated_calls_satisfied", "calls_offered"):
        assert daily_counts(f"hotline.{counter}", CHAOYANG) == {back: 1.0}, counter


def test_linking_a_rated_order_touches_the_day_of_the_call(world: World) -> None:
    """The link saves only the fields it changes: ``updated_at`` must be one of them."""
    back = a_month_ago()
    call = call_of(world, back, "R2")
    order = answered_order(world)
    orders.rate_order(order, rating=2, token=order.rating_token)
    CallRecord.objects.update(updated_at=timezone.now() - timedelta(days=3))
    since = timezone.now() - timedelta(minutes=1)
    assert metrics.touched_days(since) == set()
    services.link_order(call, order.number, acting_user=world.bureau)
    assert metrics.touched_days(since) == {back, timezone.localdate()}
    FillState.objects.create(name=fill.WATERMARK, last_run_at=since)
    fill.fill_incremental()
    assert daily_counts("hotline.rated_calls", CHAOYANG) == {back: 1.0}
    assert back not in daily_counts("hotline.rated_calls_satisfied", CHAOYANG)


def test_a_call_offered_just_after_midnight_is_counted_on_the_new_day(world: World) -> None:
    """The telephony system's clock may run ahead of ours: a call stored before midnight, dated
    after it. The first run after midnight refills the new day, though nothing changed since."""
    today = timezone.localdate()
    offered = min(local_midnight(today) + timedelta(minutes=1), timezone.now())
    services.record_call(event(world, "N1", offered_at=offered), acting_user=world.bureau)
    # As if stored before the last run before midnight, further back than the fill's overlap.
    CallRecord.objects.update(
        updated_at=local_midnight(today) - fill.OVERLAP - timedelta(minutes=5)
    )
    assert metrics.touched_days(local_midnight(today) - timedelta(minutes=1)) == {today}
    assert metrics.touched_days(local_midnight(today) + timedelta(seconds=1)) == set()
    FillState.objects.create(
        name=fill.WATERMARK, last_run_at=local_midnight(today) - timedelta(minutes=1)
    )
    fill.fill_incremental()
    assert daily_counts("hotline.calls_offered", CHAOYANG).get(today) == 1.0


def test_a_retried_call_touches_nothing(world: World) -> None:
    back = a_month_ago()
    call_of(world, back, "T1")
    CallRecord.objects.update(updated_at=timezone.now() - timedelta(days=3))
    since = timezone.now() - timedelta(minutes=1)
    again = (local_midnight(back) + timedelta(hours=10)).isoformat()
    assert import_file(world, f"T1,{world.centre.pk},01,{again},true,5,999,R9\n") == {
        "created": 0,
        "existing": 1,
    }
    assert metrics.touched_days(since) == set()


def test_nothing_is_touched_after_the_change(world: World) -> None:
    call = call_of(world, a_month_ago(), "Z1")
    order = answered_order(world)
    services.link_order(call, order.number, acting_user=world.bureau)
    orders.rate_order(order, rating=5, token=order.rating_token)
    assert metrics.touched_days(timezone.now() + timedelta(seconds=1)) == set()
    assert metrics.touched_days(timezone.now() + timedelta(days=2)) == set()
