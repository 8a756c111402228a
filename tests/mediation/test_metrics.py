from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from fawang.core.models import Region
from fawang.mediation import metrics
from fawang.mediation.models import (
    Agreement,
    Dispute,
    FeaturedRoom,
    JudicialConfirmation,
    Screening,
    TrainingRecord,
)
from tests.factories import region
from tests.mediation.helpers import JIANWAI, NANLANG, build_world

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 20)


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def dispute(code: str, source: str, received: datetime, **extra: object) -> Dispute:
    n = Dispute.objects.count() + 1
    return Dispute.objects.create(
        number=f"M{n:06d}", source=source, dispute_type="neighbour", facts="x",
        region=region(code), received_at=received, **extra,
    )  # fmt: skip


def test_flow_counters_count_that_local_day_by_region() -> None:
    world = build_world()
    jianwai, nanlang = region(JIANWAI), region(NANLANG)
    dispute(JIANWAI, "citizen", at(DAY, 9))
    dispute(JIANWAI, "court", at(DAY, 23))  # 23:00 Shanghai is still DAY
    dispute(NANLANG, "police", at(DAY, 0))
    dispute(JIANWAI, "court", at(DAY - timedelta(days=1), 23))  # the day before
    agreed = dispute(
        JIANWAI, "citizen", at(DAY - timedelta(days=3), 12),
        status="agreed", closed_at=at(DAY, 12), committee=world.committee,
    )  # fmt: skip
    dispute(
        NANLANG, "citizen", at(DAY - timedelta(days=1), 12), status="failed", closed_at=at(DAY, 18)
    )
    assert metrics.disputes_received(DAY) == {jianwai.pk: 2, nanlang.pk: 1}
    assert metrics.disputes_handed_off(DAY) == {jianwai.pk: 1, nanlang.pk: 1}
    assert metrics.disputes_closed(DAY) == {jianwai.pk: 1, nanlang.pk: 1}
    assert metrics.disputes_agreed(DAY) == {jianwai.pk: 1}
    assert metrics.resolve_days_total(DAY) == {jianwai.pk: 3.0, nanlang.pk: 1.25}
    agreement = Agreement.objects.create(
        dispute=agreed, form="written", facts="f", issues="i", terms="t",
        performance_manner="m", performance_deadline=DAY, signed_on=DAY, created_by=world.mediator,
    )  # fmt: skip
    JudicialConfirmation.objects.create(
        agreement=agreement, court="朝阳法院", requested_on=DAY, status="granted",
        answered_on=DAY + timedelta(days=2),
    )  # fmt: skip
    assert metrics.judicial_confirmations_requested(DAY) == {jianwai.pk: 1}
    assert metrics.judicial_confirmations_granted(DAY) == {}
    assert metrics.judicial_confirmations_granted(DAY + timedelta(days=2)) == {jianwai.pk: 1}


def test_screening_counters() -> None:
    world = build_world()
    village, office = world.village_committee, world.office
    Screening.objects.create(unit=village, region=village.region, cadence="weekly",
                             period_start=DAY - timedelta(days=6), due_on=DAY, done_at=at(DAY, 10))  # fmt: skip
    Screening.objects.create(unit=office, region=office.region, cadence="monthly",
                             period_start=DAY.replace(day=1), due_on=DAY)  # fmt: skip
    Screening.objects.create(unit=office, region=office.region, cadence="daily",
                             period_start=DAY + timedelta(days=1), due_on=DAY + timedelta(days=1))  # fmt: skip
    assert metrics.screenings_due(DAY) == {village.region_id: 1, office.region_id: 1}
    assert metrics.screenings_done(DAY) == {village.region_id: 1}


def test_stock_counters() -> None:
    world = build_world()
    jianwai_id, nanlang_id = region(JIANWAI).pk, region(NANLANG).pk
    chaowai_id = world.other_committee.region_id
    today = timezone.localdate()
    assert metrics.committees(today) == {jianwai_id: 1, nanlang_id: 1, chaowai_id: 1}
    # Jianwai has 2 full-time (quota 2); Chaowai 1 (short); the village none.
    assert metrics.committees_meeting_quota(today) == {jianwai_id: 1}
    # BJ-07 (BJ-measures 14): the quota binds township (2) and industry (3) committees; a village
    # committee's 1 is "有条件的", so the Nanlang village committee is not in the denominator.
    assert metrics.committees_with_quota(today) == {jianwai_id: 1, chaowai_id: 1}
    assert metrics.committees_with_quota_met(today) == {jianwai_id: 1}
    # SJZ-36 (SJZ 四 17): township (street) committees only.
    assert metrics.township_committees(today) == {jianwai_id: 1, chaowai_id: 1}
    assert metrics.township_committees_meeting_quota(today) == {jianwai_id: 1}
    assert metrics.mediators(today) == {jianwai_id: 2, chaowai_id: 1}
    TrainingRecord.objects.create(mediator=world.mediator_person, held_on=today, days=5, topic="t")
    TrainingRecord.objects.create(
        mediator=world.head.practitioner, held_on=today, days=4, topic="t"
    )
    assert metrics.mediators_training_met(today) == {jianwai_id: 1}
    FeaturedRoom.objects.create(name="田老师调解室", mediator=world.mediator_person,
                                committee=world.committee, region=world.committee.region, opened_on=today)  # fmt: skip
    assert metrics.featured_rooms(today) == {jianwai_id: 1}
    assert metrics.featured_rooms(today - timedelta(days=1)) == {}


def test_every_required_counter_code_is_provided() -> None:
    assert set(metrics.FLOW_COUNTERS) == {
        "mediation.disputes_received", "mediation.disputes_handed_off", "mediation.disputes_closed",
        "mediation.disputes_agreed", "mediation.resolve_days_total", "mediation.screenings_due",
        "mediation.screenings_done", "mediation.judicial_confirmations_requested",
        "mediation.judicial_confirmations_granted",
    }  # fmt: skip
    assert set(metrics.STOCK_COUNTERS) == {
        "mediation.committees", "mediation.committees_meeting_quota", "mediation.mediators",
        "mediation.mediators_training_met", "mediation.featured_rooms",
        "mediation.committees_with_quota", "mediation.committees_with_quota_met",
        "mediation.township_committees", "mediation.township_committees_meeting_quota",
    }  # fmt: skip
    assert Region.objects.exists()
