from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from fawang.mediation.models import Dispute, DisputeStatus, Screening
from fawang.mediation.services import assign_dispute, generate_screenings
from fawang.workorders.models import WorkOrder
from tests.mediation.helpers import JIANWAI, build_world, citizen_dispute, mediator_account
from tests.pdf_text import assert_embeds_our_font

pytestmark = pytest.mark.django_db


def application(**overrides: Any) -> dict[str, Any]:
    form = {
        "dispute_type": "neighbour",
        "township": JIANWAI,
        "facts": "楼上漏水泡坏天花板。",
        "applicant_name": "李明",
        "applicant_phone": "13911112222",
        "respondent_name": "王强",
        "idempotency_key": "k1",
    }
    form.update(overrides)
    return form


def test_citizen_applies_on_the_portal_and_sees_the_dispute(login_as: Any) -> None:
    world = build_world()
    client = login_as(world.citizen)
    assert client.get("/mediation/apply").status_code == 200
    response = client.post("/mediation/apply", application())
    dispute = Dispute.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(dispute.number)
    page = client.get(response["Location"]).content.decode()
    assert "建外街道人民调解委员会" in page and "139****2222" in page


def test_bad_phone_on_the_portal_is_shown_by_the_field_and_saves_nothing(login_as: Any) -> None:
    world = build_world()
    response = login_as(world.citizen).post("/mediation/apply", application(applicant_phone="123"))
    assert response.status_code == 400
    assert "手机号码应为11位数字" in response.content.decode()
    assert not Dispute.objects.exists() and not WorkOrder.objects.exists()


def test_mediator_records_session_and_agreement_on_the_console(login_as: Any) -> None:
    world = build_world()
    dispute = citizen_dispute(world)
    client = login_as(world.mediator)
    page = client.get(f"/console/mediation/{dispute.number}/")
    assert page.status_code == 200 and "由我承办" in page.content.decode()
    client.post(
        f"/console/mediation/{dispute.number}/",
        {"action": "assign", "assign-mediators": str(world.mediator_person.pk)},
    )
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/console/mediation/{dispute.number}/",
        {"action": "session", "session-held_at": now, "session-place": "调解室",
         "session-attendance": "双方", "session-notes": "达成一致"},
    )  # fmt: skip
    assert response.status_code == 302
    today = timezone.localdate().isoformat()
    response = client.post(
        f"/console/mediation/{dispute.number}/",
        {"action": "agreement", "agreement-form": "written", "agreement-facts": "漏水",
         "agreement-issues": "赔偿", "agreement-terms": "赔偿六千元", "agreement-performance_manner": "转账",
         "agreement-performance_deadline": today, "agreement-signed_on": today},
    )  # fmt: skip
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.AGREED
    printable = login_as(world.citizen).get(f"/mediation/mine/{dispute.number}/agreement")
    assert "人民调解协议书" in printable.content.decode()
    pdf = login_as(world.citizen).get(f"/mediation/mine/{dispute.number}/agreement?format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert "经调解，双方自愿达成如下协议" in assert_embeds_our_font(pdf.content).text


def test_bad_session_input_shows_the_error_and_saves_nothing(login_as: Any) -> None:
    world = build_world()
    dispute = assign_dispute(
        citizen_dispute(world), acting_user=world.head, mediator_ids=[world.mediator_person.pk]
    )
    response = login_as(world.mediator).post(
        f"/console/mediation/{dispute.number}/",
        {"action": "session", "session-held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
         "session-attendance": "双方", "session-notes": "x"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "请填写调解地点或视频调解链接" in response.content.decode()
    assert not dispute.sessions.exists()


def test_outside_mediator_gets_404_on_the_dispute_page(login_as: Any) -> None:
    world = build_world()
    dispute = citizen_dispute(world)
    client = login_as(world.outsider)
    assert client.get(f"/console/mediation/{dispute.number}/").status_code == 404
    assert client.get(f"/console/mediation/{dispute.number}/agreement").status_code == 404


def test_other_citizen_gets_404_on_the_dispute_page(login_as: Any) -> None:
    from tests.factories import make_citizen

    world = build_world()
    dispute = citizen_dispute(world)
    other = make_citizen(region_code=JIANWAI)
    assert login_as(other).get(f"/mediation/mine/{dispute.number}").status_code == 404


def test_committee_page_lists_shortfalls_for_the_bureau(login_as: Any) -> None:
    world = build_world()
    page = (
        login_as(world.district_bureau)
        .get("/console/mediation/committees/?short=1")
        .content.decode()
    )
    assert world.other_committee.name in page and "建外街道人民调解委员会" not in page


def test_screening_page_shows_overdue_and_records_a_risk(login_as: Any) -> None:
    world = build_world()
    generate_screenings(date(2026, 1, 5))
    screening = Screening.objects.get(unit=world.village_committee)
    village_mediator, _ = mediator_account(world.village_committee)
    client = login_as(village_mediator)
    assert "逾期" in client.get("/console/mediation/screenings/?overdue=1").content.decode()
    response = client.post(
        f"/console/mediation/screenings/{screening.pk}/",
        {"notes": "走访", "risk_description": "邻里噪音争执", "risk_type": "neighbour"},
    )
    assert response.status_code == 302
    risk = screening.risks.get()
    client.post(f"/console/mediation/screenings/{screening.pk}/risks/{risk.pk}/dispute")
    assert Dispute.objects.get().source == "screening"


def test_figures_page_shows_targets_beside_figures(login_as: Any) -> None:
    world = build_world()
    citizen_dispute(world)
    page = login_as(world.district_bureau).get("/console/mediation/figures/").content.decode()
    assert "调解成功率" in page and "平台默认" in page and "35" in page


def test_bureau_declares_a_key_period_on_the_figures_page(login_as: Any) -> None:
    from fawang.mediation.models import KeyPeriod

    world = build_world()
    response = login_as(world.district_bureau).post(
        "/console/mediation/figures/",
        {"name": "两会期间", "starts_on": "2026-03-01", "ends_on": "2026-03-15"},
    )
    assert response.status_code == 302
    assert KeyPeriod.objects.get().region.code == "110105000000"
