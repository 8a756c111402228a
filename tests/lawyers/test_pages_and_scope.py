"""Pages as each role, scope boundaries (other district, other firm → 404/403), bad input kept on
the page, the API and the foreign-related pool."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from fawang.core.models import User
from fawang.lawyers import selectors, services
from fawang.lawyers.models import LawyerProfile, ServiceHours
from tests.lawyers.helpers import World, activity, build_world

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def w() -> World:
    return build_world()


def test_lawyer_page_logs_hours_and_keeps_input_on_error(w: World, login_as: Login) -> None:
    a = activity(w)
    client = login_as(w.lawyer)
    page = client.get("/console/lawyers/").content.decode()
    assert "我的公益时长与诚信" in page and a.title in page and "本所律师与年度检查" in page
    bad = client.post("/console/lawyers/", {"action": "log", "activity_id": a.pk, "hours": "99",
                                            "note": "已填写的说明"})  # fmt: skip
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "不超过24小时" in body and "已填写的说明" in body
    ok = client.post("/console/lawyers/", {"action": "log", "activity_id": a.pk, "hours": "4"})
    assert ok.status_code == 302 and ServiceHours.objects.count() == 1


def test_firm_page_only_for_the_firm_admin(w: World, login_as: Login) -> None:
    page = login_as(w.lawyer).get("/console/lawyers/firm").content.decode()
    assert "牛律师" in page and "海律师" not in page
    assert Client().get("/console/lawyers/firm").status_code == 302
    assert login_as(w.colleague).get("/console/lawyers/firm").status_code == 404


def test_bureau_pages_render_and_show_only_its_district(w: World, login_as: Login) -> None:
    a = activity(w)
    row = services.log_hours(a.pk, 5, acting_user=w.lawyer)
    services.confirm_hours(row, True, acting_user=w.bureau)
    client = login_as(w.bureau)
    board = client.get("/console/lawyers/board").content.decode()
    assert "马律师" in board and "海律师" not in board and "朝阳区" in board
    for url in ("activities", "credit", "reports", "pool"):
        assert client.get(f"/console/lawyers/{url}").status_code == 200
    haidian = login_as(w.haidian_bureau).get("/console/lawyers/board").content.decode()
    assert "马律师" not in haidian and "海律师" in haidian
    assert login_as(w.lawyer).get("/console/lawyers/board").status_code == 403


def test_a_year_out_of_range_is_refused_by_the_api_and_shown_as_this_year_on_the_page(
    w: World, login_as: Login
) -> None:
    client = login_as(w.bureau)
    for year in ("99999999999", "-5", "1800"):
        refused = client.get("/api/v1/lawyers/board", {"year": year})
        assert refused.status_code == 400, year
        assert refused.json()["message"] == "年份应在1990至2100之间。"
    assert client.get("/api/v1/lawyers/board", {"year": "2025"}).json()["year"] == 2025
    page = client.get("/console/lawyers/board", {"year": "99999999999"})
    assert page.status_code == 200 and str(timezone.localdate().year) in page.content.decode()


def test_bureau_confirms_on_the_page(w: World, login_as: Login) -> None:
    a = activity(w)
    row = services.log_hours(a.pk, 5, acting_user=w.lawyer)
    other = login_as(w.city).post("/console/lawyers/activities",
                                  {"action": "confirm", "hours_row": row.pk, "decision": "confirm"})  # fmt: skip
    assert other.status_code == 404  # not the organiser: the row is not in their list
    ok = login_as(w.bureau).post("/console/lawyers/activities",
                                 {"action": "confirm", "hours_row": row.pk, "decision": "confirm"})  # fmt: skip
    assert ok.status_code == 302
    row.refresh_from_db()
    assert row.status == "confirmed"


def test_bureau_cannot_sanction_outside_its_district(w: World, login_as: Login) -> None:
    response = login_as(w.haidian_bureau).post("/console/lawyers/credit", {
        "action": "credit", "subject": f"p{w.person.pk}", "kind": "industry_sanction",
        "title": "通报批评", "basis": "惩戒决定", "decided_on": timezone.localdate().isoformat()})  # fmt: skip
    assert response.status_code == 404


def test_lawyer_cannot_appeal_anothers_record(w: World, login_as: Login) -> None:
    record = services.record_credit(
        kind="industry_sanction", title="通报批评", basis="惩戒决定",
        decided_on=timezone.localdate(), practitioner_id=w.colleague_person.pk, acting_user=w.bureau,
    )  # fmt: skip
    response = login_as(w.haidian_lawyer).post(
        "/console/lawyers/", {"action": "appeal", "record": record.pk, "reason": "x"}
    )
    assert response.status_code == 404


def test_public_credit_search(w: World) -> None:
    page = Client().get("/lawyers/credit", {"q": "朝阳测试"}).content.decode()
    assert "北京朝阳测试律师事务所" in page
    assert Client().get("/lawyers/credit/person/999999").status_code == 404
    assert Client().get("/lawyers/credit/other/1").status_code == 404


def test_foreign_pool_filters_and_is_scoped(w: World, login_as: Login) -> None:
    w.person.languages = ["英语", "日语"]
    w.person.save(update_fields=["languages"])
    LawyerProfile.objects.filter(practitioner=w.person).update(
        foreign_related=True, jurisdictions=["香港特别行政区"]
    )
    assert selectors.foreign_pool(w.bureau, "日语") == [w.person]
    assert selectors.foreign_pool(w.bureau, "俄语") == []
    assert selectors.foreign_pool(w.bureau, "", "香港") == [w.person]
    assert selectors.foreign_pool(w.haidian_bureau, "日语") == []
    api = login_as(w.city).get("/api/v1/lawyers/foreign-pool", {"language": "英语"}).json()
    assert [p["name"] for p in api] == ["马律师"]
    assert login_as(w.lawyer).get("/api/v1/lawyers/foreign-pool").status_code == 403


def test_api_log_and_board(w: World, login_as: Login) -> None:
    a = activity(w)
    client = login_as(w.lawyer)
    made = client.post("/api/v1/lawyers/hours", {"activity_id": a.pk, "hours": "3"},
                       content_type="application/json")  # fmt: skip
    assert made.status_code == 201
    again = client.post("/api/v1/lawyers/hours", {"activity_id": a.pk, "hours": "3"},
                        content_type="application/json")  # fmt: skip
    assert again.status_code == 409 and again.json()["code"] == "duplicate"
    bureau = login_as(w.bureau)
    pk = made.json()["id"]
    assert bureau.post(f"/api/v1/lawyers/hours/{pk}/confirm", {"confirmed": True},
                       content_type="application/json").status_code == 200  # fmt: skip
    board = bureau.get("/api/v1/lawyers/board").json()
    assert board["target"] == 50
    assert [(d["label"], float(d["hours"])) for d in board["districts"]] == [("朝阳区", 3.0)]


def test_placement_and_group_yearly_figures(w: World) -> None:
    services.record_placement(
        practitioner_id=w.colleague_person.pk, host_firm_id=w.haidian_firm.pk,
        starts_on=timezone.localdate(), ends_on=timezone.localdate() + timedelta(days=90),
        acting_user=w.bureau,
    )  # fmt: skip
    from fawang.lawyers import figures
    from fawang.lawyers.policy import lawyers_policy

    policy = lawyers_policy(w.bureau.region)
    yearly = {
        f.label: f for f in figures.yearly_figures(w.bureau, timezone.localdate().year, policy)
    }
    placed = yearly["青年律师跟班学习（名）"]
    assert placed.value == 1 and placed.target == 30 and placed.met is False


def test_bureau_keeps_firm_and_lawyer_profiles_in_its_district(w: World, login_as: Login) -> None:
    client = login_as(w.bureau)
    assert "北京朝阳测试律师事务所" in client.get("/console/lawyers/roster").content.decode()
    ok = client.post("/console/lawyers/roster", {
        "action": "firm", "institution_id": w.firm.pk, "firm_type": "partnership",
        "party_members": "3", "party_instructor": "张指导", "foreign_branches": "2"})  # fmt: skip
    assert ok.status_code == 302
    assert w.firm.firm_profile.party_instructor == "张指导"  # type: ignore[attr-defined]
    bad = client.post("/console/lawyers/roster", {
        "action": "firm", "institution_id": w.firm.pk, "firm_type": "partnership",
        "party_members": "-1", "party_instructor": "保留的输入"})  # fmt: skip
    assert bad.status_code == 400 and "保留的输入" in bad.content.decode()
    other = login_as(w.haidian_bureau).post("/console/lawyers/roster", {
        "action": "lawyer", "practitioner_id": w.person.pk, "lawyer_kind": "company",
        "foreign_talent": ""})  # fmt: skip
    assert other.status_code == 404
    saved = login_as(w.city).post("/console/lawyers/roster", {
        "action": "lawyer", "practitioner_id": w.colleague_person.pk, "lawyer_kind": "company",
        "foreign_related": "on", "jurisdictions": "英国，香港特别行政区", "foreign_talent": "excellent"})  # fmt: skip
    assert saved.status_code == 302
    profile = LawyerProfile.objects.get(practitioner=w.colleague_person)
    assert profile.lawyer_kind == "company" and profile.jurisdictions == ["英国", "香港特别行政区"]


def test_basic_legal_service_worker_has_the_same_records(w: World) -> None:
    from fawang.core.models import InstitutionKind, PractitionerKind
    from tests.conftest import CHAOYANG
    from tests.factories import make_institution, make_practitioner

    office = make_institution(CHAOYANG, InstitutionKind.BASIC_LEGAL_SERVICE, name="测试法律服务所")
    worker = make_practitioner(office, PractitionerKind.BASIC_LEGAL_WORKER, name="基层工作者")
    services.record_credit(kind="commendation", title="表彰", basis="决定",
                           decided_on=timezone.localdate(), practitioner_id=worker.pk,
                           acting_user=w.bureau)  # fmt: skip
    services.record_review(year=timezone.localdate().year - 1, result="pass",
                           practitioner_id=worker.pk, acting_user=w.bureau)  # fmt: skip
    page = Client().get(f"/lawyers/credit/person/{worker.pk}").content.decode()
    assert "基层法律服务工作者" in page and "表彰" in page
