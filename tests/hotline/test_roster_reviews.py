"""The roster (a seat is in one shift at a time, a person at one seat, 7×24 gaps) and the
monthly review sample (seeded by centre and month; scored on the pack's checklist)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from fawang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fawang.hotline import services
from fawang.hotline.models import SeatReview
from fawang.hotline.timing import local_zone, this_month
from tests.hotline.helpers import World, build_world, event, shift_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def at(hour: int, day: int = 1) -> datetime:
    return datetime(2030, 1, day, hour, tzinfo=local_zone())


def test_a_seat_is_not_in_two_shifts_at_once(world: World) -> None:
    services.add_shift(world.seat1, world.wang, at(8), at(20), acting_user=world.bureau)
    with pytest.raises(Conflict) as seat_taken:
        services.add_shift(world.seat1, world.li, at(19), at(23), acting_user=world.bureau)
    assert seat_taken.value.code == "shift_overlap"
    with pytest.raises(Conflict) as busy:
        services.add_shift(world.seat2, world.wang, at(10), at(12), acting_user=world.bureau)
    assert busy.value.code == "staff_busy"
    # Back to back is fine.
    services.add_shift(world.seat1, world.li, at(20), at(8, day=2), acting_user=world.bureau)


def test_bad_shifts_are_refused(world: World) -> None:
    with pytest.raises(InvalidInput):
        services.add_shift(world.seat1, world.wang, at(8), at(8), acting_user=world.bureau)
    with pytest.raises(InvalidInput):
        services.add_shift(world.seat1, world.wang, at(8), at(9, day=2), acting_user=world.bureau)
    with pytest.raises(InvalidInput) as outsider:
        services.add_shift(
            world.seat1, world.haidian_person, at(8), at(9), acting_user=world.bureau
        )
    assert outsider.value.code == "bad_staff"


def test_only_the_centres_supervisors_manage_the_roster(world: World) -> None:
    with pytest.raises(NotFound):
        services.add_shift(world.seat1, world.wang, at(8), at(9), acting_user=world.haidian_bureau)
    with pytest.raises(PermissionDenied):
        services.add_shift(world.seat1, world.wang, at(8), at(9), acting_user=world.wang)
    # The city bureau supervises every district.
    services.add_shift(world.seat1, world.wang, at(8), at(9), acting_user=world.city_bureau)


def test_coverage_gaps_of_the_week(world: World) -> None:
    services.add_shift(world.seat1, world.wang, at(8), at(20), acting_user=world.bureau)
    services.add_shift(world.seat2, world.li, at(18), at(8, day=2), acting_user=world.bureau)
    gaps = services.coverage_gaps(world.centre, at(0), days=2)
    assert gaps == [(at(0), at(8)), (at(8, day=2), at(0, day=3))]


def _answered_calls(world: World, n: int) -> None:
    shift_now(world, world.seat1, world.wang)
    for i in range(n):
        services.record_call(event(world, f"R{i}"), acting_user=world.bureau)


def test_the_review_sample_is_reproducible(world: World) -> None:
    _answered_calls(world, 8)
    month = this_month()
    first = services.draw_reviews(world.centre, month, acting_user=world.bureau)
    assert len(first) == 3  # review_sample_per_seat in the Beijing pack
    drawn = [r.call.call_id for r in first]
    assert services.draw_reviews(world.centre, month, acting_user=world.bureau) == []
    SeatReview.objects.all().delete()
    again = services.draw_reviews(world.centre, month, acting_user=world.bureau)
    assert [r.call.call_id for r in again] == drawn
    with pytest.raises(NotFound):
        services.draw_reviews(world.centre, month, acting_user=world.haidian_bureau)
    with pytest.raises(InvalidInput):
        services.draw_reviews(world.centre, "2026-13", acting_user=world.bureau)


def test_scoring_a_review_on_the_checklist(world: World) -> None:
    _answered_calls(world, 2)
    review = services.draw_reviews(world.centre, this_month(), acting_user=world.bureau)[0]
    scores = {"greeting": 10, "accuracy": 30, "standard_answer": 20, "order": 20, "privacy": 10}
    with pytest.raises(InvalidInput) as too_high:
        services.score_review(review, {**scores, "accuracy": 41}, "", acting_user=world.bureau)
    assert too_high.value.field == "accuracy"
    review.refresh_from_db()
    assert review.total is None
    with pytest.raises(NotFound):
        services.score_review(review, scores, "", acting_user=world.haidian_bureau)
    services.score_review(review, scores, "解答较准确", acting_user=world.bureau)
    review.refresh_from_db()
    assert review.total == 90 and review.reviewer == world.bureau
    with pytest.raises(Conflict):
        services.score_review(review, scores, "", acting_user=world.bureau)


def test_a_future_month_cannot_be_drawn(world: World) -> None:
    future = (datetime.now(local_zone()) + timedelta(days=40)).strftime("%Y-%m")
    with pytest.raises(InvalidInput):
        services.draw_reviews(world.centre, future, acting_user=world.bureau)
