"""Priority for those who need it (R12): 绿色通道 first with the pack's shorter periods, a home
visit asked for, a request in another language or sign language reaching someone who has it."""

from __future__ import annotations

import pytest

from fawang.core.errors import InvalidInput
from fawang.policy.deadlines import deadline
from fawang.policy.packs import pack_for_region
from fawang.workorders import selectors, services
from tests.factories import make_practitioner
from tests.workorders.helpers import build_world, new_order

pytestmark = pytest.mark.django_db


def test_green_channel_gets_the_packs_shorter_periods() -> None:
    world = build_world()
    plain = new_order(world.seat)
    green = new_order(world.seat, special_groups=("elderly",), home_visit=True)
    levels = pack_for_region(green.region).service_levels
    assert levels.green_channel is not None and "elderly" in levels.green_channel.groups
    assert green.green_channel and green.home_visit and not plain.green_channel
    assert green.claim_due_at == deadline(green.created_at, levels.green_channel.claim)
    assert green.reply_due_at == deadline(
        green.created_at, levels.green_channel.reply["consultation"]
    )
    assert green.claim_due_at < plain.claim_due_at
    assert green.reply_due_at < plain.reply_due_at


def test_a_group_outside_the_green_channel_is_not_marked() -> None:
    world = build_world()
    order = new_order(world.seat, special_groups=("woman",))
    assert not order.green_channel


def test_green_channel_is_claimed_first_and_listed_first() -> None:
    world = build_world()
    older = new_order(world.seat)
    green = new_order(world.seat, special_groups=("disabled",))
    newer = new_order(world.seat)
    queue = list(selectors.queue_for_user(world.seat, "institution"))
    assert queue[0] == green and queue[1:] == [newer, older]
    assert services.claim_next(acting_user=world.seat) == green
    assert services.claim_next(acting_user=world.seat) == older


def test_a_sign_language_request_is_left_to_the_colleague_who_signs() -> None:
    world = build_world()
    make_practitioner(world.centre, user=world.second_seat, languages=["zh", "csl"])
    make_practitioner(world.centre, user=world.seat, languages=["zh"])
    signing = new_order(world.seat, language="csl")
    plain = new_order(world.seat)
    assert services.claim_next(acting_user=world.seat) == plain
    assert services.claim_next(acting_user=world.seat) is None
    assert services.claim_next(acting_user=world.second_seat) == signing


def test_the_queue_follows_a_colleague_who_stops_serving_or_learns_signing() -> None:
    world = build_world()
    signer = make_practitioner(world.centre, user=world.second_seat, languages=["zh", "csl"])
    make_practitioner(world.centre, user=world.seat, languages=["zh"])
    first = new_order(world.seat, language="csl")
    assert services.claim_next(acting_user=world.seat) is None  # left to the colleague
    world.second_seat.is_active = False  # the signing colleague left the centre
    world.second_seat.save()
    assert services.claim_next(acting_user=world.seat) == first  # nobody else signs: anyone may
    world.second_seat.is_active = True
    world.second_seat.save()
    second = new_order(world.seat, language="csl")
    assert services.claim_next(acting_user=world.seat) is None
    signer.languages = ["zh"]
    signer.save()
    assert services.claim_next(acting_user=world.seat) == second


def test_auto_assignment_prefers_the_language() -> None:
    world = build_world()
    make_practitioner(world.centre, user=world.second_seat, languages=["zh", "en"])
    order = new_order(world.seat, language="en")
    order = services.assign_order(order, acting_user=world.seat)
    assert order.assignee == world.second_seat


def test_unknown_language_is_refused() -> None:
    world = build_world()
    with pytest.raises(InvalidInput) as refused:
        new_order(world.seat, language="klingon")
    assert refused.value.field == "language"


def test_staff_intake_form_marks_the_green_channel(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    client = login_as(world.seat)
    page = client.get("/console/orders/new").content.decode()
    assert 'name="home_visit"' in page and 'name="language"' in page and "手语" in page
