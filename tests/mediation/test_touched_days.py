"""The incremental fill refills the days a mediation change touches (``metrics.touched_days``):
a record entered today but dated weeks ago is counted on its own day, not only within the
fill's 7-day fallback window."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from fawang.indicators import fill
from fawang.indicators.models import FillState
from fawang.mediation import metrics
from fawang.mediation.models import CommitteeMembership, Screening
from fawang.mediation.services import (
    AgreementIn,
    assign_dispute,
    open_featured_room,
    record_agreement,
    record_confirmation_answer,
    request_judicial_confirmation,
)
from fawang.mediation.services.screening import generate_screenings
from tests.factories import daily_counts, local_midnight
from tests.mediation.helpers import JIANWAI, World, build_world, citizen_dispute

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return build_world()


def confirmed_on(w: World, day: date) -> None:
    """A paper agreement signed the day before ``day``, its confirmation asked for and granted on
    ``day``, all entered today."""
    dispute = citizen_dispute(w)
    assign_dispute(dispute, acting_user=w.head, mediator_ids=[w.mediator_person.pk])
    agreement = AgreementIn(
        form="written",
        facts="王强家装修致李明家天花板漏水受损。",
        issues="修缮费用的数额及承担。",
        terms="王强赔偿李明修缮费用六千元。",
        performance_manner="银行转账一次性支付",
        performance_deadline=day + timedelta(days=10),
        signed_on=day - timedelta(days=1),
    )
    record_agreement(dispute, agreement, acting_user=w.mediator)
    request_judicial_confirmation(
        dispute, acting_user=w.mediator, court="北京市朝阳区人民法院", requested_on=day
    )
    record_confirmation_answer(
        dispute,
        acting_user=w.mediator,
        granted=True,
        answered_on=day,
        court_ref="(2026)京0105民特1号",
    )


def test_a_confirmation_entered_today_from_weeks_ago_is_counted_on_its_day(w: World) -> None:
    FillState.objects.create(name=fill.WATERMARK, last_run_at=timezone.now())
    today = timezone.localdate()
    back = today - timedelta(days=30)
    confirmed_on(w, back)
    assert {back, today} <= metrics.touched_days(timezone.now() - timedelta(minutes=1))
    fill.fill_incremental()
    assert daily_counts("mediation.judicial_confirmations_requested", JIANWAI).get(back) == 1.0
    assert daily_counts("mediation.judicial_confirmations_granted", JIANWAI).get(back) == 1.0
    assert daily_counts("mediation.disputes_received", JIANWAI).get(today) == 1.0
    assert daily_counts("mediation.disputes_agreed", JIANWAI).get(today) == 1.0


def test_a_room_opened_weeks_ago_is_counted_on_every_day_since(w: World) -> None:
    FillState.objects.create(name=fill.WATERMARK, last_run_at=timezone.now())
    today = timezone.localdate()
    opened = today - timedelta(days=30)
    open_featured_room(
        w.mediator_person, acting_user=w.district_bureau, name="田老师调解室", opened_on=opened
    )
    fill.fill_incremental()
    rooms = daily_counts("mediation.featured_rooms", JIANWAI)
    for day in (opened, opened + timedelta(days=15), today):
        assert rooms.get(day) == 1.0, day
    assert opened - timedelta(days=1) not in rooms


def test_nothing_is_touched_after_the_change(w: World) -> None:
    confirmed_on(w, timezone.localdate() - timedelta(days=30))
    open_featured_room(
        w.mediator_person,
        acting_user=w.district_bureau,
        name="田老师调解室",
        opened_on=timezone.localdate() - timedelta(days=30),
    )
    assert metrics.touched_days(timezone.now() + timedelta(seconds=1)) == set()
    assert metrics.touched_days(timezone.now() + timedelta(days=2)) == set()


def test_a_screening_made_days_ago_is_counted_on_the_day_it_falls_due(w: World) -> None:
    """Screenings are made at the start of their period and fall due at its end: the first run
    after midnight refills the new day, though nothing changed since the last run."""
    today = timezone.localdate()
    generate_screenings(today)
    due = Screening.objects.get(unit=w.village_committee)
    # The same screening as if made at the start of its period and due today.
    Screening.objects.filter(pk=due.pk).update(
        due_on=today, updated_at=local_midnight(today) - timedelta(days=3)
    )
    Screening.objects.exclude(pk=due.pk).delete()
    CommitteeMembership.objects.update(updated_at=local_midnight(today) - timedelta(days=3))
    assert today in metrics.touched_days(local_midnight(today) - timedelta(minutes=5))
    assert metrics.touched_days(local_midnight(today) + timedelta(seconds=1)) == set()
    FillState.objects.create(
        name=fill.WATERMARK, last_run_at=local_midnight(today) - timedelta(minutes=1)
    )
    fill.fill_incremental()
    assert daily_counts("mediation.screenings_due", JIANWAI).get(today) == 1.0
