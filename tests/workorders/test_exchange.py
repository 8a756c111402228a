"""Status updates to the 12345 citizen hotline go through an outbox: none lost, none sent twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fawang.workorders import services
from fawang.workorders.exchange import MemoryExchange
from fawang.workorders.models import ExchangeMessage, OutboxStatus
from tests.workorders.helpers import build_world, new_order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_exchange() -> None:
    MemoryExchange.sent.clear()
    MemoryExchange.fail_next = 0


def test_each_state_change_of_a_12345_order_queues_one_update() -> None:
    world = build_world()
    order = new_order(world.seat, channel="hotline_12345", external_ref="12345-7788")
    services.claim_order(order, acting_user=world.seat)
    services.reply_to_order(order, reply="已电话答复。", acting_user=world.seat)
    events = [m.payload["event"] for m in ExchangeMessage.objects.order_by("id")]
    assert events == ["created", "routed", "claimed", "replied"]
    assert all(m.payload["ticket_id"] == "12345-7788" for m in ExchangeMessage.objects.all())
    assert ExchangeMessage.objects.get(payload__event="replied").payload["reply"] == "已电话答复。"
    assert not ExchangeMessage.objects.exclude(order=order).exists()


def test_a_hotline_order_queues_nothing_for_12345() -> None:
    world = build_world()
    new_order(world.seat)
    assert not ExchangeMessage.objects.exists()


def test_failed_send_is_retried_later_and_nothing_is_sent_twice() -> None:
    world = build_world()
    order = new_order(world.seat, channel="hotline_12345", external_ref="12345-1")
    now = timezone.now()
    MemoryExchange.fail_next = 1
    assert services.deliver_exchange_messages(now) == 0
    failed = ExchangeMessage.objects.order_by("id").first()
    assert failed is not None and failed.attempts == 1 and "unreachable" in failed.last_error
    # The later update of the same order waits behind the failed one.
    assert MemoryExchange.sent == []
    assert services.deliver_exchange_messages(now + timedelta(seconds=30)) == 0
    assert services.deliver_exchange_messages(now + timedelta(minutes=3)) == 2
    assert [m["event"] for m in MemoryExchange.sent] == ["created", "routed"]
    assert services.deliver_exchange_messages(now + timedelta(minutes=10)) == 0
    assert len(MemoryExchange.sent) == 2
    services.claim_order(order, acting_user=world.seat)
    assert services.deliver_exchange_messages(now + timedelta(minutes=11)) == 1
    ids = [m["message_id"] for m in MemoryExchange.sent]
    assert len(ids) == len(set(ids)) == 3
    assert set(ExchangeMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_a_message_is_given_up_after_repeated_failures() -> None:
    world = build_world()
    new_order(world.seat, channel="hotline_12345", external_ref="12345-2")
    MemoryExchange.fail_next = 100
    moment = timezone.now()
    for _ in range(services.MAX_EXCHANGE_ATTEMPTS):
        moment += timedelta(days=2)
        services.deliver_exchange_messages(moment)
    first = ExchangeMessage.objects.order_by("id").first()
    assert first is not None and first.status == OutboxStatus.FAILED
