from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from fawang.core.errors import InvalidInput, PermissionDenied
from fawang.core.models import Region
from fawang.legalaid import selectors, services
from fawang.legalaid.models import AidCase, CaseStatus, QualityGrade
from tests.legalaid.helpers import AidWorld, approved_case, build_aid_world, notice_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> AidWorld:
    return build_aid_world()


def closed_cases(world: AidWorld, n: int, when: datetime) -> list[AidCase]:
    cases = []
    for i in range(n):
        case = services.receive_notice(
            notice_input(document_number=f"Q-{i}"), acting_user=world.officer
        )
        cases.append(case)
    AidCase.objects.filter(pk__in=[c.pk for c in cases]).update(
        status=CaseStatus.CLOSED, closed_at=when, provider=world.senior
    )
    return cases


def test_sampling_draws_the_configured_share_rounded_up(world: AidWorld) -> None:
    when = datetime(2026, 3, 10, 10, tzinfo=timezone.get_current_timezone())
    closed_cases(world, 41, when)
    sample = services.draw_quality_sample(world.centre, period="2026", acting_user=world.supervisor)
    # 5% of 41 is 2.05: three cases.
    assert sample.closed_count == 41
    assert sample.cases.count() == 3


def test_sampling_draws_at_least_one_when_any_closed(world: AidWorld) -> None:
    when = datetime(2026, 3, 10, 10, tzinfo=timezone.get_current_timezone())
    closed_cases(world, 2, when)
    sample = services.draw_quality_sample(world.centre, period="2026-03", acting_user=world.officer)
    assert sample.cases.count() == 1


def test_sampling_is_reproducible(world: AidWorld) -> None:
    when = datetime(2026, 3, 10, 10, tzinfo=timezone.get_current_timezone())
    ids = sorted(c.pk for c in closed_cases(world, 60, when))
    sample = services.draw_quality_sample(world.centre, period="2026", acting_user=world.supervisor)
    import random

    expected = random.Random(f"{world.centre.pk}:2026").sample(ids, 3)
    assert sorted(sample.cases.values_list("pk", flat=True)) == sorted(expected)
    again = services.draw_quality_sample(world.centre, period="2026", acting_user=world.supervisor)
    assert again.pk == sample.pk


def test_sampling_a_bad_period_is_refused(world: AidWorld) -> None:
    with pytest.raises(InvalidInput):
        services.draw_quality_sample(world.centre, period="26年", acting_user=world.supervisor)


def test_a_review_grades_by_the_packs_bands(world: AidWorld) -> None:
    when = timezone.now()
    case, second = closed_cases(world, 2, when)
    review = services.review_case(case, method="peer", score=92, acting_user=world.supervisor)
    assert review.grade == QualityGrade.EXCELLENT
    fail = services.review_case(second, method="peer", score=55, acting_user=world.supervisor)
    assert fail.grade == QualityGrade.FAIL


def test_an_expert_review_needs_an_expert(world: AidWorld) -> None:
    (case,) = closed_cases(world, 1, timezone.now())
    with pytest.raises(InvalidInput):
        services.review_case(case, method="expert", score=80, acting_user=world.supervisor)
    expert = services.add_expert(
        Region.objects.get(code="110105000000"),
        name="钱法官",
        affiliation="court",
        acting_user=world.supervisor,
    )
    review = services.review_case(
        case,
        method="expert",
        score=85,
        expert=expert,
        court_opinion="辩护意见被采纳",
        acting_user=world.supervisor,
    )
    assert review.grade == QualityGrade.GOOD


def test_an_open_case_cannot_be_reviewed(world: AidWorld) -> None:
    case = approved_case(world)
    from fawang.core.errors import Conflict

    with pytest.raises(Conflict):
        services.review_case(case, method="peer", score=90, acting_user=world.supervisor)


def test_only_supervisors_review(world: AidWorld) -> None:
    (case,) = closed_cases(world, 1, timezone.now())
    with pytest.raises(PermissionDenied):
        services.review_case(case, method="peer", score=90, acting_user=world.officer)


def test_figures_equal_hand_computed_values(world: AidWorld) -> None:
    """Chaoyang in 2026: 4 notices (3 assigned, 2 in time), 1 application case, 1 hearing,
    2 reviews (1 good), 3 pool members (none public-sector, then 1)."""
    tz = timezone.get_current_timezone()
    base = datetime(2026, 5, 1, 9, tzinfo=tz)
    notices = [
        services.receive_notice(
            notice_input(document_number=f"F-{i}", received_at=base), acting_user=world.officer
        )
        for i in range(4)
    ]
    AidCase.objects.filter(pk=notices[0].pk).update(
        status=CaseStatus.ASSIGNED, provider=world.senior, assigned_at=base + timedelta(days=1)
    )
    AidCase.objects.filter(pk=notices[1].pk).update(
        status=CaseStatus.CLOSED,
        provider=world.senior,
        assigned_at=base + timedelta(days=2),
        closed_at=base + timedelta(days=30),
    )
    AidCase.objects.filter(pk=notices[2].pk).update(
        status=CaseStatus.CLOSED,
        provider=world.far,
        # Received on 1 May (Labour Day, off until 5 May): the third day (4 May) is a day off, so
        # the period ends with 6 May (民法典 第二百零三条); 7 May is late.
        assigned_at=base + timedelta(days=6),
        closed_at=base + timedelta(days=40),
    )
    AidCase.objects.filter(pk__in=[n.pk for n in notices]).update(opened_at=base)
    approved = approved_case(world)
    AidCase.objects.filter(pk=approved.pk).update(opened_at=base)
    hearing = services.plan_hearing(
        notices[0], planned_for=base.date(), acting_user=world.supervisor
    )
    from fawang.legalaid.models import HearingAttendance, QualityReview

    HearingAttendance.objects.filter(pk=hearing.pk).update(attended_on=base.date())
    services.review_case(notices[1], method="peer", score=85, acting_user=world.supervisor)
    services.review_case(notices[2], method="peer", score=70, acting_user=world.supervisor)
    QualityReview.objects.update(reviewed_at=base + timedelta(days=50))
    world.far.is_public_sector_lawyer = True
    world.far.save()
    chaoyang = Region.objects.get(code="110105000000")
    chaoyang.resident_population = 2_500_000
    figures = selectors.figures_for_region(chaoyang, 2026)
    assert figures.value("cases_opened") == 5
    assert figures.value("cases_per_100k") == 0.2  # 5 × 100000 / 2.5 million
    assert figures.value("hearing_attendance_count") == 1
    assert figures.value("hearing_attendance_rate") == 0.2
    assert figures.value("spot_check_rate") == 1.0  # 2 reviews of 2 closed
    assert figures.value("excellent_or_good_rate") == 0.5
    assert figures.value("notices_received") == 4
    assert figures.value("notice_assignment_rate") == 0.75
    assert figures.value("notice_timeliness") == 0.6667
    assert figures.value("public_sector_lawyer_share") == 0.3333
    targets = {f.code: f.target for f in figures.figures}
    assert targets["cases_per_100k"] == 110
    assert targets["excellent_or_good_rate"] == 0.8
