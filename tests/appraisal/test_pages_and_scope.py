"""Pages as each role, the API, scope boundaries and the public pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fawang.appraisal.models import Entrustment, EntrustmentStatus, Opinion
from fawang.core.models import User
from tests.appraisal.helpers import World, build_world, entrust, issued
from tests.factories import make_citizen
from tests.pdf_text import assert_embeds_our_font

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def w() -> World:
    return build_world()


def _chinese_only(page: str) -> None:
    for code in ("forensic_clinical", "received", "accepted", "court"):
        assert f">{code}<" not in page


def test_roster_is_public_and_searchable(w: World) -> None:
    page = Client().get("/appraisal/roster").content.decode()
    assert (
        "北京朝阳司法鉴定所" in page
        and "法医临床鉴定" in page
        and w.head_person.licence_number in page
    )
    assert "诚信等级" in page
    filtered = Client().get("/appraisal/roster", {"q": "海淀"}).content.decode()
    assert "北京海淀司法鉴定所" in filtered and "北京朝阳司法鉴定所" not in filtered
    api = Client().get("/api/v1/appraisal/roster", {"field": "environmental"}).json()
    assert api == []
    _chinese_only(page)


def test_verify_page_and_api_show_nothing_personal(w: World) -> None:
    opinion = issued(w)
    page = Client().get("/appraisal/verify", {"code": opinion.verification_code}).content.decode()
    assert opinion.case_code in page and "北京朝阳司法鉴定所" in page and "有效" in page
    for personal in ("王大明", "李小红", "13911112222", "伤残", w.head_person.name):
        assert personal not in page
    api = Client().get(f"/api/v1/appraisal/opinions/verify/{opinion.verification_code}")
    assert api.status_code == 200 and api.json()["signature_valid"] is True
    missing = Client().get("/appraisal/verify", {"code": "AAAA-BBBB-CCCC"})
    assert missing.status_code == 404 and "没有找到该文书" in missing.content.decode()
    assert Client().get("/api/v1/appraisal/opinions/verify/xx").status_code == 400


def test_appraiser_runs_the_case_on_pages(w: World, login_as: Login) -> None:
    client = login_as(w.head)
    assert client.get("/console/appraisal/new").status_code == 200
    bad = client.post(
        "/console/appraisal/new",
        {
            "entrusting_kind": "court",
            "entrusting_name": "朝阳法院",
            "entrusting_phone": "1",
            "field": "forensic_clinical",
            "matter": "伤残等级",
            "fee_estimate": "100",
        },
    )
    assert bad.status_code == 400 and "伤残等级" in bad.content.decode()  # nothing lost
    assert not Entrustment.objects.exists()
    response = client.post(
        "/console/appraisal/new",
        {
            "entrusting_kind": "court",
            "entrusting_name": "朝阳法院",
            "entrusting_phone": "13911112222",
            "parties": "王大明，李小红",
            "field": "forensic_clinical",
            "matter": "伤残等级",
            "fee_estimate": "100",
        },
    )
    assert response.status_code == 302
    e = Entrustment.objects.get()
    assert e.parties == ["王大明", "李小红"]
    url = f"/console/appraisal/{e.number}/"
    one = client.post(url, {"action": "accept", "appraiser_ids": [str(w.head_person.pk)]})
    assert one.status_code == 400 and "2名" in one.content.decode()
    client.post(
        url,
        {"action": "accept", "appraiser_ids": [str(w.head_person.pk), str(w.second_person.pk)]},
    )
    e.refresh_from_db()
    assert e.status == EntrustmentStatus.ACCEPTED
    client.post(url, {"action": "issue", "kind": "opinion", "summary": "十级伤残"})
    opinion = Opinion.objects.get()
    page = client.get(url).content.decode()
    assert opinion.case_code in page and opinion.verification_code in page
    _chinese_only(page)
    pdf = client.get(f"/api/v1/appraisal/opinions/{opinion.case_code}/document")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = assert_embeds_our_font(pdf.content).text
    assert "鉴定意见书" in text and f"案件赋码：{opinion.case_code}" in text
    assert "鉴定意见：十级伤残" in text


def test_bureau_sees_its_region_and_grades(w: World, login_as: Login) -> None:
    e = entrust(w)
    client = login_as(w.district_bureau)
    page = client.get("/console/appraisal/").content.decode()
    assert e.number in page and "诚信等级" in page and "北京朝阳司法鉴定所" in page
    assert client.get(f"/console/appraisal/{e.number}/").status_code == 200
    assert client.get("/console/appraisal/new").status_code == 403


def test_scope_other_institution_other_district_and_citizens_get_404(
    w: World, login_as: Login
) -> None:
    e = entrust(w)
    opinion = issued(w)
    for user in (w.outsider, w.haidian_bureau):
        client = login_as(user)
        assert client.get(f"/console/appraisal/{e.number}/").status_code == 404
        assert client.get(f"/api/v1/appraisal/entrustments/{e.number}").status_code == 404
        doc = client.get(f"/api/v1/appraisal/opinions/{opinion.case_code}/document")
        assert doc.status_code == 404
        listed = client.get("/api/v1/appraisal/entrustments").json()
        assert e.number not in {row["number"] for row in listed}
        client.logout()
    citizen = login_as(make_citizen())
    assert citizen.get(f"/api/v1/appraisal/entrustments/{e.number}").status_code == 404
    assert (
        citizen.get(f"/api/v1/appraisal/opinions/{opinion.case_code}/document").status_code == 404
    )


def test_api_accept_with_an_unlicensed_appraiser_is_400_in_chinese(
    w: World, login_as: Login
) -> None:
    e = entrust(w)
    client = login_as(w.head)
    response = client.post(
        f"/api/v1/appraisal/entrustments/{e.number}/accept",
        {"appraiser_ids": [w.head_person.pk, w.dna_only.pk]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "执业类别" in response.json()["message"]
    response = client.post(
        f"/api/v1/appraisal/entrustments/{e.number}/accept",
        {"appraiser_ids": [w.head_person.pk, w.second_person.pk]},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "accepted"


def test_the_bureau_downloads_the_notice_for_case_handling_agencies(
    w: World, login_as: Login
) -> None:
    issued(w)
    client = login_as(w.district_bureau)
    response = client.get("/api/v1/appraisal/notice.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = assert_embeds_our_font(response.content).text
    assert "司法鉴定情况通报" in text and "北京朝阳司法鉴定所" in text and "诚信等级" in text
    assert Client().get("/api/v1/appraisal/notice.pdf").status_code == 401


def test_bureau_registers_and_decides_a_complaint_on_the_page(w: World, login_as: Login) -> None:
    from fawang.appraisal.models import Complaint

    client = login_as(w.district_bureau)
    assert "北京朝阳司法鉴定所" in client.get("/console/appraisal/complaints").content.decode()
    bad = client.post(
        "/console/appraisal/complaints",
        {"institution": str(w.institution.pk), "complainant": "王大明", "text": ""},
    )
    assert bad.status_code == 400 and "王大明" in bad.content.decode()
    client.post(
        "/console/appraisal/complaints",
        {"institution": str(w.institution.pk), "complainant": "王大明", "text": "鉴定超期"},
    )
    complaint = Complaint.objects.get()
    client.post(
        "/console/appraisal/complaints",
        {"action": "decide", "complaint": str(complaint.pk), "decision": "valid", "note": "属实"},
    )
    complaint.refresh_from_db()
    assert complaint.decision == "valid"
    haidian = login_as(w.haidian_bureau)
    assert "王大明" not in haidian.get("/console/appraisal/complaints").content.decode()
    assert login_as(w.head).get("/console/appraisal/complaints").status_code == 403
