"""Pages as each role, and the API end to end."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fawang.core.models import User
from fawang.notary.models import MaterialsNotice, MatterStatus, NotarialMatter
from tests.factories import valid_id_number
from tests.notary.helpers import World, apply, birth_form, build_world, issue, pdf, slot

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def w() -> World:
    return build_world()


def test_catalogue_and_materials_list_are_public(w: World) -> None:
    client = Client()
    page = client.get("/notary/").content.decode()
    for name in ("学历公证", "遗嘱公证", "赋予债权文书强制执行效力公证", "提存公证"):
        assert name in page
    info = client.get("/notary/matters/succession").content.decode()
    assert "被继承人死亡证明" in info and "全部继承人名单及身份证件" in info
    assert "附加证明书" in info
    assert client.get("/notary/matters/nothing").status_code == 404
    api = client.get("/api/v1/notary/catalogue").json()
    assert len(api) >= 15 and {m["code"] for m in api} >= {"will", "escrow", "enforcement"}


def test_citizen_applies_with_a_missing_item_and_sees_one_notice(w: World, login_as: Login) -> None:
    client = login_as(w.citizen)
    assert client.get("/notary/apply/birth").status_code == 200
    response = client.post(
        "/notary/apply/birth",
        birth_form(w),
    )
    assert response.status_code == 302
    matter = NotarialMatter.objects.get()
    page = client.get(f"/notary/mine/{matter.code}").content.decode()
    assert "一次性告知书" in page and "出生医学证明或户籍证明" in page
    assert "申请人近期免冠照片" in page
    client.post(
        f"/notary/mine/{matter.code}",
        {
            "action": "upload",
            "file_birth_cert": pdf("b.pdf"),
            "file_photo": pdf("p.jpg"),
        },
    )
    assert MaterialsNotice.objects.get(matter=matter).completed_at is not None


def test_apply_page_bad_input_keeps_the_form(w: World, login_as: Login) -> None:
    client = login_as(w.citizen)
    response = client.post(
        "/notary/apply/birth",
        {
            "office": str(w.office.pk),
            "purpose": "入学",
            "applicant_name": "张秀兰",
            "applicant_id_number": "110105198001011234",
        },
    )
    assert response.status_code == 400
    assert "入学" in response.content.decode()
    assert NotarialMatter.objects.count() == 0


def test_notary_pages(w: World, login_as: Login) -> None:
    matter = apply(w)
    client = login_as(w.notary)
    assert matter.code in client.get("/console/notary/").content.decode()
    detail = client.get(f"/console/notary/{matter.code}/").content.decode()
    assert "受理" in detail and "一次性告知" in detail
    assert "13911112222" not in detail
    client.post(f"/console/notary/{matter.code}/", {"action": "accept"})
    client.post(
        f"/console/notary/{matter.code}/",
        {
            "action": "verify",
            "subject": "出生医学证明",
            "method": "data_exchange",
            "confirmed": "yes",
        },
    )
    client.post(f"/console/notary/{matter.code}/", {"action": "conclude"})
    client.post(f"/console/notary/{matter.code}/", {"action": "pay"})
    client.post(f"/console/notary/{matter.code}/", {"action": "issue"})
    matter.refresh_from_db()
    assert matter.status == MatterStatus.ISSUED
    assert matter.verifications.get().method == "data_exchange"
    bad = client.post(f"/console/notary/{matter.code}/", {"action": "deliver", "method": "x"})
    assert bad.status_code == 400 and "送达方式" in bad.content.decode()
    # A plain notary has no supervision page; the head and the bureau do.
    assert client.get("/console/notary/supervision/").status_code == 404


def test_head_and_bureau_supervision_pages(w: World, login_as: Login) -> None:
    issue(w, apply(w))
    head = login_as(w.head).get("/console/notary/supervision/").content.decode()
    assert "北京市朝阳公证处" in head and "北京市海淀公证处" not in head
    assert "办证日程" in head
    bureau_client = login_as(w.city_bureau)
    bureau = bureau_client.get("/console/notary/supervision/").content.decode()
    assert "北京市海淀公证处" in bureau and "抽取评查样本" in bureau
    figures = bureau_client.get("/api/v1/notary/figures").json()
    chaoyang = next(f for f in figures if f["office"] == "北京市朝阳公证处")
    assert chaoyang["done"] == 1 and chaoyang["one_visit_share"] == 100.0
    assert chaoyang["grade"]["grade"] == "B"  # base 80 without reviews


def test_citizen_books_the_visit_on_the_page(w: World, login_as: Login) -> None:
    matter = apply(w, "gift")
    entry = slot(w.office)
    client = login_as(w.citizen)
    assert "周末不打烊" in client.get(f"/notary/mine/{matter.code}").content.decode()
    client.post(f"/notary/mine/{matter.code}", {"action": "book", "slot_id": str(entry.pk)})
    assert matter.appointments.get().slot == entry
    again = client.post(f"/notary/mine/{matter.code}", {"action": "book", "slot_id": str(entry.pk)})
    assert again.status_code == 409 and "已预约" in again.content.decode()


def test_api_flow(w: World, login_as: Login) -> None:
    citizen = login_as(w.citizen)
    created = citizen.post(
        "/api/v1/notary/matters",
        {
            "matter_type": "no_criminal_record",
            "office_id": w.office.pk,
            "purpose": "出国工作",
            "applicant_name": "张秀兰",
            "applicant_id_number": valid_id_number(),
            "destination": "日本",
            "with_authentication": True,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["route"] == "apostille" and body["notice"]["items"]
    assert set(body["missing"]) == {e["item"] for e in body["notice"]["items"]}
    code = body["code"]
    for item in body["missing"]:
        response = citizen.post(
            f"/api/v1/notary/matters/{code}/materials", {"item": item, "file": pdf(f"{item}.pdf")}
        )
        assert response.status_code == 200
    assert citizen.get(f"/api/v1/notary/matters/{code}").json()["notice"]["completed_at"]
    notary = login_as(w.notary)
    assert notary.post(f"/api/v1/notary/matters/{code}/accept").status_code == 200
    second = notary.post(
        f"/api/v1/notary/matters/{code}/notice",
        {"items": ["photo"]},
        content_type="application/json",
    )
    assert second.status_code == 409 and second.json()["code"] == "already_notified"
    assert notary.post(f"/api/v1/notary/matters/{code}/conclude").status_code == 200
    assert notary.post(f"/api/v1/notary/matters/{code}/payment").status_code == 200
    issued = notary.post(f"/api/v1/notary/matters/{code}/certificate")
    assert issued.status_code == 201
    verification = issued.json()["verification_code"]
    assert Client().get(f"/api/v1/notary/certificates/{verification}").json()["status"] == "valid"
    citizen = login_as(w.citizen)  # the fixture has one client: log the citizen in again
    bad = citizen.post(
        "/api/v1/notary/matters",
        {
            "matter_type": "birth",
            "office_id": w.office.pk,
            "purpose": "",
            "applicant_name": "张",
            "applicant_id_number": valid_id_number(),
        },
        content_type="application/json",
    )
    assert bad.status_code == 400, bad.content
    assert bad.json()["field"] == "purpose"


def test_window_records_an_application_and_tells_the_notice(w: World, login_as: Login) -> None:
    client = login_as(w.window)
    assert "遗嘱公证" in client.get("/console/notary/intake/").content.decode()
    response = client.post(
        "/console/notary/intake/kinship",
        {
            "office": str(w.office.pk),
            "purpose": "探亲签证",
            "applicant_name": "李四",
            "applicant_id_number": valid_id_number(),
            "applicant_phone": "13911113333",
            "material_id_card": pdf("id.pdf"),
        },
    )
    assert response.status_code == 302
    matter = NotarialMatter.objects.get()
    assert matter.channel == "window" and matter.applicant is None
    page = client.get(response["Location"]).content.decode()
    assert matter.code in page and "户口簿或户籍证明" in page
    assert login_as(w.citizen).get("/console/notary/intake/").status_code == 302


def test_supervision_api(w: World, login_as: Login) -> None:
    issue(w, apply(w))
    head = login_as(w.head)
    created = head.post(
        "/api/v1/notary/slots",
        {
            "kind": "periodic",
            "starts_at": "2030-01-05T09:00:00+08:00",
            "ends_at": "2030-01-05T12:00:00+08:00",
            "place": "怀柔区公共法律服务中心",
            "capacity": 5,
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["kind_label"] == "定期办证"
    bureau = login_as(w.district_bureau)
    fault = bureau.post(
        "/api/v1/notary/faults",
        {
            "notary_id": w.notary.practitioner.pk,
            "description": "未尽核实义务",
            "liability": "追偿损失",
        },
        content_type="application/json",
    )
    assert fault.status_code == 201
    assert bureau.get("/api/v1/notary/faults").json()["count"] == 1
    other = login_as(w.haidian_bureau)
    assert other.get("/api/v1/notary/faults").json()["count"] == 0
    denied = other.post(
        "/api/v1/notary/faults",
        {
            "notary_id": w.notary.practitioner.pk,
            "description": "x",
            "liability": "y",
        },
        content_type="application/json",
    )
    assert denied.status_code == 403


def test_notary_reveals_a_number_with_a_reason_and_it_is_logged(w: World, login_as: Login) -> None:
    from fawang.audit.models import PersonalDataAccess

    matter = apply(w)
    client = login_as(w.notary)
    refused = client.post(
        f"/console/notary/{matter.code}/",
        {"action": "reveal", "field": "applicant_phone", "reason": ""},
    )
    assert refused.status_code == 400 and "13911112222" not in refused.content.decode()
    before = PersonalDataAccess.objects.count()
    shown = client.post(
        f"/console/notary/{matter.code}/",
        {"action": "reveal", "field": "applicant_phone", "reason": "电话核实申请人身份"},
    )
    assert "13911112222" in shown.content.decode()
    assert PersonalDataAccess.objects.count() == before + 1


def test_bureau_lists_the_matters_of_its_region(w: World, login_as: Login) -> None:
    chaoyang, haidian = apply(w), apply(w, office_id=w.haidian_office.pk)
    page = login_as(w.district_bureau).get("/console/notary/").content.decode()
    assert chaoyang.code in page and haidian.code not in page
    detail = login_as(w.district_bureau).get(f"/console/notary/{chaoyang.code}/")
    assert detail.status_code == 200 and "受理</button>" not in detail.content.decode()


def test_complaint_against_a_notary_and_its_outcome_for_the_citizen(
    w: World, login_as: Login
) -> None:
    from fawang.notary.models import Complaint

    matter = apply(w)
    citizen = login_as(w.citizen)
    citizen.post(f"/notary/mine/{matter.code}", {"action": "complain", "content": "多次改约"})
    bureau = login_as(w.district_bureau)
    bureau.post(
        "/console/notary/supervision/",
        {
            "action": "complaint",
            "office_id": str(w.office.pk),
            "notary_id": str(w.notary.practitioner.pk),
            "complainant_name": "王五",
            "content": "公证员未说明收费依据",
        },
    )
    against_notary = Complaint.objects.get(complainant_name="王五")
    assert against_notary.notary == w.notary.practitioner
    mine = Complaint.objects.get(matter=matter)
    bureau.post(
        "/console/notary/supervision/",
        {
            "action": "decide",
            "complaint_id": str(mine.pk),
            "upheld": "no",
            "outcome": "经核查，改约系申请人要求。",
        },
    )
    page = login_as(w.citizen).get(f"/notary/mine/{matter.code}").content.decode()
    assert "投诉不成立" in page and "改约系申请人要求" in page


def test_materials_can_be_read_by_the_office_and_the_applicant_only(
    w: World, login_as: Login
) -> None:
    matter = apply(w)
    url = f"/console/notary/{matter.code}/materials/birth_cert"
    response = login_as(w.notary).get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert login_as(w.outsider).get(url).status_code == 404
    mine = f"/notary/mine/{matter.code}/materials/birth_cert"
    assert login_as(w.citizen).get(mine).status_code == 200
    assert login_as(w.other_citizen).get(mine).status_code == 404


def test_supervision_records_are_for_the_head_and_the_bureau_only(
    w: World, login_as: Login
) -> None:
    from fawang.notary import services

    services.file_complaint(w.office.pk, "排队时间长", acting_user=w.citizen)
    assert login_as(w.notary).get("/api/v1/notary/complaints").json()["count"] == 0
    assert login_as(w.notary).get("/api/v1/notary/figures").json() == []
    assert login_as(w.head).get("/api/v1/notary/complaints").json()["count"] == 1
    assert login_as(w.outsider).get("/api/v1/notary/complaints").json()["count"] == 0
