from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from fawang.core.models import Role
from fawang.workorders import services
from fawang.workorders.metrics import FLOW_COUNTERS
from fawang.workorders.models import WorkOrder
from fawang.workorders.selectors import dashboard_for_user
from tests.conftest import CHAOYANG, HAIDIAN
from tests.factories import make_staff, region
from tests.workorders.helpers import build_world, new_order

pytestmark = pytest.mark.django_db


def test_dashboard_figures_match_a_hand_count() -> None:
    world = build_world()
    now = timezone.now()
    on_time = new_order(world.seat, topic="labour")  # claimed and replied in time, rated 5
    late = new_order(world.clerk, channel="window", topic="labour")  # claimed after the deadline
    waiting = new_order(world.citizen, channel="web", topic="debt")  # not yet due
    new_order(world.seat, region_code=HAIDIAN)  # another district: not counted
    services.claim_order(on_time, acting_user=world.seat)
    services.reply_to_order(on_time, reply="答复", acting_user=world.seat)
    services.rate_order(on_time, rating=5, token=on_time.rating_token)
    past = now - timedelta(days=10)
    WorkOrder.objects.filter(pk=late.pk).update(
        created_at=past,
        claim_due_at=past + timedelta(days=2),
        reply_due_at=past + timedelta(days=3),
    )
    services.claim_order(late, acting_user=world.second_seat)

    board = dashboard_for_user(
        world.supervisor, region(CHAOYANG), now - timedelta(days=30), now + timedelta(hours=1)
    )

    assert board.total == 3
    assert dict(board.by_channel) == {"12348热线": 1, "窗口": 1, "网站": 1}
    assert dict(board.by_topic) == {"劳动纠纷": 2, "债权债务": 1}
    assert dict(board.by_township) == {"建外街道": 3}
    # Due for claiming: on_time (claimed) and late (due passed) — waiting is neither.
    assert (board.claimed_on_time, board.claim_due) == (1, 2)
    assert board.claim_on_time_rate == 0.5
    # Due for reply: on_time (replied) and late (reply deadline passed, not replied).
    assert (board.replied_on_time, board.reply_due) == (1, 2)
    assert (board.rated, board.satisfied, board.average_rating) == (1, 1, 5.0)
    assert waiting.pk not in {late.pk, on_time.pk}


def test_dashboard_is_for_supervisors_of_that_region() -> None:
    world = build_world()
    now = timezone.now()
    with pytest.raises(Http404):
        dashboard_for_user(world.seat, region(CHAOYANG), now - timedelta(days=1), now)
    with pytest.raises(Http404):
        dashboard_for_user(world.supervisor, region(HAIDIAN), now - timedelta(days=1), now)
    city = make_staff(Role.SUPERVISOR_CITY, region_code="110000000000")
    assert dashboard_for_user(city, region(HAIDIAN), now - timedelta(days=1), now).total == 0


def test_the_web_claim_figure_uses_the_bj01_cohort_of_the_indicator() -> None:
    """Issue 13 item 9: the board shows BJ-01's own rule beside its all-channel figure, and the
    two agree with the indicator's counters for the same orders."""
    world = build_world()
    now = timezone.now()
    claimed = new_order(world.citizen, channel="web")
    new_order(world.citizen, channel="web")  # not yet due, not claimed
    new_order(world.seat)  # the hotline: not in BJ-01's cohort
    services.claim_order(claimed, acting_user=world.seat)
    board = dashboard_for_user(
        world.supervisor, region(CHAOYANG), now - timedelta(days=1), now + timedelta(hours=1)
    )
    assert (board.claimed_on_time, board.claim_due) == (1, 1)  # all channels, due or claimed
    assert (board.web_claimed_in_time, board.web_created) == (1, 2)
    today = timezone.localdate()
    assert sum(FLOW_COUNTERS["workorders.web_created"](today).values()) == board.web_created
    in_time = sum(FLOW_COUNTERS["workorders.web_claimed_in_time"](today).values())
    assert in_time == board.web_claimed_in_time


def test_the_dashboard_page_states_both_rules(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    page = login_as(world.supervisor).get("/console/dashboard/").content.decode()
    assert "口径：全部渠道" in page and "口径同指标 BJ-01" in page
