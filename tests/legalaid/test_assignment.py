from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.sms import MemorySmsBackend
from fawang.legalaid import services
from fawang.legalaid.models import (
    AidCase,
    Assignment,
    CaseStatus,
    DefenceNotice,
    PoolStatus,
    ProviderPoolMember,
)
from tests.legalaid.helpers import AidWorld, approved_case, build_aid_world, notice_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> AidWorld:
    return build_aid_world()


def test_assignment_prefers_the_same_district_then_the_lighter_load(world: AidWorld) -> None:
    first = services.assign_case(approved_case(world), acting_user=world.officer)
    second = services.assign_case(
        approved_case(world, idempotency_key="2"), acting_user=world.officer
    )
    # Both Chaoyang lawyers come before the Haidian one; the second case goes to the idle one.
    assert {first.provider, second.provider} == {world.senior, world.junior}


def test_the_recipient_is_told_who_was_assigned(
    world: AidWorld, django_capture_on_commit_callbacks: Any
) -> None:
    MemorySmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # texted once committed
        case = services.assign_case(approved_case(world), acting_user=world.officer)
    texts = [text for _phone, text in MemorySmsBackend.outbox]
    assert any(case.number in text and case.provider.practitioner.name in text for text in texts)


def test_a_serious_criminal_case_needs_three_years_practice(world: AidWorld) -> None:
    case = services.receive_notice(notice_input(serious_criminal=True), acting_user=world.officer)
    eligible = services.eligible_providers(case)
    assert world.junior not in eligible
    assert world.senior in eligible
    with pytest.raises(InvalidInput) as error:
        services.assign_case(case, acting_user=world.officer, provider=world.junior)
    assert error.value.code == "provider_not_eligible"


def test_art_26_counts_relevant_practice_not_total_years(world: AidWorld) -> None:
    """法律援助法 第二十六条: 可能被判处无期徒刑、死刑的人 … 指派具有三年以上相关执业经历的律师. A lawyer
    practising since 2015 whose criminal-defence practice began a year ago does not qualify;
    with four years of criminal practice on record the far lawyer does."""
    today = timezone.localdate()
    ProviderPoolMember.objects.filter(pk=world.senior.pk).update(
        criminal_practice_since=today.replace(year=today.year - 1)
    )
    ProviderPoolMember.objects.filter(pk=world.far.pk).update(
        criminal_practice_since=today.replace(year=today.year - 4)
    )
    case = services.receive_notice(notice_input(serious_criminal=True), acting_user=world.officer)
    eligible = services.eligible_providers(case)
    assert world.senior not in eligible
    assert world.far in eligible


def test_an_excluded_provider_is_never_assigned(world: AidWorld) -> None:
    services.exclude_provider(world.senior, reason="收取受援人财物", acting_user=world.officer)
    services.exclude_provider(world.junior, reason="不会见", acting_user=world.officer)
    cases = [approved_case(world, idempotency_key=str(n)) for n in range(3)]
    for case in cases:
        assert services.assign_case(case, acting_user=world.officer).provider == world.far
    with pytest.raises(InvalidInput):
        services.assign_case(
            approved_case(world, idempotency_key="x"),
            acting_user=world.officer,
            provider=world.senior,
        )


def test_no_eligible_provider_is_a_conflict(world: AidWorld) -> None:
    for member in (world.senior, world.junior, world.far):
        services.exclude_provider(member, reason="清退", acting_user=world.officer)
    case = approved_case(world)
    with pytest.raises(Conflict):
        services.assign_case(case, acting_user=world.officer)
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_ASSIGNMENT


def test_a_provider_acting_for_the_other_side_is_not_assigned(world: AidWorld) -> None:
    # The senior lawyer represents 某某餐饮有限公司's opponent... and now the company applies.
    earlier = approved_case(world, opposing_party="李老板")
    services.assign_case(earlier, acting_user=world.officer, provider=world.senior)
    case = approved_case(
        world, idempotency_key="2", applicant_name="李老板", opposing_party="王大力"
    )
    assert world.senior not in services.eligible_providers(case)


