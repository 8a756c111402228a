from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from fawang.core.models import Role, User
from fawang.core.services import issue_api_token
from fawang.legalaid.models import AidApplication, AidCase, CaseStatus
from fawang.workorders.models import WorkOrder
from tests.factories import make_staff
from tests.legalaid.helpers import JIANWAI, AidWorld, approved_case, build_aid_world

pytestmark = pytest.mark.django_db
API = "/api/v1/legal-aid"
Login = Callable[[User], Client]


@pytest.fixture
def world() -> AidWorld:
    return build_aid_world()


def payload(**overrides: Any) -> dict[str, Any]:
    from tests.factories import valid_id_number

    values: dict[str, Any] = {
        "matter_type": "maintenance",
        "facts": "前夫三年未付抚养费。",
        "applicant_name": "刘女士",
        "applicant_id_number": valid_id_number(seq=77),
        "region_code": JIANWAI,
        "household_size": 2,
        "household_monthly_income": 3000,
        "household_assets": 0,
        "honesty_pledge": True,
    }
    values.update(overrides)
    return values


def test_a_citizen_applies_through_the_api(world: AidWorld, login_as: Login) -> None:
    client = login_as(world.citizen)
    response = client.post(f"{API}/applications", payload(), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert body["work_order"].startswith("GF")
    assert "*" in body["applicant_id_number"]  # masked


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"household_monthly_income": -100}, "negative_amount"),
        ({"matter_type": "unknown"}, "unknown_matter_type"),
        ({"honesty_pledge": False}, "pledge_required"),
    ],
)
def test_bad_input_is_a_clear_4xx_and_saves_nothing(
    world: AidWorld, login_as: Login, overrides: dict[str, Any], code: str
) -> None:
    client = login_as(world.citizen)
    response = client.post(
        f"{API}/applications", payload(**overrides), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert AidApplication.objects.count() == 0 and WorkOrder.objects.count() == 0


def test_the_officer_approves_and_assigns_through_the_api(world: AidWorld, login_as: Login) -> None:
    application = approved_case(world).application
    assert application is not None
    client = login_as(world.officer)
    number = AidCase.objects.get(application=application).number
    response = client.post(
        f"{API}/cases/{number}/assign",
        {"provider_id": world.senior.pk, "reason": ""},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["provider"] == world.senior.practitioner.name


def test_assigning_an_excluded_provider_is_a_4xx(world: AidWorld, login_as: Login) -> None:
    case = approved_case(world)
    client = login_as(world.officer)
    client.post(
        f"{API}/pool/{world.senior.pk}/exclude",
        {"reason": "不阅卷"},
        content_type="application/json",
    )
    response = client.post(
        f"{API}/cases/{case.number}/assign",
        {"provider_id": world.senior.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "provider_not_eligible"
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_ASSIGNMENT


def test_a_court_system_sends_a_notice_with_its_token(world: AidWorld, client: Client) -> None:
    admin = make_staff(Role.SECURITY_ADMIN, region_code="110000000000")
    court_system = make_staff(Role.HOTLINE_SEAT, region_code="110105000000", totp=False)
    token = issue_api_token(acting_user=admin, account=court_system, name="朝阳法院系统")
    response = client.post(
        f"{API}/notices",
        {
            "source": "court",
            "organ_name": "北京市朝阳区人民法院",
            "document_number": "(2026)京0105刑初88号",
            "recipient_name": "孙某",
            "region_code": JIANWAI,
            "serious_criminal": True,
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "awaiting_assignment" and body["serious_criminal"]
    assert not body["assignment_overdue"]


def test_a_notice_without_a_token_is_401(world: AidWorld, client: Client) -> None:
    response = client.post(f"{API}/notices", {}, content_type="application/json")
    assert response.status_code == 401


def test_a_provider_cannot_read_another_providers_case(world: AidWorld, login_as: Login) -> None:
    from fawang.legalaid import services

    case = services.assign_case(
        approved_case(world), acting_user=world.officer, provider=world.junior
    )
    response = login_as(world.provider_user).get(f"{API}/cases/{case.number}")
    assert response.status_code == 404
    response = login_as(world.provider_user).post(
        f"{API}/cases/{case.number}/milestones",
        {"kind": "met_client", "occurred_on": str(timezone.localdate())},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert case.milestones.count() == 0


def test_the_provider_lists_only_their_cases(world: AidWorld, login_as: Login) -> None:
    from fawang.legalaid import services

    mine = services.assign_case(
        approved_case(world), acting_user=world.officer, provider=world.senior
    )
    services.assign_case(
        approved_case(world, idempotency_key="2"), acting_user=world.officer, provider=world.junior
    )
    response = login_as(world.provider_user).get(f"{API}/cases")
    assert [row["number"] for row in response.json()] == [mine.number]


def test_figures_for_the_supervisors_region(world: AidWorld, login_as: Login) -> None:
    approved_case(world)
    response = login_as(world.supervisor).get(f"{API}/figures?region=110105000000")
    assert response.status_code == 200
    figures = {row["code"]: row for row in response.json()["figures"]}
    assert figures["cases_opened"]["value"] == 1
    assert figures["cases_per_100k"]["target"] == 110


def test_figures_for_a_year_out_of_range_are_refused_in_chinese(
    world: AidWorld, login_as: Login
) -> None:
    response = login_as(world.supervisor).get(f"{API}/figures?region=110105000000&year=99999999")
    assert response.status_code == 400
    assert response.json() == {
        "code": "bad_year",
        "message": "年份应在1990至2100之间。",
        "field": "year",
    }


def test_figures_outside_the_region_are_refused(world: AidWorld, login_as: Login) -> None:
    response = login_as(world.supervisor).get(f"{API}/figures?region=110108000000")
    assert response.status_code == 403


def test_the_officer_adds_a_lawyer_to_the_pool_by_licence(world: AidWorld, login_as: Login) -> None:
    from fawang.core.models import InstitutionKind
    from fawang.legalaid.models import ProviderPoolMember
    from tests.factories import make_institution, make_practitioner

    lawyer = make_practitioner(make_institution("110105000000", InstitutionKind.LAW_FIRM))
    client = login_as(world.officer)
    response = client.post(
        f"{API}/pool",
        {"centre_id": world.centre.pk, "licence_number": lawyer.licence_number},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert ProviderPoolMember.objects.filter(centre=world.centre, practitioner=lawyer).exists()
    again = client.post(
        f"{API}/pool",
        {"centre_id": world.centre.pk, "licence_number": lawyer.licence_number},
        content_type="application/json",
    )
    assert again.status_code == 409


def test_another_centres_officer_cannot_add_to_this_pool(world: AidWorld, login_as: Login) -> None:
    response = login_as(world.other_officer).post(
        f"{API}/pool",
        {"centre_id": world.centre.pk, "licence_number": world.senior.practitioner.licence_number},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_termination_and_objection_through_the_api(world: AidWorld, login_as: Login) -> None:
    """法律援助法 第四十八条 (terminate, in writing) and 第四十九条 (objection, bureau review)."""
    case = approved_case(world)
    officer = login_as(world.officer)
    bad = officer.post(
        f"{API}/cases/{case.number}/termination",
        {"ground": "nonsense", "reasons": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "unknown_ground"
    done = officer.post(
        f"{API}/cases/{case.number}/termination",
        {"ground": "recipient_request", "reasons": "受援人书面要求终止"},
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "terminated"
    citizen = login_as(world.citizen)
    filed = citizen.post(
        f"{API}/cases/{case.number}/objections",
        {"reasons": "并未要求终止"},
        content_type="application/json",
    )
    assert filed.status_code == 201, filed.content
    objection_id = filed.json()["id"]
    supervisor = login_as(world.supervisor)
    decided = supervisor.post(
        f"{API}/objections/{objection_id}/decision",
        {"correct": False, "decision": "维持"},
        content_type="application/json",
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "upheld"
