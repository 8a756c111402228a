from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fawang.core.models import User
from fawang.legalaid import services
from fawang.legalaid.models import AidApplication, AidCase, ApplicationStatus, CaseStatus
from fawang.workorders.models import WorkOrder
from tests.factories import valid_id_number
from tests.legalaid.helpers import (
    JIANWAI,
    AidWorld,
    apply,
    approved_case,
    build_aid_world,
    notice_input,
)

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def world() -> AidWorld:
    return build_aid_world()


def form_data(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "action": "submit",
        "district": "110105000000",
        "township": JIANWAI,
        "matter_type": "labour_remuneration",
        "facts": "老板拖欠工资三个月。",
        "applicant_name": "王大力",
        "applicant_id_number": valid_id_number(seq=555),
        "household_size": "2",
        "household_monthly_income": "3000",
        "household_assets": "0",
        "honesty_pledge": "on",
        "idempotency_key": "page-1",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def test_a_citizen_applies_on_the_portal(world: AidWorld, login_as: Login) -> None:
    client = login_as(world.citizen)
    assert client.get("/legal-aid/apply").status_code == 200
    response = client.post("/legal-aid/apply", form_data())
    application = AidApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/legal-aid/my/{application.number}"
    page = client.get(response["Location"])
    assert application.number in page.content.decode()


def test_a_citizen_can_attach_income_proof_when_applying(world: AidWorld, login_as: Login) -> None:
    client = login_as(world.citizen)
    proof = SimpleUploadedFile("proof.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    client.post("/legal-aid/apply", {**form_data(), "proof-file": proof})
    assert AidApplication.objects.get().documents.filter(kind="income_proof").count() == 1


def test_missing_pledge_shows_the_error_and_saves_nothing(world: AidWorld, login_as: Login) -> None:
    client = login_as(world.citizen)
    response = client.post("/legal-aid/apply", form_data(honesty_pledge=None))
    assert response.status_code == 400
    assert "诚信承诺" in response.content.decode()
    assert AidApplication.objects.count() == 0 and WorkOrder.objects.count() == 0


def test_the_refusal_letter_gives_reasons_and_how_to_object(
    world: AidWorld, login_as: Login
) -> None:
    application = apply(world, household_size=1, household_monthly_income="8000")
    client = login_as(world.officer)
    response = client.post(
        f"/legal-aid/console/applications/{application.number}",
        {"decision": "refuse", "reasons": ""},
    )
    assert response.status_code == 302
    letter = client.get(response["Location"]).content.decode()
    assert "8000.00" in letter and "司法行政部门" in letter and "第四十九条" in letter
    citizen_view = login_as(world.citizen).get(
        f"/legal-aid/applications/{application.number}/refusal-letter"
    )
    assert citizen_view.status_code == 200


def test_the_officer_approves_and_assigns_on_the_console(world: AidWorld, login_as: Login) -> None:
    application = apply(world)
    client = login_as(world.officer)
    queue = client.get("/legal-aid/console/").content.decode()
    assert application.number in queue
    response = client.post(
        f"/legal-aid/console/applications/{application.number}", {"decision": "approve"}
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    case = AidCase.objects.get(application=application)
    assert response["Location"] == f"/legal-aid/console/cases/{case.number}"
    response = client.post(
        response["Location"], {"action": "assign", "assign-provider": str(world.senior.pk)}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.provider == world.senior and case.status == CaseStatus.ASSIGNED


def test_an_overdue_notice_is_flagged_in_the_queue(world: AidWorld, login_as: Login) -> None:
    case = services.receive_notice(
        # 3 days (法律援助法 第三十六条), a day off at the end moving it on (民法典 第二百零三条):
        # two weeks ago is overdue whatever the calendar.
        notice_input(received_at=timezone.now() - timedelta(days=14)),
        acting_user=world.officer,
    )
    page = login_as(world.officer).get("/legal-aid/console/").content.decode()
    assert case.number in page and "超期未指派" in page


def test_the_provider_records_a_milestone_and_closes_on_the_console(
    world: AidWorld, login_as: Login
) -> None:
    case = services.assign_case(
        approved_case(world), acting_user=world.officer, provider=world.senior
    )
    client = login_as(world.provider_user)
    url = f"/legal-aid/console/cases/{case.number}"
    client.post(url, {"action": "milestone", "milestone-kind": "met_client",
                      "milestone-occurred_on": str(timezone.localdate())})  # fmt: skip
    for kind in ("closing_report", "judgment"):
        upload = SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4 x", content_type="application/pdf")
        client.post(url, {"action": "upload", "upload-kind": kind, "upload-file": upload})
    response = client.post(url, {"action": "close", "close-summary": "调解结案，拿回工资"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.milestones.count() == 1


def test_closing_without_materials_shows_what_is_missing(world: AidWorld, login_as: Login) -> None:
    case = services.assign_case(
        approved_case(world), acting_user=world.officer, provider=world.senior
    )
    response = login_as(world.provider_user).post(
        f"/legal-aid/console/cases/{case.number}", {"action": "close", "close-summary": "结案"}
    )
    assert response.status_code == 400
    assert "结案报告" in response.content.decode()


def test_a_provider_gets_404_for_another_providers_case(world: AidWorld, login_as: Login) -> None:
    case = services.assign_case(
        approved_case(world), acting_user=world.officer, provider=world.junior
    )
    client = login_as(world.provider_user)
    assert client.get(f"/legal-aid/console/cases/{case.number}").status_code == 404
    response = client.post(
        f"/legal-aid/console/cases/{case.number}",
        {
            "action": "milestone",
            "milestone-kind": "met_client",
            "milestone-occurred_on": "2026-01-01",
        },
    )
    assert response.status_code == 404
    assert case.milestones.count() == 0


def test_the_supervisor_reviews_a_closed_case(world: AidWorld, login_as: Login) -> None:
    case = services.assign_case(
        approved_case(world), acting_user=world.officer, provider=world.senior
    )
    AidCase.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_at=timezone.now())
    client = login_as(world.supervisor)
    response = client.post(
        f"/legal-aid/console/cases/{case.number}",
        {"action": "review", "review-method": "peer", "review-score": "88"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "良好" in page


def test_the_supervisor_sees_figures_with_targets(world: AidWorld, login_as: Login) -> None:
    approved_case(world)
    page = login_as(world.supervisor).get("/legal-aid/console/figures/").content.decode()
    assert "每十万人法律援助量" in page and "110 件" in page and "≥ 80.0%" in page


def test_the_supervisor_draws_a_sample_on_the_console(world: AidWorld, login_as: Login) -> None:
    case = services.assign_case(
        approved_case(world), acting_user=world.officer, provider=world.senior
    )
    AidCase.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_at=timezone.now())
    client = login_as(world.supervisor)
    response = client.post(
        "/legal-aid/console/supervision/",
        {"sample-centre": str(world.centre.pk), "sample-period": str(timezone.localdate().year)},
    )
    assert response.status_code == 302
    assert case.number in client.get("/legal-aid/console/supervision/").content.decode()


def test_every_console_page_renders_for_its_roles(world: AidWorld, login_as: Login) -> None:
    approved_case(world)
    for user, urls in [
        (world.officer, ["/legal-aid/console/", "/legal-aid/console/cases/", "/legal-aid/console/pool/",
                         "/legal-aid/console/supervision/"]),
        (world.supervisor, ["/legal-aid/console/", "/legal-aid/console/figures/", "/legal-aid/console/pool/"]),
        (world.provider_user, ["/legal-aid/console/cases/"]),
    ]:  # fmt: skip
        client = login_as(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user.role, url)
        client.logout()


def test_a_lawyer_cannot_open_the_officers_queue(world: AidWorld, login_as: Login) -> None:
    assert login_as(world.provider_user).get("/legal-aid/console/").status_code == 403


def test_the_officer_adds_a_provider_on_the_pool_page(world: AidWorld, login_as: Login) -> None:
    from fawang.core.models import InstitutionKind
    from fawang.legalaid.models import ProviderPoolMember
    from tests.factories import make_institution, make_practitioner

    lawyer = make_practitioner(make_institution("110105000000", InstitutionKind.LAW_FIRM))
    client = login_as(world.officer)
    response = client.post(
        "/legal-aid/console/pool/", {"action": "add", "add-licence_number": lawyer.licence_number}
    )
    assert response.status_code == 302
    assert ProviderPoolMember.objects.filter(practitioner=lawyer, centre=world.centre).exists()
    unknown = client.post(
        "/legal-aid/console/pool/", {"action": "add", "add-licence_number": "NOPE"}
    )
    assert unknown.status_code == 400
    assert "未找到该执业证号" in unknown.content.decode()


def test_date_fields_default_to_today_in_browser_format(world: AidWorld, login_as: Login) -> None:
    case = services.assign_case(
        approved_case(world), acting_user=world.officer, provider=world.senior
    )
    page = login_as(world.provider_user).get(f"/legal-aid/console/cases/{case.number}")
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page.content.decode()


def test_the_officer_approves_a_defence_on_other_reasons_and_terminates_it(
    world: AidWorld, login_as: Login
) -> None:
    """法律援助法 第二十四条 (其他原因) on the review page; 第四十八条 termination on the case page."""
    application = apply(
        world, matter_type="criminal_defence", household_size=1, household_monthly_income="30000"
    )
    client = login_as(world.officer)
    refused = client.post(
        f"/legal-aid/console/applications/{application.number}", {"decision": "approve"}
    )
    assert refused.status_code == 400
    response = client.post(
        f"/legal-aid/console/applications/{application.number}",
        {
            "decision": "approve",
            "basis": "criminal_other_reason",
            "reasons": "家属在外地，无法委托辩护人",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    case = AidCase.objects.get(application=application)
    page = client.get(response["Location"]).content.decode()
    assert 'id="action-terminate"' in page
    response = client.post(
        response["Location"],
        {
            "action": "terminate",
            "terminate-ground": "own_lawyer",
            "terminate-reasons": "受援人已自行委托律师",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.TERMINATED
    page = client.get(response["Location"]).content.decode()
    assert 'id="termination-decision"' in page and 'id="action-terminate"' not in page


def test_a_refused_citizen_objects_and_the_bureau_reviews_it(
    world: AidWorld, login_as: Login
) -> None:
    """法律援助法 第四十九条 on the pages: the citizen objects on their application page; the
    district bureau reviews it on the supervision page within 5 days."""
    from fawang.legalaid.models import Objection, ObjectionStatus

    application = apply(world, household_size=1, household_monthly_income="30000")
    services.decide_application(application, approve=False, reasons="", acting_user=world.officer)
    citizen = login_as(world.citizen)
    page = citizen.get(f"/legal-aid/my/{application.number}").content.decode()
    assert 'id="objection-form"' in page
    response = citizen.post(
        f"/legal-aid/my/{application.number}",
        {"action": "object", "objection-reasons": "收入证明有误"},
    )
    assert response.status_code == 302
    objection = Objection.objects.get(application=application)
    page = citizen.get(f"/legal-aid/my/{application.number}").content.decode()
    assert 'id="objection-form"' not in page and "审查中" in page
    supervisor = login_as(world.supervisor)
    assert "收入证明有误" in supervisor.get("/legal-aid/console/supervision/").content.decode()
    response = supervisor.post(
        "/legal-aid/console/supervision/",
        {
            "action": "decide_objection",
            "objection-objection": str(objection.pk),
            "objection-outcome": "correct",
            "objection-decision": "收入核算有误，责令重新审查",
        },
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    application.refresh_from_db()
    assert objection.status == ObjectionStatus.CORRECTED
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_officer_asks_for_materials_once_and_gives_aid_first(
    world: AidWorld, login_as: Login
) -> None:
    """法律援助法 第四十三条第二款 (materials asked once, then withdrawn) and 第四十四条 (aid first)."""
    client = login_as(world.officer)
    application = apply(world)
    url = f"/legal-aid/console/applications/{application.number}"
    assert 'id="materials-form"' in client.get(url).content.decode()
    response = client.post(
        url, {"action": "request_materials", "materials-materials": "工资条；劳动合同"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'id="materials-form"' not in page and 'id="withdrawn-form"' in page
    assert client.post(url, {"action": "withdrawn"}).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN

    urgent = apply(world, idempotency_key="urgent")
    url = f"/legal-aid/console/applications/{urgent.number}"
    response = client.post(
        url,
        {
            "action": "provide_first",
            "first-ground": "time_limit",
            "first-reasons": "仲裁时效五日后届满",
        },
    )
    assert response.status_code == 302
    case = AidCase.objects.get(application=urgent)
    assert response["Location"] == f"/legal-aid/console/cases/{case.number}"
    assert 'id="provisional"' in client.get(url).content.decode()


def test_the_citizen_answers_the_materials_request(world: AidWorld, login_as: Login) -> None:
    application = apply(world)
    services.request_materials(application, materials="工资条", acting_user=world.officer)
    citizen = login_as(world.citizen)
    url = f"/legal-aid/my/{application.number}"
    assert 'id="supply-form"' in citizen.get(url).content.decode()
    response = citizen.post(url, {"action": "supply", "supply-note": "工资条已上传"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.materials_supplied_at is not None
    assert 'id="supply-form"' not in citizen.get(url).content.decode()


def test_one_request_one_status_under_my_requests_and_my_legal_aid(
    world: AidWorld, login_as: Login
) -> None:
    """Issue 13 item 3: the work order follows its application and case, status and history."""
    case = approved_case(world)
    application = case.application
    assert application is not None
    client = login_as(world.citizen)
    order = application.work_order
    order.refresh_from_db()
    assert order.case_status == "已批准 · 待指派"
    services.assign_case(case, acting_user=world.officer)
    order.refresh_from_db()
    assert order.case_status == "已批准 · 承办中"
    mine = client.get(reverse("legalaid:my_applications")).content.decode()
    requests = client.get("/requests/").content.decode()
    row = requests.split(f">{order.number}<")[1].split("</tr>")[0]
    assert "已批准 · 承办中" in row and "待领取" not in row
    assert "已批准 · 承办中" in mine
    detail = client.get(f"/requests/{order.number}").content.decode()
    assert f"法律援助申请 {application.number}" in detail
    assert "案件进展：已批准 · 承办中" in detail and "案件进展：待审查" in detail
