from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.legalaid import selectors, services
from fawang.legalaid.models import (
    AidCase,
    AidDocument,
    CaseStatus,
    ComplaintStatus,
    PoolStatus,
)
from tests.legalaid.helpers import AidWorld, approved_case, build_aid_world

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 test document"


@pytest.fixture
def world() -> AidWorld:
    return build_aid_world()


def assigned(world: AidWorld, **overrides: object) -> AidCase:
    case = approved_case(world, **overrides)  # type: ignore[arg-type]
    return services.assign_case(case, acting_user=world.officer, provider=world.senior)


def pdf(name: str = "report.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_provider_sees_only_their_cases(world: AidWorld) -> None:
    mine = assigned(world)
    theirs = services.assign_case(
        approved_case(world, idempotency_key="2"), acting_user=world.officer, provider=world.junior
    )
    assert list(selectors.cases_for_user(world.provider_user)) == [mine]
    with pytest.raises(Http404):
        selectors.get_case_for_user(world.provider_user, theirs.number)


def test_an_officer_sees_only_their_centres_cases(world: AidWorld) -> None:
    case = assigned(world)
    assert selectors.get_case_for_user(world.officer, case.number) == case
    with pytest.raises(Http404):
        selectors.get_case_for_user(world.other_officer, case.number)


def test_a_supervisor_sees_cases_in_their_region(world: AidWorld) -> None:
    case = assigned(world)
    assert selectors.get_case_for_user(world.supervisor, case.number) == case
    assert selectors.get_case_for_user(world.city_supervisor, case.number) == case


def test_the_provider_records_milestones(world: AidWorld) -> None:
    case = assigned(world)
    milestone = services.record_milestone(
        case, kind="met_client", occurred_on=timezone.localdate(), acting_user=world.provider_user
    )
    assert milestone.get_kind_display() == "会见受援人"


def test_another_lawyer_cannot_record_a_milestone(world: AidWorld) -> None:
    case = assigned(world)
    with pytest.raises(PermissionDenied):
        services.record_milestone(
            case, kind="read_file", occurred_on=timezone.localdate(), acting_user=world.junior_user
        )
    assert case.milestones.count() == 0


def test_a_milestone_in_the_future_is_refused(world: AidWorld) -> None:
    case = assigned(world)
    with pytest.raises(InvalidInput):
        services.record_milestone(
            case,
            kind="hearing",
            occurred_on=timezone.localdate() + timedelta(days=2),
            acting_user=world.provider_user,
        )


def test_closing_needs_the_required_materials(world: AidWorld) -> None:
    case = assigned(world)
    with pytest.raises(InvalidInput) as error:
        services.close_case(case, summary="调解结案", acting_user=world.provider_user)
    assert error.value.code == "missing_materials"
    services.upload_document(
        pdf(), kind="closing_report", case=case, acting_user=world.provider_user
    )
    services.upload_document(
        pdf("j.pdf"), kind="judgment", case=case, acting_user=world.provider_user
    )
    closed = services.close_case(case, summary="调解结案", acting_user=world.provider_user)
    assert closed.status == CaseStatus.CLOSED and closed.closed_at is not None


def test_uploads_of_the_wrong_type_or_content_are_refused(world: AidWorld) -> None:
    case = assigned(world)
    with pytest.raises(InvalidInput):
        services.upload_document(
            pdf("virus.exe"), kind="evidence", case=case, acting_user=world.provider_user
        )
    with pytest.raises(InvalidInput):
        services.upload_document(
            pdf("fake.pdf", b"MZ..."), kind="evidence", case=case, acting_user=world.provider_user
        )
    assert AidDocument.objects.count() == 0


def test_an_upload_over_the_limit_is_refused(world: AidWorld) -> None:
    case = assigned(world)
    big = pdf("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(InvalidInput) as error:
        services.upload_document(big, kind="evidence", case=case, acting_user=world.provider_user)
    assert error.value.code == "file_size"


def test_the_citizen_uploads_to_their_own_application_only(world: AidWorld) -> None:
    from tests.factories import make_citizen

    application = approved_case(world).application
    assert application is not None
    services.upload_document(
        pdf(), kind="identity", application=application, acting_user=world.citizen
    )
    with pytest.raises(PermissionDenied):
        services.upload_document(
            pdf(), kind="identity", application=application, acting_user=make_citizen()
        )


def test_cases_of_minors_are_followed_throughout(world: AidWorld) -> None:
    case = approved_case(world, full_follow_groups=("minor",))
    assert case.full_follow


def test_hearing_attendance_is_planned_and_recorded(world: AidWorld) -> None:
    case = assigned(world)
    hearing = services.plan_hearing(
        case,
        planned_for=timezone.localdate(),
        court="朝阳法院第三法庭",
        acting_user=world.supervisor,
    )
    hearing = services.record_hearing_attendance(
        hearing,
        attended_on=timezone.localdate(),
        observations="辩护意见充分",
        acting_user=world.supervisor,
    )
    assert hearing.attended_by == world.supervisor
    with pytest.raises(Conflict):
        services.record_hearing_attendance(
            hearing,
            attended_on=timezone.localdate(),
            observations="再记",
            acting_user=world.supervisor,
        )


def test_a_visit_records_satisfaction(world: AidWorld) -> None:
    case = assigned(world)
    with pytest.raises(InvalidInput):
        services.record_visit(
            case, visited_on=timezone.localdate(), satisfaction=9, acting_user=world.officer
        )
    visit = services.record_visit(
        case, visited_on=timezone.localdate(), satisfaction=5, acting_user=world.officer
    )
    assert visit.satisfaction == 5


def test_an_upheld_complaint_excludes_the_provider(world: AidWorld) -> None:
    case = assigned(world)
    complaint = services.file_complaint(
        case, kind="money_taken", description="律师收了我两千元", acting_user=world.citizen
    )
    services.decide_complaint(
        complaint, upheld=True, outcome="经核实属实，退还并清退", acting_user=world.supervisor
    )
    complaint.refresh_from_db()
    world.senior.refresh_from_db()
    assert complaint.status == ComplaintStatus.UPHELD
    assert world.senior.status == PoolStatus.EXCLUDED
    assert "收取受援人财物" in world.senior.excluded_reason
    assert world.senior not in services.eligible_providers(
        approved_case(world, idempotency_key="9")
    )


def test_a_dismissed_complaint_keeps_the_provider(world: AidWorld) -> None:
    case = assigned(world)
    complaint = services.file_complaint(
        case, kind="no_meeting", description="一直没见过律师", acting_user=world.officer
    )
    services.decide_complaint(
        complaint, upheld=False, outcome="会见笔录证实已会见", acting_user=world.officer
    )
    world.senior.refresh_from_db()
    assert world.senior.status == PoolStatus.ACTIVE


def test_a_stranger_cannot_complain_about_a_case(world: AidWorld) -> None:
    from tests.factories import make_citizen

    case = assigned(world)
    with pytest.raises(PermissionDenied):
        services.file_complaint(
            case, kind="no_defence", description="x", acting_user=make_citizen()
        )
