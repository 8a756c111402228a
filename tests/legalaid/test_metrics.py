from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from fawang.core.models import Region
from fawang.legalaid import metrics, services
from fawang.legalaid.models import (
    AidApplication,
    AidCase,
    CaseStatus,
    HearingAttendance,
    ProviderComplaint,
    ProviderPoolMember,
    QualityReview,
)
from tests.legalaid.helpers import JIANWAI, AidWorld, approved_case, build_aid_world, notice_input

pytestmark = pytest.mark.django_db
DAY = date(2026, 6, 15)


@pytest.fixture
def world() -> AidWorld:
    return build_aid_world()


def at(hour: int, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def test_every_required_counter_is_provided() -> None:
    flows = {
        "applications_received", "cases_opened", "notices_received", "notices_assigned",
        "notices_assigned_in_time", "cases_closed", "hearings_attended", "quality_reviews",
        "reviews_excellent_or_good", "complaints_received", "complaints_upheld", "reviews_passed",
    }  # fmt: skip
    assert set(metrics.FLOW_COUNTERS) == {f"legal_aid.{code}" for code in flows}
    assert set(metrics.STOCK_COUNTERS) == {
        "legal_aid.pool_providers",
        "legal_aid.pool_public_sector_lawyers",
        "legal_aid.cases_previous_year",
        "legal_aid.centre_lawyers",
        "legal_aid.centre_public_sector_lawyers",
        "legal_aid.centres",
        "legal_aid.centres_meeting_hearing_target",
    }


def test_flow_counters_count_the_local_day_by_region(world: AidWorld) -> None:
    jianwai = Region.objects.get(code=JIANWAI).pk
    # Three applications: two on the day (one at 00:30 local, which is the previous UTC day),
    # one the day after.
    apps = [approved_case(world, idempotency_key=str(i)).application for i in range(3)]
    AidApplication.objects.filter(pk=apps[0].pk).update(submitted_at=at(0) + timedelta(minutes=30))
    AidApplication.objects.filter(pk=apps[1].pk).update(submitted_at=at(23))
    AidApplication.objects.filter(pk=apps[2].pk).update(submitted_at=at(1, DAY + timedelta(days=1)))
    assert metrics.applications_received(DAY) == {jianwai: 2.0}

    # Notices: received on the day; one assigned in time, one late.
    early = services.receive_notice(
        notice_input(document_number="A", received_at=at(9)), acting_user=world.officer
    )
    late = services.receive_notice(
        # Received Tue 9 June: the 3 days (法律援助法 第三十六条) end with Fri 12 June, so 15 June is
        # late. (Received Wed 10 June, they would end on Sat 13 → Mon 15 June, 民法典 第二百零三条.)
        notice_input(document_number="B", received_at=at(9) - timedelta(days=6)),
        acting_user=world.officer,
    )
    AidCase.objects.filter(pk__in=[early.pk, late.pk]).update(
        assigned_at=at(10), status=CaseStatus.ASSIGNED, provider=world.senior
    )
    assert metrics.notices_received(DAY) == {jianwai: 1.0}
    assert metrics.notices_assigned(DAY) == {jianwai: 2.0}
    assert metrics.notices_assigned_in_time(DAY) == {jianwai: 1.0}

    AidCase.objects.filter(pk=early.pk).update(status=CaseStatus.CLOSED, closed_at=at(15))
    assert metrics.cases_closed(DAY) == {jianwai: 1.0}

    hearing = services.plan_hearing(early, planned_for=DAY, acting_user=world.supervisor)
    HearingAttendance.objects.filter(pk=hearing.pk).update(attended_on=DAY)
    assert metrics.hearings_attended(DAY) == {jianwai: 1.0}
    assert metrics.hearings_attended(DAY + timedelta(days=1)) == {}

    for score in (95, 82, 61):
        services.review_case(
            AidCase.objects.get(pk=early.pk),
            method="peer",
            score=score,
            acting_user=world.supervisor,
        )
    QualityReview.objects.update(reviewed_at=at(16))
    assert metrics.quality_reviews(DAY) == {jianwai: 3.0}
    assert metrics.reviews_excellent_or_good(DAY) == {jianwai: 2.0}

    late.refresh_from_db()
    complaint = services.file_complaint(
        late, kind="no_meeting", description="没见过律师", acting_user=world.officer
    )
    services.decide_complaint(complaint, upheld=True, outcome="属实", acting_user=world.officer)
    ProviderComplaint.objects.update(received_at=at(11), decided_at=at(12))
    assert metrics.complaints_received(DAY) == {jianwai: 1.0}
    assert metrics.complaints_upheld(DAY) == {jianwai: 1.0}


def test_pool_stock_counts_members_in_the_pool_at_the_end_of_the_day(world: AidWorld) -> None:
    chaoyang = world.centre.region_id
    ProviderPoolMember.objects.update(joined_on=DAY - timedelta(days=10))
    ProviderPoolMember.objects.filter(pk=world.far.pk).update(is_public_sector_lawyer=True)
    # The junior left on the day itself: gone by its end. The senior left the day after.
    ProviderPoolMember.objects.filter(pk=world.junior.pk).update(status="excluded", excluded_on=DAY)
    ProviderPoolMember.objects.filter(pk=world.senior.pk).update(
        status="excluded", excluded_on=DAY + timedelta(days=1)
    )
    assert metrics.pool_providers(DAY) == {chaoyang: 2.0}
    assert metrics.pool_public_sector_lawyers(DAY) == {chaoyang: 1.0}
    assert metrics.pool_providers(DAY - timedelta(days=11)) == {}


def test_bj_04_denominator_is_last_years_cases(world: AidWorld) -> None:
    """BJ-list 一(八): 案件抽查率不低于上一年度案件总量的0.2% — the denominator is the cases opened in
    the previous calendar year, not this period's closed cases."""
    cases = [approved_case(world, idempotency_key=str(i)) for i in range(3)]
    AidCase.objects.filter(pk=cases[0].pk).update(opened_at=at(10, date(2025, 6, 1)))
    AidCase.objects.filter(pk=cases[1].pk).update(opened_at=at(10, date(2025, 12, 31)))
    AidCase.objects.filter(pk=cases[2].pk).update(opened_at=at(10, date(2026, 1, 2)))
    region_id = cases[0].region_id
    assert metrics.cases_previous_year(DAY) == {region_id: 2.0}
    assert metrics.cases_previous_year(date(2027, 3, 1)) == {region_id: 1.0}


def test_bj_05_counts_the_centres_own_lawyers_not_the_pool(world: AidWorld) -> None:
    """BJ-list 一(八): 市、区法律援助中心公职律师占比 — the pool's private lawyers are not counted."""
    from fawang.core.models import PractitionerKind
    from tests.factories import make_practitioner

    make_practitioner(world.centre, kind=PractitionerKind.LAWYER, is_public_sector=True)
    make_practitioner(world.centre, kind=PractitionerKind.LAWYER)
    centre_region = world.centre.region_id
    assert metrics.centre_lawyers(DAY) == {centre_region: 2.0}
    assert metrics.centre_public_sector_lawyers(DAY) == {centre_region: 1.0}
    assert metrics.pool_providers(timezone.localdate())  # the pool is another thing


def test_bj_03_each_centre_meets_one_percent_or_fifty(world: AidWorld) -> None:
    """BJ-measures 11: 旁听率不低于案件总量1%或不少于50件 — per centre, year to date. Chaoyang: 2 cases
    opened this year, 1 hearing attended (50% ≥ 1%) — met; Haidian: no hearing — not met."""
    from fawang.core.models import Institution

    Institution.objects.filter(pk__in=[world.centre.pk, world.other_centre.pk]).update(
        created_at=at(9, date(2026, 1, 1))
    )
    cases = [approved_case(world, idempotency_key=str(i)) for i in range(2)]
    AidCase.objects.filter(pk__in=[c.pk for c in cases]).update(opened_at=at(9, date(2026, 2, 1)))
    hearing = services.plan_hearing(
        cases[0], planned_for=date(2026, 3, 1), acting_user=world.supervisor
    )
    HearingAttendance.objects.filter(pk=hearing.pk).update(attended_on=date(2026, 3, 1))
    assert metrics.centres(DAY) == {
        world.centre.region_id: 1.0,
        world.other_centre.region_id: 1.0,
    }
    assert metrics.centres_meeting_hearing_target(DAY) == {world.centre.region_id: 1.0}
    # Before the hearing, nothing was met.
    assert metrics.centres_meeting_hearing_target(date(2026, 2, 28)) == {}
