"""The incremental fill refills the days a legal-aid change touches (``metrics.touched_days``):
a notice logged today but received weeks ago is counted on the day it was received, not only
within the fill's 7-day fallback window."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fawang.indicators import fill
from fawang.indicators.models import FillState
from fawang.legalaid import metrics, services
from fawang.legalaid.models import (
    AidApplication,
    AidCase,
    DefenceNotice,
    ProviderPoolMember,
)
from tests.factories import daily_counts, local_midnight
from tests.legalaid.helpers import JIANWAI, AidWorld, build_aid_world, notice_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> AidWorld:
    return build_aid_world()


def test_a_notice_logged_today_from_weeks_ago_is_counted_on_its_day(world: AidWorld) -> None:
    FillState.objects.create(name=fill.WATERMARK, last_run_at=timezone.now())
    today = timezone.localdate()
    back = today - timedelta(days=30)
    case = services.receive_notice(
        notice_input(received_at=timezone.now() - timedelta(days=30)), acting_user=world.officer
    )
    hearing = services.plan_hearing(case, planned_for=back, acting_user=world.supervisor)
    services.record_hearing_attendance(
        hearing, attended_on=back, observations="庭审有序", acting_user=world.supervisor
    )
    assert {back, today} <= metrics.touched_days(timezone.now() - timedelta(minutes=1))
    fill.fill_incremental()
    for counter in ("notices_received", "cases_opened", "hearings_attended"):
        assert daily_counts(f"legal_aid.{counter}", JIANWAI).get(back) == 1.0, counter
        assert today not in daily_counts(f"legal_aid.{counter}", JIANWAI), counter


def test_nothing_is_touched_after_the_change(world: AidWorld) -> None:
    services.receive_notice(
        notice_input(received_at=timezone.now() - timedelta(days=30)), acting_user=world.officer
    )
    assert metrics.touched_days(timezone.now() + timedelta(seconds=1)) == set()
    assert metrics.touched_days(timezone.now() + timedelta(days=2)) == set()


def test_a_notice_received_just_after_midnight_is_counted_on_the_new_day(
    world: AidWorld,
) -> None:
    """A notice may be logged a few minutes ahead of the clock: logged before midnight, dated
    after it. The first run after midnight refills the new day, though nothing changed since."""
    today = timezone.localdate()
    received = min(local_midnight(today) + timedelta(minutes=1), timezone.now())
    case = services.receive_notice(notice_input(received_at=received), acting_user=world.officer)
    # As if all this was logged before the last run before midnight, further back than the fill's
    # overlap reaches (the notice entered on a clock running ahead).
    logged = local_midnight(today) - fill.OVERLAP - timedelta(minutes=5)
    for model in (AidApplication, AidCase, DefenceNotice, ProviderPoolMember):
        model.objects.update(updated_at=logged)
    assert case.opened_at == received
    assert metrics.touched_days(local_midnight(today) - timedelta(minutes=1)) == {today}
    assert metrics.touched_days(local_midnight(today) + timedelta(seconds=1)) == set()
    FillState.objects.create(
        name=fill.WATERMARK, last_run_at=local_midnight(today) - timedelta(minutes=1)
    )
    fill.fill_incremental()
    assert daily_counts("legal_aid.notices_received", JIANWAI).get(today) == 1.0
    assert daily_counts("legal_aid.cases_opened", JIANWAI).get(today) == 1.0
