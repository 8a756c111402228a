"""The incremental fill refills the days an education change touches (``metrics.touched_days``):
a legal-culture site recorded today but built weeks ago counts from the day it was built, not
only within the fill's 7-day fallback window."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from fawang.education import metrics, services
from fawang.education.models import LegalCultureSite
from fawang.indicators import fill
from fawang.indicators.models import FillState
from tests.education.helpers import JIANWAI, World, build_world, villages_of
from tests.factories import daily_counts

pytestmark = pytest.mark.django_db

COVERED = "education.villages_with_culture_site"


@pytest.fixture
def w() -> World:
    return build_world()


def site_built_on(w: World, day: date) -> LegalCultureSite:
    return services.register_site(
        services.SiteIn(
            name="法治文化广场",
            kind="park",
            region_code=villages_of(JIANWAI)[0].code,
            opened_on=day,
        ),
        acting_user=w.author,
    )


def test_a_site_recorded_today_from_weeks_ago_counts_from_the_day_it_was_built(
    w: World,
) -> None:
    FillState.objects.create(name=fill.WATERMARK, last_run_at=timezone.now())
    today = timezone.localdate()
    built = today - timedelta(days=30)
    site_built_on(w, built)
    assert {built, today} <= metrics.touched_days(timezone.now() - timedelta(minutes=1))
    fill.fill_incremental()
    covered = daily_counts(COVERED, JIANWAI)
    for day in (built, built + timedelta(days=15), today):
        assert covered.get(day) == 1.0, day
    assert built - timedelta(days=1) not in covered
    # The denominator counts the city's villages from the day its registry is in use.
    villages = daily_counts("education.villages", JIANWAI)
    assert villages.get(built) == len(villages_of(JIANWAI))
    assert built - timedelta(days=1) not in villages


def test_a_closure_entered_today_from_weeks_ago_counts_from_its_day(w: World) -> None:
    FillState.objects.create(name=fill.WATERMARK, last_run_at=timezone.now())
    today = timezone.localdate()
    site = site_built_on(w, today - timedelta(days=60))
    fill.fill_incremental()
    # Recorded days ago: only the closure (which saves just the fields it sets) touches it now.
    LegalCultureSite.objects.update(updated_at=timezone.now() - timedelta(days=3))
    closed = today - timedelta(days=20)
    services.close_site(site, closed, acting_user=w.author)
    assert closed in metrics.touched_days(timezone.now() - timedelta(minutes=1))
    fill.fill_incremental()
    covered = daily_counts(COVERED, JIANWAI)
    assert covered.get(closed - timedelta(days=1)) == 1.0
    for day in (closed, closed + timedelta(days=10), today):
        assert day not in covered, day


def test_a_model_village_named_weeks_ago_counts_from_the_day_it_was_named(w: World) -> None:
    FillState.objects.create(name=fill.WATERMARK, last_run_at=timezone.now())
    today = timezone.localdate()
    named = today - timedelta(days=45)
    services.record_model_village(
        villages_of(JIANWAI)[0].code, "district", named, acting_user=w.bureau
    )
    fill.fill_incremental()
    recent = daily_counts("education.model_villages_recent", JIANWAI)
    assert recent.get(named) == recent.get(today) == 1.0
    assert named - timedelta(days=1) not in recent


def test_nothing_is_touched_after_the_change(w: World) -> None:
    site = site_built_on(w, timezone.localdate() - timedelta(days=30))
    services.close_site(site, timezone.localdate(), acting_user=w.author)
    assert metrics.touched_days(timezone.now() + timedelta(seconds=1)) == set()
    assert metrics.touched_days(timezone.now() + timedelta(days=2)) == set()
