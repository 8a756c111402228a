"""Concurrent "next" presses on PostgreSQL: every claimer gets a different order."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from fawang.core.models import Region, Role
from fawang.core.services import load_regions
from fawang.workorders import services
from fawang.workorders.models import Status, WorkOrder
from fawang.workorders.selectors import eligible_for_claim, in_hand_out_order
from tests.conftest import CHAOYANG
from tests.factories import make_staff
from tests.workorders.helpers import build_world, new_order


@pytest.mark.django_db(transaction=True)
def test_concurrent_claimers_never_get_the_same_order() -> None:
    if not Region.objects.exists():  # an earlier transactional test flushed the session's regions
        load_regions(cities=["beijing"])
    world = build_world()
    orders = [new_order(world.seat) for _ in range(8)]
    claimers = [
        make_staff(Role.HOTLINE_SEAT, region_code=CHAOYANG, institution=world.centre)
        for _ in range(12)
    ]
    barrier = threading.Barrier(len(claimers))
    results: dict[int, str | None] = {}

    def press_next(user_index: int) -> None:
        try:
            barrier.wait()
            order = services.claim_next(acting_user=claimers[user_index])
            results[user_index] = order.number if order else None
        finally:
            connection.close()

    threads = [threading.Thread(target=press_next, args=(i,)) for i in range(len(claimers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    claimed = [number for number in results.values() if number]
    assert len(results) == len(claimers)
    assert sorted(claimed) == sorted(order.number for order in orders)
    assert len(set(claimed)) == len(claimed)
    assert WorkOrder.objects.filter(status=Status.CLAIMED).count() == len(orders)
    for order in WorkOrder.objects.all():
        assert order.events.filter(kind="claimed").count() == 1


@pytest.mark.django_db
def test_next_reads_the_first_order_off_the_index_without_sorting_the_queue() -> None:
    """ "Next" costs the same with twenty thousand orders waiting as with ten: the queue's order
    comes from the index ``workorder_claim_queue``, not from sorting every waiting order."""
    world = build_world()
    for _ in range(5):
        new_order(world.seat)
    queue = in_hand_out_order(eligible_for_claim(world.seat))[:1]
    with connection.cursor() as cursor:
        # Make any plan that sorts cost more than one that reads the index in order.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queue.explain()
    assert "workorder_claim_queue" in plan and "Sort" not in plan, plan
    waiting = WorkOrder.objects.filter(status=Status.QUEUED, institution=world.seat.institution)
    assert queue[0] == waiting.order_by("created_at")[0]
