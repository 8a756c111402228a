"""The incremental fill refills the days an arbitration change touches (``metrics.touched_days``):
an award made weeks ago and recorded today counts on the day of the award, and a court's ruling
reported today recounts that day — beyond the fill's 7-day fallback window."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fawang.arbitration import metrics, services
from fawang.arbitration.models import ArbitrationCase
from fawang.indicators import fill
from fawang.indicators.models import FillState
from tests.arbitration.test_arbitration import World, register, w  # noqa: F401
from tests.conftest import CHAOYANG
from tests.factories import daily_counts

pytestmark = pytest.mark.django_db

SET_ASIDE = "arbitration.awards_set_aside_or_not_enforced"


def test_an_award_recorded_today_from_weeks_ago_counts_on_its_day(w: World) -> None:  # noqa: F811
    FillState.objects.create(name=fill.WATERMARK, last_run_at=timezone.now())
    today = timezone.localdate()
    awarded = today - timedelta(days=30)
    case = register(w, filed_on=today - timedelta(days=90))
    services.record_outcome(case, "award", awarded, acting_user=w.bureau)
    assert metrics.touched_days(timezone.now() - timedelta(minutes=1)) == {awarded, today}
    fill.fill_incremental()
    assert daily_counts("arbitration.awards", CHAOYANG) == {awarded: 1.0}


def test_a_court_ruling_reported_today_recounts_the_day_of_the_award(w: World) -> None:  # noqa: F811
    FillState.objects.create(name=fill.WATERMARK, last_run_at=timezone.now())
    today = timezone.localdate()
    awarded = today - timedelta(days=40)
    case = register(w, filed_on=today - timedelta(days=90))
    services.record_outcome(case, "award", awarded, acting_user=w.bureau)
    fill.fill_incremental()
    assert daily_counts(SET_ASIDE, CHAOYANG) == {}
    # Recorded days ago: only the court's ruling touches the case now.
    ArbitrationCase.objects.update(updated_at=timezone.now() - timedelta(days=3))
    since = timezone.now() - timedelta(minutes=1)
    assert metrics.touched_days(since) == set()
    services.record_court_outcome(case, "set_aside", acting_user=w.bureau)
    assert metrics.touched_days(since) == {awarded, today}
    fill.fill_incremental()
    assert daily_counts(SET_ASIDE, CHAOYANG) == {awarded: 1.0}
    assert daily_counts("arbitration.awards", CHAOYANG) == {awarded: 1.0}


def test_cases_without_an_award_touch_nothing(w: World) -> None:  # noqa: F811
    """Both counters count awards only: a registration, a settlement or a withdrawal changes no
    figure, whatever day it is dated."""
    since = timezone.now() - timedelta(minutes=1)
    today = timezone.localdate()
    settled = register(w, filed_on=today - timedelta(days=60))
    withdrawn = register(w, filed_on=today - timedelta(days=60))
    services.plan_clearance(withdrawn, "本月内开庭审理", acting_user=w.bureau)
    services.record_outcome(settled, "settlement", today - timedelta(days=30), acting_user=w.bureau)
    services.record_outcome(
        withdrawn, "withdrawal", today - timedelta(days=20), acting_user=w.bureau
    )
    assert metrics.touched_days(since) == set()


def test_nothing_is_touched_after_the_change(w: World) -> None:  # noqa: F811
    today = timezone.localdate()
    case = register(w, filed_on=today - timedelta(days=90))
    services.record_outcome(case, "award", today - timedelta(days=30), acting_user=w.bureau)
    services.record_court_outcome(case, "not_enforced", acting_user=w.bureau)
    assert metrics.touched_days(timezone.now() + timedelta(seconds=1)) == set()
    assert metrics.touched_days(timezone.now() + timedelta(days=2)) == set()