def test_reassignment_needs_a_reason_and_keeps_the_history(world: AidWorld) -> None:
    case = services.assign_case(
        approved_case(world), acting_user=world.officer, provider=world.senior
    )
    with pytest.raises(InvalidInput):
        services.reassign_case(case, reason="", acting_user=world.officer)
    case = services.reassign_case(
        case, reason="承办律师生病住院", acting_user=world.officer, provider=world.junior
    )
    assert case.provider == world.junior
    history = list(Assignment.objects.filter(case=case))
    assert [a.provider for a in history] == [world.senior, world.junior]
    assert history[0].ended_at is not None and history[1].reason == "承办律师生病住院"


def test_only_the_centres_officer_assigns(world: AidWorld) -> None:
    case = approved_case(world)
    with pytest.raises(PermissionDenied):
        services.assign_case(case, acting_user=world.other_officer)


def test_a_notice_is_due_three_days_after_it_was_received(world: AidWorld) -> None:
    """法律援助法 第三十六条: 收到通知后…三日内指派律师. Counted as 民法典 第二百零一条、第二百零三条 say:
    a notice received on Tue 9 June 2026 is due by 24:00 on Fri 12 June; one received on Wed
    10 June ends on Sat 13 June, a day off, so it is due by 24:00 on Mon 15 June."""
    tz = timezone.get_current_timezone()
    case = services.receive_notice(
        notice_input(received_at=datetime(2026, 6, 9, 16, tzinfo=tz)), acting_user=world.officer
    )
    assert case.assignment_due_at == datetime(2026, 6, 13, tzinfo=tz)
    assert case.assignment_due_day == date(2026, 6, 12)
    assert DefenceNotice.objects.get(case=case).organ_name == "北京市朝阳区人民法院"
    assert case.number.startswith("TZ")
    weekend = services.receive_notice(
        notice_input(document_number="W", received_at=datetime(2026, 6, 10, 9, tzinfo=tz)),
        acting_user=world.officer,
    )
    assert weekend.assignment_due_day == date(2026, 6, 15)


def test_a_notice_assigned_in_time_is_not_overdue(world: AidWorld) -> None:
    case = services.receive_notice(notice_input(), acting_user=world.officer)
    case = services.assign_case(case, acting_user=world.officer)
    assert not case.assignment_overdue


def test_an_unassigned_notice_past_its_limit_shows_as_overdue(world: AidWorld) -> None:
    # Two weeks ago: past 3 days however a day off at the end moves the last day (民法典 第二百零三条).
    received = timezone.now() - timedelta(days=14)
    case = services.receive_notice(notice_input(received_at=received), acting_user=world.officer)
    assert case.assignment_overdue
    assert [c.pk for c in services.overdue_assignments()] == [case.pk]
    late = services.assign_case(case, acting_user=world.officer)
    assert late.assignment_overdue  # assigned after the deadline: stays late in the figures


def test_the_same_notice_twice_opens_one_case(world: AidWorld) -> None:
    first = services.receive_notice(notice_input(), acting_user=world.officer)
    again = services.receive_notice(notice_input(), acting_user=world.officer)
    assert first.pk == again.pk
    assert AidCase.objects.count() == 1


def test_a_notice_with_an_unknown_source_saves_nothing(world: AidWorld) -> None:
    with pytest.raises(InvalidInput) as error:
        services.receive_notice(notice_input(source="army"), acting_user=world.officer)
    assert error.value.field == "source"
    assert AidCase.objects.count() == 0


def test_excluding_records_reason_and_date(world: AidWorld) -> None:
    member = services.exclude_provider(world.far, reason="不阅卷", acting_user=world.officer)
    assert member.status == PoolStatus.EXCLUDED
    assert member.excluded_on == timezone.localdate()
    assert member.excluded_reason == "不阅卷"
