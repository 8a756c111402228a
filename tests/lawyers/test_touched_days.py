"""The incremental fill refills the days a lawyers change touches (``metrics.touched_days``). The
line's flows count by the moment a record is entered, confirmed or decided (docs/lawyers.md), so
an activity held weeks ago and entered today counts today: the hook names today, and the day
the activity was held is not refilled."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fawang.indicators import fill
from fawang.indicators.models import FillState
from fawang.lawyers import metrics, services
from fawang.lawyers.models import LawyerProfile, ServiceActivity, ServiceHours
from tests.conftest import CHAOYANG
from tests.factories import daily_counts
from tests.lawyers.helpers import World, activity, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return build_world()


def test_an_activity_held_weeks_ago_counts_on_the_day_it_is_entered(w: World) -> None:
    FillState.objects.create(name=fill.WATERMARK, last_run_at=timezone.now())
    today = timezone.localdate()
    group = services.create_group(name="朝阳律师志愿团", kind="volunteer", region_code=CHAOYANG,
                                  member_ids=[w.person.pk], acting_user=w.bureau)  # fmt: skip
    held = activity(w, kind="service_group", days_ago=30, group_id=group.pk)
    row = services.log_hours(held.pk, "6.5", acting_user=w.lawyer)
    services.confirm_hours(row, True, acting_user=w.bureau)
    assert metrics.touched_days(timezone.now() - timedelta(minutes=1)) == {today}
    fill.fill_incremental()
    for counter, value in (("group_activities", 1.0), ("public_interest_hours", 6.5)):
        counts = daily_counts(f"lawyers.{counter}", CHAOYANG)
        assert counts == {today: value}, counter


def test_confirming_hours_logged_days_ago_touches_the_day_of_confirmation(w: World) -> None:
    """The confirmation saves only the fields it changes: ``updated_at`` must be one of them."""
    row = services.log_hours(activity(w, days_ago=10).pk, "3", acting_user=w.lawyer)
    logged = timezone.now() - timedelta(days=3)
    for model in (ServiceActivity, ServiceHours, LawyerProfile):
        model.objects.update(updated_at=logged)
    since = timezone.now() - timedelta(minutes=1)
    assert metrics.touched_days(since) == set()
    services.confirm_hours(row, True, acting_user=w.bureau)
    assert metrics.touched_days(since) == {timezone.localdate()}


def test_a_firm_profile_touches_the_day_it_is_saved(w: World) -> None:
    """The party-organisation stocks read the current profile, which keeps no dates."""
    FillState.objects.create(name=fill.WATERMARK, last_run_at=timezone.now())
    services.save_firm_profile(w.firm.pk, firm_type="partnership", party_members=3,
                               party_instructor="张指导", foreign_branches=0,
                               international_leading=False, acting_user=w.bureau)  # fmt: skip
    today = timezone.localdate()
    assert metrics.touched_days(timezone.now() - timedelta(minutes=1)) == {today}
    fill.fill_incremental()
    assert daily_counts("lawyers.firms_with_party_members", CHAOYANG) == {today: 1.0}


def test_nothing_is_touched_after_the_change(w: World) -> None:
    row = services.log_hours(activity(w, days_ago=30).pk, "2", acting_user=w.lawyer)
    services.confirm_hours(row, True, acting_user=w.bureau)
    assert metrics.touched_days(timezone.now() + timedelta(seconds=1)) == set()
    assert metrics.touched_days(timezone.now() + timedelta(days=2)) == set()
