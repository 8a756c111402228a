"""Citizens complain online about an institution (optionally an appraiser and an opinion); the
bureau decides it as any complaint (有效投诉 counts); each citizen sees only their own."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fawang.appraisal import services
from fawang.appraisal.models import Complaint
from fawang.core.errors import InvalidInput, PermissionDenied
from fawang.core.models import Practitioner, User
from tests.appraisal.helpers import World, build_world, issued
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def w() -> World:
    return build_world()


def test_citizen_files_on_the_portal_and_sees_the_decision(w: World, login_as: Login) -> None:
    opinion = issued(w)
    citizen = make_citizen()
    client = login_as(citizen)
    page = client.get(f"/appraisal/complaints?institution={w.institution.pk}").content.decode()
    assert "北京朝阳司法鉴定所" in page and w.second_person.name in page
    response = client.post(
        "/appraisal/complaints",
        {
            "institution": str(w.institution.pk),
            "appraiser": str(w.second_person.pk),
            "opinion_code": opinion.verification_code.replace("-", "").lower(),
            "text": "鉴定人未通知我到场即作出鉴定。",
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.citizen == citizen and complaint.appraiser == w.second_person
    assert complaint.opinion == opinion and complaint.entrustment == opinion.entrustment
    assert "待处理" in client.get("/appraisal/complaints").content.decode()
    # The bureau sees it on its page and decides it valid; the rate counts it.
    bureau = login_as(w.district_bureau)
    assert "在线投诉" in bureau.get("/console/appraisal/complaints").content.decode()
    services.decide_complaint(
        complaint, "valid", "经查属实，责令整改。", acting_user=w.district_bureau
    )
    assert services.integrity(w.institution).valid_complaints == 1
    page = login_as(citizen).get("/appraisal/complaints").content.decode()
    assert "有效投诉" in page and "责令整改" in page


def test_bad_input_keeps_what_was_typed(w: World, login_as: Login) -> None:
    client = login_as(make_citizen())
    cases = [
        ({"appraiser": "999999"}, "没有这名鉴定人"),
        ({"opinion_code": "ABCD-EFGH-JKLM"}, "没有出具过这份文书"),
        ({"text": ""}, "投诉事实"),
    ]
    for extra, message in cases:
        data = {"institution": str(w.institution.pk), "text": "未按时出具意见。", **extra}
        response = client.post("/appraisal/complaints", data)
        body = response.content.decode()
        assert response.status_code == 400, extra
        assert message in body
        if data["text"]:
            assert "未按时出具意见。" in body
    assert not Complaint.objects.exists()


def test_an_appraiser_of_another_institution_is_refused(w: World) -> None:
    citizen = make_citizen()
    other_person = Practitioner.objects.get(user=w.outsider)
    with pytest.raises(InvalidInput) as caught:
        services.file_complaint(
            w.institution.pk, "事实", appraiser_id=other_person.pk, acting_user=citizen
        )
    assert caught.value.code == "unknown_appraiser"


def test_citizens_see_only_their_own_and_staff_cannot_file(w: World, login_as: Login) -> None:
    alice, bob = make_citizen(), make_citizen()
    services.file_complaint(w.institution.pk, "甲的投诉事实", acting_user=alice)
    page = login_as(bob).get("/appraisal/complaints").content.decode()
    assert "甲的投诉事实" not in page and "您还没有提交投诉" in page
    assert "甲的投诉事实" in login_as(alice).get("/appraisal/complaints").content.decode()
    with pytest.raises(PermissionDenied):
        services.file_complaint(w.institution.pk, "事实", acting_user=w.district_bureau)
    # Staff are sent to the console, not shown the citizen page.
    staff = login_as(w.district_bureau).get("/appraisal/complaints")
    assert staff.status_code == 302


def test_portal_nav_has_the_entry_for_citizens_only(w: World, login_as: Login) -> None:
    assert "我的鉴定投诉" in login_as(make_citizen()).get("/appraisal/roster").content.decode()
    assert "我的鉴定投诉" not in Client().get("/appraisal/roster").content.decode()


def test_api_files_and_lists_only_own(w: World, login_as: Login) -> None:
    alice = login_as(make_citizen())
    created = alice.post(
        "/api/v1/appraisal/my-complaints",
        {"institution_id": w.institution.pk, "text": "收费不透明。"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["decision"] == ""
    bad = alice.post(
        "/api/v1/appraisal/my-complaints",
        {"institution_id": w.institution.pk, "text": "收费", "appraiser_id": 999999},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "appraiser"
    assert len(alice.get("/api/v1/appraisal/my-complaints").json()) == 1
    bob = login_as(make_citizen())
    assert bob.get("/api/v1/appraisal/my-complaints").json() == []
